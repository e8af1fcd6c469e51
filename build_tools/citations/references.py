"""Formatted references, in APA order, formatted only when asked for and then remembered."""

from __future__ import annotations

from functools import cached_property

from pybtex.richtext import Text

from ..model import Reference
from .apa import AuthorDate, author_dates
from .bibliography import Bibliography, plain_text
from .style import APA7Style


class ReferenceList:
    """The bibliography as APA 7: labels for text, and each entry as Markdown or plain text."""

    def __init__(self, bibliography: Bibliography):
        self.bibliography = bibliography
        self._style = APA7Style()
        self._formatted: dict[str, Text] = {}

    @cached_property
    def labels(self) -> dict[str, AuthorDate]:
        return author_dates(self.bibliography.references)

    def ordered(self, keys: set[str] | None = None) -> list[Reference]:
        """References in APA order (authors, then year with suffix); all of them, or ``keys``."""
        chosen = [ref for ref in self.bibliography.references if keys is None or ref.key in keys]
        return sorted(chosen, key=lambda ref: self.labels[ref.key].sort_key)

    def fields(self, key: str) -> dict[str, str]:
        """The entry's fields as plain text (LaTeX decoded), for metadata."""
        entry = self.bibliography.entries.entries[key]
        return {name.lower(): plain_text(value) for name, value in entry.fields.items()}

    def markdown(self, key: str) -> str:
        return self._rich(key).render_as("markdown")

    def text(self, key: str) -> str:
        return self._rich(key).render_as("text")

    def _rich(self, key: str) -> Text:
        if key not in self._formatted:
            entry = self.bibliography.entries.entries[key]
            self._formatted[key] = self._style.format_entry(self.labels[key].year, entry).text
        return self._formatted[key]

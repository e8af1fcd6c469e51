"""Formatted references, in APA order, formatted only when asked for and then remembered."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .apa import AuthorDate, author_dates
from .bibliography import Bibliography
from .cache import FormattingCache, code_version, digest_of
from .model import Reference

if TYPE_CHECKING:
    from .style import APA7Style


class ReferenceList:
    """The bibliography as APA 7: labels for text, and each entry as HTML or plain text.

    Entries are formatted through the pybtex style ``apa7`` on first use; with a cache, an entry
    formatted by an earlier build is taken from there.
    """

    def __init__(self, bibliography: Bibliography, cache: FormattingCache | None = None):
        self.bibliography = bibliography
        self.cache = cache if cache is not None else FormattingCache()
        self._style: APA7Style | None = None
        for reference in bibliography.references:
            self.cache.remember(bibliography.digest(reference.key), reference)

    @cached_property
    def state(self) -> str:
        """Identifies everything HTML rendered from these references depends on: the code, and the
        text of each entry read (which fixes the labels, the formatting and the status)."""
        return digest_of(code_version(), *sorted(f"{ref.key}:{self.bibliography.digest(ref.key)}" for ref in self.bibliography.references))

    @cached_property
    def labels(self) -> dict[str, AuthorDate]:
        return author_dates(self.bibliography.references)

    def ordered(self, keys: set[str] | None = None) -> list[Reference]:
        """References in APA order (authors, then year with suffix); all of them, or ``keys``."""
        if keys is None:
            chosen = list(self.bibliography.references)
        else:
            chosen = [reference for key in keys if (reference := self.bibliography.get(key)) is not None]
        return sorted(chosen, key=lambda ref: self.labels[ref.key].sort_key)

    def fields(self, key: str) -> dict[str, str]:
        """The entry's fields as plain text (LaTeX decoded), for metadata; read from the cache
        while the entry is unchanged."""
        digest = self.bibliography.digest(key)
        found = self.cache.fields.get(digest)
        if found is None:
            from .bibtex import plain_text

            found = {name.lower(): plain_text(value) for name, value in self.bibliography.entry(key).fields.items()}
            self.cache.store_fields(digest, found)
        return found

    def html(self, key: str) -> str:
        return self._formatted(key)[0]

    def text(self, key: str) -> str:
        return self._formatted(key)[1]

    def _formatted(self, key: str) -> tuple[str, str]:
        digest, label = self.bibliography.digest(key), self.labels[key].year
        found = self.cache.formatted.get((digest, label))
        if found is None:  # pybtex is needed only now: entries formatted by an earlier build are cached
            from .bibtex import HTML, PLAIN_TEXT
            from .style import APA7Style

            if self._style is None:
                self._style = APA7Style()
            rich = self._style.format_entry(label, self.bibliography.entry(key)).text
            found = (rich.render(HTML), rich.render(PLAIN_TEXT))
            self.cache.store(digest, label, *found)
        return found

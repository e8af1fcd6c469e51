"""Formatted references, in APA order, formatted only when asked for and then remembered."""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from ..templating import templates
from .apa import AuthorDate, author_dates
from .bibliography import Bibliography
from .cache import FormattingCache, code_version, digest_of
from .entries import reference_entry
from .model import Citation, CitationItem, Reference
from .richtext import plain

if TYPE_CHECKING:
    from jinja2 import Template


class ReferenceList:
    """The bibliography as APA 7: labels for text, and each entry as HTML or plain text.

    Entries are formatted through the pybtex style ``apa7`` on first use; with a cache, an entry
    formatted by an earlier build is taken from there.
    """

    def __init__(self, bibliography: Bibliography, cache: FormattingCache | None = None):
        self.bibliography = bibliography
        self.cache = cache if cache is not None else FormattingCache()
        self._template: Template | None = None
        for reference in bibliography.references:
            self.cache.remember(bibliography.digest(reference.key), reference)

    @cached_property
    def state(self) -> str:
        """Identifies everything HTML rendered from these references depends on: the code, and the
        text of each entry read (which fixes the labels, the formatting and the status)."""
        return digest_of(code_version(), *sorted(f"{ref.key}:{self.bibliography.digest(ref.key)}" for ref in self.bibliography.references))

    @cached_property
    def labels(self) -> dict[str, AuthorDate]:
        """APA's labels: worked out from all the references together, so kept for the next build too."""
        return self.cache.author_dates(self.state, (reference.key for reference in self.bibliography.references),
                                       lambda: author_dates(self.bibliography.references))

    def ordered(self, keys: set[str] | None = None) -> list[Reference]:
        """References in APA order (authors, then year with suffix); all of them, or ``keys``. A set
        (biblatex's ``@set``) is listed as its members."""
        if keys is None:
            chosen = [reference for reference in self.bibliography.references if not reference.work.members]
        else:
            chosen = [found for key in self.members(keys) if (found := self.bibliography.get(key)) is not None]
        return sorted(chosen, key=lambda ref: self.labels[ref.key].sort_key)

    def expanded(self, citation: Citation) -> Citation:
        """The citation with each set it cites replaced by the set's members (biblatex's ``@set``):
        the set's prefix goes with its first member, its locator with its last."""
        if not any((found := self.bibliography.get(item.key)) is not None and found.work.members for item in citation.items):
            return citation
        items: list[CitationItem] = []
        for item in citation.items:
            members = self.members_of(item.key)
            for index, key in enumerate(members):
                items.append(CitationItem(key, item.prefix if index == 0 else "", item.locator if index == len(members) - 1 else "",
                                          item.suppress_author))
        return replace(citation, items=tuple(items), narrative=citation.narrative and len(items) == 1)

    def members(self, keys: set[str]) -> set[str]:
        """The keys, each set among them replaced by its members."""
        return {member for key in keys for member in self.members_of(key)}

    def members_of(self, key: str) -> tuple[str, ...]:
        """The works a key stands for: a set's members, or the work itself."""
        return self.bibliography.members_of(key)

    def fields(self, key: str) -> dict[str, str]:
        """The work's fields that scholarly metadata names, as plain text."""
        reference = self.bibliography.get(key)
        if reference is None:
            return {}
        work = reference.work
        return {name: value for name, value in (("journal", plain(work.container_title)), ("volume", work.volume),
                                                ("number", work.issue), ("publisher", plain(work.publisher)), ("doi", work.doi),
                                                ("isbn", work.isbn)) if value}

    def html(self, key: str) -> str:
        return self._formatted(key)[0]

    def text(self, key: str) -> str:
        return self._formatted(key)[1]

    def _formatted(self, key: str) -> tuple[str, str]:
        digest, label = self.bibliography.digest(key), self.labels[key].entry_year
        found = self.cache.formatted.get((digest, label))
        if found is None:  # formatted entries of an earlier build are cached
            reference = self.bibliography.get(key)
            assert reference is not None
            entry = reference_entry(reference.work, label)
            if self._template is None:
                self._template = templates("build_tools.citations").get_template("entry.html.j2")
            found = (str(self._template.module.entry(entry)), "".join(run.text for run in entry))  # type: ignore[attr-defined]  # its macro
            self.cache.store(digest, label, *found)
        return found

"""The citation engine's own model: the works of a bibliography, and citations of them.

Free of the study and of MkDocs: any Markdown text can cite works of any bibliography.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..locations import Location


@dataclass(frozen=True, slots=True)
class Name:
    """One person (or group) named in a reference, split as BibTeX splits names."""

    last: str
    first: str = ""
    von: str = ""
    junior: str = ""
    is_others: bool = False

    @property
    def surname(self) -> str:
        """The surname as APA prints it in text: particles kept ("van der Berg")."""
        return f"{self.von} {self.last}".strip()

    @property
    def initials(self) -> str:
        """"Per-Gunnar" and "P.-G." both give "P.-G."; "Elliot G." gives "E. G."."""
        return " ".join("-".join(f"{piece[0]}." for piece in part.split("-") if piece) for part in self.first.split())


Confidence = Literal["certain", "probable", "unknown"]


@dataclass(frozen=True, slots=True)
class Reference:
    """A cited work as far as it is known: ``confidence: unknown`` means not yet established."""

    key: str
    entry_type: str
    authors: tuple[Name, ...]
    editors: tuple[Name, ...]
    year: str
    title: str
    confidence: Confidence
    annote: str
    source: Location

    @property
    def is_incomplete(self) -> bool:
        return self.confidence == "unknown"

    @property
    def creators(self) -> tuple[Name, ...]:
        """Who the work is cited by: its authors, or its editors when it has none."""
        return self.authors or self.editors


@dataclass(frozen=True, slots=True)
class CitationItem:
    """One work inside a citation, with what pandoc allows around it."""

    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation as written in a source: ``[@a; @b, p. 3]`` (parenthetical) or ``@a`` (narrative)."""

    items: tuple[CitationItem, ...]
    narrative: bool
    location: Location | None = None

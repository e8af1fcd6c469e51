"""The citation engine's own model: the works of a bibliography, and citations of them.

Free of the study and of MkDocs: any Markdown text can cite works of any bibliography.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from ..locations import Location
from .richtext import plain


@dataclass(frozen=True, slots=True)
class Name:
    """One person (or group) named in a reference: family name, given names, particles, suffix.

    ``von`` is a particle that belongs to the family name ("van Manen" in text, sorted under V);
    ``dropping`` one that does not (biblatex's ``useprefix=false``: "Manen", sorted under M, and
    "Manen, M. van" in the reference list).
    """

    last: str
    first: str = ""
    von: str = ""
    junior: str = ""
    is_others: bool = False
    dropping: str = ""

    @property
    def surname(self) -> str:
        """The surname as APA prints it in text: particles kept ("van der Berg")."""
        return f"{self.von} {self.last}".strip()

    @property
    def initials(self) -> str:
        """"Per-Gunnar" and "P.-G." both give "P.-G."; "Elliot G." gives "E. G."."""
        return _initials(self.first)


@lru_cache(maxsize=8192)  # given names recur across a bibliography, and each is asked for often
def _initials(first: str) -> str:
    return " ".join("-".join(f"{piece[0]}." for piece in part.split("-") if piece) for part in first.split())


@dataclass(frozen=True, slots=True)
class Date:
    """A date as far as it is given: a year (which may be a word, "in press"), month and day."""

    year: str = ""
    month: int = 0
    day: int = 0
    literal: str = ""  # a date that is not one: "in press", "forthcoming"
    end_year: str = ""  # of a range of years: a work in volumes published from 1984 to 1986

    def __bool__(self) -> bool:
        return bool(self.year or self.literal)


# Every field a reference may have, named as CSL-JSON names them (with "_" for "-"). Titles and
# other text that may hold formatting are richtext markup (:mod:`.richtext`); the rest plain text.
@dataclass(frozen=True, slots=True)
class Work:
    """A work as APA 7 formats it, whatever file it was read from (biblatex, BibTeX, CSL-JSON)."""

    kind: str  # a CSL type: article-journal, book, chapter, thesis, report, webpage, software, ...
    author: tuple[Name, ...] = ()
    editor: tuple[Name, ...] = ()
    translator: tuple[Name, ...] = ()
    container_author: tuple[Name, ...] = ()
    director: tuple[Name, ...] = ()
    issued: Date = Date()
    original_date: Date = Date()
    accessed: Date = Date()
    title: str = ""
    title_short: str = ""
    container_title: str = ""
    volume_title: str = ""
    collection_title: str = ""
    collection_number: str = ""
    event: str = ""
    genre: str = ""
    medium: str = ""
    volume: str = ""
    number_of_volumes: str = ""
    issue: str = ""
    page: str = ""
    number: str = ""
    edition: str = ""
    version: str = ""
    publisher: str = ""
    publisher_place: str = ""
    event_place: str = ""
    authority: str = ""  # who issued it: a patent office
    jurisdiction: str = ""  # where it holds: a patent's country ("U.S.")
    status: str = ""
    doi: str = ""
    url: str = ""
    isbn: str = ""
    issn: str = ""
    language: str = ""
    note: str = ""
    members: tuple[str, ...] = ()  # a set (biblatex's @set): the keys of the works it stands for


Confidence = Literal["certain", "probable", "unknown"]
CONFIDENCE_LEVELS: tuple[str, ...] = get_args(Confidence)


@dataclass(frozen=True, slots=True)
class Reference:
    """A cited work as far as it is known: ``confidence: unknown`` means not yet established."""

    key: str
    work: Work
    confidence: Confidence = "certain"
    annote: str = ""
    source: Location = Location("", 0)

    @property
    def entry_type(self) -> str:
        return self.work.kind

    @property
    def authors(self) -> tuple[Name, ...]:
        return self.work.author

    @property
    def editors(self) -> tuple[Name, ...]:
        return self.work.editor

    @property
    def year(self) -> str:
        return self.work.issued.year or self.work.issued.literal

    @property
    def title(self) -> str:
        """The title as plain text."""
        return plain(self.work.title)

    @property
    def is_incomplete(self) -> bool:
        return self.confidence == "unknown"

    @property
    def creators(self) -> tuple[Name, ...]:
        """Who the work is cited by: its authors, or its editors when it has none."""
        return self.work.author or self.work.editor


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

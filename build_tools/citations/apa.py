"""APA 7 author-year citations in text: who is named, the year with its suffix, the order.

Labels are worked out once for the whole bibliography, so "1994a" means the same work on every
page of the site.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Citation, Name, Reference

NO_DATE = "n.d."
ET_AL_FROM = 3  # APA 8.17: a work by three or more authors is cited by the first author's name "et al."


@dataclass(frozen=True, slots=True)
class AuthorDate:
    """How one reference is named in text: "Miles & Huberman" / "Miles and Huberman", "1994a"."""

    key: str
    names: str
    narrative_names: str
    year: str
    sort_key: tuple[str, str]


@dataclass(frozen=True, slots=True)
class CitedWork:
    """One work in a rendered citation: the part that links to its reference entry."""

    key: str
    year: str
    locator: str


@dataclass(frozen=True, slots=True)
class CitedGroup:
    """Consecutive works by the same authors, named once: "Thornquist, 1992, 1994a, 1994b"."""

    names: str
    prefix: str
    works: tuple[CitedWork, ...]


@dataclass(frozen=True, slots=True)
class RenderedCitation:
    """A citation ready for a template: parenthetical groups, or a narrative one."""

    narrative: bool
    groups: tuple[CitedGroup, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a citation's text; a run with a key is the part that links to that work."""

    text: str
    key: str = ""


def author_dates(references: Iterable[Reference]) -> dict[str, AuthorDate]:
    """APA labels for every reference, with year suffixes where authors and year coincide."""
    references = tuple(references)
    ambiguous_surnames = _surnames_needing_initials(references)
    base: dict[str, tuple[str, str, str, tuple[str, str]]] = {}
    for reference in references:
        names, narrative, sortable = _names(reference, ambiguous_surnames)
        year = reference.year or NO_DATE
        base[reference.key] = (names, narrative, year, (_fold(sortable), year))
    groups: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    for reference in references:
        names, _, year, _ = base[reference.key]
        groups[(names, year)].append(reference)
    suffixes: dict[str, str] = {}
    for members in groups.values():
        if len(members) > 1:
            members.sort(key=lambda reference: (_fold(reference.title), reference.key))
            for index, reference in enumerate(members):
                suffixes[reference.key] = _suffix(index)
    labels = {}
    for key, (names, narrative, year, sort_key) in base.items():
        suffix = suffixes.get(key, "")
        shown_year = f"{year}-{suffix}" if suffix and year == NO_DATE else f"{year}{suffix}"
        labels[key] = AuthorDate(key, names, narrative, shown_year, (sort_key[0], shown_year))
    return labels


def render(citation: Citation, labels: Mapping[str, AuthorDate]) -> RenderedCitation:
    """Group and order a citation's works as APA prints them; unknown keys are left to the caller."""
    if citation.narrative:
        item = citation.items[0]
        label = labels[item.key]
        work = CitedWork(item.key, label.year, item.locator)
        return RenderedCitation(True, (CitedGroup(label.narrative_names, item.prefix, (work,)),))
    items = sorted(citation.items, key=lambda item: labels[item.key].sort_key)
    groups: list[CitedGroup] = []
    for item in items:
        label = labels[item.key]
        names = "" if item.suppress_author else label.names
        work = CitedWork(item.key, label.year, item.locator)
        previous = groups[-1] if groups else None
        if previous and names and previous.names == names and not item.prefix and not previous.works[-1].locator:
            groups[-1] = CitedGroup(names, previous.prefix, (*previous.works, work))
        else:
            groups.append(CitedGroup(names, item.prefix, (work,)))
    return RenderedCitation(False, tuple(groups))


def segments(citation: RenderedCitation) -> list[Segment]:
    """The citation as APA prints it, brackets and separators included:
    "(Thornquist, 1992, 1994a; see Kvale, 1996, p. 33)" or "Kvale (1996, p. 33)"."""
    if citation.narrative:
        group = citation.groups[0]
        work = group.works[0]
        return [Segment(f"{group.names} ({_when(work)})", work.key)]
    parts = [Segment("(")]
    for group_index, group in enumerate(citation.groups):
        if group_index:
            parts.append(Segment("; "))
        if group.prefix:
            parts.append(Segment(f"{group.prefix} "))
        for work_index, work in enumerate(group.works):
            if work_index:
                parts.append(Segment(", "))
            named = f"{group.names}, " if work_index == 0 and group.names else ""
            parts.append(Segment(named + _when(work), work.key))
    parts.append(Segment(")"))
    return parts


def _when(work: CitedWork) -> str:
    return f"{work.year}, {work.locator}" if work.locator else work.year


def _names(reference: Reference, ambiguous_surnames: set[str]) -> tuple[str, str, str]:
    creators = reference.creators
    named = [name for name in creators if not name.is_others]
    if not named:
        title = reference.title or reference.key
        return title, title, title
    first = named[0].surname
    if first in ambiguous_surnames and named[0].initials:
        first = f"{named[0].initials} {first}"
    if len(named) >= ET_AL_FROM or (len(named) < len(creators)):
        names = narrative = f"{first} et al."
    elif len(named) == 1:
        names = narrative = first
    else:  # two authors
        names = f"{first} & {named[1].surname}"
        narrative = f"{first} and {named[1].surname}"
    return names, narrative, " ".join(name.surname for name in named)


def _surnames_needing_initials(references: tuple[Reference, ...]) -> set[str]:
    """APA 8.20: first authors who share a surname but not initials are told apart by initials."""
    first_authors: dict[str, dict[str, Name]] = defaultdict(dict)  # surname -> given names -> name
    for reference in references:
        named = [name for name in reference.creators if not name.is_others]
        if named and named[0].first:
            first_authors[named[0].surname].setdefault(named[0].first, named[0])
    return {surname for surname, names in first_authors.items()
            if len(names) > 1 and len({name.initials for name in names.values()} - {""}) > 1}


def _suffix(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < len(letters) else letters[index // 26 - 1] + letters[index % 26]


def _fold(text: str) -> str:
    """A sort key that ignores case and accents, so "Körner" sorts with "Korner"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_known(citation: Citation, labels: Mapping[str, AuthorDate]) -> bool:
    return all(item.key in labels for item in citation.items)

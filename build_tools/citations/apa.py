"""APA 7 author-year citations in text: who is named, the year with its suffix, the order.

Labels are worked out once for the whole bibliography, so "1994a" means the same work on every
page of the site.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .model import Citation, Name, Reference
from .richtext import plain

NO_DATE = "n.d."
ET_AL_FROM = 3  # APA 8.17: a work by three or more authors is cited by the first author's name "et al."
MINOR_WORDS = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "from", "if", "in", "into", "nor", "of", "off", "on", "or",
                         "per", "so", "the", "to", "up", "via", "vs.", "vs", "yet", "with"})
ARTICLES = ("the ", "a ", "an ")


@dataclass(frozen=True, slots=True)
class AuthorDate:
    """How one reference is named in text: "Miles & Huberman" / "Miles and Huberman", "1994a";
    ``title`` says that the names are a title (APA 8.14: a work without author), set in italic."""

    key: str
    names: str
    narrative_names: str
    year: str
    sort_key: tuple[object, ...]
    italic: bool = False
    entry_year: str = ""  # the year in the reference list: "1997a", without the original's "1959/"


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
    italic: bool = False


@dataclass(frozen=True, slots=True)
class RenderedCitation:
    """A citation ready for a template: parenthetical groups, or a narrative one."""

    narrative: bool
    groups: tuple[CitedGroup, ...]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a citation's text; a run with a key is the part that links to that work;
    ``emphasis`` is the start of the text that is set in italic (a title in the author's place)."""

    text: str
    key: str = ""
    emphasis: str = ""


def author_dates(references: Iterable[Reference]) -> dict[str, AuthorDate]:
    """APA labels for every reference: names (with initials, or more names before "et al.", where
    two works would read alike), the year with its letter where authors and year coincide."""
    references = tuple(references)
    ambiguous_surnames = _surnames_needing_initials(references)
    shown = _names_shown(references)
    base: dict[str, tuple[str, str, str, bool]] = {}
    for reference in references:
        names, narrative, italic = _names(reference, ambiguous_surnames, shown.get(reference.key, 1))
        base[reference.key] = (names, narrative, _year(reference), italic)
    groups: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    for reference in references:
        names, _, year, _ = base[reference.key]
        groups[(names, year)].append(reference)
    suffixes: dict[str, str] = {}
    for members in groups.values():
        if len(members) > 1:
            members.sort(key=lambda reference: (_fold(_sortable_title(reference.title)), reference.key))
            for index, reference in enumerate(members):
                suffixes[reference.key] = _suffix(index)
    labels = {}
    for reference in references:
        names, narrative, year, italic = base[reference.key]
        suffix = suffixes.get(reference.key, "")
        shown_year = f"{year}-{suffix}" if suffix and not year[-1:].isdigit() else f"{year}{suffix}"
        _, _, entry_year = shown_year.rpartition("/") if reference.work.original_date else ("", "", shown_year)
        labels[reference.key] = AuthorDate(reference.key, names, narrative, shown_year,
                                           (*sort_key(reference), suffix), italic, entry_year)
    return labels


def sort_key(reference: Reference) -> tuple[object, ...]:
    """APA 9.44–9.47: by the authors' surnames and initials, name by name (one author before the
    same author with others); a work without author by its title (leaving out "A", "An", "The");
    then undated works, then by year, then in-press works; then by title."""
    named = [name for name in reference.creators if not name.is_others]
    if named:
        who: tuple[object, ...] = tuple(map(_name_key, named))
    else:
        who = ((_fold(_sortable_title(reference.title or reference.key)), "", ""),)
    year = reference.work.issued.year
    when = (0, 0) if not reference.work.issued and not reference.work.status else (
        (1, int(year)) if year.lstrip("-").isdigit() else (2, 0))
    return (who, when, _fold(_sortable_title(reference.title)))


@lru_cache(maxsize=4096)  # names recur across a bibliography
def _name_key(name: Name) -> tuple[str, str, str]:
    return _fold(name.surname), _fold(name.initials), _fold(name.junior)


def _year(reference: Reference) -> str:
    """"1997", "1959/1997" (APA 8.15: a republished work), "n.d.", "in press"."""
    work = reference.work
    year = work.issued.year or work.issued.literal or work.status or NO_DATE
    if work.issued.end_year:  # a work published over several years: "1984–1986"
        year = f"{year}–{work.issued.end_year}"
    if work.original_date and work.issued:
        return f"{work.original_date.year or work.original_date.literal}/{year}"
    return year


def render(citation: Citation, labels: Mapping[str, AuthorDate]) -> RenderedCitation:
    """Group and order a citation's works as APA prints them; unknown keys are left to the caller."""
    if citation.narrative:
        item = citation.items[0]
        label = labels[item.key]
        work = CitedWork(item.key, label.year, item.locator)
        return RenderedCitation(True, (CitedGroup(label.narrative_names, item.prefix, (work,), label.italic),))
    items = sorted(citation.items, key=lambda item: labels[item.key].sort_key)
    groups: list[CitedGroup] = []
    for item in items:
        label = labels[item.key]
        names = "" if item.suppress_author else label.names
        work = CitedWork(item.key, label.year, item.locator)
        previous = groups[-1] if groups else None
        if previous and names and previous.names == names and not item.prefix and not previous.works[-1].locator:
            groups[-1] = CitedGroup(names, previous.prefix, (*previous.works, work), previous.italic)
        else:
            groups.append(CitedGroup(names, item.prefix, (work,), label.italic and bool(names)))
    return RenderedCitation(False, tuple(groups))


def segments(citation: RenderedCitation) -> list[Segment]:
    """The citation as APA prints it, brackets and separators included:
    "(Thornquist, 1992, 1994a; see Kvale, 1996, p. 33)" or "Kvale (1996, p. 33)"."""
    if citation.narrative:
        group = citation.groups[0]
        work = group.works[0]
        return [Segment(f"{group.names} ({_when(work)})", work.key, group.names if group.italic else "")]
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
            parts.append(Segment(named + _when(work), work.key, group.names if named and group.italic else ""))
    parts.append(Segment(")"))
    return parts


def _when(work: CitedWork) -> str:
    return f"{work.year}, {work.locator}" if work.locator else work.year


def _names(reference: Reference, ambiguous_surnames: set[str], shown: int) -> tuple[str, str, bool]:
    """The names in parenthetical and narrative citations, and whether they are a title in italic.

    ``shown`` is how many names come before "et al." (APA 8.18: more when two works would read alike).
    """
    creators = reference.creators
    named = [name for name in creators if not name.is_others]
    if not named:
        return _title_as_author(reference)
    surnames = [name.surname for name in named]
    if surnames[0] in ambiguous_surnames and named[0].initials:
        surnames[0] = f"{named[0].initials} {surnames[0]}"
    if len(named) >= ET_AL_FROM or len(named) < len(creators):
        if shown >= len(named) and len(named) == len(creators):
            return _listed(surnames, "&"), _listed(surnames, "and"), False
        names = ", ".join(surnames[:shown]) + (", et al." if shown > 1 else " et al.")
        return names, names, False
    if len(named) == 1:
        return surnames[0], surnames[0], False
    return f"{surnames[0]} & {surnames[1]}", f"{surnames[0]} and {surnames[1]}", False


def _listed(surnames: list[str], conjunction: str) -> str:
    """"A, B, & C" (or "and" in running text)."""
    return f"{', '.join(surnames[:-1])}, {conjunction} {surnames[-1]}"


def _title_as_author(reference: Reference) -> tuple[str, str, bool]:
    """APA 8.14: a work without author is cited by its title in title case, in italic where the
    reference list sets it in italic and in quotation marks where it does not."""
    from .entries import PART_OF_A_WHOLE

    title = reference.work.title_short or reference.work.title
    written = title_case(plain(title)) if title else reference.key
    if reference.work.kind in PART_OF_A_WHOLE:
        return f"“{written}”", f"“{written}”", False
    return written, written, True


def title_case(title: str) -> str:
    """APA's title case (6.17): every word capitalised but the short minor ones, which keep theirs
    unless they begin the title or follow a colon."""
    words = title.split(" ")
    cased = []
    for index, word in enumerate(words):
        starts = index == 0 or words[index - 1].endswith((":", "?", "!", "—"))
        capitalised = bool(word) and (starts or word.lower() not in MINOR_WORDS) and word[0].islower()
        cased.append(word[0].upper() + word[1:] if capitalised else word)
    return " ".join(cased)


def _names_shown(references: tuple[Reference, ...]) -> dict[str, int]:
    """APA 8.18: works of three or more authors that "et al." would make read alike (same first
    author, same year, other co-authors) name as many authors as it takes to tell them apart."""
    alike: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for reference in references:
        surnames = tuple(name.surname for name in reference.creators if not name.is_others)
        if len(surnames) >= ET_AL_FROM:
            alike[(surnames[0], _year(reference))].append((reference.key, surnames))
    shown = {}
    for members in alike.values():
        for key, mine in members:
            others = {surnames for _, surnames in members if surnames != mine}
            count = 1
            while count < len(mine) and any(other[:count] == mine[:count] for other in others):
                count += 1
            shown[key] = count
    return shown


def _surnames_needing_initials(references: tuple[Reference, ...]) -> set[str]:
    """APA 8.20: first authors who share a surname but not initials are told apart by initials."""
    first_authors: dict[str, dict[str, Name]] = defaultdict(dict)  # surname -> given names -> name
    for reference in references:
        named = [name for name in reference.creators if not name.is_others]
        if named and named[0].first:
            first_authors[named[0].surname].setdefault(named[0].first, named[0])
    return {surname for surname, names in first_authors.items()
            if len(names) > 1 and len({name.initials for name in names.values()} - {""}) > 1}


def _sortable_title(title: str) -> str:
    """A title as it is alphabetised: without a leading "A", "An" or "The" (APA 9.44)."""
    lowered = title.lower()
    for article in ARTICLES:
        if lowered.startswith(article):
            return title[len(article):]
    return title


def _suffix(index: int) -> str:
    """APA 8.19's letters: a, b, ... z, then aa, ab, ... (as many works as share authors and year)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return letters


def _fold(text: str) -> str:
    """A sort key that ignores case and accents, so "Körner" sorts with "Korner"."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_known(citation: Citation, labels: Mapping[str, AuthorDate]) -> bool:
    return all(item.key in labels for item in citation.items)

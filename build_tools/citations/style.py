"""An APA 7 formatting style for pybtex: the reference list, entry by entry.

Registered as the pybtex formatting style ``apa7`` (and label style ``apa7``), so any pybtex user
can ask for it by name. The label is the year with its APA suffix ("1994a").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pybtex.database import BibliographyData, Entry, Person
from pybtex.richtext import HRef, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.labels import BaseLabelStyle

from ..urls import entry_link
from .apa import author_dates
from .bibtex import latex_text, name_from_person, reference_from_entry

MAX_LISTED_AUTHORS = 20
ORDINAL_EDITIONS = {"1": "1st", "2": "2nd", "3": "3rd"}


class APA7LabelStyle(BaseLabelStyle):
    """Labels are years with APA's suffixes, worked out over all the entries given."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        entries = list(sorted_entries)
        labels = author_dates(reference_from_entry(entry.key, entry) for entry in entries)
        for entry in entries:
            yield labels[entry.key].year


class APA7Style(BaseStyle):
    """APA 7 references: authors, (year), title in sentence case, source, DOI as a link."""

    default_label_style = "apa7"
    default_name_style = "lastfirst"
    default_sorting_style = "author_year_title"

    def format_entry(self, label: str, entry: Entry, bib_data: BibliographyData | None = None) -> FormattedEntry:
        kind = entry.type.lower()
        formatter = getattr(self, f"_format_{kind}", self._format_misc)
        return FormattedEntry(entry.key, formatter(entry, label), label)

    # One method per entry type; each returns pybtex rich text.

    def _format_article(self, entry: Entry, year: str) -> Text:
        source = Tag("em", _field(entry, "journal"))
        volume = _field(entry, "volume")
        if len(volume):
            source = Text(source, ", ", Tag("em", volume))
        number = _field(entry, "number")
        if len(number):
            source = Text(source, "(", _dashes(number), ")")
        pages = _field(entry, "pages")
        if len(pages):
            source = Text(source, ", ", _dashes(pages))
        return _sentences(_creators(entry), _date(year), _sentence_case(_field(entry, "title")), source, _link(entry))

    def _format_book(self, entry: Entry, year: str) -> Text:
        return _sentences(
            _creators(entry), _date(year), Text(Tag("em", _sentence_case(_field(entry, "title"))), _book_details(entry)),
            _field(entry, "publisher"), _link(entry),
        )

    def _format_incollection(self, entry: Entry, year: str) -> Text:
        container = Text("In ")
        editors = entry.persons.get("editor", [])
        if editors:
            role = "Eds." if len(editors) > 1 else "Ed."
            container = Text(container, _name_list(editors, initials_first=True), f" ({role}), ")
        container = Text(container, Tag("em", _sentence_case(_field(entry, "booktitle"))))
        pages = _field(entry, "pages")
        if len(pages):
            container = Text(container, " (pp. " if "-" in str(pages) or "–" in str(pages) else " (p. ", _dashes(pages), ")")
        return _sentences(
            _creators(entry, use_editors=False), _date(year), _sentence_case(_field(entry, "title")), container,
            _field(entry, "publisher"), _link(entry),
        )

    _format_inbook = _format_incollection
    _format_inproceedings = _format_incollection
    _format_conference = _format_incollection

    def _format_phdthesis(self, entry: Entry, year: str) -> Text:
        return self._thesis(entry, year, "Doctoral dissertation")

    def _format_mastersthesis(self, entry: Entry, year: str) -> Text:
        return self._thesis(entry, year, "Master’s thesis")

    def _thesis(self, entry: Entry, year: str, kind: str) -> Text:
        school = _field(entry, "school")
        description = Text("[", kind, ", ", school, "]") if len(school) else Text("[", kind, "]")
        title = Text(Tag("em", _sentence_case(_field(entry, "title"))), _book_details(entry), " ", description)
        return _sentences(_creators(entry), _date(year), title, _link(entry))

    def _format_techreport(self, entry: Entry, year: str) -> Text:
        number = _field(entry, "number")
        details = Text(" (Report No. ", number, ")") if len(number) else Text()
        title = Text(Tag("em", _sentence_case(_field(entry, "title"))), details)
        return _sentences(_creators(entry), _date(year), title, _field(entry, "institution"), _link(entry))

    def _format_misc(self, entry: Entry, year: str) -> Text:
        title = _field(entry, "title")
        return _sentences(
            _creators(entry), _date(year), Tag("em", _sentence_case(title)) if len(title) else Text(),
            _field(entry, "howpublished"), _field(entry, "publisher"), _link(entry),
        )

    _format_online = _format_misc
    _format_unpublished = _format_misc
    _format_manual = _format_techreport


def _field(entry: Entry, name: str) -> Text:
    value = entry.fields.get(name, "")
    return latex_text(value) if value else Text()


def _dashes(text: Text) -> Text:
    return Text(str(text).replace("--", "–").replace("-", "–"))


def _sentence_case(title: Text) -> Text:
    """APA's sentence case; {Braced} words keep their capitals, and so does the word after a colon."""
    if not len(title):
        return title
    parts = title.split(": ")
    return Text(": ").join(part.capitalize() for part in parts)


def _date(year: str) -> Text:
    return Text("(", year or "n.d.", ")")


def _creators(entry: Entry, use_editors: bool = True) -> Text:
    authors = entry.persons.get("author", [])
    if authors:
        return _name_list(authors)
    editors = entry.persons.get("editor", []) if use_editors else []
    if editors:
        return Text(_name_list(editors), " (Eds.)" if len(editors) > 1 else " (Ed.)")
    return Text()


def _name_list(persons: list[Person], initials_first: bool = False) -> Text:
    names = [_person(person, initials_first) for person in persons if str(person) != "others"]
    et_al = len(names) < len(persons)
    if len(names) > MAX_LISTED_AUTHORS:
        return Text(", ".join(names[: MAX_LISTED_AUTHORS - 1]), ", . . . ", names[-1])
    if et_al:
        return Text(", ".join(names), " et al.")
    if len(names) <= 1:
        return Text(*names)
    with_initials = any(name_from_person(person).initials for person in persons)
    *others, last = names
    if initials_first or not with_initials:  # "A & B", but "A, B, & C"
        return Text(", ".join(others) + (", & " if len(others) > 1 else " & ") + last)
    return Text(", ".join(others) + ", & " + last)


def _person(person: Person, initials_first: bool) -> str:
    name = name_from_person(person)
    if not name.initials:
        return name.surname
    return f"{name.initials} {name.surname}" if initials_first else f"{name.surname}, {name.initials}"


def _book_details(entry: Entry) -> Text:
    details = []
    edition = str(_field(entry, "edition"))
    if edition:
        edition = ORDINAL_EDITIONS.get(edition, edition)
        details.append(edition if edition.endswith("ed.") else f"{edition} ed.")
    series, number = str(_field(entry, "series")), str(_field(entry, "number"))
    if series and number and entry.type.lower() != "article":
        details.append(f"{series} No. {number}")
    elif series:
        details.append(series)
    return Text(" (", "; ".join(details), ")") if details else Text()


def _link(entry: Entry) -> Text:
    """The DOI, else the url, else the eprint as a link; nothing for a value unsafe as a link."""
    url = entry_link(entry.fields)
    return Text(HRef(url, url)) if url else Text()


def _sentences(*parts: Text) -> Text:
    """Join the parts APA-style: each ends with a full stop, links excepted."""
    pieces: list[Text | str] = []
    for part in parts:
        if not len(part):
            continue
        if pieces:
            pieces.append(" ")
        pieces.append(part)
        is_link = isinstance(part, Text) and part.parts and isinstance(part.parts[0], HRef)
        if not is_link and not str(part).endswith((".", "?", "!")):
            pieces.append(".")
    return Text(*pieces)  # built once: pybtex merges the parts of every Text it makes

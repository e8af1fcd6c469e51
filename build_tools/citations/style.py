"""The engine's APA 7 as a pybtex style: any pybtex user can ask for it by name.

Registered as the pybtex formatting style ``apa7`` (and label style ``apa7``). A thin adapter:
each entry is read as biblatex reads it (:mod:`.biblatex`) and formatted by :mod:`.entries`,
then handed to pybtex as its rich text. The label is the year with its APA letter ("1994a").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from pybtex.database import BibliographyData, Entry
from pybtex.richtext import BaseText, HRef, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.labels import BaseLabelStyle

from .apa import author_dates
from .bibtex import reference_from_entry
from .entries import reference_entry
from .richtext import Run


class APA7LabelStyle(BaseLabelStyle):
    """Labels are years with APA's suffixes, worked out over all the entries given."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        entries = list(sorted_entries)
        labels = author_dates(reference_from_entry(entry.key, entry) for entry in entries)
        for entry in entries:
            yield labels[entry.key].entry_year


class APA7Style(BaseStyle):
    """APA 7 references: authors, (year), title in sentence case, source, DOI as a link."""

    default_label_style = "apa7"
    default_name_style = "lastfirst"
    default_sorting_style = "author_year_title"

    def format_entry(self, label: str, entry: Entry, bib_data: BibliographyData | None = None) -> FormattedEntry:
        work = reference_from_entry(entry.key, entry).work
        return FormattedEntry(entry.key, rich_text(reference_entry(work, label)), label)


@cache
def apa7_style() -> APA7Style:
    """The style, made once: pybtex looks up each of its parts among the installed packages' entry
    points, milliseconds each time (for every build of a process, every save in the live preview)."""
    return APA7Style()


def rich_text(runs: Iterable[Run]) -> Text:
    """Runs as pybtex's rich text (italic as ``em``, links as ``HRef``)."""
    parts: list[BaseText] = []
    for run in runs:
        part: BaseText = String(run.text)
        for flag, tag in ((run.sub, "sub"), (run.sup, "sup"), (run.bold, "strong"), (run.italic, "em")):
            if flag:
                part = Tag(tag, part)
        parts.append(HRef(run.href, part) if run.href else part)
    return Text(*parts)

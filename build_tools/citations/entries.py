"""APA 7 reference-list entries (Publication Manual, chapters 9 and 10), formatted from a
:class:`~.model.Work` into runs of styled text: whatever file the work came from, one form.

Author. (Date). Title [Description]. Source. Link. Each element ends with a full stop; a link
does not. The element for each kind of work follows the manual's examples (§10.1 periodicals,
§10.2 books and chapters, §10.4 reports, §10.6 theses, §10.9 datasets, §10.10 software, §10.16
web pages).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import groupby

from ..urls import DOI_RESOLVER, bare_doi, entry_link
from .model import Date, Name, Work
from .richtext import Run, capitalise_first, ordinal, runs

MAX_LISTED_AUTHORS = 20  # APA 9.8: up to 20 authors; of 21 or more, the first 19, an ellipsis and the last
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
               "December")
NO_DATE = "n.d."
# Works whose title stands alone (italic), and those that are part of a greater whole (plain).
PART_OF_A_WHOLE = frozenset({"article-journal", "article-magazine", "article-newspaper", "chapter", "paper-conference",
                             "entry-encyclopedia", "entry-dictionary", "entry", "review", "review-book", "post", "post-weblog"})
DATED_TO_THE_DAY = frozenset({"article-magazine", "article-newspaper", "webpage", "post", "post-weblog", "speech",
                              "personal_communication", "interview", "broadcast"})
DESCRIPTIONS = {"software": "Computer software", "dataset": "Data set"}

Elements = list[tuple[Run, ...]]
_ADDRESS_AT_END = re.compile(r"(?:https?://|doi:|www\.)\S*\Z", re.IGNORECASE)


def reference_entry(work: Work, year_label: str) -> tuple[Run, ...]:
    """The work's entry as APA 7 prints it; ``year_label`` is the year with its letter ("1994a")."""
    elements: Elements = []
    creators = _creators(work)
    title = _title(work)
    if creators:
        elements += [creators, _date(work, year_label), title]
    elif title:  # APA 9.12: no author: the title moves to the author position
        elements += [title, _date(work, year_label)]
    else:
        elements += [_date(work, year_label)]
    elements += _source(work)
    link = _link(work)
    original = (Run(f"(Original work published {work.original_date.year or work.original_date.literal})"),) \
        if work.original_date else ()
    return _sentences(elements, link, original)


def _sentences(elements: Elements, link: tuple[Run, ...], original: tuple[Run, ...]) -> tuple[Run, ...]:
    """The elements joined with a full stop after each (unless it ends in one, or in ? or !);
    an entry that ends in an address ends without one (APA 9.35), as it does before a link."""
    shown = [element for element in elements if element and "".join(run.text for run in element).strip()]
    joined: list[Run] = []
    for index, element in enumerate(shown):
        if joined:
            joined.append(_SPACE)
        joined.extend(element)
        ending = element[-1].text.rstrip()
        ends_entry = index == len(shown) - 1 and not link and not original
        if not ending.endswith((".", "?", "!")) and not (ends_entry and _ADDRESS_AT_END.search(ending)):
            joined.append(_FULL_STOP)
    for tail in (link, original):
        if tail:
            joined.extend((_SPACE, *tail))
    return _merged(joined)


_SPACE, _FULL_STOP = Run(" "), Run(".")


def _merged(parts: list[Run]) -> tuple[Run, ...]:
    """Neighbouring runs of one style as one run (made once, from all their texts)."""
    merged: list[Run] = []
    for style, group in groupby((run for run in parts if run.text), key=_style):
        runs = list(group)
        merged.append(runs[0] if len(runs) == 1 else Run("".join(run.text for run in runs), *style))
    return tuple(merged)


def _style(run: Run) -> tuple[bool, bool, bool, bool, bool, bool, str]:
    """Everything about a run but its text, in the order of :class:`Run`'s fields."""
    return run.italic, run.bold, run.nocase, run.smallcaps, run.sup, run.sub, run.href


def _text(markup: str, italic: bool = False) -> tuple[Run, ...]:
    """Markup as runs; in an italic element, italic text within it turns roman (APA 6.22)."""
    if not markup:
        return ()
    return tuple(run if run.italic == italic and not run.nocase and not run.smallcaps
                 else replace(run, italic=run.italic != italic, nocase=False, smallcaps=False) for run in runs(markup))


# -- authors ----------------------------------------------------------------------------------------

def _creators(work: Work) -> tuple[Run, ...]:
    if work.author:
        return (Run(name_list(work.author)),)
    if work.editor:
        return (Run(name_list(work.editor) + (" (Eds.)" if _people(work.editor) > 1 else " (Ed.)")),)
    if work.director:
        return (Run(name_list(work.director) + (" (Directors)" if _people(work.director) > 1 else " (Director)")),)
    return ()


def _people(names: tuple[Name, ...]) -> int:
    return len([name for name in names if not name.is_others])


def name_list(names: tuple[Name, ...], initials_first: bool = False) -> str:
    """"Miles, M. B., & Huberman, A. M." (or, inside an entry, "M. B. Miles & A. M. Huberman")."""
    written = [person(name, initials_first) for name in names if not name.is_others]
    if len(written) < len(names):
        return ", ".join(written) + " et al."
    if len(written) > MAX_LISTED_AUTHORS:
        return ", ".join(written[: MAX_LISTED_AUTHORS - 1]) + ", . . . " + written[-1]
    if len(written) <= 1:
        return "".join(written)
    *others, last = written
    if not any(name.initials for name in names):  # groups and names known only by surname: "Musham & Brock"
        return ", ".join(others) + (", & " if len(others) > 1 else " & ") + last
    if initials_first:
        return (", ".join(others) + (", & " if len(others) > 1 else " & ") + last) if others else last
    return ", ".join(others) + ", & " + last


@lru_cache(maxsize=8192)  # the same people are named in entry after entry
def person(name: Name, initials_first: bool = False) -> str:
    """"van Manen, M.", "Manen, M. van" (a particle that drops), "Doe, J., Jr."; "M. van Manen"."""
    initials = name.initials
    if initials_first:
        return " ".join(part for part in (initials, name.dropping, name.surname, name.junior) if part)
    if not initials:
        return ", ".join(part for part in (name.surname, name.junior) if part)
    given = " ".join(part for part in (initials, name.dropping) if part)
    return ", ".join(part for part in (name.surname, given, name.junior) if part)


# -- date ---------------------------------------------------------------------------------------------

def _date(work: Work, year_label: str) -> tuple[Run, ...]:
    return (Run(f"({date_text(work, year_label)})"),)


def date_text(work: Work, year_label: str) -> str:
    """"2020a", "2020, March 3" (a web page, a newspaper), "n.d.", "in press"."""
    issued = work.issued
    if work.kind in DATED_TO_THE_DAY and issued.year and issued.month:
        return f"{year_label}, {_month_day(issued)}"
    return year_label


def _month_day(date: Date) -> str:
    month = MONTH_NAMES[date.month - 1] if 1 <= date.month <= len(MONTH_NAMES) else ""
    return f"{month} {date.day}" if date.day else month


# -- title and what follows it -----------------------------------------------------------------------

def _title(work: Work) -> tuple[Run, ...]:
    """The title, italic when the work stands alone, with its details in parentheses and its
    description in brackets: "Title (2nd ed., Vol. 3) [Doctoral dissertation, X University]"."""
    standalone = work.kind not in PART_OF_A_WHOLE
    title = _text(work.title, italic=standalone)
    if work.volume_title and standalone:
        title = (*title, Run(": ", italic=True), *_text(work.volume_title, italic=True)) if title else _text(work.volume_title, italic=True)
    details = _details(work) if standalone else []
    if details:
        title = (*title, Run(f" ({'; '.join(details)})"))
    description = _description(work)
    if description:
        title = (*title, Run(f" [{description}]"))
    return title


def _details(work: Work) -> list[str]:
    """What APA puts in parentheses after a title: editors and translators of an authored work,
    edition, volume, report number."""
    details = []
    editors = work.editor if work.author else ()
    if editors and editors == work.translator:  # APA 10.2: "(K. P. Bland, Ed. & Trans.)"
        details.append(f"{name_list(editors, initials_first=True)}, {'Eds.' if _people(editors) > 1 else 'Ed.'} & Trans.")
    else:
        if editors:
            details.append(f"{name_list(editors, initials_first=True)}, {'Eds.' if _people(editors) > 1 else 'Ed.'}")
        if work.translator:
            details.append(f"{name_list(work.translator, initials_first=True)}, Trans.")
    numbers = [edition for edition in [edition_text(work.edition)] if edition]
    if work.version:
        numbers.append(f"Version {work.version}")
    if work.volume and work.kind not in PART_OF_A_WHOLE:
        numbers.append(f"{'Vols.' if '-' in work.volume or '–' in work.volume else 'Vol.'} {work.volume.replace('-', '–')}")
    elif work.number_of_volumes:
        numbers.append(f"Vols. 1–{work.number_of_volumes}")
    if work.number and work.kind == "report":
        numbers.append(f"{capitalise_first(work.genre) if work.genre else 'Report'} No. {work.number}")
    elif work.number and work.kind == "patent":
        numbers.append(f"{work.jurisdiction + ' ' if work.jurisdiction else ''}Patent No. {work.number}")
    if numbers:
        details.append(", ".join(numbers))
    return details


def edition_text(edition: str) -> str:
    """APA's edition: "2" is "2nd ed.", "second edition" and "2nd ed." stay as they say."""
    edition = edition.strip()
    if not edition or edition in ("1", "1st"):
        return ""
    if re.fullmatch(r"[0-9]{1,4}", edition):
        return f"{ordinal(edition)} ed."
    lowered = edition.lower()
    for long, short in (("edition", "ed."), ("revised", "Rev.")):
        lowered = lowered.replace(long, short)
    edition = lowered[0].upper() + lowered[1:] if edition[0].isupper() else lowered
    return edition if edition.endswith("ed.") else f"{edition} ed."


def _description(work: Work) -> str:
    """The bracketed description: "[Doctoral dissertation, X University]", "[Computer software]"."""
    if work.kind == "thesis":
        genre = work.genre or "Thesis"
        if not published(work):  # APA 10.6: "[Unpublished doctoral dissertation]. Institution."
            return f"Unpublished {genre[0].lower()}{genre[1:]}"
        return f"{genre}, {_plain(work.publisher)}" if work.publisher else genre
    if work.kind in ("report", "patent"):
        return ""
    if work.genre:
        return work.genre[0].upper() + work.genre[1:]
    if work.medium:
        return work.medium[0].upper() + work.medium[1:]
    return DESCRIPTIONS.get(work.kind, "")


def published(work: Work) -> bool:
    """Whether a thesis is published, as APA 10.6 tells the two apart: found in an archive or
    database (a DOI or URL), or issued as a book (an ISBN, a series). Nothing else is assumed."""
    return bool(work.doi or work.url or work.isbn or work.collection_title or work.medium)


def _plain(markup: str) -> str:
    return "".join(run.text for run in runs(markup))


def _source(work: Work) -> Elements:
    """Where the work is found: the journal and its numbers, the edited book, the publisher."""
    kind = work.kind
    if kind.startswith("article") or kind in ("review", "review-book"):
        return [_periodical(work)]
    if kind in ("chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary", "entry"):
        return [_in_book(work), *([(Run(_plain(work.publisher)),)] if work.publisher else [])]
    if kind == "thesis":  # the institution is in a published thesis's description, after an unpublished one's
        return [] if published(work) or not work.publisher else [(Run(_plain(work.publisher)),)]
    if kind == "patent":  # as in APA 7's patent example: the office that issued it stands as the publisher
        return [(Run(work.authority),)] if work.authority else []
    if kind in ("webpage", "document") and (kind == "webpage" or work.container_title):
        site = _text(work.container_title) or ((Run(_plain(work.publisher)),) if work.publisher else ())
        return [site] if site and _plain(work.container_title or work.publisher) != _author_text(work) else []
    publisher = _plain(work.publisher)
    if publisher and publisher != _author_text(work):  # APA 9.29: a publisher that is the author is not repeated
        return [(Run(publisher),)]
    return []


def _author_text(work: Work) -> str:
    return name_list(work.author) if work.author else ""


def _periodical(work: Work) -> tuple[Run, ...]:
    """"Journal Title, 3(2), 77–101" with the title and volume italic; "Article 12" for an article number."""
    parts: list[Run] = list(_text(work.container_title, italic=True))
    if work.volume:
        parts += [Run(", "), Run(work.volume, italic=True)] if parts else [Run(work.volume, italic=True)]
    if work.issue:
        parts.append(Run(f"({work.issue})"))
    if work.page:
        parts.append(Run(f", {_pages(work.page)}" if parts else _pages(work.page)))
    elif work.number:
        parts.append(Run(f", Article {work.number}" if parts else f"Article {work.number}"))
    return tuple(parts)


def _in_book(work: Work) -> tuple[Run, ...]:
    """"In E. Editor & F. Editor (Eds.), Book title (2nd ed., Vol. 2, pp. 55–65)"."""
    parts: list[Run] = [Run("In ")]
    if work.editor:
        role = "Eds." if _people(work.editor) > 1 else "Ed."
        parts.append(Run(f"{name_list(work.editor, initials_first=True)} ({role}), "))
    elif work.container_author:
        parts.append(Run(f"{name_list(work.container_author, initials_first=True)}, "))
    container = _text(work.container_title, italic=True)
    if work.volume_title:
        volume = _text(work.volume_title, italic=True)
        container = (*container, Run(": ", italic=True), *volume) if container else volume
    parts.extend(container)
    numbers = [edition for edition in [edition_text(work.edition)] if edition]
    if work.translator:
        numbers.insert(0, f"{name_list(work.translator, initials_first=True)}, Trans.")
    if work.volume:
        numbers.append(f"Vol. {work.volume}")
    if work.page:
        numbers.append(f"{'pp.' if any(dash in work.page for dash in '-–,') else 'p.'} {_pages(work.page)}")
    if numbers:
        parts.append(Run(f" ({', '.join(numbers)})"))
    if len(parts) == 1:
        return ()
    return tuple(parts)


def _pages(pages: str) -> str:
    return pages.replace("--", "–").replace("-", "–")


def _link(work: Work) -> tuple[Run, ...]:
    """The DOI as an address, else the URL; a web page's retrieval date before it, when given."""
    url = entry_link({"doi": work.doi, "url": work.url})
    if not url:
        return ()
    # APA 9.34: shown as written ("https://doi.org/10.1002/(SICI)...<377::AID>..."); the link's address is the encoded one
    link = Run(DOI_RESOLVER + bare_doi(work.doi) if work.doi else work.url.strip(), href=url)
    if work.accessed and not work.issued and work.kind in ("webpage", "post", "post-weblog", "document") and not work.doi:
        # APA 9.16: a retrieval date for an undated page whose content changes
        accessed = work.accessed
        when = f"{_month_day(accessed)}, {accessed.year}" if accessed.month else accessed.year
        return (Run(f"Retrieved {when}, from "), link)
    return (link,)

"""biblatex's data model, read into the engine's :class:`~.model.Work`.

Classic BibTeX is read through biblatex's compatibility mappings (``journal`` is ``journaltitle``,
``school`` is ``institution``, ``@phdthesis`` is ``@thesis`` of type ``phdthesis``, ``year`` and
``month`` make the ``date``...: biblatex manual §2.2.5 and §2.3). The fields become CSL's variables
as pandoc's citeproc maps them (pandoc's ``Text.Pandoc.Citeproc.BibTeX``), the reference
implementation this engine's output is compared with; where APA 7 wants otherwise (a thesis's
description, a particle kept with the surname), the module says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..urls import UnsafeURL, eprint_url
from .latex import latex_markup, latex_text
from .model import Date, Name, Work
from .names import UnreadableName, read_names
from .richtext import ordinal, plain, sentence_case, text_markup

FIELD_ALIASES = {"journal": "journaltitle", "address": "location", "school": "institution", "annote": "annotation",
                 "archiveprefix": "eprinttype", "primaryclass": "eprintclass", "key": "sortkey", "pdf": "file"}
TYPE_ALIASES = {"conference": "inproceedings", "electronic": "online", "www": "online"}
THESIS_TYPES = {"phdthesis": "phdthesis", "mastersthesis": "mathesis"}
CSL_TYPES = {
    "article": "article-journal", "periodical": "article-journal", "suppperiodical": "article-journal",
    "book": "book", "bookinbook": "book", "collection": "book", "mvbook": "book", "mvcollection": "book", "manual": "book",
    "proceedings": "book", "mvproceedings": "book", "reference": "book", "mvreference": "book", "commentary": "book",
    "booklet": "pamphlet", "dataset": "dataset", "data": "dataset", "inbook": "chapter", "incollection": "chapter",
    "suppbook": "chapter", "suppcollection": "chapter", "inreference": "entry-encyclopedia", "inproceedings": "paper-conference",
    "online": "webpage", "patent": "patent", "report": "report", "techreport": "report", "software": "software",
    "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis", "artwork": "graphic", "image": "graphic",
    "audio": "song", "music": "song", "movie": "motion_picture", "video": "motion_picture", "letter": "personal_communication",
    "legislation": "legislation", "jurisdiction": "legal_case", "review": "review", "standard": "standard",
    "performance": "speech", "misc": "document", "unpublished": "manuscript", "set": "set",
}
CHAPTER_LIKE = frozenset({"inbook", "incollection", "inproceedings", "inreference", "bookinbook", "suppbook", "suppcollection"})
ARTICLE_LIKE = frozenset({"article", "periodical", "suppperiodical", "review"})
IN_A_BOOK = frozenset({"book", "collection", "proceedings", "reference", "mvbook", "mvcollection", "mvproceedings",
                       "mvreference", "bookinbook", "inbook", "incollection", "inproceedings", "inreference", "suppbook",
                       "suppcollection"})
# biblatex's localisation keys as they stand in ``type`` and ``pubstate``, in the words APA 7 uses.
GENRES = {"phdthesis": "Doctoral dissertation", "mathesis": "Master’s thesis", "candthesis": "Candidate thesis",
          "techreport": "", "resreport": "Research report", "software": "Computer software", "datacd": "Data set",
          "audiocd": "Audio CD", "patent": "", "patentus": "", "patentde": "", "patenteu": "", "patentfr": "", "patentuk": ""}
PUBSTATES = {"inpress": "in press", "forthcoming": "forthcoming", "submitted": "submitted", "inpreparation": "in preparation",
             "prepublished": "prepublished"}
# biblatex's country keys, as a patent's ``location`` gives them.
COUNTRIES = {"countryde": "German", "countryeu": "European", "countryep": "European", "countryfr": "French",
             "countryuk": "U.K.", "countryus": "U.S.", "countryjp": "Japanese", "countryca": "Canadian", "countrywo": "WIPO"}
ENGLISH = frozenset({"english", "american", "british", "canadian", "australian", "newzealand", "usenglish", "ukenglish",
                     "en", "en-us", "en-gb"})
MONTHS_OF_A_YEAR = range(1, 13)
DAYS_OF_A_MONTH = range(1, 32)
MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"), ("jul", "july"),
     ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1)
    for name in names}
# Fields of the source the APA formatter reads (after the aliases above): any other is kept in the
# file, and the check says it is not shown. Zotero's own (``file``, ``keywords``...) among them.
USED_FIELDS = frozenset({
    "author", "editor", "translator", "bookauthor", "director", "editortype", "date", "year", "month", "day", "origdate",
    "origyear", "urldate", "eventdate", "title", "subtitle", "titleaddon", "maintitle", "mainsubtitle", "maintitleaddon",
    "booktitle", "booksubtitle", "booktitleaddon", "journaltitle", "journalsubtitle", "issuetitle", "series", "number",
    "issue", "volume", "volumes", "part", "pages", "edition", "version", "type", "entrysubtype", "publisher", "institution",
    "organization", "howpublished", "location", "venue", "eventtitle", "pubstate", "doi", "url", "eprint", "eprinttype",
    "isbn", "issn", "langid", "language", "hyphenation", "options", "crossref", "xdata", "entryset", "shorttitle", "note",
    "addendum", "confidence", "annotation",
})
_RANGE_END = re.compile(r"/(-?[0-9]{1,4})")
_YEAR = re.compile(r"-?[0-9]{1,4}")
_MONTH_OR_DAY = re.compile(r"[0-9]{1,2}")
_AND = re.compile(r"\s+and\s+")
_ESCAPED = re.compile(r"\\([_%&#$~{}])")
_ISO_DATE = re.compile(r"^\s*(-?[0-9]{1,4})(?:-([0-9]{1,2}))?(?:-([0-9]{1,2}))?(?![0-9])")


def biblatex_fields(entry_type: str, fields: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """An entry's type and fields under biblatex's names (BibTeX's compatibility mappings applied)."""
    kind = TYPE_ALIASES.get(entry_type.lower(), entry_type.lower())
    named: dict[str, str] = {}
    for name, value in fields.items():  # biblatex's own name wins over its BibTeX alias, whichever comes first
        lower = name.lower()
        if lower in FIELD_ALIASES:
            named.setdefault(FIELD_ALIASES[lower], value)
        else:
            named[lower] = value
    if kind in THESIS_TYPES:
        named.setdefault("type", THESIS_TYPES[kind])
    elif kind == "techreport":
        named.setdefault("type", "techreport")
    return kind, named


def inherit(kind: str, fields: dict[str, str], parent_kind: str, parent: Mapping[str, str]) -> dict[str, str]:
    """``crossref``/``xdata``: the parent's fields the child lacks, renamed as biblatex's
    inheritance rules name them (manual appendix B: a book's title is a chapter's booktitle)."""
    inherited = dict(fields)
    for name, value in parent.items():
        for target in _inherited_names(parent_kind, kind, name):
            inherited.setdefault(target, value)
    return inherited


def _inherited_names(source: str, target: str, name: str) -> list[str]:
    """biblatex's inheritance rules (manual appendix B), and one it leaves out that BibTeX users
    write all the time: a @book as the parent of an @incollection or @inproceedings."""
    if name in {"ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options", "presort", "related",
                "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro", "sortkey", "xdata"}:
        return []
    if name == "author" and source in ("mvbook", "book") and target in ("inbook", "bookinbook", "suppbook"):
        return ["bookauthor", "author"]
    renames: dict[str, str] = {}
    if (source == "mvbook" and target in ("book", "inbook", "bookinbook", "suppbook")) or (
            source in ("mvcollection", "mvreference") and target in ("collection", "reference", "incollection", "inreference",
                                                                     "suppcollection")) or (
            source == "mvproceedings" and target in ("proceedings", "inproceedings")):
        renames = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon"}
    elif (source == "book" and target in ("inbook", "bookinbook", "suppbook", "incollection", "inproceedings")) or (
            source in ("collection", "reference") and target in ("incollection", "inreference", "suppcollection")) or (
            source == "proceedings" and target == "inproceedings"):
        renames = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
    elif source == "periodical" and target in ("article", "suppperiodical"):
        renames = {"title": "journaltitle", "subtitle": "journalsubtitle"}
    if name in ("shorttitle", "sorttitle", "indextitle", "indexsorttitle") and renames:
        return []
    return [renames.get(name, name)]


def options(fields: Mapping[str, str]) -> dict[str, str]:
    """biblatex's per-entry ``options = {useprefix=false, ...}``."""
    found = {}
    for option in plain(latex_markup(fields.get("options", ""))).split(","):
        name, _, value = option.partition("=")
        if name.strip():
            found[name.strip().lower()] = value.strip().lower() or "true"
    return found


def is_english(fields: Mapping[str, str]) -> bool:
    """Whether titles are English (then written in title case in BibTeX, and sentence-cased for
    APA); a title in another language keeps its capitals (German nouns)."""
    language = latex_text(fields.get("langid") or fields.get("hyphenation") or fields.get("language") or "english")
    return language.strip().lower().split(",")[0].strip() in ENGLISH


def work_from_fields(entry_type: str, raw: Mapping[str, str]) -> Work:
    """The work an entry describes, its fields read as biblatex reads them (aliases applied, LaTeX
    decoded, names split), for APA 7."""
    kind, fields = biblatex_fields(entry_type, raw)
    chosen = options(fields)
    useprefix = chosen.get("useprefix", "true") != "false"
    english = is_english(fields)

    def text(name: str) -> str:
        value = fields.get(name)
        return latex_markup(value) if value else ""

    def title(*names: str) -> str:
        """Title, subtitle and addition, each in sentence case when English (each begins with a capital)."""
        parts = [text(name) for name in names]
        if not any(parts):  # most entries have no subtitle, series, booktitle...
            return ""
        return _joined(*(sentence_case(part) if english and part else part for part in (*parts, "", "")[:3]))

    def names(name: str) -> tuple[Name, ...]:
        if not fields.get(name):
            return ()
        try:
            found = read_names(fields[name], useprefix)
            return found if any(not person.is_others for person in found) else ()  # "others" alone names nobody
        except UnreadableName as error:
            raise UnreadableField(name, str(error)) from None

    chapter_like = kind in CHAPTER_LIKE
    has_main = "maintitle" in fields
    editors = names("editor")
    editor_role = latex_text(fields.get("editortype", "")).strip().lower()
    number = plain(text("number"))
    issue = plain(text("issue"))
    genre_key = latex_text(fields.get("type", "")).strip()
    genre = GENRES.get(genre_key.lower(), genre_key) if genre_key else ""
    return Work(
        kind=_csl_type(kind, fields),
        author=names("author"),
        editor=() if editor_role == "director" else editors,
        director=editors if editor_role == "director" else names("director"),
        translator=names("translator"),
        container_author=names("bookauthor"),
        issued=_date(fields, "date", ""),
        original_date=_date(fields, "origdate", "orig") or _bracketed_original(fields),
        accessed=_date(fields, "urldate", "url"),
        title=(title("maintitle", "mainsubtitle", "maintitleaddon") if has_main and not chapter_like
               else title("title", "subtitle", "titleaddon")),
        title_short=title("shorttitle"),
        volume_title=(title("title", "subtitle", "titleaddon") if has_main and not chapter_like
                      else title("booktitle", "booksubtitle", "booktitleaddon") if has_main else ""),
        container_title=(title("maintitle", "mainsubtitle", "maintitleaddon") if chapter_like and has_main
                         else title("booktitle", "booksubtitle", "booktitleaddon") if chapter_like
                         else _journal(_joined(text("journaltitle"), text("journalsubtitle"), "")
                                       or (text("title") if kind == "periodical" else ""),
                                       plain(text("series")) if kind in ARTICLE_LIKE else "")),
        collection_title=title("series") if kind not in ARTICLE_LIKE else "",
        collection_number=number if kind in IN_A_BOOK else "",
        event=text("eventtitle"),
        genre=genre,
        volume=_volume(plain(text("volume")), plain(text("part"))),
        number_of_volumes=plain(text("volumes")),
        issue=(", ".join(part for part in (number, issue) if part) if kind in ARTICLE_LIKE else ""),
        number=number if kind not in IN_A_BOOK and kind not in ARTICLE_LIKE else "",
        page=plain(text("pages")).replace("--", "–"),
        edition=plain(text("edition")),
        version=plain(text("version")),
        publisher="; ".join(part for name in ("institution", "organization", "howpublished", "publisher")
                            for part in _listed(text(name))),  # APA 9.29: several publishers, separated by semicolons
        publisher_place=plain(text("location")) if kind != "patent" else "",
        jurisdiction=_jurisdiction(kind, genre_key, plain(text("location"))),
        event_place=plain(text("venue")),
        status=PUBSTATES.get(plain(text("pubstate")).lower(), plain(text("pubstate"))),
        doi=verbatim(fields.get("doi", "")) if chosen.get("doi") != "false" else "",
        url=_url(fields, chosen, kind),
        isbn=verbatim(fields.get("isbn", "")),
        issn=verbatim(fields.get("issn", "")),
        language=latex_text(fields.get("langid") or fields.get("language") or ""),
        note=_joined(text("note"), "", text("addendum")),
        members=tuple(key.strip() for key in latex_text(fields.get("entryset", "")).split(",") if key.strip()),
    )


def _csl_type(kind: str, fields: Mapping[str, str]) -> str:
    subtype = latex_text(fields.get("entrysubtype", "")).strip().lower()
    if kind in ARTICLE_LIKE - {"review"} and subtype in ("magazine", "newspaper"):
        return f"article-{subtype}"
    if kind == "unpublished" and any(name in fields for name in ("eventdate", "eventtitle", "venue")):
        return "speech"
    return CSL_TYPES.get(kind, "document")


def _jurisdiction(kind: str, genre: str, location: str) -> str:
    """A patent's country, from biblatex's ``type = {patentus}`` or ``location = {countryus}``."""
    if kind != "patent":
        return ""
    if genre.lower().startswith("patent") and genre[6:]:
        return COUNTRIES.get(f"country{genre[6:].lower()}", genre[6:].upper())
    return "; ".join(COUNTRIES.get(place.strip().lower(), place.strip()) for place in location.split(" and ") if place.strip())


def _listed(markup: str) -> list[str]:
    """A biblatex list ("A and B") as its items."""
    return [part.strip() for part in _AND.split(markup) if part.strip()] if markup else []


SERIES = {"newseries": "New Series", "oldseries": "Old Series", "newser": "New Series", "oldser": "Old Series"}  # biblatex's keys


def _journal(title: str, series: str) -> str:
    """A journal's title with its series, as pandoc gives it: "American Anthropologist, New
    Series"; biblatex writes a numbered series as a number ("3" is "3rd Series")."""
    if not title or not series:
        return title
    if series.isdigit():
        series = f"{ordinal(series)} Series"
    return f"{title}, {text_markup(SERIES.get(series.lower(), series))}"


def _joined(title: str, subtitle: str, addon: str) -> str:
    """Title, subtitle and title addition as pandoc joins them: "Title: Subtitle. Addition"."""
    joined = title
    for part, separator in ((subtitle, ":"), (addon, ".")):
        if part:
            joined = f"{joined} {part}" if not joined or plain(joined).rstrip()[-1:] in "!?.,:;" else f"{joined}{separator} {part}"
    return joined.strip()


def _volume(volume: str, part: str) -> str:
    return f"{volume}.{part}" if volume and part else volume or part


def _date(fields: Mapping[str, str], name: str, prefix: str) -> Date:
    """biblatex's ISO 8601 ``date`` (a range is cited by its start), or BibTeX's ``year``,
    ``month`` and ``day``; a year that is not a number ("in press") is kept as words. A month or
    day that is none raises :class:`UnreadableField`."""
    written = latex_text(fields.get(name, "")).replace("\u00a0", "~").strip()
    if written:
        match = _ISO_DATE.match(written)
        if match is None:
            return Date(literal=written)
        year, month, day = match.groups()
        end = _RANGE_END.match(written, match.end())  # "1984/1986": a range, cited by both years
        return Date(year.lstrip("0") or "0" if year.startswith("-") else year,
                    _number(name, month, MONTHS_OF_A_YEAR, written), _number(name, day, DAYS_OF_A_MONTH, written),
                    end_year=end.group(1) if end and end.group(1) != year else "")
    year = latex_text(fields.get(f"{prefix}year", "")).strip()
    if not year:
        return Date()
    if not prefix and (bracketed := _BRACKETED_YEAR.match(year)):
        year = bracketed.group(2)
    month_written = latex_text(fields.get(f"{prefix}month", "")).strip()
    month = MONTHS.get(month_written.lower().rstrip(".")) or _number(f"{prefix}month", month_written, MONTHS_OF_A_YEAR, month_written)
    day_written = latex_text(fields.get(f"{prefix}day", "")).strip()
    day = _number(f"{prefix}day", day_written, DAYS_OF_A_MONTH, day_written)
    year_digits = year.replace("–", "-").replace("—", "-")
    if _YEAR.fullmatch(year_digits):
        return Date(year_digits, month, day)
    return Date(literal=year)


def _number(field: str, written: str | None, allowed: range, shown: str) -> int:
    """A month or day as a number: 0 when not given; UnreadableField when not one of ``allowed``."""
    if not written:
        return 0
    if _MONTH_OR_DAY.fullmatch(written) and int(written) in allowed:
        return int(written)
    raise UnreadableField(field, f"'{shown[:40]}' is not a date (a month is 1 to 12 or jan to dec, a day 1 to 31)")


class UnreadableField(ValueError):
    """A field that cannot be read as what it is (a name, a date): ``args`` are (field, reason)."""


_BRACKETED_YEAR = re.compile(r"^\s*\[(\d{1,4})\]\s*(\d{1,4})\s*$")


def _bracketed_original(fields: Mapping[str, str]) -> Date:
    """Better BibTeX's BibTeX export writes a republished work's year as ``[1959] 1997``."""
    match = _BRACKETED_YEAR.match(latex_text(fields.get("year", "")))
    return Date(match.group(1)) if match else Date()


def _url(fields: Mapping[str, str], chosen: Mapping[str, str], kind: str) -> str:
    """The ``url``, else a link made from an ``eprint`` of a known type (arXiv, JSTOR, PubMed, handle)."""
    if fields.get("url") and (kind == "online" or chosen.get("url") != "false"):
        return verbatim(fields["url"])
    if fields.get("eprint"):
        try:
            return eprint_url(verbatim(fields["eprint"]), verbatim(fields.get("eprinttype", ""))) or ""
        except UnsafeURL:
            return ""
    return ""

def verbatim(value: str) -> str:
    """A value that is not LaTeX text (an address, a DOI, an ISBN): braces and the escapes of
    LaTeX's special characters removed, nothing else changed ("--" and "~" stay)."""
    if not value:
        return ""
    return _ESCAPED.sub(r"\1", value.replace("{", "").replace("}", "") if "\\{" not in value else value).strip()

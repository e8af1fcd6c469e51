"""Pandoc's citation syntax: find citations in Markdown and parse them into the model.

The same patterns serve the Markdown extension (which sees text with code and links already set
aside) and the source check (which masks code and links itself), so both agree on what is a
citation.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..markup import mask_code_and_links
from ..model import Citation, CitationItem, Location

# Pandoc: a key starts with a letter, digit or _, and may hold internal punctuation :.#$%&-+?<>~/
KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
BRACKETED = re.compile(r"\[(?P<body>[^\[\]]*?(?<![\w\\])-?@" + KEY + r"[^\[\]]*)\](?![(\[:])")
NARRATIVE = re.compile(r"(?<![\w@\\\]/:.=])@(?P<key>" + KEY + r")(?:[ \t]?\[(?P<locator>[^\[\]@]+)\](?![(\[:]))?")
_ITEM = re.compile(r"^(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>" + KEY + r")(?P<rest>.*)$", re.DOTALL)

_LOCATOR_TERMS = {
    "p": "p.", "p.": "p.", "page": "p.", "pp": "pp.", "pp.": "pp.", "pages": "pp.",
    "chap": "chap.", "chap.": "chap.", "chapter": "chap.", "sec": "sec.", "sec.": "sec.", "section": "sec.",
    "para": "para.", "para.": "para.", "paragraph": "para.",
}


class CitationSyntaxError(ValueError):
    """A bracket that looks like a citation but is not one pandoc would accept."""


def parse_bracketed(body: str, location: Location | None = None) -> Citation:
    """Parse the inside of ``[...]``: items separated by semicolons."""
    items = []
    for chunk in body.split(";"):
        match = _ITEM.match(chunk.strip())
        if not match:
            raise CitationSyntaxError(f"'{chunk.strip()}' in a citation has no @key")
        rest = match["rest"].strip()
        if rest.startswith(","):
            rest = rest[1:].strip()
        items.append(
            CitationItem(
                key=match["key"],
                prefix=match["prefix"].strip(),
                locator=normalise_locator(rest),
                suppress_author=bool(match["suppress"]),
            )
        )
    return Citation(tuple(items), narrative=False, location=location)


def parse_narrative(key: str, locator: str | None, location: Location | None = None) -> Citation:
    return Citation((CitationItem(key=key, locator=normalise_locator(locator or "")),), narrative=True, location=location)


def normalise_locator(text: str) -> str:
    """APA's abbreviations (p., pp., chap.) and an en dash in ranges: ``pages 33-35`` -> ``pp. 33–35``."""
    text = " ".join(text.split())
    if not text:
        return ""
    term, _, rest = text.partition(" ")
    abbreviation = _LOCATOR_TERMS.get(term.lower())
    if abbreviation and rest:
        text = f"{abbreviation} {rest}"
    return re.sub(r"(?<=\d)\s*(?:-{1,2}|–)\s*(?=\d)", "–", text)


@dataclass(frozen=True)
class FoundCitation:
    """A citation found in raw Markdown, with the line it starts on."""

    citation: Citation | None
    path: str
    line: int
    offset: int
    error: str = ""


def find_citations(markdown: str, path: str, first_line: int = 1) -> list[FoundCitation]:
    """Every citation in ``markdown`` (whose first line is ``first_line`` of ``path``)."""
    if "@" not in markdown:
        return []
    masked = mask_code_and_links(markdown)
    found: list[FoundCitation] = []
    taken: list[tuple[int, int]] = []

    newlines = [match.start() for match in re.finditer("\n", masked)]

    def line_at(offset: int) -> int:
        return first_line + bisect_left(newlines, offset)

    for match in BRACKETED.finditer(masked):
        taken.append(match.span())
        location = Location(path, line_at(match.start()))
        try:
            found.append(FoundCitation(parse_bracketed(match["body"], location), path, location.line, match.start()))
        except CitationSyntaxError as error:
            found.append(FoundCitation(None, path, location.line, match.start(), str(error)))
    starts = [start for start, _ in taken]
    for match in NARRATIVE.finditer(masked):
        inside = bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < taken[inside][1]:
            continue  # the @key of a bracketed citation, already found
        location = Location(path, line_at(match.start()))
        found.append(FoundCitation(parse_narrative(match["key"], match["locator"], location), path, location.line, match.start()))
    return sorted(found, key=lambda item: item.offset)

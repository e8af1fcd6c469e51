"""Pandoc's citation syntax: find citations in Markdown and parse them into the model.

The same patterns serve the Markdown extension (which sees text with code and links already set
aside) and the source check (which masks code and links itself), so both agree on what is a
citation.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..kept import Kept
from ..locations import Location
from ..markup import mask_code_and_links
from ..problems import excerpt
from .model import Citation, CitationItem

# Pandoc: a key starts with a letter, digit or _, and may hold internal punctuation :.#$%&-+?<>~/
KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
# The key is matched atomically and the rest of the bracket possessively: once a bracket is found
# not to close, no other split of its text is tried (which took quadratic time on a long one).
BRACKETED = re.compile(r"\[(?P<body>[^\[\]@]*+(?:@[^\[\]@]*+)*?(?<![\w\\])-?@(?>" + KEY + r")[^\[\]]*+)\](?![(\[:])")
NARRATIVE = re.compile(r"(?<![\w@\\\]/:.=])@(?P<key>" + KEY + r")(?:[ \t]?\[(?P<locator>[^\[\]@]+)\](?![(\[:]))?")
KEPT_TEXT = 1_000_000  # characters: the longest text whose citations are kept (longer ones: a page made for a large study)
MAX_KEPT = 4096  # texts whose citations are kept; each save in the live preview makes new pages
_ITEM = re.compile(r"^(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>" + KEY + r")(?P<rest>.*)$", re.DOTALL)

_LOCATOR_TERMS = {
    "p": "p.", "p.": "p.", "page": "p.", "pp": "pp.", "pp.": "pp.", "pages": "pp.",
    "chap": "chap.", "chap.": "chap.", "chapter": "chap.", "sec": "sec.", "sec.": "sec.", "section": "sec.",
    "para": "para.", "para.": "para.", "paragraph": "para.",
}


class CitationSyntaxError(ValueError):
    """A bracket that looks like a citation but is not one pandoc would accept."""


@lru_cache(maxsize=4096)  # the source check and the Markdown extension read the same citations
def parse_bracketed(body: str, location: Location | None = None) -> Citation:
    """Parse the inside of ``[...]``: items separated by semicolons."""
    items = []
    for chunk in body.split(";"):
        match = _ITEM.match(chunk.strip())
        if not match:
            raise CitationSyntaxError(f"'{excerpt(chunk.strip())}' in a citation has no @key")
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


@dataclass(frozen=True, slots=True)
class FoundCitation:
    """A citation found in raw Markdown, with the line it starts on."""

    citation: Citation | None
    path: str
    line: int
    offset: int
    error: str = ""


def find_citations(markdown: str, path: str, first_line: int = 1) -> list[FoundCitation]:
    """Every citation in ``markdown`` (whose first line is ``first_line`` of ``path``)."""
    found = []
    for offset, line, citation, error in _citations_in(markdown):
        location = Location(path, first_line + line)
        located = Citation(citation.items, citation.narrative, location) if citation is not None else None
        found.append(FoundCitation(located, path, location.line, offset, error))
    return found


def cited_keys(markdown: str) -> list[str]:
    """The key of every work cited in ``markdown``, in document order (a key as often as it is cited)."""
    found = _citations_in(markdown)
    return [item.key for _, _, citation, _ in found if citation for item in citation.items]


_KEPT: Kept[bytes, tuple[tuple[int, int, Citation | None, str], ...]] = Kept(MAX_KEPT)


def _citations_in(markdown: str) -> tuple[tuple[int, int, Citation | None, str], ...]:
    """(offset, line index, citation or None, syntax error) of each citation, in document order.

    Kept by the text's digest (the text itself is not held): the source check and the citation
    index read the same pages in one build, and the live preview the same sources at each save.
    """
    if "@" not in markdown:
        return ()
    if len(markdown) > KEPT_TEXT:
        return _read_citations(markdown)
    return _KEPT.get(hashlib.blake2b(markdown.encode()).digest(), lambda: _read_citations(markdown))


def _read_citations(markdown: str) -> tuple[tuple[int, int, Citation | None, str], ...]:
    masked = mask_code_and_links(markdown)
    found: list[tuple[int, int, Citation | None, str]] = []
    taken: list[tuple[int, int]] = []
    newlines = [match.start() for match in re.finditer("\n", masked)]
    for match in BRACKETED.finditer(masked):
        taken.append(match.span())
        line = bisect_left(newlines, match.start())
        try:
            found.append((match.start(), line, parse_bracketed(match["body"]), ""))
        except CitationSyntaxError as error:
            found.append((match.start(), line, None, str(error)))
    starts = [start for start, _ in taken]
    for match in NARRATIVE.finditer(masked):
        inside = bisect_right(starts, match.start()) - 1
        if inside >= 0 and match.start() < taken[inside][1]:
            continue  # the @key of a bracketed citation, already found
        found.append((match.start(), bisect_left(newlines, match.start()), parse_narrative(match["key"], match["locator"]), ""))
    return tuple(sorted(found, key=lambda item: item[0]))

"""Text with the little formatting a reference's fields may hold: the markup CSL-JSON uses.

A field's value is kept as a string of CSL's "rich text" subset: ``<i>``, ``<b>``, ``<sup>``,
``<sub>``, ``<span class="nocase">`` (case kept as written) and small capitals; ``&``, ``<`` and
``>`` of the text itself are written as entities. BibTeX's LaTeX is turned into it (:mod:`.latex`)
and CSL-JSON's is read as it is, so that the APA formatter sees one form whatever the file was.
It is never written into a page as it is: :func:`runs` reads it into plain strings with styles,
which the templates escape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from html import escape, unescape
from typing import Any

_TAGS = {
    "<i>": "italic", "<em>": "italic", "<b>": "bold", "<strong>": "bold", "<sup>": "sup", "<sub>": "sub",
    '<span class="nocase">': "nocase", '<span style="font-variant:small-caps;">': "smallcaps",
    '<span style="font-variant: small-caps;">': "smallcaps",
}
_CLOSING = {"</i>": "italic", "</em>": "italic", "</b>": "bold", "</strong>": "bold", "</sup>": "sup", "</sub>": "sub"}
_MARKUP = re.compile("(" + "|".join(re.escape(tag) for tag in [*_TAGS, *_CLOSING, "</span>"]) + ")")
_WORD = re.compile(r"[^\s\-–—/]+")
_LOWER_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]*(?:-[A-Za-zÀ-ÖØ-öø-ÿ]+)*")  # "Capitalised", not "NASA" or "iPhone"
_SENTENCE_END = (":", "?", "!")



@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text in one style; ``href`` makes it a link."""

    text: str
    italic: bool = False
    bold: bool = False
    nocase: bool = False
    smallcaps: bool = False
    sup: bool = False
    sub: bool = False
    href: str = ""


def text_markup(text: str) -> str:
    """Plain text as markup: nothing in it is formatting."""
    return escape(text, quote=False)


def csl_markup(value: str) -> str:
    """A CSL-JSON value as this markup: its formatting tags kept, anything else taken as text."""
    parts = _MARKUP.split(value)
    return "".join(part if index % 2 else escape(part, quote=False) for index, part in enumerate(parts))


@lru_cache(maxsize=4096)
def runs(markup: str) -> tuple[Run, ...]:
    """The markup read into runs of text; a tag left open closes at the end."""
    found: list[Run] = []
    style: dict[str, Any] = {}
    spans: list[str] = []  # which style each open <span> set
    for index, part in enumerate(_MARKUP.split(markup)):
        if index % 2 == 0:
            if part:
                found.append(Run(unescape(part), **style))
        elif part in _TAGS:
            name = _TAGS[part]
            style[name] = True
            if part.startswith("<span"):
                spans.append(name)
        elif part == "</span>":
            if spans:
                style.pop(spans.pop(), None)
        else:
            style.pop(_CLOSING[part], None)
    return tuple(found)


def plain(markup: str) -> str:
    """The text alone."""
    if "<" not in markup and "&" not in markup:  # no tag, no entity: the markup is its text (most fields)
        return markup
    return "".join(run.text for run in runs(markup))


def markup_of(parts: tuple[Run, ...]) -> str:
    """Runs written back as markup (links are not kept)."""
    written = []
    for run in parts:
        text = escape(run.text, quote=False)
        for name, (opening, closing) in (("nocase", ('<span class="nocase">', "</span>")),
                                         ("smallcaps", ('<span style="font-variant:small-caps;">', "</span>")),
                                         ("sup", ("<sup>", "</sup>")), ("sub", ("<sub>", "</sub>")),
                                         ("bold", ("<b>", "</b>")), ("italic", ("<i>", "</i>"))):
            if getattr(run, name):
                text = opening + text + closing
        written.append(text)
    return "".join(written)


def sentence_case(markup: str) -> str:
    """APA's sentence case for a title written in title case: a capitalised word becomes lower case
    unless it begins the title or follows a colon (or ends a sentence); words in other shapes
    ("NASA", "iPhone", "DNA-binding"), and text marked ``nocase`` (BibTeX's braces), are kept."""
    result: list[Run] = []
    starts = True
    for run in runs(markup):
        if run.nocase:
            result.append(run)
            starts = run.text.rstrip().endswith(_SENTENCE_END)
            continue
        text, pieces, position = run.text, [], 0
        for word in _WORD.finditer(text):
            pieces.append(text[position:word.start()])
            written = word.group()
            pieces.append(_sentence_cased(written, starts))
            starts = written.endswith(_SENTENCE_END)
            position = word.end()
        pieces.append(text[position:])
        changed = "".join(pieces)
        result.append(run if changed == text else replace(run, text=changed))
    return markup_of(tuple(result))


@lru_cache(maxsize=16384)  # the words of titles recur across a bibliography
def _sentence_cased(word: str, starts: bool) -> str:
    """One word of a title in sentence case: capitalised where it ``starts`` a sentence, else in
    lower case if it is capitalised (see :func:`sentence_case`)."""
    lead, core, trail = _punctuated(word)
    if starts and core:
        core = core[0].upper() + core[1:] if core[0].islower() and not _has_inner_capital(core) else core
    elif core and core[0].isupper() and _LOWER_WORD.fullmatch(core) and not _is_single_capital(core):
        core = core.lower()
    return lead + core + trail


def capitalise_first(markup: str) -> str:
    """The first letter in upper case (a title after a colon, a description in brackets)."""
    found = list(runs(markup))
    for index, run in enumerate(found):
        for position, char in enumerate(run.text):
            if char.isalpha():
                if not run.nocase:
                    found[index] = replace(run, text=run.text[:position] + char.upper() + run.text[position + 1:])
                return markup_of(tuple(found))
    return markup


def _punctuated(token: str) -> tuple[str, str, str]:
    """A token as its leading punctuation, its word and its trailing punctuation: "(Word)," ->
    "(", "Word", "),". Scanned from both ends, in linear time whatever the token."""
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return token[:start], token[start:end], token[end:]


def ordinal(number: str) -> str:
    """"1st", "2nd", "3rd", "4th", "11th", "22nd": an edition, a journal's series."""
    teen = number[-2:-1] == "1"
    return number + ("th" if teen else {"1": "st", "2": "nd", "3": "rd"}.get(number[-1:], "th"))


def _has_inner_capital(word: str) -> bool:
    return any(char.isupper() for char in word[1:])


def _is_single_capital(word: str) -> bool:
    """"I" and "A" as words: the pronoun keeps its capital (APA's sentence case keeps "I")."""
    return word in ("I", "I’m", "I'm", "I’ve", "I'd")

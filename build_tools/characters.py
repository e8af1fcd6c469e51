"""Characters no source may hold: those XML 1.0 forbids, which would make the study's XML export
(the REFI-QDA codebook) invalid, and which no editor shows."""

from __future__ import annotations

import re

from .problems import Problem

# XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def forbidden_characters(text: str, path: str, first_line: int = 1) -> list[Problem]:
    """An error at the line and column of each forbidden character in ``text``."""
    return [Problem.at(path, text, match.start(), f"the character U+{ord(match.group()):04X} cannot be published "
                       "(XML 1.0 forbids it, and the codebook export is XML): delete it", first_line) for match in FORBIDDEN.finditer(text)]


def has_forbidden(value: object) -> bool:
    """Whether a front-matter value (text, or lists and blocks of it) holds a forbidden character."""
    if isinstance(value, str):
        return FORBIDDEN.search(value) is not None
    if isinstance(value, dict):
        return any(has_forbidden(key) or has_forbidden(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_forbidden(item) for item in value)
    return False

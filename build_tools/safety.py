"""Content that could run in a reader's browser is refused, wherever it is written."""

from __future__ import annotations

import re

from .markup import mask_code
from .problems import Problem

_UNSAFE = (
    (re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|base|form|meta|link|style)\b", re.IGNORECASE), "HTML element <{0}> is not allowed in content"),
    (re.compile(r"<[a-zA-Z][^>]*?\s(on[a-zA-Z]+)\s*=", re.DOTALL), "event handler attribute '{0}=' is not allowed in content"),
    (re.compile(r"\b(javascript|vbscript|data)\s*:(?!\s)", re.IGNORECASE), "'{0}:' URLs are not allowed in content"),
)


def unsafe_content(text: str, path: str, first_line: int = 1) -> list[Problem]:
    """A problem for each piece of ``text`` that a browser would run; code samples are fine."""
    masked = mask_code(text)
    problems = []
    for pattern, message in _UNSAFE:
        for match in pattern.finditer(masked):
            line = first_line + masked.count("\n", 0, match.start())
            problems.append(Problem(path, line, message.format(match.group(1).lower())))
    return problems

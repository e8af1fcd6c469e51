"""What in a Markdown source is code or a link target, and where shortcodes stand.

Checks that scan raw Markdown (citations, unsafe HTML, shortcodes) must skip code and link
targets exactly as Python-Markdown does, so they share this masking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_LINK_TARGETS = re.compile(r"\]\([^)]*\)|<[^>\s]*[@:][^>\s]*>|\\@")
SHORTCODE = re.compile(r"^[ \t]*\{\{<\s*(?P<name>[\w-]+)(?P<args>[^>]*?)\s*>\}\}[ \t]*$", re.MULTILINE)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask_code(text: str) -> str:
    """Blank out fenced code and code spans, keeping every offset and newline."""
    if "`" not in text and "~~~" not in text:
        return text
    return _CODE_SPAN.sub(_blank, _FENCE.sub(_blank, text))


def mask_code_and_links(text: str) -> str:
    """Also blank link targets, autolinks and escaped ``\\@``: nothing there is a citation."""
    return _LINK_TARGETS.sub(_blank, mask_code(text))


@dataclass(frozen=True)
class Shortcode:
    """A ``{{< name args >}}`` line: Quarto's shortcode form, on a line of its own."""

    name: str
    args: tuple[str, ...]
    line: int


def find_shortcodes(markdown: str, first_line: int = 1) -> list[Shortcode]:
    masked = mask_code(markdown)
    return [
        Shortcode(match["name"], tuple(match["args"].split()), first_line + masked.count("\n", 0, match.start()))
        for match in SHORTCODE.finditer(masked)
    ]


_HEADING = re.compile(r"^(#{1,6})(\s+.*?)(\s+\{[^}]*\})?\s*$")


def _headings(markdown: str) -> list[tuple[int, int]]:
    """(line index, level) of every ATX heading outside fenced code."""
    masked = mask_code(markdown).split("\n")
    return [(index, len(match.group(1))) for index, line in enumerate(masked) if (match := _HEADING.match(line))]


def section(markdown: str, slug: str) -> str:
    """The part of ``markdown`` under the heading whose anchor is ``slug``, up to the next heading
    of the same or a higher level (heading included)."""
    from markdown.extensions.toc import slugify

    lines = markdown.split("\n")
    headings = _headings(markdown)
    for position, (index, level) in enumerate(headings):
        text = _HEADING.match(lines[index]).group(2).strip()
        if slugify(text, "-") == slug:
            end = next((other for other, other_level in headings[position + 1:] if other_level <= level), len(lines))
            return "\n".join(lines[index:end]).strip() + "\n"
    raise KeyError(slug)


def demote_headings(markdown: str, to_level: int) -> str:
    """Shift every heading so the highest one becomes ``to_level`` (an included page's H1 -> H2)."""
    lines = markdown.split("\n")
    headings = _headings(markdown)
    if not headings:
        return markdown
    shift = to_level - min(level for _, level in headings)
    for index, level in headings:
        lines[index] = "#" * min(6, level + shift) + lines[index].lstrip("#")
    return "\n".join(lines)

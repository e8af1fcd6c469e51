"""What in a Markdown source is code or a link target, and where shortcodes stand.

Checks that scan raw Markdown (citations, unsafe HTML, shortcodes) must skip code and link
targets exactly as Python-Markdown does, so they share this masking.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

# Python-Markdown's fenced_code: an opening fence at the start of a line, optionally followed by
# {attributes} or a language (and hl_lines); the block ends at the next line that is the same
# fence again. An opening fence with no end is no block at all.
_OPENING_FENCE = re.compile(r"(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*)?(?:hl_lines=(\"|')[^\n]*?\1[ ]*)?")
_CLOSING_FENCE = re.compile(r"(?P<fence>~{3,}|`{3,})[ ]*")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_LINK_TARGETS = re.compile(r"\]\([^)]*\)|<[^>\s]*[@:][^>\s]*>|\\@")
SHORTCODE = re.compile(r"^[ \t]*\{\{<\s*(?P<name>[\w-]+)(?P<args>[^>]*?)\s*>\}\}[ \t]*$", re.MULTILINE)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


@dataclass(frozen=True)
class Fences:
    """The fenced code blocks of a text, found as Python-Markdown finds them: (first line, last
    line) of each, and the lines that open a block that never ends."""

    blocks: tuple[tuple[int, int], ...]
    unclosed: tuple[int, ...]


def fences(text: str) -> Fences:
    """Every fenced code block, in one pass: each fence's possible closing lines are listed first,
    so an opening line finds its end without reading on (text is untrusted: no quadratic scans)."""
    lines = text.split("\n")
    closings: dict[str, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        if line[:3] in ("```", "~~~") and (closing := _CLOSING_FENCE.fullmatch(line)):
            closings[closing["fence"]].append(index)
    blocks, unclosed = [], []
    index = 0
    while index < len(lines):
        opening = _OPENING_FENCE.fullmatch(lines[index]) if lines[index][:3] in ("```", "~~~") else None
        if opening is None:
            index += 1
            continue
        ends = closings[opening["fence"]]
        position = bisect_right(ends, index)
        if position == len(ends):
            unclosed.append(index)
            index += 1
            continue
        blocks.append((index, ends[position]))
        index = ends[position] + 1
    return Fences(tuple(blocks), tuple(unclosed))


def mask_code(text: str) -> str:
    """Blank out fenced code and code spans, keeping every offset and newline."""
    if "`" not in text and "~~~" not in text:
        return text
    blocks = fences(text).blocks
    if blocks:
        lines = text.split("\n")
        for first, last in blocks:
            lines[first:last + 1] = [" " * len(line) for line in lines[first:last + 1]]
        text = "\n".join(lines)
    return _CODE_SPAN.sub(_blank, text)


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


_HEADING = re.compile(r"#{1,6}(?=\s)")
_ATTRIBUTE_LIST = re.compile(r"\s\{[^{}]*\}\s*$")


def _heading_text(line: str) -> str:
    """An ATX heading's text, without its trailing {attribute list} (found from the end: a regex
    trying every split of a long line would take quadratic time)."""
    text = line.lstrip("#")
    brace = text.rfind("{")
    if brace >= 0 and _ATTRIBUTE_LIST.match(text, brace - 1 if brace else 0):
        text = text[:brace]
    return text.strip()


def _headings(markdown: str) -> list[tuple[int, int]]:
    """(line index, level) of every ATX heading outside fenced code."""
    masked = mask_code(markdown).split("\n")
    return [(index, match.end()) for index, line in enumerate(masked) if (match := _HEADING.match(line))]


def section(markdown: str, slug: str) -> str:
    """The part of ``markdown`` under the heading whose anchor is ``slug``, up to the next heading
    of the same or a higher level (heading included)."""
    from markdown.extensions.toc import slugify

    lines = markdown.split("\n")
    headings = _headings(markdown)
    for position, (index, level) in enumerate(headings):
        text = _heading_text(lines[index])
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

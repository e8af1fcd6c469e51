"""What the sanitizer would take out of a source's Markdown, at the line and column it was written.

The source is rendered with the site's own Markdown extensions (read from mkdocs.yml) and the
result compared with what the sanitizer keeps: raw HTML, attribute lists (``{ onclick=... }``),
links (``[x](javascript:...)``), all alike. A contributor sees each removal as an error before
merging, instead of a page that silently differs from its source.
"""

from __future__ import annotations

import hashlib
import json
import re

import markdown

from ..kept import Kept
from ..markup import mask_code
from ..problems import Problem
from ..sanitizer import (
    Allowlist,
    clean_html,
    clean_svg,
    locate,
    removed_markup,
    unclosed_markup,
)
from .settings import SiteSettings

# Extensions whose every way to make markup the sanitizer could refuse needs one of these
# characters; a text without them is skipped. With any other extension, every text is rendered.
PREDICTABLE_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "md_in_html",
                                    "abbr", "footnotes", "sane_lists", "smarty", "nl2br", "meta"})
_MAY_HOLD_MARKUP = re.compile(r"[<{&]|\]\s*[(\[:]|!!!|\?\?\?|__")


def markup_problems(text: str, path: str, first_line: int, settings: SiteSettings) -> list[Problem]:
    """An error for each thing the sanitizer would remove from ``text`` (Markdown whose first line
    is ``first_line`` of ``path``), and for each shape that Python-Markdown takes quadratic time
    to read (the build would stall on it). A text checked before in this process (the live
    preview reads every source again at each save) is not rendered again, where the text alone
    decides its rendering: not with an extension that may read other files (snippets, includes)."""
    if not _predictable(settings.markdown_extensions):
        return _markup_problems(text, path, first_line, settings)
    key = (_renderer_key(settings), settings.allowed_classes, path, first_line, hashlib.blake2b(text.encode()).digest())
    return list(_CHECKED.get(key, lambda: tuple(_markup_problems(text, path, first_line, settings))))


MAX_CHECKED = 4096  # texts whose problems are kept (a study's sources, edited many times over)
_CHECKED: Kept[tuple[str, frozenset[str], str, int, bytes], tuple[Problem, ...]] = Kept(MAX_CHECKED)


def _markup_problems(text: str, path: str, first_line: int, settings: SiteSettings) -> list[Problem]:
    stalling = _stalling(text, path, first_line)
    if stalling:
        return stalling
    masked = mask_code(text)
    if masked.rfind("<!--") > masked.rfind("-->"):  # set among the site's own markup, it would run on to the next "-->"
        return [Problem.at(path, text, masked.rfind("<!--"), "this HTML comment is never closed ('-->'): it would take in the "
                           "rest of the page", first_line)]
    if _predictable(settings.markdown_extensions) and not _MAY_HOLD_MARKUP.search(text):
        return []
    renderer = _renderer(settings)
    renderer.reset()
    html = renderer.convert(text)
    allowlist = Allowlist(settings.allowed_classes, authored=True)
    removals = removed_markup(html, lambda page: clean_html(page, allowlist))
    problems = []
    left_open = unclosed_markup(html)
    if left_open:  # a passage is set among the site's own markup: what it leaves open takes in the rest of the page
        problems.append(Problem.at(path, text, text.find(left_open.rstrip(">")), f"{left_open} is opened and never closed: it would "
                                   "take in the rest of the page; close it in this text", first_line))
    problems += [Problem.at(path, text, offset, removal.describe(), first_line) for removal, offset in locate(text, removals, masked)]
    return problems


# Shapes Python-Markdown takes quadratic time to read (measured with bench/pathological.py): a
# paragraph with many "[" or "<" that do not close, or many definition lines (": "), and a long
# run of blanks before "{" (attribute lists). No prose needs them at that scale; a build would stall.
MAX_OPENERS = 500
_LONG_BLANKS = re.compile(r"[ \t]{1000,}")
_DEFINITION = re.compile(r"^[ ]{0,3}:", re.MULTILINE)


def _stalling(text: str, path: str, first_line: int) -> list[Problem]:
    problems = [Problem.at(path, text, found.start(), "a run of more than 1,000 spaces: Markdown's time to read it grows with "
                           "the square of its length; remove it", first_line) for found in _LONG_BLANKS.finditer(text)]
    if max(text.count("["), text.count("<"), text.count("\n:")) <= MAX_OPENERS:
        return problems
    offset = 0
    for block in re.split(r"(\n[ \t]*\n)", text):
        counts = {"'['": block.count("["), "'<'": block.count("<"), "definition lines": len(_DEFINITION.findall(block))}
        crowded = [name for name, count in counts.items() if count > MAX_OPENERS]
        if crowded:
            start = offset + len(block) - len(block.lstrip("\n"))  # the paragraph's first line, not the blank before it
            problems.append(Problem(path, first_line + text.count("\n", 0, start), f"a paragraph with more than {MAX_OPENERS} "
                                    f"{crowded[0]}: Markdown's time to read it grows with the square of their number; split "
                                    "the paragraph (or write '[' as &#91;, '<' as &lt;)"))
        offset += len(block)
    return problems


def svg_problems(svg: str, path: str) -> list[Problem]:
    """An error for each thing the sanitizer would remove from an SVG file of the docs folder."""
    return [Problem.at(path, svg, offset, removal.describe()) for removal, offset in locate(svg, removed_markup(svg, clean_svg))]


def _predictable(extensions: tuple[str, ...]) -> bool:
    return all(name.removeprefix("markdown.extensions.") in PREDICTABLE_EXTENSIONS for name in extensions)


_RENDERERS: dict[str, markdown.Markdown] = {}


def _renderer_key(settings: SiteSettings) -> str:
    return json.dumps([settings.markdown_extensions, settings.markdown_configs], sort_keys=True, default=repr)


def _renderer(settings: SiteSettings) -> markdown.Markdown:
    """One Markdown instance per configuration, reset between texts (building one is costly)."""
    key = _renderer_key(settings)
    if key not in _RENDERERS:
        _RENDERERS[key] = markdown.Markdown(extensions=list(settings.markdown_extensions),
                                            extension_configs=dict(settings.markdown_configs))
    return _RENDERERS[key]

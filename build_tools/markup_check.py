"""What the sanitizer would take out of a source's Markdown, at the line and column it was written.

The source is rendered with the site's own Markdown extensions (read from mkdocs.yml) and the
result compared with what the sanitizer keeps: raw HTML, attribute lists (``{ onclick=... }``),
links (``[x](javascript:...)``), all alike. A contributor sees each removal as an error before
merging, instead of a page that silently differs from its source.
"""

from __future__ import annotations

import json
import re

import markdown

from .markup import mask_code
from .problems import Problem
from .sanitizer import Allowlist, clean_html, clean_svg, locate, removed_markup
from .settings import SiteSettings

# Extensions whose every way to make markup the sanitizer could refuse needs one of these
# characters; a text without them is skipped. With any other extension, every text is rendered.
PREDICTABLE_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "md_in_html",
                                    "abbr", "footnotes", "sane_lists", "smarty", "nl2br", "meta"})
_MAY_HOLD_MARKUP = re.compile(r"[<{&]|\]\s*[(\[:]|!!!|\?\?\?|__")


def markup_problems(text: str, path: str, first_line: int, settings: SiteSettings) -> list[Problem]:
    """An error for each thing the sanitizer would remove from ``text`` (Markdown whose first line
    is ``first_line`` of ``path``)."""
    if _predictable(settings.markdown_extensions) and not _MAY_HOLD_MARKUP.search(text):
        return []
    renderer = _renderer(settings)
    renderer.reset()
    html = renderer.convert(text)
    allowlist = Allowlist(settings.allowed_classes)
    removals = removed_markup(html, lambda page: clean_html(page, allowlist))
    problems = []
    for removal, offset in locate(text, removals, mask_code(text)):
        problems.append(Problem(path, first_line + text.count("\n", 0, max(offset, 0)), removal.describe(), column=_column(text, offset)))
    return problems


def svg_problems(svg: str, path: str) -> list[Problem]:
    """An error for each thing the sanitizer would remove from an SVG file of the docs folder."""
    return [Problem(path, svg.count("\n", 0, max(offset, 0)) + 1, removal.describe(), column=_column(svg, offset))
            for removal, offset in locate(svg, removed_markup(svg, clean_svg))]


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1) + 1 if offset >= 0 else 1


def _predictable(extensions: tuple[str, ...]) -> bool:
    return all(name.removeprefix("markdown.extensions.") in PREDICTABLE_EXTENSIONS for name in extensions)


_RENDERERS: dict[str, markdown.Markdown] = {}


def _renderer(settings: SiteSettings) -> markdown.Markdown:
    """One Markdown instance per configuration, reset between texts (building one is costly)."""
    key = json.dumps([settings.markdown_extensions, settings.markdown_configs], sort_keys=True, default=repr)
    if key not in _RENDERERS:
        _RENDERERS[key] = markdown.Markdown(extensions=list(settings.markdown_extensions),
                                            extension_configs=dict(settings.markdown_configs))
    return _RENDERERS[key]

"""The allowlist sanitizer: only markup this product makes reaches a reader's browser.

Every page's HTML passes :func:`clean_html` (nh3, the Python binding of Rust's ammonia) after
Markdown and citations have made it (:func:`clean_html_once`: the very HTML it left unchanged in an
earlier build, as a signed cache says, is not passed again); SVG files of the docs folder pass
:func:`clean_svg`. What the
allowlist keeps is exactly what the product writes: Markdown's elements, the study's own elements,
classes, ARIA attributes and the SVG of the journey map, and links whose address is relative, a
fragment, ``http:``, ``https:`` or ``mailto:``. An allowlist, not a blacklist: what nobody thought
of is removed, not let through.

:func:`removed_markup` tells what the sanitizer would remove, so the check can show it to a
contributor (with its line) before anything is published.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from html.parser import HTMLParser
from importlib.metadata import version

import nh3

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

_TEXT = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark",
         "small", "sub", "sup", "code", "kbd", "samp", "var", "pre", "blockquote", "q", "cite", "abbr", "dfn", "time",
         "span", "div", "a", "img", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th",
         "td", "caption", "colgroup", "col", "figure", "figcaption", "details", "summary", "wbr"}
_STUDY = {"section", "nav", "aside", "form", "label", "select", "option", "button"}
_MAP = {"svg", "g", "path", "rect", "circle", "text", "tspan"}
HTML_TAGS = frozenset(_TEXT | _STUDY | _MAP)

_GLOBAL = {"id", "class", "title", "lang", "dir", "hidden", "role", "aria-label", "aria-labelledby", "aria-describedby",
           "aria-hidden", "aria-current", "aria-live",
           "data-search-exclude"}  # Material's search leaves such an element out: the site's own controls, repeated text
HTML_ATTRIBUTES: dict[str, set[str]] = {
    "*": _GLOBAL,
    "a": {"href", "download", "rel", "tabindex"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "td": {"colspan", "rowspan", "style"},
    "time": {"datetime"},
    "figure": {"data-stage", "data-theme"},
    "h2": {"data-group"},
    "h3": {"data-group"},
    "div": {"data-projection"},
    "button": {"type", "data-anchor"},
    "select": {"name"},
    "option": {"value", "data-stage"},
    "svg": {"viewBox", "xmlns"},
    "path": {"d"},
    "rect": {"x", "y", "width", "height", "rx"},
    "circle": {"cx", "cy", "r"},
    "text": {"x", "y", "text-anchor"},
    "tspan": {"x", "y", "dx", "dy"},
}
ROLES = frozenset({"group", "list", "listitem", "status", "note", "img", "presentation", "none"})
REL_VALUES = frozenset({"prev", "next", "nofollow", "noopener", "noreferrer", "license", "author"})

# Classes the study's templates, Python-Markdown's extensions and Material's content styles give.
STUDY_CLASSES = frozenset(["journey", "journey__map", "journey__map--horizontal", "journey__map--vertical", "journey__stage",
                           "journey__stage-title", "journey__stage-subtitle", "journey__road", "journey__stop", "journey__stop-number",
                           "journey__stop-label", "journey__stop-count", "journey__list",
                           "journey__stage-numeral", "journey__terminus", "journey__road-bed",
                           "journey-here", "journey-here__you", "journey-here__position", "journey-here__hidden", "journey-here__step",
                           "journey-here__step--prev", "journey-here__step--next", "journey-here__arrow", "journey-here__name",
                           "journey-pager", "journey-pager__previous", "journey-pager__next", "quotation", "quotation__copy",
                           "quotation__number", "interpretation",
                           "interpretation__label",
                           "editorial-note", "study-kicker", "study-tools", "study-tools__link", "teaching", "teaching__label",
                           "quote-filter", "quote-filter__count", "citation", "citation--narrative", "citation--unknown", "citation__link",
                           "references", "reference", "reference--incomplete", "reference__status", "reference__cited-in",
                           "reference__note", "bibtex-protected", "cite-article", "cite-article__downloads", "byline", "lead", "handout",
                           "handout__label", "handout__quote", "projection", "projection__context", "projection__slide",
                           "projection__quote", "projection__controls", "projection__previous", "projection__next", "projection__count",
                           "projection__back",
                           # The projection deck's tools (full screen, exit) and its last slide's link on to the next theme.
                           "projection__tools", "projection__fullscreen", "projection__onward",
                           # The handout's screen tools (way back, Print button), its parts on paper (source, notes, address,
                           # what it leaves out), and what the screen shows but paper does not.
                           "handout__tools", "handout__back", "handout__print", "handout__source", "handout__left-out",
                           "handout__notes", "handout__notes-label", "handout__address", "screen-only"])
# journey__map--columns-N: the wide map's width in columns, which the stylesheet's container queries read
_STAGE_CLASSES = re.compile(r"journey__(?:stage|stop)--(?:stage-)?\d{1,3}|journey__map--columns-\d{1,3}")
MARKDOWN_CLASSES = frozenset(["headerlink", "toclink", "toc", "footnote", "footnote-ref", "footnote-backref", "admonition",
                              "admonition-title", "inline", "end", "md-button", "md-button--primary", "note", "abstract", "summary", "tldr",
                              "info", "todo", "tip", "hint", "important", "success", "check", "done", "question", "help", "faq", "warning",
                              "caution", "attention", "failure", "fail", "missing", "danger", "error", "bug", "example", "quote", "cite"])
_CODE_LANGUAGE = re.compile(r"language-[\w#+.-]{1,40}")
# An id is a word; "__" starts Material's own (__drawer, __search, ...), which content must not shadow.
_ID = re.compile(r"(?!__)[\w][\w.:-]*")
_EVENT_HANDLER = re.compile(r"on[a-z]+")
_TEXT_CLEANER = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})


# What authors write in a source may look like text but not like the site's own parts: a link
# classed as a citation, a block classed as a slide, or an id the site gives a quotation would be
# taken for them by the site's script, its styles or its links.
AUTHORED_CLASSES = frozenset({"lead", "byline"})
_RESERVED_ID = re.compile(r"(?:quote|cite|ref|slide)-|study-tooltip$|journey-caption$")


@dataclass(frozen=True)
class Allowlist:
    """What the sanitizer keeps; ``extra_classes`` are the site's own (plugin option ``allowed_classes``).
    ``authored`` narrows it to what a source may write itself (the check judges sources by it)."""

    extra_classes: frozenset[str] = frozenset()
    authored: bool = False

    def allows_class(self, name: str) -> bool:
        own = name in AUTHORED_CLASSES if self.authored else name in STUDY_CLASSES or bool(_STAGE_CLASSES.fullmatch(name))
        return own or name in MARKDOWN_CLASSES or name in self.extra_classes or bool(_CODE_LANGUAGE.fullmatch(name))

    def allows_id(self, value: str) -> bool:
        return is_safe_id(value) and not (self.authored and _RESERVED_ID.match(value))


def clean_html(html: str, allowlist: Allowlist = Allowlist()) -> str:
    """``html`` with everything outside the allowlist removed (script and style with their content)."""
    return _html_cleaner(allowlist).clean(html)


UNCHANGED, CHANGED = "unchanged", "changed"  # what sanitizing a text did, as a cache keeps it


def clean_html_once(html: str, allowlist: Allowlist, remember: Callable[[str, Callable[[], str]], str]) -> str:
    """:func:`clean_html`, not run again on HTML it left unchanged before: ``remember(key, find)``
    gives what an earlier build found for ``key`` (from a signed cache) or ``find()`` now. The key
    is the digest of the HTML, the allowlist and nh3's version (this package's own code is part of
    every cache's key). A page's HTML almost always passes unchanged, the check having refused
    what the sanitizer would remove, and nh3 takes a fair part of what the plugin adds to its rendering."""
    digest = hashlib.sha256(f"sanitized\x1f{_nh3_version()}\x1f{sorted(allowlist.extra_classes)}\x1f{allowlist.authored}\x1f".encode())
    digest.update(html.encode("utf-8"))
    key = digest.hexdigest()
    cleaned: list[str] = []

    def find() -> str:
        cleaned.append(clean_html(html, allowlist))
        return UNCHANGED if cleaned[0] == html else CHANGED

    if remember(key, find) == UNCHANGED:
        return html
    return cleaned[0] if cleaned else clean_html(html, allowlist)


@cache
def _nh3_version() -> str:
    return version("nh3")


@lru_cache(maxsize=4)
def _html_cleaner(allowlist: Allowlist) -> nh3.Cleaner:
    """Built once per allowlist: nh3 compiles its rules for each new cleaner."""
    return nh3.Cleaner(
        tags=set(HTML_TAGS), clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in HTML_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter(allowlist), url_schemes=set(LINK_SCHEMES), link_rel=None,
        filter_style_properties={"text-align"}, strip_comments=False,  # inert, and the build's placeholders are comments
    )


def clean_text(html: str) -> str:
    """The text of an HTML fragment (a heading's, for the table of contents), escaped, no markup left."""
    return _TEXT_CLEANER.clean(html)


def is_safe_id(value: str) -> bool:
    """Whether ``value`` may be an element's id (and so the fragment of a link to it)."""
    return _ID.fullmatch(value) is not None


def _attribute_filter(allowlist: Allowlist) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            kept = [name for name in value.split() if allowlist.allows_class(name)]
            return " ".join(kept) or None
        if attribute == "id":
            return value if allowlist.allows_id(value) else None
        if attribute == "role":
            return value if value in ROLES else None
        if attribute == "tabindex":  # the map's links, for the pointer, out of the tab order; never a source's
            return "-1" if value.strip() == "-1" and not allowlist.authored else None
        if attribute == "download":  # a name to save under could make a text file a page of script
            return ""
        if attribute == "rel":
            return value if value and set(value.split()) <= REL_VALUES else None
        if attribute == "src":  # images come from the site itself: a reader's browser asks no other host
            return value if not re.match(r"\s*(?:[a-zA-Z][\w+.-]*:|//|\\\\)", value) else None
        return value
    return keep


# Static pictures only: shapes, text, gradients; no links, no scripts, no animation, no styles.
SVG_TAGS = frozenset({"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
                      "title", "desc", "defs", "linearGradient", "radialGradient", "stop", "clipPath"})
_PAINT = {"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
          "stroke-linejoin", "stroke-dasharray", "opacity", "transform", "clip-path", "id", "class", "font-family",
          "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline"}
SVG_ATTRIBUTES: dict[str, set[str]] = {
    "*": _PAINT,
    "svg": {"xmlns", "viewBox", "width", "height", "preserveAspectRatio", "version", "role", "aria-label"},
    "path": {"d"}, "rect": {"x", "y", "width", "height", "rx", "ry"}, "circle": {"cx", "cy", "r"},
    "ellipse": {"cx", "cy", "rx", "ry"}, "line": {"x1", "y1", "x2", "y2"}, "polyline": {"points"}, "polygon": {"points"},
    "text": {"x", "y", "dx", "dy"}, "tspan": {"x", "y", "dx", "dy"},
    "linearGradient": {"x1", "y1", "x2", "y2", "gradientUnits", "gradientTransform"},
    "radialGradient": {"cx", "cy", "r", "fx", "fy", "gradientUnits", "gradientTransform"},
    "stop": {"offset", "stop-color", "stop-opacity"}, "clipPath": {"clipPathUnits"},
}
_LOCAL_REFERENCE = re.compile(r"url\(#[\w.-]+\)")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def clean_svg(svg: str) -> str:
    """An SVG file as a static picture (well-formed XML again: the serializer writes HTML entities)."""
    cleaned = nh3.clean(
        _without_prolog(svg), tags=set(SVG_TAGS), clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in SVG_ATTRIBUTES.items()}, attribute_filter=_svg_filter,
        url_schemes=set(), link_rel=None,
    )
    return cleaned.replace("&nbsp;", "&#160;").strip() + "\n"


def _without_prolog(svg: str) -> str:
    """The ``<svg>`` element itself: an XML declaration or doctype is no part of the picture."""
    return re.sub(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?", "", svg, flags=re.IGNORECASE)


def _svg_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "xmlns":
        return value if value == SVG_NAMESPACE else None
    if attribute == "clip-path" or (attribute in ("fill", "stroke") and "url(" in value):
        return value if _LOCAL_REFERENCE.fullmatch(value.strip()) else None
    if attribute == "id":
        return value if _ID.fullmatch(value) else None
    return value


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer takes away: an element, or an attribute (with its value) of one."""

    tag: str
    attribute: str = ""
    value: str = ""

    @property
    def needles(self) -> tuple[str, ...]:
        """What to look for in the source to find where it was written, most telling first."""
        if not self.attribute:
            return (f"<{self.tag}",)
        return tuple(needle for needle in (self.value[:24], self.attribute) if needle.strip())

    def describe(self) -> str:
        if not self.attribute:
            return f"the element <{self.tag}> is not published: the site allows no {_element_kind(self.tag)}"
        shown = f"{self.attribute}=\"{_short(self.value)}\""
        if _EVENT_HANDLER.fullmatch(self.attribute):
            reason = "event handlers never reach a reader's browser"
        elif self.attribute in ("href", "src"):
            reason = ("an image must be a file of the site" if self.attribute == "src"
                      else "a link must be relative, a #fragment, or start with http:, https: or mailto:")
        elif self.attribute == "class":
            reason = ("a class must be one a source may use (Markdown's, 'lead', 'byline', or one in the plugin's "
                      "allowed_classes); the site's own parts keep theirs")
        elif self.attribute == "id":
            reason = ("an id must be a word, and not one the theme or the site gives its own elements "
                      "('__…', 'quote-…', 'cite-…', 'ref-…', 'slide-…')")
        else:
            reason = f"<{self.tag}> may not carry '{self.attribute}'"
        return f"{shown} is removed from <{self.tag}>: {reason}"


def removed_markup(html: str, clean: Callable[[str], str]) -> list[Removal]:
    """What ``clean`` removes from ``html``, in document order (both read by the same HTML parser)."""
    before, after = _start_tags(html), _start_tags(clean(html))
    matcher = SequenceMatcher(a=[tag for tag, _ in before], b=[tag for tag, _ in after], autojunk=False)
    removals: list[Removal] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            for (tag, attributes), (_, kept) in zip(before[i1:i2], after[j1:j2], strict=True):
                removals += _removed_attributes(tag, attributes, kept)
        else:
            removals += [Removal(tag) for tag, _ in before[i1:i2]]
    return removals


def _removed_attributes(tag: str, attributes: dict[str, str], kept: dict[str, str]) -> list[Removal]:
    removals = []
    for name, value in attributes.items():
        if name not in kept:
            removals.append(Removal(tag, name, value))
        elif name == "class" and set(value.split()) - set(kept[name].split()):
            removals.append(Removal(tag, name, " ".join(sorted(set(value.split()) - set(kept[name].split())))))
        elif name == "style" and _style(value) != _style(kept[name]):
            removals.append(Removal(tag, name, value))
    return removals


def _style(value: str) -> str:
    return re.sub(r"\s+|;$", "", value.strip().lower())


# Elements that need no end tag, and those whose end tag HTML lets a page leave out.
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
_OPTIONAL_END = frozenset(["p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "colgroup", "caption",
                           "rt", "rp"])


class _Unclosed(HTMLParser):
    """The elements an HTML fragment opens and never closes (they would take in what follows it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID and tag not in _OPTIONAL_END:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]


def unclosed_markup(html: str) -> str | None:
    """The first element (or "<!--") that ``html`` leaves open, or None when it closes all it opens."""
    if html.rfind("<!--") > html.rfind("-->"):
        return "<!--"
    parser = _Unclosed()
    parser.feed(html)
    parser.close()
    return f"<{parser.open[0]}>" if parser.open else None


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _start_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def _element_kind(tag: str) -> str:
    kinds = {"script": "scripts", "style": "style sheets", "iframe": "embedded pages", "object": "embedded objects",
             "embed": "embedded objects", "base": "base addresses", "meta": "meta elements", "link": "linked resources"}
    return kinds.get(tag, f"<{tag}> elements (see SECURITY.md for what it allows)")


def _short(value: str, limit: int = 40) -> str:
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def locate(text: str, removals: Iterable[Removal], masked: str | None = None) -> list[tuple[Removal, int]]:
    """Each removal with the offset in ``text`` where it was most likely written, -1 when nothing
    matches. Removals come in document order, so each search goes on from the previous find;
    ``masked`` (the text with code blanked out) is searched first, as code is never markup."""
    places = [(masked or text).lower(), text.lower()]
    cursor, found = 0, []
    for removal in removals:
        offset = next((at for needle in removal.needles for place in places for start in (cursor, 0)
                       if (at := place.find(needle.lower(), start)) >= 0), -1)
        cursor = max(cursor, offset)
        found.append((removal, offset))
    return found

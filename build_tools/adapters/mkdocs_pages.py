"""What the plugin does to MkDocs' own objects: pages' titles and settings made plain text, edit
links made safe, the navigation's results section filled. Each takes MkDocs' objects and the
core's decisions; none decides anything about the study."""

from __future__ import annotations

import html
import posixpath
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from markupsafe import escape
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from ..sanitizer import clean_text, is_safe_id
from ..urls import UnsafeURL, web_url


def plain_text_meta(page: Page, title: str | None) -> None:
    """Escape what the theme writes of a page without escaping it: its titles (in the navigation,
    the browser tab, the footer), its description (in a meta tag) and its table of contents.
    ``title`` is the title the study gives a generated page; a page of the docs folder keeps the one
    MkDocs found (its front matter's, or its first heading's). The navigation of mkdocs.yml may
    name a page otherwise; that name stays its name in the navigation."""
    in_nav = page.__dict__.get("title")  # MkDocs sets it on the page from mkdocs.yml's nav
    own = title if title is not None else page.meta.get("title")
    if not isinstance(own, str) or not own.split():  # a blank title names nothing: Material would fall back on striptags
        own = in_nav if isinstance(in_nav, str) else html.unescape(page.title or "")  # a heading's, as HTML
    shown = str(escape(" ".join(own.split())))
    page.title = str(escape(" ".join(in_nav.split()))) if isinstance(in_nav, str) else shown
    if "title" in page.meta or (title is not None if page.is_homepage else _striptags_differs(page.title, shown)):
        page.meta["title"] = shown  # Material writes it into <title> and the header as it is
    if "description" in page.meta:
        page.meta["description"] = str(escape(" ".join(str(page.meta["description"]).split())))
    _clean_toc(page.toc.items if page.toc else [])


def _striptags_differs(title: str, shown: str) -> bool:
    """Whether Material's fallback for a page without ``meta.title``, ``page.title | striptags``,
    would write other than ``shown``: striptags unescapes what escaping made safe, and a name from
    the navigation is not the page's own. Otherwise the page's settings stay empty, which spares
    Material four lookups for every page on every page's navigation."""
    return title != shown or "&" in shown


def _clean_toc(items: list[AnchorLink]) -> None:
    """Table-of-contents entries come from headings' HTML and ids: text and word-like ids only."""
    for item in items:
        if any(char in item.title for char in "<>&"):  # markup or references: only text is kept
            item.title = clean_text(item.title)
        if not is_safe_id(item.id):
            item.id = ""
        _clean_toc(item.children)


def safe_edit_url(url: str | None) -> str | None:
    """The edit link as a safe address ("…/content/../themes/x.md" becomes "…/themes/x.md"); none
    when it is not an http(s) address."""
    if not url:
        return None
    parts = urlsplit(url)
    try:
        return web_url(urlunsplit(parts._replace(path=posixpath.normpath(parts.path))))
    except UnsafeURL:
        return None


LONG_PAGE = 1_000_000  # characters of Markdown: a page quoting a long interview


def settle_page(page: Page, searchable: bool, generated: bool) -> None:
    """The page's edit link made safe (:func:`safe_edit_url`); a page that only repeats others
    left out of Material's search (which reads ``search: exclude`` from the page's settings); a
    long generated page's file emptied once MkDocs has read it (:func:`share_source`)."""
    page.edit_url = safe_edit_url(page.edit_url)
    if not searchable:
        page.meta["search"] = {"exclude": True}
    if generated and _long(page):
        page.file.content_string = ""


def share_source(page: Page) -> None:
    """A generated page's file holds the Markdown the page was rendered from, the page's own: its
    encoded copy, read already, would otherwise be kept through the build beside it (megabytes,
    for a page quoting a long interview). The live preview gives the file its new Markdown before
    the page is read again.

    A page of more than LONG_PAGE characters lets go of its Markdown instead (``page.markdown``
    None, its file empty since it was read): MkDocs renders every page before it writes any, from
    its HTML, and the pages rendered after it (the whole study, which quotes everything) need not
    find it in memory too. A plugin reading a long generated page's Markdown after this plugin's
    ``on_page_content`` finds none."""
    if _long(page):
        page.markdown = None
        page.file.content_string = ""
    elif page.markdown is not None:
        page.file.content_string = page.markdown


def _long(page: Page) -> bool:
    return page.markdown is not None and len(page.markdown) > LONG_PAGE


def nav_order(nav: Any) -> dict[str, int]:
    """Each page's position in the navigation, so back-links read in the order of the site."""
    order: dict[str, int] = {}

    def walk(item: Any) -> None:
        if isinstance(item, str):
            order.setdefault(item, len(order))
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav or [])
    return order


def fill_section(nav: Any, title: str, entries: list[dict[str, list[Any]]]) -> bool:
    """Fill the nav section named ``title`` (at any depth) with ``entries``; False when there is none."""
    for item in nav if isinstance(nav, list) else []:
        if isinstance(item, dict):
            for name, value in item.items():
                if name == title:  # MkDocs writes a section's title into the navigation as it is: escaped here
                    item[name] = [{str(escape(section)): pages} for entry in entries for section, pages in entry.items()]
                    return True
                if fill_section(value, title, entries):
                    return True
    return False


def has_section(nav: Any, title: str) -> bool:
    """Whether mkdocs.yml's nav has a section named ``title``, at any depth."""
    return any(isinstance(item, dict) and any(name == title or has_section(value, title) for name, value in item.items())
               for item in (nav if isinstance(nav, list) else []))

"""The site's plan: every page and file the study adds to a site, decided from the model alone.

The MkDocs plugin only carries it out (adds the files, marks pages outside the navigation), so
what the site holds, and why, is testable without MkDocs.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..citations.index import CitingPage, citation_index
from ..markup import SHORTCODE, mask_code
from ..model import Page, Stage, Study
from .options import SiteOptions
from .pages import StudyRenderer, relative
from .paths import SitePaths


@dataclass(frozen=True)
class PlannedPage:
    """A generated page: its path in the docs folder, its title as plain text, its Markdown as the
    page's file holds it (UTF-8), the source file its edit link opens (relative to the project), and
    whether the navigation lists it. The Markdown is kept encoded, as a file on disk would be: half
    the memory of a ``str`` that holds any character past Latin-1 (a page quoting a long interview)."""

    uri: str
    title: str
    content: bytes
    source: str | None = None
    in_nav: bool = True
    digest: bytes = b""  # of the content, once the plan has let go of it (:meth:`SitePlan.released`)

    @property
    def markdown(self) -> str:
        if self.digest:
            raise ValueError(f"the plan has let go of the Markdown of {self.uri}")
        return self.content.decode()

    def fingerprint(self) -> bytes:
        """What tells this page's Markdown from another's, held or let go of."""
        return self.digest or hashlib.blake2b(self.content).digest()


@dataclass(frozen=True)
class SitePlan:
    """The pages and files to add, and where each work is cited (for reference lists and back-links)."""

    pages: tuple[PlannedPage, ...]
    files: tuple[tuple[str, bytes], ...]  # as they are written (UTF-8): no copy of their text kept beside
    cited_in: Mapping[str, tuple[CitingPage, ...]]  # by key: the places citing it, the whole-study page left out
    cited_on: Mapping[str, tuple[str, ...]]  # by page: the keys it cites, in the order of the index
    anchors: Mapping[str, frozenset[str]]  # by page: the ids of its citations' links
    titles: Mapping[str, str]  # by page: the title the study gives it (a theme without its quotation marks)
    # Pages that only repeat what other pages say (the whole study on one page): search finds each passage once, where it belongs.
    unsearchable: frozenset[str] = frozenset()

    @property
    def uris(self) -> frozenset[str]:
        return frozenset(page.uri for page in self.pages)

    def released(self) -> SitePlan:
        """The plan without its pages' Markdown, once MkDocs' files hold it: a page of megabytes
        is not kept twice through the build; the live preview compares the next plan's pages by
        their fingerprints."""
        return replace(self, pages=tuple(replace(page, content=b"", digest=page.fingerprint()) for page in self.pages))


def plan_site(renderer: StudyRenderer, options: SiteOptions, nav_order: Mapping[str, int], bibliography: str) -> SitePlan:
    """What the site holds of ``renderer``'s study; ``nav_order`` gives each page's place in the
    navigation, so a work's "Cited in" links follow the order of the site; ``bibliography`` is the
    bibliography file (relative to the project), which the references page's edit link opens."""
    study, paths = renderer.study, options.paths
    pages: list[PlannedPage] = []
    for stage in study.stages:
        pages.append(_planned(paths.stage(stage), stage_title(stage), renderer.stage_page(stage), stage.source.path))
    for theme in study.themes:
        pages.append(_planned(paths.theme(theme), f"“{theme.label}”", renderer.theme_page(theme), theme.source.path))
        pages.append(_planned(paths.projection(theme), f"Projection: {theme.label}", renderer.projection_page(theme), in_nav=False))
    if study.teaching:
        pages += [_planned(paths.handout(stage), f"Handout: stage {stage.numeral}", renderer.handout_page(stage), in_nav=False)
                  for stage in study.stages]
    if study.quotations:
        title, markdown = renderer.quotations_page()
        pages.append(_planned(paths.quotations, title, markdown, _own_source(renderer, paths.quotations)))
    if options.whole_study:
        pages.append(_planned(paths.whole_study, options.whole_study_title, renderer.whole_study_page()))

    planned = {page.uri for page in pages}
    texts: list[Page | PlannedPage] = [page for page in study.pages if page.uri not in planned]
    texts += pages
    texts.sort(key=lambda text: nav_order.get(text.uri, len(nav_order)))
    # In the order of the site, one at a time: a planned page is decoded as the index reads it.
    cited_in = citation_index(((text.uri, text.title, text.markdown) for text in texts), renderer.references.members_of)
    title, markdown = renderer.references_page(set(cited_in))
    pages.append(_planned(paths.references, title, markdown, bibliography))
    if study.themes:
        title, markdown = renderer.downloads_page(_offline_link(options))
        pages.append(_planned(paths.downloads, title, markdown, _own_source(renderer, paths.downloads)))

    titles = {page.uri: page.title for page in pages} | {paths.theme(theme): theme.label for theme in study.themes}
    return SitePlan(
        pages=tuple(pages),
        files=tuple((uri, content if isinstance(content, bytes) else content.encode())
                    for uri, content in (*renderer.downloads(), *(renderer.data_files() if study.themes else []))),
        # The whole-study page repeats the other pages: its citations are not listed as further places.
        cited_in={key: tuple(citing for citing in places if citing.uri != paths.whole_study) for key, places in cited_in.items()},
        cited_on=_keys_by_page(cited_in),
        anchors={uri: frozenset(anchors) for uri, anchors in _anchors_by_page(cited_in).items()},
        titles=titles,
        unsearchable=frozenset({paths.whole_study} & {page.uri for page in pages}),
    )


@dataclass(frozen=True)
class SiteChanges:
    """What a change to the sources changes of a site built from them before: the pages to render
    again and the generated files to write again, or why the whole site must be built again."""

    whole_site: str = ""  # the reason, when the change reaches beyond pages of their own (the navigation, ...)
    pages: frozenset[str] = frozenset()
    files: tuple[tuple[str, bytes], ...] = ()


def site_changes(before: tuple[StudyRenderer, SitePlan], after: tuple[StudyRenderer, SitePlan]) -> SiteChanges:
    """Which pages the change from ``before`` to ``after`` (each a study's renderer and its plan)
    feeds. A page is rendered from its Markdown, its entries in the plan (citations, anchors,
    title, search), what its shortcodes show of the study and the reference list; every page
    shows the navigation, the article's metadata and the works cited. So a quotation feeds the
    pages whose Markdown holds it (its theme's, the quotations page, the whole study, the
    projection, ...); a new label, page, reference or article, the whole site. ``after``'s plan
    holds its pages' Markdown (``before``'s may have let go of it)."""
    (old, old_plan), (new, new_plan) = before, after
    reason = _whole_site_change(old, old_plan, new, new_plan)
    if reason:
        return SiteChanges(whole_site=reason)
    old_texts, new_texts = _page_texts(old, old_plan), _page_texts(new, new_plan)
    pages = {uri for uri, text in new_texts.items() if _fingerprint(text) != _fingerprint(old_texts[uri])}
    for entries in ("cited_on", "anchors", "titles"):
        old_entries, new_entries = getattr(old_plan, entries), getattr(new_plan, entries)
        pages |= {uri for uri in old_entries.keys() | new_entries.keys() if old_entries.get(uri) != new_entries.get(uri)}
    pages |= old_plan.unsearchable ^ new_plan.unsearchable
    if old_plan.cited_in != new_plan.cited_in:
        pages.add(new.paths.references)
    for uri, text in new_texts.items():
        markdown = text.markdown  # a planned page's decoded once
        if _shortcodes_show(old, uri, markdown) != _shortcodes_show(new, uri, markdown):
            pages.add(uri)
    old_files = dict(old_plan.files)
    return SiteChanges(pages=frozenset(pages & new_texts.keys()),
                       files=tuple((uri, content) for uri, content in new_plan.files if old_files[uri] != content))


def _whole_site_change(old: StudyRenderer, old_plan: SitePlan, new: StudyRenderer, new_plan: SitePlan) -> str:
    """Why the change reaches every page (or more than pages), if it does."""
    def outline(renderer: StudyRenderer, plan: SitePlan) -> tuple[object, ...]:
        # A page's settings may show in the navigation (its icon, its status): its title and settings, everywhere.
        own = tuple((page.uri, page.title, page.settings) for page in renderer.study.pages if page.uri not in plan.uris)
        return tuple((page.uri, page.title, page.source, page.in_nav) for page in plan.pages), own
    if outline(old, old_plan) != outline(new, new_plan) or \
            journey_navigation(old.study, old.paths) != journey_navigation(new.study, new.paths):
        return "pages were added, removed, renamed, moved or given other settings"
    if [uri for uri, _ in old_plan.files] != [uri for uri, _ in new_plan.files]:
        return "files were added or removed"
    if old.study.references != new.study.references:
        return "the works cited changed"
    if old.study.article != new.study.article:
        return "the article changed"
    return ""


def _page_texts(renderer: StudyRenderer, plan: SitePlan) -> dict[str, Page | PlannedPage]:
    """Each page's own text: a generated page as planned, a page of the docs folder as it was read."""
    return {page.uri: page for page in renderer.study.pages} | {page.uri: page for page in plan.pages}


def _fingerprint(text: Page | PlannedPage) -> object:
    """A page of the docs folder as it was read; a planned page by its Markdown's fingerprint."""
    return text.fingerprint() if isinstance(text, PlannedPage) else text


def _shortcodes_show(renderer: StudyRenderer, uri: str, markdown: str) -> tuple[str, ...]:
    """What the page's shortcodes show of the study (journey map, "you are here", the article)."""
    renderers = renderer.shortcodes(uri, lambda target: relative(target, uri))
    calls = (match for match in SHORTCODE.finditer(mask_code(markdown)) if match["name"] in renderers)
    return tuple(str(renderers[call["name"]](*call["args"].split())) for call in calls)


def stage_title(stage: Stage) -> str:
    return f"{stage.numeral}. {stage.title}"


def journey_navigation(study: Study, paths: SitePaths) -> list[dict[str, list[Any]]]:
    """The results section of the navigation: each stage (its overview, then its themes), titled
    as its page is. The titles are plain text: whoever writes them into HTML escapes them."""
    return [{stage_title(stage): [{"Overview": paths.stage(stage)}, *(paths.theme(theme) for theme in study.themes_of(stage))]}
            for stage in study.stages]


def _own_source(renderer: StudyRenderer, uri: str) -> str | None:
    """The source of a page the site introduces in its own words (a page of the docs folder at
    the generated page's path), for the edit link."""
    own = renderer.own_page(uri)
    return own.source.path if own else None


def _planned(uri: str, title: str, markdown: str, source: str | None = None, in_nav: bool = True) -> PlannedPage:
    """A page as planned: its Markdown encoded as soon as it is made, so one page's ``str`` is alive at a time."""
    return PlannedPage(uri, title, _without_settings_from_sources(markdown).encode(), source, in_nav)


def _without_settings_from_sources(markdown: str) -> str:
    """A page that does not open with its template's own settings opens with empty ones, so that
    MkDocs reads no settings from text of the sources that comes first (an introduction), nor
    looks for MultiMarkdown's settings (which it does by cutting the whole page into lines)."""
    return markdown if markdown.startswith("---\n") else "---\n{}\n---\n" + markdown


def _offline_link(options: SiteOptions) -> str:
    """The link from the downloads page to the offline edition (written after the build, so
    linked by URL rather than as a page MkDocs knows); none when the site has none."""
    if not options.offline_edition:
        return ""
    stem = posixpath.splitext(options.paths.downloads)[0]
    folder = stem if options.directory_urls and posixpath.basename(stem) != "index" else posixpath.dirname(stem)
    return posixpath.relpath(options.paths.offline_edition, folder or ".")


def _keys_by_page(cited_in: Mapping[str, tuple[CitingPage, ...]]) -> dict[str, tuple[str, ...]]:
    keys: dict[str, list[str]] = {}
    for key, places in cited_in.items():
        for citing in places:
            keys.setdefault(citing.uri, []).append(key)
    return {uri: tuple(found) for uri, found in keys.items()}


def _anchors_by_page(cited_in: Mapping[str, tuple[CitingPage, ...]]) -> dict[str, set[str]]:
    anchors: dict[str, set[str]] = {}
    for places in cited_in.values():
        for citing in places:
            anchors.setdefault(citing.uri, set()).update(citing.anchors)
    return anchors

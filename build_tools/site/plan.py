"""The site's plan: every page and file the study adds to a site, decided from the model alone.

The MkDocs plugin only carries it out (adds the files, marks pages outside the navigation), so
what the site holds, and why, is testable without MkDocs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..citations.index import CitingPage, citation_index
from ..model import Stage, Study
from .options import SiteOptions
from .pages import StudyRenderer
from .paths import SitePaths


@dataclass(frozen=True)
class PlannedPage:
    """A generated page: its path in the docs folder, its title as plain text, its Markdown, the
    source file its edit link opens (relative to the project), and whether the navigation lists it."""

    uri: str
    title: str
    markdown: str
    source: str | None = None
    in_nav: bool = True


@dataclass(frozen=True)
class SitePlan:
    """The pages and files to add, and where each work is cited (for reference lists and back-links)."""

    pages: tuple[PlannedPage, ...]
    files: tuple[tuple[str, str | bytes], ...]
    cited_in: Mapping[str, tuple[CitingPage, ...]]  # by key: the places citing it, the whole-study page left out
    cited_on: Mapping[str, tuple[str, ...]]  # by page: the keys it cites, in the order of the index
    anchors: Mapping[str, frozenset[str]]  # by page: the ids of its citations' links
    titles: Mapping[str, str]  # by page: the title the study gives it (a theme without its quotation marks)
    # Pages that only repeat what other pages say (the whole study on one page): search finds each passage once, where it belongs.
    unsearchable: frozenset[str] = frozenset()

    @property
    def uris(self) -> frozenset[str]:
        return frozenset(page.uri for page in self.pages)


def plan_site(renderer: StudyRenderer, options: SiteOptions, nav_order: Mapping[str, int], bibliography: str) -> SitePlan:
    """What the site holds of ``renderer``'s study; ``nav_order`` gives each page's place in the
    navigation, so a work's "Cited in" links follow the order of the site; ``bibliography`` is the
    bibliography file (relative to the project), which the references page's edit link opens."""
    study, paths = renderer.study, options.paths
    pages: list[PlannedPage] = []
    for stage in study.stages:
        pages.append(PlannedPage(paths.stage(stage), stage_title(stage), renderer.stage_page(stage), stage.source.path))
    for theme in study.themes:
        pages.append(PlannedPage(paths.theme(theme), f"“{theme.label}”", renderer.theme_page(theme), theme.source.path))
        pages.append(PlannedPage(paths.projection(theme), f"Projection: {theme.label}", renderer.projection_page(theme), in_nav=False))
    if study.teaching:
        pages += [PlannedPage(paths.handout(stage), f"Handout: stage {stage.numeral}", renderer.handout_page(stage), in_nav=False)
                  for stage in study.stages]
    if study.quotations:
        title, markdown = renderer.quotations_page()
        pages.append(PlannedPage(paths.quotations, title, markdown, _own_source(renderer, paths.quotations)))
    if options.whole_study:
        pages.append(PlannedPage(paths.whole_study, options.whole_study_title, renderer.whole_study_page()))

    planned = {page.uri for page in pages}
    texts = [(page.uri, page.title, page.markdown) for page in study.pages if page.uri not in planned]
    texts += [(page.uri, page.title, page.markdown) for page in pages]
    cited_in = citation_index(sorted(texts, key=lambda text: nav_order.get(text[0], len(nav_order))), renderer.references.members_of)
    title, markdown = renderer.references_page(set(cited_in))
    pages.append(PlannedPage(paths.references, title, markdown, bibliography))
    if study.themes:
        title, markdown = renderer.downloads_page(_offline_link(options))
        pages.append(PlannedPage(paths.downloads, title, markdown, _own_source(renderer, paths.downloads)))

    titles = {page.uri: page.title for page in pages} | {paths.theme(theme): theme.label for theme in study.themes}
    return SitePlan(
        pages=tuple(PlannedPage(page.uri, page.title, _without_settings_from_sources(page.markdown), page.source, page.in_nav)
                    for page in pages),
        files=(*renderer.downloads(), *(renderer.data_files() if study.themes else [])),
        # The whole-study page repeats the other pages: its citations are not listed as further places.
        cited_in={key: tuple(citing for citing in places if citing.uri != paths.whole_study) for key, places in cited_in.items()},
        cited_on=_keys_by_page(cited_in),
        anchors={uri: frozenset(anchors) for uri, anchors in _anchors_by_page(cited_in).items()},
        titles=titles,
        unsearchable=frozenset({paths.whole_study} & {page.uri for page in pages}),
    )


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


def _without_settings_from_sources(markdown: str) -> str:
    """A page that does not open with its template's own settings opens with a blank line, so
    that MkDocs reads no settings from text of the sources that comes first (an introduction)."""
    return markdown if markdown.startswith("---\n") else "\n" + markdown


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

"""The MkDocs plugin: a thin adapter that carries out what the core decides.

Per build (``on_config``, as MkDocs advises for state): the sources are read and checked (the build
fails with every problem listed), and the renderer is set up. ``on_files`` adds the pages and
files of the core's :func:`~build_tools.site.plan.plan_site`; the page hooks hand each page to the
citation and shortcode extensions and to the sanitizer. Every hook is a few lines. In ``mkdocs
serve``, the hooks also tell the live preview (:mod:`.live_preview`) what each build made, and
:meth:`StudyPlugin.restudy` reads the sources again for it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from importlib.resources import files as package_files
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..citations.cache import FormattingCache
from ..citations.index import AnchorNumbering, page_reference_anchor, reference_anchor
from ..citations.references import ReferenceList
from ..model import Study
from ..problems import Problem, SourceErrors, display_path, excerpt
from ..sanitizer import Allowlist, clean_html_once, clean_svg
from ..site.pages import REFERENCES_PLACEHOLDER, StudyRenderer
from ..site.plan import PlannedPage, SitePlan, journey_navigation, plan_site
from ..sources.loader import load_study
from ..sources.schema import schema
from ..sources.settings import SiteSettings
from .markdown_citations import CitationExtension
from .mkdocs_config import (
    OFFLINE_PLUGIN,
    OVERRIDES,
    PROJECTION_SCRIPT,
    SCRIPT,
    SHIM,
    STYLESHEET,
    StudyConfig,
    site_options,
    site_settings,
    source_folders_for,
)
from .mkdocs_pages import (
    fill_section,
    nav_order,
    plain_text_meta,
    settle_page,
    share_source,
)
from .shortcodes import ShortcodeExtension
from .theme_work import ThemeWork

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

    from .live_preview import LivePreview
    from .offline import EditionInProgress, FirstBuild

log = get_plugin_logger(__name__)
PAGE_FIELDS = frozenset(schema("page")["properties"])  # all the theme may read of a page's settings
GENERATED_PAGE_FIELDS = frozenset({"hide", "search", "template"})  # all the templates of generated pages give


class StudyPlugin(BasePlugin[StudyConfig]):
    """Publishes the study: journey map, stage and theme pages, quotations, references, citations."""

    command = "build"
    first_build: FirstBuild | None = None  # in the offline edition's build: what the site's own build read and compiled
    edition: EditionInProgress | None = None  # the offline edition being built beside this build
    preview: LivePreview | None = None  # in `mkdocs serve`: what each build made, to render its pages again

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.preview = None
        if command == "serve" and not dirty:
            from .live_preview import LivePreview  # watches and serves: only for `mkdocs serve`

            self.preview = LivePreview(self)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        building_offline = OFFLINE_PLUGIN in config.plugins  # the offline edition is a build of its own
        self.folders = source_folders_for(config, self.config)
        self.docs_dir = Path(config.docs_dir).resolve()
        self.cache_file = self.folders.root / self.config.cache_dir / "references.json"
        self.cache = FormattingCache.load(self.cache_file)
        self.settings = settings = site_settings(config, self.config)
        self.allowlist = Allowlist(settings.allowed_classes)
        first_build, self.first_build = self.first_build, None  # MkDocs may keep this plugin for its next build
        self.study, references, self.theme_work = first_build or (*self._read(settings), ThemeWork())
        self.theme_work.install(config.theme)  # the offline edition's build reuses the templates compiled here
        self.options = site_options(config, self.config, building_offline)
        self.renderer = StudyRenderer(self.study, references, self.options)
        self.citations = CitationExtension(self.renderer.citation_formatter, warn_unknown_keys=False)  # unknown keys: the check's errors
        self.shortcodes = ShortcodeExtension()
        config.markdown_extensions += [self.citations, self.shortcodes]  # type: ignore[list-item]
        self.assets = _add_theme_parts(config, building_offline)
        fill_section(config.nav, self.config.results_section, journey_navigation(self.study, self.options.paths))
        return config

    def _read(self, settings: SiteSettings) -> tuple[Study, ReferenceList]:
        try:
            study, bibliography = load_study(self.folders, complete_bibliography=False, known_references=self.cache.references,
                                             settings=settings, checked_bibliography=self.cache.checked)
        except SourceErrors as errors:
            raise _errors(errors.problems) from None
        self.cache.mark_checked(bibliography.checked)  # the build goes on: every entry passed
        return study, ReferenceList(bibliography, self.cache)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.plan: SitePlan = plan_site(self.renderer, self.options, nav_order(config.nav), self.folders.bibliography)
        source_only = self.folders.source_only_in(self.docs_dir)  # stage and teaching files are sources, not pages
        for file in list(files):
            if file.src_uri in self.plan.uris or (file.src_uri.endswith(".md") and file.src_uri.startswith(source_only)):
                files.remove(file)
            elif file.src_uri.lower().endswith(".svg") and file.abs_src_path and Path(file.src_dir or "").resolve() == self.docs_dir:
                files.remove(file)  # published sanitized (what may not be published at all the check refused)
                svg = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
                files.append(File.generated(config, file.src_uri, content=clean_svg(svg)))
        for page in self.plan.pages:
            files.append(self._generated_page(config, page))
        self.release_pages()
        for uri, content in self.plan.files:
            files.append(File.generated(config, uri, content=content))
        for asset in self.assets:
            files.append(File.generated(config, asset, content=(package_files("build_tools.site") / asset).read_bytes()))
        return files

    def _generated_page(self, config: MkDocsConfig, page: PlannedPage) -> File:
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        generated = File.generated(config, page.uri, content=page.content, inclusion=inclusion)
        source = page.source and (self.folders.root / page.source).as_posix()
        generated.edit_uri = posixpath.relpath(source, self.docs_dir.as_posix()) if source else None
        return generated

    def restudy(self, config: MkDocsConfig) -> None:
        """For the live preview: the sources read and planned again, as this build's ``on_config``
        and ``on_files`` did, for its pages to be rendered again (its configuration stays)."""
        self.study, references = self._read(self.settings)
        self.renderer = StudyRenderer(self.study, references, self.options)
        self.citations.formatter = self.renderer.citation_formatter
        self.plan = plan_site(self.renderer, self.options, nav_order(config.nav), self.folders.bibliography)

    def release_pages(self) -> None:
        """The plan lets go of its pages' Markdown once MkDocs' files hold it (the live preview too,
        once it has rendered them again): a page quoting a long interview is not kept twice."""
        self.plan = self.plan.released()

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.preview:
            self.preview.building(config, files, nav)
        return nav

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.preview:
            self.preview.reading(page)
        return page

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self.preview:
            self.preview.rendering(env)
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        here = page.file.src_uri
        unknown = set(page.meta) - (PAGE_FIELDS if page.file.generated_by is None else GENERATED_PAGE_FIELDS)
        if unknown:  # the check read this page's front matter as MkDocs did; this is the build making sure
            raise _errors([Problem(display_path(Path(page.file.abs_src_path or here), self.folders.root), 1,
                                   f"unknown field '{excerpt(min(unknown))}' in the page's settings")])
        settle_page(page, searchable=here not in self.plan.unsearchable, generated=here in self.plan.uris)

        def href(target: str) -> str:
            file = files.get_file_from_path(target)
            if file is None:
                raise PluginError(f"{here}: the journey map links to {target}, which is not a page of the site")
            return get_relative_url(file.url, page.url)

        # Citations reach the page as HTML, past MkDocs' link rewriting: they get the URL itself.
        self.citations.references_url = href(self.options.paths.references)
        self.shortcodes.renderers = self.renderer.shortcodes(here, href)
        if here == self.options.paths.references:
            return markdown
        return markdown + self.renderer.references_section(self.plan.cited_on.get(here, ()))

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        here = page.file.src_uri
        if page.present_anchor_ids is not None:  # citations are HTML to MkDocs: tell it their anchors
            page.present_anchor_ids.update(self.plan.anchors.get(here, ()))
        plain_text_meta(page, self.plan.titles.get(here))
        if here in self.plan.uris:
            share_source(page)
        # The last step of the page's HTML, but for its reference list, which is sanitized as it is made (and kept so in the cache).
        html = clean_html_once(html, self.allowlist, self.cache.render)
        if REFERENCES_PLACEHOLDER in html:
            html = html.replace(REFERENCES_PLACEHOLDER, self._reference_list(page, files), 1)
        return html

    def _reference_list(self, page: Page, files: Files) -> str:
        def href(uri: str, fragment: str) -> str:
            file = files.get_file_from_path(uri)
            return f"{get_relative_url(file.url, page.url) if file else uri}#{fragment}"

        here = page.file.src_uri
        if here != self.options.paths.references:  # the page's own list: each entry links back to its citations here
            anchors = self.plan.anchors.get(here, frozenset())
            cited_here = {key: AnchorNumbering.of(key, anchors) for key in self.plan.cited_on.get(here, ())}
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.update(map(page_reference_anchor, cited_here))
            return self.renderer.citation_formatter.page_reference_list(cited_here)
        if page.present_anchor_ids is not None:  # so MkDocs validates links to the entries
            page.present_anchor_ids.update(map(reference_anchor, self.plan.cited_in))
        return self.renderer.citation_formatter.reference_list(set(self.plan.cited_in), href, dict(self.plan.cited_in))

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        head = self.renderer.head(self.plan.cited_on.get(page.file.src_uri, ()), page.canonical_url or "")
        return output.replace("</head>", f"{head}\n</head>", 1) if head else output

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.edition = None
        if self.options.offline_edition and self.command != "serve":  # started now, beside this build, where it can be
            from .offline import start_offline_edition

            self.edition = start_offline_edition(Path(config.config_file_path), self._first_build())

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self.cache.save(self.cache_file)
        except OSError as error:
            log.info(f"could not keep the formatted references for the next build: {error}")
        if self.options.offline_edition and self.command != "serve":
            from .offline import build_offline_edition  # drives a second MkDocs build

            archive = Path(config.site_dir) / self.options.paths.offline_edition
            edition, self.edition = self.edition, None
            if edition:
                edition.finish(archive)
            else:
                build_offline_edition(Path(config.config_file_path), archive,  # its warnings are the site's: this build judges them
                                      self._first_build(), strict=False)

    def _first_build(self) -> FirstBuild:
        """What this build hands the offline edition's: the study it read, and the theme's work."""
        from .offline import FirstBuild

        return FirstBuild(self.study, self.renderer.references, self.theme_work)

    def on_build_error(self, *, error: Exception) -> None:
        edition, self.edition = self.edition, None
        if edition:
            edition.cancel()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[[], None]) -> LiveReloadServer:
        if self.preview:  # events, not polling, and only the pages a change feeds rendered again
            return self.preview.serve(server, builder, self.folders.watched())
        for path in self.folders.watched():
            server.watch(str(path))
        return server


def _add_theme_parts(config: MkDocsConfig, building_offline: bool) -> tuple[str, ...]:
    """Our stylesheet and scripts, and our templates: after the site's own custom_dir and before
    Material's, so that a site may still override them and they override Material (to name what it
    leaves unnamed, to give the projection a page of its own). Returns the assets to publish."""
    overrides = str(package_files("build_tools.site") / OVERRIDES)
    if overrides not in config.theme.dirs:  # the offline edition's build reads the same config
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
    config.extra_css.insert(0, STYLESHEET)
    config.extra_javascript.append(SCRIPT)  # projection.js: only the projection's template loads it
    if building_offline:  # search from file:// needs the shim; ours, not the CDN's
        config.extra["polyfills"] = [SHIM]
        return (STYLESHEET, SCRIPT, PROJECTION_SCRIPT, SHIM)
    return (STYLESHEET, SCRIPT, PROJECTION_SCRIPT)


def _errors(problems: list[Problem] | tuple[Problem, ...]) -> PluginError:
    return PluginError(f"the study's sources have {len(problems)} error(s):\n{SourceErrors(problems)}")

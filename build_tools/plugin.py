"""The MkDocs plugin: a thin adapter that feeds the study model to MkDocs.

``on_config`` loads and validates the sources (failing the build with every problem listed),
``on_files`` adds the generated pages, ``on_page_markdown`` tells the citation extension which
page it is on. Everything else lives in the core package.
"""

from __future__ import annotations

import html
import posixpath
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from markupsafe import escape
from mkdocs.config import config_options as opt
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from .citations.cache import FormattingCache
from .citations.index import CitingPage, citation_index
from .citations.references import ReferenceList
from .loader import Layout, load_study
from .markdown_ext import CitationExtension
from .model import Study
from .problems import Problem, SourceErrors, display_path, excerpt
from .render import REFERENCES_PLACEHOLDER, SitePaths, StudyRenderer
from .sanitizer import Allowlist, clean_html, clean_svg, clean_text, is_safe_id
from .schema import schema
from .settings import SiteSettings
from .urls import UnsafeURL, web_url

log = get_plugin_logger(__name__)
OFFLINE_PLUGIN = "material/offline"
PAGE_FIELDS = frozenset(schema("page")["properties"])  # all the theme may read of a page's settings
GENERATED_PAGE_FIELDS = frozenset({"hide", "search"})  # all the templates of generated pages give
# Theme features that would make text from the sources markup again in the reader's browser.
UNSAFE_FEATURES = {
    "content.tooltips": "theme.features: content.tooltips shows every title attribute as HTML (Material's tooltip), so "
                        "text from the sources could run as script: remove it (the study shows a citation's reference "
                        "on hover and focus itself)",
}
STYLESHEET = "assets/study.css"
SCRIPT = "assets/study.js"
SHIM = "assets/iframe-worker-shim.js"


class StudyConfig(Config):
    bibliography = opt.Type(str, default="bibliography.bib")
    themes = opt.Type(str, default="themes")
    quotes = opt.Type(str, default="quotes")
    stages = opt.Type(str, default="content/stages")
    results_section = opt.Type(str, default="Results")
    quotations_page = opt.Type(str, default="quotations.md")
    references_page = opt.Type(str, default="references.md")
    cache_dir = opt.Type(str, default=".cache/build_tools")
    whole_study = opt.ListOfItems(opt.Type(str), default=[])
    whole_study_page = opt.Type(str, default="study.md")
    whole_study_title = opt.Type(str, default="Read the whole study")
    offline_edition = opt.Type(bool, default=False)
    offline_edition_file = opt.Type(str, default="downloads/balint-journey-offline.zip")
    allowed_classes = opt.ListOfItems(opt.Type(str), default=[])


class StudyPlugin(BasePlugin[StudyConfig]):
    """Publishes the study: journey map, stage and theme pages, quotations, references, citations."""

    command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Per build: the offline edition is a build of its own, with Material's offline plugin.
        self.building_offline = OFFLINE_PLUGIN in config.plugins
        self.layout = layout_for(config, self.config)
        root, docs = self.layout.root, self.layout.path(self.layout.content).resolve()
        self.cache_file = root / self.config.cache_dir / "references.json"
        self.cache = FormattingCache.load(self.cache_file)
        self.settings = site_settings(config, self.config)
        self.allowlist = Allowlist(self.settings.allowed_classes)
        try:
            self.study, bibliography = load_study(self.layout, complete_bibliography=False, known_references=self.cache.references,
                                                  settings=self.settings, checked_bibliography=self.cache.checked)
        except SourceErrors as errors:
            raise _errors(errors.problems) from None
        self.docs_dir = docs
        self.paths = SitePaths(**_page_options(self.config))
        self.cache.mark_checked(bibliography.text_digest)  # the build goes on: every entry passed
        self.bibliography_text = bibliography.text
        references = ReferenceList(bibliography, self.cache)
        self.renderer = StudyRenderer(self.study, references, self.paths)
        self.citations = CitationExtension(self.renderer.citation_formatter)  # one formatter for pages and data files
        config.markdown_extensions.append(self.citations)  # type: ignore[arg-type]
        config.extra_css.insert(0, STYLESHEET)
        config.extra_javascript.append(SCRIPT)
        if self.building_offline:  # search from file:// needs the shim; ours, not the CDN's
            config.extra["polyfills"] = [SHIM]
        _fill_results_section(config, self.config.results_section, self.study, self.paths)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._publishable(files, config)
        self.outside_nav: set[str] = set()  # pages reached from other pages, not from the navigation
        # Stage and teaching files are sources of generated pages (stages/ID.md), not pages of their own.
        folders = [posixpath.relpath((self.layout.root / folder).as_posix(), self.docs_dir.as_posix()).rstrip("/") + "/"
                   for folder in (self.layout.stages, self.layout.teaching)]
        for file in [f for f in files if f.src_uri.startswith(tuple(folders)) and f.src_uri.endswith(".md")]:
            files.remove(file)
        generated: list[tuple[str, str, str, str | None]] = []  # uri, title, markdown, source
        for stage in self.study.stages:
            generated.append((self.paths.stage(stage), f"{stage.numeral}. {stage.title}", self.renderer.stage_page(stage), stage.source.path))
        for theme in self.study.themes:
            generated.append((self.paths.theme(theme), f"“{theme.label}”", self.renderer.theme_page(theme), theme.source.path))
            self.outside_nav.add(self.paths.projection(theme))
            generated.append((self.paths.projection(theme), f"Projection: {theme.label}", self.renderer.projection_page(theme), None))
        if self.study.teaching:
            for stage in self.study.stages:
                self.outside_nav.add(self.paths.handout(stage))
                generated.append((self.paths.handout(stage), f"Handout: stage {stage.numeral}", self.renderer.handout_page(stage), None))
        if self.study.quotations:
            generated.append((self.paths.quotations, "Quotations", self.renderer.quotations_page(), None))
        if self.config.whole_study:
            try:
                whole = self.renderer.whole_study_page(self.config.whole_study_page, self.config.whole_study, self.config.whole_study_title)
            except ValueError as error:
                raise PluginError(f"{self.layout.root.name}/mkdocs.yml: {error}") from None
            generated.append((self.config.whole_study_page, self.config.whole_study_title, whole, None))
        generated_uris = {uri for uri, *_ in generated}
        pages = [(page.uri, page.title, page.markdown) for page in self.study.pages if page.uri not in generated_uris]
        pages += [(uri, title, markdown) for uri, title, markdown, _ in generated]
        order = _nav_order(config.nav)
        cited_in = citation_index(sorted(pages, key=lambda page: order.get(page[0], len(order))))
        references_title, references_page = self.renderer.references_page(set(cited_in))
        generated.append((self.paths.references, references_title, references_page, self.layout.bibliography))
        if self.study.themes:
            offline = ""
            if self.config.offline_edition and not self.building_offline:  # written after the build, so linked by URL
                page_url = File.generated(config, self.paths.downloads, content="").url
                offline = get_relative_url(self.config.offline_edition_file, page_url)
            generated.append((self.paths.downloads, "Data and downloads", self.renderer.downloads_page(offline), None))

        # Each generated page's title, shown as plain text; a theme is named without the quotation
        # marks that set it off where it is cited.
        self.titles = {uri: title for uri, title, _, _ in generated} | {self.paths.theme(theme): theme.label for theme in self.study.themes}
        for uri, _, markdown, source in generated:
            self._replace(files, config, uri, markdown, source)
        self.cited_on = _keys_by_page(cited_in)
        self.citation_anchors = _anchors_by_page(cited_in)
        # The whole-study page repeats the other pages: its citations are not listed as further places.
        self.cited_in = {key: tuple(citing for citing in places if citing.uri != self.config.whole_study_page)
                         for key, places in cited_in.items()}
        data = self.renderer.data_files() if self.study.themes else []
        for uri, content in self._downloads() + data:
            files.append(File.generated(config, uri, content=content))
        for asset in (STYLESHEET, SCRIPT, SHIM) if self.building_offline else (STYLESHEET, SCRIPT):
            files.append(File.generated(config, asset, content=(package_files("build_tools") / asset).read_bytes()))
        return files

    def _publishable(self, files: Files, config: MkDocsConfig) -> None:
        """SVG pictures of the docs folder are published sanitized. (What may not be published at
        all the check has refused already: its walk of the folder sees every file MkDocs does.)"""
        for file in list(files):
            if file.src_uri.lower().endswith(".svg") and file.abs_src_path and file.src_dir and Path(file.src_dir).resolve() == self.docs_dir:
                files.remove(file)
                files.append(File.generated(config, file.src_uri, content=clean_svg(Path(file.abs_src_path).read_text(encoding="utf-8-sig"))))

    def _downloads(self) -> list[tuple[str, str | bytes]]:
        """Cite-this-study files: the article in three formats, and the whole bibliography."""
        # The bibliography as the check read it (UTF-8 without a byte-order mark, LF line ends), not
        # the file again: it is what was checked, and the same whichever editor saved it.
        downloads: list[tuple[str, str | bytes]] = [(self.paths.bibliography, self.bibliography_text)]
        article = self.study.article
        if article is not None:
            from .citations.export import (  # pybtex, only for an article
                article_bibtex,
                article_csl_json,
                article_ris,
            )

            downloads += [(self.paths.article_bibtex, article_bibtex(article)), (self.paths.article_ris, article_ris(article)),
                          (self.paths.article_csl, article_csl_json(article))]
        return downloads

    def _replace(self, files: Files, config: MkDocsConfig, uri: str, content: str, source: str | None) -> None:
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        inclusion = InclusionLevel.NOT_IN_NAV if uri in self.outside_nav else InclusionLevel.UNDEFINED
        # A page that does not open with its template's own settings opens with a blank line, so that
        # MkDocs reads no settings from text of the sources that comes first (an introduction).
        content = content if content.startswith("---\n") else "\n" + content
        generated = File.generated(config, uri, content=content, inclusion=inclusion)
        generated.edit_uri = posixpath.relpath((self.layout.root / source).as_posix(), self.docs_dir.as_posix()) if source else None
        files.append(generated)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        here = page.file.src_uri
        unknown = set(page.meta) - (PAGE_FIELDS if page.file.generated_by is None else GENERATED_PAGE_FIELDS)
        if unknown:  # the check read this page's front matter as MkDocs did; this is the build making sure
            raise _errors([Problem(display_path(Path(page.file.abs_src_path or here), self.layout.root), 1,
                                   f"unknown field '{excerpt(min(unknown))}' in the page's settings")])
        page.edit_url = _edit_url(page.edit_url)

        def href(target: str) -> str:
            file = files.get_file_from_path(target)
            if file is None:
                raise PluginError(f"{here}: the journey map links to {target}, which is not a page of the site")
            return get_relative_url(file.url, page.url)

        # Citations reach the page as HTML, past MkDocs' link rewriting: they get the URL itself.
        self.citations.references_url = href(self.paths.references)

        self.citations.shortcodes = {
            "journey-map": lambda: self.renderer.journey_map(here, href),
            "journey-here": lambda current: self.renderer.journey_here(current, href),
            "cite-article": lambda: self.renderer.cite_article(here),
        }
        if here == self.paths.references:
            return markdown
        return markdown + self.renderer.references_section(self.cited_on.get(here, []))

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        here = page.file.src_uri
        if page.present_anchor_ids is not None:  # citations are HTML to MkDocs: tell it their anchors
            page.present_anchor_ids.update(self.citation_anchors.get(here, ()))
        _plain_text_meta(page, self.titles.get(here))
        html = clean_html(html, self.allowlist)  # the last step of the page's HTML, but for its reference list,
        if REFERENCES_PLACEHOLDER in html:       # which is sanitized as it is made (and kept so in the cache)
            html = self._with_references(html, page, files)
        return html

    def _with_references(self, html: str, page: Page, files: Files) -> str:
        here = page.file.src_uri

        def href(uri: str, fragment: str) -> str:
            file = files.get_file_from_path(uri)
            return f"{get_relative_url(file.url, page.url) if file else uri}#{fragment}"

        full = here == self.paths.references
        keys = set(self.cited_in) if full else set(self.cited_on.get(here, []))
        listing = self.renderer.reference_list(keys, href, self.cited_in if full else None)
        if full and page.present_anchor_ids is not None:  # so MkDocs validates links to the entries
            page.present_anchor_ids.update(f"ref-{key}" for key in keys)
        return html.replace(REFERENCES_PLACEHOLDER, listing, 1)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self.cache.save(self.cache_file)
        except OSError as error:
            log.info(f"could not keep the formatted references for the next build: {error}")
        if self.config.offline_edition and not self.building_offline and self.command != "serve":
            from .offline import build_offline_edition  # drives a second MkDocs build

            build_offline_edition(Path(config.config_file_path), Path(config.site_dir) / self.config.offline_edition_file)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        head = self.renderer.head(self.cited_on.get(page.file.src_uri, []), page.canonical_url or "")
        return output.replace("</head>", f"{head}\n</head>", 1) if head else output

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for path in self.layout.watched():
            server.watch(str(path))
        return server


def _errors(problems: list[Problem] | tuple[Problem, ...]) -> PluginError:
    return PluginError(f"the study's sources have {len(problems)} error(s):\n{SourceErrors(problems)}")


def _plain_text_meta(page: Page, title: str | None) -> None:
    """Escape what the theme writes of a page without escaping it: its titles (in the navigation,
    the browser tab, the footer), its description (in a meta tag) and its table of contents.
    ``title`` is the title the study gives a generated page; a page of the docs folder keeps the one
    MkDocs found (its front matter's, or its first heading's). The navigation of mkdocs.yml may
    name a page otherwise; that name stays its name in the navigation."""
    in_nav = page.__dict__.get("title")  # MkDocs sets it on the page from mkdocs.yml's nav
    own = title if title is not None else page.meta.get("title")
    if not isinstance(own, str):
        own = in_nav if isinstance(in_nav, str) else html.unescape(page.title or "")  # a heading's, as HTML
    shown = str(escape(" ".join(own.split())))
    if "title" in page.meta or title is not None or not page.is_homepage:  # Material writes it into <title> as it is
        page.meta["title"] = shown
    page.title = str(escape(" ".join(in_nav.split()))) if isinstance(in_nav, str) else shown  # type: ignore[misc]
    if "description" in page.meta:
        page.meta["description"] = str(escape(" ".join(str(page.meta["description"]).split())))
    _clean_toc(page.toc.items if page.toc else [])


def _clean_toc(items: list[AnchorLink]) -> None:
    """Table-of-contents entries come from headings' HTML and ids: text and word-like ids only."""
    for item in items:
        if any(char in item.title for char in "<>&"):  # markup or references: only text is kept
            item.title = clean_text(item.title)
        if not is_safe_id(item.id):
            item.id = ""
        _clean_toc(item.children)


def _edit_url(url: str | None) -> str | None:
    """The edit link as a safe address ("…/content/../themes/x.md" becomes "…/themes/x.md"); none
    when it is not an http(s) address."""
    if not url:
        return None
    parts = urlsplit(url)
    try:
        return web_url(urlunsplit(parts._replace(path=posixpath.normpath(parts.path))))
    except UnsafeURL:
        return None


def _page_options(options: StudyConfig | None) -> dict[str, str]:
    return {"quotations": options.quotations_page, "references": options.references_page} if options else {}


def site_settings(config: MkDocsConfig, options: StudyConfig | None) -> SiteSettings:
    """What the check needs of the site's configuration to judge the sources as the build does."""
    named = [*config.extra_css, *(str(getattr(script, "path", script)) for script in config.extra_javascript)]
    return SiteSettings(
        markdown_extensions=tuple(name for name in config.markdown_extensions if isinstance(name, str)),
        markdown_configs=dict(config.mdx_configs),
        allowed_classes=frozenset(options.allowed_classes) if options else frozenset(),
        configured_files=frozenset(path for path in named if not urlsplit(path).scheme and not path.startswith("//")),
        theme_dirs=tuple(config.theme.dirs),
        generated_files=frozenset((*SitePaths(**_page_options(options)).files(), STYLESHEET, SCRIPT, SHIM,
                                   *([options.offline_edition_file] if options else []))),
        page_templates=frozenset({"main.html"} | ({path.name for path in Path(config.theme.custom_dir).glob("*.html")}
                                                   if config.theme.custom_dir else set())),
        whole_study=tuple(options.whole_study) if options else (),
        refused=tuple(message for feature, message in UNSAFE_FEATURES.items() if feature in (config.theme.get("features") or [])),
        config_file=display_path(Path(config.config_file_path or "mkdocs.yml"), Path(config.config_file_path or ".").resolve().parent),
    )


def layout_for(config: MkDocsConfig, options: StudyConfig | None) -> Layout:
    """Where the plugin finds the study's sources under this MkDocs configuration (the default
    places, under its docs_dir, for a site without the plugin's ``options``)."""
    root = Path(config.config_file_path or ".").resolve().parent
    content = posixpath.relpath(Path(config.docs_dir).resolve().as_posix(), root.as_posix())
    if options is None:
        return Layout(root=root, content=content)
    return Layout(root=root, content=content, stages=options.stages, themes=options.themes, quotes=options.quotes,
                  bibliography=options.bibliography)


def site_configuration(config_file: Path) -> tuple[Layout, SiteSettings]:
    """Where a build with ``config_file`` (an mkdocs.yml) finds the sources, and the settings it
    judges them by. Raises MkDocs' ConfigurationError for a broken file."""
    config = load_config(str(config_file))
    plugin = config.plugins.get("study")
    options = plugin.config if isinstance(plugin, StudyPlugin) else None
    return layout_for(config, options), site_settings(config, options)


def _keys_by_page(cited_in: dict[str, tuple[CitingPage, ...]]) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for key, pages in cited_in.items():
        for citing in pages:
            keys.setdefault(citing.uri, []).append(key)
    return keys


def _anchors_by_page(cited_in: dict[str, tuple[CitingPage, ...]]) -> dict[str, set[str]]:
    anchors: dict[str, set[str]] = {}
    for pages in cited_in.values():
        for citing in pages:
            anchors.setdefault(citing.uri, set()).update(citing.anchors)
    return anchors


def _nav_order(nav: Any) -> dict[str, int]:
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


def _fill_results_section(config: MkDocsConfig, title: str, study: Study, paths: SitePaths) -> None:
    """Fill the nav section named ``title`` with the journey: each stage, then its themes."""
    for item in config.nav or []:
        if isinstance(item, dict) and title in item:
            item[title] = [  # MkDocs writes a section's title into the navigation as it is: escaped here
                {str(escape(f"{stage.numeral}. {stage.title}")): [{"Overview": paths.stage(stage)}] + [paths.theme(theme) for theme in study.themes_of(stage)]}
                for stage in study.stages
            ]
            return

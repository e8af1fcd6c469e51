"""What the plugin reads of MkDocs' configuration: its own options, where the sources are, and the
settings the sources are judged by, so the check (``python -m build_tools check``) judges as the
build does."""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as opt
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig

from ..problems import display_path
from ..site.options import SiteOptions
from ..site.paths import SitePaths, file_stem
from ..sources.folders import DEFAULT_FOLDERS, SourceFolders
from ..sources.settings import SiteSettings
from .mkdocs_pages import has_section

OFFLINE_PLUGIN = "material/offline"
STYLESHEET = "assets/study.css"
SCRIPT = "assets/study.js"
PROJECTION_SCRIPT = "assets/projection.js"  # the slide deck's: only its page (overrides/projection.html) loads it
SHIM = "assets/iframe-worker-shim.js"
OVERRIDES = "overrides"  # our templates over Material's, in build_tools/site/
# Theme features that would make text from the sources markup again in the reader's browser.
UNSAFE_FEATURES = {
    "content.tooltips": "theme.features: content.tooltips shows every title attribute as HTML (Material's tooltip), so "
                        "text from the sources could run as script: remove it (the study shows a citation's reference "
                        "on hover and focus itself)",
}
_PATHS, _OPTIONS = SitePaths(), SiteOptions()


class StudyConfig(Config):
    """The plugin's options in mkdocs.yml; every default is the core's own."""

    bibliography = opt.Type(str, default=DEFAULT_FOLDERS.bibliography)
    stages = opt.Optional(opt.Type(str))  # stages/ in the docs folder when not given
    teaching = opt.Optional(opt.Type(str))  # teaching/ in the docs folder when not given
    themes = opt.Type(str, default=DEFAULT_FOLDERS.themes)
    quotes = opt.Type(str, default=DEFAULT_FOLDERS.quotes)
    file_stem = opt.Optional(opt.Type(str))  # names the site's own files; from site_name when not given
    results_section = opt.Type(str, default=_OPTIONS.results_section)
    map_title = opt.Type(str, default=_OPTIONS.map_title)
    teaching_guide = opt.Type(str, default=_OPTIONS.teaching_guide)
    quotations_page = opt.Type(str, default=_PATHS.quotations)
    references_page = opt.Type(str, default=_PATHS.references)
    downloads_page = opt.Type(str, default=_PATHS.downloads)
    cache_dir = opt.Type(str, default=".cache/build_tools")
    whole_study = opt.ListOfItems(opt.Type(str), default=[])
    whole_study_page = opt.Type(str, default=_PATHS.whole_study)
    whole_study_title = opt.Type(str, default=_OPTIONS.whole_study_title)
    offline_edition = opt.Type(bool, default=False)
    allowed_classes = opt.ListOfItems(opt.Type(str), default=[])


def site_paths(config: MkDocsConfig, options: StudyConfig | None) -> SitePaths:
    if options is None:
        return SitePaths(stem=file_stem(config.site_name))
    suffix = PurePosixPath(options.bibliography).suffix.lower()  # published in the format it is written in: .bib, .json, .yaml
    return SitePaths(stem=options.file_stem or file_stem(config.site_name), quotations=options.quotations_page,
                     references=options.references_page, downloads=options.downloads_page, whole_study=options.whole_study_page,
                     bibliography=f"cite/bibliography{suffix if suffix in ('.json', '.yaml', '.yml') else '.bib'}")


def site_options(config: MkDocsConfig, options: StudyConfig, building_offline: bool) -> SiteOptions:
    return SiteOptions(site_name=config.site_name, paths=site_paths(config, options), results_section=options.results_section,
                       map_title=options.map_title, teaching_guide=options.teaching_guide, whole_study=tuple(options.whole_study),
                       whole_study_title=options.whole_study_title,
                       offline_edition=options.offline_edition and not building_offline,  # the offline build links no zip
                       directory_urls=config.use_directory_urls)


def site_settings(config: MkDocsConfig, options: StudyConfig | None) -> SiteSettings:
    """What the check needs of the site's configuration to judge the sources as the build does."""
    named = [*config.extra_css, *(str(getattr(script, "path", script)) for script in config.extra_javascript)]
    return SiteSettings(
        markdown_extensions=tuple(name for name in config.markdown_extensions if isinstance(name, str)),
        markdown_configs=dict(config.mdx_configs),
        allowed_classes=frozenset(options.allowed_classes) if options else frozenset(),
        configured_files=frozenset(path for path in named if not urlsplit(path).scheme and not path.startswith("//")),
        theme_dirs=tuple(config.theme.dirs),
        generated_files=frozenset((*site_paths(config, options).files(), STYLESHEET, SCRIPT, PROJECTION_SCRIPT, SHIM)),
        page_templates=frozenset({"main.html"} | ({path.name for path in Path(config.theme.custom_dir).glob("*.html")}
                                                   if config.theme.custom_dir else set())),
        whole_study=tuple(options.whole_study) if options else (),
        refused=tuple(message for feature, message in UNSAFE_FEATURES.items() if feature in (config.theme.get("features") or [])),
        config_file=display_path(Path(config.config_file_path or "mkdocs.yml"), Path(config.config_file_path or ".").resolve().parent),
        unplaced_results=options.results_section
        if options and config.nav is not None and not has_section(config.nav, options.results_section) else "",
        nav_line=_line_of(config.config_file_path, "nav:"),
    )


def _line_of(path: str | None, start: str) -> int:
    """The line of mkdocs.yml that starts with ``start`` (1 when there is none)."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines() if path else []
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, start=1) if line.startswith(start)), 1)


def source_folders_for(config: MkDocsConfig, options: StudyConfig | None) -> SourceFolders:
    """Where the plugin finds the study's sources under this MkDocs configuration: as its options
    say, or in the default places (stage and teaching files in the docs folder, whatever it is called)."""
    root = Path(config.config_file_path or ".").resolve().parent
    content = posixpath.relpath(Path(config.docs_dir).resolve().as_posix(), root.as_posix())
    if options is None:
        return SourceFolders(root=root, content=content)
    return SourceFolders(root=root, content=content, stages=options.stages or "", teaching=options.teaching or "", themes=options.themes,
                         quotes=options.quotes, bibliography=options.bibliography)


def site_configuration(config_file: Path) -> tuple[SourceFolders, SiteSettings]:
    """Where a build with ``config_file`` (an mkdocs.yml) finds the sources, and the settings it
    judges them by. Raises MkDocs' ConfigurationError for a broken file."""
    config = load_config(str(config_file))
    plugin: Any = config.plugins.get("study")
    options = plugin.config if isinstance(getattr(plugin, "config", None), StudyConfig) else None
    return source_folders_for(config, options), site_settings(config, options)

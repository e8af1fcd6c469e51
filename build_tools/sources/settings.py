"""What of a site's configuration the sources are judged by, so the check judges as the build does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# MkDocs' own Markdown extensions, which every site has (MkDocs adds them to its configuration).
MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")


@dataclass(frozen=True)
class SiteSettings:
    """The Markdown a page is rendered with and what the sanitizer lets through beyond its allowlist:
    read from mkdocs.yml by the plugin and by the command line alike."""

    markdown_extensions: tuple[str, ...] = MKDOCS_EXTENSIONS
    markdown_configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    allowed_classes: frozenset[str] = frozenset()
    # Files of the docs folder that mkdocs.yml itself names (extra_css, extra_javascript, ...):
    # the configuration is reviewed as code, so what it names may be published whatever its type.
    configured_files: frozenset[str] = frozenset()
    # The theme's folders: a file of the docs folder at the path of one of the theme's own replaces it.
    theme_dirs: tuple[str, ...] = ()
    # The study plugin's whole_study: the pages (or a page's section, "index.md#abstract") put on one page.
    whole_study: tuple[str, ...] = ()
    config_file: str = "mkdocs.yml"
    # The files the site writes itself (downloads, its own script and style): no file of the docs
    # folder, and no page's folder, may take their place.
    generated_files: frozenset[str] = frozenset()
    # The page templates a page's ``template`` may name: the theme's main.html and the site's own overrides.
    page_templates: frozenset[str] = frozenset({"main.html"})
    # What in the configuration itself would defeat the sanitizer: reported as errors of the config file.
    refused: tuple[str, ...] = ()
    # The study plugin's results_section, when mkdocs.yml has a nav without that section (the
    # journey's pages would be left out of it), and the line of the nav.
    unplaced_results: str = ""
    nav_line: int = 1


DEFAULT_SETTINGS = SiteSettings()  # a site with no mkdocs.yml of its own: MkDocs' defaults

"""What a site's configuration says about the pages its study gets: one value per choice."""

from __future__ import annotations

from dataclasses import dataclass, field

from .paths import SitePaths


@dataclass(frozen=True)
class SiteOptions:
    """The site's name and choices, as its mkdocs.yml gives them (the plugin reads them there)."""

    site_name: str = "Study"
    paths: SitePaths = field(default_factory=SitePaths)
    results_section: str = "Results"  # the navigation section (and whole-study heading) of the journey
    map_title: str = "Figure 1. The journey"  # the journey map's caption starts with it
    teaching_guide: str = "teaching-guide.md"  # linked from teaching material when the site has this page
    whole_study: tuple[str, ...] = ()  # the pages (or sections) on the whole-study page, "results" for the journey
    whole_study_title: str = "Read the whole study"
    offline_edition: bool = False  # a zip of the site for file:// use, linked from the downloads page
    directory_urls: bool = True  # MkDocs' use_directory_urls: "downloads/" rather than "downloads.html"

"""Where each generated page and file of a study site lives, as a path in its docs folder."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..model import Stage, Theme


def file_stem(site_name: str) -> str:
    """A name for the site's own files from its name: "Tiny study" gives "tiny-study" (ASCII
    letters, digits and hyphens; "study" when nothing is left)."""
    ascii_name = unicodedata.normalize("NFKD", site_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "study"


@dataclass(frozen=True)
class SitePaths:
    """Where each generated page and download lives. ``stem`` names the site's own downloads
    (its codebook, its offline edition), so a second study's files carry its own name."""

    stem: str = "study"
    quotations: str = "quotations.md"
    references: str = "references.md"
    downloads: str = "downloads.md"
    whole_study: str = "study.md"
    article_bibtex: str = "cite/article.bib"
    article_ris: str = "cite/article.ris"
    article_csl: str = "cite/article.json"
    bibliography: str = "cite/bibliography.bib"
    study_json: str = "data/study.json"
    study_schema: str = "data/study.schema.json"

    @property
    def codebook(self) -> str:
        return f"data/{self.stem}-codebook.qdc"

    @property
    def codebook_csv(self) -> str:
        return f"data/{self.stem}-codebook.csv"

    @property
    def offline_edition(self) -> str:
        return f"downloads/{self.stem}-offline.zip"

    def files(self) -> tuple[str, ...]:
        """Every file the site writes that is not a page (a file of the sources may not take its place)."""
        return (self.article_bibtex, self.article_ris, self.article_csl, self.bibliography, self.codebook, self.codebook_csv,
                self.study_json, self.study_schema, self.offline_edition)

    def theme(self, theme: Theme) -> str:
        return f"themes/{theme.id}.md"

    def stage(self, stage: Stage) -> str:
        return f"stages/{stage.id}.md"

    def handout(self, stage: Stage) -> str:
        return f"handouts/{stage.id}.md"

    def projection(self, theme: Theme) -> str:
        return f"projection/{theme.id}.md"

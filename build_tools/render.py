"""Turn the model into pages and fragments through Jinja2 templates (autoescaped).

Pages are Markdown (so MkDocs renders, indexes and checks their links); fragments that Markdown
cannot express (the journey map, a citation) are HTML. Links between pages are written to the
Markdown sources (``../themes/x.md``), so MkDocs turns them into URLs and validates them.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from jinja2 import Environment
from markupsafe import Markup

from .citations.apa import is_known, render, segments
from .citations.cache import digest_of
from .citations.index import CitingPage, anchor
from .citations.metadata import reference_tags, scholarly_article
from .citations.references import ReferenceList
from .citations.syntax import parse_bracketed, parse_narrative
from .exports import codebook, study_json, taguette_csv
from .journey import layout
from .markup import demote_headings, section
from .model import Citation, Passage, QuotationPlacement, Reference, Stage, Study, Theme
from .sanitizer import clean_html
from .schema import schema_text
from .templating import templates


@dataclass(frozen=True)
class SitePaths:
    """Where each generated page and download lives, as a path in the docs folder."""

    quotations: str = "quotations.md"
    references: str = "references.md"
    article_bibtex: str = "cite/article.bib"
    article_ris: str = "cite/article.ris"
    article_csl: str = "cite/article.json"
    bibliography: str = "cite/bibliography.bib"
    downloads: str = "downloads.md"
    codebook: str = "data/balint-journey-codebook.qdc"
    codebook_csv: str = "data/balint-journey-codebook.csv"
    study_json: str = "data/study.json"
    study_schema: str = "data/study.schema.json"

    def files(self) -> tuple[str, ...]:
        """Every file the site writes that is not a page (a file of the sources may not take its place)."""
        return (self.article_bibtex, self.article_ris, self.article_csl, self.bibliography, self.codebook, self.codebook_csv,
                self.study_json, self.study_schema)

    def theme(self, theme: Theme) -> str:
        return f"themes/{theme.id}.md"

    def stage(self, stage: Stage) -> str:
        return f"stages/{stage.id}.md"

    def handout(self, stage: Stage) -> str:
        return f"handouts/{stage.id}.md"

    def projection(self, theme: Theme) -> str:
        return f"projection/{theme.id}.md"


REFERENCES_PLACEHOLDER = "<!-- study:references -->"
JOURNEY_HERE_STAGES = 9
HANDOUT_QUOTATIONS_PER_THEME = 2


def environment() -> Environment:
    """The page templates' environment: the shared one, plus the filters and tests pages use."""
    env = templates().overlay()
    env.filters["relative"] = relative
    env.tests["passage"] = lambda part: isinstance(part, Passage)
    env.tests["placement"] = lambda part: isinstance(part, QuotationPlacement)
    return env


def relative(target: str, page: str) -> str:
    """The link from the page at ``page`` to ``target`` (both paths in the docs folder)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


class StudyRenderer:
    """Everything the site shows of the study, rendered from one model and one reference list."""

    def __init__(self, study: Study, references: ReferenceList, paths: SitePaths = SitePaths()):
        self.study = study
        self.references = references
        self.paths = paths
        self.env = environment()

    def _page(self, template: str, path: str, **context: object) -> str:
        return self.env.get_template(template).render(
            study=self.study, paths=self.paths, page=path, references=self.references, **context
        )

    def theme_page(self, theme: Theme) -> str:
        path = self.paths.theme(theme)
        before, after = self.study.neighbours(theme)
        return self._page("theme.md.j2", path, theme=theme, stage=self.study.stage(theme.stage_id), before=before,
                          after=after, numbers=self._quotation_numbers)

    @cached_property
    def _quotation_numbers(self) -> dict[str, int]:
        return {quotation.id: index for index, quotation in enumerate(self.study.quotations, start=1)}

    def whole_study_page(self, path: str, parts: list[str], title: str) -> str:
        """The study in the manuscript's order on one page: prose pages (or one section of a page,
        ``index.md#abstract``) and ``results`` (Figure 1, then every stage and theme), as listed."""
        sections = []
        pages = {page.uri: page for page in self.study.pages}
        for part in parts:
            if part == "results":
                sections.append(("results", ""))
                continue
            uri, _, fragment = part.partition("#")
            if uri not in pages:
                raise ValueError(f"whole_study: '{part}' names no page of the docs folder (pages: {', '.join(sorted(pages))})")
            try:
                markdown = section(pages[uri].markdown, fragment) if fragment else pages[uri].markdown
            except KeyError:
                raise ValueError(f"whole_study: '{part}': {uri} has no heading with the anchor '{fragment}'") from None
            sections.append(("prose", demote_headings(markdown, to_level=2)))
        return self._page("study.md.j2", path, sections=sections, title=title, numbers=self._quotation_numbers)

    def stage_page(self, stage: Stage) -> str:
        index = self.study.stages.index(stage)
        before = self.study.stages[index - 1] if index > 0 else None
        after = self.study.stages[index + 1] if index + 1 < len(self.study.stages) else None
        return self._page("stage.md.j2", self.paths.stage(stage), stage=stage, themes=self.study.themes_of(stage),
                          before=before, after=after)

    def quotations_page(self) -> str:
        return self._page("quotations.md.j2", self.paths.quotations)

    def handout_page(self, stage: Stage) -> str:
        """One A4 page for class: the stage's themes, the quotations its teaching notes use, the questions."""
        themes = self.study.themes_of(stage)
        notes = [note for note in (self.study.teaching_for(stage.id), *(self.study.teaching_for(t.id) for t in themes)) if note]
        used = {qid for note in notes for activity in (*note.questions, *note.prompts) for qid in activity.quotations}
        chosen = {}
        for theme in themes:
            own = self.study.quotations_of(theme)
            chosen[theme.id] = ([q for q in own if q.id in used] or list(own))[:HANDOUT_QUOTATIONS_PER_THEME]
        return self._page("handout.md.j2", self.paths.handout(stage), stage=stage, themes=themes, chosen=chosen,
                          note=self.study.teaching_for(stage.id))

    def projection_page(self, theme: Theme) -> str:
        """One quotation per screen, large, for a classroom projector."""
        return self._page("projection.md.j2", self.paths.projection(theme), theme=theme,
                          stage=self.study.stage(theme.stage_id), quotations=self.study.quotations_of(theme))

    def downloads_page(self, offline: str = "") -> str:
        return self._page("downloads.md.j2", self.paths.downloads, offline=offline)

    def data_files(self) -> list[tuple[str, str]]:
        """The study's data downloads: codebook (REFI-QDA and CSV), JSON and its schema."""
        cite = self.citation_formatter.text_of
        references = [{"key": r.key, "apa": self.references.text(r.key), "year": r.year, "confidence": r.confidence,
                       **({"annote": r.annote} if r.annote else {})} for r in self.references.ordered()]
        return [
            (self.paths.codebook, codebook(self.study, cite)),
            (self.paths.codebook_csv, taguette_csv(self.study, cite)),
            (self.paths.study_json, study_json(self.study, references)),
            (self.paths.study_schema, schema_text("study-data")),
        ]

    @cached_property
    def citation_formatter(self) -> CitationFormatter:
        return CitationFormatter(self.references)

    def references_page(self, cited_keys: set[str]) -> tuple[str, str]:
        """The references page's title and Markdown. A page the site has at that path is its
        introduction; the list is put in by :meth:`reference_list` once the page is HTML."""
        own = next((page for page in self.study.pages if page.uri == self.paths.references), None)
        title = own.title if own else "References"
        return title, self._page("references.md.j2", self.paths.references, entries=self.references.ordered(cited_keys),
                                 placeholder=REFERENCES_PLACEHOLDER, title=title, intro=own.markdown if own else "")

    def references_section(self, keys: list[str]) -> str:
        """Markdown for "References cited on this page"; the list itself follows as HTML."""
        return self.env.get_template("references_section.md.j2").render(placeholder=REFERENCES_PLACEHOLDER) if keys else ""

    def reference_list(self, keys: set[str], href: Callable[[str, str], str],
                       cited_in: dict[str, tuple[CitingPage, ...]] | None = None) -> str:
        """The references for ``keys`` as HTML; with ``cited_in``, the full list with back-links.

        Lists are rendered after Markdown, straight from the cached entries (Python-Markdown would
        spend more time re-reading them than formatting took), sanitized as they become HTML, and
        kept for the next build.
        """
        references = self.references

        def entries() -> list[tuple[Reference, Markup]]:
            return [(reference, Markup(references.html(reference.key))) for reference in references.ordered(keys)]

        if cited_in is None:
            return references.cache.render(digest_of(references.state, "list", *sorted(keys)),
                                           lambda: clean_html(self.env.get_template("reference_list.html.j2").render(entries=entries())))
        targets = {citing.uri: href(citing.uri, "") for places in cited_in.values() for citing in places}
        key = digest_of(references.state, "full", *(f"{key}={cited_in[key]!r}" for key in sorted(keys)),
                        *(f"{uri}={url}" for uri, url in sorted(targets.items())))
        return references.cache.render(key, lambda: clean_html(self.env.get_template("references_full.html.j2").render(
            entries=entries(), cited_in=cited_in, href=href)))

    def cite_article(self, page: str) -> str:
        """The article's APA citation and its downloads, as Markdown for the page at ``page``."""
        article = self.study.article
        if article is None:
            return ""
        from pybtex.backends.markdown import (
            Backend as MarkdownBackend,  # pybtex only where an article is cited
        )

        from .citations.export import article_entry
        from .citations.style import APA7Style

        # pybtex's Markdown escapes Markdown and HTML; "@" is this site's own syntax (a citation), escaped too.
        citation = APA7Style().format_entry(article.year, article_entry(article)).text.render(MarkdownBackend()).replace("@", "\\@")
        downloads = {name: relative(path, page) for name, path in (
            ("bibtex", self.paths.article_bibtex), ("ris", self.paths.article_ris),
            ("csl", self.paths.article_csl), ("bibliography", self.paths.bibliography))}
        return self.env.get_template("cite_article.md.j2").render(citation=citation, downloads=downloads)

    def head(self, cited_keys: list[str], site_url: str) -> Markup:
        """Highwire ``citation_*`` tags and schema.org JSON-LD for a page citing ``cited_keys``."""
        article = self.study.article
        if article is None:
            return Markup("")
        cited = self.references.ordered(set(cited_keys))
        return Markup(self.env.get_template("head.html.j2").render(
            article=article, cited=[reference_tags(reference, self.references) for reference in cited],
            json_ld=scholarly_article(article, site_url, cited),
        ))

    def journey_here(self, current: str, href: Callable[[str], str]) -> Markup:
        """The small map on stage and theme pages, with ``current`` (an id) marked. A long journey
        shows the stages around the current one, so each page stays small however large the study."""
        stages = self.study.stages
        here = self.study.stage_position(current)
        start = max(0, min(here - JOURNEY_HERE_STAGES // 2, len(stages) - JOURNEY_HERE_STAGES))
        shown = stages[start:start + JOURNEY_HERE_STAGES]
        theme = self.study.theme(current) if current in {t.id for s in shown for t in self.study.themes_of(s)} else None
        return Markup(self.env.get_template("journey_here.html.j2").render(
            study=self.study, paths=self.paths, href=href, current=current, stages=shown,
            more_before=start > 0, more_after=start + len(shown) < len(stages),
            current_theme=theme, current_stage=stages[here] if stages and theme is None else None,
        ))

    def journey_map(self, page: str, href: Callable[[str], str] | None = None) -> Markup:
        """The map as HTML for the page at ``page``; ``href`` turns a docs path into a URL."""
        link = href or (lambda target: relative(target, page))
        return Markup(self.env.get_template("journey_map.html.j2").render(
            study=self.study, maps=(layout(self.study, "horizontal"), layout(self.study, "vertical")),
            href=link, paths=self.paths,
            quotation_counts={theme.id: len(self.study.quotations_of(theme)) for theme in self.study.themes},
        ))


class CitationFormatter:
    """Renders one citation as linked APA text; used by the Markdown extension."""

    def __init__(self, references: ReferenceList):
        self.references = references
        self.template = environment().get_template("citation.html.j2")

    def html(self, citation: Citation, references_href: str, number: Callable[[str], str] | None = None) -> str:
        """The citation's HTML; ``number(key)`` gives each link its anchor (``cite-<key>-<n>``)."""
        labels = self.references.labels
        if not is_known(citation, labels):
            unknown = [item.key for item in citation.items if item.key not in labels]
            return self.template.render(unknown=unknown, narrative=citation.narrative, links=[], href=references_href, titles={})
        titles = {item.key: self._title(item.key) for item in citation.items}
        links = [(segment, number(segment.key) if number and segment.key else "") for segment in segments(render(citation, labels))]
        return self.template.render(unknown=[], narrative=citation.narrative, links=links, href=references_href, titles=titles)

    def page_html(self, citations: list[tuple[Citation, str]], references_href: str) -> tuple[str, ...]:
        """The HTML of a page's citations, given in reading order with their source text; the
        n-th link to a work gets the anchor ``cite-<key>-<n>``. Kept for the next build."""
        def render_all() -> tuple[str, ...]:
            counts: dict[str, int] = defaultdict(int)

            def number(key: str) -> str:
                counts[key] += 1
                return anchor(key, counts[key])

            return tuple(self.html(citation, references_href, number) for citation, _ in citations)

        key = digest_of(self.references.state, "citations", references_href, *(source for _, source in citations))
        return self.references.cache.render(key, render_all)

    def text_of(self, match: re.Match[str]) -> str:
        """The HTML of a citation found by the BRACKETED or NARRATIVE pattern."""
        groups = match.groupdict()
        citation = parse_bracketed(groups["body"]) if groups.get("body") else parse_narrative(groups["key"], groups.get("locator"))
        return self.html(citation, self.references_href)

    references_href = "references.md"

    def _title(self, key: str) -> str:
        """The full reference, shown on hover and focus; an incomplete one says so."""
        reference = self.references.bibliography.get(key)
        note = " Full reference not yet established." if reference is not None and reference.is_incomplete else ""
        return self.references.text(key) + note

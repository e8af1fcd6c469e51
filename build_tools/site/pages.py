"""Turn the model into pages and fragments through Jinja2 templates (autoescaped).

Pages are Markdown (so MkDocs renders, indexes and checks their links); fragments that Markdown
cannot express (the journey map, a citation) are HTML. Links between pages are written to the
Markdown sources (``../themes/x.md``), so MkDocs turns them into URLs and validates them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import cached_property

from jinja2 import Environment
from markupsafe import Markup

from ..citations.formatter import CitationFormatter
from ..citations.references import ReferenceList
from ..markup import demote_headings, section
from ..model import Page, Passage, Quotation, QuotationPlacement, Stage, Study, Theme
from ..templating import templates
from .data_files import codebook, study_json, study_schema, taguette_csv
from .journey_map import arrange, caption, counted
from .metadata import reference_tags, scholarly_article
from .options import SiteOptions

REFERENCES_PLACEHOLDER = "<!-- study:references -->"
# The quotations' room on a handout, in characters of their text: some 20 lines, two fifths of an A4
# sheet at the handout's 10 pt, so that the questions and ruled space for notes fit below them.
HANDOUT_QUOTATION_CHARACTERS = 2000


def environment() -> Environment:
    """The page templates' environment: the shared one, plus the filters and tests pages use."""
    env = templates("build_tools.site").overlay()
    env.filters["relative"] = relative
    env.filters["counted"] = counted
    env.tests["passage"] = lambda part: isinstance(part, Passage)
    env.tests["placement"] = lambda part: isinstance(part, QuotationPlacement)
    return env


def relative(target: str, page: str) -> str:
    """The link from the page at ``page`` to ``target`` (both paths in the docs folder)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def handout_quotations(study: Study, stage: Stage, room: int = HANDOUT_QUOTATION_CHARACTERS) -> tuple[Quotation, ...]:
    """The quotations a stage's handout prints, in the study's order. Every one a teaching note of the
    stage or of its themes sends readers to is printed, whatever its length (a question must not point
    at words the sheet lacks); the stage's others are printed while ``room`` lasts, and the sheet names
    those it leaves out."""
    themes = study.themes_of(stage)
    notes = [note for note in (study.teaching_for(stage.id), *(study.teaching_for(t.id) for t in themes)) if note]
    cited = {qid for note in notes for activity in (*note.questions, *note.prompts) for qid in activity.quotations}
    left = room - sum(len(study.quotation(qid).text) for qid in cited)
    printed = set(cited)
    for quotation in (q for theme in themes for q in study.quotations_of(theme) if q.id not in cited):
        if len(quotation.text) <= left:
            printed.add(quotation.id)
            left -= len(quotation.text)
    return tuple(q for q in study.quotations if q.id in printed)


class StudyRenderer:
    """Everything the site shows of the study, rendered from one model and one reference list."""

    def __init__(self, study: Study, references: ReferenceList, options: SiteOptions = SiteOptions()):
        self.study = study
        self.references = references
        self.options = options
        self.paths = options.paths
        self.env = environment()

    def _page(self, template: str, path: str, **context: object) -> str:
        return self.env.get_template(template).render(
            study=self.study, paths=self.paths, options=self.options, page=path, references=self.references,
            teaching_guide=self.own_page(self.options.teaching_guide) is not None, **context
        )

    def own_page(self, uri: str) -> Page | None:
        """The site's own page at ``uri``: at the path of a generated page, it is that page's introduction."""
        return self._pages.get(uri)

    @cached_property
    def _pages(self) -> dict[str, Page]:
        return {page.uri: page for page in self.study.pages}

    def _introduced(self, uri: str, template: str, default_title: str, **context: object) -> tuple[str, str]:
        """A generated page's title and Markdown, opened by the site's own page at ``uri`` if it has one."""
        own = self.own_page(uri)
        title = own.title if own else default_title
        return title, self._page(template, uri, title=title, intro=own.markdown if own else "", **context)

    def theme_page(self, theme: Theme) -> str:
        path = self.paths.theme(theme)
        before, after = self.study.neighbours(theme)
        return self._page("pages/theme.md.j2", path, theme=theme, stage=self.study.stage(theme.stage_id), before=before,
                          after=after, numbers=self._quotation_numbers)

    @cached_property
    def _quotation_numbers(self) -> dict[str, int]:
        return {quotation.id: index for index, quotation in enumerate(self.study.quotations, start=1)}

    def whole_study_page(self) -> str:
        """The study in the manuscript's order on one page: prose pages (or one section of a page,
        ``index.md#abstract``) and ``results`` (Figure 1, then every stage and theme), as the
        options list them (the source check has made sure each exists)."""
        sections = []
        for part in self.options.whole_study:
            uri, _, fragment = part.partition("#")
            own = self.own_page(uri)
            if part == "results" or own is None:
                sections.append(("results", ""))
                continue
            sections.append(("prose", demote_headings(section(own.markdown, fragment) if fragment else own.markdown, to_level=2)))
        return self._page("pages/study.md.j2", self.paths.whole_study, sections=sections, title=self.options.whole_study_title,
                          numbers=self._quotation_numbers)

    def stage_page(self, stage: Stage) -> str:
        index = self.study.stages.index(stage)
        before = self.study.stages[index - 1] if index > 0 else None
        after = self.study.stages[index + 1] if index + 1 < len(self.study.stages) else None
        return self._page("pages/stage.md.j2", self.paths.stage(stage), stage=stage, themes=self.study.themes_of(stage),
                          before=before, after=after)

    def quotations_page(self) -> tuple[str, str]:
        return self._introduced(self.paths.quotations, "pages/quotations.md.j2", "Quotations", numbers=self._quotation_numbers)

    def handout_page(self, stage: Stage) -> str:
        """One A4 sheet for class: the stage's quotations (those left out for room named), the questions
        of its teaching note, the article to cite, and the rest of the sheet ruled for notes."""
        printed = handout_quotations(self.study, stage)
        themes = [theme for theme in self.study.themes if any(q.theme_id == theme.id for q in printed)]
        left_out = [q for theme in self.study.themes_of(stage) for q in self.study.quotations_of(theme) if q not in printed]
        return self._page("pages/handout.md.j2", self.paths.handout(stage), stage=stage, themes=themes, printed=printed,
                          left_out=left_out, note=self.study.teaching_for(stage.id), numbers=self._quotation_numbers,
                          citation=self._article_citation if self.study.article else "")

    def projection_page(self, theme: Theme) -> str:
        """One quotation per screen, large, for a classroom projector. The last slide leads on to the
        next theme's projection; after the last theme, home (where the journey is), if the site has one."""
        _, after = self.study.neighbours(theme)
        return self._page("pages/projection.md.j2", self.paths.projection(theme), theme=theme,
                          stage=self.study.stage(theme.stage_id), quotations=self.study.quotations_of(theme), after=after,
                          home="index.md" if self.own_page("index.md") else None)

    def downloads_page(self, offline: str = "") -> tuple[str, str]:
        """The downloads page; ``offline`` is the link to the offline edition, if the site has one."""
        return self._introduced(self.paths.downloads, "pages/downloads.md.j2", "Data and downloads", offline=offline,
                                offline_folder=self.paths.stem)

    def downloads(self) -> list[tuple[str, str | bytes]]:
        """Cite-this-study files: the article in three formats, and the whole bibliography."""
        # The bibliography as the check read it (UTF-8 without a byte-order mark, LF line ends), not
        # the file again: it is what was checked, and the same whichever editor saved it.
        files: list[tuple[str, str | bytes]] = [(self.paths.bibliography, self.references.bibliography.text)]
        article = self.study.article
        if article is not None:
            from .article_formats import article_bibtex, article_csl_json, article_ris  # pybtex, only for an article

            files += [(self.paths.article_bibtex, article_bibtex(article)), (self.paths.article_ris, article_ris(article)),
                      (self.paths.article_csl, article_csl_json(article))]
        return files

    def data_files(self) -> list[tuple[str, str | bytes]]:
        """The study's data downloads: codebook (REFI-QDA and CSV), JSON and its schema."""
        cite = self.citation_formatter.html_of_match
        references = [{"key": r.key, "apa": self.references.text(r.key), "year": r.year, "confidence": r.confidence,
                       **({"annote": r.annote} if r.annote else {})} for r in self.references.ordered()]
        return [
            (self.paths.codebook, codebook(self.study, cite, self.options.site_name)),
            (self.paths.codebook_csv, taguette_csv(self.study, cite)),
            (self.paths.study_json, study_json(self.study, references, self.options.site_name)),
            (self.paths.study_schema, study_schema()),
        ]

    @cached_property
    def citation_formatter(self) -> CitationFormatter:
        return CitationFormatter(self.references)

    def references_page(self, cited_keys: set[str]) -> tuple[str, str]:
        """The references page's title and Markdown. A page the site has at that path is its
        introduction; the list is put in by :meth:`reference_list` once the page is HTML."""
        return self._introduced(self.paths.references, "pages/references.md.j2", "References",
                                entries=self.references.ordered(cited_keys), placeholder=REFERENCES_PLACEHOLDER)

    def references_section(self, keys: tuple[str, ...]) -> str:
        """Markdown for "References cited on this page"; the list itself follows as HTML."""
        return self._references_section if keys else ""

    @cached_property
    def _references_section(self) -> str:
        """The same for every page: rendered once."""
        return self.env.get_template("partials/references_section.md.j2").render(placeholder=REFERENCES_PLACEHOLDER)

    def cite_article(self, page: str) -> str:
        """The article's APA citation and its downloads, as Markdown for the page at ``page``."""
        if self.study.article is None:
            return ""
        downloads = {name: relative(path, page) for name, path in (
            ("bibtex", self.paths.article_bibtex), ("ris", self.paths.article_ris),
            ("csl", self.paths.article_csl), ("bibliography", self.paths.bibliography))}
        return self.env.get_template("partials/cite_article.md.j2").render(citation=self._article_citation, downloads=downloads)

    @cached_property
    def _article_citation(self) -> str:
        """The article's APA reference as Markdown: formatted once, for every page that offers it."""
        from pybtex.backends.markdown import Backend as MarkdownBackend  # pybtex only where an article is cited

        from ..citations.style import apa7_style
        from .article_formats import article_entry

        article = self.study.article
        assert article is not None
        # pybtex's Markdown escapes Markdown and HTML; "@" is this site's own syntax (a citation), escaped too.
        citation: str = apa7_style().format_entry(article.year, article_entry(article)).text.render(MarkdownBackend())
        return citation.replace("@", "\\@")

    def head(self, cited_keys: tuple[str, ...], site_url: str) -> Markup:
        """Highwire ``citation_*`` tags and schema.org JSON-LD for a page citing ``cited_keys``."""
        article = self.study.article
        if article is None:
            return Markup("")
        cited = self.references.ordered(set(cited_keys))
        return Markup(self.env.get_template("fragments/head.html.j2").render(
            article=article, cited=[reference_tags(reference, self.references) for reference in cited],
            json_ld=scholarly_article(article, site_url, cited),
        ))

    def shortcodes(self, page: str, href: Callable[[str], str]) -> dict[str, Callable[..., str]]:
        """The shortcodes of the page at ``page`` and what each renders; ``href`` turns a docs path into a URL."""
        return {
            "journey-map": lambda: self.journey_map(page, href),
            "journey-here": lambda current: self.journey_here(current, href),
            "cite-article": lambda: self.cite_article(page),
        }

    def journey_here(self, current: str, href: Callable[[str], str]) -> Markup:
        """"You are here" on the page of ``current`` (a theme's or a stage's id): its place along the
        journey in one named line and its neighbours named as links, so a reader sees where they are
        without hovering (a phone cannot) and a finger reaches the next step at once."""
        theme = next((theme for theme in self.study.themes if theme.id == current), None)
        stages = self.study.stages
        here = self.study.stage_position(current)
        if theme is not None:
            neighbours: tuple[Theme | Stage | None, ...] = self.study.neighbours(theme)
            position, total = str(self.study.number(theme)), len(self.study.themes)
        else:
            neighbours = (stages[here - 1] if here > 0 else None, stages[here + 1] if here + 1 < len(stages) else None)
            position, total = stages[here].numeral, len(stages)
        return Markup(self.env.get_template("fragments/journey_here.html.j2").render(
            theme=theme, stage=stages[here], position=position, total=total,
            steps=[(rel, step, href(self.paths.theme(step) if isinstance(step, Theme) else self.paths.stage(step)))
                   for rel, step in zip(("prev", "next"), neighbours, strict=True) if step is not None],
        ))

    def journey_map(self, page: str, href: Callable[[str], str] | None = None) -> Markup:
        """The map as HTML for the page at ``page``; ``href`` turns a docs path into a URL."""
        link = href or (lambda target: relative(target, page))
        return Markup(self.env.get_template("fragments/journey_map.html.j2").render(
            study=self.study, maps=(arrange(self.study, "horizontal"), arrange(self.study, "vertical")),
            href=link, paths=self.paths,
            quotation_counts={theme.id: len(self.study.quotations_of(theme)) for theme in self.study.themes},
            caption=caption(self.study, self.options.map_title),
        ))

"""The study as a typed model: stages, themes, quotations, references and the citations to them.

Everything here is immutable and free of MkDocs, so the same model serves the site, the command
line and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeAlias

from .citations.model import Citation, Name, Reference
from .locations import Location

ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class Stage:
    """One of the four stages of the journey, with its introduction from the Results section."""

    id: str
    number: int
    title: str
    subtitle: str
    introduction: str
    source: Location

    @property
    def numeral(self) -> str:
        return ROMAN_NUMERALS[self.number - 1] if 0 < self.number <= len(ROMAN_NUMERALS) else str(self.number)


@dataclass(frozen=True)
class Passage:
    """A run of the authors' prose in a theme: description (with lead-ins) or interpretation."""

    kind: Literal["description", "interpretation"]
    markdown: str
    line: int


@dataclass(frozen=True)
class QuotationPlacement:
    """Where in a theme's text one of its quotations stands."""

    quotation_id: str
    line: int


ThemePart: TypeAlias = Passage | QuotationPlacement


@dataclass(frozen=True)
class Theme:
    """A theme of the results: its label as printed, its stage, and its text in the authors' order."""

    id: str
    label: str
    stage_id: str
    order: int
    parts: tuple[ThemePart, ...]
    source: Location

    @property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(part for part in self.parts if isinstance(part, Passage))

    @property
    def has_interpretation(self) -> bool:
        return any(passage.kind == "interpretation" for passage in self.passages)


@dataclass(frozen=True)
class Quotation:
    """An interview quotation, verbatim. The manuscript does not say which informant spoke."""

    id: str
    theme_id: str
    order: int
    text: str
    source: Location


@dataclass(frozen=True)
class Activity:
    """A discussion question or writing prompt, and the quotations it works with."""

    text: str
    quotations: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeachingNote:
    """Teaching material for one stage or theme: ours, not the study's, and always labelled so."""

    about: str
    aims: tuple[str, ...]
    questions: tuple[Activity, ...]
    prompts: tuple[Activity, ...]
    note: str
    source: Location


@dataclass(frozen=True)
class ArticleAuthor:
    family: str
    given: str = ""
    affiliation: str = ""

    @property
    def initials(self) -> str:
        return Name(last=self.family, first=self.given).initials


@dataclass(frozen=True)
class Article:
    """The published article: the version of record, and the one to cite."""

    title: str
    authors: tuple[ArticleAuthor, ...]
    journal: str
    year: str
    manuscript_title: str = ""
    publisher: str = ""
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    doi: str = ""
    postprint: str = ""

    @property
    def pages(self) -> str:
        return "–".join(page for page in (self.first_page, self.last_page) if page)

    @property
    def author_names(self) -> str:
        """The authors' family names as a citation gives them: "Ladson Billings, Tate & Lee"."""
        names = [author.family for author in self.authors]
        return f"{', '.join(names[:-1])} & {names[-1]}" if len(names) > 1 else "".join(names)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


@dataclass(frozen=True)
class Page:
    """A prose page of the site (home, introduction, ...), by its path in the docs folder."""

    uri: str
    title: str
    markdown: str
    source: Location
    settings: tuple[tuple[str, str], ...] = ()  # its other front-matter fields, as JSON: what a reviewer must see


@dataclass(frozen=True)
class _StudyIndex:
    """A study's lookups by id (see :attr:`Study._index`)."""

    stages: dict[str, Stage]
    themes: dict[str, Theme]
    quotations: dict[str, Quotation]
    themes_of: dict[str, tuple[Theme, ...]]
    quotations_of: dict[str, tuple[Quotation, ...]]
    position: dict[str, int]
    stage_position: dict[str, int]
    teaching: dict[str, TeachingNote]


@dataclass(frozen=True)
class Study:
    """The whole study: the journey's stages and themes, the quotations and the bibliography."""

    stages: tuple[Stage, ...]
    themes: tuple[Theme, ...]
    quotations: tuple[Quotation, ...]
    references: tuple[Reference, ...]
    citations: tuple[Citation, ...] = field(default=())
    pages: tuple[Page, ...] = field(default=())
    article: Article | None = None
    teaching: tuple[TeachingNote, ...] = ()

    def teaching_for(self, item_id: str) -> TeachingNote | None:
        return self._index.teaching.get(item_id)

    def stage(self, stage_id: str) -> Stage:
        return self._index.stages[stage_id]

    def theme(self, theme_id: str) -> Theme:
        return self._index.themes[theme_id]

    def quotation(self, quotation_id: str) -> Quotation:
        return self._index.quotations[quotation_id]

    def themes_of(self, stage: Stage) -> tuple[Theme, ...]:
        return self._index.themes_of.get(stage.id, ())

    def quotations_of(self, theme: Theme) -> tuple[Quotation, ...]:
        return self._index.quotations_of.get(theme.id, ())

    def stage_position(self, item_id: str) -> int:
        """Where along the journey (from 0) stage ``item_id`` is, or the stage of theme ``item_id``; 0 for neither."""
        theme = self._index.themes.get(item_id)
        return self._index.stage_position.get(theme.stage_id if theme else item_id, 0)

    def number(self, theme: Theme) -> int:
        """The theme's number along the whole journey, from 1."""
        return self._index.position[theme.id] + 1

    def neighbours(self, theme: Theme) -> tuple[Theme | None, Theme | None]:
        """The themes before and after ``theme`` along the journey."""
        index = self._index.position[theme.id]
        before = self.themes[index - 1] if index > 0 else None
        after = self.themes[index + 1] if index + 1 < len(self.themes) else None
        return before, after

    @cached_property
    def _index(self) -> _StudyIndex:
        """Lookups by id, built once: templates ask them for every page, and studies can be large."""
        themes_of: dict[str, list[Theme]] = {}
        quotations_of: dict[str, list[Quotation]] = {}
        for theme in self.themes:
            themes_of.setdefault(theme.stage_id, []).append(theme)
        for quotation in self.quotations:
            quotations_of.setdefault(quotation.theme_id, []).append(quotation)
        return _StudyIndex(
            stages={stage.id: stage for stage in self.stages},
            themes={theme.id: theme for theme in self.themes},
            quotations={quotation.id: quotation for quotation in self.quotations},
            themes_of={key: tuple(value) for key, value in themes_of.items()},
            quotations_of={key: tuple(value) for key, value in quotations_of.items()},
            position={theme.id: index for index, theme in enumerate(self.themes)},
            stage_position={stage.id: index for index, stage in enumerate(self.stages)},
            teaching={note.about: note for note in self.teaching},
        )

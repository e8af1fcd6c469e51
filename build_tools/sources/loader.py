"""Load and validate every source of the study into the model, reporting all problems at once."""

from __future__ import annotations

import json
import os
import posixpath
import re
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..characters import forbidden_characters
from ..citations.bibliography import NOT_CHECKED, Bibliography, CheckedText, defined_keys, parse_bibliography
from ..citations.model import Citation, Reference
from ..citations.syntax import FoundCitation, find_citations
from ..locations import Location
from ..markup import fences, find_shortcodes, section
from ..model import (
    Activity,
    Article,
    Page,
    Quotation,
    QuotationPlacement,
    Stage,
    Study,
    TeachingNote,
    Theme,
)
from ..problems import Problem, SourceErrors, did_you_mean, display_path, excerpt
from .article import read_article
from .folders import SourceFolders
from .frontmatter import SourceDocument, has_front_matter, read_source
from .markup_check import markup_problems, svg_problems
from .schema import Kind, check_fields
from .settings import DEFAULT_SETTINGS, SiteSettings
from .site_files import docs_files, file_problems, name_problem, outside_problem
from .theme_body import parse_theme_body

# The shortcodes a page may use, and how many arguments each takes.
PAGE_SHORTCODES = {"journey-map": 0, "cite-article": 0}
# MkDocs reads a page whose first line is "key: value" as MultiMarkdown metadata (title,
# description, ...) that it writes into every page unescaped: such a page needs YAML front matter.
_MULTIMARKDOWN_META = re.compile(r"[ ]{0,3}[A-Za-z0-9_-]+:")


@dataclass(frozen=True)
class LoadResult:
    """The study (when no error stopped it) and everything worth telling the contributor."""

    study: Study | None
    bibliography: Bibliography | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(problem for problem in self.problems if problem.severity == "warning")


def load_study(folders: SourceFolders, complete_bibliography: bool = True,
               known_references: Mapping[str, Reference] | None = None,
               settings: SiteSettings = DEFAULT_SETTINGS, checked_bibliography: CheckedText = NOT_CHECKED) -> tuple[Study, Bibliography]:
    """The validated study; raises :class:`SourceErrors` listing every error found."""
    result = read_study(folders, complete_bibliography, known_references, settings, checked_bibliography)
    if result.errors or result.study is None or result.bibliography is None:
        raise SourceErrors(result.errors)
    return result.study, result.bibliography


def read_study(folders: SourceFolders, complete_bibliography: bool = True,
               known_references: Mapping[str, Reference] | None = None,
               settings: SiteSettings = DEFAULT_SETTINGS, checked_bibliography: CheckedText = NOT_CHECKED) -> LoadResult:
    """Read every source and collect errors and warnings without raising.

    With ``complete_bibliography=False`` only the cited entries of the .bib file are parsed (what a
    build shows); the check parses and validates every entry. ``known_references`` (by entry
    digest, from an earlier build) spares parsing entries that did not change, and
    ``checked_bibliography`` (see :func:`parse_bibliography`) checking the others again.
    ``settings`` (from the site's mkdocs.yml) say how Markdown is rendered and what the sanitizer
    keeps.
    """
    problems = [Problem(settings.config_file, 1, message) for message in settings.refused]
    problems += _results_section_problems(folders, settings)
    problems += _docs_folder_problems(folders, settings)
    bib_text = _read_bibliography(folders, problems)
    known_keys = defined_keys(bib_text, folders.bibliography, checked_bibliography) if bib_text is not None else None
    stage_docs = _read_folder(folders, folders.stages, problems)
    theme_docs = _read_folder(folders, folders.themes, problems)
    quotation_docs = _read_folder(folders, folders.quotes, problems)
    teaching_docs = _read_folder(folders, folders.teaching, problems)
    # Pages are the rest of the docs folder: stage and teaching files are read once, as what they are.
    page_docs = _read_folder(folders, folders.content, problems, recursive=True, front_matter_required=False,
                             skip=(folders.stages, folders.teaching))

    stages = _load_each(stage_docs, lambda doc: _stage(doc, problems))
    stages.sort(key=lambda stage: stage.number)
    _unique(stages, "id", "stage id", problems)
    _unique(stages, "number", "stage number", problems)
    stage_ids = {stage.id: stage for stage in stages}
    # Items that failed to load are remembered, so what refers to them is not reported as well.
    broken = {"stage": _claimed_ids(stage_docs) - set(stage_ids)}

    themes = _load_each(theme_docs, lambda doc: _theme(doc, stage_ids, broken, problems))
    themes.sort(key=lambda theme: (stage_ids[theme.stage_id].number, theme.order))
    _unique(themes, "id", "theme id", problems)
    for stage_id, members in _group(themes, lambda theme: theme.stage_id).items():
        _unique(members, "order", f"order in stage '{stage_id}'", problems)
    theme_ids = {theme.id: theme for theme in themes}
    broken["theme"] = _claimed_ids(theme_docs) - set(theme_ids)

    quotations = _load_each(quotation_docs, lambda doc: _quotation(doc, theme_ids, broken, problems))
    journey_index = {theme.id: index for index, theme in enumerate(themes)}
    quotations.sort(key=lambda quotation: (journey_index[quotation.theme_id], quotation.order))
    _unique(quotations, "id", "quotation id", problems)
    for theme_id, members in _group(quotations, lambda quotation: quotation.theme_id).items():
        _unique(members, "order", f"order in theme '{theme_id}'", problems)
    broken["quotation"] = _claimed_ids(quotation_docs) - {quotation.id for quotation in quotations}
    _check_placements(themes, quotations, broken["quotation"], problems)
    quotations_by_id = {quotation.id: quotation for quotation in quotations}
    teaching = [note for doc in teaching_docs if (note := _teaching(doc, stage_ids, theme_ids, quotations_by_id, broken, problems))]
    _unique(teaching, "about", "teaching note for", problems)

    article = _article(page_docs, settings, problems)
    citations = _citations(folders, stage_docs, themes, page_docs, known_keys, problems)
    problems += _markup(stage_docs, theme_docs, themes, quotation_docs, teaching_docs, page_docs, settings)
    bibliography = None
    if bib_text is not None:
        cited = None if complete_bibliography else frozenset(item.key for citation in citations for item in citation.items)
        bibliography = parse_bibliography(bib_text, display_path(folders.path(folders.bibliography), folders.root), cited, known_references,
                                          checked_bibliography)
        problems.extend(bibliography.problems)
        _warn_about_references(bibliography, citations, problems)
    themes_with_quotations = {quotation.theme_id for quotation in quotations}
    for theme in themes:
        if theme.id not in themes_with_quotations:
            problems.append(Problem(theme.source.path, theme.source.line, f"theme '{theme.id}' has no quotations", "warning"))

    pages = tuple(_page(document, folders) for document in page_docs if not document.problems)
    problems += _whole_study_problems(pages, settings)
    if any(problem.severity == "error" for problem in problems):
        return LoadResult(None, bibliography, tuple(sorted(set(problems))))
    study = Study(tuple(stages), tuple(themes), tuple(quotations), bibliography.references if bibliography else (), tuple(citations),
                  pages, article, tuple(teaching))
    return LoadResult(study, bibliography, tuple(sorted(set(problems))))


def _load_each(documents: list[SourceDocument], load: Callable[[SourceDocument], Any]) -> list[Any]:
    return [item for item in map(load, documents) if item is not None]


def _claimed_ids(documents: list[SourceDocument]) -> set[str]:
    """The id each file claims, even a broken one (its file name when its id is unreadable)."""
    claimed = set()
    for document in documents:
        field = document.fields.get("id")
        claimed.add(str(field.value) if field and isinstance(field.value, str) else Path(document.path).stem)
    return claimed


def _article(page_docs: list[SourceDocument], settings: SiteSettings, problems: list[Problem]) -> Article | None:
    """The article the study publishes, from the one page that describes it; every page's fields are checked."""
    articles: list[tuple[SourceDocument, Article]] = []
    for document in page_docs:
        if document.fields and not document.problems:
            found = check_fields(document, "page") or _theme_names(document, settings)
            problems.extend(found)
            article, article_problems = read_article(document) if not found else (None, [])
            problems.extend(article_problems)
            articles += [(document, article)] if article else []
    if len(articles) > 1:  # one study, one article: a second block would replace the first's metadata on every page
        problems.extend(Problem(document.path, document.line_of("article"), "the article is described on more than one page "
                                f"({', '.join(other.path for other, _ in articles)}): keep one") for document, _ in articles)
    return articles[0][1] if articles else None


def _read_bibliography(folders: SourceFolders, problems: list[Problem]) -> str | None:
    path = folders.path(folders.bibliography)
    shown = display_path(path, folders.root)
    if not path.exists() and not path.is_symlink():
        problems.append(Problem(shown, 0, "bibliography file not found"))
        return None
    return _read_text(folders, path, problems, characters=False)  # the bibliography reports its own, entry by entry


def _read_folder(folders: SourceFolders, folder: str, problems: list[Problem], recursive: bool = False,
                 front_matter_required: bool = True, skip: tuple[str, ...] = ()) -> list[SourceDocument]:
    directory = folders.path(folder)
    if not directory.is_dir():
        return []
    outside = outside_problem(directory, folders.sources(), display_path(directory, folders.root))
    if outside:
        problems.append(outside)
        return []
    documents = []
    for path in sorted(directory.rglob("*.md") if recursive else directory.glob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue  # an editor's lock or swap file (Emacs' .#name.md), as MkDocs leaves dotfiles out of a site
        shown = display_path(path, folders.root)
        if any(_is_within(shown, posixpath.normpath(other)) for other in skip):
            continue
        named = name_problem(path.relative_to(directory).as_posix(), shown)
        if named:
            problems.append(named)
            continue
        text = _read_text(folders, path, problems)
        if text is None:
            continue
        if not front_matter_required and not has_front_matter(text):
            if _MULTIMARKDOWN_META.match(text):
                problems.append(Problem(shown, 1, "a first line 'name: value' is read by MkDocs as the page's settings: "
                                                  "put settings between '---' lines, or start the page with a blank line"))
            documents.append(SourceDocument(shown, {}, text, 1))
            continue
        document = read_source(shown, text)
        problems.extend(document.problems)
        if (not front_matter_required and not document.problems
                and (has_front_matter(document.body) or _MULTIMARKDOWN_META.match(document.body))):
            # A page's text can open a generated page (the references page's introduction), where
            # MkDocs would read these lines as that page's settings.
            problems.append(Problem(shown, document.body_line, "the page's text starts like page settings ('---' or 'name: value'): "
                                                               "start it with a blank line or other text"))
        documents.append(document)
    return documents


def _read_text(folders: SourceFolders, path: Path, problems: list[Problem], characters: bool = True) -> str | None:
    """The file's text as an editor shows it: UTF-8, a byte-order mark dropped, Windows (CRLF) and
    old Mac (CR) line ends read as LF, so line numbers are the editor's; None after a problem."""
    shown = display_path(path, folders.root)
    outside = outside_problem(path, folders.sources(), shown)
    if outside:
        problems.append(outside)
        return None
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a folder, or a pipe that would never end
            problems.append(Problem(shown, 1, "is not a file: a source must be a plain text file"))
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(shown, 1, f"cannot be read: {error.strerror or error}"))
        return None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(Problem(shown, line, f"the file is not UTF-8 text (byte {data[error.start]:#04x}); save it as UTF-8"))
        return None
    if characters:
        problems.extend(forbidden_characters(text, shown))
    return text


def _docs_folder_problems(folders: SourceFolders, settings: SiteSettings) -> list[Problem]:
    """Every file of the docs folder that may not be published, as the build would publish it."""
    docs = folders.path(folders.content)
    if not docs.is_dir():
        return []
    problems: list[Problem] = []
    sources = folders.sources()
    for path in docs_files(docs):
        relative, shown = path.relative_to(docs).as_posix(), display_path(path, folders.root)
        refused = file_problems(relative, path, sources, shown, settings.configured_files, settings.theme_dirs, settings.generated_files)
        problems += refused
        if not refused and relative.lower().endswith(".svg"):
            text = _read_text(folders, path, problems)
            problems += svg_problems(text, shown) if text is not None else []
    return problems


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _fields(document: SourceDocument, kind: Kind, problems: list[Problem]) -> dict[str, Any] | None:
    """The document's fields, when they satisfy the kind's JSON Schema (text fields stripped)."""
    if document.problems:
        return None
    found = check_fields(document, kind)
    problems.extend(found)
    if found:
        return None
    return {name: field.value.strip() if isinstance(field.value, str) else field.value for name, field in document.fields.items()}


def _stage(document: SourceDocument, problems: list[Problem]) -> Stage | None:
    values = _fields(document, "stage", problems)
    if values is None:
        return None
    return Stage(values["id"], values["number"], values["title"], values["subtitle"], document.body.strip() + "\n",
                 Location(document.path, document.front_matter_line))


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    """The message for a name that refers to nothing: "unknown theme 'x' (did you mean 'y'?)"."""
    return f"unknown {what} '{excerpt(name)}'{did_you_mean(name, known)}"


def _theme(document: SourceDocument, stages: dict[str, Stage], broken: dict[str, set[str]], problems: list[Problem]) -> Theme | None:
    values = _fields(document, "theme", problems)
    if values is None:
        return None
    if values["stage"] in broken["stage"]:
        return None
    if values["stage"] not in stages:
        problems.append(Problem(document.path, document.line_of("stage"), _unknown("stage", values["stage"], stages)))
        return None
    parts, body_problems = parse_theme_body(document.body, document.path, document.body_line)
    problems.extend(body_problems)
    return Theme(values["id"], values["label"], values["stage"], values["order"], parts,
                 Location(document.path, document.front_matter_line))


def _quotation(document: SourceDocument, themes: dict[str, Theme], broken: dict[str, set[str]],
               problems: list[Problem]) -> Quotation | None:
    values = _fields(document, "quotation", problems)
    if values is None:
        return None
    if values["theme"] in broken["theme"]:
        return None
    if values["theme"] not in themes:
        problems.append(Problem(document.path, document.line_of("theme"), _unknown("theme", values["theme"], themes)))
        return None
    text = document.body.strip()
    if not text:
        problems.append(Problem(document.path, document.body_line,
                                "the quotation is empty: write the informant's words below the front matter"))
        return None
    return Quotation(values["id"], values["theme"], values["order"], text + "\n", Location(document.path, document.front_matter_line))


def _teaching(document: SourceDocument, stages: dict[str, Stage], themes: dict[str, Theme],
              quotations: dict[str, Quotation], broken: dict[str, set[str]], problems: list[Problem]) -> TeachingNote | None:
    values = _fields(document, "teaching", problems)
    if values is None:
        return None
    about = values["about"]
    if about in broken["stage"] or about in broken["theme"]:
        return None
    if about not in stages and about not in themes:
        problems.append(Problem(document.path, document.line_of("about"), _unknown("stage or theme", about, [*stages, *themes])))
        return None
    activities = {}
    for kind in ("questions", "prompts"):
        activities[kind] = tuple(Activity(item["text"].strip(), tuple(item.get("quotations", []))) for item in values.get(kind, []))
        for activity in activities[kind]:
            for quotation_id in activity.quotations:
                if quotation_id not in quotations and quotation_id not in broken["quotation"]:
                    problems.append(Problem(document.path, document.line_of(kind), _unknown("quotation", quotation_id, quotations)))
    return TeachingNote(about, tuple(aim.strip() for aim in values["aims"]), activities["questions"], activities["prompts"],
                        document.body.strip(), Location(document.path, document.front_matter_line))


def _page(document: SourceDocument, folders: SourceFolders) -> Page:
    uri = posixpath.relpath(document.path, folders.content)
    title = document.fields.get("title")
    # One line's first-level heading; [ \t] and no lazy match, so a heading of many spaces takes linear time.
    heading = re.search(r"^#[ \t]+(\S.*)$", document.body, re.MULTILINE)
    if title and isinstance(title.value, str):
        shown = title.value
    else:
        shown = heading.group(1).rstrip() if heading else posixpath.splitext(posixpath.basename(uri))[0]
    settings = tuple((name, json.dumps(field.value, sort_keys=True, default=str)) for name, field in document.fields.items()
                     if name not in ("title", "article"))
    return Page(uri, shown, document.body, Location(document.path, document.body_line), settings)


def _theme_names(document: SourceDocument, settings: SiteSettings) -> list[Problem]:
    """A page's ``template`` and ``icon`` must name what the theme has: the theme would fail on
    another name, or (a template of its own, like redirect.html) turn the page into something else."""
    problems = []
    template, icon = document.fields.get("template"), document.fields.get("icon")
    if template and template.value not in settings.page_templates:
        problems.append(Problem(document.path, template.line, f"field 'template' must be one of the site's page templates "
                                                              f"({', '.join(sorted(settings.page_templates))}), not {template.value!r}"))
    if icon and settings.theme_dirs and not any(os.path.isfile(os.path.join(folder, ".icons", f"{icon.value}.svg"))
                                               for folder in settings.theme_dirs):
        problems.append(Problem(document.path, icon.line, f"field 'icon': the theme has no icon {icon.value!r}"))
    return problems


def _whole_study_problems(pages: tuple[Page, ...], settings: SiteSettings) -> list[Problem]:
    """Each page (or section of a page) the whole-study page is to hold must be there."""
    problems = []
    by_uri = {page.uri: page for page in pages}
    for part in settings.whole_study:
        uri, _, fragment = part.partition("#")
        if part == "results":
            continue
        if uri not in by_uri:
            problems.append(Problem(settings.config_file, 1, f"whole_study: '{excerpt(part)}' names no page of the docs folder"))
            continue
        try:
            section(by_uri[uri].markdown, fragment) if fragment else None
        except KeyError:
            page = by_uri[uri]
            problems.append(Problem(page.source.path, page.source.line, f"the whole study (whole_study in {settings.config_file}) "
                                    f"takes the section '#{fragment}' of this page, and it has no heading with that anchor"))
    return problems


def _check_placements(themes: list[Theme], quotations: list[Quotation], broken: set[str], problems: list[Problem]) -> None:
    """Each quotation stands exactly once in its own theme's text, in the order its files give."""
    by_id = {quotation.id: quotation for quotation in quotations}
    by_theme = _group(quotations, lambda quotation: quotation.theme_id)
    for theme in themes:
        placements = [part for part in theme.parts if isinstance(part, QuotationPlacement)]
        seen: dict[str, int] = {}
        for placement in placements:
            quotation = by_id.get(placement.quotation_id)
            if placement.quotation_id in broken:
                continue
            if quotation is None:
                problems.append(Problem(theme.source.path, placement.line, _unknown("quotation", placement.quotation_id, by_id)))
            elif quotation.theme_id != theme.id:
                problems.append(Problem(theme.source.path, placement.line,
                                        f"quotation '{quotation.id}' belongs to theme '{quotation.theme_id}' "
                                        f"({quotation.source.path}), not to '{theme.id}'"))
            elif quotation.id in seen:
                problems.append(Problem(theme.source.path, placement.line,
                                        f"quotation '{quotation.id}' is placed twice (first at line {seen[quotation.id]})"))
            seen.setdefault(placement.quotation_id, placement.line)
        own = by_theme.get(theme.id, [])
        for quotation in own:
            if quotation.id not in seen:
                problems.append(Problem(quotation.source.path, quotation.source.line,
                                        f"quotation '{quotation.id}' is not placed in its theme: "
                                        f"add '{{{{< quote {quotation.id} >}}}}' to {theme.source.path}"))
        own_ids = {quotation.id for quotation in own}
        placed_order = [placement.quotation_id for placement in placements if placement.quotation_id in own_ids]
        expected = [quotation.id for quotation in own if quotation.id in placed_order]
        if placed_order != expected and len(set(placed_order)) == len(placed_order):
            problems.append(Problem(theme.source.path, placements[0].line, f"quotations are placed in the order {', '.join(placed_order)} "
                                                                           f"but their 'order' fields say {', '.join(expected)}"))


def _markup(stage_docs: list[SourceDocument], theme_docs: list[SourceDocument], themes: list[Theme], quotation_docs: list[SourceDocument],
            teaching_docs: list[SourceDocument], page_docs: list[SourceDocument], settings: SiteSettings) -> list[Problem]:
    """What the sanitizer would remove from every Markdown text of the sources, where it stands, and
    every code fence that never closes (Python-Markdown reads on to the end for each one)."""
    bodies = [(doc.body, doc.path, doc.body_line) for doc in (*stage_docs, *quotation_docs, *teaching_docs, *page_docs)]
    texts = bodies + [(passage.markdown, theme.source.path, passage.line) for theme in themes for passage in theme.passages]
    problems = [problem for text in texts for problem in markup_problems(*text, settings)]
    for body, path, first_line in bodies + [(doc.body, doc.path, doc.body_line) for doc in theme_docs]:
        problems += [Problem(path, first_line + line, "this code fence is never closed: end the code with the same fence on "
                                                      "a line of its own, or remove it") for line in fences(body).unclosed]
    return problems


def _citations(folders: SourceFolders, stage_docs: list[SourceDocument], themes: list[Theme], page_docs: list[SourceDocument],
               keys: set[str] | None, problems: list[Problem]) -> list[Citation]:
    found: list[FoundCitation] = []
    for document in stage_docs:
        found += find_citations(document.body, document.path, document.body_line)
    for theme in themes:
        for passage in theme.passages:
            found += find_citations(passage.markdown, theme.source.path, passage.line)
    for document in page_docs:
        found += find_citations(document.body, document.path, document.body_line)
        for shortcode in find_shortcodes(document.body, document.body_line):
            if shortcode.name not in PAGE_SHORTCODES:
                problems.append(Problem(document.path, shortcode.line, f"unknown shortcode '{excerpt(shortcode.name)}' "
                                                                       f"(pages know: {', '.join(PAGE_SHORTCODES)})"))
            elif len(shortcode.args) != PAGE_SHORTCODES[shortcode.name]:
                problems.append(Problem(document.path, shortcode.line, f"the shortcode '{shortcode.name}' takes no arguments: "
                                                                       f"write '{{{{< {shortcode.name} >}}}}'"))
    citations = []
    for item in found:
        if item.citation is None:
            problems.append(Problem(item.path, item.line, item.error))
            continue
        for cited in item.citation.items:
            if keys is not None and cited.key not in keys:
                problems.append(Problem(item.path, item.line, _unknown("citation key", cited.key, keys)))
        citations.append(item.citation)
    return citations


def _warn_about_references(bibliography: Bibliography, citations: list[Citation], problems: list[Problem]) -> None:
    cited = {member for citation in citations for item in citation.items for member in (item.key, *bibliography.members_of(item.key))}
    for reference in bibliography.references:
        where = reference.source
        if reference.key not in cited:
            problems.append(Problem(where.path, where.line, f"reference '{excerpt(reference.key)}' is never cited", "warning"))
        if reference.is_incomplete and reference.annote.strip():  # known, and said why: the site shows the note
            problems.append(Problem(where.path, where.line, f"reference '{excerpt(reference.key)}' is incomplete: its full "
                                                            "reference is not established (its annote says what is known)", "notice"))
        elif reference.is_incomplete:
            problems.append(Problem(where.path, where.line, f"reference '{excerpt(reference.key)}' is incomplete: its full "
                                                            "reference is not established, and no annote says why "
                                                            "(write in one what is known)", "warning"))


def _unique(items: Iterable[Any], attribute: str, what: str, problems: list[Problem]) -> None:
    seen: dict[Any, Any] = {}
    for item in items:
        value = getattr(item, attribute)
        if value in seen:
            first = seen[value].source
            problems.append(Problem(item.source.path, item.source.line, f"duplicate {what} {value!r} (also in {first.path}:{first.line})"))
        else:
            seen[value] = item


def _group(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _results_section_problems(folders: SourceFolders, settings: SiteSettings) -> list[Problem]:
    """A study's stages and themes go into the nav section the plugin's results_section names:
    without one, MkDocs would leave them out of the navigation (and a strict build fails)."""
    if not settings.unplaced_results or not any(folders.path(folders.stages).glob("*.md")):
        return []
    return [Problem(settings.config_file, settings.nav_line, f"the nav has no section '{excerpt(settings.unplaced_results)}' for the "
                    f"journey's stages and themes: add '- {excerpt(settings.unplaced_results)}: []' to the nav, or name its section "
                    "in the study plugin's results_section option")]

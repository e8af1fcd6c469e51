"""Read a BibTeX file into references, reporting every malformed entry with its line.

pybtex stops at the first error in a file, so the file is cut into entries at each line that
starts with ``@`` and each entry is parsed on its own: one broken entry does not hide the next.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Mapping

from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.richtext import Protected, String, Text
from pybtex.scanner import PybtexSyntaxError

from ..model import Location, Name, Reference
from ..problems import Problem

CONFIDENCE_LEVELS = ("certain", "probable", "unknown")
_NEEDS_LATEX = re.compile(r"[\\$~`]|''|\{[^{}]*\{")
_BRACED = re.compile(r"(\{[^{}]*\})")
# One backend instance: pybtex's render_as() looks its backend up among entry points on every call.
PLAIN_TEXT = PlainTextBackend()
_ENTRY_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_ENTRY_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s}]*)")


@dataclass(frozen=True)
class Chunk:
    """One ``@type{key, ...}`` block of a .bib file, found without parsing it."""

    line: int
    kind: str
    key: str
    text: str

    @cached_property
    def digest(self) -> str:
        """Identifies the entry's exact text, so work done on it can be reused while it is unchanged."""
        return hashlib.sha256(self.text.strip().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Bibliography:
    """A .bib file: every key it defines, and the references parsed from it (all, or those asked for).

    The pybtex entry of a reference is parsed when it is first needed (to format it), so a
    reference known from an earlier build costs nothing until then.
    """

    path: str
    keys: frozenset[str]
    references: tuple[Reference, ...]
    problems: tuple[Problem, ...]
    chunks: dict[str, Chunk] = field(default_factory=dict, repr=False)
    macros: tuple[str, ...] = field(default=(), repr=False)
    parsed: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def get(self, key: str) -> Reference | None:
        return self._by_key.get(key)

    def digest(self, key: str) -> str:
        return self.chunks[key].digest

    def entry(self, key: str) -> Entry:
        """The pybtex entry for ``key`` (parsed now if an earlier step did not need it)."""
        if key not in self.parsed:
            parser = _EntryParser()
            for text in self.macros:
                parser.parse_string(text)
            parser.data = BibliographyData()
            self.parsed[key] = parser.parse_string(self.chunks[key].text).entries[key]
        return self.parsed[key]

    @cached_property
    def _by_key(self) -> dict[str, Reference]:
        return {reference.key: reference for reference in self.references}


class _EntryParser(Parser):
    """pybtex's parser, made to raise on the first problem of an entry instead of printing it."""

    def handle_error(self, error: Exception) -> None:
        raise error


@lru_cache(maxsize=2)
def scan(text: str) -> tuple[Chunk, ...]:
    """Cut BibTeX into entries at each line starting with ``@``: cheap, and line numbers stay exact."""
    chunks = []
    starts = [match.start() for match in _ENTRY_START.finditer(text)]
    line, previous = 1, 0
    for index, start in enumerate(starts):
        line += text.count("\n", previous, start)
        previous = start
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end]
        head = _ENTRY_HEAD.match(chunk.lstrip())
        chunks.append(Chunk(line, head.group(1).lower() if head else "", head.group(2) if head else "", chunk))
    return tuple(chunks)


def parse_bibliography(text: str, path: str, only: frozenset[str] | None = None,
                       known: Mapping[str, Reference] | None = None) -> Bibliography:
    """Parse BibTeX ``text`` read from ``path``: every entry, or ``only`` those keys (cheaper on a
    large file). ``known`` maps entry digests to references parsed by an earlier build: those
    entries are not parsed again. Problems are returned, not raised."""
    parser = _EntryParser()
    references: list[Reference] = []
    problems: list[Problem] = []
    chunks: dict[str, Chunk] = {}
    macros: list[str] = []
    parsed_entries: dict[str, Entry] = {}
    for chunk in scan(text):
        if chunk.kind in ("comment", "preamble"):
            continue
        if chunk.key in chunks:
            problems.append(Problem(path, chunk.line, f"duplicate BibTeX key '{chunk.key}' (first defined at line {chunks[chunk.key].line})"))
            continue
        if chunk.kind != "string":
            chunks[chunk.key] = chunk
            if only is not None and chunk.key not in only:
                continue
            if known is not None and chunk.digest in known:
                references.append(replace(known[chunk.digest], source=Location(path, chunk.line)))
                continue
        parser.data = BibliographyData()
        try:
            parsed = parser.parse_string(chunk.text)
        except PybtexSyntaxError as error:
            reason = re.sub(r"^syntax error in line \d+: ", "", str(error))
            near = chunk.line + getattr(error, "lineno", 1) - 1
            name = f" '{chunk.key}'" if chunk.key else ""
            problems.append(Problem(path, chunk.line, f"malformed BibTeX entry{name}: {reason} (near line {near}; is a brace or comma missing?)"))
            continue
        except PybtexError as error:
            problems.append(Problem(path, chunk.line, f"malformed BibTeX: {error}"))
            continue
        if chunk.kind == "string":
            macros.append(chunk.text)
        elif not parsed.entries:
            problems.append(Problem(path, chunk.line, "malformed BibTeX: an entry must look like @type{key, field = {value}, ...}"))
        for key, entry in parsed.entries.items():
            parsed_entries[key] = entry
            reference = reference_from_entry(key, entry, Location(path, chunk.line))
            references.append(reference)
            problems.extend(_check_entry(reference, entry))
    return Bibliography(path, frozenset(chunks), tuple(references), tuple(problems), chunks, tuple(macros), parsed_entries)


def reference_from_entry(key: str, entry: Entry, location: Location = Location("", 0)) -> Reference:
    """The model of one pybtex entry; an unrecognised confidence counts as unknown."""
    fields = entry.fields
    confidence = plain_text(fields.get("confidence", "certain")).strip().lower()
    return Reference(
        key=key,
        entry_type=entry.type.lower(),
        authors=tuple(name_from_person(person) for person in entry.persons.get("author", ())),
        editors=tuple(name_from_person(person) for person in entry.persons.get("editor", ())),
        year=plain_text(fields.get("year", "")).strip(),
        title=plain_text(fields.get("title", "")),
        confidence=confidence if confidence in CONFIDENCE_LEVELS else "unknown",  # type: ignore[arg-type]
        annote=plain_text(fields.get("annote", "")),
        source=location,
    )


def _check_entry(reference: Reference, entry: Entry) -> list[Problem]:
    where = reference.source
    problems = []
    given = plain_text(entry.fields.get("confidence", "certain")).strip().lower()
    if given not in CONFIDENCE_LEVELS:
        problems.append(Problem(where.path, where.line, f"entry '{reference.key}': confidence must be one of {', '.join(CONFIDENCE_LEVELS)}, not '{given}'"))
    if not reference.creators and not reference.title:
        problems.append(Problem(where.path, where.line, f"entry '{reference.key}' has no author, editor or title to cite it by"))
    return problems


def name_from_person(person: Person) -> Name:
    """A pybtex person as the model's name; BibTeX's ``others`` becomes "et al."."""
    if str(person) == "others":
        return Name(last="others", is_others=True)
    return Name(
        last=plain_text(" ".join(person.last_names)),
        first=plain_text(" ".join(person.first_names + person.middle_names)),
        von=plain_text(" ".join(person.prelast_names)),
        junior=plain_text(" ".join(person.lineage_names)),
    )


def latex_text(latex: str) -> Text:
    """Rich text from a BibTeX value: {braced} parts protected, LaTeX accents and quotes decoded.

    Most values hold no LaTeX beyond braces; those skip latexcodec, which is slow on big files.
    """
    if _NEEDS_LATEX.search(latex):
        return Text.from_latex(latex)
    latex = _dashes(latex)
    if "{" not in latex and "}" not in latex:
        return Text(latex)
    parts: list = []
    for piece in _BRACED.split(latex):
        if piece.startswith("{") and piece.endswith("}"):
            parts.append(Protected(piece[1:-1]))
        elif piece:
            parts.append(String(piece.replace("{", "").replace("}", "")))
    return Text(*parts)


def plain_text(latex: str) -> str:
    """LaTeX accents, quotes and braces decoded: ``Lauv{\\aa}s`` -> ``Lauvås``."""
    if _NEEDS_LATEX.search(latex):
        return Text.from_latex(latex).render(PLAIN_TEXT)
    return _dashes(latex).replace("{", "").replace("}", "")


def _dashes(text: str) -> str:
    return text.replace("---", "—").replace("--", "–")

"""Read a BibTeX file into references, reporting every malformed entry with its line.

pybtex stops at the first error in a file, so the file is cut into entries at each line that
starts with ``@`` and each entry is parsed on its own: one broken entry does not hide the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError

from ..model import Location, Name, Reference
from ..problems import Problem

CONFIDENCE_LEVELS = ("certain", "probable", "unknown")
_ENTRY_START = re.compile(r"^[ \t]*@", re.MULTILINE)
_ENTRY_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s}]*)")


@dataclass(frozen=True)
class Bibliography:
    """The references of one .bib file, and the pybtex entries the reference list is formatted from."""

    references: tuple[Reference, ...]
    entries: BibliographyData
    problems: tuple[Problem, ...]

    def get(self, key: str) -> Reference | None:
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Reference]:
        return {reference.key: reference for reference in self.references}


class _EntryParser(Parser):
    """pybtex's parser, made to raise on the first problem of an entry instead of printing it."""

    def handle_error(self, error: Exception) -> None:
        raise error


def parse_bibliography(text: str, path: str) -> Bibliography:
    """Parse BibTeX ``text`` read from ``path``; problems are returned, not raised."""
    parser = _EntryParser()
    merged = BibliographyData()
    references: list[Reference] = []
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for start_line, chunk in _chunks(text):
        head = _ENTRY_HEAD.match(chunk.lstrip())
        kind = head.group(1).lower() if head else ""
        if kind in ("comment", "preamble"):
            continue
        parser.data = BibliographyData()
        try:
            parsed = parser.parse_string(chunk)
        except PybtexSyntaxError as error:
            reason = re.sub(r"^syntax error in line \d+: ", "", str(error))
            near = start_line + getattr(error, "lineno", 1) - 1
            name = f" '{head.group(2)}'" if head and head.group(2) else ""
            problems.append(Problem(path, start_line, f"malformed BibTeX entry{name}: {reason} (near line {near}; is a brace or comma missing?)"))
            continue
        except PybtexError as error:
            problems.append(Problem(path, start_line, f"malformed BibTeX: {error}"))
            continue
        if kind != "string" and not parsed.entries:
            problems.append(Problem(path, start_line, "malformed BibTeX: an entry must look like @type{key, field = {value}, ...}"))
        for key, entry in parsed.entries.items():
            if key in first_seen:
                problems.append(Problem(path, start_line, f"duplicate BibTeX key '{key}' (first defined at line {first_seen[key]})"))
                continue
            first_seen[key] = start_line
            merged.entries[key] = entry
            reference = reference_from_entry(key, entry, Location(path, start_line))
            references.append(reference)
            problems.extend(_check_entry(reference, entry))
    return Bibliography(tuple(references), merged, tuple(problems))


def _chunks(text: str) -> list[tuple[int, str]]:
    starts = [match.start() for match in _ENTRY_START.finditer(text)]
    chunks = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunks.append((text.count("\n", 0, start) + 1, text[start:end]))
    return chunks


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


def plain_text(latex: str) -> str:
    """LaTeX accents, quotes and braces decoded: ``Lauv{\\aa}s`` -> ``Lauvås``."""
    if not any(char in latex for char in "\\{}$~`'"):
        return latex
    return Text.from_latex(latex).render_as("text")

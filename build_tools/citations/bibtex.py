"""pybtex at the edge: parse one BibTeX entry (or make pybtex's entry of one read in the plain
form), decode LaTeX, and turn entries into the model.

Kept apart from :mod:`.bibliography` so that pybtex is imported only when an entry has to be
parsed or formatted: a build whose entries are all known from its cache never loads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError

from ..locations import Location
from ..problems import Problem, excerpt
from ..urls import link_errors
from .biblatex import FIELD_ALIASES, USED_FIELDS, work_from_fields
from .bibliography import read_value, simple_text
from .fields import unshown_field
from .latex import latex_text as latex_plain
from .model import CONFIDENCE_LEVELS, Reference


class EntryParser(Parser):
    """pybtex's parser for one entry at a time, raising on its first problem instead of printing it.

    ``@string`` macros it has read stay known to the entries it parses after them.
    """

    def __init__(self) -> None:
        super().__init__(person_fields=())  # names are read by .names, which knows biblatex's forms too

    def handle_error(self, error: Exception) -> None:
        raise error

    def entries(self, text: str, path: str, line: int, key: str) -> tuple[dict[str, Entry], Problem | None]:
        """The entries in ``text`` (a chunk of ``path`` starting at ``line``), or why it is malformed."""
        self.data = BibliographyData()
        try:
            return dict(self.parse_string(text).entries), None
        except PybtexSyntaxError as error:
            reason = re.sub(r"^syntax error in line \d+: ", "", str(error))
            near = line + getattr(error, "lineno", 1) - 1
            name = f" '{excerpt(key)}'" if key else ""
            return {}, Problem(path, line, f"malformed BibTeX entry{name}: {reason} (near line {near}; is a brace or comma missing?)")
        except PybtexError as error:
            return {}, Problem(path, line, f"malformed BibTeX: {error}")


def plain_entry_of(kind: str, fields: list[tuple[str, str]]) -> Entry:
    """pybtex's entry of one read by :func:`.bibliography.plain_entry` (its type and its fields as
    written): what pybtex's parser makes of the same text, type, fields and values alike."""
    return Entry(kind, [(name, read_value(value)) for name, value in fields])


def reference_from_entry(key: str, entry: Entry, location: Location = Location("", 0),
                         fields: Mapping[str, str] | None = None) -> Reference:
    """The model of one pybtex entry (with ``fields``, those inherited by crossref as well);
    an unrecognised confidence counts as unknown. Raises :class:`.biblatex.UnreadableField`."""
    fields = dict(entry.fields if fields is None else fields)
    for role, persons in entry.persons.items():  # an entry made in code (the article's) may hold its names as pybtex persons
        fields.setdefault(role.lower(), " and ".join(str(person) for person in persons))
    confidence = plain_text(fields.get("confidence", "certain")).strip().lower()
    return Reference(
        key=key,
        work=work_from_fields(entry.type, fields),
        confidence=confidence if confidence in CONFIDENCE_LEVELS else "unknown",  # type: ignore[arg-type]
        annote=plain_text(fields.get("annote", "") or fields.get("annotation", "")),
        source=location,
    )


def check_entry(reference: Reference, entry: Entry, source: str) -> list[Problem]:
    """What is wrong with an entry that parsed; ``source`` (its text) places a bad field on its line."""
    where = reference.source
    problems = []
    given = plain_text(entry.fields.get("confidence", "certain")).strip().lower()
    if given not in CONFIDENCE_LEVELS:
        problems.append(Problem(where.path, where.line, f"entry '{excerpt(reference.key)}': confidence must be one of "
                                                        f"{', '.join(CONFIDENCE_LEVELS)}, not '{excerpt(given)}'"))
    if not reference.creators and not reference.title and not reference.work.members and entry.type.lower() != "xdata":
        problems.append(Problem(where.path, where.line, f"entry '{excerpt(reference.key)}' has no author, editor or title to cite it by"))
    links = link_errors(entry.fields)
    unshown = [name for name in entry.fields if FIELD_ALIASES.get(name.lower(), name.lower()) not in USED_FIELDS]
    if not links and not unshown:  # most entries: no field to place on its line
        return problems
    positions = field_positions(source)
    for name, message in links.items():
        line, column = positions.get(name.lower(), (0, 1))
        problems.append(Problem(where.path, where.line + line, f"entry '{excerpt(reference.key)}': {name}: {message}", column=column))
    for name in unshown:
        line, column = positions.get(name.lower(), (0, 1))
        problems.append(Problem(where.path, where.line + line, unshown_field("entry", reference.key, name.lower()), "notice", column))
    return problems


_FIELD_NAME = re.compile(r",\s*([^\s=,{}\"#%'()]+)\s*=")


def field_positions(source: str) -> dict[str, tuple[int, int]]:
    """Where each field's ``name =`` starts in an entry's text, by lower-case name (its first
    occurrence): lines after the entry's first, and column. One pass over the text, whatever it holds."""
    positions: dict[str, tuple[int, int]] = {}
    line, counted = 0, 0
    for found in _FIELD_NAME.finditer(source):
        start = found.start(1)
        line += source.count("\n", counted, start)
        counted = start
        positions.setdefault(found.group(1).lower(), (line, start - source.rfind("\n", 0, start)))
    return positions


def field_position(source: str, name: str) -> tuple[int, int]:
    """Where ``name =`` starts in an entry's text (its first line when not found, as when a macro
    was written)."""
    return field_positions(source).get(name.lower(), (0, 1))


@lru_cache(maxsize=8192)  # names and journals recur across a bibliography
def plain_text(latex: str) -> str:
    """LaTeX accents, quotes and braces decoded: ``Lauv{\\aa}s`` -> ``Lauvås``."""
    simple = simple_text(latex)
    return latex_plain(latex) if simple is None else simple

"""Read a BibTeX file into references, reporting every malformed entry with its line.

pybtex stops at the first error in a file, so the file is cut into entries at each line that
starts with ``@`` and each entry is parsed on its own: one broken entry does not hide the next.
Only the entries a build needs are parsed, and those known from an earlier build are not parsed
again, so pybtex (:mod:`.bibtex`) is imported only when some entry must be.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Mapping

from ..model import Location, Reference
from ..problems import Problem

if TYPE_CHECKING:
    from pybtex.database import Entry

# An entry starts on a line whose first non-blank character is "@": found by searching for "\n",
# which the regex engine does faster than trying a MULTILINE "^" at every character.
_ENTRY_START = re.compile(r"\n[ \t]*@")
_FIRST_ENTRY = re.compile(r"[ \t]*@")
_ENTRY_HEAD = re.compile(r"[ \t]*@\s*(\w+)\s*[{(]\s*([^,\s}]*)")


# One ``@type{key, ...}`` block of a .bib file, found without parsing it: (line, type, key, start,
# end), the offsets in the file's text. A plain tuple: a large file has thousands, and Python's
# garbage collector stops tracking tuples that hold only strings and numbers.
Chunk = tuple[int, str, str, int, int]


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
    text: str = field(default="", repr=False, compare=False)
    digests: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def get(self, key: str) -> Reference | None:
        return self._by_key.get(key)

    def source(self, key: str) -> str:
        """The entry's BibTeX text, as written in the file."""
        _, _, _, start, end = self.chunks[key]
        return self.text[start:end]

    def digest(self, key: str) -> str:
        """Identifies the entry's exact text, so work done on it can be reused while it is unchanged."""
        if key not in self.digests:
            self.digests[key] = _digest(self.source(key))
        return self.digests[key]

    def entry(self, key: str) -> Entry:
        """The pybtex entry for ``key`` (parsed now if an earlier step did not need it)."""
        if key not in self.parsed:
            from .bibtex import EntryParser

            entries, _ = EntryParser(self.macros).entries(self.source(key), self.path, self.chunks[key][0], key)
            self.parsed[key] = entries[key]
        return self.parsed[key]

    @cached_property
    def _by_key(self) -> dict[str, Reference]:
        return {reference.key: reference for reference in self.references}


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


@lru_cache(maxsize=2)
def scan(text: str) -> tuple[Chunk, ...]:
    """Cut BibTeX into entries at each line starting with ``@``: cheap, and line numbers stay exact."""
    chunks = []
    starts = [0] if _FIRST_ENTRY.match(text) else []
    starts += [match.start() + 1 for match in _ENTRY_START.finditer(text)]
    line, previous = 1, 0
    for index, start in enumerate(starts):
        line += text.count("\n", previous, start)
        previous = start
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        head = _ENTRY_HEAD.match(text, start, end)
        chunks.append((line, head.group(1).lower() if head else "", head.group(2) if head else "", start, end))
    return tuple(chunks)


def parse_bibliography(text: str, path: str, only: frozenset[str] | None = None,
                       known: Mapping[str, Reference] | None = None) -> Bibliography:
    """Parse BibTeX ``text`` read from ``path``: every entry, or ``only`` those keys (cheaper on a
    large file). ``known`` maps entry digests to references parsed by an earlier build: those
    entries are not parsed again. Problems are returned, not raised."""
    references: list[Reference] = []
    problems: list[Problem] = []
    chunks: dict[str, Chunk] = {}
    digests: dict[str, str] = {}
    macros: list[str] = []
    parsed_entries: dict[str, Entry] = {}
    parser = None
    for chunk in scan(text):
        line, kind, key, start, end = chunk
        if kind in ("comment", "preamble"):
            continue
        if key in chunks:
            problems.append(Problem(path, line, f"duplicate BibTeX key '{key}' (first defined at line {chunks[key][0]})"))
            continue
        if kind != "string":
            chunks[key] = chunk
            if only is not None and key not in only:
                continue
        source = text[start:end]
        if kind != "string" and known is not None:
            digest = digests[key] = _digest(source)
            if digest in known:
                reference, where = known[digest], Location(path, line)
                references.append(reference if reference.source == where else replace(reference, source=where))
                continue
        if parser is None:
            from .bibtex import EntryParser, check_entry, reference_from_entry

            parser = EntryParser()
        entries, problem = parser.entries(source, path, line, key)
        if problem is not None:
            problems.append(problem)
            continue
        if kind == "string":
            macros.append(source)
        elif not entries:
            problems.append(Problem(path, line, "malformed BibTeX: an entry must look like @type{key, field = {value}, ...}"))
        for entry_key, entry in entries.items():
            parsed_entries[entry_key] = entry
            reference = reference_from_entry(entry_key, entry, Location(path, line))
            references.append(reference)
            problems.extend(check_entry(reference, entry))
    return Bibliography(path, frozenset(chunks), tuple(references), tuple(problems), chunks, tuple(macros), parsed_entries,
                        text, digests)

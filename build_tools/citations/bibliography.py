"""Read a BibTeX file into references, reporting every malformed entry with its line.

pybtex stops at the first error in a file, so the file is cut into entries at each line that
starts with ``@`` and each entry is parsed on its own: one broken entry does not hide the next.
Only the entries a build needs are parsed, and those known from an earlier build are not parsed
again, so pybtex (:mod:`.bibtex`) is imported only when some entry must be. An entry in BibTeX's
plain, common form (:func:`plain_entry`, differential-tested against pybtex) is made into
pybtex's entry without pybtex's parser, whose scanner took most of the time of reading the
entries a build shows; pybtex's parser reads any other. The entries a build does not need are
still checked, by :func:`plain_fields` and :func:`plainly_correct` where they can vouch for one
and by pybtex where they cannot, so the build fails on every entry the check fails on, with the
same message: the site publishes the whole file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from ..characters import forbidden_characters
from ..locations import Location
from ..problems import Problem, excerpt
from ..urls import LINK_FIELDS, link_errors
from .csl import is_csl, read_csl
from .model import CONFIDENCE_LEVELS, Reference

if TYPE_CHECKING:
    from pybtex.database import Entry

    from .bibtex import EntryParser

# An entry starts on a line whose first non-blank character is "@": found by searching for "\n",
# which the regex engine does faster than trying a MULTILINE "^" at every character.
_ENTRY_START = re.compile(r"\n[ \t]*@")
_FIRST_ENTRY = re.compile(r"[ \t]*@")
_ENTRY_HEAD = re.compile(r"[ \t]*@\s*(\w+)\s*[{(]\s*([^,\s}]*)")
_WORD = re.compile(r"[A-Za-z_][\w:.+/'-]*")
_SHAPE = "malformed BibTeX: an entry must look like @type{key, field = {value}, ...}"
# Characters XML 1.0 forbids: the site's REFI-QDA export, which holds the references, is XML.
_NEEDS_LATEX = re.compile(r"[\\$~`]|''|\{[^{}]*\{")


def _braced(depth: int) -> str:
    """A ``{value}`` whose braces balance, nested at most ``depth`` deep (pybtex allows 100)."""
    group = r"\{[^{}]*+\}"
    for _ in range(depth - 1):
        group = r"\{[^{}]*+(?:" + group + r"[^{}]*+)*+\}"
    return group


# BibTeX's plain, common form, as pybtex reads it (pybtex/database/input/bibtex.py): a value is
# {braced}, "quoted" (ended by the first " outside braces) or digits; a type and a field name are
# subsets of pybtex's names, a key of pybtex's keys, each followed by what pybtex's own pattern
# cannot take in; after the closing brace, pybtex skips to the next "@". Between the head and the
# last "}", the entry is cut into tokens: a field (the last one may take a trailing comma) or any
# other character, which makes the entry not plain.
# Possessive quantifiers: a value that never closes fails at once instead of backtracking.
_BRACED_VALUE = _braced(4)
_VALUE = rf'(?:{_BRACED_VALUE}|"[^"{{}}]*+(?:{_BRACED_VALUE}[^"{{}}]*+)*+"|[0-9]++)'
_PLAIN_HEAD = re.compile(r"[ \t]*@([A-Za-z]++)\{([\w.:+/-]++)\s*+")
_PLAIN_TOKEN = re.compile(rf",\s*+([A-Za-z][A-Za-z0-9_-]*+)\s*+=\s*+({_VALUE})\s*+(?:,\s*+\Z)?|[\s\S]")
_NOT_ENTRIES = ("string", "preamble", "comment")
_NAME_COMMAS = 2  # "von Last, Jr, First": the most commas pybtex reads in one name
# Three commas outside braces with no " and " between: a name pybtex's Person() may reject. pybtex
# splits names at " and " after collapsing whitespace, so "\tand" found here too errs on the safe side.
_CROWDED_NAME = re.compile(rf",(?:(?! [Aa][Nn][Dd] )[^,{{}}]|{_BRACED_VALUE})*+,(?:(?! [Aa][Nn][Dd] )[^,{{}}]|{_BRACED_VALUE})*+,")


# One ``@type{key, ...}`` block of a .bib file, found without parsing it: (line, type, key, start,
# end), the offsets in the file's text. A plain tuple: a large file has thousands, and Python's
# garbage collector stops tracking tuples that hold only strings and numbers.
Chunk = tuple[int, str, str, int, int]


@dataclass(frozen=True)
class CheckedText:
    """A .bib text an earlier build read whole and found nothing wrong with: the digest of the
    text, and the entries it is cut into (:func:`scan`), so that while the text is unchanged its
    entries are neither checked nor looked for again."""

    digest: str = ""
    chunks: tuple[Chunk, ...] = ()


NOT_CHECKED = CheckedText()


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
    parsed: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)
    text: str = field(default="", repr=False, compare=False)
    digests: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    text_digest: str = field(default="", repr=False, compare=False)  # of the whole text, for ``checked``
    scanned: tuple[Chunk, ...] = field(default=(), repr=False, compare=False)  # the whole text cut into entries

    @property
    def checked(self) -> CheckedText:
        """What a later build may take as checked, once the build that read this found nothing wrong:
        a BibTeX text with its entries (a CSL file is read whole every time, so is never taken as
        checked: the same text read as BibTeX later must be checked as BibTeX)."""
        return CheckedText(self.text_digest, self.scanned) if self.scanned else NOT_CHECKED

    def get(self, key: str) -> Reference | None:
        return self._by_key.get(key)

    def members_of(self, key: str) -> tuple[str, ...]:
        """The works a key stands for: a set's members (biblatex's ``@set``), or the work itself."""
        reference = self._by_key.get(key)
        members = tuple(member for member in reference.work.members if member in self._by_key) if reference is not None else ()
        return members or (key,)

    def source(self, key: str) -> str:
        """The entry's BibTeX text, as written in the file."""
        _, _, _, start, end = self.chunks[key]
        return self.text[start:end]

    def digest(self, key: str) -> str:
        """Identifies the entry's exact text (with the @string macros before it and the entries it
        inherits from), so work done on it can be reused while it is unchanged."""
        if key not in self.digests:
            self.digests[key] = _digest(self.source(key))
        return self.digests[key]

    @cached_property
    def _by_key(self) -> dict[str, Reference]:
        return {reference.key: reference for reference in self.references}


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


@lru_cache(maxsize=2)
def _text_digest(text: str) -> str:
    """The digest of a whole file's text, exactly as it is (where its entries start and end depends
    on every character, blank lines at its top too); kept, as its keys and its entries are asked
    for in turn."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entries_of(text: str, checked: CheckedText) -> tuple[Chunk, ...]:
    """The text cut into entries: as an earlier build cut this same text (if its entries lie in it,
    one after the other), or by :func:`scan` now."""
    if checked.chunks and checked.digest == _text_digest(text) and _in_order_within(checked.chunks, len(text)):
        return checked.chunks
    return scan(text)


def _in_order_within(chunks: tuple[Chunk, ...], length: int) -> bool:
    """Whether kept entries can be a text's: inside it, one after the other, lines not going back."""
    end_before, line_before = 0, 1
    for line, _, _, start, end in chunks:
        if not (line_before <= line and end_before <= start <= end <= length):
            return False
        end_before, line_before = end, line
    return True


def needs_latex(value: str) -> bool:
    """Whether a value holds LaTeX beyond braces (few do), which only pybtex's decoder can read."""
    return _NEEDS_LATEX.search(value) is not None


def dashes(text: str) -> str:
    """BibTeX's ``--`` and ``---`` as the dashes they stand for."""
    return text.replace("---", "—").replace("--", "–")


def simple_text(value: str) -> str | None:
    """A value holding no LaTeX beyond braces as plain text; None for one that needs decoding."""
    return None if needs_latex(value) else dashes(value).replace("{", "").replace("}", "")


def plain_fields(text: str, start: int = 0, end: int | None = None) -> dict[str, str] | None:
    """The fields of the entry ``text[start:end]`` if it is written in BibTeX's plain, common form:
    by lower-case name, each value as written (read it with :func:`read_value`); None for any other form.

    Sound, not complete: whenever it answers, pybtex parses the entry without error (macros, ``#``,
    parentheses, deep braces, odd characters, duplicate fields and names with too many commas are
    left to pybtex). One regular expression, so that a build can check the thousands of entries it
    does not show for a small fraction of what pybtex takes.
    """
    found = _plain(text, start, end)
    return None if found is None else found[2]


def plain_entry(text: str, start: int = 0, end: int | None = None) -> tuple[str, str, list[tuple[str, str]]] | None:
    """The entry ``text[start:end]`` read as :func:`plain_fields` reads it: its type and key and
    its fields (names and values) as written, in order; None for any other form. What pybtex's
    parser would make of it, without pybtex's cost (:func:`.bibtex.plain_entry_of`)."""
    found = _plain(text, start, end)
    return None if found is None else (found[0].group(1), found[0].group(2), found[1])


def _plain(text: str, start: int, end: int | None) -> tuple[re.Match[str], list[tuple[str, str]], dict[str, str]] | None:
    """The head, the fields as written and the fields by lower-case name of a plain entry."""
    end = len(text) if end is None else end
    head = _PLAIN_HEAD.match(text, start, end)
    if head is None or head.group(1).lower() in _NOT_ENTRIES:
        return None
    close = text.rfind("}", head.end(), end)
    if close < 0 or text.find("@", close, end) >= 0:
        return None
    tokens = _PLAIN_TOKEN.findall(text, head.end(), close)
    fields = {name.lower(): value for name, value in tokens}
    if len(fields) < len(tokens) or "" in fields:  # a field named twice, or a character out of place
        return None
    for role in ("author", "editor"):  # pybtex's Person() rejects a name with more than two commas
        names = fields.get(role)
        if names and names.count(",") > _NAME_COMMAS and _CROWDED_NAME.search(names, 1, len(names) - 1):
            return None
    return head, tokens, fields


def read_value(written: str) -> str:
    """A value from :func:`plain_fields` as pybtex reads it: without its braces or quotes, its
    whitespace collapsed as pybtex's ``normalize_whitespace`` does."""
    return " ".join((written if written.isdigit() else written[1:-1]).split())


def plainly_correct(fields: Mapping[str, str]) -> bool:
    """Whether :func:`.bibtex.check_entry` finds nothing wrong with an entry of these fields (from
    :func:`plain_fields`), decided without pybtex; False also when that needs pybtex to decide."""
    confidence = fields.get("confidence")
    if confidence is not None and (simple_text(read_value(confidence)) or "").strip().lower() not in CONFIDENCE_LEVELS:
        return False
    if not (read_value(fields.get("author", "{}")) or read_value(fields.get("editor", "{}"))
            or simple_text(read_value(fields.get("title", "{}")))):
        return False
    if fields.keys().isdisjoint(LINK_FIELDS):
        return True
    return not link_errors({name: read_value(fields[name]) for name in (*LINK_FIELDS, "eprinttype", "archiveprefix") if name in fields})


MAX_EXPANDED = 100_000
MAX_ENTRY = 200_000  # characters of one entry: an abstract is a few thousand; pybtex's scanner slows on more
MAX_PROBLEMS = 1_000


def expanded_size(source: str, macros: Mapping[str, int]) -> int:
    """At most how many characters a chunk's values come to once its macros are expanded: texts in
    braces or quotes as written, a macro's name as long as its text, anything else as itself."""
    head = _ENTRY_HEAD.match(source)
    size, index, end = 0, head.end() if head else 0, len(source)  # inside the entry's own braces
    while index < end:
        char = source[index]
        if char in "{\"":
            closing, depth, index = "}" if char == "{" else "\"", 0, index + 1
            start = index
            while index < end and not (source[index] == closing and depth == 0):
                depth += {"{": 1, "}": -1}.get(source[index], 0)
                index += 1
            size += index - start
            index += 1
        elif word := _WORD.match(source, index):
            size += macros.get(word.group().lower(), len(word.group()))
            index = word.end()
        else:
            size += 1
            index += 1
    return size


def _after_braces(chunk: str) -> str:
    """What follows the braced text of an ``@comment{...}`` chunk."""
    opening = chunk.find("{")
    if opening < 0:
        return chunk
    depth = 0
    for index in range(opening, len(chunk)):
        depth += {"{": 1, "}": -1}.get(chunk[index], 0)
        if depth == 0:
            return chunk[index + 1:]
    return ""


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
    return tuple(_split_shared_lines(text, _join_cut_values(text, chunks)))


def _join_cut_values(text: str, chunks: list[Chunk]) -> list[Chunk]:
    """Chunks cut inside a value (a line of a value that starts with "@"), joined again: a chunk
    whose braces do not balance is joined with those after it up to the one where, together, they
    do. One pass: where they never do (a brace missing), the chunks are kept as they were cut."""
    joined: list[Chunk] = []
    opened: list[Chunk] = []  # the chunks being joined, from the one that left a brace open
    depth = 0
    for chunk in chunks:
        _, kind, _, start, end = chunk
        change = text.count("{", start, end) - text.count("}", start, end)
        if not opened:
            if change > 0 and kind not in ("comment", "preamble"):
                opened, depth = [chunk], change
            else:
                joined.append(chunk)
            continue
        opened.append(chunk)
        depth += change
        if depth == 0:
            first = opened[0]
            joined.append((first[0], first[1], first[2], first[3], end))
            opened = []
        elif depth < 0:  # closed more than was open: no value was cut here
            joined += opened
            opened = []
    return joined + opened


def _split_shared_lines(text: str, chunks: list[Chunk]) -> list[Chunk]:
    """A chunk that holds more than one entry ("@a{...} @b{...}" on one line) cut into its
    entries, found by matching braces: valid BibTeX, which reference managers read."""
    split: list[Chunk] = []
    for chunk in chunks:
        line, kind, _, start, end = chunk
        if kind in ("comment", "preamble", "") or text.count("@", start, end) == 1:
            split.append(chunk)
            continue
        position, counted = start, start
        while position < end:
            line += text.count("\n", counted, position)  # counted as the cut moves on: linear in the chunk
            counted = position
            closing = _entry_end(text, position, end)
            following = text.find("@", closing, end)
            stop = end if following < 0 else following
            split.append((line, *_head(text, position, stop), position, stop))
            position = stop
    return split


def _head(text: str, start: int, end: int) -> tuple[str, str]:
    head = _ENTRY_HEAD.match(text, start, end)
    return (head.group(1).lower(), head.group(2)) if head else ("", "")


def _entry_end(text: str, start: int, end: int) -> int:
    """Where the entry starting at ``start`` ends: after the brace (or parenthesis) that closes
    its opening one; ``end`` if none does."""
    opening = min((found for found in (text.find("{", start, end), text.find("(", start, end)) if found >= 0), default=-1)
    if opening < 0:
        return end
    closer = "}" if text[opening] == "{" else ")"
    depth = 0
    for index in range(opening, end):
        char = text[index]
        if char == "{" or (closer == ")" and char == "(" and depth == 0):
            depth += 1
        elif char == closer if depth == 1 else char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return end


def defined_keys(text: str, path: str, checked: CheckedText = NOT_CHECKED) -> set[str]:
    """Every key the file defines, found without parsing its entries (BibTeX) or by reading it (CSL)."""
    if is_csl(path):
        return {reference.key for reference, _ in read_csl(text, path)[0]}
    return {key for _, kind, key, _, _ in _entries_of(text, checked) if kind not in ("comment", "preamble", "string")}


def parse_bibliography(text: str, path: str, only: frozenset[str] | None = None,
                       known: Mapping[str, Reference] | None = None, checked: CheckedText = NOT_CHECKED) -> Bibliography:
    """Parse BibTeX ``text`` read from ``path``: every entry, or ``only`` those keys (cheaper on a
    large file; the others are still checked, see the module's docstring). ``known`` maps entry
    digests to references parsed by an earlier build: those entries are not parsed again; when
    ``checked`` is of ``text`` (an earlier build checked it all and found nothing), the entries
    not parsed are not checked again either, nor is the text cut into entries again. Problems are
    returned, not raised.

    A ``.json``, ``.yaml`` or ``.yml`` file is read as CSL-JSON or CSL-YAML (:mod:`.csl`)."""
    if is_csl(path):
        return _csl_bibliography(text, path)
    return _bibtex_bibliography(text, path, only, known, checked)


def _bibtex_bibliography(text: str, path: str, only: frozenset[str] | None, known: Mapping[str, Reference] | None,
                         checked: CheckedText) -> Bibliography:
    references: list[Reference] = []
    text_digest = _text_digest(text)
    scanned = _entries_of(text, checked)
    unchanged = bool(scanned) and scanned is checked.chunks  # the text an earlier build checked, its entries taken as they were
    problems = [] if unchanged else forbidden_characters(text, path)
    chunks: dict[str, Chunk] = {}
    digests: dict[str, str] = {}
    parsed_entries: dict[str, Entry] = {}
    reader = _Reader(path)
    macros = ""  # digest of the @string definitions read so far: an entry's text means what they make of it
    for chunk in scanned:
        line, kind, key, start, end = chunk
        if len(problems) >= MAX_PROBLEMS:  # no file is that broken but on purpose: stop reading it
            problems.append(Problem(path, line, f"more than {MAX_PROBLEMS:,} problems: the rest of the file is not read"))
            break
        if kind in ("preamble", "comment") or not kind or not key:
            problems += _not_an_entry(reader, text, chunk)
            continue
        if key in chunks:
            problems.append(Problem(path, line, f"duplicate BibTeX key '{excerpt(key)}' (first defined at line {chunks[key][0]})"))
            continue
        if kind != "string":
            chunks[key] = chunk
            if macros:  # identified by the macros it may use too: a cache keeps nothing stale when one changes
                digests[key] = _digest(macros + "\x1f" + text[start:end])
            if kind == "xdata":  # fields for other entries to take (biblatex §3.13.6), not a work; checked all the same
                if not unchanged:
                    problems.extend(reader.read(text[start:end], line, key, kind)[2])
                continue
            if only is not None and key not in only:  # not shown, yet published: checked, by pybtex only if need be
                if not unchanged:
                    problems.extend(_unshown_entry_problems(reader, text, chunk))
                continue
        source = text[start:end]
        if kind != "string" and known is not None and not _INHERITS.search(source):
            digest = digests.setdefault(key, _digest(source))
            if digest in known and known[digest].key == key:  # its text names its key: a cache saying otherwise is not ours
                reference, where = known[digest], Location(path, line)
                references.append(reference if reference.source == where else replace(reference, source=where))
                continue
        entries, read, found = reader.read(source, line, key, kind)
        macros = _digest(macros + "\x1f" + source) if kind == "string" else macros
        problems.extend(found)
        parsed_entries.update(entries or {})
        references.extend(read)
    _resolve_links(text, references, parsed_entries, chunks, reader, problems, digests)
    return Bibliography(path, frozenset(chunks), tuple(references), tuple(problems), chunks, parsed_entries,
                        text, digests, text_digest, scanned)


def _not_an_entry(reader: _Reader, text: str, chunk: Chunk) -> list[Problem]:
    """What is wrong with a chunk that is no entry: a preamble, a comment, or text with no key."""
    line, kind, key, start, end = chunk
    if kind == "preamble":  # LaTeX that runs in the BibTeX of everyone who downloads the file
        return [Problem(reader.path, line, "@preamble is not published: it is LaTeX for BibTeX to run; remove it")]
    if kind == "comment":
        if "@" in _after_braces(text[start:end]):
            return [Problem(reader.path, line, "an entry follows @comment{...} on its line: reference managers read it, "
                                               "the check would not; put each entry on a line of its own")]
        return []
    # no "@type{key" to know it by: an error, whatever pybtex makes of it
    return reader.read(text[start:end], line, key, kind)[2] or [Problem(reader.path, line, _SHAPE)]


_INHERITS = re.compile(r"\b(?:crossref|xdata|entryset)\s*=", re.IGNORECASE)
MAX_INHERITANCE = 8  # parents (crossref of a crossref ..., xdata lists) one entry takes fields from, at most


def _resolve_links(text: str, references: list[Reference], parsed: dict[str, Entry], chunks: dict[str, Chunk],
                   reader: _Reader, problems: list[Problem], digests: dict[str, str]) -> None:
    """Entries that inherit (``crossref``, ``xdata``) made again with their parents' fields, and
    identified (``digests``) by their parents' text too, so that what a cache keeps of them goes
    stale when a parent changes; and the members of a cited ``@set`` read too (a set is cited as
    its members)."""
    read: dict[str, tuple[str, dict[str, str]] | None] = {}  # a parent is read once, however many children it has

    def fields_of(key: str) -> tuple[str, dict[str, str]] | None:
        if key not in read:
            read[key] = ((parsed[key].type, dict(parsed[key].fields)) if key in parsed
                         else reader.fields(text, chunks[key]) if key in chunks else None)
        return read[key]

    for index, reference in enumerate(references):
        entry = parsed.get(reference.key)
        if entry is None or not any(name.lower() in ("crossref", "xdata") for name in entry.fields):
            continue
        from .biblatex import UnreadableField, biblatex_fields, inherit  # pybtex's entries are at hand: these load nothing more
        from .bibtex import reference_from_entry

        kind, fields = biblatex_fields(entry.type, entry.fields)
        seen = {reference.key}
        pending = [(name, value) for name, value in fields.items() if name in ("crossref", "xdata")]
        while pending and len(seen) <= MAX_INHERITANCE:
            name, value = pending.pop(0)
            for parent_key in (part.strip() for part in value.split(",") if part.strip()):
                if parent_key in seen or len(seen) > MAX_INHERITANCE:
                    continue
                seen.add(parent_key)
                parent = fields_of(parent_key)
                if parent is None:
                    where = reference.source
                    problems.append(Problem(where.path, where.line, f"entry '{excerpt(reference.key)}': {name} '{excerpt(parent_key)}' "
                                                                    "is not an entry of this file"))
                    continue
                parent_kind, parent_fields = biblatex_fields(*parent)
                fields = inherit(kind, fields, parent_kind, parent_fields)
                pending += [(link, parent_fields[link]) for link in ("crossref", "xdata") if link in parent_fields]
        family = (reference.key, *sorted(seen - {reference.key}))
        digests[reference.key] = _digest("\x1f".join(digests.get(key) or _digest(text[chunks[key][3]:chunks[key][4]])
                                                     for key in family if key in chunks))
        try:
            references[index] = reference_from_entry(reference.key, entry, reference.source, fields)
        except UnreadableField as error:  # a field it took from a parent: reported at the child, which cites it
            problems.append(reader.unreadable(error, reference.key, text[chunks[reference.key][3]:chunks[reference.key][4]],
                                              reference.source.line))
    known_keys = {reference.key for reference in references}
    for reference in list(references):
        for member in reference.work.members:
            kind = chunks[member][1] if member in chunks else ""
            if kind in ("", "set", "xdata"):  # biblatex: a set's members are entries of the file, and works
                what = "is not an entry of this file" if not kind else f"is an @{kind}, not a work"
                problems.append(Problem(reference.source.path, reference.source.line,
                                        f"@set '{excerpt(reference.key)}': member '{excerpt(member)}' {what}"))
            elif member not in known_keys:
                line, kind, key, start, end = chunks[member]
                references.extend(reader.read(text[start:end], line, key, kind)[1])
                known_keys.add(member)


def _csl_bibliography(text: str, path: str) -> Bibliography:
    """A CSL-JSON or CSL-YAML file as a bibliography; each item is identified (for the cache) by
    the digest of its canonical JSON."""
    read, problems = read_csl(text, path)
    chunks = {reference.key: (reference.source.line, reference.entry_type, reference.key, 0, 0) for reference, _ in read}
    digests = {reference.key: _digest(source) for reference, source in read}
    return Bibliography(path, frozenset(chunks), tuple(reference for reference, _ in read),
                        (*forbidden_characters(text, path), *problems), chunks, text=text, digests=digests, text_digest=_text_digest(text))


def _unshown_entry_problems(reader: _Reader, text: str, chunk: Chunk) -> list[Problem]:
    """What is wrong with an entry that is published but not shown: pybtex reads it only if the
    plain reading does not find it plainly correct."""
    line, kind, key, start, end = chunk
    fields = plain_fields(text, start, end)
    if fields is not None and plainly_correct(fields):
        return []
    return reader.read(text[start:end], line, key, kind)[2]


class _Reader:
    """pybtex, imported when first needed, reading one chunk at a time; ``@string`` macros read
    stay known to the chunks read after them."""

    def __init__(self, path: str):
        self.path = path
        self.parser: EntryParser | None = None
        self.macro_sizes: dict[str, int] = {}  # by lowercased name: at most how long each @string's text is

    def read(self, source: str, line: int, key: str, kind: str) -> tuple[dict[str, Entry] | None, list[Reference], list[Problem]]:
        """The chunk's entries (None if it does not parse), their references, and every problem with them."""
        from .biblatex import UnreadableField
        from .bibtex import check_entry, reference_from_entry

        if len(source) > MAX_ENTRY:
            return None, [], [Problem(self.path, line, f"'{excerpt(key)}' is {len(source):,} characters long: an entry of more "
                                                       f"than {MAX_ENTRY:,} is not read (is a closing brace or quote missing?)")]
        if kind == "string" or "#" in source:  # "#" joins texts and macros: a few lines could expand to gigabytes
            size = expanded_size(source, self.macro_sizes)
            if size > MAX_EXPANDED:
                return None, [], [Problem(self.path, line, f"'{excerpt(key)}' expands to more than {MAX_EXPANDED:,} characters "
                                                           "(macros joined with '#'): no reference needs that")]
            if kind == "string":
                self.macro_sizes[key.lower()] = size
        entries, problem = self._entries(source, line, key)
        if problem is not None:
            return None, [], [problem]
        problems = [Problem(self.path, line, _SHAPE)] if not entries and kind != "string" else []
        references = []
        for entry_key, entry in entries.items():
            try:
                reference = reference_from_entry(entry_key, entry, Location(self.path, line))
            except UnreadableField as error:
                problems.append(self.unreadable(error, entry_key, source, line))
                continue
            references.append(reference)
            problems.extend(check_entry(reference, entry, source))
        return entries, references, problems

    def unreadable(self, error: Exception, key: str, source: str, line: int) -> Problem:
        """The problem of a field that cannot be read (:class:`.biblatex.UnreadableField`), at its line."""
        from .bibtex import field_position

        field, reason = error.args
        offset, column = field_position(source, field)
        return Problem(self.path, line + offset, f"entry '{excerpt(key)}': {field}: {reason}", column=column)

    def fields(self, text: str, chunk: Chunk) -> tuple[str, dict[str, str]] | None:
        """The type and fields of the entry in ``chunk`` (None if it does not parse)."""
        line, _, key, start, end = chunk
        entries, problem = self._entries(text[start:end], line, key)
        if problem is not None or key not in entries:
            return None
        return entries[key].type, dict(entries[key].fields)

    def _entries(self, source: str, line: int, key: str) -> tuple[dict[str, Entry], Problem | None]:
        """The entries of a chunk as pybtex's parser reads them, or why it is malformed. An entry in
        the plain form (:func:`plain_entry`) is made into pybtex's entry without pybtex's parser,
        whose scanner takes most of the time of reading the entries a build shows."""
        from .bibtex import EntryParser, plain_entry_of

        plain = plain_entry(source)
        if plain is not None:
            kind, plain_key, fields = plain
            return {plain_key: plain_entry_of(kind, fields)}, None
        if self.parser is None:
            self.parser = EntryParser()
        return self.parser.entries(source, self.path, line, key)

"""What one build learnt about the bibliography, kept for the next: parsed references and
formatted entries, keyed by the digest of each entry's BibTeX text, and the HTML rendered from
them (a page's citations, its reference list), keyed by a digest of everything it was made from.

An entry is parsed and formatted again only when its text, its year label or this package's code
changes. The file lives beside the sources (``.cache/`` by default), where a pull request can put
one of its own, so it is plain JSON (reading it runs no code) signed with a key kept outside every
project (see ``key_path``): a file this user's builds did not write is ignored, and so is any
file that is not exactly what ``save`` writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import TypeVar, cast

from ..locations import Location
from .apa import AuthorDate
from .bibliography import NOT_CHECKED, CheckedText, Chunk
from .model import CONFIDENCE_LEVELS, Confidence, Date, Name, Reference, Work

T = TypeVar("T", str, tuple[str, ...])

FORMAT = 6  # of the file; a cache in any other format is rebuilt
MAX_BYTES = 256 * 2**20  # a larger file is refused unread: no build writes one
KEY_BYTES = 32
CACHE_KEYS = frozenset({"format", "code", "references", "formatted", "rendered", "used_before", "checked", "labels"})
CHUNK_COLUMNS = (int, str, str, int, int)  # a .bib's entries (bibliography.Chunk) are kept as five columns: line, type, key, start, end
REFERENCE_KEYS = frozenset({"key", "work", "confidence", "annote", "source"})
NAME_PARTS = 6  # last, first, von, junior, is_others, dropping
DATE_KEYS = frozenset({"year", "month", "day", "literal", "end_year"})
LOCATION_KEYS = frozenset({"path", "line"})


@cache
def code_version() -> str:
    """Changes whenever this package's code or templates or pybtex change, so stale formatting is
    never reused."""
    digest = hashlib.sha256(version("pybtex").encode())
    folders = [files("build_tools")]
    while folders:
        for item in sorted(folders.pop(0).iterdir(), key=lambda item: item.name):
            if item.is_dir():
                folders.append(item)
            elif item.name.endswith((".py", ".j2")):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


def digest_of(*parts: str) -> str:
    """A key for rendered HTML: the digest of everything it was rendered from."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def key_path() -> Path:
    """Where this user's signing key is kept: in the user's cache folder (XDG), outside every
    project, so that no pull request can supply it. A relative XDG_CACHE_HOME is ignored, as the
    XDG specification asks."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "build_tools" / "key"


def secret_key() -> bytes | None:
    """This user's key, made on first use; None when it can be neither read nor made, and then no
    cache is read or written. Of two builds that make one at once, the key written last is kept:
    a cache signed with the other is ignored by the next build, and rebuilt."""
    try:
        path = key_path()
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            key = b""
        if len(key) != KEY_BYTES:
            key = os.urandom(KEY_BYTES)
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomically(path, key)
        return key
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        return None


def signature(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).hexdigest().encode("ascii")


def write_atomically(path: Path, data: bytes) -> None:
    """Write a new file readable by this user only and move it over ``path``: no reader sees half a
    file, and a link left at a fixed temporary name cannot redirect the write."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_limited(path: Path) -> bytes:
    """The bytes of the regular file at ``path``; a FIFO, a device or a file over MAX_BYTES is
    refused (ValueError) before it is read, since it could block or never end."""
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
            raise ValueError(f"{path} is not a cache file")
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"{path} is too large")
    return data


# The model as JSON. Reading checks that each value has exactly the shape writing gives it (raising
# TypeError or ValueError otherwise), so that whatever a build gets from the cache is typed as it expects.

def text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def array(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def record(value: object, keys: frozenset[str] | None = None) -> dict[str, object]:
    """A JSON object (whose keys are always strings), with exactly ``keys`` when given."""
    if not isinstance(value, dict) or (keys is not None and value.keys() != keys):
        raise TypeError("not an object of the expected shape")
    return value


def location_to_dict(location: Location) -> dict[str, object]:
    return {"path": location.path, "line": location.line}


def location_from_dict(value: object) -> Location:
    data = record(value, LOCATION_KEYS)
    line = data["line"]
    if type(line) is not int:  # not a bool either
        raise TypeError("a line number is not an integer")
    return Location(text(data["path"]), line)


def name_to_list(name: Name) -> list[object]:
    """A name as a short array: a bibliography's references hold thousands of names."""
    return [name.last, name.first, name.von, name.junior, name.is_others, name.dropping]


def name_from_list(value: object) -> Name:
    parts = array(value)
    if len(parts) != NAME_PARTS or parts[4].__class__ is not bool or not all(
            part.__class__ is str for part in (parts[0], parts[1], parts[2], parts[3], parts[5])):
        raise TypeError("not a name")
    return Name(*parts)  # type: ignore[arg-type]  # each part's type checked above


def date_from_dict(value: object) -> Date:
    data = record(value, DATE_KEYS)
    month, day = data["month"], data["day"]
    if type(month) is not int or type(day) is not int:
        raise TypeError("not a date")
    return Date(text(data["year"]), month, day, text(data["literal"]), text(data["end_year"]))


def work_to_dict(work: Work) -> dict[str, object]:
    """The work's fields that are set (most are not), names as arrays and dates as objects."""
    written: dict[str, object] = {}
    for name in WORK_READERS:
        value = getattr(work, name)
        if not value and value.__class__ is not Date:  # an unset text or list (a date may be set but false: a month alone)
            continue
        if value.__class__ is Date:
            if value != NO_DATE:
                written[name] = {"year": value.year, "month": value.month, "day": value.day, "literal": value.literal,
                                 "end_year": value.end_year}
        elif value.__class__ is tuple:
            written[name] = [name_to_list(part) if part.__class__ is Name else part for part in value]
        else:
            written[name] = value
    return written


NO_DATE = Date()


def work_from_dict(value: object) -> Work:
    data = record(value)
    if "kind" not in data or not data.keys() <= WORK_READERS.keys():
        raise TypeError("not a work")
    return Work(**{name: WORK_READERS[name](content) for name, content in data.items()})  # type: ignore[arg-type]  # each read as its field's type


def _names_from_list(value: object) -> tuple[Name, ...]:
    return tuple(map(name_from_list, array(value)))


def _texts_from_list(value: object) -> tuple[str, ...]:
    return tuple(map(text, array(value)))


# How each field of a Work is read back, by its annotation (a string: the model uses postponed annotations).
WORK_READERS: dict[str, Callable[[object], object]] = {
    item.name: {"Date": date_from_dict, "tuple[Name, ...]": _names_from_list, "tuple[str, ...]": _texts_from_list}.get(str(item.type), text)
    for item in fields(Work)
}


def reference_to_dict(reference: Reference) -> dict[str, object]:
    return {"key": reference.key, "work": work_to_dict(reference.work), "confidence": reference.confidence,
            "annote": reference.annote, "source": location_to_dict(reference.source)}


def reference_from_dict(value: object) -> Reference:
    data = record(value, REFERENCE_KEYS)
    confidence = data["confidence"]
    if confidence not in CONFIDENCE_LEVELS:
        raise TypeError("not a reference")
    return Reference(text(data["key"]), work_from_dict(data["work"]), cast(Confidence, confidence), text(data["annote"]),
                     location_from_dict(data["source"]))


def label_to_list(label: AuthorDate) -> list[object]:
    """A label as a short array; its sort key (names, date, title, letter) as nested arrays."""
    who, when, title, suffix = label.sort_key
    return [label.key, label.names, label.narrative_names, label.year, label.italic, label.entry_year, [who, when, title, suffix]]


def label_from_list(value: object) -> AuthorDate:
    key, names, narrative, year, italic, entry_year, sort_key = array(value)
    who, when, title, suffix = array(sort_key)
    first, second = array(when)
    if not isinstance(italic, bool) or type(first) is not int or type(second) is not int:
        raise TypeError("not a label")
    shown = []
    for name in array(who):
        surname, initials, junior = map(text, array(name))
        shown.append((surname, initials, junior))
    return AuthorDate(text(key), text(names), text(narrative), text(year), (tuple(shown), (first, second), text(title), text(suffix)),
                      italic, text(entry_year))


def checked_from_list(value: object) -> CheckedText:
    """A checked text's digest and its entries, kept as columns (a large .bib has thousands)."""
    digest, kept = array(value)
    columns = [array(column) for column in array(kept)]
    if columns and (len(columns) != len(CHUNK_COLUMNS) or len(set(map(len, columns))) != 1 or not all(
            all(item.__class__ is kind for item in column) for kind, column in zip(CHUNK_COLUMNS, columns, strict=True))):
        raise TypeError("not the entries of a text")
    chunks: tuple[Chunk, ...] = tuple(zip(*columns, strict=True))  # each column's type checked above
    return CheckedText(text(digest), chunks)


def rendered_from_json(value: object) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(text(part) for part in array(value))


@dataclass
class FormattingCache:
    """By entry digest: references, and each entry's HTML and plain text
    by (digest, year label); and rendered HTML by the digest of its inputs.

    Rendered HTML is kept while one of the last two builds asked for it, so that two builds that
    take turns (the site and its offline edition, whose links differ) both find theirs.
    """

    references: dict[str, Reference] = field(default_factory=dict)
    formatted: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    rendered: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    used_before: frozenset[str] = frozenset()  # rendered HTML the build that saved the file asked for
    checked: CheckedText = NOT_CHECKED  # a .bib text every entry of which passed: not checked again while it is unchanged
    labels: tuple[str, dict[str, AuthorDate]] = ("", {})  # the labels of the references of one state (ReferenceList.state)
    changed: bool = False
    used: set[str] = field(default_factory=set, repr=False)  # rendered HTML this build asked for

    @classmethod
    def load(cls, path: Path) -> FormattingCache:
        """The cache saved at ``path``; an empty one, never an error, when there is none this user's
        builds wrote with this code: the signature is checked before anything in the file is read."""
        key = secret_key()
        if key is None:
            return cls()
        try:
            stored_signature, _, payload = read_limited(path).partition(b"\n")
            if not hmac.compare_digest(stored_signature, signature(key, payload)):
                return cls()
            return cls.from_json(json.loads(payload))
        except (OSError, ValueError, TypeError, RecursionError):  # RecursionError: nesting too deep for json
            return cls()

    def save(self, path: Path) -> None:
        """Write what changed, dropping rendered HTML that neither this build nor the one before
        asked for. Without the user's key nothing is written: the next build could not trust it."""
        kept = self.used | self.used_before
        if kept != self.rendered.keys() or self.used != self.used_before:
            self.rendered = {key: html for key, html in self.rendered.items() if key in kept}
            self.used_before = frozenset(self.used)
            self.changed = True
        if not self.changed:
            return
        key = secret_key()
        if key is None:
            return
        payload = json.dumps(self.to_json(), separators=(",", ":")).encode("ascii")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, signature(key, payload) + b"\n" + payload)
        self.changed = False

    def to_json(self) -> dict[str, object]:
        return {"format": FORMAT, "code": code_version(),
                "references": {digest: reference_to_dict(reference) for digest, reference in self.references.items()},
                "formatted": [[digest, label, html, plain] for (digest, label), (html, plain) in self.formatted.items()],
                "rendered": self.rendered, "used_before": sorted(self.used_before),
                "checked": [self.checked.digest, [list(column) for column in zip(*self.checked.chunks, strict=True)]],
                "labels": [self.labels[0], [label_to_list(label) for label in self.labels[1].values()]]}

    @classmethod
    def from_json(cls, value: object) -> FormattingCache:
        """What ``to_json`` gave; TypeError or ValueError when ``value`` is of another format, code or shape."""
        data = record(value)
        stored_format = data.get("format")
        if type(stored_format) is not int or stored_format != FORMAT or data.get("code") != code_version():
            raise ValueError("written in another format or by other code")
        data = record(data, CACHE_KEYS)
        formatted = {}
        for item in array(data["formatted"]):
            digest, label, html, plain = (text(part) for part in array(item))
            formatted[(digest, label)] = (html, plain)
        state, labels = array(data["labels"])
        return cls(references={digest: reference_from_dict(reference) for digest, reference in record(data["references"]).items()},
                   formatted=formatted,
                   rendered={key: rendered_from_json(html) for key, html in record(data["rendered"]).items()},
                   used_before=frozenset(text(key) for key in array(data["used_before"])), checked=checked_from_list(data["checked"]),
                   labels=(text(state), {label.key: label for label in map(label_from_list, array(labels))}))

    def render(self, key: str, render: Callable[[], T]) -> T:
        """The HTML rendered for ``key`` by an earlier build, or ``render()`` now."""
        self.used.add(key)
        found = self.rendered.get(key)
        if found is None:
            found = self.rendered[key] = render()
            self.changed = True
        return cast(T, found)  # a key is always rendered by the same kind of render(), so to the same type

    def author_dates(self, state: str, keys: Iterable[str], compute: Callable[[], dict[str, AuthorDate]]) -> dict[str, AuthorDate]:
        """The labels of the references ``state`` identifies (of ``keys``), as an earlier build worked
        them out, or ``compute()`` now (also when the kept labels miss a key: kept by other code)."""
        if self.labels[0] != state or not self.labels[1].keys() >= set(keys):
            self.labels = (state, compute())
            self.changed = True
        return self.labels[1]

    def remember(self, digest: str, reference: Reference) -> None:
        """Keep ``reference`` (with where it was last read: unchanged, it is taken as it is)."""
        if self.references.get(digest) is not reference:
            self.references[digest] = reference
            self.changed = True

    def mark_checked(self, checked: CheckedText) -> None:
        """Remember that this .bib text was checked entry by entry and passed."""
        if checked.digest != self.checked.digest:
            self.checked = checked
            self.changed = True

    def store(self, digest: str, label: str, html: str, text: str) -> None:
        self.formatted[(digest, label)] = (html, text)
        self.changed = True

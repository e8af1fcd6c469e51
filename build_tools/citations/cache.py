"""What one build learnt about the bibliography, kept for the next: parsed references and
formatted entries, keyed by the digest of each entry's BibTeX text, and the HTML rendered from
them (a page's citations, its reference list), keyed by a digest of everything it was made from.

An entry is parsed and formatted again only when its text, its year label or this package's code
changes. The file lives outside the sources (``.cache/`` by default).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Callable, TypeVar

from ..model import Reference

T = TypeVar("T", str, tuple[str, ...])


@cache
def code_version() -> str:
    """Changes whenever this package's code or templates or pybtex change, so stale formatting is
    never reused."""
    digest = hashlib.sha256(version("pybtex").encode())
    package = files("build_tools")
    for folder in (package, package / "citations", package / "templates"):
        for source in sorted(folder.iterdir(), key=lambda item: item.name):
            if source.name.endswith((".py", ".j2")):
                digest.update(source.read_bytes())
    return digest.hexdigest()


def digest_of(*parts: str) -> str:
    """A key for rendered HTML: the digest of everything it was rendered from."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class FormattingCache:
    """By entry digest: references, each entry's fields as plain text, and its HTML and plain text
    by (digest, year label); and rendered HTML by the digest of its inputs.

    Rendered HTML is kept while one of the last two builds asked for it, so that two builds that
    take turns (the site and its offline edition, whose links differ) both find theirs.
    """

    references: dict[str, Reference] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    formatted: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    rendered: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    used_before: frozenset[str] = frozenset()  # rendered HTML the build that saved the file asked for
    changed: bool = False
    used: set[str] = field(default_factory=set, repr=False)  # rendered HTML this build asked for

    KEPT = ("references", "fields", "formatted", "rendered", "used_before")

    @classmethod
    def load(cls, path: Path) -> FormattingCache:
        try:
            with path.open("rb") as stream:
                stored_version, kept = pickle.load(stream)
            if stored_version != code_version():
                return cls()
            return cls(**{name: kept[name] for name in cls.KEPT})
        except (OSError, EOFError, ValueError, TypeError, KeyError, pickle.UnpicklingError, AttributeError, ImportError):
            return cls()

    def save(self, path: Path) -> None:
        """Write what changed, dropping rendered HTML that neither this build nor the one before asked for."""
        kept = self.used | self.used_before
        if kept != self.rendered.keys() or self.used != self.used_before:
            self.rendered = {key: html for key, html in self.rendered.items() if key in kept}
            self.used_before = frozenset(self.used)
            self.changed = True
        if not self.changed:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("wb") as stream:
            pickle.dump((code_version(), {name: getattr(self, name) for name in self.KEPT}), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        self.changed = False

    def render(self, key: str, render: Callable[[], T]) -> T:
        """The HTML rendered for ``key`` by an earlier build, or ``render()`` now."""
        self.used.add(key)
        found = self.rendered.get(key)
        if found is None:
            found = self.rendered[key] = render()  # type: ignore[assignment]
            self.changed = True
        return found  # type: ignore[return-value]

    def remember(self, digest: str, reference: Reference) -> None:
        """Keep ``reference`` (with where it was last read: unchanged, it is taken as it is)."""
        if self.references.get(digest) is not reference:
            self.references[digest] = reference
            self.changed = True

    def store(self, digest: str, label: str, html: str, text: str) -> None:
        self.formatted[(digest, label)] = (html, text)
        self.changed = True

    def store_fields(self, digest: str, fields: dict[str, str]) -> None:
        self.fields[digest] = fields
        self.changed = True

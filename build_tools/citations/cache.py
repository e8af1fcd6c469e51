"""What one build learnt about the bibliography, kept for the next: parsed references and
formatted entries, keyed by the digest of each entry's BibTeX text.

An entry is parsed and formatted again only when its text, its year label or this package's
citation code changes. The file lives outside the sources (``.cache/`` by default).
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

from ..model import Reference


@cache
def code_version() -> str:
    """Changes whenever the citation code or pybtex changes, so stale formatting is never reused."""
    digest = hashlib.sha256(version("pybtex").encode())
    for source in sorted(files("build_tools.citations").iterdir(), key=lambda item: item.name):
        if source.name.endswith(".py"):
            digest.update(source.read_bytes())
    return digest.hexdigest()


@dataclass
class FormattingCache:
    """References by entry digest, and each entry's HTML and plain text by (digest, year label)."""

    references: dict[str, Reference] = field(default_factory=dict)
    formatted: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, path: Path) -> FormattingCache:
        try:
            with path.open("rb") as stream:
                stored_version, references, formatted = pickle.load(stream)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            return cls()
        return cls(references, formatted) if stored_version == code_version() else cls()

    def save(self, path: Path) -> None:
        if not self.changed:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("wb") as stream:
            pickle.dump((code_version(), self.references, self.formatted), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        self.changed = False

    def remember(self, digest: str, reference: Reference) -> None:
        """Keep ``reference`` (with where it was last read: unchanged, it is taken as it is)."""
        if self.references.get(digest) is not reference:
            self.references[digest] = reference
            self.changed = True

    def store(self, digest: str, label: str, html: str, text: str) -> None:
        self.formatted[(digest, label)] = (html, text)
        self.changed = True

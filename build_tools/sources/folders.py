"""Where a study's sources live: the folders and the bibliography file, relative to its project."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceFolders:
    """Where the sources live, relative to the project root. Missing folders are simply empty.

    The defaults here are the only ones: the plugin's options, the command line and the field
    reference take theirs from :data:`DEFAULT_FOLDERS`."""

    root: Path
    content: str = "content"
    stages: str = ""  # "stages" in the docs folder (content/stages) when not given
    teaching: str = ""  # "teaching" in the docs folder (content/teaching) when not given
    themes: str = "themes"
    quotes: str = "quotes"
    bibliography: str = "bibliography.bib"

    def __post_init__(self) -> None:
        # Stage and teaching files live in the docs folder, wherever mkdocs.yml's docs_dir puts it.
        for name in ("stages", "teaching"):
            if not getattr(self, name):
                object.__setattr__(self, name, posixpath.join(self.content, name))

    def path(self, relative: str) -> Path:
        return self.root / relative

    def sources(self) -> tuple[Path, ...]:
        """Where a source may be read from, through a link too: the source folders and the bibliography."""
        return tuple(self.path(name) for name in (self.content, self.stages, self.teaching, self.themes, self.quotes, self.bibliography))

    def source_only_in(self, docs: Path) -> tuple[str, ...]:
        """The folders inside the docs folder ``docs`` whose Markdown files are sources of generated
        pages (stages/ID.md from a stage file), not pages of their own, as path prefixes in it."""
        prefixes = []
        for folder in (self.stages, self.teaching):
            relative = posixpath.relpath(self.path(folder).resolve().as_posix(), docs.resolve().as_posix())
            if relative != ".." and not relative.startswith("../"):
                prefixes.append(relative.rstrip("/") + "/")
        return tuple(prefixes)

    def watched(self) -> tuple[Path, ...]:
        """Everything a rebuild depends on, for ``mkdocs serve``."""
        candidates = (self.content, self.stages, self.teaching, self.themes, self.quotes, self.bibliography)
        return tuple(self.path(name) for name in candidates if self.path(name).exists())


DEFAULT_FOLDERS = SourceFolders(root=Path("."))

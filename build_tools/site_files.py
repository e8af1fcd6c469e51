"""Which files of the sources may be read and published: inside the repository, of a known kind.

MkDocs publishes every file of the docs folder as it is. A pull request could add a page of
script (``.html``, ``.js``, an SVG with ``<script>``), a file at the theme's own address that
replaces its JavaScript, or a link to a file outside the repository. Only the kinds of file a
study needs are published (SVG after the sanitizer), and nothing is read through a link that
leaves the repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .problems import Problem

# Pages, pictures (SVG only once sanitized), documents and data a reader downloads.
PUBLISHED_SUFFIXES = frozenset({".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".svg", ".pdf",
                                ".csv", ".tsv", ".txt", ".bib", ".ris"})
# A file or folder name: letters, digits, "_", "-", "." and spaces; nothing an address or an
# HTML attribute would read as syntax ("#", "?", "%", quotes, "<", "&").
_NAME = re.compile(r"[\w][\w .-]*")


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every link followed, is within ``root``."""
    real_root = _real(str(root))
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


@lru_cache(maxsize=8)
def _real(root: str) -> str:
    return os.path.realpath(root)


def outside_problem(path: Path, root: Path, shown: str) -> Problem | None:
    """An error when reading ``path`` would read a file outside the repository through a link."""
    if is_inside(path, root):
        return None
    return Problem(shown, 1, f"is a link to {os.path.realpath(path)}, outside the repository: sources are read only from inside it")


def docs_files(docs: Path, root: Path) -> Iterator[Path]:
    """Every file MkDocs would consider in the docs folder (names starting with "." are left out, as
    MkDocs does). Linked folders are followed as MkDocs follows them, but one that leads out of the
    repository is given as it is, for :func:`file_problems` to refuse, and not entered."""
    seen: set[str] = set()
    for folder, subfolders, names in os.walk(docs, followlinks=True):
        real = os.path.realpath(folder)
        entered = [name for name in sorted(subfolders) if not name.startswith(".")]
        subfolders[:] = [name for name in entered if is_inside(Path(folder) / name, root)
                         and os.path.realpath(Path(folder) / name) not in seen]
        if real in seen:
            continue
        seen.add(real)
        yield from (Path(folder) / name for name in entered if name not in subfolders and not is_inside(Path(folder) / name, root))
        yield from (Path(folder) / name for name in sorted(names) if not name.startswith("."))


def file_problems(relative: str, path: Path, root: Path, shown: str, configured: frozenset[str] = frozenset()) -> list[Problem]:
    """Why the docs folder's file at ``relative`` (its path there) cannot be published, if it cannot.

    ``configured`` are files that mkdocs.yml itself names (its extra_css, say): reviewed as
    configuration, they may be of any kind.
    """
    problems = []
    outside = outside_problem(path, root, shown)
    if outside:
        problems.append(outside)
    bad_names = [part for part in PurePosixPath(relative).parts if not _NAME.fullmatch(part)]
    if bad_names:
        problems.append(Problem(shown, 1, f"the name '{bad_names[0]}' holds characters an address cannot carry as they are: "
                                          "use letters, digits, '-', '_' and '.'"))
    suffix = PurePosixPath(relative).suffix.lower()
    if suffix not in PUBLISHED_SUFFIXES and relative not in configured:
        kinds = ", ".join(sorted(PUBLISHED_SUFFIXES))
        problems.append(Problem(shown, 1, f"files of the kind '{suffix or relative}' are not published (a page of script could be): "
                                          f"the docs folder publishes {kinds}"))
    return problems

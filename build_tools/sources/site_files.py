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

from ..problems import Problem, excerpt

# Pages, pictures (SVG only once sanitized), documents and data a reader downloads.
PUBLISHED_SUFFIXES = frozenset({".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".svg", ".pdf",
                                ".csv", ".tsv", ".txt", ".bib", ".ris"})
# A file or folder name: letters, digits, "_", "-", "." and spaces; nothing an address or an
# HTML attribute would read as syntax ("#", "?", "%", quotes, "<", "&").
_NAME = re.compile(r"[\w][\w .-]*")


def is_inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """Whether ``path``, every link followed, is a file of the sources: inside one of ``roots`` (the
    source folders, or the bibliography itself), and not in a hidden folder (``.git`` could publish
    a maintainer's credentials; the site folder and a package's metadata are no sources either)."""
    real = os.path.realpath(path)
    for root in roots:
        real_root = _real(str(root))
        if real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep):
            return not any(part.startswith(".") for part in Path(real).relative_to(real_root).parts)
    return False


@lru_cache(maxsize=64)
def _real(root: str) -> str:
    """Where a source folder (or the bibliography) is: its parent's links followed, not its own (a
    source folder that is itself a link to elsewhere is no source folder)."""
    return os.path.join(os.path.realpath(os.path.dirname(root)), os.path.basename(root))


def outside_problem(path: Path, roots: tuple[Path, ...], shown: str) -> Problem | None:
    """An error when reading ``path`` would read, through a link, what is not a file of the sources."""
    if is_inside(path, roots):
        return None
    return Problem(shown, 1, f"is a link to {os.path.realpath(path)}, outside the repository's sources: sources are read only "
                             "from the source folders (and never from a hidden folder)")


def docs_files(docs: Path) -> Iterator[Path]:
    """Every file and link MkDocs would consider in the docs folder (names starting with "." are left
    out, as MkDocs does). A link to a folder is given as it is, not entered: MkDocs would follow it,
    into a loop if it leads back up, so :func:`file_problems` refuses it."""
    for folder, subfolders, names in os.walk(docs):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        yield from (Path(folder) / name for name in subfolders if (Path(folder) / name).is_symlink())
        yield from (Path(folder) / name for name in sorted(names) if not name.startswith("."))


def _page_folder(relative: str) -> str:
    """The folder a page is published as (``a/b.md`` as ``a/b/``; ``a/index.md`` as ``a/``)."""
    path = PurePosixPath(relative)
    if path.suffix.lower() != ".md":
        return ""
    return (path.parent if path.stem in ("index", "README") else path.with_suffix("")).as_posix()


def name_problem(relative: str, shown: str) -> Problem | None:
    """An error when a name in the path ``relative`` holds what an address, an HTML attribute or a
    log line would read as syntax."""
    bad_names = [part for part in PurePosixPath(relative).parts if not _NAME.fullmatch(part)]
    if not bad_names:
        return None
    return Problem(shown, 1, f"the name '{excerpt(bad_names[0])}' holds characters an address cannot carry as they are: "
                             "use letters, digits, '-', '_' and '.'")


def file_problems(relative: str, path: Path, roots: tuple[Path, ...], shown: str, configured: frozenset[str] = frozenset(),
                  theme_dirs: tuple[str, ...] = (), generated: frozenset[str] = frozenset()) -> list[Problem]:
    """Why the docs folder's file at ``relative`` (its path there) cannot be published, if it cannot.

    ``configured`` are files that mkdocs.yml itself names (its extra_css, say): reviewed as
    configuration, they may be of any kind. ``theme_dirs`` are the theme's folders: a file at the
    path of one of the theme's own would take its place.
    """
    outside = outside_problem(path, roots, shown)
    if outside:
        return [outside]
    if path.is_symlink() and path.is_dir():
        return [Problem(shown, 1, "is a link to a folder: the docs folder publishes files, not links to folders (copy the folder)")]
    if not path.is_file():  # a link to nothing, a pipe, a device
        return [Problem(shown, 1, "is not a file: the docs folder publishes plain files")]
    named = name_problem(relative, shown)
    problems = [named] if named else []
    suffix = PurePosixPath(relative).suffix.lower()
    if suffix not in PUBLISHED_SUFFIXES and relative not in configured:
        kinds = ", ".join(sorted(PUBLISHED_SUFFIXES))
        problems.append(Problem(shown, 1, f"files of the kind '{excerpt(suffix or relative)}' are not published (a page of script "
                                          f"could be): the docs folder publishes {kinds}"))
    taken = relative if relative in generated else _page_folder(relative) if _page_folder(relative) in generated else None
    if taken:
        problems.append(Problem(shown, 1, f"the site writes '{excerpt(taken)}' itself: rename this file"))
    if any(os.path.isfile(os.path.join(folder, relative)) for folder in theme_dirs):
        problems.append(Problem(shown, 1, f"'{excerpt(relative)}' is a file of the theme's own: this file would take its place; rename it"))
    return problems

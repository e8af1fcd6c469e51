"""Problems found in the sources, reported all at once as ``path:line:column: severity: message``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# An error stops the check and the build; a warning stops ``check --strict``; a notice stops nothing:
# it tells of something known and explained (a reference whose annote says why it is incomplete).
# A new kind of notice is a Problem with severity "notice": the check prints and counts it as such.
Severity = Literal["error", "warning", "notice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")  # in the order the check's summary counts them


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one source file, at a line and column (1-based, as editors count)."""

    path: str
    line: int
    message: str
    severity: Severity = "error"
    column: int = 1

    def fails(self, strict: bool = False) -> bool:
        """Whether the problem fails the check: an error always, a warning under ``--strict``, a notice never."""
        return self.severity == "error" or (strict and self.severity == "warning")

    def __lt__(self, other: Problem) -> bool:
        """Problems sort as an editor lists them: by file, line and column."""
        return ((self.path, self.line, self.column, self.severity, self.message)
                < (other.path, other.line, other.column, other.severity, other.message))

    @classmethod
    def at(cls, path: str, text: str, offset: int, message: str, first_line: int = 1) -> Problem:
        """An error at ``offset`` of ``text`` (whose first line is ``first_line`` of ``path``); at its
        start when the offset is not known (-1)."""
        offset = max(offset, 0)
        return cls(path, first_line + text.count("\n", 0, offset), message, column=offset - (text.rfind("\n", 0, offset) + 1) + 1)

    def __str__(self) -> str:
        """``path:line:column: error|warning|notice: message``, the form editors and CI logs link to: one
        line, whatever a file name or a value holds (a line break could start a CI command)."""
        return _one_line(f"{self.path}:{max(self.line, 1)}:{self.column}: {self.severity}: {self.message}")

    def annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command (``::error``, ``::warning`` or
        ``::notice``: GitHub has all three), shown on the pull request's diff (escaped as GitHub's
        toolkit escapes a command's properties and its message)."""
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return _one_line(f"::{self.severity} file={path},line={max(self.line, 1)},col={self.column}::{message}")


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _one_line(text: str) -> str:
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}" if found.group().isascii() else f"\\u{ord(found.group()):04x}", text)


class SourceErrors(Exception):
    """Raised with every error found, so a contributor can fix them all in one go."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(value: str, known: Iterable[str], otherwise: str = "") -> str:
    """`` (did you mean 'x'?)`` for the closest known name, or ``otherwise``."""
    matches = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean '{matches[0]}'?)" if matches else otherwise


def excerpt(value: object, limit: int = 60) -> str:
    """A value as a message may show it: one line, at most ``limit`` characters (a value can be huge)."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # an integer of more digits than Python will write out
        text = "a number too long to show"
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_path(path: Path, root: Path) -> str:
    """The path as a contributor sees it in the repository: relative to the project root."""
    if path.is_absolute() == root.is_absolute() and path.is_relative_to(root) and ".." not in path.parts:
        return path.relative_to(root).as_posix()  # most paths: no need to ask the file system
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

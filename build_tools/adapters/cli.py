"""The command line: ``python -m build_tools check | new | init | diff | offline | contributing``.

Whatever the input, a failure is answered with ``error: ...`` on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from mkdocs.exceptions import Abort, ConfigurationError

from ..authoring.contributing import update_file
from ..authoring.scaffold import (
    ScaffoldError,
    current_study,
    new_quotation,
    new_stage,
    new_theme,
)
from ..authoring.starter import DEFAULT_TITLE, next_steps, start_study
from ..authoring.studydiff import DiffError, diff
from ..problems import SEVERITIES
from ..sources.folders import SourceFolders
from ..sources.loader import read_study
from ..sources.settings import DEFAULT_SETTINGS, SiteSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools", description="Check, extend and compare the study's sources.")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate stages, themes, quotations, pages and bibliography.bib")
    check.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="the project folder")
    check.add_argument("--strict", action="store_true", help="fail on warnings too (never on notices)")

    new = commands.add_parser("new", help="start a new stage, theme or quotation file")
    kinds = new.add_subparsers(dest="kind", required=True)
    stage = kinds.add_parser("stage", help="content/stages/ID.md, numbered after the last stage")
    stage.add_argument("--id", required=True)
    stage.add_argument("--title", required=True)
    stage.add_argument("--subtitle", required=True)
    theme = kinds.add_parser("theme", help="themes/ID.md, ordered after the stage's last theme")
    theme.add_argument("--id", required=True)
    theme.add_argument("--label", required=True)
    theme.add_argument("--stage", required=True)
    quote = kinds.add_parser("quote", help="quotes/ID.md, ordered after the theme's last quotation and placed in its text")
    quote.add_argument("--id", required=True)
    quote.add_argument("--theme", required=True)
    quote.add_argument("--text", default="", help="the quotation, verbatim ('-' reads it from standard input)")

    init = commands.add_parser("init", help="start a new study site in DIR (a new or empty folder) that builds at once")
    init.add_argument("folder", metavar="DIR", type=Path, help="the new site's folder (new, or empty)")
    init.add_argument("--title", default=DEFAULT_TITLE, help=f"the study's title, the site's name (default: {DEFAULT_TITLE!r})")

    compare = commands.add_parser("diff", help="what changed in the study between two git revisions, as Markdown")
    compare.add_argument("base")
    compare.add_argument("head", nargs="?", default="HEAD")

    offline = commands.add_parser("offline", help="build the offline edition (works from file://, search included) as a zip")
    offline.add_argument("--output", type=Path, help="the zip to write (default: NAME-offline.zip, named as the site names its files)")

    commands.add_parser("contributing", help="regenerate CONTRIBUTING.md's field reference from the schemas")
    arguments = parser.parse_args(argv)
    root: Path = arguments.root
    if not root.is_dir():
        return _fail(f"{root}: {'not a folder' if root.exists() else 'no such folder'}")
    try:
        return _run(root, arguments)
    except (ScaffoldError, DiffError, ConfigurationError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename}: {error.strerror}" if error.filename else str(error))
    except KeyboardInterrupt:
        return _fail("interrupted")


def _run(root: Path, arguments: argparse.Namespace) -> int:
    if arguments.command == "check":
        return _check(root, arguments.strict)
    if arguments.command == "new":
        return _new(root, arguments)
    if arguments.command == "init":
        folder = root / arguments.folder  # DIR as named, from the current folder (or from --root)
        for path in start_study(folder, arguments.title):
            print(f"wrote {path}")
        print(next_steps(folder))
        return 0
    if arguments.command == "diff":
        print(diff(root, arguments.base, arguments.head))
        return 0
    if arguments.command == "offline":
        return _offline(root, arguments.output)
    try:
        changed = update_file(root / "CONTRIBUTING.md")
    except ValueError as error:  # no field reference markers, or not UTF-8
        return _fail(f"{root / 'CONTRIBUTING.md'}: {error}")
    print("CONTRIBUTING.md updated" if changed else "CONTRIBUTING.md is up to date", file=sys.stderr)
    return 0


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _check(root: Path, strict: bool) -> int:
    try:
        folders, settings = _site(root)
    except (ConfigurationError, Abort) as error:
        print(f"{root / 'mkdocs.yml'}: error: {error}")
        return 1
    result = read_study(folders, settings=settings)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in result.problems:
        print(problem)
        if annotate:
            print(problem.annotation())
    found = Counter(problem.severity for problem in result.problems)
    tally = ", ".join(f"{found[severity]} {severity}s" for severity in SEVERITIES)  # "0 errors, 2 warnings, 9 notices"
    if result.study is not None:
        study = result.study
        counts = ", ".join(f"{len(items)} {noun}{'' if len(items) == 1 else 's'}" for noun, items in (
            ("stage", study.stages), ("theme", study.themes), ("quotation", study.quotations), ("reference", study.references)))
        print(f"checked {counts}: {tally}", file=sys.stderr)
    else:
        print(tally, file=sys.stderr)
    return 1 if any(problem.fails(strict) for problem in result.problems) else 0


def _site(root: Path) -> tuple[SourceFolders, SiteSettings]:
    """Where the sources are and how they are judged: as the site's mkdocs.yml configures MkDocs and
    the study plugin, if it has one."""
    if not (root / "mkdocs.yml").exists():
        return SourceFolders(root=root), DEFAULT_SETTINGS
    from .mkdocs_config import (
        site_configuration,  # MkDocs reads the configuration; the other commands do without it
    )

    return site_configuration(root / "mkdocs.yml")


def _new(root: Path, arguments: argparse.Namespace) -> int:
    folders, settings = _site(root)
    study = current_study(folders, settings)
    if arguments.kind == "stage":
        path = new_stage(folders, study, arguments.id, arguments.title, arguments.subtitle)
    elif arguments.kind == "theme":
        path = new_theme(folders, study, arguments.id, arguments.label, arguments.stage)
    else:
        text = _standard_input() if arguments.text == "-" else arguments.text
        path = new_quotation(folders, study, arguments.id, arguments.theme, text)
    print(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    return 0


def _standard_input() -> str:
    """Strict UTF-8, a leading BOM dropped: text in another encoding is refused, not written garbled."""
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScaffoldError(f"standard input is not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start}; "
                            "save it as UTF-8") from None


def _offline(root: Path, output: Path | None) -> int:
    # Material for MkDocs is imported only here; the other commands do without it
    from .offline import build_offline_edition

    if output is not None and output.is_dir():
        return _fail(f"{output}: is a folder; name the zip to write")
    try:
        archive = build_offline_edition(root / "mkdocs.yml", output)
    except Abort as error:  # a SystemExit: MkDocs stops a failed build with it, the reason in its context
        return _fail(f"the offline edition was not built: {error.__context__ or error}")
    except OSError as error:
        return _fail(f"the offline edition was not written to {output}: {error.filename}: {error.strerror}")
    print(f"wrote {archive}")
    return 0

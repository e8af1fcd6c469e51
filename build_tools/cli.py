"""The command line: ``python -m build_tools check | new | diff | contributing``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mkdocs.exceptions import ConfigurationError

from .contributing import update_file
from .loader import Layout, read_study
from .scaffold import ScaffoldError, current_study, new_quotation, new_stage, new_theme
from .studydiff import DiffError, diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools", description="Check, extend and compare the study's sources.")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate stages, themes, quotations, pages and bibliography.bib")
    check.add_argument("--root", type=Path, default=argparse.SUPPRESS, help="the project folder")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

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

    compare = commands.add_parser("diff", help="what changed in the study between two git revisions, as Markdown")
    compare.add_argument("base")
    compare.add_argument("head", nargs="?", default="HEAD")

    offline = commands.add_parser("offline", help="build the offline edition (works from file://, search included) as a zip")
    offline.add_argument("--output", type=Path, default=Path("balint-journey-offline.zip"))

    commands.add_parser("contributing", help="regenerate CONTRIBUTING.md's field reference from the schemas")
    arguments = parser.parse_args(argv)
    root: Path = arguments.root
    if arguments.command == "check":
        return _check(root, arguments.strict)
    if arguments.command == "new":
        return _new(root, arguments)
    if arguments.command == "diff":
        try:
            print(diff(root, arguments.base, arguments.head))
        except DiffError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        return 0
    if arguments.command == "offline":
        from .offline import build_offline_edition  # needs MkDocs; the other commands do not

        print(f"wrote {build_offline_edition(root / 'mkdocs.yml', arguments.output)}")
        return 0
    changed = update_file(root / "CONTRIBUTING.md")
    print("CONTRIBUTING.md updated" if changed else "CONTRIBUTING.md is up to date", file=sys.stderr)
    return 0


def _check(root: Path, strict: bool) -> int:
    try:
        layout = _layout(root)
    except ConfigurationError as error:
        print(f"{root / 'mkdocs.yml'}: error: {error}")
        return 1
    result = read_study(layout)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in result.problems:
        print(problem)
        if annotate:
            print(problem.annotation())
    errors, warnings = len(result.errors), len(result.warnings)
    if result.study is not None:
        study = result.study
        print(f"checked {len(study.stages)} stages, {len(study.themes)} themes, {len(study.quotations)} quotations, "
              f"{len(study.references)} references: {errors} errors, {warnings} warnings", file=sys.stderr)
    else:
        print(f"{errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if errors or (strict and warnings) else 0


def _layout(root: Path) -> Layout:
    """Where the sources are: as the site's mkdocs.yml configures the study plugin, if it has one."""
    if not (root / "mkdocs.yml").exists():
        return Layout(root=root)
    from .plugin import site_layout  # MkDocs reads the configuration; the other commands do without it

    return site_layout(root / "mkdocs.yml")


def _new(root: Path, arguments: argparse.Namespace) -> int:
    try:
        layout = _layout(root)
        study = current_study(layout)
        if arguments.kind == "stage":
            path = new_stage(layout, study, arguments.id, arguments.title, arguments.subtitle)
        elif arguments.kind == "theme":
            path = new_theme(layout, study, arguments.id, arguments.label, arguments.stage)
        else:
            text = sys.stdin.read() if arguments.text == "-" else arguments.text
            path = new_quotation(layout, study, arguments.id, arguments.theme, text)
    except (ScaffoldError, ConfigurationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path.relative_to(root) if path.is_relative_to(root) else path}")
    return 0

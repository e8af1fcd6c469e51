"""``python -m build_tools check``: validate every source without building the site."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .loader import Layout, read_study


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate stages, themes, quotations, pages and bibliography.bib")
    check.add_argument("--root", type=Path, default=Path("."), help="the project folder (default: the current folder)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    arguments = parser.parse_args(argv)
    return _check(arguments.root, arguments.strict)


def _check(root: Path, strict: bool) -> int:
    result = read_study(Layout(root=root))
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

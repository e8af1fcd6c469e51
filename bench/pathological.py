"""How the check grows on input written to make it slow: the time for a text twice as long,
divided by the time for the text itself (about 2 for linear work, about 4 for quadratic).

Each case is what a hostile pull request could put in one page: a citation bracket that never
closes, code fences that never close, a long run of brackets, a heading with long runs of blanks
around "{", nested emphasis. The check of one page (Markdown rendered with the site's extensions
when it may hold markup, citations found, fences matched) is timed, best of a few runs, at each
size. Where the check refuses the text ("refused"), the build stops before Python-Markdown reads
it: shapes that Python-Markdown itself takes quadratic time on are refused that way.

    .venv/bin/python bench/pathological.py [--size 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from build_tools.citations import syntax
from build_tools.markup import fences, mask_code
from build_tools.sources.markup_check import markup_problems
from build_tools.sources.settings import SiteSettings

SETTINGS = SiteSettings(markdown_extensions=("toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "md_in_html"))
CASES: dict[str, Callable[[int], str]] = {
    "citation bracket never closed": lambda n: "See [/@" + "a" * n,
    "code fences never closed": lambda n: "```x\n" * (n // 5),
    "brackets never closed": lambda n: "[" * n,
    "blanks around an attribute list": lambda n: "# a" + " " * (n // 2) + "{" + " " * (n // 2) + "x",
    "citations in brackets": lambda n: "[@key " * (n // 6),
    "tags never closed": lambda n: "<a" * (n // 2),
    "definition lines": lambda n: "a\n: " * (n // 4),
    "nested emphasis": lambda n: "*a _" * (n // 4),
}


def check_page(text: str) -> bool:
    """The check's work on one page; True when it refuses the page."""
    syntax._citations_in.cache_clear()
    syntax.find_citations(text, "page.md")
    unclosed = fences(text).unclosed
    mask_code(text)
    return bool(markup_problems(text, "page.md", 1, SETTINGS) or unclosed)


def best(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check_page(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="characters of the smaller text")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    print(f"check of one page, best of {arguments.runs}: {arguments.size:,} characters, then twice as many")
    for name, make in CASES.items():
        small, large = best(make(arguments.size), arguments.runs), best(make(2 * arguments.size), arguments.runs)
        verdict = "refused" if check_page(make(arguments.size)) else "accepted"
        print(f"{name:32} {small:7.3f} s  {large:7.3f} s  ratio {large / max(small, 1e-6):4.1f}  {verdict}")


if __name__ == "__main__":
    main()

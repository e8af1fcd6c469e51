"""Agreement with the reference implementation: this project's APA 7 citations and reference entries
beside pandoc's citeproc with the official CSL APA style, key by key.

By default the four test bibliographies (tests/fixtures/bibliographies/: the same works as a
Zotero export in Better BibTeX's BibTeX and BibLaTeX modes, as hand-written BibTeX and as Zotero's
CSL JSON); or any bibliography given. For each, and in total, the script prints the share of
in-text citations (parenthetical and narrative) and of reference entries on which the two agree,
after the rewrites of citeproc's output listed in tests/citeproc-divergences.yaml (where APA 7
and citeproc disagree), and whether the reference lists come in the same order (the order of the
works whose entries agree). --diff prints each differing pair, ours above citeproc's.

    .venv/bin/python bench/agreement.py [--diff] [BIBLIOGRAPHY [--as bibtex|biblatex|csljson|cslyaml] ...]

pandoc reads a .bib file as biblatex: a classic BibTeX file is read as BibTeX with --as bibtex
(the fixtures' own formats are known).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import citeproc  # tests/citeproc.py: the harness the tests use


def percent(agreed: int, total: int) -> str:
    return f"{100 * agreed / total:5.1f}% ({agreed}/{total})" if total else "    -"


def print_comparison(comparison: citeproc.Comparison, diff: bool) -> None:
    in_text = citeproc.agreement(comparison.of(citeproc.IN_TEXT))
    entries = citeproc.agreement(comparison.of(["reference"]))
    compared = len(comparison.ordered()[1])
    order = f"same, for the {compared} works whose entries agree" if comparison.order_agrees else \
        f"differs ({comparison.misplaced} of the {compared} works whose entries agree out of place)"
    print(f"{comparison.name}")
    print(f"  in-text citations  {percent(*in_text)}")
    print(f"  reference entries  {percent(*entries)}")
    print(f"  reference order    {order}")
    for source, errors in (("ours", comparison.our_errors), ("citeproc", comparison.citeproc_errors)):
        for error in errors:
            print(f"  {source} said: {error}")
    if not diff:
        return
    for pair in comparison.pairs:
        if not pair.agrees:
            print(f"  - {pair.key} [{pair.part}]")
            print(f"      ours     {pair.ours}")
            print(f"      citeproc {pair.citeproc}")
            if pair.divergences:
                print(f"      APA 7    {pair.expected}  (after: {'; '.join(pair.divergences)})")
    if not comparison.order_agrees:
        mine, theirs = comparison.ordered()
        print(f"  - order, ours:     {' '.join(mine)}")
        print(f"    order, citeproc: {' '.join(theirs)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bibliographies", nargs="*", type=Path, help="default: the four bibliographies of tests/fixtures/bibliographies/")
    parser.add_argument("--as", dest="dialect", choices=sorted(citeproc.EXTENSIONS),
                        help="how pandoc reads the bibliographies given (default: by extension; .bib is biblatex)")
    parser.add_argument("--diff", action="store_true", help="print each pair that differs: ours, citeproc's")
    arguments = parser.parse_args()
    paths = arguments.bibliographies or citeproc.fixtures()
    print(f"{citeproc.pandoc_version()}, CSL APA style updated {citeproc.style_updated()}")
    totals = {"in-text": [0, 0], "entries": [0, 0]}
    for path in paths:
        comparison = citeproc.compare(path, arguments.dialect if arguments.bibliographies else None)
        print_comparison(comparison, arguments.diff)
        for name, parts in (("in-text", citeproc.IN_TEXT), ("entries", ("reference",))):
            agreed, total = citeproc.agreement(comparison.of(parts))
            totals[name][0] += agreed
            totals[name][1] += total
    if len(paths) > 1:
        print("total")
        print(f"  in-text citations  {percent(*totals['in-text'])}")
        print(f"  reference entries  {percent(*totals['entries'])}")


if __name__ == "__main__":
    main()

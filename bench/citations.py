"""Citation overhead on a large bibliography: no citation plugin vs this project vs mkdocs-bibtex.

One synthetic workload (a 5,000-entry .bib, 100 pages each citing 10 keys) is built three ways in
one run, each several times; the script prints median build times and the overhead ratio
ours / mkdocs-bibtex (overhead = build time minus the plain build's). Our plugin keeps what it
parsed and formatted in .cache/ for the next build, so its first (cold) build is shown apart from
the median of the later (warm) ones. mkdocs-bibtex goes into a throwaway virtual environment made
by this script, beside the same MkDocs version.

    .venv/bin/python bench/citations.py [--entries 5000] [--pages 100] [--cites 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

SURNAMES = ["Smith", "Jones", "Berg", "Lauv{\\aa}s", "K{\\\"o}rner", "Nguyen", "Garcia", "Olsen", "Haddad", "Kowalski",
            "van der Berg", "Martin", "Rossi", "Tanaka", "Müller", "Dubois", "Andersson", "Silva", "Cohen", "Okafor"]
WORDS = ["learning", "patients", "practice", "reflection", "groups", "therapy", "clinical", "experience", "care", "theory",
         "relationship", "communication", "training", "qualitative", "analysis", "{Balint}", "method", "study", "encounter"]


def write_workload(root: Path, entries: int, pages: int, cites: int) -> None:
    rng = random.Random(2000)
    lines = []
    for index in range(entries):
        authors = " and ".join(f"{rng.choice(SURNAMES)}, {chr(65 + rng.randrange(26))}." for _ in range(rng.randint(1, 4)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        year = rng.randint(1950, 2024)
        if index % 2:
            lines.append(f"@article{{key{index},\n  author = {{{authors}}},\n  title = {{{title}}},\n  journal = {{Journal of {rng.choice(WORDS).strip('{}').title()}}},\n"
                         f"  year = {{{year}}},\n  volume = {{{rng.randint(1, 60)}}},\n  number = {{{rng.randint(1, 12)}}},\n  pages = {{{rng.randint(1, 400)}--{rng.randint(401, 800)}}},\n  doi = {{10.1000/x{index}}}\n}}\n")
        else:
            lines.append(f"@book{{key{index},\n  author = {{{authors}}},\n  title = {{{title}}},\n  publisher = {{Press {index % 40}}},\n  address = {{City}},\n  year = {{{year}}}\n}}\n")
    (root / "refs.bib").write_text("\n".join(lines), encoding="utf-8")
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Workload\n", encoding="utf-8")
    for page in range(pages):
        keys = rng.sample(range(entries), cites)
        body = "\n\n".join(f"Paragraph {n} states a finding [@key{key}] and more text follows here." for n, key in enumerate(keys))
        (docs / f"page{page:03d}.md").write_text(f"# Page {page}\n\n{body}\n", encoding="utf-8")
    common = "site_name: Bench\nuse_directory_urls: true\n"
    (root / "plain.yml").write_text(common + "plugins: []\n", encoding="utf-8")
    (root / "ours.yml").write_text(common + "plugins:\n  - study:\n      bibliography: refs.bib\n", encoding="utf-8")
    (root / "bibtex.yml").write_text(common + "plugins:\n  - bibtex:\n      bib_file: refs.bib\nmarkdown_extensions:\n  - footnotes\n", encoding="utf-8")


def throwaway_venv(root: Path) -> Path:
    target = root / "bibtex-venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "mkdocs==1.6.1", "mkdocs-bibtex"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return python


def median_build(python: Path | str, root: Path, config: str, runs: int) -> float:
    times = []
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(python), "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(root / f"site-{Path(config).stem}")],
                       cwd=root, check=True, env=environment, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--cites", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-bibtex", action="store_true", help="measure only the plain build and ours")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_workload(root, arguments.entries, arguments.pages, arguments.cites)
        print(f"workload: {arguments.entries} entries, {arguments.pages} pages x {arguments.cites} citations, median of {arguments.runs} builds")
        plain = median_build(sys.executable, root, "plain.yml", arguments.runs)
        cold = median_build(sys.executable, root, "ours.yml", 1)
        ours = median_build(sys.executable, root, "ours.yml", arguments.runs)
        print(f"plain (no citation plugin): {plain:.2f} s")
        print(f"this project, cold cache:   {cold:.2f} s (overhead {cold - plain:.2f} s)")
        print(f"this project, warm cache:   {ours:.2f} s (overhead {ours - plain:.2f} s)")
        if arguments.skip_bibtex:
            return
        python = throwaway_venv(root)
        bibtex_plain = median_build(python, root, "plain.yml", arguments.runs)
        bibtex = median_build(python, root, "bibtex.yml", arguments.runs)
        print(f"mkdocs-bibtex:              {bibtex:.2f} s (overhead {bibtex - bibtex_plain:.2f} s over its own plain build, {bibtex_plain:.2f} s)")
        theirs = bibtex - bibtex_plain
        print(f"overhead ratio ours / mkdocs-bibtex: warm {(ours - plain) / theirs:.3f}, cold {(cold - plain) / theirs:.3f} (target: at most 0.100)")


if __name__ == "__main__":
    main()

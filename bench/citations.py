"""Citation overhead on a large bibliography: no citation plugin vs this project vs mkdocs-bibtex.

One synthetic workload (a 5,000-entry .bib, 100 pages each citing 10 keys, Material for MkDocs as
the theme) is built three ways in one run, each several times, and each build is timed as a user
runs it: a whole ``mkdocs build`` process, imports included. The script prints median build times
(wall-clock, and processor time: user and system, which the other work of a busy machine disturbs
much less) and the overhead ratio ours / mkdocs-bibtex, where a plugin's overhead is its build's
time minus the plain Material build's (no citation plugin) in the same round, the median over the rounds.
Our plugin keeps what it parsed, formatted and rendered in .cache/ for the next build, so it is
timed both ways: cold (its cache deleted first) and warm (right after a build). The builds run in
turn, round after round, so that the machine's drifts in speed fall on every one alike.

mkdocs-bibtex goes into a throwaway virtual environment made by this script, beside the same
MkDocs and Material versions, and its overhead is measured over the plain build of that
environment. pip byte-compiles a package as it installs it, so this project's package is
byte-compiled too before timing (an editable install run with PYTHONDONTWRITEBYTECODE would
otherwise compile its modules again in every build).

    .venv/bin/python bench/citations.py [--entries 5000] [--pages 100] [--cites 10] [--runs 7]
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

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
            lines.append(f"@article{{key{index},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
                         f"  journal = {{Journal of {rng.choice(WORDS).strip('{}').title()}}},\n"
                         f"  year = {{{year}}},\n  volume = {{{rng.randint(1, 60)}}},\n  number = {{{rng.randint(1, 12)}}},\n"
                         f"  pages = {{{rng.randint(1, 400)}--{rng.randint(401, 800)}}},\n  doi = {{10.1000/x{index}}}\n}}\n")
        else:
            lines.append(f"@book{{key{index},\n  author = {{{authors}}},\n  title = {{{title}}},\n  publisher = {{Press {index % 40}}},\n"
                         f"  address = {{City}},\n  year = {{{year}}}\n}}\n")
    (root / "refs.bib").write_text("\n".join(lines), encoding="utf-8")
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Workload\n", encoding="utf-8")
    for page in range(pages):
        keys = rng.sample(range(entries), cites)
        body = "\n\n".join(f"Paragraph {n} states a finding [@key{key}] and more text follows here." for n, key in enumerate(keys))
        (docs / f"page{page:03d}.md").write_text(f"# Page {page}\n\n{body}\n", encoding="utf-8")
    common = "site_name: Bench\nuse_directory_urls: true\ntheme:\n  name: material\n"
    (root / "plain.yml").write_text(common + "plugins: []\n", encoding="utf-8")
    (root / "ours.yml").write_text(common + "plugins:\n  - study:\n      bibliography: refs.bib\n", encoding="utf-8")
    (root / "bibtex.yml").write_text(common + "plugins:\n  - bibtex:\n      bib_file: refs.bib\nmarkdown_extensions:\n  - footnotes\n",
                                     encoding="utf-8")


def throwaway_venv(root: Path) -> Path:
    target = root / "bibtex-venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    same = [f"{package}=={version(package)}" for package in ("mkdocs", "mkdocs-material")]
    subprocess.run([str(python), "-m", "pip", "install", "-q", *same, "mkdocs-bibtex"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return python


class Seconds(NamedTuple):
    """A build's wall-clock time, and its processor time (user and system), which the other work
    of a busy machine disturbs much less."""

    wall: float
    cpu: float


def build_seconds(python: Path | str, root: Path, config: str) -> Seconds:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    process = subprocess.Popen([str(python), "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(root / f"site-{Path(config).stem}")],
                               cwd=root, env=environment, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return Seconds(wall, usage.ru_utime + usage.ru_stime)


def interleaved_times(builds: dict[str, Callable[[], Seconds]], runs: int) -> dict[str, list[Seconds]]:
    """Seconds of each build, run in turn round after round so that the machine's drifts in speed
    fall on all of them alike."""
    times: dict[str, list[Seconds]] = {name: [] for name in builds}
    for _ in range(runs):
        for name, build in builds.items():
            times[name].append(build())
    return times


def overhead(times: dict[str, list[Seconds]], build: str, baseline: str) -> Seconds:
    """The median, over the rounds, of a build's time minus its baseline's in the same round."""
    pairs = list(zip(times[build], times[baseline], strict=True))
    return Seconds(statistics.median(seconds.wall - base.wall for seconds, base in pairs),
                   statistics.median(seconds.cpu - base.cpu for seconds, base in pairs))


def median(times: list[Seconds]) -> Seconds:
    return Seconds(statistics.median(seconds.wall for seconds in times), statistics.median(seconds.cpu for seconds in times))


def shown(seconds: Seconds) -> str:
    return f"{seconds.wall:.2f} s (CPU {seconds.cpu:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--cites", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-bibtex", action="store_true", help="measure only the plain build and ours")
    arguments = parser.parse_args()
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "build_tools", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_workload(root, arguments.entries, arguments.pages, arguments.cites)
        print(f"workload: {arguments.entries} entries, {arguments.pages} pages x {arguments.cites} citations, "
              f"median of {arguments.runs} builds")

        def cold_build() -> Seconds:
            shutil.rmtree(root / ".cache", ignore_errors=True)
            return build_seconds(sys.executable, root, "ours.yml")

        builds: dict[str, Callable[[], Seconds]] = {
            "cold": cold_build,
            "warm": lambda: build_seconds(sys.executable, root, "ours.yml"),  # right after a build that filled the cache
            "plain": lambda: build_seconds(sys.executable, root, "plain.yml"),
        }
        if not arguments.skip_bibtex:
            python = throwaway_venv(root)
            builds["bibtex plain"] = lambda: build_seconds(python, root, "plain.yml")
            builds["bibtex"] = lambda: build_seconds(python, root, "bibtex.yml")
        times = interleaved_times(builds, arguments.runs)
        medians = {name: median(seconds) for name, seconds in times.items()}
        cold, warm = overhead(times, "cold", "plain"), overhead(times, "warm", "plain")
        print(f"plain (no citation plugin): {shown(medians['plain'])}")
        print(f"this project, cold cache:   {shown(medians['cold'])}, overhead {shown(cold)}")
        print(f"this project, warm cache:   {shown(medians['warm'])}, overhead {shown(warm)}")
        if arguments.skip_bibtex:
            return
        theirs = overhead(times, "bibtex", "bibtex plain")
        print(f"mkdocs-bibtex:              {shown(medians['bibtex'])}, "
              f"overhead {shown(theirs)} over its own plain build, {shown(medians['bibtex plain'])}")
        print(f"overhead ratio ours / mkdocs-bibtex: warm {warm.wall / theirs.wall:.3f}, cold {cold.wall / theirs.wall:.3f} "
              f"(CPU: warm {warm.cpu / theirs.cpu:.3f}, cold {cold.cpu / theirs.cpu:.3f}; target: at most 0.100)")


if __name__ == "__main__":
    main()

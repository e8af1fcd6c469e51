"""How a build grows with the size of one source: the study with one quotation of 1 MB and of 8 MB.

Each build is a whole ``mkdocs build`` process, as a user runs it (imports included), of a copy of
the study whose quotation "aggressive-and-angry" is replaced by plain prose of the given size (its
theme page, the quotations page, the whole-study page, the projection and the handout all show it).
The offline edition is left out: it is a second build of the same pages, and would double both
sides alike. Builds run in turn, round after round. The script prints, per size, the median time
and the peak memory (the build process's maximum resident set), and:

- the cost ratio: (8 MB build - unchanged study's build) / (1 MB build - unchanged study's build);
  linear growth gives 8, the target is at most 10;
- the memory of a plain Material site (MkDocs' search, no plugin of ours) showing the same text on
  as many pages: the study's peak memory at 8 MB should stay within it (a ratio of at most 1.0);
- the same against a plain site whose page titles are in typographic quotation marks, as the
  study's pages have them (its templates write “ ” ’ →): Python keeps a text holding any character
  past Latin-1 in two bytes a character, so MkDocs' own copies of such a page take twice the memory.

    .venv/bin/python bench/growth.py [--runs 3] [--sizes 1 8]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("mkdocs.yml", "content", "themes", "quotes", "bibliography.bib")
QUOTATION = "aggressive-and-angry"
PAGES_SHOWING_IT = 5  # theme, quotations, whole study, projection, handout
WORDS = ("patient", "therapist", "group", "reflection", "feeling", "training", "practice", "encounter", "learning", "clinical",
         "and", "the", "of", "we", "I", "it", "was", "about", "that", "felt")


def prose(size: int) -> str:
    """Plain sentences in paragraphs, ``size`` characters of them, lines as an editor wraps them."""
    paragraphs, total, n = [], 0, 0
    while total < size:
        lines = []
        for _ in range(8):
            line = " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(14)).capitalize() + "."
            lines.append(line)
            n += 1
        paragraph = "\n".join(lines)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size].rsplit(" ", 1)[0] + ".\n"


def study_with(folder: Path, text: str | None) -> Path:
    folder.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, folder / name)
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("offline_edition: true", "offline_edition: false"), encoding="utf-8")
    if text is not None:
        quotation = folder / "quotes" / f"{QUOTATION}.md"
        front, _ = quotation.read_text(encoding="utf-8").split("\n---\n", 1)
        quotation.write_text(f"{front}\n---\n\n{text}", encoding="utf-8")
    return folder


def plain_site_with(folder: Path, text: str, typographic: bool = False) -> Path:
    """A Material site of MkDocs' own, the text on as many pages as the study shows it; ``typographic``:
    each page's title in curly quotation marks."""
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text("site_name: Plain\ntheme:\n  name: material\nplugins:\n  - search\n", encoding="utf-8")
    for n in range(PAGES_SHOWING_IT):
        title = f"“Page {n}”" if typographic else f"Page {n}"
        (folder / "docs" / f"page-{n}.md").write_text(f"# {title}\n\n> {text.replace(chr(10), chr(10) + '> ')}\n", encoding="utf-8")
    (folder / "docs" / "index.md").write_text("# Plain\n", encoding="utf-8")
    return folder


def timed_build(project: Path) -> tuple[float, int]:
    """Seconds and peak resident memory (MB) of one ``mkdocs build`` of ``project``."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(project / "site")], cwd=project,
                               env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"the build of {project} failed")
    return elapsed, usage.ru_maxrss // 1024 if sys.platform != "darwin" else usage.ru_maxrss // (1024 * 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs=2, default=[1, 8], metavar=("SMALL_MB", "LARGE_MB"))
    arguments = parser.parse_args()
    small, large = arguments.sizes
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        texts = {size: prose(size * 1_000_000) for size in (small, large)}
        projects = {"unchanged": study_with(root / "unchanged", None),
                    **{f"{size} MB": study_with(root / f"study-{size}", texts[size]) for size in (small, large)},
                    f"plain {large} MB": plain_site_with(root / "plain", texts[large]),
                    f"plain {large} MB “”": plain_site_with(root / "plain-typographic", texts[large], typographic=True)}
        timed_build(projects["unchanged"])  # the citation cache and the OS's file cache, warm
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in projects}
        for _ in range(arguments.runs):
            for name, project in projects.items():
                results[name].append(timed_build(project))
    seconds = {name: statistics.median(t for t, _ in runs) for name, runs in results.items()}
    memory = {name: max(m for _, m in runs) for name, runs in results.items()}
    for name in projects:
        print(f"{name:>17}: {seconds[name]:6.2f} s, peak memory {memory[name]:5d} MB")
    base = seconds["unchanged"]
    cost = (seconds[f"{large} MB"] - base) / (seconds[f"{small} MB"] - base)
    print(f"cost ratio {large} MB / {small} MB (time over the unchanged study's): {cost:.1f} "
          f"(linear {large / small:.0f}, target at most 10)")
    print(f"peak memory at {large} MB, the study / a plain Material site showing the text on {PAGES_SHOWING_IT} pages: "
          f"{memory[f'{large} MB'] / memory[f'plain {large} MB']:.2f} (target at most 1.0)")
    print(f"peak memory at {large} MB, the study / a plain Material site whose titles are in quotation marks “”, as the study's are: "
          f"{memory[f'{large} MB'] / memory[f'plain {large} MB “”']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

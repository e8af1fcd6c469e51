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
  the same pages: on each of as many pages, the quotation and the study's own words that the
  study's page shows beside it (the theme's text, the other quotations, the whole study's
  prose), with the same pages in the search index as the study's. The study's peak memory at
  8 MB should stay within it (a ratio of at most 1.0);
- for reference, the same against a plain site whose pages hold the quotation alone. Its text is
  all ASCII, which no page of the study is: the manuscript's own words hold ’ and –, and Python
  keeps a text holding any character past Latin-1 at two bytes a character (PEP 393), so MkDocs'
  copies of each page (its Markdown, its HTML) take twice the memory of the quotation alone.

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

import yaml

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


class _TagsIgnored(yaml.SafeLoader):
    """mkdocs.yml read as data: MkDocs' own tags (!ENV, !relative) read as nothing."""


_TagsIgnored.add_multi_constructor("!", lambda loader, suffix, node: None)


def front(path: Path) -> dict[str, object]:
    """A source's front matter."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")) or {}


def body(path: Path) -> str:
    """A source's text without its front matter."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def words_beside_the_quotation() -> list[str]:
    """For each page of the study that shows the quotation, the study's own words it shows with it:
    the theme page its theme's text and other quotations; the quotations page the others; the whole
    study all of its prose; the projection the stage and the theme's names; the handout its stage's
    themes and their quotations."""
    quotes = {path.stem: path for path in sorted((ROOT / "quotes").glob("*.md"))}
    theme_of = {name: str(front(path)["theme"]) for name, path in quotes.items()}
    themes = {path.stem: path for path in sorted((ROOT / "themes").glob("*.md"))}
    theme = theme_of[QUOTATION]
    stage = str(front(themes[theme])["stage"])
    stage_front = front(ROOT / "content" / "stages" / f"{stage}.md")

    def theme_text(name: str) -> list[str]:
        shown = [path for quotation, path in quotes.items() if theme_of[quotation] == name and quotation != QUOTATION]
        return [body(themes[name]), *map(body, shown)]

    others = [body(path) for name, path in quotes.items() if name != QUOTATION]
    settings = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagsIgnored)  # a SafeLoader
    study_plugin = next(plugin["study"] for plugin in settings["plugins"] if isinstance(plugin, dict) and "study" in plugin)
    stages = [body(path) for path in sorted((ROOT / "content" / "stages").glob("*.md"))]
    results = [*stages, *(body(path) for path in themes.values()), *others]
    whole_study = [part for section in study_plugin["whole_study"]  # a page's section (index.md#abstract) counted as the whole page
                   for part in (results if section == "results" else [body(ROOT / "content" / section.split("#")[0])])]
    stage_themes = [part for name, path in themes.items() if front(path)["stage"] == stage for part in theme_text(name)]
    pages = {"theme": theme_text(theme), "quotations": others, "whole study": whole_study,
             "projection": [f"Stage {stage_front['number']} · {stage_front['title']}", str(front(themes[theme])["label"])],
             "handout": [f"{stage_front['title']}: {stage_front['subtitle']}", *stage_themes]}
    return ["\n\n".join(texts) for texts in pages.values()][:PAGES_SHOWING_IT]


def plain_site_with(folder: Path, text: str, beside: list[str] | None = None) -> Path:
    """A Material site of MkDocs' own, the text on as many pages as the study shows it; ``beside``:
    each page with the words the study's page shows beside it too. As in the study, only the first
    page (its theme page) is in the search index: the study leaves its pages that repeat the
    quotation out of search (the whole study, the projection, the handout; on the quotations page,
    each quotation)."""
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text("site_name: Plain\ntheme:\n  name: material\nplugins:\n  - search\n", encoding="utf-8")
    for n in range(PAGES_SHOWING_IT):
        settings = "---\nsearch:\n  exclude: true\n---\n\n" if n else ""
        others = f"\n\n{beside[n]}" if beside else ""
        (folder / "docs" / f"page-{n}.md").write_text(f"{settings}# Page {n}\n\n> {text.replace(chr(10), chr(10) + '> ')}\n{others}\n",
                                                       encoding="utf-8")
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
                    f"plain {large} MB": plain_site_with(root / "plain", texts[large], words_beside_the_quotation()),
                    f"plain {large} MB alone": plain_site_with(root / "plain-alone", texts[large])}
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
    print(f"peak memory at {large} MB, the study / a plain Material site showing the same text on {PAGES_SHOWING_IT} pages: "
          f"{memory[f'{large} MB'] / memory[f'plain {large} MB']:.2f} (target at most 1.0)")
    print(f"for reference, the study / a plain Material site showing the quotation alone (all ASCII, as no page of the study is): "
          f"{memory[f'{large} MB'] / memory[f'plain {large} MB alone']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

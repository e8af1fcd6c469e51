"""How the build grows with the study: synthetic studies of 50, 100, 200 and 400 themes.

Each study has two themes per stage, 10 quotations per theme and 5 references cited per theme.
All are built in one run, in this process, through MkDocs' own API; the time spent in this
project's code (the plugin's hooks and the Markdown extension's processors, with everything they
call) is measured by wrapping those entry points. The first build of each size starts without the
formatted-references cache (cold, as in CI); the others reuse it (warm, as when editing). The
script prints, per size, the median build time, our time and share (warm, and cold), and how our
time grew since the previous size.

    .venv/bin/python bench/scale.py [--sizes 50 100 200 400] [--runs 3]

Targets: our time grows linearly (at most 2.2x per doubling) and stays under 20% of the build.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

import build_tools.adapters.markdown_citations as extension
from build_tools.adapters import shortcodes
from build_tools.adapters.mkdocs_plugin import StudyPlugin

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ("on_config", "on_files", "on_page_markdown", "on_page_content", "on_post_page", "on_post_build")
WORDS = ["patient", "therapist", "group", "reflection", "feeling", "training", "practice", "encounter", "learning", "clinical"]


class Stopwatch:
    """Adds up the time spent inside wrapped functions (outermost calls only)."""

    def __init__(self) -> None:
        self.total = 0.0
        self.depth = 0

    def wrap(self, owner: type, name: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            self.depth += 1
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.total += time.perf_counter() - start

        setattr(owner, name, timed)


def sentence(seed: int, length: int = 14) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize() + "."


def write_study(root: Path, themes: int) -> None:
    # The study's own configuration, without the offline edition (a second build of its own).
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("offline_edition: true", "offline_edition: false")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "content", root / "content",
                    ignore=shutil.ignore_patterns("stages", "teaching", "teaching-guide.md", "reporting.md"))
    (root / "content" / "stages").mkdir()
    (root / "themes").mkdir()
    (root / "quotes").mkdir()
    entries = []
    for t in range(themes):
        stage = t // 2
        if t % 2 == 0:
            (root / "content" / "stages" / f"stage-{stage}.md").write_text(
                f"---\nid: stage-{stage}\nnumber: {stage + 1}\ntitle: Stage {stage}\nsubtitle: Part {stage}\n---\n\n{sentence(t)}\n",
                encoding="utf-8")
        keys = [f"ref{t}x{r}" for r in range(5)]
        for key in keys:
            entries.append(f"@book{{{key},\n  author = {{Author{t % 37}, A. and Other, B.}},\n  title = {{{sentence(len(entries), 6)}}},\n"
                           f"  publisher = {{Press}},\n  year = {{{1950 + len(entries) % 70}}}\n}}\n")
        body = [f"{sentence(t)} [@{keys[0]}; @{keys[1]}] and @{keys[2]} said so."]
        for q in range(10):
            quote_id = f"q{t}x{q}"
            (root / "quotes" / f"{quote_id}.md").write_text(
                f"---\nid: {quote_id}\ntheme: theme-{t}\norder: {q + 1}\n---\n\n/../ {sentence(t * 10 + q, 30)}\n", encoding="utf-8")
            body.append(f"{sentence(q)}\n\n{{{{< quote {quote_id} >}}}}")
        body.append(f"::: interpretation\n{sentence(t + 1)} [@{keys[3]}, p. 3] and [@{keys[4]}].\n:::")
        (root / "themes" / f"theme-{t}.md").write_text(
            f"---\nid: theme-{t}\nlabel: Theme number {t}\nstage: stage-{stage}\norder: {t % 2 + 1}\n---\n\n" + "\n\n".join(body) + "\n",
            encoding="utf-8")
    (root / "bibliography.bib").write_text("\n".join(entries), encoding="utf-8")
    # The real study's prose cites the real bibliography; the synthetic one keeps the pages, not their citations.
    for page in (root / "content").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("@", "\\@").replace("stages/starting-out.md", "stages/stage-0.md"), encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - Teaching guide: teaching-guide.md\n", "").replace("  - How this study reports: reporting.md\n", "")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the synthetic prose keeps a few links to the real study
    watch = Stopwatch()
    for hook in HOOKS:
        watch.wrap(StudyPlugin, hook)
    for processor in ("_BracketedCitation", "_NarrativeCitation"):
        watch.wrap(getattr(extension, processor), "handleMatch")
    watch.wrap(extension._PendingCitations, "run")
    watch.wrap(shortcodes._Shortcodes, "run")
    print(f"{'themes':>6} {'pages':>6} {'build s':>8} {'ours s':>7} {'share':>6} {'ours x prev':>11}   cold: {'ours s':>6} {'share':>6}")
    previous = None
    with tempfile.TemporaryDirectory() as folder:
        for size in arguments.sizes:
            root = Path(folder) / f"study-{size}"
            root.mkdir()
            write_study(root, size)
            builds, ours = [], []
            shutil.rmtree(root / ".cache", ignore_errors=True)
            for _ in range(arguments.runs + 1):
                config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=False)
                watch.total = 0.0
                start = time.perf_counter()
                build(config)
                builds.append(time.perf_counter() - start)
                ours.append(watch.total)
            cold_total, cold_mine = builds.pop(0), ours.pop(0)
            total, mine = statistics.median(builds), statistics.median(ours)
            pages = sum(1 for _ in (root / "site").rglob("index.html"))
            growth = f"{mine / previous:.2f}" if previous else "-"
            print(f"{size:>6} {pages:>6} {total:>8.2f} {mine:>7.2f} {mine / total:>6.1%} {growth:>11}   "
                  f"cold: {cold_mine:>6.2f} {cold_mine / cold_total:>6.1%}")
            previous = mine


if __name__ == "__main__":
    main()

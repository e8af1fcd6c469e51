"""How soon ``mkdocs serve`` shows a change: from saving a quotation file to the served theme page
showing it, against a whole build of the same sources measured in the same run.

The study is copied to a temporary folder and served by a real ``mkdocs serve`` (live reload on,
as an author runs it). Round after round, in turn: the study is built whole in this process
through MkDocs' API (``mkdocs build --strict``, the offline edition included, as the issue's
1.39 s is), and a quotation is saved with a new word while the theme page is asked for until it
shows the word. For comparison, the same is timed after saving ``mkdocs.yml``, which the preview
answers with a whole build (what ``mkdocs serve`` did after any change before: its polling aside).
The script prints the medians and the ratio preview / build (the target is at most 0.25), of the
time on the clock and, less disturbed by other work on the machine, of the processor time (user and
system) spent: by the building process (the offline edition's forked copy included), and by the
server from the save until the page shows it (where the system tells it: Linux's /proc).

    .venv/bin/python bench/preview.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("mkdocs.yml", "content", "themes", "quotes", "bibliography.bib")
QUOTATION, THEME_PAGE, WORD = "quotes/naked.md", "themes/never-learn-enough/", "encounters"
PATIENCE = 60  # seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=PATIENCE) as response:
        return str(response.read().decode("utf-8"))


def processor_time(pid: int) -> float | None:
    """Seconds of processor time (user and system) the process ``pid`` has spent, where the system tells it."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_processor_time() -> float:
    """Seconds of processor time this process and its finished children (the forked offline edition) have spent."""
    return sum(usage.ru_utime + usage.ru_stime for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def shown_after_save(path: Path, text: str, url: str, expected: str, server: int) -> tuple[float, float | None]:
    """Seconds from writing ``text`` to ``path`` until the page at ``url`` holds ``expected``: on the
    clock, and of the processor time the server process ``server`` spent meanwhile."""
    start, start_cpu = time.perf_counter(), processor_time(server)
    path.write_text(text, encoding="utf-8")
    while expected not in page(url):
        if time.perf_counter() - start > PATIENCE:
            raise TimeoutError(f"{url} never showed {expected!r}")
        time.sleep(0.005)
    end_cpu = processor_time(server)
    return time.perf_counter() - start, None if start_cpu is None or end_cpu is None else end_cpu - start_cpu


def settle(url: str) -> None:
    """Until the server has been idle a moment (the page a request waits for is the last build's)."""
    epochs = [re.findall(r"livereload\((\d+),", page(url))]
    while True:
        time.sleep(0.3)
        epochs.append(re.findall(r"livereload\((\d+),", page(url)))
        if epochs[-1] == epochs[-2]:
            return


def report(runs: int, times: dict[str, list[float]], cpu: dict[str, list[float]]) -> None:
    """The medians of the rounds and their ratios."""
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"median of {runs}: whole build (mkdocs build --strict, in this process) {median['build']:.2f} s; "
          f"from saving a quotation to its theme page served {median['preview']:.2f} s; "
          f"from saving mkdocs.yml to the site served again (a whole build) {median['whole']:.2f} s")
    print(f"ratio preview / build: {median['preview'] / median['build']:.2f} (target at most 0.25)")
    print(f"ratio preview / whole rebuild in serve: {median['preview'] / median['whole']:.2f}")
    if all(cpu.values()):
        processor = {name: statistics.median(values) for name, values in cpu.items()}
        print(f"processor time (user + system), medians: whole build {processor['build']:.2f} s; the server from saving a "
              f"quotation to its page served {processor['preview']:.2f} s, from saving mkdocs.yml {processor['whole']:.2f} s")
        print(f"ratio of processor time preview / build: {processor['preview'] / processor['build']:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "study"
        project.mkdir()
        for name in SOURCES:
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, project / name)
        port = free_port()
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-q", "-a", f"127.0.0.1:{port}"], cwd=project,
                                  env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}/"
            deadline = time.perf_counter() + 120
            while True:
                try:
                    page(base)
                    break
                except OSError:
                    if time.perf_counter() > deadline:
                        raise
                    time.sleep(0.1)
            quotation, config_file = project / QUOTATION, project / "mkdocs.yml"
            original, config_text = quotation.read_text(encoding="utf-8"), config_file.read_text(encoding="utf-8")
            assert WORD in original
            os.environ["NO_MKDOCS_2_WARNING"] = "1"
            times: dict[str, list[float]] = {"build": [], "preview": [], "whole": []}
            cpu: dict[str, list[float]] = {"build": [], "preview": [], "whole": []}
            for run in range(arguments.runs + 1):  # the first round warms up (caches, the OS's file cache)
                start, start_cpu = time.perf_counter(), own_processor_time()
                build(load_config(config_file=str(config_file), strict=True, site_dir=str(Path(scratch) / "site")))
                build_time, build_cpu = time.perf_counter() - start, own_processor_time() - start_cpu
                settle(base + THEME_PAGE)
                marker = f"preview{run}x"
                preview = shown_after_save(quotation, original.replace(WORD, marker), base + THEME_PAGE, marker, server.pid)
                settle(base + THEME_PAGE)
                marker = f"wholebuild{run}x"  # mkdocs.yml changed: the whole site built again, as before
                whole = shown_after_save(config_file, config_text.replace("site_description: >-", f"site_description: >-\n  {marker}"),
                                         base + THEME_PAGE, marker, server.pid)
                settle(base + THEME_PAGE)
                if run:
                    for name, (clock, processor) in {"build": (build_time, build_cpu), "preview": preview, "whole": whole}.items():
                        times[name].append(clock)
                        cpu[name].extend([] if processor is None else [processor])
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(arguments.runs, times, cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())

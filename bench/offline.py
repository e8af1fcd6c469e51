"""What the offline edition costs a build: ``mkdocs build`` of the study with it and without it.

Both run as whole processes, the way a user runs them (imports included), in turn, round after round,
so that the machine's drifts in speed fall on both alike. The script prints the median of each and
their ratio (with / without; the target is at most 1.3), and checks that the zip is the same, byte
for byte, in every round (SOURCE_DATE_EPOCH is fixed).

    .venv/bin/python bench/offline.py [--runs 7]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_build(config: Path, site: Path) -> float:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "946684800"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(site)],
                   cwd=ROOT, check=True, env=environment)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        without = ROOT / ".bench-without-offline.yml"  # beside mkdocs.yml: its paths are relative to it
        without.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("offline_edition: true", "offline_edition: false"),
                           encoding="utf-8")
        try:
            times: dict[str, list[float]] = {"without": [], "with": []}
            digests = set()
            timed_build(ROOT / "mkdocs.yml", Path(scratch) / "warm")  # the citation cache and the OS's file cache, warm
            for _ in range(arguments.runs):
                times["without"].append(timed_build(without, Path(scratch) / "without"))
                site = Path(scratch) / "with"
                times["with"].append(timed_build(ROOT / "mkdocs.yml", site))
                digests.update(hashlib.sha256(path.read_bytes()).hexdigest() for path in site.rglob("*.zip"))
        finally:
            without.unlink()
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"mkdocs build, median of {arguments.runs}: without the offline edition {median['without']:.2f} s, "
          f"with it {median['with']:.2f} s")
    print(f"ratio with / without: {median['with'] / median['without']:.2f} (target at most 1.30)")
    digest = f" (sha256 {min(digests)[:16]}…)" if len(digests) == 1 else ""
    print(f"offline zips: {len(digests)} distinct in {arguments.runs} builds{digest}")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

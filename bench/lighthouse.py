"""Lighthouse's four scores for the page types readers meet: home, a theme, the quotations, the references.

The site is built (``mkdocs build --strict``) into a temporary folder and served from this machine
the way GitHub Pages serves it: text compressed with gzip, ``Cache-Control: max-age=600``, the site's
404 page for a missing path. Lighthouse 12.2.3 (npm, pinned in bench/package.json and installed into
bench/node_modules on first use) runs its mobile preset against Debian's Chromium, one page at a
time, and the script prints a table of performance, accessibility, best practices and SEO.
Performance is Lighthouse's simulated throttling, so it depends little on this machine's load; the
script still runs each page ``--runs`` times and prints the median, and with ``--audits`` the audits
that cost points.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--audits] [--site DIR] [--page PATH ...]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
PAGES = {"home": "", "theme": "themes/tuning-your-instrument/", "quotations": "quotations/", "references": "references/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib", ".yaml", ".ris", ".qdc", ".csv")


class PagesLikeHandler(SimpleHTTPRequestHandler):
    """GitHub Pages' serving, as far as Lighthouse can tell: gzip for text, a ten-minute cache, a 404 page."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        body = path.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)


def install_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--loglevel=error"], check=True)


def build(destination: Path) -> None:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(destination)],
                   cwd=ROOT, check=True, env=environment)


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesLikeHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def audit(url: str, report: Path) -> dict:
    """One Lighthouse run: its JSON report."""
    subprocess.run([str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
                    f"--only-categories={','.join(CATEGORIES)}",
                    "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking"],
                   check=True, env={**os.environ, "CHROME_PATH": str(CHROMIUM)})
    return json.loads(report.read_text(encoding="utf-8"))


def costly_audits(result: dict) -> list[str]:
    """The audits of the four categories that did not pass, with what they weigh."""
    lines = []
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            found = result["audits"][ref["id"]]
            if found.get("score") is not None and found["score"] < 1 and (ref["weight"] > 0 or category == "performance"):
                value = f" ({found['displayValue']})" if found.get("displayValue") else ""
                lines.append(f"    {category}: {ref['id']} score {found['score']:.2f} weight {ref['weight']}{value}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--audits", action="store_true", help="list the audits that cost points")
    parser.add_argument("--site", type=Path, help="a built site to serve instead of building one")
    parser.add_argument("--page", action="append", help="a path to audit instead of the four page types")
    arguments = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run tests/setup-browser")
    install_lighthouse()
    pages = {path or "home": path for path in arguments.page} if arguments.page else PAGES
    with tempfile.TemporaryDirectory() as scratch:
        site = arguments.site
        if site is None:
            site = Path(scratch) / "site"
            build(site)
        server, base = serve(site)
        try:
            print(f"Lighthouse 12.2.3, mobile preset, {arguments.runs} run(s) per page, median scores")
            print(f"{'page':<12}" + "".join(f"{name:>16}" for name in CATEGORIES))
            for name, path in pages.items():
                runs = [audit(base + path, Path(scratch) / f"{name}-{run}.json") for run in range(arguments.runs)]
                scores = [statistics.median(round(100 * run["categories"][category]["score"]) for run in runs)
                          for category in CATEGORIES]
                print(f"{name:<12}" + "".join(f"{score:>16g}" for score in scores))
                if arguments.audits:
                    print("\n".join(costly_audits(runs[-1])))
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    shutil.which("npm") or sys.exit("npm is missing: Lighthouse comes from the npm registry")
    sys.exit(main())

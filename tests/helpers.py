"""Shared helpers of the tests: the real study copied into a temporary project, small studies of
other shapes, builds through MkDocs' own API, and Chromium. Tests import these from here, never
from another test module."""


from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock
from urllib.parse import unquote, urljoin, urlparse

import jinja2
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from build_tools.adapters.theme_work import ThemeWork

if TYPE_CHECKING:
    from build_tools.model import Study

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("mkdocs.yml", "content", "themes", "quotes", "bibliography.bib")
MANUSCRIPT = ROOT / "tests" / "manuscript" / "source.txt"
BUILD_DATE = "946684800"  # SOURCE_DATE_EPOCH of the shared build: 2000-01-01, the year of publication
EDIT_URL = "https://github.com/balint-study/balint-journey/edit/main/content/"  # the shared build's, as CI sets it
CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by tests/setup-browser; never a downloaded build

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def copy_study(destination: Path) -> Path:
    """A copy of the study's sources that a test may change freely."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return destination


@functools.cache
def load_real_study() -> Study:
    """The model of the real study in the repository, loaded once per test process: the
    ``real_study`` fixture, and parametrizations made before any fixture exists, share it. It is
    read-only (frozen dataclasses); a test that changes the study works on ``copy_study``."""
    from build_tools.sources.folders import SourceFolders
    from build_tools.sources.loader import load_study

    study, _ = load_study(SourceFolders(ROOT))
    return study


def run_cli(*arguments: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m build_tools ARGUMENTS`` run in this process (no new interpreter to start): its exit
    status, standard output and standard error. ``env`` is added to the environment for the call.
    An exception escaping ``main()``, which the command line would print as a traceback, fails the
    test that called it; tests of the real command line itself (exit status, no traceback) run it
    in a subprocess instead."""
    from build_tools.adapters.cli import main

    out, err = io.StringIO(), io.StringIO()
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with mock.patch.dict(os.environ, env or {}), mock.patch("sys.stdin", stdin_stream), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(arguments))
        except SystemExit as exit:  # argparse's answer to a bad command line
            status = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 1
            if isinstance(exit.code, str):
                print(exit.code, file=sys.stderr)
    return subprocess.CompletedProcess(["python", "-m", "build_tools", *arguments], status, out.getvalue(), err.getvalue())


def bare_site(folder: Path, bibliography: str, **pages: str) -> Path:
    """A plain MkDocs site (no themes, no quotations) whose plugin names only ``refs.bib``;
    ``pages`` maps page names (``index`` for index.md) to their Markdown."""
    (folder / "docs").mkdir()
    for name, markdown in pages.items():
        (folder / "docs" / f"{name}.md").write_text(markdown, encoding="utf-8")
    (folder / "refs.bib").write_text(bibliography, encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Notes\nplugins:\n  - study:\n      bibliography: refs.bib\n", encoding="utf-8")
    return folder


# A small study of every kind of source, for tests that build many sites (a build takes ~1 s).
TINY_STUDY = {
    "mkdocs.yml": """\
site_name: Tiny study
site_url: http://localhost:8000/
docs_dir: content
theme:
  name: material
  font: false
  features: [content.action.edit, navigation.indexes, navigation.sections, navigation.top, search.highlight]
nav:
  - Home: index.md
  - Results: []
  - Quotations: quotations.md
  - References: references.md
  - Read the whole study: study.md
  - Data and downloads: downloads.md
  - Notes: notes.md
  - Teaching guide: teaching-guide.md
plugins:
  - search
  - study:
      whole_study: [index.md, results]
markdown_extensions:
  - admonition
  - attr_list
  - def_list
  - md_in_html
  - toc:
      permalink: true
""",
    "content/index.md": """\
---
title: A tiny study
description: A study of one stage.
article:
  title: A tiny study
  authors:
    - family: Author
      given: Ann
      affiliation: A University
  journal: Journal of Tests
  publisher: Test Press
  year: 2001
  volume: 1
  issue: 2
  first_page: 3
  last_page: 4
  doi: 10.1234/tiny.1
  postprint: https://example.org/tiny
---

# A tiny study

As @kvale1996 says [see @kolb1984, p. 2].

{{< journey-map >}}

{{< cite-article >}}
""",
    "content/notes.md": "---\ntitle: Notes\n---\n\n# Notes\n\nA page of notes with a [link](https://example.org/).\n",
    "content/teaching-guide.md": "# Teaching guide\n\nHow to teach with the study (ours, not the study's).\n",
    "content/stages/one.md": "---\nid: one\nnumber: 1\ntitle: Setting off\nsubtitle: The first steps\n---\n\nThe stage begins [@kvale1996].\n",
    "content/teaching/one.md": """\
---
about: one
aims:
  - Name the first steps.
questions:
  - text: What did the informant mean?
    quotations: [first-words]
prompts:
  - text: Write about a first step.
    quotations: [first-words]
---

A note to the teacher.
""",
    "themes/first-theme.md": """\
---
id: first-theme
label: Taking the first step
stage: one
order: 1
---

The theme is described here; one informant said;

{{< quote first-words >}}

::: interpretation
The researchers read it as a beginning [@kolb1984].
:::
""",
    "quotes/first-words.md": "---\nid: first-words\ntheme: first-theme\norder: 1\n---\n\n/../ It was the first step.\n",
    "bibliography.bib": """\
@book{kvale1996,
  author = {Kvale, Steinar},
  title = {InterViews},
  publisher = {Sage},
  year = {1996},
  url = {https://example.org/interviews}
}

@book{kolb1984,
  author = {Kolb, David A.},
  title = {Experiential Learning},
  publisher = {Prentice-Hall},
  year = {1984},
  doi = {10.1234/kolb}
}
""",
}


def tiny_study(destination: Path) -> Path:
    """A small study (one stage, theme, quotation, teaching note; two references) at ``destination``."""
    for name, text in TINY_STUDY.items():
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        (destination / name).write_text(text, encoding="utf-8")
    return destination


def build_site(project: Path) -> Path:
    """Build ``project`` in strict mode, as ``mkdocs build --strict`` does; return the site folder."""
    site = project / "site"
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=True, site_dir=str(site))
    build(config)
    return site


@contextlib.contextmanager
def theme_work_shared() -> Iterator[None]:
    """Builds in this process share what MkDocs does anew for each (the product's ThemeWork, which the
    offline edition's build uses): compiling the theme's templates, and walking the folders of
    installed themes and of our overrides (a test's own custom_dir is walked each time). Together
    more than half the time of a small site's build; what is built is the same."""
    from mkdocs.theme import Theme

    fixed = (Path(sys.prefix), ROOT / "build_tools")
    work = ThemeWork(stable=lambda folders: all(any(folder.is_relative_to(root) for root in fixed) for folder in folders))
    get_env = Theme.get_env

    def environment(theme: Theme) -> jinja2.Environment:
        return work.share(get_env(theme), theme.dirs)

    with mock.patch.object(Theme, "get_env", environment):
        yield


# The layout shifts of the page's load, summed as Cumulative Layout Shift sums them (without user input).
LAYOUT_SHIFT = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 500);
})"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP from a free local port, as a web host serves a site: its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            yield browser
        finally:
            browser.close()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


PageReader = Callable[[Path], BeautifulSoup]  # the built_page fixture: soup() of a page of built_site, parsed once


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def words(text: str) -> str:
    return " ".join(text.split())


def page_of(site: Path, url_path: str) -> Path:
    """The HTML file behind a site-relative URL like ``themes/x/``."""
    path = site / unquote(url_path)
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The file and fragment a link on ``page`` points to."""
    base = "/" + page.relative_to(site).as_posix()
    target = urlparse(urljoin(base, href))
    return page_of(site, target.path.lstrip("/")), target.fragment


def line_of(path: Path, text: str) -> int:
    """The line of ``path`` on which ``text`` (found once in it) starts: tests name lines of the
    study's sources by what is on them, so an editor's change elsewhere does not break them."""
    source = path.read_text(encoding="utf-8")
    assert source.count(text) == 1, f"{text!r} is not in {path} exactly once"
    return source[:source.index(text)].count("\n") + 1

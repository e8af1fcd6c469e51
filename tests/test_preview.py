"""The live preview: ``mkdocs serve`` renders again only the pages a change feeds, and never serves
a stale page. A real ``mkdocs serve`` (live reload on) serves a copy of the study; after each
edit the test waits for the server's build and compares the served site with a clean build of the
same sources, file by file and byte for byte.

Two differences are the server's own, and are taken out before comparing: MkDocs injects its
live-reload script into every HTML page as it serves it (the pages are compared as fetched over
HTTP, with that script removed, and as written), and ``mkdocs serve`` does not make the offline
edition (a second whole build, for ``file://``), which ``mkdocs build`` adds as one zip file.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import BUILD_DATE, build_site, edit

from build_tools.adapters.live_preview import error_page
from build_tools.citations.references import ReferenceList
from build_tools.site.options import SiteOptions
from build_tools.site.pages import StudyRenderer
from build_tools.site.paths import SitePaths
from build_tools.site.plan import SitePlan, plan_site, site_changes
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import load_study

STEM = "balint-journey"  # mkdocs.yml's file_stem
OFFLINE_EDITION = SitePaths(stem=STEM).offline_edition
SCRIPT = re.compile(rb"<script>\s*var livereload = function.*?</script>", re.DOTALL)  # what MkDocs' server injects


class Served:
    """``mkdocs serve`` of ``project`` on a free port, its site folder in ``temporary`` and its log in ``log``."""

    def __init__(self, project: Path, temporary: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url, self.temporary, self.log = f"http://127.0.0.1:{port}/", temporary, temporary.parent / "serve.log"
        temporary.mkdir()
        environment = {**os.environ, "TMPDIR": str(temporary), "SITE_URL": self.url, "SOURCE_DATE_EPOCH": BUILD_DATE,
                       "NO_MKDOCS_2_WARNING": "1"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                            env=environment, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not self._answers():
            assert self.process.poll() is None and time.monotonic() < deadline, self.log.read_text(encoding="utf-8")
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            self.get("")
            return True
        except OSError:
            return False

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def epoch(self) -> int:
        found = re.search(rb"livereload\((\d+),", self.get("")[1])
        assert found, "the live-reload script is not in the page"
        return int(found[1])

    def after(self, change: Callable[[], None]) -> None:
        """Makes ``change`` to the sources and waits until the server has built it (and nothing more is under way)."""
        epoch = self.epoch()
        change()
        with urllib.request.urlopen(f"{self.url}livereload/{epoch}/1", timeout=60) as response:  # answers once a build is done
            latest = int(response.read())
        assert latest > epoch, "the server built nothing after the change"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # one save may come as events far enough apart for two builds
            time.sleep(0.3)
            if self.epoch() == latest:
                return
            latest = self.epoch()
        raise AssertionError("the server keeps building: its builds are changes to it")

    def folder(self) -> Path:
        (site,) = self.temporary.glob("mkdocs_*")
        return site

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=30)
        return self.log.read_text(encoding="utf-8")


@pytest.fixture
def served(project: Path, tmp_path: Path) -> Iterator[Served]:
    server = Served(project, tmp_path / "tmp")
    try:
        yield server
    finally:
        server.stop()


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def assert_served_as_built(served: Served, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The served site, as written and as served, is a clean build of the same sources (see the module's docstring)."""
    monkeypatch.setenv("SITE_URL", served.url)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    clean = files_of(build_site(project))
    assert clean.pop(OFFLINE_EDITION)  # mkdocs serve makes no offline edition
    written = files_of(served.folder())
    assert sorted(written) == sorted(clean)
    assert [path for path in clean if written[path] != clean[path]] == []
    pages = [path for path in clean if path.endswith(".html")]
    assert len(pages) > 30
    for path in pages:
        status, body = served.get(path)
        assert status == 200 and SCRIPT.sub(b"", body, count=1) == clean[path], path


def test_the_served_site_is_always_a_clean_build(project: Path, served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits of every kind, in a row: quotations (text, one added, one removed) are rendered again
    page by page; a theme's label, a work of the bibliography and a broken file are built whole.
    After each kind, the served site is the clean build of the sources as they are."""
    quotes, themes = project / "quotes", project / "themes"
    served.after(lambda: edit(quotes / "naked.md", "Gentle encounters", "Gentle meetings"))
    assert b"Gentle meetings" in served.get("themes/never-learn-enough/")[1]
    assert_served_as_built(served, project, monkeypatch)

    def add_quotation() -> None:
        (quotes / "first-step.md").write_text("---\nid: first-step\ntheme: never-learn-enough\norder: 3\n---\n\n"
                                              "We took the first step together.\n", encoding="utf-8")
        edit(themes / "never-learn-enough.md", "{{< quote naked >}}", "{{< quote naked >}}\n\n{{< quote first-step >}}")

    def remove_quotation() -> None:  # and what a teaching note asks of it
        edit(themes / "tuning-your-instrument.md", "{{< quote sense-of-community >}}", "")
        edit(project / "content" / "teaching" / "tuning-your-instrument.md", "quotations: [sense-of-community]",
             "quotations: [keep-on-pondering]")
        (quotes / "sense-of-community.md").unlink()

    served.after(add_quotation)
    served.after(remove_quotation)
    served.after(lambda: edit(project / "content" / "discussion.md", "Balint", "Balint's"))  # a page of the docs folder
    assert b"We took the first step together." in served.get("quotations/")[1]
    assert_served_as_built(served, project, monkeypatch)

    served.after(lambda: edit(themes / "feeling-frustrated.md", "label: Feeling frustrated", "label: Feeling thwarted"))
    bibliography = project / "bibliography.bib"
    served.after(lambda: edit(bibliography, "year       = {1957}", "year       = {1958}"))
    assert b"1958" in served.get("references/")[1]

    served.after(lambda: edit(quotes / "taboo.md", "theme: beating-around-the-bush", "theme: [unclosed"))
    status, body = served.get("themes/daring-to-ask/")
    assert status == 500 and b"quotes/taboo.md:" in body and b": error:" in body and b"livereload" in body
    assert served.get("assets/study.css")[0] == 200  # what is not a page is served as it was
    served.after(lambda: edit(quotes / "taboo.md", "theme: [unclosed", "theme: beating-around-the-bush"))
    assert served.get("themes/daring-to-ask/")[0] == 200
    served.after(lambda: edit(quotes / "taboo.md", "holding real\ntight", "holding very\ntight"))  # after whole builds
    assert_served_as_built(served, project, monkeypatch)

    log = served.stop()
    rendered = re.findall(r"Rendered again: (.*)", log)
    assert len(rendered) >= 3, log  # the quotations' changes: page by page
    assert "themes/never-learn-enough.md" in rendered[0] and "index.md" not in rendered[0].split(", ")
    assert any({"discussion.md", "study.md"} <= set(pages.split(", ")) for pages in rendered)
    assert "themes/beating-around-the-bush.md" in rendered[-1].split(", ")
    assert "Building the whole site: pages were added, removed, renamed, moved or given other settings" in log  # the label
    assert "Building the whole site: the works cited changed" in log


def test_the_preview_follows_folders_and_files_made_anew(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source folder missing when serving began, made later; folders replaced by a copy (as a
    ``git checkout`` or a synchronising tool does, the old ones moved away); the bibliography saved
    by writing another file and renaming it over (as vim does); a file touched. Each is built, and
    so is each later edit in them: every watch follows what is there now."""
    quotes, content = project / "quotes", project / "content"
    edit(project / "mkdocs.yml", "      file_stem: balint-journey\n", "      file_stem: balint-journey\n      teaching: notes\n")
    (content / "teaching").rename(project / "notes.later")  # the teaching notes' folder is not there yet
    served = Served(project, tmp_path / "tmp")
    try:
        served.after(lambda: (project / "notes.later").rename(project / "notes"))
        assert served.get("handouts/coming-home/")[0] == 200
        served.after(lambda: edit(project / "notes" / "coming-home.md", "What can a group see", "What may a group see"))
        assert b"What may a group see" in served.get("handouts/coming-home/")[1]

        def replace(folder: Path) -> None:
            folder.rename(folder.with_name(folder.name + ".old"))
            shutil.copytree(folder.with_name(folder.name + ".old"), folder)

        served.after(lambda: replace(quotes))
        served.after(lambda: edit(quotes / "naked.md", "Gentle encounters", "Gentle meetings"))
        assert b"Gentle meetings" in served.get("themes/never-learn-enough/")[1]
        served.after(lambda: replace(content))  # the docs folder, which MkDocs watches too
        served.after(lambda: edit(content / "discussion.md", "Balint", "Balint's"))
        assert_served_as_built(served, project, monkeypatch)

        def save_by_renaming(path: Path, old: str, new: str) -> None:
            saved = path.with_name(path.name + ".new")
            saved.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
            saved.replace(path)

        bibliography = project / "bibliography.bib"
        served.after(lambda: save_by_renaming(bibliography, "year       = {1957}", "year       = {1958}"))
        assert b"1958" in served.get("references/")[1]
        served.after(lambda: save_by_renaming(quotes / "naked.md", "Gentle meetings", "Gentle encounters"))
        served.after(lambda: os.utime(quotes / "taboo.md"))  # built again, as MkDocs' polling does on a file's new time
        assert_served_as_built(served, project, monkeypatch)
    finally:
        log = served.stop()
    assert "Traceback" not in log, log


def test_a_failed_build_is_shown_once_and_only_when_it_stands(project: Path, served: Served,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Two saves 50 ms apart (a theme showing a new quotation, then the quotation) build the site,
    with no error between them in the terminal or the browser. A warning (strict mode: the build
    fails) is logged once, not once by the pages rendered again and once more by the whole build,
    and shown in the browser until mended."""
    quotes, themes, discussion = project / "quotes", project / "themes", project / "content" / "discussion.md"

    def add_quotation() -> None:  # the theme saved first: for 50 ms it shows a quotation that is not there
        edit(themes / "never-learn-enough.md", "{{< quote naked >}}", "{{< quote naked >}}\n\n{{< quote first-step >}}")
        time.sleep(0.05)
        (quotes / "first-step.md").write_text("---\nid: first-step\ntheme: never-learn-enough\norder: 3\n---\n\n"
                                              "We took the first step together.\n", encoding="utf-8")

    served.after(add_quotation)
    assert b"We took the first step together." in served.get("themes/never-learn-enough/")[1]
    assert "ERROR" not in served.log.read_text(encoding="utf-8")
    assert_served_as_built(served, project, monkeypatch)

    served.after(lambda: edit(discussion, "Balint", "Balint ([see](nowhere.md))"))
    status, body = served.get("discussion/")
    assert status == 500 and b"contains a link &#39;nowhere.md&#39;" in body
    served.after(lambda: edit(discussion, "Balint ([see](nowhere.md))", "Balint"))
    assert served.get("discussion/")[0] == 200
    assert_served_as_built(served, project, monkeypatch)
    log = served.stop()
    assert log.count("Doc file 'discussion.md' contains a link 'nowhere.md'") == 1, log
    assert log.count("Aborted with 2 warnings in strict mode!") == 1, log


def test_a_failed_build_is_told_in_the_terminal_and_shown_while_saves_keep_coming(project: Path, served: Served) -> None:
    """The terminal says why a build failed (a warning MkDocs' own logger gave, which its filter of
    repeated messages must not drop when the preview logs it again, nor when the site is broken
    again the same way); a broken mkdocs.yml is a
    message, not a traceback; and an editor saving every half second while the site is broken
    does not keep the browser waiting: the error is shown while the saves go on."""
    config, method = project / "mkdocs.yml", project / "content" / "method.md"
    settings = config.read_text(encoding="utf-8")
    served.after(lambda: config.write_text(settings + "extra_templates: [missing-x.html]\n", encoding="utf-8"))
    assert served.get("")[0] == 500
    served.after(lambda: config.write_text(settings + "nav: [\n", encoding="utf-8"))
    assert served.get("")[0] == 500
    served.after(lambda: config.write_text(settings, encoding="utf-8"))
    assert served.get("")[0] == 200
    served.after(lambda: config.write_text(settings + "extra_templates: [missing-x.html]\n", encoding="utf-8"))
    assert served.get("")[0] == 500, "broken again as before, and judged as before"
    served.after(lambda: config.write_text(settings, encoding="utf-8"))

    saving = threading.Event()

    def save_every_half_second() -> None:
        while saving.is_set():
            method.touch()
            time.sleep(0.5)

    served.after(lambda: edit(project / "content" / "discussion.md", "Balint", "Balint ([see](nowhere.md))"))
    saving.set()
    saver = threading.Thread(target=save_every_half_second, daemon=True)
    saver.start()
    try:
        time.sleep(0.5)  # builds under way now, one after another: each fails, and a save follows it
        status, body = served.get("")
        assert status == 500 and b"nowhere.md" in body
        assert saver.is_alive(), "the page came only once the saves stopped"
    finally:
        saving.clear()
        saver.join(timeout=5)
    log = served.stop()
    assert "Template skipped: 'missing-x.html' not found" in log, log
    assert "Traceback" not in log, log


def test_a_quotation_feeds_the_pages_that_show_it(project: Path) -> None:
    """The plan says which pages a change feeds: a quotation's text, the pages showing it; a
    theme's label, the whole site (every page shows it in the navigation)."""
    folders = SourceFolders(project)
    options = SiteOptions(paths=SitePaths(stem=STEM), whole_study=("index.md#abstract", "results"))

    def planned() -> tuple[StudyRenderer, SitePlan]:
        study, bibliography = load_study(folders, complete_bibliography=False)
        renderer = StudyRenderer(study, ReferenceList(bibliography), options)
        return renderer, plan_site(renderer, options, {}, folders.bibliography)

    renderer, plan = planned()
    before = (renderer, plan.released())  # as a build leaves it: MkDocs' files hold the pages' Markdown
    assert not any(page.content for page in before[1].pages)
    with pytest.raises(ValueError, match="let go of the Markdown"):
        _ = before[1].pages[0].markdown
    edit(project / "quotes" / "naked.md", "Gentle encounters", "Gentle meetings")
    changes = site_changes(before, after := planned())
    assert changes.whole_site == ""
    assert changes.pages == {"themes/never-learn-enough.md", "projection/never-learn-enough.md", "quotations.md", "study.md",
                             "handouts/coming-home.md"}
    assert {uri for uri, _ in changes.files} >= {"data/study.json"}
    assert b"Gentle meetings" in dict(changes.files)["data/study.json"], "the file as it is now, to be written"
    edit(project / "themes" / "feeling-frustrated.md", "label: Feeling frustrated", "label: Feeling thwarted")
    assert site_changes(after, planned()).whole_site


def test_the_page_of_a_failed_build_shows_its_problems_as_text() -> None:
    page = error_page(["quotes/x.md:3:1: error: unknown theme '<script>alert(1)</script>'"])
    assert "quotes/x.md:3:1: error: unknown theme '&lt;script&gt;alert(1)&lt;/script&gt;'" in page.replace("&#39;", "'")
    assert "<script>" not in page

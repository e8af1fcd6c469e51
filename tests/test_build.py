"""Builds through MkDocs: bad sources stop the build cleanly; a bare site with only a .bib works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import bare_site, build_site, edit, line_of, soup, tiny_study


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True,
                          text=True, check=False, env=environment)


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_bad_sources_fail_the_build_with_every_message_and_no_traceback(tmp_path: Path) -> None:
    project = tiny_study(tmp_path)  # a study of every kind of source, built in a fraction of the real one's time
    build_site(project)  # as `mkdocs build --strict` builds it, in this process: the failing build below is the command's
    site_before = snapshot(project / "site")
    edit(project / "quotes" / "first-words.md", "theme: first-theme", "theme: first-them")
    edit(project / "content" / "index.md", "[see @kolb1984, p. 2]", "[see @kolb1948, p. 2]")
    sources_before = {path: data for path, data in snapshot(project).items() if "site" not in path.relative_to(project).parts}
    result = mkdocs_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    citing, theme = line_of(project / "content" / "index.md", "[see @kolb1948"), line_of(project / "quotes" / "first-words.md", "theme:")
    assert f"content/index.md:{citing}:1: error: unknown citation key 'kolb1948' (did you mean 'kolb1984'?)" in output
    assert f"quotes/first-words.md:{theme}:1: error: unknown theme 'first-them' (did you mean 'first-theme'?)" in output
    assert snapshot(project / "site") == site_before, "nothing half-written"
    assert {p: d for p, d in snapshot(project).items() if "site" not in p.relative_to(project).parts} == sources_before


def test_a_bare_mkdocs_site_with_only_a_bib_file(tmp_path: Path) -> None:
    bare_site(tmp_path, "@book{kvale1996, author = {Kvale, S.}, title = {InterViews}, publisher = {Sage}, year = {1996}}\n"
                        "@book{kolb1984, author = {Kolb, D. A.}, title = {Experiential learning}, publisher = {Prentice-Hall}, year = {1984}}\n",
              index="# Notes\n\nAs @kvale1996 says [see also @kolb1984, p. 2].\n")
    site = build_site(tmp_path)
    page = soup(site / "index.html")
    assert [" ".join(s.get_text().split()) for s in page.select("span.citation")] == ["Kvale (1996)", "(see also Kolb, 1984, p. 2)"]
    assert page.select_one("a.citation__link")["href"] == "references/#ref-kvale1996"
    references = soup(site / "references" / "index.html")
    assert references.select_one("#ref-kolb1984") is not None
    assert references.h1.get_text(strip=True) == "References"
    assert "manuscript" not in references.get_text(), "the study's own introduction is not every site's"


def test_a_site_introduces_its_references_page_in_its_own_words(tmp_path: Path) -> None:
    bare_site(tmp_path, "@book{kvale1996, author = {Kvale, S.}, title = {InterViews}, publisher = {Sage}, year = {1996}}\n"
                        "@book{later, title = {Known only by its citation}, confidence = {unknown}}\n",
              index="# Notes\n\nAs @kvale1996 says [@later].\n", references="# Works cited\n\nCollected by *our* reading group.\n")
    references = soup(build_site(tmp_path) / "references" / "index.html")
    assert references.h1.get_text(strip=True) == "Works cited"
    text = " ".join(references.get_text().split())
    assert "Collected by our reading group." in text
    assert "1 of the 2 works cited are known only from their in-text citation" in text
    assert [entry["id"] for entry in references.select(".reference")] == ["ref-later", "ref-kvale1996"]  # "Known…" before "Kvale"


def test_a_second_build_takes_the_bibliography_from_its_cache_without_loading_pybtex(tmp_path: Path) -> None:
    bare_site(tmp_path, "@book{kvale1996, author = {Kvale, S.}, title = {InterViews}, publisher = {Sage}, year = {1996}}\n"
                        "@book{lauvas1987, author = {Lauv{\\aa}s, P.}, title = {Handledning}, publisher = {Studentlitt.}, year = {1987}}\n"
                        "@book{uncited, author = {Nobody, N.}, title = {Never cited}, year = {2000}}\n",
              index="# Notes\n\nAs @kvale1996 says [see @lauvas1987, p. 2].\n")
    build = ("import sys; from mkdocs.config import load_config; from mkdocs.commands.build import build; "
             "build(load_config('mkdocs.yml')); print(sorted(name for name in sys.modules if name.startswith('pybtex'))[:1])")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def run() -> tuple[str, bytes]:
        result = subprocess.run([sys.executable, "-c", build], cwd=tmp_path, capture_output=True, text=True, check=False, env=environment)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip(), (tmp_path / "site" / "references" / "index.html").read_bytes()

    first, first_references = run()
    second, second_references = run()
    assert (first, second) == ("['pybtex']", "[]"), "the first build parses and formats; the second only reads its cache"
    assert second_references == first_references
    assert "Lauvås, P. (1987)" in second_references.decode("utf-8")
    edit(tmp_path / "refs.bib", "title = {InterViews}", "title = {InterViews: An introduction}")
    _, third_references = run()
    link = soup(tmp_path / "site" / "index.html").select_one("a.citation__link")
    assert link["title"].startswith("Kvale, S. (1996). InterViews: An introduction."), "nothing stale is kept"
    assert "InterViews: An introduction" in third_references.decode("utf-8")  # a word with a capital inside keeps its capitals


def test_serve_watches_every_source_folder(project: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["study"]
    plugin.on_config(config)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=config, builder=None)
    assert {Path(path).relative_to(project).as_posix() for path in server.watched} >= {"content", "themes", "quotes", "bibliography.bib"}


def test_a_build_keeps_each_generated_page_once(tmp_path: Path) -> None:
    """Once MkDocs' files hold the generated pages' Markdown, the plan lets go of it (the live
    preview compares pages by fingerprint), and each page's file shares the page's own Markdown:
    a page quoting a long interview is not kept two or three times through the build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin

    project = tiny_study(tmp_path)
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    shared: dict[str, bool] = {}

    class Witness(BasePlugin):  # type: ignore[type-arg]
        def on_post_page(self, output: str, *, page: object, config: object) -> str:
            shared[page.file.src_uri] = page.file.content_string is page.markdown  # type: ignore[attr-defined]
            return output

    config.plugins["witness"] = Witness()
    build(config)
    plan = config.plugins["study"].plan
    assert plan.pages and not any(page.content for page in plan.pages)
    assert all(shared[page.uri] for page in plan.pages), shared



def test_a_long_generated_page_lets_go_of_its_markdown_once_rendered(tmp_path: Path) -> None:
    """MkDocs renders every page before it writes any: a page quoting a long interview drops its
    Markdown once rendered, so that the whole study, rendered later, does not find every such
    page's Markdown still in memory. What is written is what a build keeping it writes."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin

    from build_tools.adapters import mkdocs_pages

    project = tiny_study(tmp_path / "study")
    long_words = "\n\n".join(["These are the informant's words, said at length and written down."] * 20_000)
    edit(project / "quotes" / "first-words.md", "\n---\n", f"\n---\n\n{long_words}\n")
    markdown_after_rendering: dict[str, object] = {}

    class Witness(BasePlugin):  # type: ignore[type-arg]
        def on_post_page(self, output: str, *, page: object, config: object) -> str:
            markdown_after_rendering[page.file.src_uri] = page.markdown  # type: ignore[attr-defined]
            return output

    def built(site: str) -> dict[str, bytes]:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / site))
        config.plugins["witness"] = Witness()
        build(config)
        return {str(path.relative_to(tmp_path / site)): path.read_bytes() for path in sorted((tmp_path / site).rglob("*.html"))}

    released = built("released")
    long_pages = {uri for uri, markdown in markdown_after_rendering.items() if markdown is None}
    assert {"themes/first-theme.md", "quotations.md", "study.md"} <= long_pages
    assert all(markdown is not None and len(markdown) < mkdocs_pages.LONG_PAGE for uri, markdown in markdown_after_rendering.items()
               if uri not in long_pages)
    original = mkdocs_pages.LONG_PAGE
    try:
        mkdocs_pages.LONG_PAGE = 10**12
        kept = built("kept")
    finally:
        mkdocs_pages.LONG_PAGE = original
    assert not any(markdown is None for markdown in markdown_after_rendering.values())
    assert released == kept

"""Builds that can be trusted: reproducible to the byte, no broken link or anchor, sources untouched."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from helpers import BUILD_DATE, EDIT_URL, ROOT, PageReader, build_site, copy_study

SOURCES = ("mkdocs.yml", "content", "themes", "quotes", "bibliography.bib")


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def sources_of(project: Path) -> dict[str, object]:
    return {name: files_of(project / name) if (project / name).is_dir() else (project / name).read_bytes() for name in SOURCES}


def test_two_clean_builds_are_identical_byte_for_byte(built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The session's build of a fresh copy of the study and a second one made now: the same bytes,
    whatever this process has built in between."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)  # the session's build date: 2000-01-01, the year of publication
    monkeypatch.setenv("EDIT_URL", EDIT_URL)  # and its edit address
    one, two = files_of(built_site), files_of(build_site(copy_study(tmp_path / "study")))
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    assert b"<lastmod>2000-01-01</lastmod>" in one["sitemap.xml"]


def test_the_offline_edition_made_after_the_sites_build_is_the_one_made_alone(built_site: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The build hands the edition's build what it read and compiled (FirstBuild); the command that
    makes the edition alone reads and compiles all again: the same zip, byte for byte."""
    from build_tools.adapters.offline import build_offline_edition

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    monkeypatch.setenv("EDIT_URL", EDIT_URL)
    (made_with_the_site,) = built_site.rglob("*-offline.zip")
    alone = build_offline_edition(copy_study(tmp_path / "study") / "mkdocs.yml", tmp_path / "alone.zip")
    assert alone.read_bytes() == made_with_the_site.read_bytes()


def test_a_build_never_writes_a_source_file(built_site: Path) -> None:
    """The session's build is of a copy of the repository's sources: after it, the copy still is one."""
    assert sources_of(built_site.parent) == sources_of(ROOT)


def test_no_internal_link_or_anchor_is_broken(built_site: Path, built_page: PageReader) -> None:
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            html = built_page(page)
            ids[page] = {element["id"] for element in html.select("[id]")} | {a["name"] for a in html.select("a[name]")}
        return ids[page]

    broken = []
    checked = 0
    for page in sorted(built_site.rglob("*.html")):
        base = "/" + page.relative_to(built_site).as_posix()
        for element in built_page(page).select("a[href], link[href], script[src], img[src]"):
            url = element.get("href") or element.get("src")
            target = urlparse(urljoin(base, url))
            if target.scheme in ("http", "https", "mailto", "data") or target.netloc:
                continue
            path = built_site / unquote(target.path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            checked += 1
            if not path.exists() or (target.fragment and path.suffix == ".html" and unquote(target.fragment) not in anchors(path)):
                broken.append((page.relative_to(built_site).as_posix(), url))
    assert broken == []
    assert checked > 1000

"""Builds that can be trusted: reproducible to the byte, no broken link or anchor, sources untouched."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from helpers import build_site, copy_study, soup

SOURCES = ("mkdocs.yml", "content", "themes", "quotes", "bibliography.bib")


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def sources_of(project: Path) -> dict[str, object]:
    return {name: files_of(project / name) if (project / name).is_dir() else (project / name).read_bytes() for name in SOURCES}


@pytest.fixture(scope="module")
def clean_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, object]]:
    """Two copies of the study, each built from scratch on one build date; and the first one's
    sources as they were before its build."""
    folder = tmp_path_factory.mktemp("clean")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # the year of publication, 2000-01-01
        project = copy_study(folder / "one")
        before = sources_of(project)
        first = build_site(project)
        second = build_site(copy_study(folder / "two"))
    return first, second, before


def test_two_clean_builds_are_identical_byte_for_byte(clean_builds: tuple[Path, Path, dict[str, object]]) -> None:
    first, second, _ = clean_builds
    one, two = files_of(first), files_of(second)
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    assert b"<lastmod>2000-01-01</lastmod>" in one["sitemap.xml"]


def test_a_build_never_writes_a_source_file(clean_builds: tuple[Path, Path, dict[str, object]]) -> None:
    site, _, before = clean_builds
    assert sources_of(site.parent) == before


def test_no_internal_link_or_anchor_is_broken(built_site: Path) -> None:
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            html = soup(page)
            ids[page] = {element["id"] for element in html.select("[id]")} | {a["name"] for a in html.select("a[name]")}
        return ids[page]

    broken = []
    checked = 0
    for page in sorted(built_site.rglob("*.html")):
        base = "/" + page.relative_to(built_site).as_posix()
        for element in soup(page).select("a[href], link[href], script[src], img[src]"):
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

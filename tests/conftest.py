"""Shared helpers: copy the real study into a temporary project, build it with MkDocs' own API."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("mkdocs.yml", "content", "themes", "quotes", "bibliography.bib")
MANUSCRIPT = ROOT.parent / "shared" / "study" / "source.txt"

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


def bare_site(folder: Path, bibliography: str, **pages: str) -> Path:
    """A plain MkDocs site (no themes, no quotations) whose plugin names only ``refs.bib``;
    ``pages`` maps page names (``index`` for index.md) to their Markdown."""
    (folder / "docs").mkdir()
    for name, markdown in pages.items():
        (folder / "docs" / f"{name}.md").write_text(markdown, encoding="utf-8")
    (folder / "refs.bib").write_text(bibliography, encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: Notes\nplugins:\n  - study:\n      bibliography: refs.bib\n", encoding="utf-8")
    return folder


def build_site(project: Path) -> Path:
    """Build ``project`` in strict mode, as ``mkdocs build --strict`` does; return the site folder."""
    site = project / "site"
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=True, site_dir=str(site))
    build(config)
    return site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_study(tmp_path / "study")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real study, built once for all the end-to-end tests."""
    return build_site(copy_study(tmp_path_factory.mktemp("site") / "study"))

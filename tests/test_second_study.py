"""A second study, of another shape, builds strict with no code change: the package is welded to
no study (tests/fixtures/second-study: three stages of one, three and two themes, no teaching
notes, no article, a results section called "Findings")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT, build_site, edit, soup

from build_tools.adapters.mkdocs_config import site_configuration
from build_tools.sources.loader import read_study

FIXTURE = ROOT / "tests" / "fixtures" / "second-study"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(Path(shutil.copytree(FIXTURE, tmp_path_factory.mktemp("second") / "study")))


def test_its_journey_fills_its_own_results_section(site: Path) -> None:
    nav = soup(site / "index.html").select_one("nav.md-nav--primary")
    assert nav is not None
    labels = [label.get_text(" ", strip=True) for label in nav.select("label.md-nav__link")]
    assert "Findings" in labels and "Results" not in labels
    assert [label for label in labels if label[:2] in {"I.", "II", "II."} or label.startswith(("I. ", "II. ", "III. "))] == [
        "I. Clocking in", "II. The long middle", "III. Handing over"]


def test_the_map_caption_tells_this_journey(site: Path) -> None:
    caption = soup(site / "index.html").select_one("figcaption#journey-caption")
    assert caption is not None and "six themes in three stages" in caption.get_text()
    assert "each made up of" not in caption.get_text(), "the stages differ in size"


def test_its_pages_carry_no_words_of_the_other_study(site: Path) -> None:
    for page in site.rglob("*"):
        if page.is_file() and page.suffix in {".html", ".json", ".csv", ".qdc", ".bib"}:
            text = page.read_text(encoding="utf-8")
            for word in ("Balint", "Abrandt", "physiotherap", "balint-journey", "pri.188", "three informants"):
                assert word not in text, (page.relative_to(site), word)


def test_it_offers_what_it_has_and_nothing_else(site: Path) -> None:
    downloads = soup(site / "downloads" / "index.html")
    assert downloads.find(string=lambda text: "teaching guide" in text.lower()) is None
    assert not (site / "handouts").exists() and not (site / "cite").joinpath("article.bib").exists()
    assert (site / "data" / "night-shift-nurses-and-handover-a-fictional-test-study-codebook.qdc").exists()


def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "study"))


def test_stage_files_follow_the_docs_folder_wherever_it_is(tmp_path: Path) -> None:
    project = copy(tmp_path)
    (project / "content").rename(project / "docs")
    edit(project / "mkdocs.yml", "docs_dir: content", "docs_dir: docs")
    site = build_site(project)
    assert (site / "stages" / "clocking-in" / "index.html").exists()
    assert not (site / "docs").exists() and not (site / "stages" / "clocking-in.md").exists()


def test_a_nav_without_the_results_section_is_an_error_at_the_nav(tmp_path: Path) -> None:
    project = copy(tmp_path)
    edit(project / "mkdocs.yml", "  - Findings: []\n", "")
    folders, settings = site_configuration(project / "mkdocs.yml")
    nav_line = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("nav:") + 1
    assert [str(problem) for problem in read_study(folders, settings=settings).errors] == [
        f"mkdocs.yml:{nav_line}:1: error: the nav has no section 'Findings' for the journey's stages and themes: add "
        "'- Findings: []' to the nav, or name its section in the study plugin's results_section option"]


def test_the_results_section_may_stand_inside_another_section(tmp_path: Path) -> None:
    project = copy(tmp_path)
    edit(project / "mkdocs.yml", "  - Findings: []\n", "  - The study:\n      - Findings: []\n")
    nav = soup(build_site(project) / "index.html").select_one("nav.md-nav--primary")
    assert nav is not None and "II. The long middle" in nav.get_text(" ", strip=True)

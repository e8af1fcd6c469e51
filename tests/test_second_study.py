"""A second study, of another shape, builds strict with no code change: the package is welded to
no study (tests/fixtures/second-study: three stages of one, three and two themes, no teaching
notes, no article, a results section called "Findings")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT, build_site, soup

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

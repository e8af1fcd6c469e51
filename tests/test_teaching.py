"""Teaching material and reporting: ours, labelled as ours, and kept apart from the findings."""

from __future__ import annotations

from pathlib import Path

from helpers import edit, line_of, soup, words

from build_tools.model import Study
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import read_study


def test_every_stage_and_theme_has_teaching_notes_shown_apart(built_site: Path, real_study: Study) -> None:
    assert {note.about for note in real_study.teaching} == {s.id for s in real_study.stages} | {t.id for t in real_study.themes}
    for theme in real_study.themes:
        aside = soup(built_site / "themes" / theme.id / "index.html").select_one("aside.teaching")
        assert aside is not None and aside["aria-label"] == "Teaching material, not part of the study"
        assert aside.select_one(".teaching__label").get_text() == "Teaching material, not part of the study"
        assert aside.find_parent("section", class_="interpretation") is None
    stage = soup(built_site / "stages" / "coming-home" / "index.html").select_one("aside.teaching")
    links = [a["href"] for a in stage.select("a[href*='#quote-']")]
    assert "../../themes/seeing-what-is-me/#quote-role-play" in links


def test_teaching_notes_are_absent_from_the_whole_study(built_site: Path) -> None:
    page = soup(built_site / "study" / "index.html")
    assert page.select("aside.teaching") == []
    assert "Teaching material" not in page.select_one("article").get_text()


def test_teaching_notes_are_validated(project: Path) -> None:
    edit(project / "content" / "teaching" / "feeling-frustrated.md", "about: feeling-frustrated", "about: feeling-frustraded")
    edit(project / "content" / "teaching" / "coming-home.md", "quotations: [role-play]", "quotations: [role-playing]")
    errors = [str(problem) for problem in read_study(SourceFolders(project)).errors]
    teaching = project / "content" / "teaching"
    questions, about = line_of(teaching / "coming-home.md", "questions:"), line_of(teaching / "feeling-frustrated.md", "about:")
    assert errors == [
        f"content/teaching/coming-home.md:{questions}:1: error: unknown quotation 'role-playing' (did you mean 'role-play'?)",
        f"content/teaching/feeling-frustrated.md:{about}:1: error: unknown stage or theme 'feeling-frustraded' (did you mean 'feeling-frustrated'?)",
    ]


def test_the_teaching_guide_covers_what_teachers_need(built_site: Path) -> None:
    page = soup(built_site / "teaching-guide" / "index.html")
    headings = [words(h.get_text()).rstrip("¶") for h in page.select("article h2")]
    assert headings == ["What a Balint group is, and is not", "The limits of this material", "Ground rules for every session",
                        "A 90-minute session", "A course of four sessions, following the journey"]
    text = words(page.select_one("article").get_text())
    assert "Teaching material, not part of the study" in text
    for rule in ("Confidentiality.", "No advice.", "Protect the presenter."):
        assert rule in text
    assert "needs a trained leader" in text


def test_the_reporting_page_maps_all_32_coreq_items(built_site: Path) -> None:
    page = soup(built_site / "reporting" / "index.html")
    numbers = [int(row.select("td")[0].get_text()) for row in page.select("article table tbody tr")]
    assert numbers == list(range(1, 33))
    not_reported = sum("Not reported in the manuscript" in row.get_text() or "not reported in the manuscript" in row.get_text()
                       for row in page.select("article table tbody tr"))
    assert not_reported >= 15
    assert "Editorial material, not part of the study" in page.get_text()
    assert page.select_one('a[href="https://doi.org/10.1093/intqhc/mzm042"]') is not None

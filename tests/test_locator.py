"""The "You are here" locator on stage and theme pages (issue 13): one named line that says where the
page stands ("Theme 6 of 8 · Stage III, Getting accustomed"), with its neighbours named as links a
finger can take. It used to be a grid of numbers whose names showed only on hover, which no phone has.

The first tests read the built HTML of the real study and of the second one (a stage of one theme;
one of its labels made long here); the last ones measure the locator in Debian's Chromium at a
phone's, a tablet's and a laptop's width, and run axe on it in light and dark.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from helpers import ROOT, build_site, edit, served, soup, words

from build_tools.model import Stage, Study, Theme
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import load_study

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SECOND_STUDY = ROOT / "tests" / "fixtures" / "second-study"
LONG_LABEL = "Small rituals: a kettle, a window and a walk along the corridor, kept night after night at every change of shift"
ONE_LINE = 48  # px: one line of the locator, its links 24 px at least, and its rules
TWO_ROWS = 64  # px: on a phone, the neighbours' row below the line


def locator(page: Path) -> Tag:
    nav = soup(page).select_one("nav.journey-here")
    assert nav is not None, f"{page}: no locator"
    return nav


def exposed_text(element: Tag) -> str:
    """What a screen reader is given of ``element``: its text without what is aria-hidden."""
    copy = BeautifulSoup(str(element), "html.parser")
    for node in copy.select('[aria-hidden="true"]'):
        node.decompose()
    return words(copy.get_text())


def seen_text(element: Tag) -> str:
    """What the eye is given of ``element``: its text without what is there for screen readers alone."""
    copy = BeautifulSoup(str(element), "html.parser")
    for node in copy.select(".journey-here__hidden"):
        node.decompose()
    return words(copy.get_text(" "))


def stage_name(stage: Stage) -> str:
    return f"{stage.numeral}. {stage.title}"


def expected(study: Study, page: Theme | Stage) -> tuple[str, str, str | None, str | None]:
    """The locator's line, as seen, and its previous and next links' names, as read, for ``page``."""
    if isinstance(page, Theme):
        stage = study.stage(page.stage_id)
        before, after = study.neighbours(page)
        return (f"Theme {study.number(page)} of {len(study.themes)} · Stage {stage.numeral}, {stage.title}",
                "theme", before and before.label, after and after.label)
    here = study.stages.index(page)
    return (f"Stage {page.numeral} of {len(study.stages)} · {page.title}", "stage",
            stage_name(study.stages[here - 1]) if here > 0 else None,
            stage_name(study.stages[here + 1]) if here + 1 < len(study.stages) else None)


def check_locator(site: Path, study: Study, page: Theme | Stage) -> None:
    folder = "themes" if isinstance(page, Theme) else "stages"
    nav = locator(site / folder / page.id / "index.html")
    line, kind, before, after = expected(study, page)
    assert nav.get("aria-label") and nav.has_attr("data-search-exclude"), "a named landmark that search leaves out"
    you = nav.select_one(".journey-here__you")
    assert you is not None and seen_text(you) == line
    assert [words(current.get_text()) for current in nav.select('[aria-current="page"]')] == [line.split(" · ")[0]]
    links = {link["rel"][0]: link for link in nav.select("a")}
    assert set(links) == {rel for rel, name in (("prev", before), ("next", after)) if name}, "no step past either end"
    for rel, name, word in (("prev", before, "Previous"), ("next", after, "Next")):
        if name:
            link = links[rel]
            assert exposed_text(link) == f"{word} {kind}: {name}", "the neighbour's whole name is the link's name"
            assert seen_text(link.select_one(".journey-here__name")) == link["title"] == name


def test_every_theme_and_stage_page_says_where_it_stands_in_words(built_site: Path, real_study: Study) -> None:
    for page in (*real_study.themes, *real_study.stages):
        check_locator(built_site, real_study, page)
    nav = locator(built_site / "themes" / "feeling-more-honest" / "index.html")
    assert seen_text(nav) == "Theme 6 of 8 · Stage III, Getting accustomed ← Daring to ask that question Seeing what is me and what is the patient →"
    nav = locator(built_site / "stages" / "meeting-other-perspectives" / "index.html")
    assert exposed_text(nav) == ("Stage II of 4, Meeting other perspectives Previous stage: I. Starting out "
                                 "Next stage: III. Getting accustomed")


def test_the_locator_is_not_searched(built_site: Path) -> None:
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Theme 6 of 8" in (built_site / "themes" / "feeling-more-honest" / "index.html").read_text(encoding="utf-8")
    assert [text for text in ("Theme 6 of 8", "Previous theme", "Next stage") if text in index] == []


@pytest.fixture(scope="module")
def second_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Study]:
    """The second study (stages of one, three and two themes), one of its labels made long."""
    project = Path(shutil.copytree(SECOND_STUDY, tmp_path_factory.mktemp("locator") / "study"))
    edit(project / "themes" / "small-rituals.md", "label: Small rituals", f'label: "{LONG_LABEL}"')
    study, _ = load_study(SourceFolders(project))
    return build_site(project), study


def test_any_study_gets_its_own_locator(second_site: tuple[Path, Study]) -> None:
    site, study = second_site
    for page in (*study.themes, *study.stages):
        check_locator(site, study, page)
    lonely = next(stage for stage in study.stages if len(study.themes_of(stage)) == 1)
    theme = study.themes_of(lonely)[0]
    assert seen_text(locator(site / "themes" / theme.id / "index.html").select_one(".journey-here__you")) == (
        f"Theme {study.number(theme)} of 6 · Stage {lonely.numeral}, {lonely.title}")


# In the browser.


@pytest.fixture(scope="module")
def second_url(second_site: tuple[Path, Study]) -> Iterator[str]:
    with served(second_site[0]) as url:
        yield url


# The locator as laid out: its box, whether its line is cut short, where its "Stage N" ends, and each link.
MEASURE = """() => {
  const nav = document.querySelector('nav.journey-here'), you = nav.querySelector('.journey-here__you');
  const box = nav.getBoundingClientRect(), line = you.getBoundingClientRect();
  const text = [...you.childNodes].find(node => node.nodeType === Node.TEXT_NODE && node.data.includes('Stage'))
            || you.querySelector('[aria-current]').firstChild;
  const range = document.createRange();
  const start = text.data.indexOf('Stage'), end = text.data.indexOf(',', start);
  range.setStart(text, start); range.setEnd(text, end < 0 ? text.data.indexOf(' of ', start) : end);
  return {height: box.height, left: box.left, right: box.right, viewport: document.documentElement.clientWidth,
          lineCut: you.scrollWidth > you.clientWidth, lineRight: line.right, stageRight: range.getBoundingClientRect().right,
          current: you.querySelector('[aria-current="page"]').getBoundingClientRect().right,
          links: [...nav.querySelectorAll('a')].map(a => {
            const r = a.getBoundingClientRect(), name = a.querySelector('.journey-here__name');
            return {width: r.width, height: r.height, top: r.top, nameWidth: name.clientWidth,
                    cut: name.scrollWidth > name.clientWidth, whole: name.textContent};
          }),
          lineTop: line.top};
}"""


def measure(browser: Any, url: str, paths: list[str], width: int) -> dict[str, dict[str, Any]]:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    measured = {}
    for path in paths:
        page.goto(url + path)
        measured[path] = page.evaluate(MEASURE)
    context.close()
    return measured


def locator_paths(study: Study) -> list[str]:
    return [f"themes/{theme.id}/" for theme in study.themes] + [f"stages/{stage.id}/" for stage in study.stages]


@pytest.mark.parametrize("width", [360, 768, 1366])
def test_the_locator_names_the_theme_in_one_line(browser: Any, site_url: str, real_study: Study, width: int) -> None:
    """One line at a tablet's and a laptop's width, the neighbours beside it; on a phone they take a
    second row, as the line alone fills the width. The line's "Theme N of M · Stage N" is never cut."""
    problems = []
    for path, m in measure(browser, site_url, locator_paths(real_study), width).items():
        limit = TWO_ROWS if width == 360 else ONE_LINE
        if m["height"] > limit:
            problems.append((path, "height", m["height"]))
        if m["left"] < 0 or m["right"] > m["viewport"]:
            problems.append((path, "outside the page", m["left"], m["right"]))
        if max(m["current"], m["stageRight"]) > m["lineRight"] + 0.5:
            problems.append((path, "where the page stands is cut short", m["stageRight"], m["lineRight"]))
        if width > 360 and m["lineCut"]:
            problems.append((path, "the line is cut short", width))
        for link in m["links"]:
            if link["width"] < 24 or link["height"] < 24:
                problems.append((path, "a small target", link["whole"], link["width"], link["height"]))
            if link["nameWidth"] < min(80, link["width"] - 30):
                problems.append((path, "a neighbour's name hardly shown", link["whole"], link["nameWidth"]))
            if width > 360 and abs(link["top"] - m["links"][0]["top"]) > 1:
                problems.append((path, "the neighbours are not on one line", width))
    assert problems == []


def test_a_long_name_is_cut_short_not_wrapped(browser: Any, second_url: str, second_site: tuple[Path, Study]) -> None:
    _, study = second_site
    theme = next(theme for theme in study.themes if theme.label == LONG_LABEL)
    neighbours = [f"themes/{neighbour.id}/" for neighbour in study.neighbours(theme) if neighbour]
    assert len(neighbours) == 2
    for width in (360, 1366):
        for path, m in measure(browser, second_url, neighbours, width).items():
            long = [link for link in m["links"] if link["whole"] == LONG_LABEL]
            assert len(long) == 1 and long[0]["cut"], (path, width, "the long name ends in '…'")
            assert long[0]["height"] < 40 and m["height"] <= (TWO_ROWS if width == 360 else ONE_LINE), (path, width, m["height"])
            assert m["right"] <= m["viewport"]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run tests/setup-browser")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["themes/tuning-your-instrument/", "stages/getting-accustomed/"])
def test_axe_finds_no_wcag_22_aa_violation_in_the_locator(browser: Any, site_url: str, path: str, scheme: str) -> None:
    found = {}
    for width in (360, 1366):
        context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(site_url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("(tags) => axe.run({include: [['nav.journey-here']]}, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
        context.close()
        found[width] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert {rule["id"] for rule in result["passes"]} >= {"color-contrast", "target-size", "link-name"}
    assert found == {360: [], 1366: []}, json.dumps(found, indent=1)

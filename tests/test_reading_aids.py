"""What a screen reader, a finger and a keyboard meet: named sections and quotations, decorative
glyphs kept quiet, the journey's themes listed once, targets of 24 x 24 px, and no edit button that
opens a placeholder repository.

The first tests read the shared build's HTML as assistive technology is given it (what is under
``aria-hidden="true"`` is not given); the last ones measure the pages in Debian's Chromium.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from helpers import ROOT, PageReader, build_site, copy_study, resolve, words
from mkdocs.config import load_config

from build_tools.model import Study

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
PENCIL = "✎"


def hidden_from_assistive_technology(element: Tag) -> bool:
    return any(node.get("aria-hidden") == "true" or node.has_attr("hidden") for node in (element, *element.parents)
               if isinstance(node, Tag))


def exposed_text(element: Tag) -> str:
    """The text a screen reader is given for ``element``: without what is aria-hidden or hidden, and
    without Material's "¶" permalinks."""
    copy = BeautifulSoup(str(element), "html.parser")
    for node in copy.select('[aria-hidden="true"], [hidden], a.headerlink'):
        node.decompose()
    return words(copy.get_text(" "))


def accessible_name(page: BeautifulSoup, element: Tag) -> str:
    if element.get("aria-labelledby"):
        return " ".join(exposed_text(page.find(id=name)) for name in element["aria-labelledby"].split())
    return words(element.get("aria-label", ""))


def pages_with_themes(built_site: Path, study: Study) -> list[tuple[Path, int]]:
    """Each page that shows a theme's text, with the level its interpretations' headings must have."""
    return [(built_site / "themes" / theme.id / "index.html", 2) for theme in study.themes] + [(built_site / "study" / "index.html", 5)]


def test_each_interpretation_is_a_section_named_by_its_heading(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    seen: Counter[bool] = Counter()  # by whether the page is the whole study
    for path, level in pages_with_themes(built_site, real_study):
        page = built_page(path)
        for section in page.select("section.interpretation"):
            seen[level == 5] += 1
            heading = page.find(id=section.get("aria-labelledby"))
            assert heading is not None and heading.name == f"h{level}", f"{path}: {section.get('id')} is named by its heading"
            assert heading.parent is section
            assert accessible_name(page, section) == "The researchers’ interpretation"
            previous = heading.find_previous(re.compile(r"h[1-6]$"))
            assert int(previous.name[1]) == level - 1, f"{path}: the heading comes one level below the theme's title"
            assert heading.find(string=re.compile(PENCIL)) is not None, "the pencil is still seen"
            assert PENCIL not in exposed_text(section), f"{path}: the pencil is decoration, not read aloud"
        contents = page.select_one("nav.md-nav--secondary")
        assert contents is None or PENCIL not in contents.get_text(), f"{path}: no pencil in the table of contents"
    assert seen[False] == seen[True] >= sum(1 for theme in real_study.themes if theme.has_interpretation) > 0


def test_each_quotation_is_named_by_its_number(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    total = len(real_study.quotations)
    numbers: Counter[int] = Counter()
    for path, _ in pages_with_themes(built_site, real_study):
        page = built_page(path)
        for figure in page.select("figure.quotation"):
            name = accessible_name(page, figure)
            match = re.fullmatch(rf"Quotation (\d+) of {total}", name)
            assert match, f"{path}: {figure['id']} is named {name!r}"
            if path.parent.name != "study":
                numbers[int(match.group(1))] += 1
    assert numbers == Counter(range(1, total + 1)), "every quotation, each by its own number"


def test_the_map_gives_assistive_technology_each_theme_once(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    home_path = built_site / "index.html"
    journey = built_page(home_path).select_one("figure.journey")
    exposed = [a for a in journey.select("a[href]") if not hidden_from_assistive_technology(a)]
    targets = Counter(resolve(built_site, home_path, a["href"])[0] for a in exposed)
    for theme in real_study.themes:
        assert targets[built_site / "themes" / theme.id / "index.html"] == 1, theme.id
    for svg in journey.select("svg"):
        assert svg.get("aria-hidden") == "true"
        for link in svg.select("a"):  # for the pointer: nothing aria-hidden may take the keyboard's focus
            assert link.get("tabindex") == "-1"
    theme_words = [words(a.get_text()) for a in exposed if "themes/" in a["href"]]
    assert theme_words == [f"“{theme.label}”" for theme in real_study.themes], "the list, in the journey's order"


def test_no_edit_button_without_an_edit_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDIT_URL", raising=False)
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    assert config.edit_uri is None and config.repo_url is None, "mkdocs.yml names no placeholder repository"
    site = build_site(copy_study(tmp_path / "study"))
    with_button = [path.relative_to(site).as_posix() for path in site.rglob("*.html")
                   if BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("a[rel=edit]")]
    assert with_button == []
    assert "example/balint-journey" not in "".join(path.read_text(encoding="utf-8") for path in site.rglob("*.html"))


# In the browser.


BACK_LINKS = '.references a[href^="#cite-"]'
TARGETS = """(selector) => [...document.querySelectorAll(selector)].map(a => {
  const box = a.getBoundingClientRect();
  return {text: a.getAttribute('aria-label') || a.textContent.trim(), width: box.width, height: box.height,
          lines: [...a.getClientRects()].map(r => r.height)};
})"""


@pytest.mark.parametrize("width", [360, 1366])
def test_cited_in_and_back_links_are_targets_of_24_px(browser: Any, built_site: Path, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    small: list[tuple[str, str, float, float]] = []
    measured = 0
    citing = sorted(path.relative_to(built_site).parent.as_posix() + "/" for path in built_site.rglob("index.html")
                    if 'href="#cite-' in path.read_text(encoding="utf-8"))
    pages = ["references/", *citing]
    for path in pages:
        page.goto(site_url + path)
        for target in page.evaluate(TARGETS, ".reference__cited-in a" if path == "references/" else BACK_LINKS):
            measured += 1
            if target["width"] < 24 or target["height"] < 24 or min(target["lines"]) < 24:
                small.append((path, target["text"], target["width"], target["height"]))
    context.close()
    assert measured > 40
    assert small == []


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run tests/setup-browser")
@pytest.mark.parametrize("path", ["references/", "themes/tuning-your-instrument/", "method/", ""])
def test_axe_finds_every_target_large_enough(browser: Any, site_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(site_url + path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['target-size', 'aria-hidden-focus', "
                           "'nested-interactive', 'heading-order']}})")
    context.close()
    assert [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]] == []
    assert {rule["id"] for rule in result["passes"]} >= {"target-size"}

"""Back-links (↩) from reference lists to the citations, and the standalone extension's own list.

A page that cites works ends with "References cited on this page": each entry has an id of its own
and one back-link per citation of the work on that page, named for screen readers. The
references page keeps its "Cited in" links across pages. Used alone, the Markdown extension warns
(through ``logging``) of keys the bibliography lacks and can append the list itself.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from helpers import build_site, edit, soup, tiny_study

from build_tools.adapters.markdown_citations import CitationExtension

PER_PAGE = "references-cited-on-this-page"
EXTENSION_LOGGER = "build_tools.adapters.markdown_citations"
BIB = """\
@book{kvale1996, author = {Kvale, Steinar}, title = {InterViews}, publisher = {Sage}, year = {1996}}

@book{kolb1984, author = {Kolb, David A.}, title = {Experiential Learning}, publisher = {Prentice-Hall}, year = {1984}}

@book{uncited, author = {Nobody, N.}, title = {Never Cited}, year = {2000}}
"""


def page_list(page: BeautifulSoup) -> BeautifulSoup | None:
    """The page's own reference list: the list that follows its "References cited on this page"."""
    heading = page.find(id=PER_PAGE)
    return heading.find_next_sibling("div", class_="references") if heading else None


def back_links(entry: BeautifulSoup) -> list[BeautifulSoup]:
    return [link for link in entry.find_all("a") if link.get("href", "").startswith("#cite-")]


def citation_ids(page: BeautifulSoup) -> list[str]:
    return [link["id"] for link in page.select("article a.citation__link[id]")]


def assert_back_links_match_the_citations(page: BeautifulSoup, name: str) -> int:
    """Every citation of the page has exactly one back-link from the page's list, in document order
    for each work; the ids of entries and citations are unique on the page; every back-link is
    named. The number of back-links."""
    listed = page_list(page)
    citations = citation_ids(page)
    if listed is None:
        assert not citations, f"{name}: citations but no list of its own"
        return 0
    ids = Counter(element["id"] for element in page.find_all(id=True))
    entries = [entry.get("id", "") for entry in listed.select("p.reference")]
    assert [i for i in entries + citations if ids[i] != 1] == [], f"{name}: ids of entries and citations not unique on the page"
    found = []
    for entry in listed.select("p.reference"):
        assert entry.get("id", "").startswith("ref-here-"), f"{name}: an entry without its id: {entry}"
        key = entry["id"].removeprefix("ref-here-")
        links = back_links(entry)
        assert [link["href"] for link in links] == [f"#cite-{key}-{n}" for n in range(1, len(links) + 1)], name
        assert links, f"{name}: {key} has no back-link"
        for number, link in enumerate(links, 1):
            label = link.get("aria-label", "")
            assert label.startswith("Back to "), f"{name}: a back-link without an accessible name: {link}"
            assert label.endswith(")") and (f"citation {number} of " in label if len(links) > 1 else "the citation of " in label)
            assert "↩" in link.get_text()
        found += [link["href"][1:] for link in links]
    assert sorted(found) == sorted(citations), f"{name}: back-links and citations differ"
    return len(found)


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny study, its notes citing Kvale twice and Kolb once."""
    project = tiny_study(tmp_path_factory.mktemp("tiny"))
    edit(project / "content" / "notes.md", "A page of notes", "A page of notes [@kvale1996] on @kvale1996 and [see @kolb1984]")
    return build_site(project)


def test_each_entry_of_a_pages_list_links_back_to_each_citation_on_the_page(tiny_site: Path) -> None:
    notes = soup(tiny_site / "notes" / "index.html")
    assert assert_back_links_match_the_citations(notes, "notes") == 3
    entries = {entry["id"]: entry for entry in page_list(notes).select("p.reference")}
    assert list(entries) == ["ref-here-kolb1984", "ref-here-kvale1996"]  # APA order
    kvale = back_links(entries["ref-here-kvale1996"])
    assert [link["aria-label"] for link in kvale] == ["Back to citation 1 of Kvale (1996)", "Back to citation 2 of Kvale (1996)"]
    assert [link.get_text() for link in kvale] == ["↩\ufe0e1", "↩\ufe0e2"]
    kolb = back_links(entries["ref-here-kolb1984"])
    assert [(link["href"], link["aria-label"], link.get_text()) for link in kolb] == [
        ("#cite-kolb1984-1", "Back to the citation of Kolb (1984)", "↩\ufe0e")]


def test_every_page_of_the_tiny_site_has_its_back_links(tiny_site: Path) -> None:
    total = sum(assert_back_links_match_the_citations(soup(path), str(path.relative_to(tiny_site)))
                for path in tiny_site.rglob("index.html"))
    assert total >= 10  # home 2, stage 1, theme 1, notes 3, the whole study 4 (its own numbering)
    study = page_list(soup(tiny_site / "study" / "index.html"))
    assert [link["href"] for link in study.select("#ref-here-kolb1984 a[href^='#cite-']")] == ["#cite-kolb1984-1", "#cite-kolb1984-2"]


def test_citations_still_link_to_the_references_page_whose_cited_in_links_cross_pages(tiny_site: Path) -> None:
    notes = soup(tiny_site / "notes" / "index.html")
    assert {link["href"] for link in notes.select("a.citation__link")} == {"../references/#ref-kvale1996", "../references/#ref-kolb1984"}
    references = soup(tiny_site / "references" / "index.html")
    assert page_list(references) is None  # the references page has its full list, not one of its own
    kvale = references.find(id="ref-kvale1996").select_one(".reference__cited-in")
    links = [(link["href"], link.get_text(), link.get("aria-label")) for link in kvale.find_all("a")]
    assert links == [("../#cite-kvale1996-1", "A tiny study", None), ("../stages/one/#cite-kvale1996-1", "I. Setting off", None),
                     ("../notes/#cite-kvale1996-1", "Notes", None), ("../notes/#cite-kvale1996-2", "2", "Notes, citation 2")]
    assert not references.select("[id^='ref-here-']")


def test_the_real_study_has_back_links_on_every_page_that_cites(built_site: Path, built_page) -> None:
    total = sum(assert_back_links_match_the_citations(built_page(path), str(path.relative_to(built_site)))
                for path in built_site.rglob("index.html"))
    assert total > 50


def test_a_new_citation_gets_its_back_link_though_the_list_was_kept_for_the_next_build(tmp_path: Path) -> None:
    project = tiny_study(tmp_path / "study")
    site = build_site(project)
    assert len(back_links(soup(site / "stages" / "one" / "index.html").find(id="ref-here-kvale1996"))) == 1
    edit(project / "content" / "stages" / "one.md", "The stage begins [@kvale1996].", "The stage begins [@kvale1996], as @kvale1996 says.")
    site = build_site(project)  # the same cache: the list's key holds the anchors of the page
    stage = soup(site / "stages" / "one" / "index.html")
    assert [link["href"] for link in back_links(stage.find(id="ref-here-kvale1996"))] == ["#cite-kvale1996-1", "#cite-kvale1996-2"]
    assert_back_links_match_the_citations(stage, "stage")



def test_a_pages_reference_list_comes_under_its_heading_before_the_footnotes(tmp_path: Path) -> None:
    """Footnotes go at the end of a page's Markdown, after the references' heading: the list is
    put at its place under the heading, not after everything Markdown made."""
    project = tiny_study(tmp_path / "study")
    edit(project / "content" / "stages" / "one.md", "The stage begins [@kvale1996].", "The stage begins [@kvale1996].[^1]\n\n[^1]: A note.")
    edit(project / "mkdocs.yml", "markdown_extensions:\n", "markdown_extensions:\n  - footnotes\n")
    heading = soup(build_site(project) / "stages" / "one" / "index.html").find(id="references-cited-on-this-page")
    following = [element.get("class") for element in heading.find_next_siblings()]
    assert following[:2] == [["references"], ["footnote"]]


def test_the_stylesheet_gives_back_links_a_target_and_a_visible_focus() -> None:
    from importlib.resources import files

    css = (files("build_tools.site") / "assets" / "study.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", css))
    back_link = next(body for selector, body in rules.items() if '.reference a[href^="#cite-"]' in selector and ":focus" not in selector)
    assert "min-height: 1.5rem" in back_link and "min-width: 1.5rem" in back_link and "text-indent: 0" in back_link
    focus = next(body for selector, body in rules.items() if '.reference a[href^="#cite-"]:focus-visible' in selector)
    assert "outline: 3px solid" in focus


def test_back_links_at_360px_are_big_enough_visible_when_focused_and_lead_to_the_citation(browser, tiny_site: Path) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto((tiny_site / "notes" / "index.html").as_uri())
        link = page.locator("#ref-here-kvale1996 a[href='#cite-kvale1996-2']")
        box = link.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, "inside a phone's width"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, "no horizontal scrolling"
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused from the keyboard, so :focus-visible applies
        assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Back to citation 2 of Kvale (1996)"
        assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == "#cite-kvale1996-2"
        assert page.evaluate("() => document.querySelector(':target').textContent") == "Kvale (1996)"
    finally:
        context.close()


# The Markdown extension on its own.

@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


TEXT = "# Notes\n\nAs @kvale1996 says [see @kolb1984, p. 2].\n\nAgain [@kvale1996].\n"


def test_the_extension_appends_the_cited_works_with_back_links(bib: Path) -> None:
    html = BeautifulSoup(markdown.markdown(TEXT, extensions=[CitationExtension(bibliography=str(bib), reference_list=True)]), "html.parser")
    listed = html.find_all(recursive=False)[-1]
    assert listed.name == "div" and listed["class"] == ["references"], "the list comes last"
    entries = listed.select("p.reference")
    assert [entry["id"] for entry in entries] == ["ref-kolb1984", "ref-kvale1996"], "the cited works only, in APA order"
    assert [[link["href"] for link in back_links(entry)] for entry in entries] == [["#cite-kolb1984-1"], ["#cite-kvale1996-1", "#cite-kvale1996-2"]]
    assert [link["aria-label"] for link in back_links(entries[1])] == ["Back to citation 1 of Kvale (1996)", "Back to citation 2 of Kvale (1996)"]
    # With a list of its own, the document's citations link to it.
    assert [(link["id"], link["href"]) for link in html.select("a.citation__link")] == [
        ("cite-kvale1996-1", "#ref-kvale1996"), ("cite-kolb1984-1", "#ref-kolb1984"), ("cite-kvale1996-2", "#ref-kvale1996")]


def test_loaded_by_name_with_a_config_dict(bib: Path) -> None:
    html = markdown.markdown(TEXT, extensions=["pandoc_citations"],
                             extension_configs={"pandoc_citations": {"bibliography": str(bib), "reference_list": True}})
    page = BeautifulSoup(html, "html.parser")
    assert [entry["id"] for entry in page.select("div.references p.reference")] == ["ref-kolb1984", "ref-kvale1996"]
    assert len(page.select("div.references a[href^='#cite-']")) == 3


def test_without_the_option_no_list_and_citations_link_to_the_references_page(bib: Path) -> None:
    page = BeautifulSoup(markdown.markdown(TEXT, extensions=[CitationExtension(bibliography=str(bib))]), "html.parser")
    assert page.select("div.references") == []
    assert page.select_one("a.citation__link")["href"] == "references.md#ref-kvale1996"
    named = BeautifulSoup(markdown.markdown(TEXT, extensions=[CitationExtension(bibliography=str(bib), reference_list=True,
                                                                                references_url="refs.html")]), "html.parser")
    assert named.select_one("a.citation__link")["href"] == "refs.html#ref-kvale1996", "a references_url given is kept"
    assert len(named.select("div.references p.reference")) == 2


def test_an_unknown_key_is_a_warning_with_its_line(bib: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "# Notes\n\nKnown [@kvale1996].\n\n```\n[@nokey] in code is no citation\n```\n\nUnknown [@nokey] and @other.\n\n- again [see @nokey]\n"
    with caplog.at_level(logging.WARNING, logger=EXTENSION_LOGGER):
        html = markdown.markdown(text, extensions=["fenced_code", CitationExtension(bibliography=str(bib), reference_list=True)])
    warnings = [(record.name, record.levelno, record.getMessage()) for record in caplog.records]
    assert warnings == [
        (EXTENSION_LOGGER, logging.WARNING, "unknown citation key 'nokey' at line 9: [@nokey]"),
        (EXTENSION_LOGGER, logging.WARNING, "unknown citation key 'other' at line 9: @other"),
        (EXTENSION_LOGGER, logging.WARNING, "unknown citation key 'nokey' at line 11: [see @nokey]"),
    ]
    page = BeautifulSoup(html, "html.parser")
    assert [span.get_text() for span in page.select(".citation--unknown")] == ["[@nokey?]", "[@other?]", "[@nokey?]"]
    assert [entry["id"] for entry in page.select("div.references p.reference")] == ["ref-kvale1996"]


def test_a_document_with_every_key_known_warns_of_nothing(bib: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        markdown.markdown(TEXT, extensions=[CitationExtension(bibliography=str(bib))])
    assert [record for record in caplog.records if record.name.startswith("build_tools")] == []


def test_the_plugin_leaves_unknown_keys_to_the_check_and_warns_of_nothing_itself(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A quotation's text goes through the extension, but the check reads no citations in it
    # (an informant's words cite nothing): the one place a build renders an unknown key.
    project = tiny_study(tmp_path / "study")
    edit(project / "quotes" / "first-words.md", "It was the first step.", "It was the first step [@nokey].")
    with caplog.at_level(logging.DEBUG, logger=EXTENSION_LOGGER):
        site = build_site(project)
    assert "[@nokey?]" in soup(site / "themes" / "first-theme" / "index.html").get_text()
    assert [record.getMessage() for record in caplog.records if record.name == EXTENSION_LOGGER] == []

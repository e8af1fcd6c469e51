"""End to end: the real study built in strict mode, checked on the HTML a reader gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import PageReader, resolve, soup, words

from build_tools.model import Study


def test_eight_theme_pages_in_journey_order(built_site: Path, real_study: Study) -> None:
    pages = sorted(p.parent.name for p in (built_site / "themes").glob("*/index.html"))
    assert len(pages) == 8
    assert pages == sorted(theme.id for theme in real_study.themes)
    first = soup(built_site / "themes" / "beating-around-the-bush" / "index.html")
    assert first.h1.get_text().startswith("“Beating around the bush”")
    assert "Stage I · Starting out: Checking the baggage" in first.select_one(".study-kicker").get_text()


def test_every_quotation_is_shown_verbatim_on_its_theme_and_on_the_quotations_page(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    listing = built_page(built_site / "quotations" / "index.html")
    assert len(listing.select("figure.quotation")) == 15
    for quotation in real_study.quotations:
        theme_page = built_page(built_site / "themes" / quotation.theme_id / "index.html")
        on_theme = theme_page.select_one(f"#quote-{quotation.id} blockquote")
        on_listing = listing.select_one(f"#quote-{quotation.id} blockquote")
        assert on_theme is not None and on_listing is not None, quotation.id
        assert words(on_theme.get_text()) == words(quotation.text)
        assert words(on_listing.get_text()) == words(quotation.text)


def test_quotations_are_in_their_theme_in_order_and_linked_both_ways(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    listing_path = built_site / "quotations" / "index.html"
    listing = built_page(listing_path)
    assert [figure["id"] for figure in listing.select("figure.quotation")] == [f"quote-{q.id}" for q in real_study.quotations]
    for quotation in real_study.quotations:
        figure = listing.select_one(f"#quote-{quotation.id}")
        to_theme = figure.find("a", string="Read it in its theme")
        target, fragment = resolve(built_site, listing_path, to_theme["href"])
        assert target == built_site / "themes" / quotation.theme_id / "index.html"
        assert fragment == f"quote-{quotation.id}"
        theme_path = target
        back = built_page(theme_path).select_one(f"#quote-{quotation.id}").find("a", string="All quotations")
        assert resolve(built_site, theme_path, back["href"]) == (listing_path, f"quote-{quotation.id}")
    for theme in real_study.themes:
        shown = [figure["id"] for figure in built_page(built_site / "themes" / theme.id / "index.html").select("figure.quotation")]
        assert shown == [f"quote-{q.id}" for q in real_study.quotations_of(theme)]


def test_interpretations_are_set_apart_from_description_and_quotations(built_site: Path) -> None:
    page = soup(built_site / "themes" / "feeling-frustrated" / "index.html")
    interpretation = page.select_one("section.interpretation")
    label = interpretation.select_one(".interpretation__label")
    assert "".join(label.find_all(string=True, recursive=False)).strip() == "The researchers’ interpretation"  # a pencil and a permalink besides
    assert "transference" in interpretation.get_text()
    assert interpretation.select("figure.quotation") == []
    assert "transference" not in " ".join(p.get_text() for p in page.select("article > p"))
    no_interpretation = soup(built_site / "themes" / "listening-to-others" / "index.html")
    assert no_interpretation.select("section.interpretation") == []
    assert "no interpretation" in no_interpretation.select_one(".editorial-note").get_text()


def test_every_citation_links_to_an_existing_reference_entry(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    references_page = built_site / "references" / "index.html"
    anchors = {element["id"] for element in built_page(references_page).select(".reference[id]")}
    assert len(anchors) == 33
    count = 0
    for page in built_site.rglob("index.html"):
        for link in built_page(page).select("a.citation__link"):
            target, fragment = resolve(built_site, page, link["href"])
            assert target == references_page, (page, link)
            assert fragment in anchors, (page, link)
            count += 1
    assert count >= len(real_study.citations)


@pytest.mark.parametrize(
    "page, expected",
    [
        ("introduction", "(Higgs & Jones, 1999; Tyni-Lenné, 1987)"),
        ("introduction", "(Abrandt, 1995; Ek, 1990; Engelsrud, 1990; Thornquist, 1992, 1994a, 1994b)"),
        ("introduction", "Mishler (1984)"),
        ("introduction", "(Körner et al., 1988)"),
        ("introduction", "(American Balint Society, 1997)"),
        ("method", "(Kvale, 1996; Miles & Huberman, 1994; Richardson, 1990)"),
        ("discussion", "Kvale (1996)"),
        ("discussion", "Handal and Lauvås (1987)"),
        ("themes/feeling-frustrated", "(Phares & Trull, 1997)"),
    ],
)
def test_citations_read_as_apa_author_year(built_site: Path, page: str, expected: str) -> None:
    texts = [words(span.get_text()) for span in soup(built_site / page / "index.html").select("span.citation")]
    assert expected in texts


def test_references_page_is_apa_alphabetical_with_honest_incomplete_entries(built_site: Path, real_study: Study) -> None:
    entries = soup(built_site / "references" / "index.html").select(".reference")
    texts = [words(entry.get_text()) for entry in entries]
    assert texts[0].startswith("Abrandt. (1995).")
    assert texts[1].startswith("Abrandt, M. (1997). Learning physiotherapy")
    assert any(t.startswith("Miles, M. B., & Huberman, A. M. (1994). Qualitative data analysis: An expanded sourcebook (2nd ed.). Sage.") for t in texts)
    lawler = next(entry for entry in entries if entry["id"] == "ref-lawler1998")
    assert lawler.find("a")["href"] == "https://doi.org/10.1046/j.1440-1800.1998.520104.x"
    incomplete = [entry["id"] for entry in entries if "reference--incomplete" in entry["class"]]
    assert len(incomplete) == sum(reference.is_incomplete for reference in real_study.references) == 14
    kindler = next(entry for entry in entries if entry["id"] == "ref-kindler1984")
    assert "Full reference not yet established" in kindler.get_text()
    surnames = [text.split(",")[0].split(".")[0].split(" (")[0] for text in texts]
    assert surnames == sorted(surnames, key=lambda s: s.casefold().replace("ö", "o").replace("é", "e"))


def test_journey_map_opens_the_home_page_and_links_every_theme(built_site: Path, real_study: Study) -> None:
    home_path = built_site / "index.html"
    home = soup(home_path)
    journey = home.select_one("figure.journey")
    assert journey is not None
    article_children = [child for child in home.select_one("article").find_all(recursive=False) if child.name]
    assert article_children.index(journey) <= 4, "the map comes right after the title"
    for svg in journey.select("svg"):
        assert svg.find("script") is None
        targets = {resolve(built_site, home_path, a["href"])[0] for a in svg.select("a")}
        assert targets == {built_site / "themes" / theme.id / "index.html" for theme in real_study.themes}
        for stage in real_study.stages:
            assert f"{stage.numeral}. {stage.title}" in words(svg.get_text(" "))
    listed = [a.get_text() for a in journey.select("ol.journey__list ol a")]
    assert listed == [f"“{theme.label}”" for theme in real_study.themes]
    for link in journey.select("ol.journey__list a"):
        assert resolve(built_site, home_path, link["href"])[0].exists()


def test_theme_pages_walk_the_journey_with_previous_and_next(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    for index, theme in enumerate(real_study.themes):
        page = built_site / "themes" / theme.id / "index.html"
        pager = built_page(page).select_one("nav.journey-pager")
        next_link = pager.select_one(".journey-pager__next")
        previous_link = pager.select_one(".journey-pager__previous")
        if index + 1 < len(real_study.themes):
            assert resolve(built_site, page, next_link["href"])[0].parent.name == real_study.themes[index + 1].id
        else:
            assert next_link is None
        if index:
            assert resolve(built_site, page, previous_link["href"])[0].parent.name == real_study.themes[index - 1].id
        else:
            assert previous_link is None


def test_edit_buttons_open_the_source_files(built_site: Path) -> None:
    def edit_url(page: str) -> str:
        return soup(built_site / page / "index.html").select_one("a[rel=edit]")["href"]

    assert edit_url("themes/tuning-your-instrument").endswith("/edit/main/themes/tuning-your-instrument.md")
    assert edit_url("stages/coming-home").endswith("/edit/main/content/stages/coming-home.md")
    assert edit_url("introduction").endswith("/edit/main/content/introduction.md")
    assert edit_url("references").endswith("/edit/main/bibliography.bib")


def test_navigation_follows_the_journey(built_site: Path, real_study: Study) -> None:
    nav = soup(built_site / "index.html").select_one("nav.md-nav--primary")
    titles = [words(a.get_text()) for a in nav.select("a.md-nav__link[href]")]
    order = [theme.label for theme in real_study.themes]
    positions = [next(i for i, title in enumerate(titles) if title == label) for label in order]
    assert positions == sorted(positions)
    assert titles.count("Overview") == len(real_study.stages), "the navigation's own names for the stage pages"
    stage = soup(built_site / "stages" / "starting-out" / "index.html")
    assert stage.title.get_text() == "I. Starting out - Physiotherapists in Balint Group Training"


def test_nothing_is_loaded_from_another_site(built_site: Path, built_page: PageReader) -> None:
    for page in built_site.rglob("*.html"):
        html = built_page(page)
        for element in html.select("script[src], link[href], img[src], iframe"):
            url = element.get("src") or element.get("href") or ""
            if element.name == "link" and element.get("rel") in (["canonical"], ["alternate"]):
                continue
            assert not re.match(r"^(https?:)?//", url), (page, url)


@pytest.mark.parametrize("page, first, count", [("introduction", "Abrandt. (1995).", 23), ("method", "Huberman, A. M., & Miles", 5), ("discussion", "Handal, G., & Lauvås", 4)])
def test_prose_pages_list_the_references_cited_on_them(built_site: Path, page: str, first: str, count: int) -> None:
    html = soup(built_site / page / "index.html")
    heading = html.find(id="references-cited-on-this-page")
    assert heading is not None
    entries = heading.find_next("div", class_="references").find_all("p", class_="reference")
    assert len(entries) == count
    assert words(entries[0].get_text()).startswith(first)


def test_a_theme_page_stays_small(built_site: Path, real_study: Study) -> None:
    for theme in real_study.themes:
        size = (built_site / "themes" / theme.id / "index.html").stat().st_size
        assert size < 60_000, (theme.id, size)


def test_stage_and_theme_pages_say_where_the_reader_is(built_site: Path) -> None:
    theme = soup(built_site / "themes" / "feeling-more-honest" / "index.html").select_one("nav.journey-here")
    current = theme.select('[aria-current="page"]')
    assert [words(a.get_text()) for a in current] == ["Theme 6 of 8"]
    assert "Stage III, Getting accustomed" in theme.get_text()
    assert [(a["rel"], a["href"]) for a in theme.select("a")] == [(["prev"], "../daring-to-ask/"), (["next"], "../seeing-what-is-me/")]
    stage = soup(built_site / "stages" / "coming-home" / "index.html")
    assert [words(a.get_text()) for a in stage.select('nav.journey-here [aria-current="page"]')] == ["Stage IV of 4"]
    assert [words(a.get_text()) for a in stage.find(id="the-themes-of-this-stage").find_next("ol").select("a")] == ["“Seeing what is me and what is the patient”", "“I don’t think that you ever learn enough”"]


def test_the_whole_study_follows_the_manuscript(built_site: Path, real_study: Study) -> None:
    page = soup(built_site / "study" / "index.html")
    article = page.select_one("article")
    headings = [words(h.get_text()).rstrip("¶") for h in article.select("h1, h2, h3")]
    assert headings[0] == "Physiotherapists in Balint Group Training – some Reflections on an Experiential Journey"
    order = ["Abstract", "Introduction", "Understanding the therapist-patient relationship", "The empirical study",
             "Data collection and analysis", "Results", "I. Starting out: Checking the baggage",
             "IV. Coming home: Seeing the landscape differently", "Discussion", "Conclusion"]
    assert [headings.index(title) for title in order] == sorted(headings.index(title) for title in order)
    results = article.find(id="results")
    figure = results.find_next_sibling()
    assert figure.name == "figure" and "journey" in figure["class"], "Figure 1 where the manuscript inserts it"
    assert len(article.select("figure.quotation")) == 15
    assert len(article.select("section.interpretation")) == sum(p.kind == "interpretation" for t in real_study.themes for p in t.passages)

"""Linked both ways, and citable: back-links from every reference, downloads and scholarly metadata."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from helpers import ROOT, PageReader, resolve, soup, words
from pybtex.database import parse_string

from build_tools.model import Study


def test_every_reference_links_back_to_every_place_that_cites_it(built_site: Path, built_page: PageReader) -> None:
    references_path = built_site / "references" / "index.html"
    references = built_page(references_path)
    back_links = set()
    for entry in references.select(".reference"):
        links = entry.select(".reference__cited-in a")
        assert links, entry["id"]
        for link in links:
            target, fragment = resolve(built_site, references_path, link["href"])
            anchor = built_page(target).find(id=fragment)
            assert anchor is not None and "citation__link" in anchor["class"], link["href"]
            assert anchor["href"].endswith(f"#{entry['id']}"), "the back-link lands on a citation of this very work"
            back_links.add((target, fragment))
    whole_study = built_site / "study" / "index.html"  # repeats the other pages, so it is not a further place
    for page in built_site.rglob("index.html"):
        for link in built_page(page).select("a.citation__link"):
            assert (page, link["id"]) in back_links or page == whole_study, (page, link["id"])


def test_back_links_follow_the_order_of_the_site(built_site: Path) -> None:
    kvale = soup(built_site / "references" / "index.html").select_one("#ref-kvale1996 .reference__cited-in")
    assert words(kvale.get_text()) == "Cited in: Method; Discussion"
    balint = soup(built_site / "references" / "index.html").select_one("#ref-balint1993 .reference__cited-in")
    assert words(balint.get_text()) == "Cited in: Introduction 2"


def test_citation_downloads(built_site: Path) -> None:
    bib = parse_string((built_site / "cite" / "article.bib").read_text(encoding="utf-8"), "bibtex")
    entry = bib.entries["abrandtdahlgren2000"]
    assert entry.type == "article"
    assert [str(person) for person in entry.persons["author"]] == ["{Abrandt Dahlgren}, Madeleine", "Almquist, Andreas", "Krook, Johan"]
    assert (entry.fields["journal"], entry.fields["volume"], entry.fields["number"], entry.fields["pages"], entry.fields["doi"]) == (
        "Physiotherapy Research International", "5", "2", "85--96", "10.1002/pri.188")
    ris = (built_site / "cite" / "article.ris").read_text(encoding="utf-8").splitlines()
    assert ris[0] == "TY  - JOUR" and ris[-1].rstrip() == "ER  -"
    assert [line for line in ris if line.startswith("AU")] == ["AU  - Abrandt Dahlgren, Madeleine", "AU  - Almquist, Andreas", "AU  - Krook, Johan"]
    assert "DO  - 10.1002/pri.188" in ris and "SP  - 85" in ris and "EP  - 96" in ris
    csl = json.loads((built_site / "cite" / "article.json").read_text(encoding="utf-8"))[0]
    assert (csl["type"], csl["DOI"], csl["page"], csl["issued"]) == ("article-journal", "10.1002/pri.188", "85–96", {"date-parts": [[2000]]})
    assert (built_site / "cite" / "bibliography.bib").read_bytes() == (ROOT / "bibliography.bib").read_bytes()
    home = soup(built_site / "index.html").select_one(".cite-article")
    assert words(home.p.get_text()) == ("Abrandt Dahlgren, M., Almquist, A., & Krook, J. (2000). Physiotherapists in Balint group training. "
                                        "Physiotherapy Research International, 5(2), 85–96. https://doi.org/10.1002/pri.188")
    assert {a["href"] for a in home.select("a[download]")} == {"cite/article.bib", "cite/article.ris", "cite/article.json", "cite/bibliography.bib"}


def meta(page: Path | BeautifulSoup, name: str) -> list[str]:
    html = soup(page) if isinstance(page, Path) else page
    return [tag["content"] for tag in html.select(f'meta[name="{name}"]')]


def test_highwire_tags_on_every_page(built_site: Path, built_page: PageReader) -> None:
    for path in built_site.rglob("index.html"):
        page = built_page(path)  # read once for all its tags
        assert meta(page, "citation_title") == ["Physiotherapists in Balint group training"]
        assert meta(page, "citation_author") == ["Abrandt Dahlgren, Madeleine", "Almquist, Andreas", "Krook, Johan"]
        assert meta(page, "citation_publication_date") == ["2000"]
        assert meta(page, "citation_journal_title") == ["Physiotherapy Research International"]
        assert (meta(page, "citation_volume"), meta(page, "citation_issue")) == (["5"], ["2"])
        assert (meta(page, "citation_firstpage"), meta(page, "citation_lastpage")) == (["85"], ["96"])
        assert meta(page, "citation_doi") == ["10.1002/pri.188"]


def test_a_citation_reference_tag_per_work_cited_on_the_page(built_site: Path) -> None:
    assert len(meta(built_site / "introduction" / "index.html", "citation_reference")) == 23
    assert meta(built_site / "index.html", "citation_reference") == []
    (phares,) = meta(built_site / "themes" / "feeling-frustrated" / "index.html", "citation_reference")
    assert phares == ("citation_title=Clinical psychology: Concepts, methods, and profession; citation_author=Phares, E. J.; "
                      "citation_author=Trull, T. J.; citation_publication_date=1997; citation_publisher=Brooks/Cole")


def test_schema_org_json_ld(built_site: Path) -> None:
    data = json.loads(soup(built_site / "method" / "index.html").select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "ScholarlyArticle"
    assert data["identifier"]["value"] == "10.1002/pri.188"
    assert [author["familyName"] for author in data["author"]] == ["Abrandt Dahlgren", "Almquist", "Krook"]
    assert data["isPartOf"]["isPartOf"]["isPartOf"]["name"] == "Physiotherapy Research International"
    assert len(data["citation"]) == 5


def test_citation_cff_prefers_the_published_article(real_study: Study) -> None:
    article = real_study.article
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "article"
    assert preferred["title"] == article.title and preferred["doi"] == article.doi
    assert preferred["journal"] == article.journal
    assert (str(preferred["year"]), str(preferred["volume"]), str(preferred["issue"])) == (article.year, article.volume, article.issue)
    assert (str(preferred["start"]), str(preferred["end"])) == (article.first_page, article.last_page)
    assert [(a["family-names"], a["given-names"]) for a in preferred["authors"]] == [(a.family, a.given) for a in article.authors]

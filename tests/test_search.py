"""Search finds each passage once, where it belongs, and none of the site's own controls.

Material's search indexes every page it is given; the whole study on one page repeats every other
page, the quotations page repeats the theme pages' quotations, and the controls on each page ("You
are here", "Project the quotations", "Copy link") are not the study's words."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from helpers import PageReader

from build_tools.model import Study

INTERFACE_TEXT = ("Previous theme", "Next theme", "Project the quotations", "Copy link", "Permalink", "↩")


def search_index(site: Path) -> list[dict[str, str]]:
    docs: list[dict[str, str]] = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return docs


def test_the_whole_study_page_is_not_indexed(built_site: Path) -> None:
    assert not [doc["location"] for doc in search_index(built_site) if doc["location"].startswith("study/")]


def test_each_quotation_is_found_once(built_site: Path, real_study: Study) -> None:
    places: dict[str, set[str]] = defaultdict(set)
    for doc in search_index(built_site):
        text = " ".join(doc["text"].split())
        for quotation in real_study.quotations:
            opening = " ".join(quotation.text.split())[:60]
            if opening in text:
                places[quotation.id].add(doc["location"].split("#")[0])
    assert {quotation.id for quotation in real_study.quotations} == set(places), "every quotation can be found"
    assert {quotation: where for quotation, where in places.items() if len(where) > 1} == {}


def test_the_sites_own_controls_are_not_indexed(built_site: Path) -> None:
    found = {text: [doc["location"] for doc in search_index(built_site) if text in doc["text"]] for text in INTERFACE_TEXT}
    assert {text: where for text, where in found.items() if where} == {}


def test_the_search_dialog_is_named_on_every_page(built_site: Path, built_page: PageReader) -> None:
    """Material leaves its search's role="dialog" unnamed (axe's aria-dialog-name); our override names it."""
    pages = [path for path in sorted(built_site.rglob("index.html")) if "projection" not in path.parts]  # no chrome there
    dialogs = [dialog for path in pages for dialog in built_page(path).select('[role="dialog"]')]
    assert len(dialogs) == len(pages)
    assert [dialog for dialog in dialogs if not dialog.get("aria-label", "").strip()] == []

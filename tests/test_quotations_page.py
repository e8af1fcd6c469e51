"""The quotations page on a phone and as it loads: its filter fits the narrowest screens, showing it
moves nothing, and each quotation carries the number the teaching notes cite it by ("quotation 3")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import CHROMIUM, LAYOUT_SHIFT, PageReader, resolve

from build_tools.model import Study

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed: run tests/setup-browser")


@pytest.fixture(scope="module")
def quotations_url(site_url: str) -> str:
    return site_url + "quotations/"


def _page(browser: Any, width: int, **options: Any) -> Any:
    return browser.new_context(viewport={"width": width, "height": 800}, **options).new_page()


@pytest.mark.parametrize("width", [320, 360])
def test_the_filter_fits_a_phone_and_the_page_does_not_scroll_sideways(browser: Any, quotations_url: str, width: int) -> None:
    page = _page(browser, width)
    try:
        page.goto(quotations_url)
        page.locator(".quote-filter select[name=theme]").wait_for(state="visible")
        scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert scroll_width <= inner_width
        form_right = page.evaluate("() => document.querySelector('.quote-filter').getBoundingClientRect().right")
        assert form_right <= inner_width
        for name in ("stage", "theme"):
            right = page.evaluate(f"() => document.querySelector('.quote-filter select[name={name}]').getBoundingClientRect().right")
            assert right <= form_right, f"the {name} select reaches {right}px, past its filter's edge at {form_right}px"
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_showing_the_filter_does_not_shift_the_page(browser: Any, quotations_url: str, width: int) -> None:
    page = _page(browser, width)
    try:
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})  # a mid-range phone
        page.goto(quotations_url, wait_until="load")
        page.locator(".quote-filter").wait_for(state="visible")
        shift = page.evaluate(LAYOUT_SHIFT)
        assert shift < 0.05, f"cumulative layout shift {shift:.3f}"
        assert page.locator(".quote-filter__count").inner_text() == "Showing 15 of 15 quotations."
    finally:
        page.context.close()


def test_without_scripts_every_quotation_shows_and_no_filter_does(browser: Any, quotations_url: str, real_study: Study) -> None:
    page = _page(browser, 360, java_script_enabled=False)
    try:
        page.goto(quotations_url)
        assert page.locator("figure.quotation:visible").count() == len(real_study.quotations)
        assert not page.locator(".quote-filter").is_visible()
        assert page.locator(".quotation__copy:visible").count() == 0
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    finally:
        page.context.close()


def test_each_quotation_has_its_number_in_sight_and_in_its_name(browser: Any, quotations_url: str, real_study: Study) -> None:
    page = _page(browser, 360)
    total = len(real_study.quotations)
    try:
        page.goto(quotations_url)
        for number, quotation in enumerate(real_study.quotations, start=1):
            figure = page.locator(f"#quote-{quotation.id}")
            label = figure.locator(".quotation__number")
            assert label.inner_text() == f"Quotation {number} of {total}"
            assert label.is_visible()
            named = page.get_by_role("figure", name=f"Quotation {number} of {total}", exact=True)
            assert named.get_attribute("id") == f"quote-{quotation.id}"
    finally:
        page.context.close()


def test_the_numbers_are_those_the_teaching_notes_cite(built_site: Path, built_page: PageReader, real_study: Study) -> None:
    listing_path = built_site / "quotations" / "index.html"
    listing = built_page(listing_path)
    shown = {str(figure["id"]): figure.select_one(".quotation__number").get_text()  # type: ignore[union-attr]
             for figure in listing.select("figure.quotation")}
    assert list(shown.values()) == [f"Quotation {n} of {len(real_study.quotations)}" for n in range(1, len(real_study.quotations) + 1)]
    cited = 0
    for path in sorted(built_site.rglob("index.html")):
        for link in built_page(path).select("aside.teaching a[href*='#quote-']"):
            _, fragment = resolve(built_site, path, str(link["href"]))
            number = re.fullmatch(r"\d+", link.get_text())
            assert number, f"{path}: a teaching note cites {fragment} as {link.get_text()!r}"
            assert shown[fragment].startswith(f"Quotation {number.group()} of "), f"{path}: {fragment}"
            cited += 1
    assert cited, "the teaching notes cite quotations by number"


@pytest.mark.parametrize("width", [360, 1280])
def test_a_theme_pages_copy_buttons_do_not_shift_it(browser: Any, quotations_url: str, width: int) -> None:
    """The "Copy link" buttons of a theme's quotations take their place before the first paint too."""
    page = _page(browser, width)
    try:
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(quotations_url.replace("/quotations/", "/themes/beating-around-the-bush/"), wait_until="load")
        page.locator(".quotation__copy").first.wait_for(state="visible")
        shift = page.evaluate(LAYOUT_SHIFT)
        assert shift < 0.01, f"cumulative layout shift {shift:.3f}"
    finally:
        page.context.close()

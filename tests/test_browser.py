"""The reading experience in a real browser: Debian's Chromium driven by Playwright.

The site is built once, served from a local port, and read as a person would: with the keyboard
alone, on a phone, a tablet and a laptop, in light and dark mode (printed: test_print.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from helpers import CHROMIUM, ROOT

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed: run tests/setup-browser")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]



@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def site_pages(built_site: Path) -> list[str]:
    return sorted(p.relative_to(built_site).parent.as_posix() + "/" for p in built_site.rglob("index.html"))


def tab_until(page, predicate: str, limit: int = 200) -> None:
    """Press Tab until the focused element satisfies the JavaScript ``predicate`` (given ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!(el && ({predicate})); }}"):
            return
    raise AssertionError(f"no focusable element matched {predicate!r}")


def test_keyboard_only_from_the_map_to_a_theme_and_on_to_the_next(page, site_url: str) -> None:
    page.goto(site_url)
    tab_until(page, "el.matches('.journey__list ol a')")  # the map's list: its SVG's links are for the pointer
    focused = page.evaluate("() => document.activeElement.parentElement.textContent")
    assert focused == "“Beating around the bush” (3 quotations)"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus is visible"
    page.keyboard.press("Enter")
    page.wait_for_url("**/themes/beating-around-the-bush/")
    tab_until(page, "el.matches('.journey-pager__next')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/themes/feeling-frustrated/")
    assert page.locator("h1").inner_text().startswith("“Feeling frustrated”")


def test_every_stop_of_the_map_is_reachable_by_keyboard(page, site_url: str) -> None:
    page.goto(site_url)
    reached = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        assert not page.evaluate("() => !!document.activeElement.closest('svg')"), "once, in the list, not twice"
        label = page.evaluate("() => document.activeElement.matches('.journey__list ol a') ? document.activeElement.getAttribute('href') : null")
        if label:
            reached.add(label)
    assert len(reached) == 8


def test_narrow_screens_get_the_vertical_map(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    phone = context.new_page()
    phone.goto(site_url)
    assert phone.locator(".journey__map--vertical").is_visible()
    assert not phone.locator(".journey__map--horizontal").is_visible()
    box = phone.locator(".journey__map--vertical a.journey__stop").first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, "targets of at least 24 x 24 px"
    context.close()


def test_a_citation_shows_its_reference_on_keyboard_focus(page, site_url: str) -> None:
    page.goto(site_url + "method/")
    tab_until(page, "el.matches('a.citation__link')")
    tooltip = page.locator(".study-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith("Huberman, A. M., & Miles, M. B. (1994). Data management and analysis methods.")
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "study-tooltip"
    page.keyboard.press("Escape")
    tooltip.wait_for(state="hidden")


def test_the_quotation_filter_works_from_the_keyboard_and_announces_the_count(page, site_url: str) -> None:
    page.goto(site_url + "quotations/")
    status = page.locator(".quote-filter__count")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == "Showing 15 of 15 quotations."
    tab_until(page, "el.matches('select[name=stage]')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.querySelector('.quote-filter__count').textContent.startsWith('Showing 3 ')")
    visible = page.locator("figure.quotation:visible")
    assert visible.count() == 3
    assert {visible.nth(i).get_attribute("data-stage") for i in range(3)} == {"getting-accustomed"}
    page.select_option("select[name=theme]", "feeling-more-honest")
    expect(status).to_have_text("Showing 1 of 15 quotations.")


def test_copy_link_puts_the_permalink_on_the_clipboard(browser, site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + "themes/feeling-more-honest/")
    button = page.locator("#quote-more-honest .quotation__copy")
    button.click()
    expect(button).to_have_text("Link copied")  # said once the clipboard has taken the link
    assert page.evaluate("() => navigator.clipboard.readText()") == site_url + "themes/feeling-more-honest/#quote-more-honest"
    context.close()


def test_search_finds_quotations_and_themes_by_their_words(page, site_url: str) -> None:
    page.goto(site_url)
    page.locator(".md-search__input").click()
    page.keyboard.type("euphoric", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    assert "themes/tuning-your-instrument/" in results.first.locator("a").first.get_attribute("href")
    page.locator(".md-search__input").fill("")
    page.keyboard.type("daring", delay=30)
    page.wait_for_function("() => [...document.querySelectorAll('.md-search-result__item a')].some(a => a.href.includes('themes/daring-to-ask/'))")


def test_no_request_leaves_the_site(browser, built_site: Path, site_url: str) -> None:
    origin = urlparse(site_url).netloc
    context = browser.new_context()
    foreign: list[str] = []
    context.on("request", lambda request: foreign.append(request.url)
               if urlparse(request.url).scheme in ("http", "https", "ws", "wss") and urlparse(request.url).netloc != origin else None)
    page = context.new_page()
    for path in site_pages(built_site):
        page.goto(site_url + path, wait_until="networkidle")
    context.close()
    assert foreign == []


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run tests/setup-browser")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_22_aa_violation_on_any_page(browser, built_site: Path, site_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = {}
    for path in site_pages(built_site):
        page.goto(site_url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
        if result["violations"]:
            problems[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    context.close()
    assert problems == {}, json.dumps(problems, indent=1)


@pytest.mark.parametrize("width", [360, 768, 1280])
def test_no_horizontal_scrolling(browser, built_site: Path, site_url: str, width: int, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    overflowing = []
    for path in site_pages(built_site):
        page.goto(site_url + path)
        page.screenshot(path=str(tmp_path / f"{width}-{path.strip('/').replace('/', '-') or 'home'}.png"))
        if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(path)
    context.close()
    assert overflowing == []


def test_the_offline_edition_works_from_file_urls_with_search(browser, built_site: Path, tmp_path: Path) -> None:
    import zipfile

    zipfile.ZipFile(built_site / "downloads" / "balint-journey-offline.zip").extractall(tmp_path)
    home = tmp_path / "balint-journey" / "index.html"
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(home.as_uri())
    page.locator(".journey__map--horizontal a.journey__stop").first.click()
    page.wait_for_url("**/themes/beating-around-the-bush.html")
    assert page.locator("h1").inner_text().startswith("“Beating around the bush”")
    page.locator(".md-search__input").click()
    page.keyboard.type("euphoric", delay=30)
    page.locator(".md-search-result__item").first.wait_for()
    assert "tuning-your-instrument.html" in page.locator(".md-search-result__item a").first.get_attribute("href")
    context.close()
    assert [url for url in requests if not url.startswith("file://")] == []

"""The projection view as a slide deck (issue 13): the page alone, no site chrome; every slide, the
longest quotation too, fits the screen of a classroom projector without scrolling; a clicker's
keys, the slide in the address, full screen; the last slide leads on to the next theme; high
contrast in light and dark. Without a script the slides stand in a column.

The first tests read the shared build's HTML; the others drive Debian's Chromium.
"""

from __future__ import annotations

import io
import shutil
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import LAYOUT_SHIFT, ROOT, PageReader, edit, words

from build_tools.citations.references import ReferenceList
from build_tools.model import Study, Theme
from build_tools.site.options import SiteOptions
from build_tools.site.pages import StudyRenderer
from build_tools.site.paths import SitePaths
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import load_study

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROME = ".md-header, .md-tabs, .md-sidebar, .md-footer, .md-search, .md-nav, .md-top, .md-source-file"
PROJECTORS = [(1280, 720), (1920, 1080)]


def projection(built_site: Path, theme: Theme) -> Path:
    return built_site / "projection" / theme.id / "index.html"


def context_of(study: Study, theme: Theme) -> str:
    stage = study.stage(theme.stage_id)
    return f"Stage {stage.numeral} · {stage.title} “{theme.label}”"


# In the HTML.

def test_a_projection_is_the_deck_alone_without_the_sites_chrome(built_site: Path, real_study: Study, built_page: PageReader) -> None:
    for theme in real_study.themes:
        page = built_page(projection(built_site, theme))
        assert page.html is not None and page.html.get("lang") == "en"
        assert page.title is not None and page.title.get_text(strip=True).startswith(f"Projection: {theme.label}")
        assert page.select(".md-header, .md-tabs, .md-sidebar, .md-footer, .md-search, .md-nav") == [], "no header, tabs, sidebars or footer"
        assert page.select_one("[data-md-component=header]").has_attr("hidden")  # Material's script needs it; nobody sees it
        assert [script["src"] for script in page.head.select("script[src]")] == ["../../assets/projection.js"]
        context = page.select_one(".projection__context")
        assert words(f"{context.p.get_text()} {context.h1.find(string=True)}") == context_of(real_study, theme)
        exit_link = page.select_one("a.projection__back")
        assert exit_link["href"] == f"../../themes/{theme.id}/" and exit_link.get_text() == "Exit to the theme"
        button = page.select_one("button.projection__fullscreen")
        assert button.has_attr("hidden") and button["type"] == "button", "shown by the script where full screen exists"
        slides = page.select("section.projection__slide")
        count = len(real_study.quotations_of(theme))
        assert [slide["id"] for slide in slides] == [f"slide-{n}" for n in range(1, count + 1)]
        assert [slide["aria-label"] for slide in slides] == [f"Quotation {n} of {count}" for n in range(1, count + 1)]


def test_the_last_slide_leads_on_to_the_next_themes_projection_and_the_last_home(built_site: Path, real_study: Study,
                                                                                 built_page: PageReader) -> None:
    themes = real_study.themes
    for theme, after in zip(themes, [*themes[1:], None], strict=True):
        slides = built_page(projection(built_site, theme)).select("section.projection__slide")
        onward = [link for slide in slides for link in slide.select("a.projection__onward")]
        assert len(onward) == 1 and onward[0] in slides[-1].select("a"), "only the last slide leads on"
        if after is None:
            assert (onward[0]["href"], onward[0].get_text()) == ("../../", "Back to the journey →")
        else:
            assert (onward[0]["href"], onward[0].get_text()) == (f"../{after.id}/", f"Next theme: “{after.label}” →")
        assert slides[-1].select("a.projection__next") == [] and slides[0].select("a.projection__previous") == []


def test_a_theme_without_quotations_gets_a_deck_of_one_slide_that_says_so(tmp_path: Path) -> None:
    project = tmp_path / "study"
    shutil.copytree(ROOT / "tests" / "fixtures" / "second-study", project)
    (project / "quotes" / "nobody-wrote-it-down.md").unlink()
    edit(project / "themes" / "carrying-the-unsaid.md", "{{< quote nobody-wrote-it-down >}}", "")
    study, bibliography = load_study(SourceFolders(root=project))
    options = SiteOptions(site_name="Night shift", paths=SitePaths(stem="night-shift"))
    markdown = StudyRenderer(study, ReferenceList(bibliography), options).projection_page(study.theme("carrying-the-unsaid"))
    assert markdown.count('class="projection__slide"') == 1
    assert '<section class="projection__slide" id="slide-1" aria-label="No quotations" markdown>' in markdown
    assert "This theme has no quotations." in markdown and "[Next theme: “Borrowing certainty” →](borrowing-certainty.md)" in markdown


def test_only_the_projection_pages_load_the_decks_script(built_site: Path) -> None:
    pages = list(built_site.rglob("index.html"))
    loading = {path.relative_to(built_site).parts[0] for path in pages if "assets/projection.js" in path.read_text(encoding="utf-8")}
    assert loading == {"projection"}
    assert (built_site / "assets" / "projection.js").is_file()
    assert "projection" not in (built_site / "assets" / "study.js").read_text(encoding="utf-8")


# In the browser.


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """A page of a new browser context of the given options; the contexts are closed after the test."""
    contexts: list[Any] = []

    def opened(**options: Any) -> Any:
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield opened
    for context in contexts:
        context.close()


# What a slide shows, measured: the page must not scroll, and all a slide holds must be on screen.
MEASURE = """(chrome) => {
  const slide = [...document.querySelectorAll('.projection__slide')].find(s => !s.hidden);
  const inside = el => { const box = el.getBoundingClientRect();
    return box.width > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth; };
  const quote = slide.querySelector('.projection__quote');
  return {
    id: slide.id,
    visible: [...document.querySelectorAll('.projection__slide')].filter(s => s.getClientRects().length).map(s => s.id),
    scrolls: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth || scrollY > 0,
    clipped: slide.scrollHeight > slide.clientHeight || quote.scrollWidth > quote.clientWidth,
    outside: [slide, quote, slide.querySelector('.projection__controls'), document.querySelector('.projection__context'),
              ...slide.querySelectorAll('a'), ...document.querySelectorAll('.projection__tools > *')]
             .filter(el => el.getClientRects().length && !inside(el)).map(el => el.className || el.tagName),
    chrome: [...document.querySelectorAll(chrome)]
            .filter(el => el.checkVisibility({opacityProperty: true, visibilityProperty: true}) && el.getBoundingClientRect().height > 0)
            .map(el => el.className),
    context: [...document.querySelectorAll('.projection__context > *')].map(el => el.firstChild.textContent).join(' '),
    font: parseFloat(getComputedStyle(quote).fontSize),
  };
}"""


@pytest.mark.parametrize(("width", "height"), PROJECTORS)
def test_every_slide_of_every_projection_fits_the_screen_with_no_chrome(open_page: Any, site_url: str, real_study: Study,
                                                                      width: int, height: int) -> None:
    page = open_page(viewport={"width": width, "height": height})
    problems = []
    fonts = []
    for theme in real_study.themes:
        for n in range(1, len(real_study.quotations_of(theme)) + 1):
            page.goto(f"{site_url}projection/{theme.id}/#slide-{n}")
            seen = page.evaluate(MEASURE, CHROME)
            fonts.append(seen["font"])
            expected = {"id": f"slide-{n}", "visible": [f"slide-{n}"], "scrolls": False, "clipped": False, "outside": [], "chrome": [],
                        "context": context_of(real_study, theme)}
            if {key: seen[key] for key in expected} != expected:
                problems.append((theme.id, n, seen))
    assert problems == []
    assert len(fonts) == len(real_study.quotations)
    # Large type whatever the length: the longest quotation too, from the back of a room; the short ones larger still.
    assert min(fonts) >= 0.05 * height, fonts
    assert max(fonts) >= 0.075 * height, fonts


def test_a_slide_is_shown_once_it_fits_and_nothing_moves_as_the_deck_loads(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1280, "height": 720})
    page.goto(site_url + "projection/seeing-what-is-me/#slide-1")  # the longest quotation: the most shrinking
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    assert page.evaluate("scrollY") == 0


def test_a_quotation_is_fitted_again_when_the_window_changes(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1920, "height": 1080})
    page.goto(site_url + "projection/seeing-what-is-me/#slide-1")  # the study's longest quotation
    large = page.evaluate(MEASURE, CHROME)
    page.set_viewport_size({"width": 1024, "height": 600})
    page.wait_for_function("(large) => parseFloat(getComputedStyle(document.querySelector('#slide-1 .projection__quote')).fontSize) < large",
                           arg=large["font"])
    small = page.evaluate(MEASURE, CHROME)
    assert (small["scrolls"], small["clipped"], small["outside"]) == (False, False, [])


def _shown(page: Any) -> str:
    return str(page.evaluate("() => [...document.querySelectorAll('.projection__slide')].filter(s => !s.hidden).map(s => s.id).join()"))


def _wait_for(page: Any, n: int) -> None:
    page.wait_for_function(f"() => location.hash === '#slide-{n}' && !document.getElementById('slide-{n}').hidden")
    assert _shown(page) == f"slide-{n}"


def test_a_clicker_and_the_keyboard_move_through_the_deck_and_the_address_follows(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1280, "height": 720})
    page.goto(site_url + "projection/beating-around-the-bush/")
    _wait_for(page, 1)  # the address names the slide from the start
    for key, n in [("PageDown", 2), ("PageDown", 3), ("PageDown", 3), ("PageUp", 2), ("ArrowLeft", 1), ("ArrowLeft", 1),
                   ("ArrowRight", 2), ("ArrowUp", 1), ("ArrowDown", 2), ("Space", 3), ("Shift+Space", 2), ("End", 3), ("Home", 1)]:
        page.keyboard.press(key)
        _wait_for(page, n)
    assert page.evaluate("scrollY") == 0
    page.go_back()  # from Home to End
    _wait_for(page, 3)
    page.go_back()
    _wait_for(page, 2)
    page.go_forward()
    _wait_for(page, 3)


def test_a_slide_opens_from_its_address_and_a_wrong_number_is_corrected(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1280, "height": 720})
    page.goto(site_url + "projection/tuning-your-instrument/#slide-3")
    _wait_for(page, 3)
    assert page.evaluate("scrollY") == 0, "the page does not jump to the slide"
    page.goto(site_url + "projection/tuning-your-instrument/#slide-2")
    _wait_for(page, 2)
    page.goto(site_url + "projection/tuning-your-instrument/#slide-9")
    _wait_for(page, 3)


def test_the_projection_view_works_with_the_keyboard_alone(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1280, "height": 720})
    page.goto(site_url + "projection/tuning-your-instrument/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.projection__next')"):
            break
    assert page.evaluate("() => document.activeElement.closest('.projection__slide').id") == "slide-1"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none", "focus is visible"
    page.keyboard.press("Enter")
    _wait_for(page, 2)
    assert page.evaluate("() => document.activeElement.matches('#slide-2 .projection__next')"), "focus stays on the control"
    page.keyboard.press("Enter")
    _wait_for(page, 3)
    assert page.evaluate("() => document.activeElement.matches('#slide-3 .projection__onward')"), "the last slide: on to the next theme"
    page.keyboard.press("Enter")
    page.wait_for_url("**/projection/daring-to-ask/#slide-1")
    assert _shown(page) == "slide-1"


def test_the_full_screen_button_says_what_it_does(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1280, "height": 720})
    page.goto(site_url + "projection/tuning-your-instrument/")
    button = page.locator("button.projection__fullscreen")
    assert page.evaluate("document.fullscreenEnabled")
    assert button.is_visible() and button.inner_text() == "Full screen"
    button.click()
    page.wait_for_function("() => document.fullscreenElement === document.documentElement")
    page.wait_for_function("() => document.querySelector('.projection__fullscreen').textContent === 'Exit full screen'")
    button.click()
    page.wait_for_function("() => !document.fullscreenElement")
    # the label follows the fullscreenchange event, which may come a moment after the element is cleared
    page.wait_for_function("() => document.querySelector('.projection__fullscreen').textContent === 'Full screen'")
    assert button.inner_text() == "Full screen"


def test_without_a_script_the_slides_stand_in_a_column(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1280, "height": 720}, java_script_enabled=False)
    page.goto(site_url + "projection/beating-around-the-bush/#slide-2")
    shown = page.evaluate("() => [...document.querySelectorAll('.projection__slide')].filter(s => s.getClientRects().length).length")
    assert shown == 3
    assert not page.locator("button.projection__fullscreen").is_visible(), "no button that could do nothing"
    context = page.evaluate("() => document.querySelector('.projection__context').getBoundingClientRect().top")
    assert 0 <= context < 100, "the theme and stage stay at the top"


def test_the_deck_works_from_the_offline_edition(open_page: Any, built_site: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(built_site / "downloads" / "balint-journey-offline.zip").extractall(tmp_path)
    deck = tmp_path / "balint-journey" / "projection" / "tuning-your-instrument.html"
    page = open_page(viewport={"width": 1280, "height": 720})
    page.goto(deck.as_uri())
    _wait_for(page, 1)
    page.keyboard.press("PageDown")
    _wait_for(page, 2)
    assert page.evaluate(MEASURE, CHROME)["chrome"] == []


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run tests/setup-browser")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_a_deck_and_its_text_is_of_high_contrast(open_page: Any, site_url: str, scheme: str) -> None:
    problems = {}
    for width, height in [(1280, 720), (360, 740)]:
        page = open_page(viewport={"width": width, "height": height}, color_scheme=scheme)
        for slide in ("slide-1", "slide-2"):  # the first, and the last with its link on
            page.goto(f"{site_url}projection/daring-to-ask/#{slide}")
            page.add_script_tag(path=str(AXE))
            assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
            for name, rules in [("WCAG 2.2 AA", {"type": "tag", "values": WCAG_22_AA}),
                                ("7:1", {"type": "rule", "values": ["color-contrast-enhanced"]})]:
                result = page.evaluate("(rules) => axe.run(document, {runOnly: rules})", rules)
                if result["violations"]:
                    problems[f"{width} {slide} {name}"] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
                assert result["passes"], "axe ran its rules"
    assert problems == {}


def test_a_quotation_too_long_for_any_type_scrolls_in_its_place_with_the_controls_in_sight(open_page: Any, site_url: str) -> None:
    """Another study's 3,000-word quotation: even the smallest type cannot hold it. It scrolls in its
    place (by keyboard too), and the slide's controls stay on the screen."""
    page = open_page(viewport={"width": 1280, "height": 720})
    deck = site_url + "projection/beating-around-the-bush/"

    def lengthened(route: Any) -> None:
        html = route.fetch().text()
        start = html.index('<blockquote class="projection__quote">') + len('<blockquote class="projection__quote">')
        route.fulfill(body=html[:start] + "<p>" + "a patient I could not stop thinking about " * 400 + "</p>" + html[start:],
                      content_type="text/html")

    page.route(deck, lengthened)
    page.goto(deck + "#slide-1")
    seen = page.evaluate(MEASURE, CHROME)
    assert seen["scrolls"] is False and seen["outside"] == [], seen
    quote = page.locator("#slide-1 .projection__quote")
    assert quote.get_attribute("tabindex") == "0", "a scrolling region is reached by keyboard"
    assert quote.evaluate("q => q.scrollHeight > q.clientHeight")
    page.keyboard.press("PageDown")
    _wait_for(page, 2)
    assert page.locator("#slide-2 .projection__quote").get_attribute("tabindex") is None, "a quotation that fits does not scroll"


def test_pressing_a_clicker_key_leaves_no_button_looking_pressed(open_page: Any, site_url: str) -> None:
    page = open_page(viewport={"width": 1280, "height": 720})
    page.goto(site_url + "projection/beating-around-the-bush/#slide-1")
    page.keyboard.press("PageDown")
    _wait_for(page, 2)
    assert page.evaluate("() => document.activeElement.closest('.projection__controls') === null")


def test_a_printed_deck_has_every_slide_and_no_controls(open_page: Any, site_url: str, real_study: Study) -> None:
    from pypdf import PdfReader

    theme = real_study.theme("tuning-your-instrument")
    page = open_page(viewport={"width": 1280, "height": 720}, color_scheme="dark")
    page.goto(f"{site_url}projection/{theme.id}/#slide-1")
    _wait_for(page, 1)
    text = words(unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)))
    for quotation in real_study.quotations_of(theme):  # each slide printed, to its end
        assert " ".join(words(quotation.text.replace("*", "")).split()[-4:]) in text
    assert "Full screen" not in text and "Next →" not in text

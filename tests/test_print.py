"""Paper: the whole study and each stage's handout, printed by Debian's Chromium to A4 PDF and read
back with pypdf. A handout is one sheet that names its source (with the DOI) and its own address,
prints the informants' words black, leaves no quotation out silently and rules the rest of the sheet
for notes; the whole study prints only what a reader of paper needs, without half-empty pages. A
screen in dark mode prints black on white all the same.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, PageReader, load_real_study
from pypdf import PdfReader
from pypdf.generic import ContentStream

from build_tools.citations.references import ReferenceList
from build_tools.model import Study
from build_tools.site import pages
from build_tools.site.pages import StudyRenderer, handout_quotations
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import load_study

STAGES = [stage.id for stage in load_real_study().stages]
SCREEN_ONLY = ("Permalink", "All quotations", "Select a theme to read it", "Copy link", "Download the citation", "↩",
               "Skip to content", "Table of contents", "Print this handout", "Back to stage")
A4 = (595.3, 841.9)  # points
PRINTED_AREA = {"width": 673, "height": 1009}  # CSS pixels: A4 less the margins of study.css's @page (16 mm, 15 mm)



def printed(browser: Any, url: str, scheme: str = "light") -> tuple[PdfReader, Any]:
    """``url`` printed on A4 from a screen in ``scheme`` (backgrounds printed, as a reader may choose),
    and the page, left in print media and as wide as the sheet's text for the caller to read its styles."""
    context = browser.new_context(viewport=PRINTED_AREA, color_scheme=scheme)
    page = context.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    return PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))), page


def flat(text: str) -> str:
    """Text without its spaces and line ends: an address or a DOI may be broken across lines."""
    return "".join(text.split())


def channels(colour: str) -> tuple[float, ...]:
    """A computed CSS colour (``rgb(…)`` or ``rgba(…)``) as its red, green, blue (0-255) and alpha."""
    values = [float(v) for v in re.findall(r"[\d.]+", colour)]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)


def luminance(colour: str) -> float:
    """WCAG's relative luminance of ``colour`` as it shows on white paper (a translucent colour, such
    as Material's grey text, is blended with the white under it)."""
    def linear(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue, alpha = channels(colour)
    red, green, blue = (alpha * value + (1 - alpha) * 255 for value in (red, green, blue))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


DARK_BACKGROUNDS = """() => [document.documentElement, ...document.querySelectorAll('body, body *')]
  .filter(el => el === document.documentElement || el.getClientRects().length)
  .map(el => [el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class') : ''),
              getComputedStyle(el).backgroundColor])"""


def dark_backgrounds(page: Any) -> list[str]:
    """What would print on a dark background: every shown element whose background is mostly opaque
    and darker than mid-grey, and the page itself if its colour scheme is dark (Chromium then paints
    the margins dark)."""
    dark = [name for name, colour in page.evaluate(DARK_BACKGROUNDS) if channels(colour)[3] >= 0.5 and luminance(colour) < 0.5]
    if "dark" in page.evaluate("() => getComputedStyle(document.documentElement).colorScheme"):
        dark.append("html (color-scheme: dark)")
    return dark


PATH_OPERATORS = {b"re", b"m", b"l", b"c", b"v", b"y"}


def add_to_path(outlines: list[list[tuple[float, float]]], operator: bytes, values: list[float]) -> None:
    """A PDF path operator's points added to the current path's subpaths (a curve by its end point)."""
    if operator == b"re":
        x, y, w, h = values
        outlines.append([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])
    elif operator == b"m" or not outlines:
        outlines.append([(values[-2], values[-1])])
    else:
        outlines[-1].append((values[-2], values[-1]))


def enclosed(points: list[tuple[float, float]]) -> float:
    """The area within an outline (the shoelace formula)."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))) / 2


def dark_paint(page: Any) -> list[float]:
    """The share of the page that each dark fill of the PDF covers, for fills of at least 2% of it: a
    page, its margins or a panel painted darker than mid-grey (a dark screen's canvas, say), as the
    PDF itself paints them, its opacity counted. A filled shape's area is its outline's (curves cut
    to straight lines): text, rules, a quotation's bar and Figure 1's winding road are far smaller."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    states = page["/Resources"].get("/ExtGState", {})
    matrix, colour, opacity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), (0.0, 0.0, 0.0), 1.0
    saved: list[tuple[tuple[float, ...], tuple[float, ...], float]] = []
    outlines: list[list[tuple[float, float]]] = []  # the current path, one list of points per subpath
    shares: list[float] = []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        values = [float(value) for value in operands if isinstance(value, (int, float))]
        if operator == b"q":
            saved.append((matrix, colour, opacity))
        elif operator == b"Q" and saved:
            matrix, colour, opacity = saved.pop()
        elif operator == b"gs":
            opacity = float(states[operands[0]].get_object().get("/ca", opacity))
        elif operator == b"cm":
            a, b, c, d, e, f = values
            m = matrix
            matrix = (a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3],
                      e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5])
        elif operator in (b"rg", b"g"):
            colour = tuple(255 * value for value in (values * 3)[:3])
        elif operator in (b"cs", b"sc", b"scn"):  # a pattern or gradient (the notes' ruling): no flat colour
            colour = (255.0, 255.0, 255.0)
        elif operator in PATH_OPERATORS:
            add_to_path(outlines, operator, values)
        elif operator in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n", b"S", b"s"):
            dark = luminance("rgba({}, {}, {}, {})".format(*colour, opacity)) < 0.5
            if dark and operator not in (b"n", b"S", b"s"):
                scale = abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])
                area = scale * sum(map(enclosed, outlines))
                if area >= 0.02 * width * height:
                    shares.append(round(area / (width * height), 2))
            outlines = []
    return shares


def text_lines(page: Any) -> list[float]:
    """The heights (points from the bottom of the page) of the page's lines of text."""
    heights: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            heights.append(cm[1] * tm[4] + cm[3] * tm[5] + cm[5])

    page.extract_text(visitor_text=visit)
    return heights


# --- handouts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("stage", STAGES)
def test_each_handout_prints_on_one_a4_page_with_the_doi_and_black_quotations(browser, site_url: str, real_study: Study,
                                                                               stage: str, scheme: str) -> None:
    pdf, page = printed(browser, site_url + f"handouts/{stage}/", scheme)
    try:
        colours = page.eval_on_selector_all(".handout__quote blockquote p", "ps => ps.map(p => getComputedStyle(p).color)")
        dark = dark_backgrounds(page)
        notes = page.eval_on_selector(".handout__notes", "el => el.getBoundingClientRect().height")
    finally:
        page.context.close()
    assert len(pdf.pages) == 1, "one sheet"
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) < 2 and abs(float(box.height) - A4[1]) < 2, "A4"
    assert colours and all(contrast_on_white(colour) >= 7 for colour in colours), colours
    assert dark == [], f"printed from a {scheme} screen, nothing prints dark: {dark}"
    assert dark_paint(pdf.pages[0]) == [], "nor does the PDF paint its page or margins dark"
    assert notes > 90, "at least a few ruled lines for notes (24 mm is 90 CSS pixels)"
    assert min(text_lines(pdf.pages[0])) < 80, "the notes take the rest of the sheet: its address stands at the foot"

    text = pdf.pages[0].extract_text()
    article = real_study.article
    assert article is not None and article.doi
    assert flat(f"https://doi.org/{article.doi}") in flat(text), "the article to cite, with its DOI"
    assert flat(f"localhost:8000/handouts/{stage}/") in flat(text), "the sheet's own address"
    assert "Teaching material, not part of the study".upper() in text.upper() and "Notes".upper() in text.upper()
    assert [said for said in SCREEN_ONLY if said in text] == []
    note = real_study.teaching_for(stage)
    assert note is not None
    numbers = {q.id: n for n, q in enumerate(real_study.quotations, start=1)}
    for activity in (*note.questions, *note.prompts):
        for qid in activity.quotations:
            assert re.search(rf"Quotation {numbers[qid]}\b", text), f"quotation {numbers[qid]}, which the questions cite"


def test_the_handout_offers_print_and_a_way_back_on_screen_only(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "handouts/coming-home/")
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    button = page.get_by_role("button", name="Print this handout")
    button.click()
    assert page.evaluate("() => window.printed === true"), "the button prints"
    back = page.get_by_role("link", name="← Back to stage IV, Coming home")
    assert back.get_attribute("href") == "../../stages/coming-home/"
    page.emulate_media(media="print")
    assert not button.is_visible() and not back.is_visible(), "neither is printed"
    context.close()

    without_scripts = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = without_scripts.new_page()
    page.goto(site_url + "handouts/coming-home/")
    assert page.locator(".handout__print").is_hidden(), "a button that could do nothing is not shown"
    assert page.locator(".handout__back").is_visible()
    without_scripts.close()


def test_no_handout_leaves_a_quotation_out_silently(built_site: Path, built_page: PageReader, real_study: Study) -> None:
    numbers = {q.id: n for n, q in enumerate(real_study.quotations, start=1)}
    for stage in real_study.stages:
        html = built_page(built_site / "handouts" / stage.id / "index.html")
        shown = {int(caption.get_text().split()[-1]) for caption in html.select(".handout__quote figcaption")}
        named = {int(link.get_text().split()[-1]) for link in html.select(".handout__left-out a")}
        own = {numbers[q.id] for theme in real_study.themes_of(stage) for q in real_study.quotations_of(theme)}
        assert own <= shown | named, f"stage {stage.id}: every quotation is on the sheet or named as left out"
        assert not shown & named
        assert own == shown, f"stage {stage.id}: in this study, every quotation of a stage fits its sheet"


def test_a_handout_short_of_room_keeps_what_its_questions_cite_and_names_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    study, bibliography = load_study(SourceFolders(ROOT))
    stage_ids = {stage.id for stage in study.stages}
    stage_notes_only = replace(study, teaching=tuple(note for note in study.teaching if note.about in stage_ids))
    stage = study.stages[0]
    note = stage_notes_only.teaching_for(stage.id)
    assert note is not None
    cited = {qid for activity in (*note.questions, *note.prompts) for qid in activity.quotations}
    own = [q.id for theme in study.themes_of(stage) for q in study.quotations_of(theme)]
    assert cited and set(own) - cited, "the case to test: some of the stage's quotations are cited, some not"

    assert {q.id for q in handout_quotations(stage_notes_only, stage, room=0)} == cited
    assert [q.id for q in handout_quotations(stage_notes_only, stage, room=10**6)] == own

    monkeypatch.setattr(pages, "handout_quotations", functools.partial(handout_quotations, room=0))
    markdown = StudyRenderer(stage_notes_only, ReferenceList(bibliography)).handout_page(stage)
    numbers = {q.id: n for n, q in enumerate(study.quotations, start=1)}
    left_out = [qid for qid in own if qid not in cited]
    assert re.findall(r"<figcaption>Quotation (\d+)</figcaption>", markdown) == [str(numbers[q]) for q in own if q in cited]
    assert "Not on this sheet, for want of room:" in markdown
    for qid in left_out:
        assert f"[quotation {numbers[qid]}](../quotations.md#quote-{qid})" in markdown


# --- the whole study ----------------------------------------------------------------------------

def test_the_whole_study_prints_on_a4_with_only_what_paper_needs_and_no_half_empty_page(browser, site_url: str) -> None:
    pdf, page = printed(browser, site_url + "study/")
    page.context.close()
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) < 2 and abs(float(box.height) - A4[1]) < 2, "A4"
    assert 8 <= len(pdf.pages) <= 16
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for expected in ("Physiotherapists in Balint Group Training", "Abstract", "Figure 1. The sequential model of the journey",
                     "The researchers’ interpretation", "to Paris to learn more about London", "Quotation 15 of 15",
                     "https://doi.org/10.1016/0738-3991(95)00756-P"):
        assert expected.upper() in text.upper(), expected
    assert [said for said in SCREEN_ONLY if said in text] == [], "nothing that only a screen can use"
    assert "<https://doi.org/" not in text, "a DOI printed as a reference's text is not printed again"
    figure_pages = [n for n, p in enumerate(pdf.pages) if "Figure 1." in p.extract_text()]
    assert len(figure_pages) == 1, "the figure is kept whole, on one page"

    # How much of each page is left blank below its last line: measured against the text area that
    # the fullest pages show (the highest first line and the lowest last line of any page).
    lines = [text_lines(p) for p in pdf.pages]
    top, bottom = max(max(page_lines) for page_lines in lines), min(min(page_lines) for page_lines in lines)
    blank = [round((min(page_lines) - bottom) / (top - bottom), 2) for page_lines in lines]
    assert [share for share in blank[:-1] if share > 0.25] == [], f"share of each page left blank: {blank}"


def test_printing_from_a_dark_screen_prints_the_study_black_on_white(browser, site_url: str) -> None:
    pdf, page = printed(browser, site_url + "study/", "dark")
    try:
        dark = dark_backgrounds(page)
        quotations = page.eval_on_selector_all(".quotation blockquote p", "ps => ps.map(p => getComputedStyle(p).color)")
        headings = page.eval_on_selector_all("h1, h2, h3, h4", "hs => hs.map(h => getComputedStyle(h).color)")
    finally:
        page.context.close()
    assert dark == []
    assert [share for sheet in pdf.pages for share in dark_paint(sheet)] == [], "no page, margin or panel printed dark"
    assert len(quotations) == 15 and all(contrast_on_white(colour) >= 7 for colour in quotations + headings)
    assert len(pdf.pages) >= 8


def test_a_handout_whose_quotation_outgrows_the_sheet_runs_on_without_blank_pages(browser, site_url: str) -> None:
    """Another study's cited quotation of 3,000 words cannot fit one sheet: the handout runs on, each
    page full, rather than leaving pages blank below a heading."""
    url = site_url + "handouts/starting-out/"
    context = browser.new_context(viewport=PRINTED_AREA)
    page = context.new_page()

    def lengthened(route: Any) -> None:
        html = route.fetch().text()
        opening = html.index("<blockquote>", html.index('class="handout__quote"')) + len("<blockquote>")
        route.fulfill(body=html[:opening] + "<p>" + "a patient I could not stop thinking about " * 400 + "</p>" + html[opening:],
                      content_type="text/html")

    page.route(url, lengthened)
    page.goto(url)
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    context.close()
    assert len(pdf.pages) >= 3
    lines = [text_lines(p) for p in pdf.pages]
    top, bottom = max(max(page_lines) for page_lines in lines), min(min(page_lines) for page_lines in lines)
    blank = [round((min(page_lines) - bottom) / (top - bottom), 2) for page_lines in lines]
    assert [share for share in blank[:-1] if share > 0.25] == [], f"share of each page left blank: {blank}"

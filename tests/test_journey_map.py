"""Figure 1, the journey map, as a reader meets it: text of 14 CSS px at least at every width (the
wide map only where its figure is wide enough, the tall one elsewhere), labels that keep to their
stage's frame, an underline under words and not spaces, labels of 4.5:1 contrast in light and dark
mode, and a black-and-white print.

The layout is checked in Python for studies of any shape (its widths are estimates), then measured
in Debian's Chromium on the real study and on a second study whose labels are long.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, build_site, edit, served, soup

from build_tools.model import Study
from build_tools.site.journey_map import SMALLEST_TEXT, arrange, text_width_of, wrap
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import load_study

SECOND_STUDY = ROOT / "tests" / "fixtures" / "second-study"
LONG_LABELS = {  # ours, for the test: labels longer than any the study has, and a word too long for a line
    "carrying-the-unsaid": "Carrying what the night’s records never said aloud to anyone who came after",
    "borrowing-certainty": "Borrowing certainty from a doctor on the telephone at three in the morning",
    "reading-the-room": "Reading the room",
    "small-rituals": "Small rituals of handing-over-and-taking-responsibility-for-the-whole-ward",
    "words-that-travel": "Words that travel from one shift to the next, changed a little by each",
    "letting-go": "Letting go",
}


# The layout, for studies of any shape.

def second_study() -> Study:
    study, _ = load_study(SourceFolders(SECOND_STUDY))
    assert study is not None
    return study


def long_study(real: Study) -> Study:
    """Three stages, one of them with six themes whose labels are long (built from the real study's model)."""
    stages = real.stages[:3]
    labels = list(LONG_LABELS.values())
    themes = [dataclasses.replace(theme, label=labels[index % len(labels)], stage_id=stages[1].id, order=index + 1)
              for index, theme in enumerate(real.themes[:6])]
    themes.insert(0, dataclasses.replace(real.themes[6], stage_id=stages[0].id, order=1))
    themes.append(dataclasses.replace(real.themes[7], stage_id=stages[2].id, order=1))
    return Study(stages=stages, themes=tuple(themes), quotations=(), references=())


def shapes(real: Study) -> dict[str, Study]:
    return {"real": real, "second": second_study(), "long": long_study(real),
            "one stage": Study(stages=real.stages[:1], themes=tuple(real.themes_of(real.stages[0])), quotations=(), references=())}


Box = tuple[float, float, float, float]  # left, top, right, bottom


def inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("orientation", ["horizontal", "vertical"])
def test_every_label_is_laid_out_inside_its_stage_frame_in_any_study(real_study: Study, orientation: str) -> None:
    for name, study in shapes(real_study).items():
        journey = arrange(study, orientation)  # type: ignore[arg-type]
        frames = {region.stage.id: (region.x, region.y, region.x + region.width, region.y + region.height) for region in journey.stages}
        stage_of = {stop.number: stop.theme.stage_id for stop in journey.stops}
        blocks = []
        for region in journey.stages:
            for kind, lines, y, size, line, bold in (("title", region.title_lines, region.title_y, 17, 21, True),
                                                    ("subtitle", region.subtitle_lines, region.subtitle_y, 15, 19, False)):
                width = max(text_width_of(text, size, bold) for text in lines)
                box = (region.text_x, y - 0.8 * size, region.text_x + width, y + line * (len(lines) - 1) + 0.25 * size)
                assert inside(box, frames[region.stage.id]), (name, region.stage.id, kind, lines)
                blocks.append((f"{region.stage.id} {kind}", box))
        for stop in journey.stops:
            frame = frames[stage_of[stop.number]]
            assert inside((stop.x - 16, stop.y - 16, stop.x + 16, stop.y + 16), frame), (name, stop.number, "stop")
            for kind, lines, x, y in (("label", stop.label_lines, stop.label_x, stop.label_y), ("count", ("000 quotations",), stop.count_x, stop.count_y)):
                width = max(text_width_of(text, 15) for text in lines)
                left = x - width / 2 if stop.label_anchor == "middle" else x
                box = (left, y - 12, left + width, y + 19 * (len(lines) - 1) + 4)
                assert inside(box, frame), (name, stop.number, kind, lines, box, frame)
                if kind == "label":
                    assert all(line == line.strip() and line for line in lines), (name, lines)
                    assert "".join(lines).replace(" ", "") == stop.theme.label.replace(" ", ""), "the label's words, in order"
                    blocks.append((f"stop {stop.number}", box))
                    assert not overlap(box, (stop.x - 16, stop.y - 16, stop.x + 16, stop.y + 16)), (name, stop.number, "label over its stop")
        for index, (first, a) in enumerate(blocks):
            for second, b in blocks[index + 1:]:
                assert not overlap(a, b), (name, orientation, first, second)


def test_a_word_too_long_for_a_line_is_cut_and_no_line_is_wider_than_its_room() -> None:
    lines = wrap("Small rituals of handing-over-and-taking-responsibility-for-the-whole-ward", 150, 15)
    assert all(text_width_of(line, 15) <= 150 for line in lines)
    assert "".join(lines).replace(" ", "") == "Smallritualsofhanding-over-and-taking-responsibility-for-the-whole-ward"
    assert wrap("Beating around the bush", 1000, 15) == ("Beating around the bush",)


# The built figure.

def test_the_underline_runs_under_words_only(built_site: Path) -> None:
    for page in ("index.html", "study/index.html"):
        figure = soup(built_site / page).select_one("figure.journey")
        assert figure is not None
        labels = figure.select(".journey__stop-label")
        assert len(labels) == 16, "eight stops on each of the two maps"
        for label in labels:
            assert [child.name for child in label.children] == ["tspan"] * len(label.select("tspan")), "no bare text, no space between lines"
            for line in label.select("tspan"):
                assert line.get_text() == line.get_text().strip() != "", repr(line.get_text())


def test_the_figure_offers_both_maps_and_their_size_for_the_container_query(built_site: Path) -> None:
    figure = soup(built_site / "index.html").select_one("figure.journey")
    assert figure is not None
    classes = [svg["class"] for svg in figure.select("svg")]
    assert classes == [["journey__map", "journey__map--horizontal", "journey__map--columns-4"], ["journey__map", "journey__map--vertical"]]
    assert len(figure.select("path.journey__terminus")) == 4, "a flag and a house on each map"
    css = (ROOT / "build_tools" / "site" / "assets" / "study.css").read_text(encoding="utf-8")
    for columns in range(2, 7):  # the wide map's width in map units x 14 px / 15 units: the container each needs
        assert f"@container journey (min-width: {columns * 180 * 14 // 15}px)" in css
        assert f".journey__map--horizontal.journey__map--columns-{columns} {{ display: block;" in css


# In the browser.


@pytest.fixture(scope="module")
def long_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The second study (three stages of one, three and two themes) with long labels."""
    project = Path(shutil.copytree(SECOND_STUDY, tmp_path_factory.mktemp("long") / "study"))
    for theme, label in LONG_LABELS.items():
        path = project / "themes" / f"{theme}.md"
        old = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("label: "))
        edit(path, old, f"label: {label}")
    with served(build_site(project)) as url:
        yield url


# What the visible map measures: the size of each text in CSS px, the boxes of texts (and stops)
# against their stage's frame, in the map's own units.
MEASURE = """() => {
  const maps = [...document.querySelectorAll('figure.journey svg')].filter(svg => svg.getBoundingClientRect().width > 0);
  const svg = maps[0];
  const scale = svg.getScreenCTM().a;
  const number = (element, prefix) => [...element.classList].find(c => c.startsWith(prefix)).slice(prefix.length);
  const frames = {};
  svg.querySelectorAll('.journey__stage').forEach(g => { frames[number(g, 'journey__stage--')] = g.querySelector('rect').getBBox(); });
  const crossings = [];
  const within = (element, frame, what) => {
    const b = element.getBBox();
    if (b.x < frame.x || b.y < frame.y || b.x + b.width > frame.x + frame.width || b.y + b.height > frame.y + frame.height)
      crossings.push([what, element.textContent, [b.x, b.y, b.width, b.height], [frame.x, frame.y, frame.width, frame.height]]);
  };
  svg.querySelectorAll('.journey__stage').forEach(g => g.querySelectorAll('text').forEach(t => within(t, frames[number(g, 'journey__stage--')], 'header')));
  svg.querySelectorAll('.journey__stop').forEach(a => {
    const frame = frames[number(a, 'journey__stop--stage-')];
    a.querySelectorAll('text, circle').forEach(t => within(t, frame, t.getAttribute('class') || 'stop'));
  });
  const sizes = [...svg.querySelectorAll('text')].map(t => [t.textContent, scale * parseFloat(getComputedStyle(t).fontSize)]);
  return {visible: maps.map(s => s.getAttribute('class')), sizes, crossings, width: svg.getBoundingClientRect().width};
}"""

# The colours a text is drawn in and drawn on: the page's background, the frame's fill over it, the
# label's fill; each stop's number on its circle.
COLOURS = """() => {
  const svg = [...document.querySelectorAll('figure.journey svg')].find(svg => svg.getBoundingClientRect().width > 0);
  let node = svg, page = 'rgba(0, 0, 0, 0)';
  while (node && /rgba\\(.*, 0\\)$|transparent/.test(page)) { page = getComputedStyle(node).backgroundColor; node = node.parentElement; }
  const fill = element => getComputedStyle(element).fill;
  return {page, frame: fill(svg.querySelector('.journey__stage rect')),
          texts: [...svg.querySelectorAll('.journey__stage text, .journey__stop-label, .journey__stop-count')].map(t => [t.textContent, fill(t)]),
          numbers: [...svg.querySelectorAll('.journey__stop')].map(a => [fill(a.querySelector('.journey__stop-number')), fill(a.querySelector('circle'))])};
}"""


def rgba(css: str) -> tuple[float, float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return (values[0], values[1], values[2], values[3] if len(values) > 3 else 1.0)


def over(top: str, below: str) -> tuple[float, float, float]:
    r, g, b, a = rgba(top)
    base = rgba(below)
    return (r * a + base[0] * (1 - a), g * a + base[1] * (1 - a), b * a + base[2] * (1 - a))


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def luminance(colour: tuple[float, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


WIDTHS = [320, 360, 768, 1024, 1366]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_map_text_is_14_px_and_keeps_to_its_frame_at_every_width(browser: Any, site_url: str, width: int, scheme: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    for path in ("", "study/"):
        page.goto(site_url + path)
        measured = page.evaluate(MEASURE)
        assert len(measured["visible"]) == 1, (path, measured["visible"])
        small = [(text, round(px, 2)) for text, px in measured["sizes"] if round(px, 2) < SMALLEST_TEXT]
        assert small == [], (path, width, measured["visible"], small)
        assert measured["crossings"] == [], (path, width, measured["crossings"])
        colours = page.evaluate(COLOURS)
        ground = over(colours["frame"], colours["page"])
        low = [(text, fill, round(contrast(rgba(fill), ground), 2)) for text, fill in colours["texts"] if contrast(rgba(fill), ground) < 4.5]
        assert low == [], (path, scheme, colours["page"], colours["frame"], low)
        assert all(contrast(rgba(number), rgba(circle)) >= 4.5 for number, circle in colours["numbers"]), colours["numbers"]
    context.close()


@pytest.mark.parametrize("width", [360, 768, 1366])
def test_long_labels_of_another_study_keep_to_their_frames(browser: Any, long_site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(long_site_url)
    measured = page.evaluate(MEASURE)
    # Three stages, four columns wide: the middle stage has two labels below the road, each a column's width.
    expected = "journey__map journey__map--vertical" if width < 700 else "journey__map journey__map--horizontal journey__map--columns-4"
    assert measured["visible"] == [expected]
    assert [size for size in measured["sizes"] if round(size[1], 2) < SMALLEST_TEXT] == []
    assert measured["crossings"] == [], measured["crossings"]
    context.close()


def test_the_map_chooses_by_the_room_of_its_figure_not_the_window(browser: Any, site_url: str) -> None:
    """The same window (1366 px) and page, the figure given less room: below the 672 px the wide map
    needs (720 units, text of 15), the tall map."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(site_url + "study/")
    page.evaluate("() => { document.querySelector('figure.journey').style.width = '660px'; }")
    assert page.evaluate(MEASURE)["visible"] == ["journey__map journey__map--vertical"], "the wide map's text would be 13.75 px"
    page.evaluate("() => { document.querySelector('figure.journey').style.width = '672px'; }")
    measured = page.evaluate(MEASURE)
    assert measured["visible"] == ["journey__map journey__map--horizontal journey__map--columns-4"]
    assert min(round(px, 2) for _, px in measured["sizes"]) >= SMALLEST_TEXT  # to the hundredth: 672 * 15 / 720 is 14 exactly
    context.close()


def test_the_tall_map_keeps_its_width_in_a_wide_figure(browser: Any, site_url: str) -> None:
    """In a figure too narrow for the wide map but wide for the tall one (a 600 px window), the tall map
    keeps its own width (Material's .md-typeset svg { max-width: 100% } must not undo it)."""
    context = browser.new_context(viewport={"width": 600, "height": 900})
    page = context.new_page()
    page.goto(site_url)
    measured = page.evaluate(MEASURE)
    assert measured["visible"] == ["journey__map journey__map--vertical"]
    assert page.evaluate("() => document.querySelector('.journey__map--vertical').getBoundingClientRect().width") <= 400
    context.close()


PRINTED = """() => [...document.querySelectorAll('figure.journey svg')].flatMap(svg =>
  [...svg.querySelectorAll('text, rect, path, circle')].map(e => {
    const style = getComputedStyle(e);
    return [e.tagName + '.' + (e.getAttribute('class') || e.parentElement.getAttribute('class')), style.fill, style.stroke, style.display];
  }))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_prints_in_black_and_white(browser: Any, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url)
    page.emulate_media(media="print")
    drawn = page.evaluate(PRINTED)
    coloured = [(what, fill, stroke) for what, fill, stroke, _ in drawn
                for colour in (fill, stroke) if colour != "none" and len(set(rgba(colour)[:3])) > 1]
    assert coloured == [], coloured
    texts = {fill for what, fill, _, _ in drawn if what.startswith("text.")}
    assert texts == {"rgb(0, 0, 0)"}, texts
    stops = {(fill, stroke) for what, fill, stroke, _ in drawn if what.startswith("circle.")}
    assert len(stops) == 1, "every stop alike: the stages are told by their numerals and frames, not by colour"
    frames = {fill for what, fill, _, _ in drawn if what.startswith("rect.")}
    assert frames == {"rgb(255, 255, 255)"}, frames
    numerals = page.locator(".journey__map--horizontal .journey__stage-numeral").all_text_contents()
    assert numerals == ["I.", "II.", "III.", "IV."]
    context.close()

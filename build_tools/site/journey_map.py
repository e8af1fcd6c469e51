"""The journey map (the study's Figure 1) laid out as geometry, ready for an SVG template.

Two layouts come from the same study: a wide one with the stages side by side, and a tall one
for narrow screens, where the same journey runs down the page instead of shrinking.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from ..model import Stage, Study, Theme

Orientation = Literal["horizontal", "vertical"]


@dataclass(frozen=True)
class MapStop:
    """A theme as a stop on the road: numbered in journey order, with its label wrapped."""

    theme: Theme
    number: int
    x: float
    y: float
    label_lines: tuple[str, ...]
    label_x: float
    label_y: float
    label_anchor: str

    @property
    def count_x(self) -> float:
        return self.label_x

    @property
    def count_y(self) -> float:
        """Where "n quotations" appears on hover or focus: on the far side of the label from the road."""
        if self.label_anchor == "start" or self.label_y > self.y:
            return self.label_y + LINE_HEIGHT * len(self.label_lines)
        return self.label_y - LINE_HEIGHT


@dataclass(frozen=True)
class MapStage:
    """A stage as a region of the map, with its numeral, title and subtitle."""

    stage: Stage
    x: float
    y: float
    width: float
    height: float
    text_x: float
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]


@dataclass(frozen=True)
class JourneyMap:
    orientation: Orientation
    width: float
    height: float
    stages: tuple[MapStage, ...]
    stops: tuple[MapStop, ...]
    road: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


STOP_RADIUS = 16
LINE_HEIGHT = 18
MARGIN = 8.0


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def counted(number: int, noun: str) -> str:
    """"four stages", "one theme", "14 themes": words up to twelve, as print style has it."""
    word = NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else str(number)
    return f"{word} {noun}{'' if number == 1 else 's'}"


def caption(study: Study, title: str) -> str:
    """The map's caption: ``title``, then the journey's shape as it is ("four stages, each made up
    of two themes" only when every stage has two)."""
    per_stage = {len(study.themes_of(stage)) for stage in study.stages}
    stages = counted(len(study.stages), "stage")
    if len(study.stages) == 1:
        shape = f"one stage of {counted(len(study.themes), 'theme')}"
    elif len(per_stage) == 1:
        shape = f"{stages}, each made up of {counted(per_stage.pop(), 'theme')}"
    else:
        shape = f"{counted(len(study.themes), 'theme')} in {stages}"
    return f"{title.rstrip('.:')}: {shape}."


def arrange(study: Study, orientation: Orientation) -> JourneyMap:
    return _horizontal(study) if orientation == "horizontal" else _vertical(study)


def _horizontal(study: Study) -> JourneyMap:
    """Stages side by side; stops alternate above and below the road, labels outside it."""
    column = 250.0
    titles = {stage.id: (_wrap(f"{stage.numeral}. {stage.title}", 22), _wrap(stage.subtitle, 26)) for stage in study.stages}
    labels = {theme.id: _wrap(theme.label, 20) for theme in study.themes}
    header = 30 + LINE_HEIGHT * max((len(a) + len(b) for a, b in titles.values()), default=2)
    most_lines = max((len(lines) for lines in labels.values()), default=1)
    # Room above the upper stops and below the lower ones for the label and, on hover, the count.
    upper = header + LINE_HEIGHT * (most_lines + 1) + STOP_RADIUS + 14
    lower = upper + 80
    height = lower + STOP_RADIUS + 14 + LINE_HEIGHT * (most_lines + 1) + MARGIN
    stages: list[MapStage] = []
    stops: list[MapStop] = []
    for column_index, stage in enumerate(study.stages):
        x0 = column_index * column
        themes = study.themes_of(stage)
        title, subtitle = titles[stage.id]
        stages.append(MapStage(stage, x0 + MARGIN / 2, MARGIN, column - MARGIN, height - 2 * MARGIN, x0 + 16, title, subtitle))
        for index, theme in enumerate(themes):
            x = round(x0 + column * (index + 1) / (len(themes) + 1), 1)
            lines = labels[theme.id]
            if len(stops) % 2 == 0:
                y, label_y = upper, upper - STOP_RADIUS - 12 - LINE_HEIGHT * (len(lines) - 1)
            else:
                y, label_y = lower, lower + STOP_RADIUS + 22
            stops.append(MapStop(theme, len(stops) + 1, x, y, lines, x, label_y, "middle"))
    width = column * max(len(study.stages), 1)
    return JourneyMap("horizontal", width, height, tuple(stages), tuple(stops), _road([(s.x, s.y) for s in stops], horizontal=True))


def _vertical(study: Study) -> JourneyMap:
    """The same journey running down the page, for narrow screens."""
    width, road_x, row = 340.0, 30.0, 26.0
    text_x = road_x + STOP_RADIUS + 12
    stages: list[MapStage] = []
    stops: list[MapStop] = []
    y = MARGIN
    for stage in study.stages:
        top = y
        title = _wrap(f"{stage.numeral}. {stage.title}", 24)
        subtitle = _wrap(stage.subtitle, 30)
        y += LINE_HEIGHT * (len(title) + len(subtitle)) + 22
        for theme in study.themes_of(stage):
            lines = _wrap(theme.label, 28)
            stop_y = round(y + STOP_RADIUS, 1)
            label_y = round(stop_y - LINE_HEIGHT * (len(lines) - 1) / 2 + 5, 1)
            stops.append(MapStop(theme, len(stops) + 1, road_x, stop_y, lines, text_x, label_y, "start"))
            y += max(2 * STOP_RADIUS, LINE_HEIGHT * len(lines)) + row
        stages.append(MapStage(stage, MARGIN, top, width - 2 * MARGIN, y - top - 10, text_x, title, subtitle))
        y += 6
    return JourneyMap("vertical", width, y, tuple(stages), tuple(stops), _road([(s.x, s.y) for s in stops], horizontal=False))


def _road(points: list[tuple[float, float]], horizontal: bool) -> str:
    """A smooth road through the stops (cubic curves), as SVG path data."""
    if not points:
        return ""
    path = [f"M {points[0][0]:g} {points[0][1]:g}"]
    for (x0, y0), (x1, y1) in pairwise(points):
        if horizontal:
            middle = (x0 + x1) / 2
            path.append(f"C {middle:g} {y0:g}, {middle:g} {y1:g}, {x1:g} {y1:g}")
        else:
            path.append(f"L {x1:g} {y1:g}")
    return " ".join(path)


def _wrap(text: str, width: int) -> tuple[str, ...]:
    return tuple(textwrap.wrap(text, width)) or ("",)

"""The journey map (the study's Figure 1) laid out as geometry, ready for an SVG template.

Two layouts come from the same study: a wide one with the stages side by side, and a tall one
for narrow screens, where the same journey runs down the page instead of shrinking.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from .model import Stage, Study, Theme

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


@dataclass(frozen=True)
class MapStage:
    """A stage as a region of the map, with its numeral, title and subtitle."""

    stage: Stage
    x: float
    y: float
    width: float
    height: float
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


def layout(study: Study, orientation: Orientation) -> JourneyMap:
    return _horizontal(study) if orientation == "horizontal" else _vertical(study)


def _horizontal(study: Study) -> JourneyMap:
    column, header, margin = 250.0, 92.0, 10.0
    stages, stops = [], []
    lane_y = (header + 70.0, header + 200.0)
    for column_index, stage in enumerate(study.stages):
        x0 = column_index * column
        themes = study.themes_of(stage)
        stages.append(MapStage(stage, x0 + margin / 2, margin, column - margin, 0, _wrap(f"{stage.numeral}. {stage.title}", 24), _wrap(stage.subtitle, 28)))
        for index, theme in enumerate(themes):
            x = x0 + column * (index + 1) / (len(themes) + 1)
            y = lane_y[(len(stops)) % 2]
            stops.append(MapStop(theme, len(stops) + 1, x, y, _wrap(theme.label, 22), x, y + STOP_RADIUS + 20, "middle"))
    height = max((stop.label_y + LINE_HEIGHT * len(stop.label_lines) for stop in stops), default=header) + margin
    stages = [MapStage(s.stage, s.x, s.y, s.width, height - 2 * margin, s.title_lines, s.subtitle_lines) for s in stages]
    width = column * max(len(study.stages), 1)
    return JourneyMap("horizontal", width, height, tuple(stages), tuple(stops), _road([(s.x, s.y) for s in stops], horizontal=True))


def _vertical(study: Study) -> JourneyMap:
    width, margin, road_x, row = 340.0, 8.0, 34.0, 30.0
    stages, stops = [], []
    y = margin
    for stage in study.stages:
        top = y
        title = _wrap(f"{stage.numeral}. {stage.title}", 26)
        subtitle = _wrap(stage.subtitle, 32)
        y += LINE_HEIGHT * (len(title) + len(subtitle)) + 20
        for theme in study.themes_of(stage):
            lines = _wrap(theme.label, 30)
            stop_y = y + STOP_RADIUS
            stops.append(MapStop(theme, len(stops) + 1, road_x, stop_y, lines, road_x + STOP_RADIUS + 12, stop_y - LINE_HEIGHT * (len(lines) - 1) / 2 + 5, "start"))
            y += max(2 * STOP_RADIUS, LINE_HEIGHT * len(lines)) + row
        stages.append(MapStage(stage, margin, top, width - 2 * margin, y - top - 10, title, subtitle))
        y += 6
    return JourneyMap("vertical", width, y, tuple(stages), tuple(stops), _road([(s.x, s.y) for s in stops], horizontal=False))


def _road(points: list[tuple[float, float]], horizontal: bool) -> str:
    """A smooth road through the stops (cubic curves), as SVG path data."""
    if not points:
        return ""
    path = [f"M {points[0][0]:g} {points[0][1]:g}"]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if horizontal:
            middle = (x0 + x1) / 2
            path.append(f"C {middle:g} {y0:g}, {middle:g} {y1:g}, {x1:g} {y1:g}")
        else:
            path.append(f"L {x1:g} {y1:g}")
    return " ".join(path)


def _wrap(text: str, width: int) -> tuple[str, ...]:
    return tuple(textwrap.wrap(text, width)) or ("",)

"""The journey map (the study's Figure 1) laid out as geometry, ready for an SVG template.

The map is a road from a flag (setting out) to a house (coming home) through numbered stops, one
per theme, inside a framed region per stage. Two layouts come from the same study: a wide one with
the stages side by side, and a tall one where the same road runs down the page. The figure shows
the wide one only where its container leaves the text at least ``SMALLEST_TEXT`` CSS pixels
(study.css holds the container query, one rule per width in columns up to six; a wider journey is
always tall on screen), the tall one elsewhere: its width keeps the text that size down to a 320 px
screen.

SVG text does not wrap, so each label is wrapped here, measured with widths a little wider than
DejaVu Sans (the widest common system font), and kept within its stage's frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from ..model import Stage, Study, Theme

Orientation = Literal["horizontal", "vertical"]

# Font sizes in the map's units; study.css sets the same sizes (keep them together).
NUMERAL_SIZE, TITLE_SIZE, TEXT_SIZE = 24.0, 17.0, 15.0
NUMERAL_LINE, TITLE_LINE, LINE_HEIGHT = 28.0, 21.0, 19.0
STOP_RADIUS = 16.0
SMALLEST_TEXT = 14.0  # CSS px: no text of the map is drawn smaller
COLUMN = 180.0  # a column of the wide map: 4 columns need a 672 px container (720 * 14 / 15)
TALL_WIDTH = 300.0  # the tall map: 15-unit text stays 14.4 px in the 288 px a 320 px screen leaves
INSET = 4.0  # between a frame and its column's edge
PAD = 10.0  # between a frame and its text
GAP = 8.0  # between two labels on the same side of the road
TERMINUS_ROOM = 30.0  # from the map's edge to the flag's pole or the house's middle
WIDEST_COUNT = "000 quotations"  # the count a stop shows on hover is no wider


@dataclass(frozen=True)
class MapStop:
    """A theme as a stop on the road: numbered in journey order, its label wrapped to its room."""

    theme: Theme
    number: int
    x: float
    y: float
    label_lines: tuple[str, ...]
    label_x: float
    label_y: float
    label_anchor: str
    count_x: float
    count_y: float


@dataclass(frozen=True)
class MapStage:
    """A stage as a framed region of the map: its numeral, title and subtitle at the top."""

    stage: Stage
    x: float
    y: float
    width: float
    height: float
    text_x: float
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]

    @property
    def numeral_y(self) -> float:
        return self.y + PAD + NUMERAL_SIZE

    @property
    def title_y(self) -> float:
        return self.numeral_y + TITLE_LINE

    @property
    def subtitle_y(self) -> float:
        return self.title_y + TITLE_LINE * (len(self.title_lines) - 1) + LINE_HEIGHT


@dataclass(frozen=True)
class JourneyMap:
    orientation: Orientation
    width: float
    height: float
    stages: tuple[MapStage, ...]
    stops: tuple[MapStop, ...]
    road: str
    start: str  # the flag where the road sets out, as path data
    home: str  # the house where it ends

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def columns(self) -> int:
        """How many columns of ``COLUMN`` units the wide map is: the class its container query reads."""
        return round(self.width / COLUMN)

    @property
    def line_height(self) -> float:
        return LINE_HEIGHT

    @property
    def title_line(self) -> float:
        return TITLE_LINE

    @property
    def stop_radius(self) -> float:
        return STOP_RADIUS


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
    """Stages side by side; the stops alternate above and below the road, each label on the far
    side of its stop, in the room its stage leaves it. A stage is one column wide for each label
    it has on its fuller side, so that no label has less than a column's width."""
    # Each stop's side: above the road for the first, then alternately.
    sides: dict[str, list[bool]] = {}
    for stage in study.stages:
        sides[stage.id] = [(sum(map(len, sides.values())) + index) % 2 == 0 for index in range(len(study.themes_of(stage)))]
    columns = [max(1, sides[stage.id].count(True), sides[stage.id].count(False)) for stage in study.stages]
    edges = [COLUMN * sum(columns[:index]) for index in range(len(columns) + 1)]
    headers = {stage.id: (wrap(stage.title, COLUMN * span - 2 * (INSET + PAD), TITLE_SIZE, bold=True),
                          wrap(stage.subtitle, COLUMN * span - 2 * (INSET + PAD), TEXT_SIZE))
               for stage, span in zip(study.stages, columns, strict=True)}
    header = max((_header_height(title, subtitle) for title, subtitle in headers.values()), default=0.0)
    placed: list[tuple[Theme, bool, float, float, float]] = []  # theme, above, stop x, its label's room: left, right
    for index, stage in enumerate(study.stages):
        left, right = edges[index] + INSET + PAD, edges[index + 1] - INSET - PAD
        # The first stage leaves room before its stops for the flag, the last after them for the house.
        first = edges[index] + (TERMINUS_ROOM if index == 0 else 0)
        last = edges[index + 1] - (TERMINUS_ROOM if index == len(study.stages) - 1 else 0)
        themes = study.themes_of(stage)
        xs = [round(first + (last - first) * (n + 1) / (len(themes) + 1), 1) for n in range(len(themes))]
        for n, theme in enumerate(themes):
            same_side = [x for x, above in zip(xs, sides[stage.id], strict=True) if above == sides[stage.id][n]]
            position = same_side.index(xs[n])
            room_left = left if position == 0 else (same_side[position - 1] + xs[n] + GAP) / 2
            room_right = right if position == len(same_side) - 1 else (xs[n] + same_side[position + 1] - GAP) / 2
            placed.append((theme, sides[stage.id][n], xs[n], room_left, room_right))
    labels = [wrap(theme.label, right - left, TEXT_SIZE) for theme, _, _, left, right in placed]
    most_above = max((len(lines) for lines, (_, above, *_) in zip(labels, placed, strict=True) if above), default=1)
    most_below = max((len(lines) for lines, (_, above, *_) in zip(labels, placed, strict=True) if not above), default=1)
    # Top to bottom: the headers; the count (shown on hover), labels and stops above the road; the
    # stops, labels and count below it.
    upper = INSET + header + LINE_HEIGHT * (most_above + 1) + STOP_RADIUS + 4
    lower = upper + 76
    height = lower + STOP_RADIUS + 4 + LINE_HEIGHT * (most_below + 1) + PAD + INSET
    stops: list[MapStop] = []
    for lines, (theme, above, x, left, right) in zip(labels, placed, strict=True):
        if above:
            y, label_y = upper, upper - STOP_RADIUS - 10 - LINE_HEIGHT * (len(lines) - 1)
            count_y = label_y - LINE_HEIGHT
        else:
            y, label_y = lower, lower + STOP_RADIUS + 20
            count_y = label_y + LINE_HEIGHT * len(lines)
        stage_index = next(index for index, stage in enumerate(study.stages) if stage.id == theme.stage_id)
        label_x = _within(x, max(text_width_of(line, TEXT_SIZE) for line in lines), left, right)
        count_x = _within(x, text_width_of(WIDEST_COUNT, TEXT_SIZE), edges[stage_index] + INSET + PAD, edges[stage_index + 1] - INSET - PAD)
        stops.append(MapStop(theme, len(stops) + 1, x, y, lines, label_x, label_y, "middle", count_x, count_y))
    stages = tuple(MapStage(stage, edges[index] + INSET, INSET, edges[index + 1] - edges[index] - 2 * INSET, height - 2 * INSET,
                            edges[index] + INSET + PAD, *headers[stage.id])
                   for index, stage in enumerate(study.stages))
    width = edges[-1]
    middle = (upper + lower) / 2
    start, home = (TERMINUS_ROOM, middle), (width - TERMINUS_ROOM, middle)
    points = [start, *((stop.x, stop.y) for stop in stops), home]
    road = " ".join([f"M {start[0]:g} {start[1]:g}", *(f"C {(x0 + x1) / 2:g} {y0:g}, {(x0 + x1) / 2:g} {y1:g}, {x1:g} {y1:g}"
                                                     for (x0, y0), (x1, y1) in pairwise(points))])
    return JourneyMap("horizontal", width, height, stages, tuple(stops), road, _flag(*start), _house(*home))


def _vertical(study: Study) -> JourneyMap:
    """The same journey running down the page: the road on the left, each label to the right of its
    stop; the flag at the top of the first frame, the house at the foot of the last."""
    road_x = INSET + 26
    text_x = road_x + STOP_RADIUS + 12
    text_width = TALL_WIDTH - INSET - PAD - text_x
    stages: list[MapStage] = []
    stops: list[MapStop] = []
    y = INSET
    start = home = (road_x, INSET + PAD + 30)
    for index, stage in enumerate(study.stages):
        top = y
        title, subtitle = wrap(stage.title, text_width, TITLE_SIZE, bold=True), wrap(stage.subtitle, text_width, TEXT_SIZE)
        y += _header_height(title, subtitle) + 14
        for theme in study.themes_of(stage):
            lines = wrap(theme.label, text_width, TEXT_SIZE)
            stop_y = round(y + max(STOP_RADIUS, LINE_HEIGHT * (len(lines) - 1) / 2 + 7), 1)
            label_y = round(stop_y + 5 - LINE_HEIGHT * (len(lines) - 1) / 2, 1)
            count_y = round(label_y + LINE_HEIGHT * len(lines), 1)
            stops.append(MapStop(theme, len(stops) + 1, road_x, stop_y, lines, text_x, label_y, "start", text_x, count_y))
            y = max(stop_y + STOP_RADIUS, count_y + 5) + 16
        if index == len(study.stages) - 1:
            home = (road_x, y + 12)
            y = home[1] + 12
        y += PAD
        stages.append(MapStage(stage, INSET, top, TALL_WIDTH - 2 * INSET, y - top, text_x, title, subtitle))
        y += 2 * INSET
    points = [start, *((stop.x, stop.y) for stop in stops), home]
    road = " ".join([f"M {start[0]:g} {start[1]:g}", *(f"L {x:g} {y:g}" for x, y in points[1:])])
    return JourneyMap("vertical", TALL_WIDTH, max(y - INSET, 2 * INSET), tuple(stages), tuple(stops), road, _flag(*start), _house(*home))


def _header_height(title: tuple[str, ...], subtitle: tuple[str, ...]) -> float:
    """From a frame's top to below its subtitle: the numeral, the title's lines, the subtitle's."""
    return PAD + NUMERAL_SIZE + TITLE_LINE * len(title) + LINE_HEIGHT * len(subtitle) + 6


def _within(x: float, width: float, left: float, right: float) -> float:
    """Where a centred text of ``width`` stands: at ``x`` if it fits, else moved in between ``left`` and ``right``."""
    half = width / 2
    return round(min(max(x, left + half), right - half), 1) if right - left >= width else round((left + right) / 2, 1)


def _flag(x: float, y: float) -> str:
    """A pennant on a pole whose foot stands where the road sets out, (``x``, ``y``); it flies
    back, away from the road ahead."""
    return f"M {x:g} {y:g} V {y - 30:g} L {x - 18:g} {y - 23:g} L {x:g} {y - 16:g}"


def _house(x: float, y: float) -> str:
    """A house centred on (``x``, ``y``): walls, a roof and a door."""
    return (f"M {x - 12:g} {y + 12:g} V {y - 2:g} L {x:g} {y - 14:g} L {x + 12:g} {y - 2:g} V {y + 12:g} Z "
            f"M {x - 4:g} {y + 12:g} V {y + 3:g} H {x + 4:g} V {y + 12:g}")


# Advance widths (in ems) a little wider than DejaVu Sans', the widest common sans-serif; a
# character not listed is taken as wide as a capital.
_NARROW = dict.fromkeys("iljI.,:;'’!|", 0.34) | dict.fromkeys(" ", 0.32) | dict.fromkeys("frt()-[]", 0.42)
_WIDE = dict.fromkeys("mwMW—", 1.0) | dict.fromkeys("“”\"", 0.53)
_LOWER = 0.64
_OTHER = 0.8


def text_width_of(text: str, size: float, bold: bool = False) -> float:
    """An upper bound of ``text``'s width at ``size`` in the common system fonts (bold is wider)."""
    ems = sum(_NARROW.get(c) or _WIDE.get(c) or (_LOWER if c.islower() or c.isdigit() else _OTHER) for c in text)
    return ems * size * (1.12 if bold else 1.0)


def wrap(text: str, width: float, size: float, bold: bool = False) -> tuple[str, ...]:
    """``text`` in lines no wider than ``width``, broken between words (inside a word only where
    the word alone is wider than a line); no line begins or ends with a space."""
    lines: list[str] = []
    for word in text.split():
        for index, piece in enumerate(_pieces(word, width, size, bold)):
            joined = f"{lines[-1]}{' ' if index == 0 else ''}{piece}" if lines else piece  # a word's pieces join with no space
            if lines and text_width_of(joined, size, bold) <= width:
                lines[-1] = joined
            else:
                lines.append(piece)
    return tuple(lines) or ("",)


def _pieces(word: str, width: float, size: float, bold: bool) -> list[str]:
    """``word`` itself, or cut into pieces each as wide as a line at most."""
    pieces: list[str] = []
    while len(word) > 1 and text_width_of(word, size, bold) > width:
        fits = [n for n in range(1, len(word)) if text_width_of(word[:n], size, bold) <= width] or [1]
        cut = max((n for n in fits if word[n - 1] == "-"), default=fits[-1])  # after a hyphen, if one fits
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]

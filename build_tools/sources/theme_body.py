"""A theme's text in the authors' order: prose, quotations, and the researchers' interpretation.

The body of a theme file is Markdown with two additions: a quotation stands on a line of its own
as ``{{< quote ID >}}``, and the researchers' interpretation is fenced as a pandoc div::

    ::: interpretation
    The researchers' interpretation ...
    :::
"""

from __future__ import annotations

import re

from ..markup import SHORTCODE, mask_code
from ..model import Passage, QuotationPlacement, ThemePart
from ..problems import Problem, excerpt

_OPEN = re.compile(r"^:{3,}\s*\{?\.?(?P<kind>[\w-]+)\}?\s*$")
_CLOSE = re.compile(r"^:{3,}\s*$")
DIV_KINDS = ("interpretation",)


def parse_theme_body(body: str, path: str, first_line: int) -> tuple[tuple[ThemePart, ...], list[Problem]]:
    """Split ``body`` into passages and quotation placements; problems are collected."""
    parts: list[ThemePart] = []
    problems: list[Problem] = []
    kind = "description"
    buffer: list[str] = []
    buffer_line = first_line
    open_line = 0
    masked_lines = mask_code(body).split("\n")

    def flush() -> None:
        text = "\n".join(buffer).strip("\n")
        if text.strip():
            leading = len(buffer) - len("\n".join(buffer).lstrip("\n").split("\n"))
            parts.append(Passage(kind, text + "\n", buffer_line + leading))  # type: ignore[arg-type]
        buffer.clear()

    for index, (line, masked) in enumerate(zip(body.split("\n"), masked_lines, strict=True)):
        number = first_line + index
        shortcode = SHORTCODE.match(masked)
        opening = _OPEN.match(masked)
        if _CLOSE.match(masked):
            if kind == "description":
                problems.append(Problem(path, number, "':::' closes nothing: open an interpretation with '::: interpretation' first"))
                continue
            flush()
            kind, buffer_line = "description", number + 1
        elif opening:
            if opening["kind"] not in DIV_KINDS:
                problems.append(Problem(path, number, f"unknown block '::: {opening['kind']}': use '::: interpretation'"))
                continue
            if kind != "description":
                problems.append(Problem(path, number, f"'::: {opening['kind']}' inside another block: "
                                                      f"close the one opened at line {open_line} with ':::' first"))
                continue
            flush()
            kind, buffer_line, open_line = opening["kind"], number + 1, number
        elif shortcode:
            if shortcode["name"] != "quote" or len(shortcode["args"].split()) != 1:
                problems.append(Problem(path, number, f"unknown shortcode '{excerpt(line.strip())}': "
                                                      "a theme places a quotation with '{{< quote ID >}}'"))
                continue
            if kind != "description":
                problems.append(Problem(path, number, f"a quotation cannot stand inside the {kind} opened at line {open_line}: "
                                                      "close it with ':::' before the quotation"))
                continue
            flush()
            parts.append(QuotationPlacement(shortcode["args"].split()[0], number))
            buffer_line = number + 1
        else:
            buffer.append(line)
    if kind != "description":
        problems.append(Problem(path, open_line, f"'::: {kind}' is never closed: add a line ':::' after its last paragraph"))
    flush()
    return tuple(parts), problems

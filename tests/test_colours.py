"""The journey map's colours meet WCAG 2.2 AA in light and dark mode (1.4.11: shapes 3:1; 1.4.3: text 4.5:1)."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

CSS = (ROOT / "build_tools" / "site" / "assets" / "study.css").read_text(encoding="utf-8")
WHITE, SLATE = "#ffffff", "#1e2129"  # Material's default and slate page backgrounds


def variables(selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r"\s*\{(.*?)\}", CSS, re.DOTALL).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme, selector, background", [("light", ":root", WHITE), ("dark", '[data-md-color-scheme="slate"]', SLATE)])
def test_map_colours(scheme: str, selector: str, background: str) -> None:
    colours = variables(selector)
    for stage in range(1, 5):
        stop = colours[f"study-stage-{stage}"]
        assert contrast(stop, background) >= 3, (scheme, stage, "stop against the page")
        assert contrast(stop, background) >= 4.5, (scheme, stage, "stop number (page colour) on the stop")
    assert contrast(colours["study-road"], background) >= 3, (scheme, "road")

"""Where each work is cited: every citation on every page, with the anchor it gets in the HTML.

Anchors are ``cite-<key>-<n>``: the n-th citation of that work on that page, in document order.
The Markdown extension sets them on the rendered links; the references page links back to them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .syntax import cited_keys


@dataclass(frozen=True, slots=True)
class CitingPage:
    """A page that cites a work, and the anchors of its citations there, in document order."""

    uri: str
    title: str
    anchors: tuple[str, ...]


def anchor(key: str, occurrence: int) -> str:
    return f"cite-{key}-{occurrence}"


def citation_index(pages: Iterable[tuple[str, str, str]]) -> dict[str, tuple[CitingPage, ...]]:
    """For ``(uri, title, markdown)`` pages, in the order given: where each key is cited."""
    index: dict[str, list[CitingPage]] = defaultdict(list)
    for uri, title, markdown in pages:
        counts: dict[str, int] = defaultdict(int)
        for key in cited_keys(markdown):
            counts[key] += 1
        for key, count in counts.items():
            index[key].append(CitingPage(uri, title, tuple(anchor(key, n) for n in range(1, count + 1))))
    return {key: tuple(pages_citing) for key, pages_citing in index.items()}

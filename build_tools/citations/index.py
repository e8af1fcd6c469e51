"""Where each work is cited: every citation on every page, with the anchor it gets in the HTML.

Anchors are ``cite-<key>-<n>``: the n-th citation of that work on that page, in document order.
The Markdown extension sets them on the rendered links; the references page and a page's own
reference list link back to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import count, takewhile

from .syntax import cited_keys


@dataclass(frozen=True, slots=True)
class CitingPage:
    """A page that cites a work, and the anchors of its citations there, in document order."""

    uri: str
    title: str
    anchors: tuple[str, ...]


def reference_anchor(key: str) -> str:
    """The id of a work's entry in a reference list, which every citation of it links to."""
    return f"ref-{key}"


def page_reference_anchor(key: str) -> str:
    """The id of a work's entry in a page's own list ("References cited on this page"), which its
    back-links start from: not ``ref-<key>``, the entry on the references page that citations link
    to, but under the same prefix, which no id written in a source may take (see the sanitizer)."""
    return f"ref-here-{key}"


class AnchorNumbering:
    """The one rule for citation anchors: the n-th citation of a work on a page is
    ``cite-<key>-<n>``. The index counts a page's citations with it and the formatter numbers its
    links with it, so the references page's back-links land on the citations."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)

    def next(self, key: str) -> str:
        self.counts[key] += 1
        return f"cite-{key}-{self.counts[key]}"

    @staticmethod
    def of(key: str, anchors: Collection[str]) -> tuple[str, ...]:
        """The anchors of ``key``'s citations among a page's ``anchors``, in document order: as
        :meth:`next` numbered them, ``cite-<key>-1`` and on while the page has them."""
        return tuple(takewhile(anchors.__contains__, (f"cite-{key}-{n}" for n in count(1))))


def citation_index(pages: Iterable[tuple[str, str, str]],
                   members: Callable[[str], tuple[str, ...]] = lambda key: (key,)) -> dict[str, tuple[CitingPage, ...]]:
    """For ``(uri, title, markdown)`` pages, in the order given: where each key is cited; a key
    that stands for several works (a biblatex ``@set``: ``members(key)``) counts as each of them."""
    index: dict[str, list[CitingPage]] = defaultdict(list)
    for uri, title, markdown in pages:
        numbering = AnchorNumbering()
        anchors: dict[str, list[str]] = defaultdict(list)
        for cited in cited_keys(markdown):
            for key in members(cited):
                anchors[key].append(numbering.next(key))
        for key, found in anchors.items():
            index[key].append(CitingPage(uri, title, tuple(found)))
    return {key: tuple(pages_citing) for key, pages_citing in index.items()}

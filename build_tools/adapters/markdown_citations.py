"""Pandoc citations as a Python-Markdown extension, over the citation engine alone.

Being an extension, not a regex over the page, it never sees code spans, code blocks, link URLs
or e-mail addresses: Python-Markdown has set those aside before its patterns run.

Standalone use::

    markdown.markdown(text, extensions=[CitationExtension(bibliography="refs.bib")])
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, STX

from ..citations.bibliography import parse_bibliography
from ..citations.formatter import CitationFormatter
from ..citations.model import Citation
from ..citations.references import ReferenceList
from ..citations.syntax import (
    BRACKETED,
    NARRATIVE,
    CitationSyntaxError,
    parse_bracketed,
    parse_narrative,
)
from ..problems import SourceErrors

# After code (190), escapes (180), links (160) and autolinks (120, 110); before raw HTML (90).
BRACKETED_PRIORITY = 115
NARRATIVE_PRIORITY = 105


class CitationExtension(Extension):
    """Renders ``[@key]`` and ``@key`` as APA 7 citations linked to a references page."""

    def __init__(self, formatter: CitationFormatter | None = None, **kwargs: object):
        self.config = {
            "bibliography": ["", "Path of the .bib file (when no formatter is given)"],
            "references_url": ["references.md", "Link target of the reference list"],
        }
        super().__init__(**kwargs)
        self.formatter = formatter
        self.references_url = str(self.getConfig("references_url"))

    def extendMarkdown(self, md: Markdown) -> None:
        if self.formatter is None:
            self.formatter = _formatter_for(str(self.getConfig("bibliography")))
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        pending = _PendingCitations(md, self)
        md.inlinePatterns.register(_BracketedCitation(BRACKETED.pattern, pending), "pandoc_citation", BRACKETED_PRIORITY)
        md.inlinePatterns.register(_NarrativeCitation(NARRATIVE.pattern, pending), "pandoc_narrative_citation", NARRATIVE_PRIORITY)
        # After the inline patterns (20), before the table of contents (5) reads stashed HTML in headings.
        md.treeprocessors.register(pending, "pandoc_citations", 15)
        md.registerExtension(self)


def _formatter_for(bibliography: str) -> CitationFormatter:
    if not bibliography:
        raise ValueError("pandoc_citations needs a 'bibliography' (path of a .bib file) or a formatter")
    path = Path(bibliography)
    parsed = parse_bibliography(path.read_text(encoding="utf-8"), str(path))
    if parsed.problems:
        raise SourceErrors(parsed.problems)
    return CitationFormatter(ReferenceList(parsed))


class _PendingCitations(Treeprocessor):
    """Citations found by the inline patterns, rendered once the page's tree is complete.

    Each citation stands in the text as a placeholder of Python-Markdown's HTML stash. The inline
    patterns do not visit the page in document order, so the anchors ``cite-<key>-<n>`` that the
    references page links back to are numbered here, walking the finished tree in reading order;
    then each citation's HTML (from its template) takes its place in the stash.
    """

    def __init__(self, md: Markdown, extension: CitationExtension):
        super().__init__(md)
        self.extension = extension
        self.citations: dict[int, tuple[Citation, str]] = {}  # stash index -> citation, its source text

    def placeholder(self, citation: Citation, source: str) -> str:
        self.citations[self.md.htmlStash.html_counter] = (citation, source)
        return self.md.htmlStash.store("")

    def run(self, root: etree.Element) -> None:
        if not self.citations:
            return
        order = [index for index in dict.fromkeys([*self._in_reading_order(root), *sorted(self.citations)]) if index in self.citations]
        assert self.extension.formatter is not None
        rendered = self.extension.formatter.page_html([self.citations[index] for index in order], self.extension.references_url)
        for index, html in zip(order, rendered, strict=True):
            self.md.htmlStash.rawHtmlBlocks[index] = html
        self.citations.clear()

    def _in_reading_order(self, element: etree.Element) -> Iterator[int]:
        """Stash indexes of placeholders in the text under ``element``, as a reader meets them."""
        yield from self._indexes(element.text)
        for child in element:
            yield from self._in_reading_order(child)
            yield from self._indexes(child.tail)

    @staticmethod
    def _indexes(text: str | None) -> Iterator[int]:
        if text and STX in text:
            yield from (int(match.group(1)) for match in HTML_PLACEHOLDER_RE.finditer(text))


class _BracketedCitation(InlineProcessor):
    def __init__(self, pattern: str, pending: _PendingCitations):
        super().__init__(pattern)
        self.pending = pending

    # InlineProcessor's handleMatch differs from that of Pattern, its base (Markdown's stub says so too)
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str | None, int | None, int | None]:  # type: ignore[override]
        try:
            citation = parse_bracketed(m.group("body"))
        except CitationSyntaxError:
            return None, None, None
        return self.pending.placeholder(citation, m.group(0)), m.start(0), m.end(0)


class _NarrativeCitation(InlineProcessor):
    def __init__(self, pattern: str, pending: _PendingCitations):
        super().__init__(pattern)
        self.pending = pending

    # InlineProcessor's handleMatch differs from that of Pattern, its base (Markdown's stub says so too)
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str | None, int | None, int | None]:  # type: ignore[override]
        citation = parse_narrative(m.group("key"), m.group("locator"))
        return self.pending.placeholder(citation, m.group(0)), m.start(0), m.end(0)


def makeExtension(**kwargs: Any) -> CitationExtension:
    return CitationExtension(**kwargs)

"""Pandoc citations as a Python-Markdown extension, over the citation engine alone.

Being an extension, not a regex over the page, it never sees code spans, code blocks, link URLs
or e-mail addresses: Python-Markdown has set those aside before its patterns run.

Standalone use::

    markdown.markdown(text, extensions=[CitationExtension(bibliography="refs.bib", reference_list=True)])
    markdown.markdown(text, extensions=["pandoc_citations"],
                      extension_configs={"pandoc_citations": {"bibliography": "refs.bib", "reference_list": True}})

Options: ``bibliography`` (the .bib file), ``references_url`` (where citations link to, the page of
the reference list), ``reference_list`` (append the cited works' list, each entry with a back-link
(↩) to every citation of it; the citations then link to it, unless ``references_url`` is given) and
``warn_unknown_keys``.

A citation of a key the bibliography lacks shows as ``[@key?]``, and is reported as a warning of
the logger ``build_tools.adapters.markdown_citations`` (this module's name), with its line in the
Markdown where it can be found. The MkDocs plugin turns these warnings off: there the check reports
every unknown key as an error, at its file and line, before anything is built.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, STX

from ..citations.apa import is_known
from ..citations.bibliography import parse_bibliography
from ..citations.formatter import CitationFormatter
from ..citations.index import reference_anchor
from ..citations.model import Citation
from ..citations.references import ReferenceList
from ..citations.syntax import (
    BRACKETED,
    NARRATIVE,
    CitationSyntaxError,
    find_citations,
    parse_bracketed,
    parse_narrative,
)
from ..problems import SourceErrors, excerpt

log = logging.getLogger(__name__)

# After code (190), escapes (180), links (160) and autolinks (120, 110); before raw HTML (90).
BRACKETED_PRIORITY = 115
NARRATIVE_PRIORITY = 105


class CitationExtension(Extension):
    """Renders ``[@key]`` and ``@key`` as APA 7 citations linked to a references page."""

    def __init__(self, formatter: CitationFormatter | None = None, **kwargs: object):
        self.config = {
            "bibliography": ["", "Path of the bibliography: .bib, or CSL .json/.yaml (when no formatter is given)"],
            "references_url": ["references.md", "Link target of the reference list (with reference_list: the document's own)"],
            "reference_list": [False, "Append the cited works' reference list, with back-links to their citations"],
            "warn_unknown_keys": [True, "Log a warning for each citation of a key the bibliography lacks"],
        }
        super().__init__(**kwargs)
        self.formatter = formatter
        self.reference_list = bool(self.getConfig("reference_list"))
        self.warn_unknown_keys = bool(self.getConfig("warn_unknown_keys"))
        # With a list of its own, a document's citations link to it (#ref-<key>), unless told otherwise.
        own_list = self.reference_list and "references_url" not in kwargs
        self.references_url = "" if own_list else str(self.getConfig("references_url"))

    def extendMarkdown(self, md: Markdown) -> None:
        if self.formatter is None:
            self.formatter = _formatter_for(str(self.getConfig("bibliography")))
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        pending = _PendingCitations(md, self)
        # First of the preprocessors: the text as given, for the lines of unknown keys' warnings.
        md.preprocessors.register(_SourceText(md, pending), "pandoc_citations_source", 40)
        md.inlinePatterns.register(_BracketedCitation(BRACKETED.pattern, pending), "pandoc_citation", BRACKETED_PRIORITY)
        md.inlinePatterns.register(_NarrativeCitation(NARRATIVE.pattern, pending), "pandoc_narrative_citation", NARRATIVE_PRIORITY)
        # After the inline patterns (20), before the table of contents (5) reads stashed HTML in headings.
        md.treeprocessors.register(pending, "pandoc_citations", 15)
        md.registerExtension(self)


def _formatter_for(bibliography: str) -> CitationFormatter:
    if not bibliography:
        raise ValueError("pandoc_citations needs a 'bibliography' (path of a .bib file) or a formatter")
    path = Path(bibliography)
    parsed = parse_bibliography(path.read_text(encoding="utf-8-sig"), str(path))  # as Windows editors save it: a BOM, CRLF
    errors = [problem for problem in parsed.problems if problem.severity == "error"]
    if errors:
        raise SourceErrors(errors)
    for problem in parsed.problems:  # what the check would warn of or notice: logged, the text still rendered
        (log.warning if problem.severity == "warning" else log.info)("%s", problem)
    return CitationFormatter(ReferenceList(parsed))


class _SourceText(Preprocessor):
    """Keeps the document's lines as given (nothing is copied unless a warning needs them)."""

    def __init__(self, md: Markdown, pending: _PendingCitations):
        super().__init__(md)
        self.pending = pending

    def run(self, lines: list[str]) -> list[str]:
        self.pending.source_lines = lines
        return lines


class _PendingCitations(Treeprocessor):
    """Citations found by the inline patterns, rendered once the page's tree is complete.

    Each citation stands in the text as a placeholder of Python-Markdown's HTML stash. The inline
    patterns do not visit the page in document order, so the anchors ``cite-<key>-<n>`` that the
    references page links back to are numbered here, walking the finished tree in reading order;
    then each citation's HTML (from its template) takes its place in the stash, and the reference
    list, if the extension appends one, its place at the end.
    """

    def __init__(self, md: Markdown, extension: CitationExtension):
        super().__init__(md)
        self.extension = extension
        self.citations: dict[int, tuple[Citation, str]] = {}  # stash index -> citation, its source text
        self.source_lines: list[str] = []

    def placeholder(self, citation: Citation, source: str) -> str:
        self.citations[self.md.htmlStash.html_counter] = (citation, source)
        return self.md.htmlStash.store("")

    def run(self, root: etree.Element) -> None:
        if not self.citations:
            return
        order = [index for index in dict.fromkeys([*self._in_reading_order(root), *sorted(self.citations)]) if index in self.citations]
        formatter = self.extension.formatter
        assert formatter is not None
        citations = [self.citations[index] for index in order]
        rendered, cited_here = formatter.page_html(citations, self.extension.references_url)
        for index, html in zip(order, rendered, strict=True):
            self.md.htmlStash.rawHtmlBlocks[index] = html
        self.citations.clear()
        if self.extension.warn_unknown_keys:
            self._warn_about_unknown_keys(citations, formatter)
        if self.extension.reference_list and cited_here:  # block-level HTML alone in a <p>: Markdown puts it in the <p>'s place
            etree.SubElement(root, "p").text = self.md.htmlStash.store(formatter.page_reference_list(cited_here, reference_anchor))

    def _warn_about_unknown_keys(self, citations: list[tuple[Citation, str]], formatter: CitationFormatter) -> None:
        """A warning for each citation of a key the bibliography lacks, at its line when the
        citation is found in the text as given (the same source text, in the same order)."""
        labels = formatter.references.labels
        unknown = [(citation, source) for citation, source in citations if not is_known(citation, labels)]
        if not unknown:
            return
        text = "\n".join(self.source_lines)
        found, taken = find_citations(text, ""), 0
        for citation, source in unknown:
            keys = [f"'{excerpt(item.key)}'" for item in citation.items if item.key not in labels]
            what = f"unknown citation key{'s' if len(keys) > 1 else ''} {', '.join(keys)}"
            at = next((at for at in range(taken, len(found)) if text.startswith(source, found[at].offset)), None)
            if at is None:
                log.warning("%s in %s", what, excerpt(source))
            else:
                taken = at + 1
                log.warning("%s at line %d: %s", what, found[at].line, excerpt(source))

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

"""Pandoc citations (and the study's shortcodes) as a Python-Markdown extension.

Being an extension, not a regex over the page, it never sees code spans, code blocks, link URLs
or e-mail addresses: Python-Markdown has set those aside before its patterns run.

Standalone use::

    markdown.markdown(text, extensions=[CitationExtension(bibliography="refs.bib")])
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import defaultdict
from pathlib import Path
from typing import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup

from .citations.bibliography import parse_bibliography
from .citations.index import anchor
from .citations.references import ReferenceList
from .citations.syntax import BRACKETED, NARRATIVE, CitationSyntaxError, parse_bracketed, parse_narrative
from .markup import SHORTCODE
from .model import Citation
from .problems import SourceErrors
from .render import CitationFormatter

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
        # A shortcode renderer returns Markdown, or Markup for HTML that Markdown must leave alone.
        self.shortcodes: dict[str, Callable[..., str]] = {}

    def extendMarkdown(self, md: Markdown) -> None:
        if self.formatter is None:
            self.formatter = _formatter_for(str(self.getConfig("bibliography")))
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        md.inlinePatterns.register(_BracketedCitation(BRACKETED.pattern, self), "pandoc_citation", BRACKETED_PRIORITY)
        md.inlinePatterns.register(_NarrativeCitation(NARRATIVE.pattern, self), "pandoc_narrative_citation", NARRATIVE_PRIORITY)
        md.preprocessors.register(_Shortcodes(md, self), "study_shortcodes", 25)
        md.treeprocessors.register(_CitationAnchors(md), "citation_anchors", 15)
        md.registerExtension(self)

    def element(self, citation: Citation) -> etree.Element:
        assert self.formatter is not None
        element = etree.fromstring(self.formatter.html(citation, self.references_url))
        for node in element.iter():
            node.text = AtomicString(node.text) if node.text else node.text
            node.tail = AtomicString(node.tail) if node.tail else node.tail
        return element


def _formatter_for(bibliography: str) -> CitationFormatter:
    if not bibliography:
        raise ValueError("pandoc_citations needs a 'bibliography' (path of a .bib file) or a formatter")
    path = Path(bibliography)
    parsed = parse_bibliography(path.read_text(encoding="utf-8"), str(path))
    if parsed.problems:
        raise SourceErrors(parsed.problems)
    return CitationFormatter(ReferenceList(parsed))


class _BracketedCitation(InlineProcessor):
    def __init__(self, pattern: str, extension: CitationExtension):
        super().__init__(pattern)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        try:
            citation = parse_bracketed(m.group("body"))
        except CitationSyntaxError:
            return None, None, None
        return self.extension.element(citation), m.start(0), m.end(0)


class _NarrativeCitation(InlineProcessor):
    def __init__(self, pattern: str, extension: CitationExtension):
        super().__init__(pattern)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[override]
        citation = parse_narrative(m.group("key"), m.group("locator"))
        return self.extension.element(citation), m.start(0), m.end(0)


class _CitationAnchors(Treeprocessor):
    """Numbers each work's citations in document order, so the references page can link back."""

    def run(self, root: etree.Element) -> None:
        counts: dict[str, int] = defaultdict(int)
        for link in root.iter("a"):
            key = link.attrib.pop("data-cite", None)
            if key is not None:
                counts[key] += 1
                link.set("id", anchor(key, counts[key]))


class _Shortcodes(Preprocessor):
    """Replaces a ``{{< name >}}`` line by the HTML its renderer returns (e.g. the journey map)."""

    def __init__(self, md: Markdown, extension: CitationExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        if not self.extension.shortcodes:
            return lines
        output = []
        for line in lines:
            match = SHORTCODE.match(line)
            renderer = self.extension.shortcodes.get(match["name"]) if match else None
            if renderer is None:
                output.append(line)
                continue
            result = renderer(*match["args"].split())
            output.extend(["", self.md.htmlStash.store(result), ""] if isinstance(result, Markup) else ["", *result.split("\n"), ""])
        return output


def makeExtension(**kwargs: object) -> CitationExtension:  # noqa: N802 - Python-Markdown's hook name
    return CitationExtension(**kwargs)

"""Citations and reference lists as HTML: APA 7 text from the reference list, through the
citation engine's own templates (autoescaped), sanitized and kept for the next build."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from jinja2 import Template
from markupsafe import Markup

from ..sanitizer import clean_html
from ..templating import templates
from .apa import is_known, render, segments
from .cache import digest_of
from .index import AnchorNumbering, CitingPage, page_reference_anchor, reference_anchor
from .model import Citation
from .references import ReferenceList
from .syntax import parse_bracketed, parse_narrative


class CitationFormatter:
    """Renders citations as linked APA text (for the Markdown extension) and reference lists."""

    def __init__(self, references: ReferenceList, references_href: str = "references.md"):
        self.references = references
        self.references_href = references_href  # where a citation's link leads: the reference list
        self.env = templates("build_tools.citations").overlay()
        self.env.globals["reference_anchor"] = reference_anchor
        self._templates: dict[str, Template] = {}  # each looked up once: Jinja checks its file at every lookup

    def _template(self, name: str) -> Template:
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def html(self, citation: Citation, references_href: str, number: Callable[[str], str] | None = None) -> str:
        """The citation's HTML; ``number(key)`` gives each link its anchor (``cite-<key>-<n>``). A
        set (biblatex's ``@set``) is cited as its members."""
        citation = self.references.expanded(citation)
        labels = self.references.labels
        macro = self._template("citation.html.j2").module.citation  # type: ignore[attr-defined]  # the template's macro
        if not is_known(citation, labels):
            unknown = [item.key for item in citation.items if item.key not in labels]
            return str(macro(unknown, citation.narrative, [], references_href, {}))
        titles = {item.key: self._title(item.key) for item in citation.items}
        links = [(segment, number(segment.key) if number and segment.key else "") for segment in segments(render(citation, labels))]
        return str(macro([], citation.narrative, links, references_href, titles))

    def anchors(self, citations: Iterable[Citation]) -> dict[str, tuple[str, ...]]:
        """For a page's citations in reading order: the anchors of each work's citations, as
        :meth:`page_html` numbers its links (a citation of an unknown work has no links, so none)."""
        labels, numbering = self.references.labels, AnchorNumbering()
        found: dict[str, list[str]] = {}
        for citation in map(self.references.expanded, citations):
            if is_known(citation, labels):
                for segment in segments(render(citation, labels)):
                    if segment.key:
                        found.setdefault(segment.key, []).append(numbering.next(segment.key))
        return {key: tuple(anchors) for key, anchors in found.items()}

    def page_html(self, citations: list[tuple[Citation, str]], references_href: str) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
        """The HTML of a page's citations, given in reading order with their source text, and the
        anchors of each work's citations (as :meth:`anchors` gives them): each link gets its anchor
        by :class:`AnchorNumbering`, as the citation index counts them. Both are kept for the next build."""
        numbering, numbered = AnchorNumbering(), list[str]()

        def number(key: str) -> str:
            anchor = numbering.next(key)
            numbered.extend((key, anchor))
            return anchor

        def render_all() -> tuple[str, ...]:
            return tuple(self.html(citation, references_href, number) for citation, _ in citations)

        def anchor_pairs() -> tuple[str, ...]:  # a work's key, one of its anchors, ...: numbered just now, or found again
            found = self.anchors(citation for citation, _ in citations) if not numbered else {}
            return tuple(numbered) or tuple(part for work, anchors in found.items() for anchor in anchors for part in (work, anchor))

        key = digest_of(self.references.state, "citations", references_href, *(source for _, source in citations))
        html = self.references.cache.render(key, render_all)
        pairs = self.references.cache.render(digest_of(key, "anchors"), anchor_pairs)
        by_key: dict[str, list[str]] = {}
        for index in range(0, len(pairs) - 1, 2):
            by_key.setdefault(pairs[index], []).append(pairs[index + 1])
        return html, {key: tuple(found) for key, found in by_key.items()}

    def html_of_match(self, match: re.Match[str]) -> str:
        """The HTML of a citation found by the BRACKETED or NARRATIVE pattern of :mod:`.syntax`."""
        groups = match.groupdict()
        citation = parse_bracketed(groups["body"]) if groups.get("body") else parse_narrative(groups["key"], groups.get("locator"))
        return self.html(citation, self.references_href)

    def reference_list(self, keys: set[str], href: Callable[[str, str], str], cited_in: dict[str, tuple[CitingPage, ...]]) -> str:
        """The references page's list of ``keys``, with its "Cited in" links (``href(uri,
        fragment)`` is the link to a citing place).

        Lists are rendered after Markdown, straight from the cached entries (Python-Markdown would
        spend more time re-reading them than formatting took), sanitized as they become HTML, and
        kept for the next build.
        """
        references = self.references
        targets = {uri: href(uri, "") for uri in {citing.uri for places in cited_in.values() for citing in places}}
        key = digest_of(references.state, "full", *(f"{key}={cited_in.get(key)!r}" for key in sorted(keys)),
                        *(f"{uri}={url}" for uri, url in sorted(targets.items())))
        return references.cache.render(key, lambda: clean_html(self._template("references_full.html.j2").render(
            entries=[(reference, Markup(references.html(reference.key))) for reference in references.ordered(keys)],
            cited_in=cited_in, href=href)))

    def page_reference_list(self, cited_here: Mapping[str, Sequence[str]],
                            entry_anchor: Callable[[str], str] = page_reference_anchor) -> str:
        """A page's own reference list: the works of ``cited_here`` (by key, the anchors of its
        citations on the page, in document order) in APA order, each entry with the id
        ``entry_anchor(key)`` and a back-link (↩) to each citation of it on the page.

        Rendered after Markdown, sanitized and kept for the next build as :meth:`reference_list`
        is, keyed by the anchors and ids too.
        """
        references = self.references
        cited = {key: tuple(anchors) for key, anchors in cited_here.items() if references.bibliography.get(key) is not None}

        def render_list() -> str:
            entries = [(reference, Markup(references.html(reference.key)), self._narrative(reference.key), cited.get(reference.key, ()))
                       for reference in references.ordered(set(cited))]
            return clean_html(self._template("reference_list.html.j2").render(entries=entries, entry_anchor=entry_anchor))

        key = digest_of(references.state, "page", *(f"{entry_anchor(key)}={cited[key]!r}" for key in sorted(cited)))
        return references.cache.render(key, render_list)

    def _narrative(self, key: str) -> str:
        """How the text names the work, as a narrative citation does: "Kvale (1996)"."""
        return "".join(segment.text for segment in segments(render(parse_narrative(key, None), self.references.labels)))

    def _title(self, key: str) -> str:
        """The full reference, shown on hover and focus; an incomplete one says so."""
        reference = self.references.bibliography.get(key)
        note = " Full reference not yet established." if reference is not None and reference.is_incomplete else ""
        return self.references.text(key) + note

"""Scholarly metadata: what Google Scholar and Zotero read about the article and its references."""

from __future__ import annotations

from typing import Any

from ..citations.model import Reference
from ..citations.references import ReferenceList
from ..model import Article
from ..urls import UnsafeURL, bare_doi


def reference_tags(reference: Reference, references: ReferenceList) -> list[tuple[str, str]]:
    """One ``citation_reference`` as Highwire name=value pairs; only what the entry establishes."""
    fields = references.fields(reference.key)
    pairs = [("citation_title", reference.title)] if reference.title else []
    pairs += [("citation_author", name.surname + (f", {name.initials}" if name.initials else ""))
              for name in reference.creators if not name.is_others]
    pairs += [("citation_publication_date", reference.year)] if reference.year else []
    for field, tag in (("journal", "citation_journal_title"), ("volume", "citation_volume"), ("number", "citation_issue"),
                       ("publisher", "citation_publisher"), ("doi", "citation_doi"), ("isbn", "citation_isbn")):
        value = _doi(fields.get(field, "")) if field == "doi" else fields.get(field, "")
        if value:
            pairs.append((tag, value))
    return pairs


def _doi(value: str) -> str:
    """The DOI alone, as Highwire wants it, also from ``https://doi.org/...``; empty for a value
    that is not a DOI (the check reports it), so no tag claims it is one."""
    try:
        return bare_doi(value) if value else ""
    except UnsafeURL:
        return ""


def scholarly_article(article: Article, site_url: str, citations: list[Reference]) -> dict[str, Any]:
    """schema.org ``ScholarlyArticle`` for the article, with the works this page cites."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": article.title,
        "name": article.manuscript_title or article.title,
        "author": [
            {"@type": "Person", "familyName": a.family, "givenName": a.given, "name": f"{a.given} {a.family}".strip(),
             **({"affiliation": {"@type": "Organization", "name": a.affiliation}} if a.affiliation else {})}
            for a in article.authors
        ],
        "datePublished": article.year,
        "isPartOf": {
            "@type": "PublicationIssue",
            "issueNumber": article.issue,
            "isPartOf": {"@type": "PublicationVolume", "volumeNumber": article.volume,
                         "isPartOf": {"@type": "Periodical", "name": article.journal}},
        },
    }
    if article.first_page:
        data["pageStart"] = article.first_page
    if article.last_page:
        data["pageEnd"] = article.last_page
    if article.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi}
        data["sameAs"] = article.doi_url
    if article.publisher:
        data["publisher"] = {"@type": "Organization", "name": article.publisher}
    if site_url:
        data["url"] = site_url
    if citations:
        data["citation"] = [{"@type": "CreativeWork", "name": ref.title or ref.key, "datePublished": ref.year} for ref in citations]
    return data

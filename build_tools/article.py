"""The published article this site is an edition of: read from the home page's front matter."""

from __future__ import annotations

from .frontmatter import SourceDocument
from .model import Article, ArticleAuthor

def read_article(document: SourceDocument) -> Article | None:
    """The ``article:`` block of a page's front matter (checked by the page schema), if any."""
    field = document.fields.get("article")
    if field is None or not isinstance(field.value, dict) or not isinstance(field.value.get("authors"), list):
        return None
    block = {name: str(value).strip() for name, value in field.value.items() if name != "authors" and value is not None}
    if not all(block.get(name) for name in ("title", "journal", "year")):
        return None
    authors = tuple(ArticleAuthor(str(a.get("family", "")), str(a.get("given", "")), str(a.get("affiliation", "")))
                    for a in field.value["authors"] if isinstance(a, dict))
    return Article(
        title=block["title"], authors=authors, journal=block["journal"], year=block["year"],
        manuscript_title=block.get("manuscript_title", ""), publisher=block.get("publisher", ""),
        volume=block.get("volume", ""), issue=block.get("issue", ""), first_page=block.get("first_page", ""),
        last_page=block.get("last_page", ""), doi=block.get("doi", ""), postprint=block.get("postprint", ""),
    )

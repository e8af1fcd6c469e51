"""The published article this site is an edition of: read from the home page's front matter."""

from __future__ import annotations

from typing import Any

from .frontmatter import SourceDocument
from .model import Article, ArticleAuthor
from .problems import Problem

REQUIRED = ("title", "authors", "journal", "year")
OPTIONAL = ("manuscript_title", "publisher", "volume", "issue", "first_page", "last_page", "doi", "postprint")
AUTHOR_FIELDS = ("family", "given", "affiliation")


def read_article(document: SourceDocument, problems: list[Problem]) -> Article | None:
    """The ``article:`` block of a page's front matter, checked; None when the page has none."""
    field = document.fields.get("article")
    if field is None:
        return None
    line = field.line

    def problem(message: str) -> None:
        problems.append(Problem(document.path, line, f"article: {message}"))

    block = field.value
    if not isinstance(block, dict):
        problem("must be a block of 'name: value' fields")
        return None
    unknown = sorted(set(block) - set(REQUIRED) - set(OPTIONAL))
    missing = [name for name in REQUIRED if not block.get(name)]
    for name in unknown:
        problem(f"unknown field '{name}' (known: {', '.join(REQUIRED + OPTIONAL)})")
    for name in missing:
        problem(f"missing field '{name}'")
    authors = _authors(block.get("authors"), problem)
    if unknown or missing or authors is None:
        return None
    text = {name: str(block[name]).strip() for name in REQUIRED + OPTIONAL if block.get(name) not in (None, "") and name != "authors"}
    return Article(
        title=text["title"], authors=authors, journal=text["journal"], year=text["year"],
        manuscript_title=text.get("manuscript_title", ""), publisher=text.get("publisher", ""),
        volume=text.get("volume", ""), issue=text.get("issue", ""), first_page=text.get("first_page", ""),
        last_page=text.get("last_page", ""), doi=text.get("doi", ""), postprint=text.get("postprint", ""),
    )


def _authors(value: Any, problem) -> tuple[ArticleAuthor, ...] | None:
    if not isinstance(value, list) or not value:
        if value:
            problem("authors must be a list, one '- family: ...' entry per author")
        return None
    authors = []
    for index, entry in enumerate(value, start=1):
        if not isinstance(entry, dict) or not entry.get("family"):
            problem(f"author {index} needs at least a 'family' name")
            return None
        extra = sorted(set(entry) - set(AUTHOR_FIELDS))
        if extra:
            problem(f"author {index}: unknown field '{extra[0]}' (known: {', '.join(AUTHOR_FIELDS)})")
            return None
        authors.append(ArticleAuthor(str(entry["family"]), str(entry.get("given", "")), str(entry.get("affiliation", ""))))
    return tuple(authors)

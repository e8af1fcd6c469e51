"""The published article this site is an edition of: read from the home page's front matter."""

from __future__ import annotations

from ..model import Article, ArticleAuthor
from ..problems import Problem
from ..urls import UnsafeURL, bare_doi, web_url
from .frontmatter import SourceDocument


def read_article(document: SourceDocument) -> tuple[Article | None, list[Problem]]:
    """The ``article:`` block of a page's front matter (checked by the page schema), if any, and
    what in it cannot be published: every value is one line of text, written as it is into BibTeX,
    RIS and the pages' metadata."""
    field = document.fields.get("article")
    if field is None or not isinstance(field.value, dict) or not isinstance(field.value.get("authors"), list):
        return None, []
    block = {name: _line(value) for name, value in field.value.items() if name != "authors" and value is not None}
    if not all(block.get(name) for name in ("title", "journal", "year")):
        return None, []
    authors = tuple(ArticleAuthor(_line(a.get("family", "")), _line(a.get("given", "")), _line(a.get("affiliation", "")))
                    for a in field.value["authors"] if isinstance(a, dict))
    problems = [Problem(document.path, field.line, f"article.{name}: its braces do not pair up (or nest more than "
                        f"{MAX_NESTING} deep), so no BibTeX file can hold it")
                for name, value in [*block.items(), *((f"authors[{n}]", f"{a.family} {a.given}") for n, a in enumerate(authors, 1))]
                if not _balanced(value)]
    problems += [Problem(document.path, field.line, f"article.authors[{n}]: a name holds no comma (BibTeX would read it as "
                         "another part of the name)") for n, a in enumerate(authors, 1) if "," in a.family + a.given]
    for name, check in (("doi", bare_doi), ("postprint", web_url)):
        if block.get(name):
            try:
                check(block[name])
            except UnsafeURL as error:
                problems.append(Problem(document.path, field.line, f"article.{name}: {error}"))
    article = Article(
        title=block["title"], authors=authors, journal=block["journal"], year=block["year"],
        manuscript_title=block.get("manuscript_title", ""), publisher=block.get("publisher", ""),
        volume=block.get("volume", ""), issue=block.get("issue", ""), first_page=block.get("first_page", ""),
        last_page=block.get("last_page", ""), doi=block.get("doi", ""), postprint=block.get("postprint", ""),
    )
    return article, problems


def _line(value: object) -> str:
    """A value as one line of text: a line break in a title must not start a new RIS record."""
    return " ".join(str(value).split())


MAX_NESTING = 10


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if not 0 <= depth <= MAX_NESTING:
            return False
    return depth == 0

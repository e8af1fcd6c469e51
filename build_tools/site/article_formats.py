"""The article as citation files (BibTeX, RIS, CSL-JSON), for "cite this study" downloads."""

from __future__ import annotations

import json
import re
import unicodedata

from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer

from ..model import Article
from ..templating import templates


def citation_key(article: Article) -> str:
    """``vandenberg2000`` for "van den Berg" (2000): first author's family name, ASCII letters only, and the year."""
    family = unicodedata.normalize("NFKD", article.authors[0].family)
    return re.sub(r"[^a-z]", "", family.lower()) + article.year


def article_entry(article: Article) -> Entry:
    # The title is given as published, already in sentence case: braces keep its capitals (proper names).
    fields = {"title": f"{{{article.title}}}", "journal": article.journal, "year": article.year, "volume": article.volume,
              "number": article.issue, "pages": "--".join(p for p in (article.first_page, article.last_page) if p),
              "doi": article.doi, "publisher": article.publisher}
    persons = {"author": [Person(last=author.family, first=author.given) for author in article.authors]}
    return Entry("article", fields={name: value for name, value in fields.items() if value}, persons=persons)


def article_bibtex(article: Article) -> str:
    # Braces keep family names of two words ("Ladson Billings") whole for BibTeX's name parser.
    entry = article_entry(article)
    entry.persons["author"] = [
        Person(f"{{{author.family}}}, {author.given}" if " " in author.family else f"{author.family}, {author.given}")
        for author in article.authors
    ]
    bibtex: str = Writer().to_string(BibliographyData({citation_key(article): entry}))  # not looked up among entry points
    return bibtex


def article_ris(article: Article) -> str:
    return templates("build_tools.site", autoescape=False).get_template("formats/article.ris.j2").render(article=article)


def article_csl_json(article: Article) -> str:
    item = {
        "id": citation_key(article),
        "type": "article-journal",
        "title": article.title,
        "author": [{"family": author.family, "given": author.given} for author in article.authors],
        "container-title": article.journal,
        "publisher": article.publisher or None,
        "issued": {"date-parts": [[int(article.year)]]},
        "volume": article.volume or None,
        "issue": article.issue or None,
        "page": article.pages or None,
        "DOI": article.doi or None,
        "URL": article.doi_url or None,
    }
    return json.dumps([{key: value for key, value in item.items() if value is not None}], ensure_ascii=False, indent=2) + "\n"

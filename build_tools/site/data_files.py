"""The study's data in the formats researchers use: a REFI-QDA codebook, Taguette's codebook CSV,
and the whole study as JSON (with its JSON Schema)."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable
from importlib.resources import files
from typing import Any

from markupsafe import Markup

from ..citations.syntax import BRACKETED, NARRATIVE
from ..model import Passage, QuotationPlacement, Study
from ..templating import templates

STAGE_COLOURS = ("#1c5d99", "#7a4b00", "#2e6b30", "#8a2b5a")


def namespace(study: Study, site_name: str) -> uuid.UUID:
    """GUIDs are UUIDv5 of stable ids under a namespace of the study: its article's DOI (or, with
    none, the site's name), so the codes are the same in every build."""
    article = study.article
    return uuid.uuid5(uuid.NAMESPACE_URL, article.doi_url if article and article.doi else f"urn:study:{site_name}")


def origin(study: Study, site_name: str) -> str:
    """Where a codebook comes from: the article as cited ("Title (A, B & C, 2000), doi:…"), or the site."""
    article = study.article
    if article is None:
        return site_name
    return f"{article.title} ({article.author_names}, {article.year})" + (f", doi:{article.doi}" if article.doi else "")


def description(study: Study, theme_id: str, cite: Callable[[re.Match[str]], str]) -> str:
    """A theme's description for a codebook: its first passage, citations written out as text."""
    theme = study.theme(theme_id)
    first = next((part for part in theme.passages if part.kind == "description"), None)
    return " ".join(_cited_text(first.markdown, cite).split()) if first else ""


def _cited_text(markdown: str, cite: Callable[[re.Match[str]], str]) -> str:
    def replace(match: re.Match[str]) -> str:
        return Markup(cite(match)).striptags()
    return NARRATIVE.sub(replace, BRACKETED.sub(replace, markdown))


def codebook(study: Study, cite: Callable[[re.Match[str]], str], site_name: str) -> str:
    """REFI-QDA Codebook 1.0 (``.qdc``): stages as parent codes that cannot be coded, themes as codes."""
    space = namespace(study, site_name)
    return templates("build_tools.site").get_template("formats/codebook.qdc.j2").render(
        study=study, guid=lambda kind, identifier: str(uuid.uuid5(space, f"{kind}:{identifier}")), colours=STAGE_COLOURS,
        origin=origin(study, site_name),
        descriptions={theme.id: description(study, theme.id, cite) for theme in study.themes},
    )


def taguette_csv(study: Study, cite: Callable[[re.Match[str]], str]) -> str:
    """The coding frame in the columns Taguette imports: ``tag,parent,description``."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["tag", "parent", "description"])
    for stage in study.stages:
        stage_tag = f"{stage.numeral}. {stage.title}"
        writer.writerow(map(inert_cell, [stage_tag, "", stage.subtitle]))
        for theme in study.themes_of(stage):
            writer.writerow(map(inert_cell, [theme.label, stage_tag, description(study, theme.id, cite)]))
    return output.getvalue()


def inert_cell(value: str) -> str:
    """A cell no spreadsheet runs as a formula: one starting with = + - @, a tab or a carriage
    return gets a leading apostrophe (OWASP's advice on CSV injection)."""
    return f"'{value}" if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def study_json(study: Study, references: list[dict[str, Any]], site_name: str) -> bytes:
    """The whole study as data: stages, themes (their text in order), quotations and references;
    in UTF-8, encoded piece by piece (json.dumps's pieces), so that no ``str`` of the whole is made."""
    space = namespace(study, site_name)
    data = {
        "$schema": "study.schema.json",
        "article": None if study.article is None else {
            "title": study.article.title, "journal": study.article.journal, "year": study.article.year,
            "volume": study.article.volume, "issue": study.article.issue, "pages": study.article.pages,
            "doi": study.article.doi, "authors": [{"family": a.family, "given": a.given} for a in study.article.authors],
        },
        "stages": [{"id": s.id, "number": s.number, "numeral": s.numeral, "title": s.title, "subtitle": s.subtitle,
                    "introduction": s.introduction.strip(), "themes": [t.id for t in study.themes_of(s)]} for s in study.stages],
        "themes": [{"id": t.id, "label": t.label, "stage": t.stage_id, "order": t.order,
                    "codebook_guid": str(uuid.uuid5(space, f"theme:{t.id}")),
                    "parts": [{"kind": p.kind, "markdown": p.markdown.strip()} if isinstance(p, Passage)
                              else {"kind": "quotation", "quotation": p.quotation_id}
                              for p in t.parts if isinstance(p, (Passage, QuotationPlacement))]}
                   for t in study.themes],
        "quotations": [{"id": q.id, "theme": q.theme_id, "order": q.order, "text": q.text.strip(), "speaker": None}
                       for q in study.quotations],
        "references": references,
    }
    return b"".join(piece.encode() for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data)) + b"\n"


def study_schema() -> str:
    """The JSON Schema of :func:`study_json`'s output, published next to it."""
    return (files("build_tools.site") / "schemas" / "study-data.schema.json").read_text(encoding="utf-8")

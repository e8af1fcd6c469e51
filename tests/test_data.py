"""The study's data for other tools: REFI-QDA codebook, Taguette CSV, and JSON with its schema."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import pytest
from helpers import ROOT, soup
from jsonschema import Draft202012Validator
from lxml import etree

from build_tools.model import Study

XSD = ROOT.parent / "shared" / "research" / "refi-qda-codebook.xsd"
QDA = "{urn:QDA-XML:codebook:1.0}"


@pytest.mark.skipif(not XSD.exists(), reason="the REFI-QDA schema (../shared/research) is not beside this checkout")
def test_the_codebook_is_valid_refi_qda(built_site: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.parse(str(built_site / "data" / "balint-journey-codebook.qdc"))
    assert schema.validate(document), schema.error_log


def test_codebook_stages_are_parents_and_themes_codable_with_stable_guids(built_site: Path, real_study: Study) -> None:
    root = etree.parse(str(built_site / "data" / "balint-journey-codebook.qdc")).getroot()
    stages = root.findall(f"{QDA}Codes/{QDA}Code")
    assert [code.get("name") for code in stages] == [f"{s.numeral}. {s.title}" for s in real_study.stages]
    assert {code.get("isCodable") for code in stages} == {"false"}
    themes = [theme for stage in stages for theme in stage.findall(f"{QDA}Code")]
    assert [code.get("name") for code in themes] == [theme.label for theme in real_study.themes]
    assert {code.get("isCodable") for code in themes} == {"true"}
    assert [code.get("guid") for code in themes] == [str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "https://doi.org/10.1002/pri.188"), f"theme:{t.id}")) for t in real_study.themes]
    assert themes[0].findtext(f"{QDA}Description").startswith("The physiotherapists had a feeling that")


def test_taguette_csv(built_site: Path, real_study: Study) -> None:
    rows = list(csv.DictReader(io.StringIO((built_site / "data" / "balint-journey-codebook.csv").read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["tag", "parent", "description"]
    assert len(rows) == len(real_study.stages) + len(real_study.themes)
    assert {"tag": "Tuning your instrument", "parent": "II. Meeting other perspectives"}.items() <= rows[5].items()


def test_the_study_json_matches_its_schema(built_site: Path) -> None:
    data = json.loads((built_site / "data" / "study.json").read_text(encoding="utf-8"))
    schema = json.loads((built_site / "data" / "study.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert errors == []
    assert len(data["quotations"]) == 15 and {q["speaker"] for q in data["quotations"]} == {None}
    assert len(data["references"]) == 33
    assert [part["kind"] for part in data["themes"][0]["parts"]] == ["description", "quotation", "description", "quotation", "interpretation", "quotation"]


def test_the_downloads_page_lists_every_download(built_site: Path) -> None:
    links = {a["href"] for a in soup(built_site / "downloads" / "index.html").select("article a[download]")}
    assert {"../data/balint-journey-codebook.qdc", "../data/balint-journey-codebook.csv", "../data/study.json",
            "../data/study.schema.json", "../cite/bibliography.bib", "../cite/article.bib", "../cite/article.ris",
            "../cite/article.json"} <= links
    for link in links:
        assert (built_site / "downloads" / link).resolve().exists(), link

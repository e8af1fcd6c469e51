"""The study's words are the manuscript's words: only the known encoding artifacts are fixed.

Reads the authors' manuscript from tests/manuscript/source.txt, a byte-for-byte copy kept in the
repository so that these tests always run (see tests/manuscript/README.md).
"""

from __future__ import annotations

import hashlib
import re

import pytest
from helpers import ROOT, load_real_study

from build_tools.citations.syntax import BRACKETED, NARRATIVE
from build_tools.model import Study

MANUSCRIPT = ROOT / "tests" / "manuscript" / "source.txt"
MANUSCRIPT_SHA256 = "cb4071381cbcc0c2ac034579fabdc5fe8a09b59ffdb1dca54e839e2eb94a35fa"


def words(text: str) -> str:
    return " ".join(text.split())


def fixed_manuscript() -> str:
    """source.txt with the artifacts listed in tests/manuscript/README.md fixed, and nothing else."""
    text = MANUSCRIPT.read_text(encoding="utf-8")
    text = re.sub(r"-[ \t]*\n\s*", "-", text)  # words hyphenated across a line break
    text = text.replace("„s‟", "").replace("‘s’", "")  # the lost glyph before quotations and the epigraph
    text = text.replace("‟", "’")  # apostrophes
    text = re.sub(r"“([^“”\n]*?)\s*“", r"“\1”", words(text))  # labels set in two opening quotes
    return words(text)


MANUSCRIPT_TEXT = fixed_manuscript()


def test_the_manuscript_is_the_authors_byte_for_byte() -> None:
    """The copy is never "corrected" or re-encoded: the tests below fix its artifacts themselves."""
    assert hashlib.sha256(MANUSCRIPT.read_bytes()).hexdigest() == MANUSCRIPT_SHA256


def fragments(markdown: str) -> list[str]:
    """The author's prose between citations (a citation is rendered, not quoted)."""
    pieces = re.split(f"{BRACKETED.pattern}|{NARRATIVE.pattern}", markdown)
    return [words(piece) for piece in pieces if piece and len(words(piece)) > 12]


@pytest.mark.parametrize("quotation", load_real_study().quotations, ids=lambda q: q.id)
def test_quotations_are_verbatim(quotation) -> None:
    assert words(quotation.text) in MANUSCRIPT_TEXT
    assert quotation.text.lstrip().startswith("/../"), "the authors' omission mark opens every quotation"


def test_there_are_fifteen_quotations_as_in_the_manuscript(real_study: Study) -> None:
    assert MANUSCRIPT.read_text(encoding="utf-8").count("„s‟") == len(real_study.quotations) == 15


@pytest.mark.parametrize("theme", load_real_study().themes, ids=lambda t: t.id)
def test_theme_labels_and_prose_are_verbatim(theme) -> None:
    printed = MANUSCRIPT_TEXT.casefold()
    assert f"“{theme.label}”".casefold() in printed or f'"{theme.label}"'.casefold() in printed
    for passage in theme.passages:
        for fragment in fragments(passage.markdown):
            assert fragment in MANUSCRIPT_TEXT, fragment


@pytest.mark.parametrize("stage", load_real_study().stages, ids=lambda s: s.id)
def test_stage_headings_and_introductions_are_verbatim(stage) -> None:
    assert f"{stage.numeral}. {stage.title}: {stage.subtitle}" in MANUSCRIPT_TEXT.replace("IV.  ", "IV. ")
    assert words(stage.introduction) in MANUSCRIPT_TEXT


def test_no_informant_is_named_or_numbered() -> None:
    for path in ROOT.glob("quotes/*.md"):
        assert not re.search(r"^(informant|speaker|participant)\s*:", path.read_text(encoding="utf-8"), re.MULTILINE | re.IGNORECASE)


def test_no_encoding_artifact_survives_in_the_sources() -> None:
    for path in [*ROOT.glob("content/**/*.md"), *ROOT.glob("themes/*.md"), *ROOT.glob("quotes/*.md")]:
        text = path.read_text(encoding="utf-8")
        if path.name == "about.md":  # explains the artifacts, in code spans
            text = re.sub(r"`[^`]*`", "", text)
        assert "‟" not in text and "„" not in text, path

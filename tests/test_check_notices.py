"""Notices: what the check tells without failing, even under ``--strict``.

A reference known to be incomplete (``confidence = {unknown}``) whose ``annote`` says what is known
is a notice; one without an annote stays a warning, since nobody said why it is incomplete.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT, edit, line_of, run_cli

from build_tools.problems import Problem
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import read_study

FIXTURE_STUDY = ROOT / "tests" / "fixtures" / "second-study"
CERTAIN = "  pages = {7--19},\n  langid = {english},\n  confidence = {certain}"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE_STUDY, tmp_path / "study"))


def check(project: Path, *extra: str) -> tuple[int, list[str], str]:
    result = run_cli("--root", str(project), "check", *extra)
    return result.returncode, result.stdout.splitlines(), result.stderr


def test_a_notice_is_printed_and_annotated_as_a_notice_and_fails_nothing() -> None:
    notice = Problem("refs.bib", 3, "reference 'x' is incomplete", "notice")
    assert str(notice) == "refs.bib:3:1: notice: reference 'x' is incomplete"
    assert notice.annotation() == "::notice file=refs.bib,line=3,col=1::reference 'x' is incomplete"
    assert not notice.fails() and not notice.fails(strict=True)
    warning, error = Problem("a.md", 1, "w", "warning"), Problem("a.md", 1, "e")
    assert (warning.fails(), warning.fails(strict=True), error.fails(), error.fails(strict=True)) == (False, True, True, True)


def test_an_incomplete_reference_with_an_annote_is_a_notice_and_the_strict_check_passes(study: Path) -> None:
    bibliography = study / "bibliography.bib"
    edit(bibliography, CERTAIN, CERTAIN.replace("certain", "unknown") + ",\n  annote = {Cited from a conference handout; the article is not yet found.}")
    status, lines, summary = check(study, "--strict")
    entry = line_of(bibliography, "@article{tanaka2018KettleRituals,")
    assert status == 0, lines
    assert lines == [f"bibliography.bib:{entry}:1: notice: reference 'tanaka2018KettleRituals' is incomplete: its full reference is "
                     "not established (its annote says what is known)"]
    assert summary.endswith(": 0 errors, 0 warnings, 1 notices\n"), summary
    annotated = run_cli("--root", str(study), "check", "--strict", env={"GITHUB_ACTIONS": "true"})
    assert annotated.returncode == 0
    assert f"::notice file=bibliography.bib,line={entry},col=1::reference 'tanaka2018KettleRituals' is incomplete" in annotated.stdout


@pytest.mark.parametrize("annote", ["", ",\n  annote = {   }"])
def test_an_incomplete_reference_without_an_annote_stays_a_warning(study: Path, annote: str) -> None:
    bibliography = study / "bibliography.bib"
    edit(bibliography, CERTAIN, CERTAIN.replace("certain", "unknown") + annote)
    entry = line_of(bibliography, "@article{tanaka2018KettleRituals,")
    status, lines, summary = check(study)
    assert status == 0
    assert lines == [f"bibliography.bib:{entry}:1: warning: reference 'tanaka2018KettleRituals' is incomplete: its full reference is "
                     "not established, and no annote says why (write in one what is known)"]
    assert summary.endswith(": 0 errors, 1 warnings, 0 notices\n"), summary
    assert check(study, "--strict")[0] == 1


def test_notices_do_not_hide_errors_or_warnings(study: Path) -> None:
    bibliography = study / "bibliography.bib"
    edit(bibliography, CERTAIN, CERTAIN.replace("certain", "unknown") + ",\n  annote = {Known only from a handout.}")
    edit(study / "quotes" / "say-it-twice.md", "theme: words-that-travel", "theme: nowhere")
    status, lines, summary = check(study, "--strict")
    assert status == 1
    assert [line.split(": ")[1] for line in lines] == ["notice", "error"]  # in file order, each with its severity
    assert "1 errors, 0 warnings, 1 notices" in summary


def test_the_real_study_fails_the_strict_check_only_for_incomplete_references_nobody_explained(project: Path) -> None:
    result = read_study(SourceFolders(project))
    unexplained = {reference.key for reference in result.study.references if reference.is_incomplete and not reference.annote.strip()}
    explained = {reference.key for reference in result.study.references if reference.is_incomplete and reference.annote.strip()}
    assert explained, "the study has references known to be incomplete, with a note"
    assert {problem.message.split("'")[1] for problem in result.problems if problem.severity == "notice"} == explained
    assert {problem.message.split("'")[1] for problem in result.problems if problem.severity == "warning"} == unexplained
    status, lines, _ = check(project, "--strict")
    assert (status == 0) == (not unexplained), lines

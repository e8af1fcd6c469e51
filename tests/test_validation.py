"""Every kind of mistake in a source file meets a message naming the file and the line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import bare_site, edit

from build_tools.sources.folders import SourceFolders
from build_tools.sources.frontmatter import read_source
from build_tools.sources.loader import read_study


def problems_of(project: Path) -> list[str]:
    return [str(problem) for problem in read_study(SourceFolders(project)).errors]


def test_the_real_study_has_no_errors(project: Path) -> None:
    result = read_study(SourceFolders(project))
    assert result.errors == ()
    assert len(result.study.stages) == 4 and len(result.study.themes) == 8 and len(result.study.quotations) == 15


def test_broken_yaml_names_file_line_and_column(project: Path) -> None:
    edit(project / "themes" / "feeling-frustrated.md", "label: Feeling frustrated", "label: [Feeling frustrated")
    (problem,) = problems_of(project)
    assert problem.startswith("themes/feeling-frustrated.md:4:6: error: broken YAML in front matter: ") and "',' or ']'" in problem


def test_missing_front_matter(project: Path) -> None:
    path = project / "quotes" / "naked.md"
    path.write_text(path.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    assert problems_of(project) == ["quotes/naked.md:1:1: error: missing front matter: the file must start with a line '---'"]


def test_missing_field(project: Path) -> None:
    edit(project / "themes" / "daring-to-ask.md", "order: 1\n", "")
    assert problems_of(project) == ["themes/daring-to-ask.md:1:1: error: missing field 'order'"]


def test_unknown_field_suggests_the_right_one(project: Path) -> None:
    edit(project / "quotes" / "taboo.md", "theme: beating-around-the-bush", "theme: beating-around-the-bush\nordr: 3")
    assert "quotes/taboo.md:4:1: error: unknown field 'ordr' (did you mean 'order'?)" in problems_of(project)


def test_mistyped_field(project: Path) -> None:
    edit(project / "quotes" / "taboo.md", "order: 3", "order: third")
    assert problems_of(project) == ["quotes/taboo.md:4:1: error: field 'order' must be a whole number, not 'third'"]


def test_unknown_theme(project: Path) -> None:
    edit(project / "quotes" / "naked.md", "theme: never-learn-enough", "theme: never-learn-enuf")
    assert "quotes/naked.md:3:1: error: unknown theme 'never-learn-enuf' (did you mean 'never-learn-enough'?)" in problems_of(project)


def test_unknown_stage(project: Path) -> None:
    edit(project / "themes" / "feeling-more-honest.md", "stage: getting-accustomed", "stage: getting-acustomed")
    assert "themes/feeling-more-honest.md:4:1: error: unknown stage 'getting-acustomed' (did you mean 'getting-accustomed'?)" in problems_of(project)


def test_duplicate_id(project: Path) -> None:
    edit(project / "quotes" / "oppressed.md", "id: oppressed", "id: not-enough")
    assert "quotes/oppressed.md:1:1: error: duplicate quotation id 'not-enough' (also in quotes/not-enough.md:1)" in problems_of(project)


def test_two_items_claiming_the_same_order(project: Path) -> None:
    edit(project / "themes" / "feeling-frustrated.md", "order: 2", "order: 1")
    found = problems_of(project)
    assert any(p.startswith("themes/feeling-frustrated.md:1:1: error: duplicate order in stage 'starting-out' 1") for p in found), found


def test_empty_quotation(project: Path) -> None:
    path = project / "quotes" / "more-honest.md"
    path.write_text("---\nid: more-honest\ntheme: feeling-more-honest\norder: 1\n---\n\n", encoding="utf-8")
    assert problems_of(project) == ["quotes/more-honest.md:6:1: error: the quotation is empty: write the informant's words below the front matter"]


def test_file_that_is_not_utf8(project: Path) -> None:
    path = project / "themes" / "feeling-more-honest.md"
    path.write_bytes(path.read_bytes().replace("patient’s".encode(), "patient\x92s".encode("latin-1"), 1))
    found = problems_of(project)
    assert any(p.startswith("themes/feeling-more-honest.md:10:1: error: the file is not UTF-8 text") for p in found), found


def test_unknown_citation_key(project: Path) -> None:
    edit(project / "content" / "discussion.md", "[@kolb1984]", "[@kolb1948]")
    assert problems_of(project) == ["content/discussion.md:10:1: error: unknown citation key 'kolb1948' (did you mean 'kolb1984'?)"]


def test_malformed_bibtex_names_the_bib_line(project: Path) -> None:
    edit(project / "bibliography.bib", "  title      = {A Study of Doctors},", "  title      = {A Study of Doctors,")
    found = problems_of(project)
    assert any(p.startswith("bibliography.bib:169:1: error: malformed BibTeX entry 'balint1966'") for p in found), found


def test_duplicate_bibtex_key(project: Path) -> None:
    edit(project / "bibliography.bib", "@misc{ransom1995,", "@misc{ransom1995,\n  author = {Ransom},\n  year = {1995}\n}\n\n@misc{ransom1995,")
    found = problems_of(project)
    assert any("duplicate BibTeX key 'ransom1995' (first defined at line 154)" in p for p in found), found


@pytest.mark.parametrize(
    "injected, message",
    [
        ("<script>alert(1)</script>", "1: error: the element <script> is not published: the site allows no scripts"),
        ('<img src="x.png" onerror="alert(1)">', "27: error: onerror=\"alert(1)\" is removed from <img>: event handlers never reach a reader's browser"),
        ("[click](javascript:alert(1))", ("9: error: href=\"javascript:alert(1)\" is removed from <a>: a link must be relative, "
                                          "a #fragment, or start with http:, https: or mailto:")),
        ('<iframe src="https://example.org"></iframe>', "1: error: the element <iframe> is not published: the site allows no embedded pages"),
    ],
)
def test_content_that_could_run_in_a_browser_is_refused(project: Path, injected: str, message: str) -> None:
    edit(project / "themes" / "listening-to-others.md", "achieved, as commented on below;", f"achieved, as commented on below;\n\n{injected}\n")
    assert f"themes/listening-to-others.md:14:{message}" in problems_of(project)


def test_code_samples_may_show_html(project: Path) -> None:
    edit(project / "content" / "about.md", "## Corrections", "`<script>` is shown, not run.\n\n## Corrections")
    assert problems_of(project) == []


def test_quotation_must_be_placed_in_its_theme(project: Path) -> None:
    edit(project / "themes" / "never-learn-enough.md", "{{< quote naked >}}", "")
    assert problems_of(project) == ["quotes/naked.md:1:1: error: quotation 'naked' is not placed in its theme: add '{{< quote naked >}}' to themes/never-learn-enough.md"]


def test_quotation_placed_in_the_wrong_theme(project: Path) -> None:
    edit(project / "themes" / "feeling-more-honest.md", "{{< quote more-honest >}}", "{{< quote more-honest >}}\n\n{{< quote naked >}}")
    assert "themes/feeling-more-honest.md:17:1: error: quotation 'naked' belongs to theme 'never-learn-enough' (quotes/naked.md), not to 'feeling-more-honest'" in problems_of(project)


def test_interpretation_left_open(project: Path) -> None:
    edit(project / "themes" / "tuning-your-instrument.md", "perspectives that the participants brought to the group.\n:::", "perspectives that the participants brought to the group.")
    assert problems_of(project) == ["themes/tuning-your-instrument.md:28:1: error: '::: interpretation' is never closed: add a line ':::' after its last paragraph"]


def test_every_error_is_reported_at_once(project: Path) -> None:
    edit(project / "quotes" / "naked.md", "theme: never-learn-enough", "theme: nowhere")
    edit(project / "content" / "method.md", "@lawler1998]", "@lawler]")
    edit(project / "themes" / "feeling-frustrated.md", "stage: starting-out", "stage: [")
    found = problems_of(project)
    assert [p.split(":")[0] for p in found] == ["content/method.md", "quotes/naked.md", "themes/feeling-frustrated.md"], found


def test_front_matter_field_lines() -> None:
    document = read_source("x.md", "---\nid: a\n\nlabel: b\nid: c\n---\nbody\n")
    assert document.fields["label"].line == 4
    assert document.body_line == 7
    assert [str(p) for p in document.problems] == ["x.md:5:1: error: field 'id' is given twice (first at line 2)"]


def run_check(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", "check", "--root", str(project), *extra],
                          capture_output=True, text=True, check=False)


def test_check_command_reports_errors_without_traceback_and_changes_nothing(project: Path) -> None:
    edit(project / "quotes" / "naked.md", "theme: never-learn-enough", "theme: nowhere")
    edit(project / "bibliography.bib", "  title      = {Experiential Learning:", "  title      = Experiential Learning:")
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = run_check(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "quotes/naked.md:3:1: error: unknown theme 'nowhere'" in result.stdout
    assert "bibliography.bib:267:1: error: malformed BibTeX entry 'kolb1984'" in result.stdout
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_check_command_passes_on_the_study_and_lists_warnings(project: Path) -> None:
    result = run_check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bibliography.bib:24:1: warning: reference 'tynilenne1987' is incomplete" in result.stdout
    assert "0 errors, 14 warnings" in result.stderr
    assert run_check(project, "--strict").returncode == 1


def test_check_command_reads_a_bare_sites_mkdocs_yml_for_where_its_sources_are(tmp_path: Path) -> None:
    bare_site(tmp_path, "@book{kvale1996, author = {Kvale, S.}, title = {InterViews}, year = {1996}}\n\n"
                        "@book{unused, author = {Nobody, N.}, title = {Never cited}, year = {2000}}\n",
              index="# Notes\n\nAs @kvale1996 says [@nokey].\n")
    result = run_check(tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["docs/index.md:3:1: error: unknown citation key 'nokey'",
                                          "refs.bib:3:1: warning: reference 'unused' is never cited"]
    (tmp_path / "mkdocs.yml").write_text("site_name: Notes\nnav: [a, b\n", encoding="utf-8")
    broken = run_check(tmp_path)
    assert broken.returncode == 1 and "Traceback" not in broken.stdout + broken.stderr
    assert broken.stdout.startswith(f"{tmp_path / 'mkdocs.yml'}: error: ")

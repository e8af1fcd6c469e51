"""Every kind of mistake in a source file meets a message naming the file and the line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, bare_site, edit, line_of

from build_tools.sources.folders import SourceFolders
from build_tools.sources.frontmatter import read_source
from build_tools.sources.loader import read_study

FIXTURE_STUDY = ROOT / "tests" / "fixtures" / "second-study"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A copy of the fixture study (3 stages, 6 themes, 9 quotations) that a test may break freely:
    the lines of its messages are found in the copy's own text, never in the real study's."""
    return Path(shutil.copytree(FIXTURE_STUDY, tmp_path / "study"))


def problems_of(project: Path) -> list[str]:
    return [str(problem) for problem in read_study(SourceFolders(project)).errors]


def test_the_real_study_has_no_errors(project: Path) -> None:
    result = read_study(SourceFolders(project))
    assert result.errors == ()
    assert len(result.study.stages) == 4 and len(result.study.themes) == 8 and len(result.study.quotations) == 15


def test_the_fixture_study_has_no_errors(study: Path) -> None:
    result = read_study(SourceFolders(study))
    assert result.errors == () and result.warnings == ()
    assert len(result.study.stages) == 3 and len(result.study.themes) == 6 and len(result.study.quotations) == 9


def test_broken_yaml_names_file_line_and_column(study: Path) -> None:
    path = study / "themes" / "reading-the-room.md"
    edit(path, "label: Reading the room", "label: [Reading the room")
    # YAML reads the unclosed '[' on into the next line and stops at the ':' of that line's key.
    line = line_of(path, "label: [Reading the room") + 1
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index(":") + 1
    (problem,) = problems_of(study)
    assert problem.startswith(f"themes/reading-the-room.md:{line}:{column}: error: broken YAML in front matter: ") and "',' or ']'" in problem


def test_missing_front_matter(study: Path) -> None:
    path = study / "quotes" / "quiet-corridor.md"
    path.write_text(path.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    assert problems_of(study) == ["quotes/quiet-corridor.md:1:1: error: missing front matter: the file must start with a line '---'"]


def test_missing_field(study: Path) -> None:
    edit(study / "themes" / "reading-the-room.md", "order: 1\n", "")
    assert problems_of(study) == ["themes/reading-the-room.md:1:1: error: missing field 'order'"]


def test_unknown_field_suggests_the_right_one(study: Path) -> None:
    path = study / "quotes" / "count-the-breaths.md"
    edit(path, "theme: reading-the-room", "theme: reading-the-room\nordr: 3")
    assert f"quotes/count-the-breaths.md:{line_of(path, 'ordr: 3')}:1: error: unknown field 'ordr' (did you mean 'order'?)" in problems_of(study)


def test_mistyped_field(study: Path) -> None:
    path = study / "quotes" / "count-the-breaths.md"
    edit(path, "order: 2", "order: third")
    assert problems_of(study) == [f"quotes/count-the-breaths.md:{line_of(path, 'order: third')}:1: error: field 'order' must be a whole number, not 'third'"]


def test_unknown_theme(study: Path) -> None:
    path = study / "quotes" / "say-it-twice.md"
    edit(path, "theme: words-that-travel", "theme: words-that-travl")
    assert (f"quotes/say-it-twice.md:{line_of(path, 'theme: words-that-travl')}:1: error: "
            "unknown theme 'words-that-travl' (did you mean 'words-that-travel'?)") in problems_of(study)


def test_unknown_stage(study: Path) -> None:
    path = study / "themes" / "letting-go.md"
    edit(path, "stage: handing-over", "stage: handing-ovr")
    assert (f"themes/letting-go.md:{line_of(path, 'stage: handing-ovr')}:1: error: "
            "unknown stage 'handing-ovr' (did you mean 'handing-over'?)") in problems_of(study)


def test_an_editors_lock_and_swap_files_are_not_sources(study: Path) -> None:
    """Emacs' lock file (.#name.md, a dangling link) and a hidden file are no quotations: MkDocs too leaves dotfiles out."""
    (study / "quotes" / ".#say-it-twice.md").symlink_to("someone@host.12345:1700000000")
    (study / "quotes" / ".draft.md").write_text("not: [a quotation", encoding="utf-8")
    assert problems_of(study) == []


def test_an_id_too_long_to_name_a_file_is_refused(study: Path) -> None:
    """An id names the page's folder (themes/ID/); file systems refuse names past 255 bytes."""
    path = study / "themes" / "letting-go.md"
    edit(path, "id: letting-go", "id: " + "letting-go-" * 25 + "x")
    assert f"themes/letting-go.md:{line_of(path, 'id: letting-go-')}:1: error: field 'id' is longer than 80 characters" in problems_of(study)


def test_duplicate_id(study: Path) -> None:
    edit(study / "quotes" / "second-pair-of-eyes.md", "id: second-pair-of-eyes", "id: phone-the-registrar")
    assert ("quotes/second-pair-of-eyes.md:1:1: error: duplicate quotation id 'phone-the-registrar' "
            "(also in quotes/phone-the-registrar.md:1)") in problems_of(study)


def test_two_items_claiming_the_same_order(study: Path) -> None:
    edit(study / "themes" / "small-rituals.md", "order: 3", "order: 1")  # carrying-the-unsaid is 1 in that stage
    found = problems_of(study)
    assert any(p.startswith("themes/small-rituals.md:1:1: error: duplicate order in stage 'the-long-middle' 1") for p in found), found


def test_empty_quotation(study: Path) -> None:
    path = study / "quotes" / "drive-home-quiet.md"
    front_matter = "---\nid: drive-home-quiet\ntheme: letting-go\norder: 1\n---\n"
    path.write_text(front_matter + "\n", encoding="utf-8")
    body_line = front_matter.count("\n") + 1  # the first line after the front matter
    assert problems_of(study) == [f"quotes/drive-home-quiet.md:{body_line}:1: error: the quotation is empty: write the informant's words below the front matter"]


def test_file_that_is_not_utf8(study: Path) -> None:
    path = study / "themes" / "borrowing-certainty.md"
    line = line_of(path, "colleague’s")
    path.write_bytes(path.read_bytes().replace("colleague’s".encode(), "colleague\x92s".encode("latin-1"), 1))
    found = problems_of(study)
    assert any(p.startswith(f"themes/borrowing-certainty.md:{line}:1: error: the file is not UTF-8 text") for p in found), found


def test_unknown_citation_key(study: Path) -> None:
    path = study / "content" / "index.md"
    edit(path, "[@lindqvist2009NightHandover]", "[@lindqvist2090NightHandover]")
    assert problems_of(study) == [f"content/index.md:{line_of(path, '[@lindqvist2090NightHandover]')}:1: error: "
                                  "unknown citation key 'lindqvist2090NightHandover' (did you mean 'lindqvist2009NightHandover'?)"]


def test_malformed_bibtex_names_the_bib_line(study: Path) -> None:
    path = study / "bibliography.bib"
    edit(path, "  title = {Kettles at Three: Small Rituals of the Night Shift},", "  title = {Kettles at Three: Small Rituals of the Night Shift,")
    found = problems_of(study)
    entry = line_of(path, "@article{tanaka2018KettleRituals,")
    assert any(p.startswith(f"bibliography.bib:{entry}:1: error: malformed BibTeX entry 'tanaka2018KettleRituals'") for p in found), found


def test_duplicate_bibtex_key(study: Path) -> None:
    path = study / "bibliography.bib"
    edit(path, "@book{fontaine2001LanternWard,", "@misc{fontaine2001LanternWard,\n  author = {Fontaine},\n  year = {2001}\n}\n\n@book{fontaine2001LanternWard,")
    found = problems_of(study)
    first, second = line_of(path, "@misc{fontaine2001LanternWard,"), line_of(path, "@book{fontaine2001LanternWard,")
    assert f"bibliography.bib:{second}:1: error: duplicate BibTeX key 'fontaine2001LanternWard' (first defined at line {first})" in found, found


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
def test_content_that_could_run_in_a_browser_is_refused(study: Path, injected: str, message: str) -> None:
    path = study / "themes" / "reading-the-room.md"
    edit(path, "one of them said;", f"one of them said;\n\n{injected}\n")
    assert f"themes/reading-the-room.md:{line_of(path, injected)}:{message}" in problems_of(study)


def test_code_samples_may_show_html(study: Path) -> None:
    edit(study / "content" / "method.md", "## Informants", "`<script>` is shown, not run.\n\n## Informants")
    assert problems_of(study) == []


def test_quotation_must_be_placed_in_its_theme(study: Path) -> None:
    edit(study / "themes" / "letting-go.md", "{{< quote drive-home-quiet >}}", "")
    assert problems_of(study) == ["quotes/drive-home-quiet.md:1:1: error: quotation 'drive-home-quiet' is not placed in its theme: "
                                  "add '{{< quote drive-home-quiet >}}' to themes/letting-go.md"]


def test_quotation_placed_in_the_wrong_theme(study: Path) -> None:
    path = study / "themes" / "letting-go.md"
    edit(path, "{{< quote drive-home-quiet >}}", "{{< quote drive-home-quiet >}}\n\n{{< quote kettle-at-three >}}")
    assert (f"themes/letting-go.md:{line_of(path, '{{< quote kettle-at-three >}}')}:1: error: quotation 'kettle-at-three' "
            "belongs to theme 'small-rituals' (quotes/kettle-at-three.md), not to 'letting-go'") in problems_of(study)


def test_interpretation_left_open(study: Path) -> None:
    path = study / "themes" / "words-that-travel.md"
    edit(path, "[@brandt2015Continuity; @lindqvist2009NightHandover].\n:::", "[@brandt2015Continuity; @lindqvist2009NightHandover].")
    assert problems_of(study) == [f"themes/words-that-travel.md:{line_of(path, '::: interpretation')}:1: error: "
                                  "'::: interpretation' is never closed: add a line ':::' after its last paragraph"]


def test_every_error_is_reported_at_once(study: Path) -> None:
    edit(study / "quotes" / "say-it-twice.md", "theme: words-that-travel", "theme: nowhere")
    edit(study / "content" / "method.md", "@tanaka2018KettleRituals]", "@tanaka]")
    edit(study / "themes" / "letting-go.md", "stage: handing-over", "stage: [")
    found = problems_of(study)
    assert [p.split(":")[0] for p in found] == ["content/method.md", "quotes/say-it-twice.md", "themes/letting-go.md"], found
    assert all(re.match(r"[\w/.-]+:\d+:\d+: error: ", p) for p in found), found


def test_front_matter_field_lines() -> None:
    document = read_source("x.md", "---\nid: a\n\nlabel: b\nid: c\n---\nbody\n")
    assert document.fields["label"].line == 4
    assert document.body_line == 7
    assert [str(p) for p in document.problems] == ["x.md:5:1: error: field 'id' is given twice (first at line 2)"]


def run_check(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", "check", "--root", str(project), *extra],
                          capture_output=True, text=True, check=False)


def test_check_command_reports_errors_without_traceback_and_changes_nothing(study: Path) -> None:
    quotation, bibliography = study / "quotes" / "say-it-twice.md", study / "bibliography.bib"
    edit(quotation, "theme: words-that-travel", "theme: nowhere")
    edit(bibliography, "  title = {The Lantern Ward: Notes on Nursing after Dark},", "  title = The Lantern Ward: Notes on Nursing after Dark},")
    before = {path: path.read_bytes() for path in study.rglob("*") if path.is_file()}
    result = run_check(study)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"quotes/say-it-twice.md:{line_of(quotation, 'theme: nowhere')}:1: error: unknown theme 'nowhere'" in result.stdout
    assert f"bibliography.bib:{line_of(bibliography, '@book{fontaine2001LanternWard,')}:1: error: malformed BibTeX entry 'fontaine2001LanternWard'" in result.stdout
    assert {path: path.read_bytes() for path in study.rglob("*") if path.is_file()} == before


def test_check_command_passes_on_the_real_study(project: Path) -> None:
    result = run_check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert ": 0 errors, " in result.stderr
    assert all(re.match(r"[\w/.-]+:\d+:\d+: (?:warning|notice): ", line) for line in result.stdout.splitlines()), result.stdout


def test_check_command_lists_warnings_and_fails_on_them_when_strict(study: Path) -> None:
    assert run_check(study, "--strict").returncode == 0  # the fixture study has no warnings
    bibliography = study / "bibliography.bib"
    edit(bibliography, "  pages = {7--19},\n  langid = {english},\n  confidence = {certain}", "  pages = {7--19},\n  langid = {english},\n  confidence = {unknown}")
    result = run_check(study)
    assert result.returncode == 0, result.stdout + result.stderr
    entry = line_of(bibliography, "@article{tanaka2018KettleRituals,")
    assert f"bibliography.bib:{entry}:1: warning: reference 'tanaka2018KettleRituals' is incomplete" in result.stdout
    assert "0 errors, 1 warnings" in result.stderr
    assert run_check(study, "--strict").returncode == 1


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


def test_a_text_checked_before_is_not_rendered_again_and_any_change_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live preview reads every source at each save: a text already checked in the process
    keeps its problems without being rendered again; another text, place or allowlist is checked."""
    from build_tools.sources import markup_check
    from build_tools.sources.settings import SiteSettings

    rendered: list[str] = []
    check = markup_check._markup_problems
    monkeypatch.setattr(markup_check, "_markup_problems", lambda text, *rest: rendered.append(text) or check(text, *rest))
    text, settings = "A <span class=\"odd\">word</span> {: onclick=x }\n", SiteSettings()
    first = markup_check.markup_problems(text, "quotes/a.md", 5, settings)
    assert first and markup_check.markup_problems(text, "quotes/a.md", 5, settings) == first
    assert len(rendered) == 1
    assert markup_check.markup_problems(text, "quotes/a.md", 6, settings)[0].line == first[0].line + 1
    assert markup_check.markup_problems(text, "quotes/b.md", 5, settings)[0].path == "quotes/b.md"
    fewer = markup_check.markup_problems(text, "quotes/a.md", 5, SiteSettings(allowed_classes=frozenset({"odd"})))
    assert len(fewer) < len(first)
    assert markup_check.markup_problems(text + "more\n", "quotes/a.md", 5, settings) == first
    assert len(rendered) == 5


def test_a_text_whose_rendering_reads_other_files_is_checked_every_time(tmp_path: Path) -> None:
    """With an extension that includes other files (pymdownx.snippets), the same text may render
    differently the next time: it is never answered from what was checked before."""
    from build_tools.sources.markup_check import markup_problems
    from build_tools.sources.settings import SiteSettings

    snippet = tmp_path / "x.md"
    snippet.write_text("Snippet clean text.\n", encoding="utf-8")
    settings = SiteSettings(markdown_extensions=("pymdownx.snippets",),
                            markdown_configs={"pymdownx.snippets": {"base_path": [str(tmp_path)]}})
    text = 'A quotation.\n\n--8<-- "x.md"\n'
    assert markup_problems(text, "quotes/taboo.md", 5, settings) == []
    snippet.write_text("Snippet <script>alert(1)</script> text.\n", encoding="utf-8")
    assert [problem.message for problem in markup_problems(text, "quotes/taboo.md", 5, settings)] == \
        ["the element <script> is not published: the site allows no scripts"]

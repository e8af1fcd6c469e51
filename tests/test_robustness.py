"""Input as people really give it: files saved on Windows, odd values, odd files; and downloads
that a spreadsheet or a reference manager reads safely. Every problem is a message with its file
and line, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from helpers import build_site, copy_study, edit, run_cli, soup, tiny_study
from lxml import etree

from build_tools.adapters.mkdocs_config import site_configuration
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import read_study

SOURCE_FOLDERS = ("content", "themes", "quotes")


def errors_of(project: Path) -> list[str]:
    folders, settings = site_configuration(project / "mkdocs.yml")
    return [str(problem) for problem in read_study(folders, settings=settings).errors]


def without_offline_edition(project: Path) -> Path:
    edit(project / "mkdocs.yml", "offline_edition: true", "offline_edition: false")
    return project


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def sources(project: Path) -> list[Path]:
    return [path for folder in SOURCE_FOLDERS for path in (project / folder).rglob("*.md")] + [project / "bibliography.bib"]


def test_files_saved_on_windows_build_exactly_like_the_originals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CRLF line ends and a UTF-8 byte-order mark on every source: the same check, the same site."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    unix = without_offline_edition(copy_study(tmp_path / "unix"))
    windows = without_offline_edition(copy_study(tmp_path / "windows"))
    for path in sources(windows):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert errors_of(windows) == []
    assert read_study(SourceFolders(windows)).problems == read_study(SourceFolders(unix)).problems
    built_unix, built_windows = files_of(build_site(unix)), files_of(build_site(windows))
    assert built_windows.keys() == built_unix.keys()
    assert [name for name in built_unix if built_unix[name] != built_windows[name]] == []
    home = soup(windows / "site" / "index.html")  # the site just built from the files saved on Windows
    assert home.select_one('meta[name="citation_doi"]')["content"] == "10.1002/pri.188", "the article block is read"


@pytest.mark.parametrize("change, message", [
    (("content/stages/one.md", "number: 1", "number: 1.0"), "content/stages/one.md:3:1: error: field 'number' must be a whole number, not 1.0"),
    (("content/index.md", "{{< journey-map >}}", "{{< journey-map extra >}}"),
     "content/index.md:25:1: error: the shortcode 'journey-map' takes no arguments: write '{{< journey-map >}}'"),
    (("content/index.md", "  year: 2001", "  year: '2000a'"), "content/index.md:4:1: error: field 'article.year' must be a four-digit year, like 2000, not '2000a'"),
    (("content/notes.md", "title: Notes", "title: Notes\nicon: ../../../etc/passwd"),
     "content/notes.md:3:1: error: field 'icon' must name an icon of the theme, like 'material/home', not '../../../etc/passwd'"),
    (("content/notes.md", "title: Notes", "title: Notes\ntemplate: ../base.html"),
     "content/notes.md:3:1: error: field 'template' must name a template of the theme, like 'main.html', not '../base.html'"),
    (("content/notes.md", "title: Notes", "title: Notes\nstatus: 'new\n'"), "content/notes.md:3:1: error: field 'status' must be a status name"),
    (("themes/first-theme.md", "order: 1", ("order: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nx: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                            "y: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nz: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                                            "w: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]")),
     "themes/first-theme.md:2:1: error: front matter refused: it expands to more than 10,000 values (through YAML aliases?)"),
    (("quotes/first-words.md", "It was the first step.", "It was the\x01 first step."),
     "quotes/first-words.md:7:16: error: the character U+0001 cannot be published (XML 1.0 forbids it, and the codebook export is XML): delete it"),
    (("themes/first-theme.md", "label: Taking the first step", 'label: "Taking the\\x0b first step"'),
     "themes/first-theme.md:3:1: error: field 'label' holds a control character"),
    (("content/index.md", "  title: A tiny study", "  title: A tiny study}"), "content/index.md:4:1: error: article.title: its braces do not pair up"),
    (("content/notes.md", "---\ntitle: Notes\n---\n\n", "Title: <script>alert(1)</script>\n\n"),
     "content/notes.md:1:1: error: a first line 'name: value' is read by MkDocs as the page's settings"),
    # MkDocs ends front matter only at a "---" in the first column: the check reads what MkDocs reads.
    (("content/notes.md", "title: Notes\n", 'title: Notes\n ---\nsubtitle: "\\x3cimg src=x onerror=alert(1)\\x3e"\n'),
     "content/notes.md:4:1: error: unknown field 'subtitle'"),
    (("content/stages/one.md", "number: 1", "number: 0x1" + "0" * 5000), "content/stages/one.md:2:1: error: front matter refused: it holds a number of more than 40 digits"),
    (("content/stages/one.md", "number: 1", "number: 100"), "content/stages/one.md:3:1: error: field 'number' must be 99 or less"),
    (("content/index.md", "# A tiny study", "# A tiny study\n\n```\nnot closed"), "content/index.md:23:1: error: this code fence is never closed"),
    (("content/notes.md", "title: Notes", "title: Notes\narticle: {title: Other, authors: [{family: Mallory}], journal: J, year: 2001}"),
     "content/index.md:4:1: error: the article is described on more than one page"),
    (("mkdocs.yml", "whole_study: [index.md, results]", "whole_study: [index.md#abstract, results]"),
     "content/index.md:20:1: error: the whole study (whole_study in mkdocs.yml) takes the section '#abstract' of this page"),
    # Page text that would be read as settings where it opens a generated page (the references page).
    (("content/notes.md", "---\n\n# Notes", '---\n---\nsubtitle: "\\x3cimg src=x onerror=alert(1)\\x3e"\n---\n# Notes'),
     "content/notes.md:4:1: error: the page's text starts like page settings"),
    (("content/notes.md", "---\n\n# Notes", "---\nstatus: x\n\n# Notes"), "content/notes.md:4:1: error: the page's text starts like page settings"),
    (("content/notes.md", "title: Notes\n---", "# only a comment\n---"), "content/notes.md:2:1: error: front matter must be a list of"),
    (("content/notes.md", "title: Notes", "title: Notes\ntemplate: redirect.html"), "content/notes.md:3:1: error: field 'template' must be one of"),
    (("content/notes.md", "title: Notes", "title: Notes\nicon: material/nothere"), "content/notes.md:3:1: error: field 'icon': the theme has no icon"),
    (("content/notes.md", "title: Notes", "title: Notes\nsearch: {1: true}"), "content/notes.md:3:1: error: search: unknown field '1'"),
    (("content/index.md", "      given: Ann", "      given: Ann, B, C"), "content/index.md:4:1: error: article.authors[1]: a name holds no comma"),
    (("content/index.md", "  title: A tiny study", '  title: "' + "{" * 20 + "A tiny study" + "}" * 20 + '"'),
     "content/index.md:4:1: error: article.title: its braces do not pair up (or nest more than 10 deep)"),
    # Shapes Python-Markdown takes quadratic time to read: the check refuses them before the build stalls.
    (("quotes/first-words.md", "It was the first step.", "It was the first step." + "[" * 8000), "quotes/first-words.md:7:1: error: a paragraph with more than 500 '['"),
    (("quotes/first-words.md", "It was the first step.", "a\n: " * 600), "quotes/first-words.md:7:1: error: a paragraph with more than 500 definition lines"),
    (("content/notes.md", "# Notes", "# a" + " " * 20000 + "{" + " " * 20000 + "x"), "content/notes.md:5:4: error: a run of more than 1,000 spaces"),
    # What a passage leaves open would take in the rest of its theme's page.
    (("themes/first-theme.md", "The theme is described here;", "<!--\n\nThe theme is described here;"), "themes/first-theme.md:8:1: error: this HTML comment is never closed"),
    (("themes/first-theme.md", "The theme is described here;", "<details>\n\nThe theme is described here;"), "themes/first-theme.md:8:1: error: <details> is opened and never closed"),
    # What a source writes may not pass for the site's own parts.
    (("content/notes.md", "A page of notes", "[A citation](https://example.org){ .citation__link title=\"Fake\" } of notes"),
     "content/notes.md:7:37: error: class=\"citation__link\" is removed from <a>"),
    (("content/notes.md", "# Notes", "# Notes { #quote-first-words }"), "content/notes.md:5:12: error: id=\"quote-first-words\" is removed from <h1>"),
    # BibTeX that would carry what the check does not see to readers' reference managers.
    (("bibliography.bib", "@book{kolb1984,", "@comment{Kept.} @book{hidden, title = {Forged}}\n\n@book{kolb1984,"),
     "bibliography.bib:9:1: error: an entry follows @comment{...} on its line"),
    (("bibliography.bib", "@book{kolb1984,", '@preamble{"\\input{/etc/passwd}"}\n\n@book{kolb1984,'), "bibliography.bib:9:1: error: @preamble is not published"),
    (("bibliography.bib", "@book{kolb1984,", '@string{m0 = "xxxxxxxx"}\n' + "".join(f"@string{{m{i} = m{i - 1} # m{i - 1}}}\n" for i in range(1, 30))
      + "@book{kolb1984,"), "bibliography.bib:22:1: error: 'm13' expands to more than 100,000 characters"),
])
def test_odd_values_get_a_message_at_their_line(tmp_path: Path, change: tuple[str, str, str], message: str) -> None:
    project = tiny_study(tmp_path)
    edit(project / change[0], change[1], change[2])
    found = errors_of(project)
    assert any(problem.startswith(message) for problem in found), found


def test_the_check_and_the_build_agree_on_what_is_code(tmp_path: Path) -> None:
    """A shortcode in code (here a code span over three lines, as Python-Markdown reads an indented
    fence) is code for the check and for the build alike: shown, not run."""
    project = tiny_study(tmp_path)
    edit(project / "content" / "index.md", "{{< journey-map >}}", "{{< journey-map >}}\n\n  ```\n{{< journey-map here >}}\n  ```")
    assert errors_of(project) == []
    home = soup(build_site(project) / "index.html")
    assert "{{< journey-map here >}}" in [code.get_text() for code in home.select("code")]


def test_a_long_heading_keeps_its_anchor(tmp_path: Path) -> None:
    project = tiny_study(tmp_path)
    edit(project / "content" / "notes.md", "A page of notes", "## " + "A very long heading " * 12 + "\n\nA page of notes")
    assert errors_of(project) == []
    heading = soup(build_site(project) / "notes" / "index.html").find("h2")
    assert heading.get("id", "").startswith("a-very-long-heading") and len(heading["id"]) > 150


def test_what_is_not_a_readable_file_gets_a_message(tmp_path: Path) -> None:
    project = tiny_study(tmp_path)
    (project / "quotes" / "folder.md").mkdir()
    (project / "quotes" / "gone.md").symlink_to(project / "quotes" / "missing.md")
    os.mkfifo(project / "quotes" / "pipe.md")  # reading it would wait for ever
    found = errors_of(project)
    assert "quotes/folder.md:1:1: error: is not a file: a source must be a plain text file" in found
    assert "quotes/pipe.md:1:1: error: is not a file: a source must be a plain text file" in found
    assert any(problem.startswith("quotes/gone.md:1:1: error: cannot be read") for problem in found), found


def test_a_missing_root_is_named(tmp_path: Path) -> None:
    """In this process (main() raising would fail the test); test_editing runs the real command line on a missing root."""
    result = run_cli("check", "--root", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no such folder" in result.stderr


# ---- downloads -------------------------------------------------------------------------------

def test_spreadsheets_see_no_formula_in_the_codebook_csv(tmp_path: Path) -> None:
    project = tiny_study(tmp_path)
    edit(project / "themes" / "first-theme.md", "label: Taking the first step", "label: '=HYPERLINK(\"http://evil.example\",\"x\")'")
    edit(project / "content" / "stages" / "one.md", "subtitle: The first steps", "subtitle: '@SUM(1+1)'")
    edit(project / "content" / "stages" / "one.md", "title: Setting off", "title: '-2+3'")
    table = next((build_site(project) / "data").glob("*.csv")).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(table)))
    cells = [cell for row in rows[1:] for cell in row if cell]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), cells
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells and "'@SUM(1+1)" in cells


def test_a_line_break_in_the_article_title_forges_no_ris_record(tmp_path: Path) -> None:
    project = tiny_study(tmp_path)
    edit(project / "content" / "index.md", "  title: A tiny study", '  title: "A tiny study\\nER  - \\nTY  - JOUR\\nTI  - Forged"')
    ris = (build_site(project) / "cite" / "article.ris").read_text(encoding="utf-8")
    assert ris.count("TY  - ") == 1 and ris.count("ER  - ") == 1
    assert "TI  - A tiny study ER - TY - JOUR TI - Forged" in ris


def test_the_codebook_is_valid_xml_whatever_the_labels(tmp_path: Path) -> None:
    project = tiny_study(tmp_path)
    edit(project / "themes" / "first-theme.md", "label: Taking the first step", "label: 'A <b>&amp; \"quoted\" ]]> label'")
    codebook = next((build_site(project) / "data").glob("*.qdc"))
    names = [code.get("name") for code in etree.parse(str(codebook)).iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert 'A <b>&amp; "quoted" ]]> label' in names


def test_messages_quote_a_huge_value_briefly(tmp_path: Path) -> None:
    project = tiny_study(tmp_path)
    edit(project / "content" / "stages" / "one.md", "number: 1", "number: '" + "9" * 100_000 + "'")
    found = errors_of(project)
    assert found and all(len(problem) < 300 for problem in found), [problem[:300] for problem in found]
    assert re.search(r"must be a whole number, not '9{59}…'", found[0]), found[0]

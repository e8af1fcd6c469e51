"""What contributors and reviewers use: the field reference, `new`, `diff` and CI annotations."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, edit, line_of, run_cli, tiny_study

from build_tools.authoring.contributing import updated
from build_tools.authoring.scaffold import (
    ScaffoldError,
    current_study,
    new_quotation,
    new_theme,
)
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import read_study
from build_tools.sources.schema import schema


def run(project: Path, *arguments: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line's main() in this process (test_a_missing_root_is_named runs the real one)."""
    return run_cli("--root", str(project), *arguments, stdin=stdin.encode(), env=env)


def test_contributing_field_reference_is_up_to_date() -> None:
    document = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert updated(document) == document, "run: python -m build_tools contributing"
    for field in ("`id`", "`label`", "`stage`", "`order`", "`article.doi`", "`number`"):
        assert field in document


def test_new_files_take_the_next_free_order_and_pass_the_check(project: Path) -> None:
    assert run(project, "new", "stage", "--id", "going-further", "--title", "Going further", "--subtitle", "A fifth stage").returncode == 0
    assert run(project, "new", "theme", "--id", "new-theme", "--label", "A new theme", "--stage", "coming-home").returncode == 0
    made = run(project, "new", "quote", "--id", "new-quote", "--theme", "new-theme", "--text", "-", stdin="/../ Some words.\n")
    assert made.returncode == 0 and made.stdout.strip() == "wrote quotes/new-quote.md"
    result = read_study(SourceFolders(project))
    assert result.errors == ()
    study = result.study
    assert study.stage("going-further").number == 5
    assert study.theme("new-theme").order == 3
    assert study.quotation("new-quote").order == 1 and study.quotation("new-quote").text == "/../ Some words.\n"
    assert "{{< quote new-quote >}}" in (project / "themes" / "new-theme.md").read_text(encoding="utf-8")


def test_new_refuses_what_would_break_the_study(project: Path) -> None:
    before = {path: path.read_bytes() for path in project.rglob("*.md")}
    taken = run(project, "new", "quote", "--id", "naked", "--theme", "never-learn-enough")
    assert taken.returncode == 1 and "already a quotation with the id 'naked'" in taken.stderr
    unknown = run(project, "new", "theme", "--id", "x", "--label", "X", "--stage", "nowhere")
    assert unknown.returncode == 1 and "unknown stage 'nowhere'" in unknown.stderr
    assert {path: path.read_bytes() for path in project.rglob("*.md")} == before


def git(project: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(project), *arguments], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_diff_tells_a_reviewer_what_changed(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    edit(project / "quotes" / "more-honest.md", "I am feeling more honest", "I am feeling much more honest")
    edit(project / "themes" / "feeling-frustrated.md", "label: Feeling frustrated", "label: Feeling very frustrated")
    edit(project / "bibliography.bib", "  title      = {A Study of Doctors},", "  title      = {A Study of Doctors and Patients},")
    assert run(project, "new", "theme", "--id", "new-theme", "--label", "A new theme", "--stage", "coming-home").returncode == 0
    (project / "quotes" / "naked.md").unlink()
    edit(project / "themes" / "never-learn-enough.md", "{{< quote naked >}}", "")
    edit(project / "content" / "teaching" / "never-learn-enough.md", "quotations: [naked]", "quotations: []")
    edit(project / "content" / "teaching" / "coming-home.md", "quotations: [naked]", "quotations: []")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "change")
    result = run(project, "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert "## What this change does to the study" in report
    assert "- **added** “A new theme”" in report
    assert "- **removed** naked (theme never-learn-enough)" in report
    assert "- **changed** “Feeling very frustrated”\n  - label: Feeling frustrated → Feeling very frustrated" in report
    assert "- **changed** more-honest (theme feeling-more-honest)\n  - text: /../ I am feeling **much** more honest towards … the physical symptoms.." in report
    assert "was: Balint, M., Balint, E., Gosling, R., \\& Hildebrand, P. (1966). A study of doctors. Tavistock." in report
    assert "now: Balint, M., Balint, E., Gosling, R., \\& Hildebrand, P. (1966). A study of doctors and patients. Tavistock." in report


def test_diff_shows_every_kind_of_source_and_no_value_can_hide_the_rest(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    edit(project / "content" / "stages" / "starting-out.md", "subtitle: Checking the baggage", 'subtitle: "Checking the baggage\\n\\n<!--"')
    edit(project / "content" / "index.md", "  doi: 10.1002/pri.188", "  doi: 10.9999/elsewhere.1")
    edit(project / "content" / "method.md", "Balint", "Balint's", )
    edit(project / "content" / "teaching" / "coming-home.md", "aims:\n  - ", "aims:\n  - A new aim.\n  - ")
    edit(project / "bibliography.bib", "confidence = {probable}", "confidence = {certain}")
    edit(project / "quotes" / "more-honest.md", "I am feeling more honest", "I am feeling *much* more honest")
    git(project, "commit", "-q", "-am", "change")
    report = run(project, "diff", "HEAD~1", "HEAD").stdout
    assert not [line for line in report.splitlines() if line.lstrip().startswith("<")], "no line of the report is HTML"
    assert "- **changed** I. Starting out: Checking the baggage \\<\\!--\n  - subtitle changed" in report
    assert "doi: 10.1002/pri.188 → 10.9999/elsewhere.1" in report
    assert "- **changed** Method (method.md)\n  - text changed" in report
    assert "- **changed** for coming-home\n  - aims changed" in report
    assert "confidence: probable → certain" in report
    assert "**\\*much\\*** more honest" in report, "the words a quotation gains, their asterisks as written"


def test_diff_sees_what_a_change_tries_to_hide_and_the_settings_and_files_it_changes(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    (project / "content" / "stages" / ".gitattributes").write_text("ghost.md export-ignore\n.gitattributes export-ignore\n", encoding="utf-8")
    (project / "content" / "stages" / "ghost.md").write_text("---\nid: ghost\nnumber: 5\ntitle: Giving up\nsubtitle: Gone\n---\n\nText.\n",
                                                              encoding="utf-8")
    edit(project / "content" / "about.md", "---\n", "---\nhide: [toc]\n")
    (project / "content" / "handout.pdf").write_bytes(b"%PDF-1.4 a handout")
    edit(project / "bibliography.bib", "  address    = {Oxford},", "  address    = {London},")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "change")
    report = run(project, "diff", "HEAD~1", "HEAD").stdout
    assert "- **added** V. Giving up: Gone" in report, "export-ignore in .gitattributes hides nothing"
    assert '- **changed** About this edition (about.md)\n  - settings:  → hide: \\["toc"\\]' in report
    assert "- **added** content/handout.pdf" in report
    assert "- **changed** higgs1999\n  - BibTeX entry changed" in report


def test_check_writes_github_annotations_in_actions(project: Path) -> None:
    edit(project / "quotes" / "taboo.md", "order: 3", "order: third")
    result = run(project, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    order, entry = line_of(project / "quotes" / "taboo.md", "order:"), line_of(project / "bibliography.bib", "{tynilenne1987,")
    assert f"quotes/taboo.md:{order}:1: error: field 'order' must be a whole number, not 'third'" in result.stdout
    assert f"::error file=quotes/taboo.md,line={order},col=1::field 'order' must be a whole number, not 'third'" in result.stdout
    assert f"::notice file=bibliography.bib,line={entry},col=1::reference 'tynilenne1987' is incomplete" in result.stdout


def files_under(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file() and ".git" not in path.parts}


def refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert f"error: {message}" in result.stderr, result.stderr


@pytest.mark.parametrize("kind", ["stage", "theme", "quote"])
@pytest.mark.parametrize("new_id", ["../../x", "ABSOLUTE", "Bad Id", "x\n", ""])
def test_new_takes_only_ids_the_schema_allows(project: Path, tmp_path: Path, kind: str, new_id: str) -> None:
    new_id = str(tmp_path / "absolute") if new_id == "ABSOLUTE" else new_id  # every escape stays in tmp_path
    before = files_under(tmp_path)
    options = {"stage": ["--title", "T", "--subtitle", "S"], "theme": ["--label", "L", "--stage", "coming-home"],
               "quote": ["--theme", "feeling-frustrated", "--text", "Words."]}[kind]
    result = run(project, "new", kind, "--id", new_id, *options)
    rule = schema({"quote": "quotation"}.get(kind, kind))["properties"]["id"]
    refused(result, f"--id {rule['x-message']}, not {new_id!r}")
    assert files_under(tmp_path) == before


@pytest.mark.parametrize(("arguments", "message"), [
    (["stage", "--id", "s", "--title", "", "--subtitle", "S"], "--title is empty"),
    (["stage", "--id", "s", "--title", "T", "--subtitle", "  "], "--subtitle is empty"),
    (["theme", "--id", "t", "--label", "", "--stage", "coming-home"], "--label is empty"),
    (["quote", "--id", "q", "--theme", "nowhere"], "unknown theme 'nowhere'"),
])
def test_new_refuses_empty_values_and_unknown_references(project: Path, arguments: list[str], message: str) -> None:
    before = files_under(project)
    refused(run(project, "new", *arguments), message)
    assert files_under(project) == before


def run_bytes(project: Path, *arguments: str, stdin: bytes) -> subprocess.CompletedProcess[str]:
    return run_cli("--root", str(project), *arguments, stdin=stdin)


def test_a_quotation_from_standard_input_must_be_utf8(project: Path) -> None:
    before = files_under(project)
    result = run_bytes(project, "new", "quote", "--id", "latin", "--theme", "feeling-frustrated", "--text", "-",
                       stdin="/../ Jag känner mig".encode("latin-1"))
    refused(result, "standard input is not UTF-8 text: byte 0xe4 at offset 10")
    assert files_under(project) == before


def test_a_quotation_from_standard_input_loses_its_bom_and_crlf(project: Path) -> None:
    result = run_bytes(project, "new", "quote", "--id", "windows", "--theme", "feeling-frustrated", "--text", "-",
                       stdin=b"\xef\xbb\xbf/../ Line one,\r\nline two,\rline three.\r\n")
    assert result.returncode == 0, result.stderr
    study = read_study(SourceFolders(project)).study
    assert study is not None and study.quotation("windows").text == "/../ Line one,\nline two,\nline three.\n"


def test_a_new_quotation_is_written_whole_or_not_at_all(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders = SourceFolders(project)
    study = current_study(folders)
    theme_file = project / "themes" / "feeling-frustrated.md"
    before = files_under(project)
    write_text = Path.write_text

    def full_disk(path: Path, *arguments: Any, **options: Any) -> int:
        if path == theme_file:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_text(path, *arguments, **options)

    monkeypatch.setattr(Path, "write_text", full_disk)
    with pytest.raises(ScaffoldError, match=r"cannot write .*feeling-frustrated\.md: No space left on device"):
        new_quotation(folders, study, "half", "feeling-frustrated", "Words.")
    assert files_under(project) == before


def test_new_writes_neither_through_a_link_nor_over_a_file(project: Path, tmp_path: Path) -> None:
    folders = SourceFolders(project)
    study = current_study(folders)
    (project / "themes" / "linked.md").symlink_to(tmp_path / "outside.md")
    with pytest.raises(ScaffoldError, match="leads outside"):
        new_theme(folders, study, "linked", "Linked", "coming-home")
    (project / "themes" / "taken.md").write_text("not a theme yet", encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"taken\.md exists already"):
        new_theme(folders, study, "taken", "Taken", "coming-home")
    assert not (tmp_path / "outside.md").exists()
    assert (project / "themes" / "taken.md").read_text(encoding="utf-8") == "not a theme yet"


def test_a_missing_root_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    for arguments in (["check", "--root", str(missing)], ["--root", str(missing), "new", "stage", "--id", "s", "--title", "T",
                                                          "--subtitle", "S"], ["--root", str(missing), "diff", "HEAD"]):
        result = subprocess.run([sys.executable, "-m", "build_tools", *arguments], capture_output=True, text=True, check=False)
        refused(result, f"{missing}: no such folder")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def repository(project: Path) -> Path:
    """The study as a git repository with one commit."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    return project


def test_diff_takes_no_option_for_a_revision(repository: Path, tmp_path: Path) -> None:
    target = tmp_path / "F"
    refused(run(repository, "diff", "--", f"--output={target}"), f"revision '--output={target}' starts with '-'")
    refused(run(repository, "diff", "--", "HEAD", f"--output={target}"), f"revision '--output={target}' starts with '-'")
    assert not target.exists()


def test_diff_of_a_revision_with_itself(repository: Path) -> None:
    result = run(repository, "diff", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "No stage, theme, quotation or reference changed." in result.stdout


def test_diff_refuses_a_link_out_of_the_repository(repository: Path) -> None:
    (repository / "quotes" / "evil.md").symlink_to("/etc/passwd")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "a link")
    refused(run(repository, "diff", "HEAD~1", "HEAD"),
            "revision 'HEAD' has quotes/evil.md as a link to '/etc/passwd', outside the repository")


def test_diff_outside_a_git_repository_says_so(project: Path) -> None:
    refused(run(project, "diff", "HEAD"), "git cannot read revision 'HEAD': fatal: not a git repository")


def test_commands_answer_unwritable_targets_with_messages(tmp_path: Path) -> None:
    project = tiny_study(tmp_path / "study")  # the offline edition is built before its zip cannot be written: a small one
    refused(run(project, "offline", "--output", str(project / "quotes")), f"{project / 'quotes'}: is a folder")
    under_a_file = project / "bibliography.bib" / "edition.zip"
    refused(run(project, "offline", "--output", str(under_a_file)),
            f"the offline edition was not written to {under_a_file}: {project / 'bibliography.bib'}: File exists")
    refused(run(project, "contributing"), f"{project / 'CONTRIBUTING.md'}: No such file or directory")
    (project / "CONTRIBUTING.md").write_text("no field reference here", encoding="utf-8")
    refused(run(project, "contributing"), f"{project / 'CONTRIBUTING.md'}: CONTRIBUTING.md has no section between")

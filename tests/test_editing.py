"""What contributors and reviewers use: the field reference, `new`, `diff` and CI annotations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from build_tools.contributing import updated
from build_tools.loader import Layout, read_study
from conftest import ROOT, edit


def run(project: Path, *arguments: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", "--root", str(project), *arguments], input=stdin,
                          capture_output=True, text=True, check=False, env={**os.environ, **(env or {})})


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
    result = read_study(Layout(project))
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
    assert "was: Balint, M., Balint, E., Gosling, R., & Hildebrand, P. (1966). A study of doctors. Tavistock." in report
    assert "now: Balint, M., Balint, E., Gosling, R., & Hildebrand, P. (1966). A study of doctors and patients. Tavistock." in report


def test_check_writes_github_annotations_in_actions(project: Path) -> None:
    edit(project / "quotes" / "taboo.md", "order: 3", "order: third")
    result = run(project, "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert "quotes/taboo.md:4:1: error: field 'order' must be a whole number, not 'third'" in result.stdout
    assert "::error file=quotes/taboo.md,line=4,col=1::field 'order' must be a whole number, not 'third'" in result.stdout
    assert "::warning file=bibliography.bib,line=24,col=1::reference 'tynilenne1987' is incomplete" in result.stdout

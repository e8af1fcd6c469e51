"""The offline edition built beside the site: ``mkdocs build``, run as a user runs it (one thread),
forks a copy of itself that builds the edition while the site builds. Its zip is the one the
``offline`` command makes alone, and a failed build leaves no copy running and no folder behind.

Under the test runner's workers (threads running) the plugin builds the edition after the site in
the same process; test_trust.py checks that path against the command as well."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import BUILD_DATE, copy_study, edit

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the edition is built in a forked copy on Linux only")


def mkdocs_build(project: Path, site: Path, scratch: Path, strictness: str = "--strict") -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)}
    environment.pop("EDIT_URL", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", strictness, "-d", str(site)], cwd=project,  # -q: no warning counts
                          env=environment, capture_output=True, text=True, check=False)


def test_the_edition_built_beside_the_site_is_the_one_the_command_makes_alone(tmp_path: Path) -> None:
    project, scratch = copy_study(tmp_path / "study"), tmp_path / "scratch"
    scratch.mkdir()
    built = mkdocs_build(project, tmp_path / "site", scratch)
    assert built.returncode == 0, built.stderr
    environment = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_DATE}
    environment.pop("EDIT_URL", None)
    alone = subprocess.run([sys.executable, "-m", "build_tools", "offline", "--output", str(tmp_path / "alone.zip")], cwd=project,
                           env=environment, capture_output=True, text=True, check=False)
    assert alone.returncode == 0, alone.stderr
    (beside,) = (tmp_path / "site").rglob("*-offline.zip")
    assert beside.read_bytes() == (tmp_path / "alone.zip").read_bytes()
    assert [path for path in scratch.iterdir() if not path.name.startswith("_jinja2-cache")] == [], "the copy's folders are gone"


def test_a_failed_build_stops_the_edition_and_leaves_nothing_behind(tmp_path: Path) -> None:
    """A page's broken link fails a strict build after the copy has started: the copy is stopped."""
    project, scratch = copy_study(tmp_path / "study"), tmp_path / "scratch"
    scratch.mkdir()
    edit(project / "content" / "about.md", "\n\n", "\n\n[a page that is not there](nowhere.md)\n\n")
    built = mkdocs_build(project, tmp_path / "site", scratch)
    assert built.returncode != 0
    assert built.stderr.count("nowhere.md") == 1, "the warning said once, by the site's build"
    assert "Aborted with 1 warnings in strict mode!" in built.stdout + built.stderr
    assert "offline edition" not in built.stderr and "Traceback" not in built.stderr
    assert list(scratch.iterdir()) == [] or all(path.name.startswith("_jinja2-cache") for path in scratch.iterdir()), \
        "nothing of the edition left behind"


def test_no_strict_on_the_command_line_holds_for_the_edition_too(tmp_path: Path) -> None:
    project, scratch = copy_study(tmp_path / "study"), tmp_path / "scratch"
    scratch.mkdir()
    edit(project / "content" / "about.md", "\n\n", "\n\n[a page that is not there](nowhere.md)\n\n")
    built = mkdocs_build(project, tmp_path / "site", scratch, "--no-strict")
    assert built.returncode == 0, built.stderr
    assert list((tmp_path / "site").rglob("*-offline.zip"))

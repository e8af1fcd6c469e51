"""The package as pip installs it: the sdist and the wheel carry every module, every template,
asset and schema, the licence and the metadata, and building them prints no warning.

Builds once per module, from a clean copy of the repository (no build/ or *.egg-info left over from
earlier builds), with `python -m build --no-isolation`: the sdist first, then the wheel from the
sdist, as PyPI users get it. No network: setuptools and build come from the `test` extra.
What the tests expect is found in the source tree (every __init__.py, every data file), so they
keep working when modules move.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

import pytest
from helpers import ROOT

PACKAGE = ROOT / "build_tools"
DATA_SUFFIXES = {".j2", ".json", ".js", ".css"}
# Left out of the copy: anywhere in the tree, and only at the repository's top.
IGNORED_ANYWHERE = {".git", ".venv", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "node_modules"}
IGNORED_AT_TOP = {"build", "dist", "site", ".cache"}


@dataclass(frozen=True)
class Dists:
    wheel: Path
    sdist: Path
    output: str

    def wheel_names(self) -> set[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return set(archive.namelist())

    def wheel_text(self, name: str) -> str:
        with zipfile.ZipFile(self.wheel) as archive:
            return archive.read(name).decode("utf-8")

    def dist_info(self) -> str:
        (folder,) = {name.split("/")[0] for name in self.wheel_names() if name.split("/")[0].endswith(".dist-info")}
        return folder

    def metadata(self) -> Message:
        return HeaderParser().parsestr(self.wheel_text(f"{self.dist_info()}/METADATA"))

    def sdist_names(self) -> list[str]:
        """Member names without the sdist's top folder (``qualitative_study_site-0.1.0/``)."""
        with tarfile.open(self.sdist) as archive:
            return [name.partition("/")[2] for name in archive.getnames() if "/" in name]


def _ignore(folder: str, names: list[str]) -> set[str]:
    ignored = {name for name in names if name in IGNORED_ANYWHERE or name.endswith(".egg-info")}
    if Path(folder).resolve() == ROOT:
        ignored |= IGNORED_AT_TOP & set(names)
    return ignored


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    work = tmp_path_factory.mktemp("packaging")
    source, out = work / "source", work / "dist"
    shutil.copytree(ROOT, source, ignore=_ignore)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # else setuptools says it skips byte-compiling, as a warning
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return Dists(wheel, sdist, result.stdout)


def _source_files(predicate) -> list[str]:
    """Files under build_tools/ (as paths inside the wheel) that ``predicate`` accepts."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and predicate(path)
    )


# setuptools' lines about the files it handles, which may name a file "warnings.py"
FILE_OPERATION = re.compile(r"^\s*(adding|copying|creating|writing|reading|removing|hard linking) ")


def test_building_prints_no_warning(dists: Dists) -> None:
    """Any warning: a SetuptoolsDeprecationWarning, `WARNING Package ... is absent`, `warning: no
    previously-included files` (MANIFEST.in), a deprecated pyproject.toml key."""
    lines = [line for line in dists.output.splitlines() if not FILE_OPERATION.match(line)]
    warnings = [line for line in lines if "warning" in line.casefold()]
    assert not warnings, "\n".join(warnings)


def test_the_wheel_has_every_package(dists: Dists) -> None:
    packages = _source_files(lambda path: path.name == "__init__.py")
    assert "build_tools/__init__.py" in packages and "build_tools/citations/__init__.py" in packages
    missing = sorted(set(packages) - dists.wheel_names())
    assert not missing, missing


def test_the_wheel_has_every_module(dists: Dists) -> None:
    modules = _source_files(lambda path: path.suffix == ".py")
    assert {"build_tools/citations/style.py", "build_tools/citations/apa.py"} <= set(modules)
    missing = sorted(set(modules) - dists.wheel_names())
    assert not missing, missing


def test_the_wheel_has_every_template_asset_and_schema(dists: Dists) -> None:
    data = _source_files(lambda path: path.suffix in DATA_SUFFIXES)
    assert {".j2", ".json", ".js", ".css"} == {Path(name).suffix for name in data}
    missing = sorted(set(data) - dists.wheel_names())
    assert not missing, missing


def test_the_wheel_has_nothing_but_the_package_and_its_metadata(dists: Dists) -> None:
    outside = sorted(name for name in dists.wheel_names() if name.split("/")[0] not in {"build_tools", dists.dist_info()})
    assert not outside, outside
    assert not [name for name in dists.wheel_names() if "__pycache__" in name or name.endswith(".pyc")]


def test_every_entry_point_names_a_module_in_the_wheel(dists: Dists) -> None:
    entry_points = configparser.ConfigParser(delimiters=("=",))
    entry_points.optionxform = str  # type: ignore[assignment,method-assign]
    entry_points.read_string(dists.wheel_text(f"{dists.dist_info()}/entry_points.txt"))
    names = dists.wheel_names()
    targets = {group: dict(entry_points[group]) for group in entry_points.sections()}
    assert {"console_scripts", "mkdocs.plugins", "markdown.extensions", "pybtex.style.formatting", "pybtex.style.labels"} <= set(targets)
    for group, entries in targets.items():
        for name, target in entries.items():
            module = target.split(":")[0].strip().replace(".", "/")
            assert f"{module}.py" in names or f"{module}/__init__.py" in names, f"{group}: {name} = {target}"


def test_the_wheel_carries_the_licence(dists: Dists) -> None:
    licences = [name for name in dists.wheel_names() if name.startswith(f"{dists.dist_info()}/") and name.endswith("/LICENSE")]
    assert licences == [f"{dists.dist_info()}/licenses/LICENSE"]
    assert dists.wheel_text(licences[0]) == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in dists.wheel_text(licences[0])


def test_the_metadata(dists: Dists) -> None:
    metadata = dists.metadata()
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["License"] is None, "the licence is an SPDX expression, not the legacy License field"
    classifiers = metadata.get_all("Classifier") or []
    assert "Framework :: MkDocs" in classifiers
    assert not [classifier for classifier in classifiers if classifier.startswith("License ::")], "License-Expression replaces licence classifiers"
    requirements = [re.split(r"[<>=!~;\s\[]", requirement, maxsplit=1)[0].lower() for requirement in metadata.get_all("Requires-Dist") or []]
    assert "markupsafe" in requirements, "build_tools imports markupsafe itself"
    assert metadata["Author"] == "The editors of this edition"
    assert {url.split(",")[0] for url in metadata.get_all("Project-URL") or []} >= {"Homepage", "Source", "Issues"}


def test_the_sdist_leaves_the_tests_and_the_study_out(dists: Dists) -> None:
    names = dists.sdist_names()
    assert "LICENSE" in names and "pyproject.toml" in names and "README.md" in names
    for folder in ("tests", "content", "themes", "quotes", "bench"):
        assert not [name for name in names if name == folder or name.startswith(f"{folder}/")], folder
    assert not [name for name in names if name.endswith("source.txt")], "the manuscript is not part of the package"

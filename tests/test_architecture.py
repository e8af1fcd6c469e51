"""The structure the package promises: a core that never imports MkDocs, a citation engine that
stands alone, an MkDocs plugin of thin hooks, and no words of one study in the package."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from build_tools.adapters.mkdocs_plugin import StudyPlugin

PACKAGE = ROOT / "build_tools"
CORE = ("model", "problems", "locations", "markup", "characters", "sanitizer", "urls", "templating", "sources", "citations", "site")
# What the citation engine may lean on besides itself: shared helpers that know no study.
CITATION_ENGINE = {"build_tools", "build_tools.adapters", "build_tools.adapters.markdown_citations", "build_tools.problems",
                   "build_tools.locations", "build_tools.characters", "build_tools.urls", "build_tools.markup",
                   "build_tools.sanitizer", "build_tools.templating", "build_tools.kept"}
MAX_HOOK_LINES = 20


def imported_after(code: str) -> dict[str, list[str]]:
    """The modules a fresh Python has imported after running ``code``: build_tools' and MkDocs'."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('build_tools', 'mkdocs', 'material'))))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    modules = json.loads(result.stdout.splitlines()[-1])
    return {"build_tools": [m for m in modules if m.startswith("build_tools")], "mkdocs": [m for m in modules if not m.startswith("build_tools")]}


def test_the_citation_extension_loads_alone(tmp_path: Path) -> None:
    """Any Markdown user can cite with ``pandoc_citations`` without the study's modules or MkDocs."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{kolb1984, author = {Kolb, David A.}, title = {Experiential Learning}, publisher = {Prentice-Hall}, year = {1984}}\n",
                   encoding="utf-8")
    modules = imported_after(
        "import markdown\n"
        f"html = markdown.markdown('As @kolb1984 shows.', extensions=['pandoc_citations'], extension_configs={{'pandoc_citations': {{'bibliography': {str(bib)!r}}}}})\n"
        "assert 'Kolb (1984)' in html, html\n")
    assert modules["mkdocs"] == []
    outside = [m for m in modules["build_tools"] if m not in CITATION_ENGINE and not m.startswith("build_tools.citations")]
    assert outside == [], "the citation extension imported modules of the study"


@pytest.mark.parametrize("stage", CORE)
def test_the_core_never_imports_mkdocs(stage: str) -> None:
    modules = [f"build_tools.{path.relative_to(PACKAGE).with_suffix('').as_posix().replace('/', '.')}".removesuffix(".__init__")
               for path in sorted((PACKAGE / stage).rglob("*.py") if (PACKAGE / stage).is_dir() else [PACKAGE / f"{stage}.py"])]
    assert modules
    found = imported_after("\n".join(f"import {module}" for module in modules))
    assert found["mkdocs"] == [], f"{stage} imports MkDocs"
    assert not [m for m in found["build_tools"] if m.startswith("build_tools.adapters")], f"{stage} imports an adapter"


def test_every_hook_of_the_plugin_is_a_few_lines() -> None:
    """The plugin hands over to the core: no hook holds a decision of its own."""
    tree = ast.parse((PACKAGE / "adapters" / "mkdocs_plugin.py").read_text(encoding="utf-8"))
    plugin = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == StudyPlugin.__name__)
    hooks = [node for node in plugin.body if isinstance(node, ast.FunctionDef) and node.name.startswith("on_")]
    assert {hook.name for hook in hooks} >= {"on_config", "on_files", "on_page_markdown", "on_page_content"}
    for hook in hooks:
        body = hook.body[1:] if isinstance(hook.body[0], ast.Expr) and isinstance(hook.body[0].value, ast.Constant) else hook.body
        lines = body[-1].end_lineno - body[0].lineno + 1  # type: ignore[operator]
        assert lines <= MAX_HOOK_LINES, f"{hook.name} has {lines} lines"


STUDY_WORDS = ("Balint", "Abrandt", "Almquist", "Krook", "physiotherap", "balint-journey", "pri.188")


@pytest.mark.parametrize("word", STUDY_WORDS)
def test_no_words_of_this_study_in_the_package(word: str) -> None:
    """Every sentence about a study comes from its sources: the package serves any study."""
    found = [f"{path.relative_to(ROOT)}:{number}" for path in sorted(PACKAGE.rglob("*")) if path.is_file() and path.suffix in {".py", ".j2", ".json", ".js", ".css"}
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if word.lower() in line.lower()]
    assert found == []

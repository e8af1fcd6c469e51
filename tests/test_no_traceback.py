"""Whatever a contributor writes, the check and the build answer with messages, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from helpers import build_site, tiny_study
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import read_study

MESSAGE = re.compile(r"^[\w./-]+\.(md|bib):\d+:\d+: (error|warning): \S.*$", re.DOTALL)
FIELDS = ["id", "label", "stage", "order", "theme", "title", "number", "subtitle", "odre", "article", ""]
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 99), st.text(max_size=20),
              st.sampled_from(["one", "first-theme", "new-x", "first-words"])),  # ids of the tiny study, and a new one
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
front_matter = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=6).map(
        lambda fields: yaml.safe_dump(fields, allow_unicode=True)),
    st.text(alphabet=":-[]{}'\"#&*!|>%@`\n abc0123", max_size=60),
)
markdown = st.lists(
    st.sampled_from(["text ", "@kolb1984 ", "[@nokey]", "[@a; @kvale1996, p. 3]", "{{< quote first-words >}}", "{{< quote >}}",
                     "::: interpretation", ":::", "\n\n", "`code @x`", "<script>x</script>", "<b>bold</b>", "[link](javascript:x)",
                     "\\@", "{{< journey-map >}}", "```\n", "# Heading\n", "/../ ", "é ‟", "\r\n"]) | st.text(max_size=15),
    max_size=25,
).map("".join)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small study of every kind of source (a check of it takes a tenth of the real study's)."""
    return tiny_study(tmp_path_factory.mktemp("pristine") / "study")


def write(project: Path, fm: str, body: str) -> None:
    """The text three times: as the theme the study's quotation belongs to, as a new quotation, as a new page."""
    (project / "themes" / "first-theme.md").write_text(f"---\n{fm}\n---\n{body}", encoding="utf-8")
    (project / "quotes" / "new-x.md").write_text(f"---\n{fm}\n---\n{body}", encoding="utf-8")
    (project / "content" / "extra.md").write_text(f"---\n{fm}\n---\n{body}", encoding="utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fm=front_matter, body=markdown)
def test_the_check_answers_any_content_with_messages(pristine: Path, tmp_path_factory: pytest.TempPathFactory, fm: str, body: str) -> None:
    project = tmp_path_factory.mktemp("case") / "study"
    shutil.copytree(pristine, project)
    write(project, fm, body)
    result = read_study(SourceFolders(project))
    for problem in result.problems:
        assert MESSAGE.match(str(problem)), str(problem)
    assert (result.study is None) == bool(result.errors)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fm=front_matter, body=markdown)
def test_the_build_answers_any_content_cleanly(pristine: Path, tmp_path_factory: pytest.TempPathFactory, fm: str, body: str) -> None:
    project = tmp_path_factory.mktemp("build") / "study"
    shutil.copytree(pristine, project)
    write(project, fm, body)
    errors = read_study(SourceFolders(project)).errors
    try:
        build_site(project)
    except Abort:
        return  # a build stopped with messages (errors, or warnings in strict mode): a clean answer
    assert errors == (), "the build passed, so the check must have found no error"

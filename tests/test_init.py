"""``python -m build_tools init DIR``: a new study site that passes the strict check and builds strict
at once, that ``new`` extends, and that is written whole into a new or empty folder, or not at all."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import build_site, resolve, soup, words

from build_tools.adapters.mkdocs_config import StudyConfig
from build_tools.authoring import starter
from build_tools.authoring.scaffold import ScaffoldError
from build_tools.authoring.starter import FILES, QUOTATION_ID, STAGE_ID, THEME_ID, render, start_study
from build_tools.sources.folders import DEFAULT_FOLDERS

TITLE = "Nurses on the night shift"


def run(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "build_tools", *arguments], capture_output=True, text=True, check=False,
                          cwd=cwd)


def files_under(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def started(tmp_path: Path) -> Path:
    folder = tmp_path / "my-study"
    result = run("init", str(folder), "--title", TITLE)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for relative, _ in FILES:
        assert f"wrote {folder / relative}\n" in result.stdout
    assert "mkdocs serve" in result.stdout and "python -m build_tools check" in result.stdout
    return folder


def checked(folder: Path) -> str:
    result = run("--root", str(folder), "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    return result.stderr


def test_the_new_site_passes_the_strict_check(started: Path) -> None:
    assert checked(started) == "checked 1 stage, 1 theme, 1 quotation, 2 references: 0 errors, 0 warnings, 0 notices\n"
    assert sorted(path.relative_to(started).as_posix() for path in files_under(started)) == sorted(path for path, _ in FILES)


def test_the_new_site_builds_strict_with_map_quotation_and_citations(started: Path) -> None:
    site = build_site(started)
    home = soup(site / "index.html")
    assert home.select_one("article figure.journey") is not None
    assert words(home.select_one("article h1").get_text()).rstrip("¶") == TITLE
    assert TITLE in home.title.get_text()

    theme_page = site / "themes" / THEME_ID / "index.html"
    theme = soup(theme_page)
    quotation = theme.select_one(f"figure.quotation#quote-{QUOTATION_ID} blockquote")
    assert quotation is not None and "Replace this with the informant's words" in quotation.get_text()
    assert theme.select_one("article .interpretation") is not None
    links = theme.select("article a.citation__link")
    assert links
    for link in links:
        target, fragment = resolve(site, theme_page, link["href"])
        assert target == site / "references" / "index.html"
        assert soup(target).find(id=fragment) is not None, fragment
    references = words(soup(site / "references" / "index.html").select_one("article").get_text(" "))
    assert "Braun, V., & Clarke, V. (2006)" in references and "Charmaz, K. (2014)" in references
    assert (site / "stages" / STAGE_ID / "index.html").exists()
    assert (site / "quotations" / "index.html").exists() and (site / "downloads" / "index.html").exists()


def test_new_extends_the_new_site(started: Path) -> None:
    assert run("--root", str(started), "new", "theme", "--id", "x", "--label", "X", "--stage", STAGE_ID).returncode == 0
    result = run("--root", str(started), "new", "quote", "--id", "x-words", "--theme", "x", "--text", "Replace this too.")
    assert result.returncode == 0, result.stderr
    assert "{{< quote x-words >}}" in (started / "themes" / "x.md").read_text(encoding="utf-8")
    assert "2 themes, 2 quotations" in checked(started)
    site = build_site(started)
    assert soup(site / "themes" / "x" / "index.html").select_one("figure#quote-x-words") is not None


@pytest.mark.parametrize("occupant", ["file", "folder", "hidden"])
def test_a_folder_with_anything_in_it_is_refused_and_nothing_is_written(tmp_path: Path, occupant: str) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    if occupant == "file":
        (folder / "notes.txt").write_text("mine", encoding="utf-8")
    else:
        (folder / ("content" if occupant == "folder" else ".git")).mkdir()
    before = files_under(tmp_path), sorted(tmp_path.rglob("*"))
    result = run("init", str(folder))
    assert result.returncode == 1
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr == f"error: {folder}: is not empty; name a new or empty folder (nothing was written)\n"
    assert (files_under(tmp_path), sorted(tmp_path.rglob("*"))) == before


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "study").write_text("not a folder", encoding="utf-8")
    result = run("init", str(tmp_path / "study"))
    assert result.returncode == 1
    assert result.stderr == f"error: {tmp_path / 'study'}: exists and is not a folder; name a new or empty folder\n"
    assert sorted(tmp_path.iterdir()) == [tmp_path / "study"]


def test_an_empty_folder_is_taken_and_dir_is_named_from_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("init", "empty", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote empty/mkdocs.yml\n" in result.stdout and "cd empty\n" in result.stdout
    assert yaml.safe_load((tmp_path / "empty" / "content" / "index.md").read_text(encoding="utf-8").split("---")[1])["title"] == "My study"


@pytest.mark.parametrize("title", ["", "   ", "a\x01b"])
def test_a_title_that_cannot_be_a_site_name_is_refused(tmp_path: Path, title: str) -> None:
    result = run("init", str(tmp_path / "study"), "--title", title)
    assert result.returncode == 1 and result.stderr.startswith("error: --title ")
    assert list(tmp_path.iterdir()) == []


def test_a_title_is_text_wherever_it_is_written(tmp_path: Path) -> None:
    title = "Nurses & <doctors>: a *study* of @home [care] #1 – yes"
    folder = tmp_path / "study"
    assert run("init", str(folder), "--title", title).returncode == 0
    assert yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))["site_name"] == title
    checked(folder)
    site = build_site(folder)
    assert words(soup(site / "index.html").select_one("article h1").get_text()).rstrip("¶") == title


def test_every_file_is_utf8_with_lf_and_its_study_text_a_plain_placeholder(started: Path) -> None:
    for path, data in files_under(started).items():
        text = data.decode("utf-8")
        assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n"), path
    for source in ("content/index.md", f"content/stages/{STAGE_ID}.md", f"themes/{THEME_ID}.md", f"quotes/{QUOTATION_ID}.md"):
        assert "Replace this with" in (started / source).read_text(encoding="utf-8"), source
    assert "site/" in (started / ".gitignore").read_text(encoding="utf-8").split()
    assert ".cache/" in (started / ".gitignore").read_text(encoding="utf-8").split()
    readme = (started / "README.md").read_text(encoding="utf-8")
    assert "pip install" in readme and "mkdocs serve" in readme and "python -m build_tools check" in readme


def test_every_bibliography_entry_is_cited_and_says_how_certain_it_is(started: Path) -> None:
    bibliography = (started / "bibliography.bib").read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,]+),", bibliography, re.MULTILINE)
    assert 1 <= len(keys) <= 2
    assert bibliography.count("confidence = {certain}") == len(keys)
    cited = "".join(path.read_text(encoding="utf-8") for path in started.rglob("*.md") if path.name != "README.md")
    for key in keys:
        assert f"@{key}" in cited, key


def test_mkdocs_yml_shows_every_plugin_option_with_the_plugin_default(started: Path) -> None:
    """A commented-out option, uncommented, changes nothing: its value is the plugin's default."""
    text = (started / "mkdocs.yml").read_text(encoding="utf-8")
    study = text.split("  - study:\n", 1)[1].split("\n\n", 1)[0]
    shown = {match[1]: yaml.safe_load(match[2]) for match in re.finditer(r"^      # (\w+): (.*)$", study, re.MULTILINE)}
    options = {name for name, _ in StudyConfig._schema}
    assert set(shown) | {"results_section"} == options
    defaults = StudyConfig()
    defaults.load_dict({})
    defaults.validate()
    # Options whose default depends on the site: the site's file names, and folders in its docs folder.
    computed = {"file_stem": "nurses-on-the-night-shift", "stages": DEFAULT_FOLDERS.stages, "teaching": DEFAULT_FOLDERS.teaching}
    for name, value in shown.items():
        expected = computed[name] if name in computed else defaults[name]
        assert value == expected, name
    assert yaml.safe_load(text.replace("!ENV", ""))["plugins"][1] == {"study": {"results_section": defaults["results_section"]}}


def test_the_templates_render_without_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = render("A study")
    assert [path for path, _ in FILES] == list(texts)
    assert "{{< journey-map >}}" in texts["content/index.md"]
    assert f"{{{{< quote {QUOTATION_ID} >}}}}" in texts[f"themes/{THEME_ID}.md"]
    assert "::: interpretation\n" in texts[f"themes/{THEME_ID}.md"]
    monkeypatch.setattr(starter, "_package", lambda: None)  # run from a source folder, not installed
    readme = render("A study")["README.md"]
    assert ".venv/bin/pip install PATH\n" in readme and "None" not in readme


def test_a_failure_part_way_removes_what_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = Path.open

    def open_until_the_theme(path: Path, *arguments: object, **options: object) -> object:
        if path.name == f"{THEME_ID}.md":
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, *arguments, **options)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", open_until_the_theme)
    with pytest.raises(ScaffoldError, match=rf"cannot write .*{THEME_ID}\.md: Permission denied; nothing was written"):
        start_study(tmp_path / "study")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "empty").mkdir()
    with pytest.raises(ScaffoldError):
        start_study(tmp_path / "empty")
    assert list(tmp_path.iterdir()) == [tmp_path / "empty"] and list((tmp_path / "empty").iterdir()) == []

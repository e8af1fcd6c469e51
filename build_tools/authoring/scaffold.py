"""``python -m build_tools new``: start a stage, theme or quotation file that the check accepts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from ..model import Study
from ..sources.folders import SourceFolders
from ..sources.loader import read_study
from ..sources.schema import Kind, schema
from ..sources.settings import DEFAULT_SETTINGS, SiteSettings


class ScaffoldError(ValueError):
    """Why a new file was not written (nothing is written then)."""


def new_stage(folders: SourceFolders, study: Study, stage_id: str, title: str, subtitle: str) -> Path:
    _new_id(stage_id, "stage", (stage.id for stage in study.stages))
    _given("--title", title)
    _given("--subtitle", subtitle)
    number = max((stage.number for stage in study.stages), default=0) + 1
    return _write(folders.path(folders.stages), stage_id,
                  {"id": stage_id, "number": number, "title": title, "subtitle": subtitle},
                  "Replace this with the stage's introduction from the Results section, verbatim.\n")


def new_theme(folders: SourceFolders, study: Study, theme_id: str, label: str, stage_id: str) -> Path:
    _new_id(theme_id, "theme", (theme.id for theme in study.themes))
    _given("--label", label)
    if stage_id not in {stage.id for stage in study.stages}:
        raise ScaffoldError(f"unknown stage '{stage_id}' (stages: {', '.join(stage.id for stage in study.stages)})")
    order = max((theme.order for theme in study.themes if theme.stage_id == stage_id), default=0) + 1
    return _write(folders.path(folders.themes), theme_id,
                  {"id": theme_id, "label": label, "stage": stage_id, "order": order},
                  "Replace this with the theme's text, verbatim: its description, the authors' lead-ins, its\n"
                  "quotations (`{{< quote ID >}}` on a line of their own) and the researchers' interpretation\n"
                  "between `::: interpretation` and `:::`.\n")


def new_quotation(folders: SourceFolders, study: Study, quotation_id: str, theme_id: str, text: str) -> Path:
    """Writes the quotation and places it at the end of its theme's text: both or neither."""
    _new_id(quotation_id, "quotation", (quotation.id for quotation in study.quotations))
    theme = next((theme for theme in study.themes if theme.id == theme_id), None)
    if theme is None:
        raise ScaffoldError(f"unknown theme '{theme_id}' (themes: {', '.join(theme.id for theme in study.themes)})")
    _encodable("--text", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    order = max((quotation.order for quotation in study.quotations if quotation.theme_id == theme_id), default=0) + 1
    placeholder = "Replace this with the informant's words, verbatim, with the authors' marks for omitted speech.\n"
    body = text.strip() + "\n" if text.strip() else placeholder
    theme_file = _inside(folders.path(folders.themes), folders.root / theme.source.path)
    try:
        placed = theme_file.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{{{{< quote {quotation_id} >}}}}\n"
    except (OSError, UnicodeDecodeError) as error:
        raise ScaffoldError(f"cannot read {theme_file}: {error}") from None
    path = _write(folders.path(folders.quotes), quotation_id, {"id": quotation_id, "theme": theme_id, "order": order}, body)
    try:
        theme_file.write_text(placed, encoding="utf-8")
    except OSError as error:
        path.unlink(missing_ok=True)
        raise ScaffoldError(f"cannot write {theme_file}: {error.strerror}; {path} was not written either") from None
    return path


def current_study(folders: SourceFolders, settings: SiteSettings = DEFAULT_SETTINGS) -> Study:
    result = read_study(folders, settings=settings)
    if result.study is None:
        raise ScaffoldError("the sources have errors; run `python -m build_tools check` and fix them first")
    return result.study


def _new_id(new_id: str, kind: Kind, existing: Iterable[str]) -> None:
    """The schema's own rule for ids, so the file passes the check and its name stays in its folder."""
    rule = schema(kind)["properties"]["id"]
    if not re.fullmatch(rule["pattern"], new_id):
        raise ScaffoldError(f"--id {rule['x-message']}, not {new_id!r}")
    if new_id in set(existing):
        raise ScaffoldError(f"there is already a {kind} with the id '{new_id}'")


def _given(option: str, value: str) -> None:
    if not value.strip():
        raise ScaffoldError(f"{option} is empty")
    _encodable(option, value)


def _encodable(option: str, value: str) -> None:
    """Arguments that were not UTF-8 reach Python as lone surrogates, which cannot be written."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ScaffoldError(f"{option} is not UTF-8 text") from None


def _inside(folder: Path, path: Path) -> Path:
    """``path``, if it resolves inside ``folder`` (a symbolic link could point anywhere)."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ScaffoldError(f"{path} leads outside {folder}")
    return path


def _write(folder: Path, name: str, fields: dict[str, object], body: str) -> Path:
    path = _inside(folder, folder / f"{name}.md")
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path} exists already")
    front_matter = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file = path.open("x", encoding="utf-8")  # "x": not through a file or link made since the test above
    except OSError as error:
        raise ScaffoldError(f"cannot write {path}: {error.strerror}") from None
    try:
        with file:
            file.write(f"---\n{front_matter}---\n\n{body}")
    except OSError as error:
        path.unlink()
        raise ScaffoldError(f"cannot write {path}: {error.strerror}") from None
    return path

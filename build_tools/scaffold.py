"""``python -m build_tools new``: start a stage, theme or quotation file that the check accepts."""

from __future__ import annotations

from pathlib import Path

import yaml

from .loader import Layout, read_study
from .model import Study


class ScaffoldError(ValueError):
    """Why a new file was not written (nothing is written then)."""


def new_stage(layout: Layout, study: Study, stage_id: str, title: str, subtitle: str) -> Path:
    _unused(stage_id, (stage.id for stage in study.stages), "stage")
    number = max((stage.number for stage in study.stages), default=0) + 1
    return _write(layout.path(layout.stages) / f"{stage_id}.md",
                  {"id": stage_id, "number": number, "title": title, "subtitle": subtitle},
                  "<!-- The stage's introduction from the Results section, verbatim. -->\n")


def new_theme(layout: Layout, study: Study, theme_id: str, label: str, stage_id: str) -> Path:
    _unused(theme_id, (theme.id for theme in study.themes), "theme")
    if stage_id not in {stage.id for stage in study.stages}:
        raise ScaffoldError(f"unknown stage '{stage_id}' (stages: {', '.join(stage.id for stage in study.stages)})")
    order = max((theme.order for theme in study.themes if theme.stage_id == stage_id), default=0) + 1
    return _write(layout.path(layout.themes) / f"{theme_id}.md",
                  {"id": theme_id, "label": label, "stage": stage_id, "order": order},
                  "<!-- The theme's text, verbatim: its description, the authors' lead-ins, its quotations\n"
                  "     ({{< quote ID >}} on a line of their own) and the researchers' interpretation between\n"
                  "     '::: interpretation' and ':::'. -->\n")


def new_quotation(layout: Layout, study: Study, quotation_id: str, theme_id: str, text: str) -> Path:
    """Writes the quotation and places it at the end of its theme's text."""
    _unused(quotation_id, (quotation.id for quotation in study.quotations), "quotation")
    theme = next((theme for theme in study.themes if theme.id == theme_id), None)
    if theme is None:
        raise ScaffoldError(f"unknown theme '{theme_id}' (themes: {', '.join(theme.id for theme in study.themes)})")
    order = max((quotation.order for quotation in study.quotations if quotation.theme_id == theme_id), default=0) + 1
    body = text.strip() + "\n" if text.strip() else "<!-- Paste the informant's words here, verbatim, with the authors' /../ marks. -->\n"
    path = _write(layout.path(layout.quotes) / f"{quotation_id}.md", {"id": quotation_id, "theme": theme_id, "order": order}, body)
    theme_file = layout.root / theme.source.path
    theme_file.write_text(theme_file.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{{{{< quote {quotation_id} >}}}}\n", encoding="utf-8")
    return path


def current_study(layout: Layout) -> Study:
    result = read_study(layout)
    if result.study is None:
        raise ScaffoldError("the sources have errors; run `python -m build_tools check` and fix them first")
    return result.study


def _unused(new_id: str, existing, kind: str) -> None:
    if new_id in set(existing):
        raise ScaffoldError(f"there is already a {kind} with the id '{new_id}'")


def _write(path: Path, fields: dict[str, object], body: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"{path} exists already")
    front_matter = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front_matter}---\n\n{body}", encoding="utf-8")
    return path

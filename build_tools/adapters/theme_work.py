"""The theme's work, done once for builds that share a theme.

MkDocs makes each build's Jinja environment anew: it compiles every template again and walks every
folder of the theme again (Material's thousands of icons). Together that is about half the time of
the study's build, and the same for a second build of the same site, as the offline edition is. A
:class:`ThemeWork` keeps both for the builds it is installed on: templates' compiled code (Jinja
checks each against its template's source before using it) and the listing of each set of folders.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in memory: a template's code is used only while its source is the same."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class ThemeWork:
    """Compiled templates and folder listings shared by the builds a theme is installed on.

    ``stable`` says which sets of folders may be listed once: for the two builds of one command, all
    of them; across many builds (the tests), only folders no build changes."""

    def __init__(self, stable: Callable[[tuple[Path, ...]], bool] = lambda folders: True) -> None:
        self.compiled = CompiledTemplates()
        self.listings: dict[tuple[Path, ...], list[str]] = {}
        self.stable = stable

    def install(self, theme: Any) -> None:
        """From now on, the environments ``theme`` (a MkDocs ``Theme``) makes share this work."""
        make = theme.get_env
        theme.get_env = lambda: self.share(make(), theme.dirs)

    def share(self, env: jinja2.Environment, dirs: list[str]) -> jinja2.Environment:
        env.bytecode_cache = self.compiled
        folders, loader = tuple(Path(folder) for folder in dirs), env.loader
        if isinstance(loader, jinja2.FileSystemLoader) and self.stable(folders):
            walk = loader.list_templates

            def listed() -> list[str]:
                if folders not in self.listings:
                    self.listings[folders] = walk()
                return list(self.listings[folders])

            loader.list_templates = listed  # type: ignore[method-assign]
        return env

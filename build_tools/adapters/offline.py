"""The offline edition: a copy of the site that works opened from a folder or a USB stick.

Built with Material's offline plugin (search included, with a vendored iframe-worker shim
instead of the CDN copy the plugin would link to), then zipped with fixed timestamps so the zip
is the same for the same sources. This is an adapter, like the plugin: it drives MkDocs.

Where the system can fork (Linux, no other thread running), the edition is built by a copy of the
building process, started as the site's own build starts, so the two builds share the machine's
cores instead of taking turns; the copy has the study already read and the modules already loaded.
Elsewhere it is built after the site, in the same process.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

from material.plugins.offline.plugin import OfflinePlugin
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from ..citations.references import ReferenceList
from ..model import Study
from .mkdocs_config import OFFLINE_PLUGIN, StudyConfig, site_paths
from .theme_work import ThemeWork


class FirstBuild(NamedTuple):
    """What the site's own build hands the offline edition's: the study it read and checked, and the
    theme's work (:class:`ThemeWork`). The sources are read once, and the edition is made of them."""

    study: Study
    references: ReferenceList
    theme_work: ThemeWork


def build_offline_edition(config_file: Path, archive: Path | None = None, first_build: FirstBuild | None = None,
                          strict: bool | None = None) -> Path:
    """Build the site for file:// use and write it to ``archive`` (a .zip with one top folder, named
    as the site names its files; ``STEM-offline.zip`` in the current folder when not given). Right
    after the site's own build, ``first_build`` spares reading the sources and compiling the theme
    again; ``strict``, when given, overrides the configuration's (as ``mkdocs build --no-strict`` does)."""
    with tempfile.TemporaryDirectory() as folder:
        config = load_config(config_file=str(config_file))
        plugin: Any = config.plugins.get("study")
        stem = site_paths(config, plugin.config if isinstance(getattr(plugin, "config", None), StudyConfig) else None).stem
        archive = archive or Path(f"{stem}-offline.zip")
        site = Path(folder) / stem
        config = load_config(config_file=str(config_file), site_dir=str(site), strict=strict)
        offline = OfflinePlugin()
        offline.load_config({})
        config.plugins[OFFLINE_PLUGIN] = offline  # the study plugin sees it and builds for file://
        study_plugin: Any = config.plugins.get("study")
        study_plugin.first_build = first_build  # taken by its on_config (MkDocs keeps one plugin object for the process)
        build(config)
        write_zip(site, archive)
    return archive


class EditionInProgress:
    """The offline edition, being built by a forked copy of this process into a folder of its own."""

    def __init__(self, pid: int, folder: Path) -> None:
        self.pid, self.folder = pid, folder

    def finish(self, archive: Path) -> None:
        """Wait for the copy, and put its zip at ``archive``; the copy's messages are already printed."""
        try:
            _, status = os.waitpid(self.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise PluginError("the offline edition was not built (see the messages above)")
            archive.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.folder / EDITION, archive)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        """The site's build failed: the edition is not wanted."""
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        shutil.rmtree(self.folder, ignore_errors=True)


EDITION = "edition.zip"


def start_offline_edition(config_file: Path, first_build: FirstBuild) -> EditionInProgress | None:
    """Start building the edition in a forked copy of this process; None where forking is not safe
    (not Linux, or other threads running, as under a test runner's workers or ``mkdocs serve``)."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return None
    folder = Path(tempfile.mkdtemp(prefix="offline-edition-"))
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return EditionInProgress(pid, folder)
    code = 1  # the copy: builds, and leaves without running this process's exit handlers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # cancelled: its temporary site is removed on the way out
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the site's build says what this one would say again
    try:
        build_offline_edition(config_file, folder / EDITION, first_build, strict=False)
        code = 0
    except (KeyboardInterrupt, SystemExit):  # Ctrl-C reached the copy with its parent, or the parent cancelled it
        pass
    except BaseException as error:  # whatever else stops the copy, its parent reports the edition as failed
        print(f"ERROR   -  the offline edition: {error}", file=sys.stderr)
    finally:
        if os.getppid() != parent:  # the parent is gone (interrupted): nobody will collect the zip
            shutil.rmtree(folder, ignore_errors=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def write_zip(folder: Path, archive: Path) -> None:
    """Zip ``folder`` in a stable order with one timestamp (SOURCE_DATE_EPOCH, or 1980)."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zipped.writestr(info, path.read_bytes())

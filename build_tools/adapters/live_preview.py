"""The live preview of ``mkdocs serve``: a change to the study's sources shown at once, by rendering
again only the pages it feeds.

MkDocs' server polls its folders every half second, builds the whole site on any change, and leaves
every request waiting while a build fails. Here the folders are watched through the system's file
events (inotify), the events of one save taken together; after a change to the study's sources the
plugin reads and plans the study again, and :func:`~build_tools.site.plan.site_changes` says which
pages the change feeds. Those go through MkDocs' own page pipeline again (``_populate_page`` and
``_build_page`` of ``mkdocs.commands.build``, hooks and all), with the last build's
configuration, navigation, files and templates; the generated files that changed and the search
index are written again. Anything else (``mkdocs.yml``, the theme, a file the docs folder
publishes, a new page or title, the works cited, a plugin other than search), and anything that
fails on the way, is MkDocs' own whole build. A build that fails is shown on every page the browser
asks for, as the terminal shows it, until a change mends it; but not while changes keep coming
(the next save may mend it), and never with the warnings of a rendering given up for a whole build,
which logs its own.

A watched folder made anew (a ``git checkout``, a folder copied back, a folder that was missing)
is another folder to the system: the watch of the folder holding it sees it come, and its own watch
is started again before the next build reads it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from material.plugins.search.plugin import SearchPlugin
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, DuplicateFilter
from watchdog import events
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from ..site.plan import SiteChanges, SitePlan, site_changes
from ..templating import templates

if TYPE_CHECKING:
    import jinja2

    from .mkdocs_plugin import StudyPlugin

log = get_plugin_logger(__name__)
SETTLE = 0.02  # seconds without events before a build: an editor's save is a few events within a millisecond or two
QUIET = 0.1  # seconds without events before a failed build is shown (MkDocs waits as long before any build)
HOLD = 2.0  # seconds at most a failed build is held back while changes keep coming (an editor saving as one types)
# What a save does, and a touch (MkDocs' polling sees the new time); not opening or closing a file to read it (every
# build reads every source). One list for every watch: watchdog gives the watches of an observer one inotify
# descriptor, where a folder watched again with other events has its first watch's events replaced.
EVENTS: list[type[events.FileSystemEvent]] = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileAttribEvent,
                                              events.FileDeletedEvent, events.FileMovedEvent, events.DirCreatedEvent,
                                              events.DirDeletedEvent, events.DirMovedEvent]


@dataclass
class BuiltSite:
    """What a build made that rendering its pages again needs: MkDocs' configuration, files and
    navigation, each page as the navigation made it (before it was read), and the theme's templates."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    made: dict[str, dict[str, Any]] = field(default_factory=dict)  # by the page's path in the docs folder
    env: jinja2.Environment | None = None


class LivePreview:
    """One ``mkdocs serve`` session: the plugin's hooks tell it what each build made; its server
    tells it what changed."""

    def __init__(self, plugin: StudyPlugin) -> None:
        self.plugin = plugin
        self.site: BuiltSite | None = None  # the last build, when it succeeded and its pages may be rendered again
        self.built: BuiltSite | None = None  # the build under way (or the last one)
        self.build_whole: Callable[[], None] = lambda: None

    def building(self, config: MkDocsConfig, files: Files, nav: Navigation) -> None:
        self.built = BuiltSite(config, files, nav)

    def reading(self, page: Page) -> None:
        if self.built is not None:  # as the navigation made it (MkDocs replaces, not changes, what reading fills in)
            self.built.made[page.file.src_uri] = dict(page.__dict__)

    def rendering(self, env: jinja2.Environment) -> None:
        if self.built is not None:
            self.built.env = env

    def serve(self, server: LiveReloadServer, builder: Callable[[], None], folders: Iterable[Path]) -> PreviewServer:
        """The server of the session, in place of MkDocs' (after its first build, which succeeded),
        watching ``folders`` and the sources not there yet (watched from when they are made)."""
        self.site, self.build_whole = self.built, builder
        preview = PreviewServer(server, self)
        for path in dict.fromkeys([*folders, *self.plugin.folders.sources()]):
            preview.watch(str(path))
        return preview

    def feeds(self, path: str) -> str:
        """What a change to ``path`` feeds: ``"study"`` (a source the study reads: the plan knows
        which pages it feeds), ``"site"`` (anything else a build reads) or ``""`` (nothing)."""
        folders, file, root = self.plugin.folders, Path(path).resolve(), self.plugin.folders.root
        if any(part.startswith(".") for part in (file.relative_to(root).parts if file.is_relative_to(root) else [file.name])) \
                or file.name.endswith("~"):
            return ""  # an editor's swap, lock or backup file, or in a hidden folder (the build's cache): no build reads it
        *source_folders, bibliography = (source.resolve() for source in folders.sources())
        if file in source_folders:
            return "site"  # a source folder itself made, moved or removed: anything in it may have changed
        if file == bibliography or (file.suffix == ".md" and any(file.is_relative_to(folder) for folder in source_folders)):
            return "study"
        outside_docs = (folders.path(folders.themes).resolve(), folders.path(folders.quotes).resolve())
        if file.is_relative_to(self.plugin.docs_dir) or not any(file.is_relative_to(folder) for folder in outside_docs):
            return "site"
        return ""  # beside the themes and quotations: no build reads it

    def rebuild(self, changed: frozenset[str]) -> bool:
        """Shows a change of the files ``changed``: the pages it feeds rendered again, or the whole
        site built again. Returns whether it succeeded; what went wrong is logged."""
        log.debug(f"Changed: {', '.join(sorted(changed))}")
        outcome: bool | None = None  # rendered again, failed, or left to a whole build
        with _HeldBack() as attempt:  # what a whole build meets again, it logs itself
            try:
                outcome = self._render_changes(changed) or None
            except PluginError as error:  # the sources' problems, found before anything is written: the last build stands
                log.error(str(error))
                outcome = False
            except (Exception, Abort) as error:  # the whole build meets it again, and reports it as MkDocs does
                log.debug(f"Rendering again failed ({error}): building the whole site")
        if outcome is not None:
            _log_again(attempt)
            return outcome
        self.site = self.built = None  # nothing rendered again before a whole build (with this plugin) succeeds
        try:
            self.build_whole()
        except (Exception, Abort) as error:  # in the terminal as in the browser; a traceback where it is no message of ours
            log.error(str(error), exc_info=not isinstance(error, MkDocsException))
            return False
        self.site = self.built
        return True

    def _render_changes(self, changed: frozenset[str]) -> bool:
        """Renders again the pages a change of the files ``changed`` feeds; False when the whole site must be built."""
        site = self.site
        if site is None or {self.feeds(path) for path in changed} - {"study", ""} \
                or any(plugin is not self.plugin and not isinstance(plugin, SearchPlugin) for plugin in site.config.plugins.values()):
            return False
        before = (self.plugin.renderer, self.plugin.plan)
        self.plugin.restudy(site.config)
        changes = site_changes(before, (self.plugin.renderer, self.plugin.plan))
        if changes.whole_site:
            log.info(f"Building the whole site: {changes.whole_site}")
            return False
        try:
            render_again(site, changes, self.plugin.plan)
        except (Exception, Abort) as error:
            log.debug(f"Rendering again failed ({error}): building the whole site")
            return False
        self.plugin.release_pages()
        log.info(f"Rendered again: {', '.join(sorted(changes.pages)) or 'no page'}")
        return True


def render_again(site: BuiltSite, changes: SiteChanges, plan: SitePlan) -> None:
    """The pages ``changes`` names through MkDocs' page pipeline again, as a build renders them
    (in the site's order); the files that changed and the search index written again. Raises what
    a whole build must bring up to date (a page's title changed: every page shows it in the
    navigation), and what fails."""
    config, files, planned = site.config, site.files, {page.uri: page for page in plan.pages}
    documents = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    pages = [document.page for document in documents if document.src_uri in changes.pages and document.page is not None]
    if site.env is None or len(pages) != len(changes.pages) or any(page.file.src_uri not in site.made for page in pages):
        raise _WholeSite("a page to render again is not one the last build made")
    titles = [page.title for page in pages]
    for page in pages:
        file = page.file
        if file.generated_by is not None:
            file.content_string = planned[file.src_uri].markdown
        page.__dict__.clear()
        page.__dict__.update(site.made[file.src_uri])  # MkDocs' page, as new: its state is what the build's hooks make it
    search = next((plugin for plugin in config.plugins.values() if isinstance(plugin, SearchPlugin) and plugin.config.enabled), None)
    with _strict(config):
        for page in pages:
            _populate_page(page, config, files)
        if [page.title for page in pages] != titles:
            raise _WholeSite("a page's title changed")
        indexed = len(search.search_index.entries) if search else 0
        for page in pages:
            _build_page(page, config, documents, site.nav, site.env, excluded=page.file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
        for page in (document.page for document in documents if document.page is not None):
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    for uri, content in changes.files:
        generated = files.get_file_from_path(uri)
        if generated is None:
            raise _WholeSite(f"{uri} is not a file of the last build")
        generated.content_bytes = content
        generated.copy_file()
    if search:
        search.search_index.entries = _search_entries(search.search_index.entries, indexed, pages, documents)
        search.on_post_build(config=config)


class _WholeSite(Exception):
    """What rendering pages again cannot bring up to date."""


def _search_entries(entries: list[dict[str, Any]], indexed: int, pages: list[Page], documents: Iterable[File]) -> list[dict[str, Any]]:
    """The search index's entries as a whole build makes them (page by page, in the site's order):
    the pages rendered again added their entries after the others; theirs replace the old."""
    def by_page(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            grouped.setdefault(str(entry["location"]).split("#", 1)[0], []).append(entry)
        return grouped

    old, new, again = by_page(entries[:indexed]), by_page(entries[indexed:]), {page.url for page in pages}
    urls = [document.page.url for document in documents if document.page is not None]
    return [entry for url in urls for entry in (new if url in again else old).get(url, [])]


@contextmanager
def _strict(config: MkDocsConfig) -> Iterator[None]:
    """Warnings fail the rendering in strict mode, as they fail a build."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        yield
        if config.strict and counter.get_counts():
            raise _WholeSite("warnings in strict mode")
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


class _HeldBack(logging.Handler):
    """The warnings and errors MkDocs and the plugins log meanwhile (through the ``mkdocs`` logger),
    held back from where they go (the terminal, or an outer holder) for the caller to log again
    (:func:`_log_again`) or drop; anything less passes on at once."""

    def __init__(self) -> None:
        super().__init__()
        self.logger = logging.getLogger("mkdocs")
        self.records: list[logging.LogRecord] = []
        self.handlers: list[logging.Handler] = []
        self.propagate = True

    def __enter__(self) -> list[logging.LogRecord]:
        self.handlers, self.propagate = list(self.logger.handlers), self.logger.propagate
        for handler in self.handlers:
            self.logger.removeHandler(handler)
        self.logger.addHandler(self)
        self.logger.propagate = False
        return self.records

    def __exit__(self, *exception: object) -> None:
        self.logger.removeHandler(self)
        for handler in self.handlers:
            self.logger.addHandler(handler)
        self.logger.propagate = self.propagate

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.records.append(record)
            return
        for handler in self.handlers:
            if record.levelno >= handler.level:
                handler.handle(record)
        if self.propagate and self.logger.parent:
            self.logger.parent.callHandlers(record)


def _forget_repeated_messages() -> None:
    """MkDocs drops a message its build logged before in the process (a filter it sets for
    ``serve``'s rebuilds), so a site broken again as before passed strict mode: every change is
    judged on its own."""
    for found in logging.getLogger("mkdocs.commands.build").filters:
        if isinstance(found, DuplicateFilter):
            found.msgs.clear()


def _log_again(records: Iterable[logging.LogRecord]) -> None:
    """The records to where they were going; their loggers' filters passed them already (MkDocs'
    filter of repeated messages would drop them now)."""
    for record in records:
        logging.getLogger(record.name).callHandlers(record)


class PreviewServer(LiveReloadServer):
    """MkDocs' server, watching through file events rather than polling (so a change is noticed at
    once, and each build knows which files changed), and showing a failed build rather than
    leaving requests waiting for one that succeeds. It keeps MkDocs' build loop, its live-reload
    script and its waiting for a build under way, which are MkDocs 1.6's own (pinned below 2)."""

    def __init__(self, server: LiveReloadServer, preview: LivePreview) -> None:
        host, port = server.server_address[:2]
        super().__init__(self._build, str(host), int(port), server.root, server.mount_path)
        server.server_close()  # never bound: this one serves in its place
        self.error_handler = server.error_handler
        self.observer = Observer()  # type: ignore[assignment]  # inotify where there is one
        self.build_delay = SETTLE
        self.preview = preview
        self.changed: set[str] = set()
        self.moved: set[str] = set()  # watched folders made, moved or removed since the last build: watched again before it
        self.problems: list[str] = []
        self.watches: dict[tuple[str, bool], list[_Changes]] = {}  # by the folder watched and whether its subfolders are
        self.watching = threading.Lock()
        for path in getattr(server, "_watched_paths", {}):  # what MkDocs watches: the docs folder, mkdocs.yml, ...
            self.watch(path)

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Watches ``path`` through the folder holding it (for the path itself: a file saved by
        replacing it, a folder made, moved or removed) and, while it is a folder, through its own
        watch (for what is in it)."""
        path = os.path.abspath(path)
        self._watched_paths[path] = self._watched_paths.get(path, 0) + 1  # MkDocs injects its script while any is watched
        if self._watched_paths[path] > 1:
            return
        with self.watching:
            for folder, subfolders, handler in ((os.path.dirname(path), False, _Changes(self, path, itself=True)),
                                                (path, recursive, _Changes(self, path, itself=False))):
                self.watches.setdefault((folder, subfolders), []).append(handler)
                if os.path.isdir(folder):
                    self.observer.schedule(handler, folder, recursive=subfolders, event_filter=EVENTS)

    def unwatch(self, path: str) -> None:
        path = os.path.abspath(path)
        self._watched_paths[path] -= 1
        if self._watched_paths[path] <= 0:
            del self._watched_paths[path]
            with self.watching:
                for (folder, subfolders), handlers in self.watches.items():
                    for handler in [handler for handler in handlers if handler.path == path]:
                        handlers.remove(handler)
                        with suppress(KeyError):  # never scheduled: the folder was missing
                            self.observer.remove_handler_for_watch(handler, _observed(folder, subfolders))

    def _watch_again(self, moved: Iterable[str]) -> None:
        """The watches of the folders ``moved`` and of those in them started again, on what is
        there now: a watch follows the folder it began with, wherever it goes (or ends with it)."""
        with self.watching:
            for (folder, subfolders), handlers in self.watches.items():
                if not any(folder == path or folder.startswith(path + os.sep) for path in moved):
                    continue
                with suppress(KeyError):  # not watched: it was missing
                    self.observer.unschedule(_observed(folder, subfolders))
                try:
                    for handler in handlers if os.path.isdir(folder) else []:
                        self.observer.schedule(handler, folder, recursive=subfolders, event_filter=EVENTS)
                except FileNotFoundError:
                    pass  # gone again: the watch of the folder holding it sees it come
                except OSError as error:  # the system's limit of watches, say: this folder's changes would go unseen
                    log.warning(f"Cannot watch {folder} again ({error}): restart `mkdocs serve` to see its changes")

    def changes(self, paths: Iterable[str], *, moved: bool = False) -> None:
        """Files changed (the folder ``paths`` when ``moved``): a build follows once no more change for a moment."""
        fed = {path for path in paths if moved or self.preview.feeds(path)}
        if fed:
            with self._rebuild_cond:
                self.changed |= fed
                if moved:
                    self.moved |= fed
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

    def _build(self) -> None:
        """Builds the changes; a failed build is shown once no change followed it for a moment
        (the next save may mend it: a quotation renamed, then the theme naming it), else built
        again meanwhile, requests waiting as for any build (for HOLD seconds at most)."""
        shown_by = time.monotonic() + HOLD
        _forget_repeated_messages()
        while True:
            with self._rebuild_cond:
                changed, self.changed, moved, self.moved, self._want_rebuild = frozenset(self.changed), set(), self.moved, set(), False
            self._watch_again(moved)
            with _HeldBack() as logged:
                built = self.preview.rebuild(changed)
            if built or time.monotonic() > shown_by or not self._changes_after_failure():
                break
            log.debug("Changed again after a failed build: building again")
        _log_again(logged)
        self.problems = [] if built else [record.getMessage() for record in logged]

    def _changes_after_failure(self) -> bool:
        """Whether a change came during a failed build or for a moment after it (once they settled)."""
        with self._rebuild_cond:
            if not self._rebuild_cond.wait_for(lambda: self._want_rebuild or self._shutdown, timeout=QUIET) or self._shutdown:
                return False
            while self._rebuild_cond.wait(timeout=self.build_delay):  # as MkDocs' build loop: until they stop for a moment
                pass
            return True

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith("/livereload/") or not (path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]):
            return super().serve_request(environ, start_response)
        with self._epoch_cond:  # as MkDocs serves a page: once the build under way, if any, is done
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            epoch, problems = self._visible_epoch, self.problems
        if not problems:
            return super().serve_request(environ, start_response)
        # MkDocs' script: the page reloads once a build succeeds.
        page: bytes = self._inject_js_into_html(error_page(problems).encode("utf-8"), epoch)  # type: ignore[no-untyped-call]
        start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))])
        return [page]


def _observed(folder: str, subfolders: bool) -> ObservedWatch:
    """The observer's watch of ``folder`` (watches are equal by what they watch)."""
    return ObservedWatch(folder, recursive=subfolders, event_filter=EVENTS)


class _Changes(events.FileSystemEventHandler):
    """Passes the changes of a watched path to the server: of anything in it (its own watch), or
    of the path ``itself`` (the watch of the folder holding it)."""

    def __init__(self, server: PreviewServer, path: str, *, itself: bool) -> None:
        self.server, self.path, self.itself = server, path, itself

    def on_any_event(self, event: events.FileSystemEvent) -> None:
        paths = [os.fsdecode(path) for path in (event.src_path, event.dest_path) if path]
        if not self.itself:
            self.server.changes(paths)
        elif self.path in paths:
            self.server.changes([self.path], moved=event.is_directory)


def error_page(problems: list[str]) -> str:
    """The page every request gets while the site cannot be built: what the terminal says."""
    return templates("build_tools.adapters").get_template("preview_error.html.j2").render(problems=problems)

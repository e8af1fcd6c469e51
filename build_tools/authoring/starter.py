"""``python -m build_tools init DIR``: a new study site that builds (``mkdocs build --strict``) and
passes the check (``python -m build_tools check --strict``) as it is written.

The site's files are the Jinja2 templates in ``templates/starter/``; every text in them that is the
study's own is plainly a placeholder ("Replace this with ..."). The folder is written whole or not
at all: a folder that has anything in it is refused, and a failure part-way removes what was written.
"""

from __future__ import annotations

import contextlib
import re
import shlex
import unicodedata
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml

from ..site.options import SiteOptions
from ..site.paths import SitePaths, file_stem
from ..sources.folders import DEFAULT_FOLDERS
from ..templating import templates
from .scaffold import ScaffoldError

DEFAULT_TITLE = "My study"
STAGE_ID, THEME_ID, QUOTATION_ID = "first-stage", "first-theme", "first-quotation"
_OPTIONS, _PATHS = SiteOptions(), SitePaths()

# The files of a new site: where each goes, from which template in templates/starter/.
FILES = (
    ("mkdocs.yml", "mkdocs.yml.j2"),
    (f"{DEFAULT_FOLDERS.content}/index.md", "index.md.j2"),
    (f"{DEFAULT_FOLDERS.stages}/{STAGE_ID}.md", "stage.md.j2"),
    (f"{DEFAULT_FOLDERS.themes}/{THEME_ID}.md", "theme.md.j2"),
    (f"{DEFAULT_FOLDERS.quotes}/{QUOTATION_ID}.md", "quote.md.j2"),
    (DEFAULT_FOLDERS.bibliography, "bibliography.bib.j2"),
    (".gitignore", "gitignore.j2"),
    ("README.md", "README.md.j2"),
)


@dataclass(frozen=True)
class Option:
    """One of the study plugin's options, as mkdocs.yml shows it commented out: its default and what it does."""

    name: str
    default: object
    help: tuple[str, ...]


def documented_options(title: str) -> tuple[Option, ...]:
    """The plugin's options but ``results_section`` (which mkdocs.yml sets), with the defaults the
    plugin takes them from (``StudyConfig`` in adapters/mkdocs_config.py; a test holds the two equal)."""
    return (
        Option("bibliography", DEFAULT_FOLDERS.bibliography, ("The BibTeX file of the works the study cites.",)),
        Option("stages", DEFAULT_FOLDERS.stages, ("The folder of the stage files (one per stage of the journey).",)),
        Option("themes", DEFAULT_FOLDERS.themes, ("The folder of the theme files.",)),
        Option("quotes", DEFAULT_FOLDERS.quotes, ("The folder of the quotation files.",)),
        Option("teaching", DEFAULT_FOLDERS.teaching, ("The folder of teaching notes, one per stage or theme (optional).",)),
        Option("map_title", _OPTIONS.map_title, ("The journey map's caption starts with this.",)),
        Option("quotations_page", _PATHS.quotations, ("The generated pages, as paths in content/ (change the nav with them).",
                                                      "A page of your own at one of these paths becomes its introduction.")),
        Option("references_page", _PATHS.references, ()),
        Option("downloads_page", _PATHS.downloads, ()),
        Option("whole_study", [], ("Pages put together on one page, to read the whole study in one go; 'results'",
                                   "stands for the journey. For example: [index.md, results]")),
        Option("whole_study_page", _PATHS.whole_study, ("Where that page is, and its title (add it to the nav).",)),
        Option("whole_study_title", _OPTIONS.whole_study_title, ()),
        Option("teaching_guide", _OPTIONS.teaching_guide, ("A page of teaching guidance, linked from the teaching notes",
                                                           "if the site has it.")),
        Option("offline_edition", False, ("Also build a zip of the site that works opened from a folder, linked from",
                                          "the downloads page.")),
        Option("file_stem", file_stem(title), ("The name of the site's own downloads (codebook, offline edition);",
                                               "made from site_name when not given.")),
        Option("allowed_classes", [], ("HTML classes the site may publish beyond its own (a code highlighter's, say).",)),
        Option("cache_dir", ".cache/build_tools", ("Where a build keeps the formatted references for the next one.",)),
    )


def start_study(folder: Path, title: str = DEFAULT_TITLE) -> list[Path]:
    """Writes a new study site into ``folder`` (which must not exist, or be empty) and returns the
    files written. Raises ScaffoldError, having written nothing, when it cannot."""
    title = _title(title)
    if folder.is_symlink() and not folder.exists():
        raise ScaffoldError(f"{folder}: is a link to nothing; name a new or empty folder")
    if folder.exists():
        if not folder.is_dir():
            raise ScaffoldError(f"{folder}: exists and is not a folder; name a new or empty folder")
        if any(folder.iterdir()):
            raise ScaffoldError(f"{folder}: is not empty; name a new or empty folder (nothing was written)")
    texts = render(title)  # every template, before anything is written
    return _write_all(folder, texts)


def render(title: str = DEFAULT_TITLE) -> dict[str, str]:
    """The new site's files, by their path in it."""
    environment = templates("build_tools.authoring", autoescape=False)
    context = {
        "yaml": _yaml,  # a value in YAML
        "markdown": _markdown,  # a title in Markdown
        "title": title,
        "package": _package(),
        "options": {"results_section": _OPTIONS.results_section, "quotations_page": _PATHS.quotations,
                    "references_page": _PATHS.references, "downloads_page": _PATHS.downloads},
        "documented": documented_options(title),
        "stage_id": STAGE_ID,
        "theme_id": THEME_ID,
        "quotation_id": QUOTATION_ID,
    }
    return {path: environment.get_template(f"starter/{template}").render(context) for path, template in FILES}


def next_steps(folder: Path) -> str:
    """What to do after ``init``, for the command line to print."""
    return (f"\nNext steps:\n"
            f"  cd {shlex.quote(str(folder))}\n"
            f"  mkdocs serve                       # a live preview at http://127.0.0.1:8000/\n"
            f"  python -m build_tools check        # checks every source (--strict: warnings too)\n"
            f"  mkdocs build                       # writes the site to site/\n"
            f"Replace the placeholder text (\"Replace this with ...\") with the study's own; README.md says more.")


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("--title is empty")
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:
        raise ScaffoldError("--title is not UTF-8 text") from None
    control = next((char for char in title if unicodedata.category(char) in {"Cc", "Cs"}), None)
    if control is not None:
        raise ScaffoldError(f"--title holds the control character U+{ord(control):04X}")
    return title


def _write_all(folder: Path, texts: dict[str, str]) -> list[Path]:
    """Writes ``texts`` under ``folder``, each file new ("x": nothing is overwritten); on a failure,
    removes what it wrote and the folders it made."""
    made: list[Path] = []  # files and folders, in the order they were made
    written: list[Path] = []
    try:
        for relative, text in texts.items():
            path = folder / relative
            for parent in reversed([path.parent, *path.parent.parents]):
                if not parent.exists():
                    parent.mkdir()
                    made.append(parent)
            with path.open("x", encoding="utf-8", newline="\n") as file:
                made.append(path)
                file.write(text)
            written.append(path)
    except OSError as error:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        where = error.filename or folder
        raise ScaffoldError(f"cannot write {where}: {error.strerror or error}; nothing was written") from None
    return written


def _package() -> str | None:
    """The distribution this package is installed from (the name ``pip install`` takes), if it is installed."""
    names = packages_distributions().get(__name__.split(".")[0])
    return names[0] if names else None


def _yaml(value: object) -> str:
    """``value`` as a YAML value on one line (quoted when YAML would read it as something else)."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").rstrip("\n")


# Markdown's inline syntax in a title (and "@", this site's citations): escaped with a backslash;
# "<" (raw HTML) and "&" (a character reference) as references, as Markdown has no escape for them.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}\[\]#@>!])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _markdown(value: str) -> str:
    """A title as the text it is in a Markdown heading: no emphasis, link, citation or HTML in it."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", _ENTITY.sub("&amp;", value)).replace("<", "&lt;")



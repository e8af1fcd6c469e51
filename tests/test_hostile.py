"""A hostile pull request: every payload in every field and file it could reach, built for real.

Each payload is put into each place of a small study (front matter of every kind of source, the
bodies, the BibTeX fields). The check either refuses it, naming the file it is in, or accepts it;
then a site is built (through MkDocs' API) with the payload in every place that accepted it, and
that site must be inert: no element has an event handler, no address has a scheme outside the
allowlist, no script is there but the theme's and the project's own. The same site is then read
in Chromium, where no dialog may open on load, hover, focus or click of any link, or on search.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import re
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import build_site, tiny_study
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from build_tools.adapters.mkdocs_config import site_configuration
from build_tools.sanitizer import CHANGED, UNCHANGED, Allowlist, clean_html, clean_html_once
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import read_study
from build_tools.sources.settings import SiteSettings

# Each payload calls alert(N) with its own N, so a dialog says which one ran.
PAYLOADS = {
    "script element": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(2)>",
    "svg onload": "<svg/onload=alert(3)>",
    "markdown javascript link": "[click](javascript:alert(4))",
    "entity colon": '<a href="javascript&colon;alert(5)">click</a>',
    "spaced scheme": '<a href="javascript: alert(6)">click</a>',
    "svg animate": '<svg><a><animate attributeName="href" values="jav&#97;script:alert(7)"/><text y="20">click</text></a></svg>',
    "attribute list": "Heading { onclick=alert(8) }",
    "block attribute list": "text\n{: onmouseover=alert(9) }",
    "backticks in raw html": '<p title="`" onmouseover=alert(10) x="`">hover</p>',
    "attribute breakout": '"><img src=x onerror=alert(11)>',
    "title breakout": "</title><script>alert(12)</script>",
    "iframe srcdoc": '<iframe srcdoc="<script>alert(13)</script>"></iframe>',
    "data url": '<a href="data:text/html,<script>alert(14)</script>">click</a>',
    "mutation xss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(15)>",
    "form action": "<form><button formaction=javascript:alert(16)>click</button></form>",
    "object data": '<object data="javascript:alert(17)"></object>',
    "base href": '<base href="javascript:alert(18)//">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(19)">',
    "tab in scheme": '<a href="java&#x09;script:alert(20)">click</a>',
    "details ontoggle": "<details open ontoggle=alert(21)><summary>x</summary></details>",
    "autofocus": '<a href="#" onfocus=alert(22) autofocus>focus</a>',
    "noscript": '<noscript><p title="</noscript><img src=x onerror=alert(23)>"></noscript>',
    "bare scheme": "javascript:alert(24)",
    "doi breakout": '10.1234/"><script>alert(25)</script>',
    "citation": "@kvale1996 [@kolb1984] {{< journey-map >}}",
}
SAFE_SCHEMES = {"", "http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "ping", "cite", "srcdoc",
                  "values", "to", "from", "by"}


# ---- where a payload can go ----------------------------------------------------------------

def front_matter(project: Path, name: str, path: tuple[str | int, ...], value: str) -> None:
    """Set a front-matter field (``path`` into nested blocks and lists) of the source ``name``."""
    file = project / name
    _, yaml_text, body = file.read_text(encoding="utf-8").split("---\n", 2)
    data = copy.deepcopy(_yaml(yaml_text))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6, default_style='"')  # one line per value
    file.write_text(f"---\n{dumped}---\n{body}", encoding="utf-8")


@functools.cache
def _yaml(text: str) -> object:
    """YAML read once for each text (the corpus changes one field of the same few files a thousand times)."""
    return yaml.safe_load(text)


def raw_front_matter(project: Path, name: str, field: str, value: str) -> None:
    """Write the front-matter line of ``field`` as it is given (YAML escapes, say)."""
    file = project / name
    text, count = re.subn(rf'^"?{field}"?: .*$', lambda _: f"{field}: {value}", file.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    assert count == 1
    file.write_text(text, encoding="utf-8")


def body(project: Path, name: str, payload: str, before: str | None = None) -> None:
    file = project / name
    text = file.read_text(encoding="utf-8")
    if before is None:
        file.write_text(f"{text.rstrip()}\n\n{payload}\n", encoding="utf-8")
    else:
        assert before in text
        file.write_text(text.replace(before, f"{payload}\n{before}", 1), encoding="utf-8")


def bib_field(project: Path, field: str, value: str, **others: str) -> None:
    """Set ``field`` (and ``others``) of the cited entry kvale1996 (added if absent)."""
    file = project / "bibliography.bib"
    text = file.read_text(encoding="utf-8")
    entry = text[text.index("@book{kvale1996"):text.index("@book{kolb1984")]
    fields = {name: " ".join(text.split()) for name, text in {field: value, **others}.items()}  # one line each
    lines = [line for line in entry.strip().splitlines() if line.strip().split(" =")[0] not in fields]
    lines[1:1] = [f"  {name} = {{{line}}}," for name, line in fields.items()]
    file.write_text(text.replace(entry, "\n".join(lines) + "\n\n"), encoding="utf-8")


Place = Callable[[Path, str], None]
STAGE, THEME, QUOTE, TEACHING, HOME, NOTES = ("content/stages/one.md", "themes/first-theme.md", "quotes/first-words.md",
                                              "content/teaching/one.md", "content/index.md", "content/notes.md")
PLACES: dict[str, tuple[str, Place]] = {
    "stage title": (STAGE, lambda p, v: front_matter(p, STAGE, ("title",), v)),
    "stage subtitle": (STAGE, lambda p, v: front_matter(p, STAGE, ("subtitle",), v)),
    "stage body": (STAGE, lambda p, v: body(p, STAGE, v)),
    "theme label": (THEME, lambda p, v: front_matter(p, THEME, ("label",), v)),
    "home page description, YAML escapes": (HOME, lambda p, v: raw_front_matter(
        p, HOME, "description", json.dumps(v).replace("<", "\\u003c").replace(">", "\\u003e"))),
    "theme description": (THEME, lambda p, v: body(p, THEME, v, before="{{< quote first-words >}}")),
    "theme interpretation": (THEME, lambda p, v: body(p, THEME, v, before=":::\n")),
    "quotation": (QUOTE, lambda p, v: body(p, QUOTE, v)),
    "teaching aim": (TEACHING, lambda p, v: front_matter(p, TEACHING, ("aims", 0), v)),
    "teaching question": (TEACHING, lambda p, v: front_matter(p, TEACHING, ("questions", 0, "text"), v)),
    "teaching prompt": (TEACHING, lambda p, v: front_matter(p, TEACHING, ("prompts", 0, "text"), v)),
    "teaching note": (TEACHING, lambda p, v: body(p, TEACHING, v)),
    "page title": (NOTES, lambda p, v: front_matter(p, NOTES, ("title",), v)),
    "home page title": (HOME, lambda p, v: front_matter(p, HOME, ("title",), v)),
    "page description": (NOTES, lambda p, v: front_matter(p, NOTES, ("description",), v)),
    "page status": (NOTES, lambda p, v: front_matter(p, NOTES, ("status",), v)),
    "page icon": (NOTES, lambda p, v: front_matter(p, NOTES, ("icon",), v)),
    "page template": (NOTES, lambda p, v: front_matter(p, NOTES, ("template",), v)),
    "page body": (NOTES, lambda p, v: body(p, NOTES, v)),
    "page heading": (NOTES, lambda p, v: body(p, NOTES, f"## {v}")),
    "article title": (HOME, lambda p, v: front_matter(p, HOME, ("article", "title"), v)),
    "article journal": (HOME, lambda p, v: front_matter(p, HOME, ("article", "journal"), v)),
    "article publisher": (HOME, lambda p, v: front_matter(p, HOME, ("article", "publisher"), v)),
    "article author": (HOME, lambda p, v: front_matter(p, HOME, ("article", "authors", 0, "family"), v)),
    "article affiliation": (HOME, lambda p, v: front_matter(p, HOME, ("article", "authors", 0, "affiliation"), v)),
    "article volume": (HOME, lambda p, v: front_matter(p, HOME, ("article", "volume"), v)),
    "article doi": (HOME, lambda p, v: front_matter(p, HOME, ("article", "doi"), v)),
    "article postprint": (HOME, lambda p, v: front_matter(p, HOME, ("article", "postprint"), v)),
    "bibtex title": ("bibliography.bib", lambda p, v: bib_field(p, "title", v)),
    "bibtex author": ("bibliography.bib", lambda p, v: bib_field(p, "author", v)),
    "bibtex publisher": ("bibliography.bib", lambda p, v: bib_field(p, "publisher", v)),
    "bibtex annote": ("bibliography.bib", lambda p, v: bib_field(p, "annote", v)),
    "bibtex url": ("bibliography.bib", lambda p, v: bib_field(p, "url", v)),
    "bibtex doi": ("bibliography.bib", lambda p, v: bib_field(p, "doi", v)),
    "bibtex eprint": ("bibliography.bib", lambda p, v: bib_field(p, "eprint", v, eprinttype="arxiv")),
}
BODIES = {"stage body", "theme description", "theme interpretation", "quotation", "teaching note", "page body", "page heading"}
ADDRESSES = {"article doi", "article postprint", "article volume", "bibtex url", "bibtex doi", "bibtex eprint", "page status", "page icon", "page template"}


# ---- what a built site must never contain --------------------------------------------------

def inline_script_shape(text: str) -> str:
    """Material's inline scripts differ between pages only in the relative address of the site."""
    return re.sub(r'new URL\("[./]*",location\)', "new URL(BASE,location)", text.strip())


class _Elements(HTMLParser):
    """The elements of a page as Python's HTML parser reads them (the parser under BeautifulSoup's
    "html.parser", without the tree, which would take six times as long): each one's name, its
    attributes as written (values unescaped, an attribute written twice seen twice) and a script's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str]], list[str]]] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, [(name, value or "") for name, value in attrs], []))
        if tag == "script":
            self._script = self.found[-1][2]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)


def elements(page: Path) -> list[tuple[str, list[tuple[str, str]], str]]:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return [(name, attributes, "".join(text)) for name, attributes, text in parser.found]


def active_content(site: Path, known_scripts: set[str]) -> list[str]:
    """Everything in ``site`` that could run script, described; an inert site gives []."""
    found = []
    for page in sorted(site.rglob("*.html")):
        where = page.relative_to(site).as_posix()
        for element, attributes, text in elements(page):
            for name, value in attributes:
                if name.lower().startswith("on"):
                    found.append(f"{where}: <{element} {name}={value!r}>")
                scheme = urlsplit(re.sub(r"[\x00-\x20]", "", value)).scheme.lower() if name.lower() in URL_ATTRIBUTES else ""
                if scheme not in SAFE_SCHEMES:
                    found.append(f"{where}: <{element} {name}={value!r}>")
            if element in ("iframe", "object", "embed", "base", "animate", "set", "frame", "applet", "portal"):
                found.append(f"{where}: <{element}>")
            if element == "meta" and dict(attributes).get("http-equiv"):
                found.append(f"{where}: <meta http-equiv>")
            if element == "script":
                found += [f"{where}: {problem}" for problem in _script_problem(dict(attributes), text, page, site, known_scripts)]
    return found


def _script_problem(script: dict[str, str], text: str, page: Path, site: Path, known_scripts: set[str]) -> list[str]:
    if script.get("src"):
        source = script["src"]
        target = (site / source.lstrip("/") if source.startswith("/") else page.parent / source).resolve()  # 404.html is absolute
        own = target.is_relative_to(site.resolve()) and (target.name in ("study.js", "projection.js") or re.fullmatch(r"bundle\.\w+\.min\.js", target.name))
        return [] if own and target.exists() else [f"script from {script['src']}"]
    if script.get("type") in ("application/json", "application/ld+json"):
        try:
            json.loads(text)
            return []
        except ValueError:
            return [f"a {script['type']} script that is not JSON: {text[:80]!r}"]
    return [] if inline_script_shape(text) in known_scripts else [f"inline script {text[:80]!r}"]


def inline_scripts(site: Path) -> set[str]:
    return {inline_script_shape(text) for page in site.rglob("*.html") for element, attributes, text in elements(page)
            if element == "script" and not dict(attributes).get("src") and not dict(attributes).get("type")}


# ---- the corpus ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_study(tmp_path_factory.mktemp("pristine"))


@pytest.fixture(scope="module")
def known_scripts(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    project = tmp_path_factory.mktemp("clean") / "study"
    shutil.copytree(pristine, project)
    return inline_scripts(build_site(project))


def check(project: Path) -> list[str]:
    """The check's errors, as `python -m build_tools check` finds them (the settings read from
    mkdocs.yml once for each text of it: the corpus checks hundreds of copies of one study)."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    if config not in _SETTINGS:
        _SETTINGS[config] = site_configuration(project / "mkdocs.yml")
    folders, site_settings = _SETTINGS[config]
    return [str(problem) for problem in read_study(dataclasses.replace(folders, root=project.resolve()), settings=site_settings).errors]


_SETTINGS: dict[str, tuple[SourceFolders, SiteSettings]] = {}


class Accepted(Mapping[str, list[str]]):
    """For each payload, the places whose check accepts it (every refusal names the file it is in).
    A payload is checked in each place when a test first asks for it: a test checks only the
    payloads it needs (pytest-xdist runs a module's tests in one process: --dist loadfile)."""

    def __init__(self, pristine: Path, project: Path) -> None:
        self.project = Path(shutil.copytree(pristine, project))
        self.found: dict[str, list[str]] = {}

    def __getitem__(self, payload_name: str) -> list[str]:
        if payload_name not in self.found:
            self.found[payload_name] = self._accepting(PAYLOADS[payload_name])
        return self.found[payload_name]

    def __iter__(self) -> Iterator[str]:
        return iter(PAYLOADS)

    def __len__(self) -> int:
        return len(PAYLOADS)

    def _accepting(self, payload: str) -> list[str]:
        places, wrongly_named = [], []
        for place_name, (file, put) in PLACES.items():
            source = self.project / file
            original = source.read_bytes()
            try:  # the payload in one place of the study, which is as it was again after the check
                put(self.project, payload)
                errors = check(self.project)
            finally:
                source.write_bytes(original)
            if not errors:
                places.append(place_name)
            elif not all(error.startswith(f"{file}:") for error in errors):
                wrongly_named.append((place_name, errors))
        assert wrongly_named == [], "a refusal must name the file the payload is in"
        return places


@pytest.fixture(scope="module")
def accepted(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> Accepted:
    return Accepted(pristine, tmp_path_factory.mktemp("check") / "study")



def hostile_site(pristine: Path, folder: Path, places: Mapping[str, list[str]], payloads: list[str]) -> Path:
    """A study with each of ``payloads`` in every place that accepted it: a body gets each as a
    paragraph of its own, a field all of them one after the other."""
    project = folder / "study"
    shutil.copytree(pristine, project)
    for place_name, (_, put) in PLACES.items():
        chosen = [PAYLOADS[name] for name in payloads if place_name in places[name]]
        if place_name in ADDRESSES:  # an address or identifier: one value, or it is not one any more
            chosen = chosen[:1]
        for value in chosen if place_name in BODIES else [" ".join(chosen)] if chosen else []:
            put(project, value)
    return project


REFUSED_IN_BODIES = ("script element", "img onerror", "svg onload", "markdown javascript link", "iframe srcdoc", "entity colon",
                     "spaced scheme", "backticks in raw html", "svg animate", "block attribute list")
TEXT_IN_FIELDS = ("script element", "img onerror", "markdown javascript link", "title breakout")
NO_ADDRESS = ("bare scheme", "attribute breakout")


@pytest.mark.parametrize("payload_name", [name for name in PAYLOADS if name in REFUSED_IN_BODIES + TEXT_IN_FIELDS + NO_ADDRESS])
def test_markup_in_text_is_refused_by_the_check_where_it_would_be_markup(payload_name: str, accepted: Mapping[str, list[str]]) -> None:
    """Bodies are Markdown: what the sanitizer would remove is an error. Front-matter text is text."""
    places = set(accepted[payload_name])
    if payload_name in REFUSED_IN_BODIES:
        assert not (BODIES - {"page heading"}) & places, payload_name
    if payload_name in TEXT_IN_FIELDS:
        assert {"stage title", "theme label", "teaching aim", "page title", "article title", "bibtex title"} <= places
    if payload_name in NO_ADDRESS:
        for place in ("bibtex url", "bibtex doi", "article postprint", "page icon", "page template", "page status"):
            assert place not in places, place


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_a_site_built_with_the_payload_wherever_accepted_is_inert(payload: str, pristine: Path, accepted: Mapping[str, list[str]],
                                                                  known_scripts: set[str], tmp_path: Path) -> None:
    site = build_site(hostile_site(pristine, tmp_path, accepted, [payload]))
    assert active_content(site, known_scripts) == []


def test_text_stays_text_everywhere_it_is_shown(pristine: Path, tmp_path: Path) -> None:
    """A label written as markup is shown as the characters it is: not dropped, not run, not cited."""
    text = "<img src=x onerror=alert(2)> [click](javascript:alert(4)) @kvale1996 *not emphasis*"
    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    for place in ("theme label", "stage title", "teaching aim", "article title"):
        PLACES[place][1](project, text)
    site = build_site(project)
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert text in home.select_one(".cite-article").get_text(" "), "the article's title, cited as it is"
    theme = BeautifulSoup((site / "themes" / "first-theme" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert theme.h1.get_text().startswith(f"“{text}”")
    assert theme.title.get_text().startswith(text)
    assert any(text in link.get_text(" ", strip=True) for link in theme.select(".md-nav__link"))
    stage = BeautifulSoup((site / "stages" / "one" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert stage.h1.get_text().startswith(f"I. {text}")
    assert text in [item.get_text() for item in stage.select(".teaching li")]
    assert not stage.select(".teaching a[href*=javascript], .teaching em, .teaching .citation")


def test_the_browser_tab_shows_a_pages_own_title_as_text(pristine: Path, tmp_path: Path) -> None:
    """Material writes a page's ``meta.title`` into <title> as it is, or else ``page.title |
    striptags``, which unescapes: a title that escaping changed, or that the navigation renames,
    is set in the page's settings; a plain one is left to the fallback, which writes the same. A
    page without a title of its own (or with a blank one) is known by its name in the navigation."""
    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    pages = {"plain.md": "# Plain words\n", "amp.md": "# Fish & chips, 1 < 2\n",
             "renamed.md": "# Own heading\n", "own.md": "---\ntitle: Own & title\n---\n# Heading\n",
             "blank.md": "---\ntitle: '   '\n---\nNo heading.\n"}
    for name, text in pages.items():
        (project / "content" / name).write_text(text, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("  - Teaching guide: teaching-guide.md\n", "  - Teaching guide: teaching-guide.md\n"
                                                       "  - plain.md\n  - amp.md\n  - 'Renamed <i>': renamed.md\n  - Named: own.md\n"
                                                       "  - '</title><img src=x onerror=alert(2)>': blank.md\n"), encoding="utf-8")
    site = build_site(project)
    tabs = {name: re.search(r"<title>(.*?)</title>", (site / name.removesuffix(".md") / "index.html").read_text(encoding="utf-8"),
                            re.DOTALL).group(1) for name in pages}
    assert tabs == {"plain.md": "Plain words - Tiny study", "amp.md": "Fish &amp; chips, 1 &lt; 2 - Tiny study",
                    "renamed.md": "Renamed &lt;i&gt; - Tiny study", "own.md": "Own &amp; title - Tiny study",
                    "blank.md": "&lt;/title&gt;&lt;img src=x onerror=alert(2)&gt; - Tiny study"}
    renamed = BeautifulSoup((site / "renamed" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Renamed <i>" in [link.get_text(" ", strip=True) for link in renamed.select(".md-nav__link")]
    assert not renamed.select(".md-nav i")


def test_the_sanitizer_alone_makes_every_payload_inert() -> None:
    """The second wall: were the check bypassed, what the build writes passes the sanitizer."""
    import markdown

    renderer = markdown.Markdown(extensions=["attr_list", "md_in_html", "admonition", "def_list", "toc", "tables", "fenced_code"])
    for name, payload in PAYLOADS.items():
        html = clean_html(renderer.reset().convert(payload) + payload)
        soup = BeautifulSoup(html, "html.parser")
        for element in soup.find_all(True):
            assert not [attribute for attribute in element.attrs if attribute.startswith("on")], (name, html)
            assert element.name not in ("script", "iframe", "object", "base", "meta", "animate", "style"), (name, html)
            for attribute in URL_ATTRIBUTES & set(element.attrs):
                assert urlsplit(element[attribute]).scheme in SAFE_SCHEMES, (name, html)


def test_html_the_sanitizer_changes_is_sanitized_at_every_build() -> None:
    """What an earlier build found is kept by the HTML's digest: only that exact HTML, found
    unchanged, skips the sanitizer; anything it changed is sanitized again, every time."""
    kept: dict[str, str] = {}

    def remember(key: str, find: Callable[[], str]) -> str:
        return kept[key] if key in kept else kept.setdefault(key, find())

    hostile, safe = '<p onclick="alert(1)">Hi</p>', "<p>Hi</p>"
    for _ in range(2):
        assert clean_html_once(hostile, Allowlist(), remember) == safe
        assert clean_html_once(safe, Allowlist(), remember) == safe
    assert sorted(kept.values()) == [CHANGED, UNCHANGED]
    assert clean_html_once(safe + hostile, Allowlist(), remember) == safe + safe
    assert clean_html_once('<p class="x">Hi</p>', Allowlist(frozenset({"x"})), remember) == '<p class="x">Hi</p>'
    assert clean_html_once('<p class="x">Hi</p>', Allowlist(), remember) == safe, "another allowlist: found anew"


def test_a_download_keeps_its_own_name() -> None:
    """A name to save a link under could make a published text file a page of script on disk."""
    html = clean_html('<a href="notes.txt" download="study.html">notes</a>')
    assert BeautifulSoup(html, "html.parser").a["download"] == ""


def test_no_dialog_opens_on_load_hover_focus_click_or_search(browser, pristine: Path, accepted: Mapping[str, list[str]], tmp_path: Path) -> None:
    site = build_site(hostile_site(pristine, tmp_path, accepted, list(PAYLOADS)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    dialogs: list[str] = []
    context = browser.new_context()

    def opened(path: str) -> Any:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        page.goto(base + path, wait_until="load")
        return page

    try:
        # Every page provoked and left open: headless Chromium runs the timers of each as if it were in front.
        for html in sorted(site.rglob("*.html")):
            opened(html.relative_to(site).as_posix()).evaluate(PROVOKE)
        page = opened("")
        page.wait_for_timeout(400)  # tooltips and other delayed reactions (Material waits 250 ms), on every page
        page.locator(".md-search__input").click()
        page.keyboard.type("alert", delay=20)
        page.locator(".md-search-result__item").first.wait_for()
        page.locator(".md-search-result__item").first.hover()
    finally:
        context.close()
        server.shutdown()
    assert dialogs == []


# Hover, focus and click every element; links run only if they are javascript: (others would
# navigate away, and need no click to be judged: their scheme is checked statically).
PROVOKE = """() => {
  for (const element of document.querySelectorAll('*')) {
    for (const type of ['pointerover', 'mouseover', 'mouseenter', 'focus', 'focusin', 'toggle']) {
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
    if (element.focus) element.focus();
    const href = element.getAttribute('href') || element.getAttribute('xlink:href') || '';
    if (element.closest('a') && !/^\\s*javascript:/i.test(href)) {
      element.addEventListener('click', event => event.preventDefault(), {once: true});
    }
    if (element.click) element.click();
  }
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


# ---- generated hostile strings in every front-matter field ----------------------------------

HOSTILE_PIECES = ["<", ">", '"', "'", "`", "&", "&#", ";", ":", "/", "\\", "[", "]", "(", ")", "{", "}", "=", "@", "!", "*", "_",
                  "#", "|", "~", " ", "\t", "\n", "script", "img", "svg", "src=x", "onerror=", "onload=", "javascript", "alert(0)",
                  "href", "{:", "{{<", ">}}", ":::", "---", "</title>", "-->", "<!--", "é", "\u200b", "\u2028"]
hostile_text = st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=14).map("".join)
TEXT_FIELDS = ["stage title", "stage subtitle", "theme label", "teaching aim", "teaching question", "teaching prompt", "page title",
               "page description", "article title", "article journal", "article author", "article affiliation", "bibtex title"]


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a build per example: no shrinking
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(hostile_text, min_size=len(TEXT_FIELDS), max_size=len(TEXT_FIELDS)))
def test_generated_hostile_text_in_every_field_builds_inert_or_is_refused(
        texts: list[str], pristine: Path, known_scripts: set[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    project = tmp_path_factory.mktemp("generated") / "study"
    shutil.copytree(pristine, project)
    for place, text in zip(TEXT_FIELDS, texts, strict=True):
        PLACES[place][1](project, text)
    errors = check(project)
    if errors:
        files = {PLACES[place][0] for place in TEXT_FIELDS}
        assert all(error.split(":")[0] in files for error in errors), errors
        return
    assert active_content(build_site(project), known_scripts) == []


def test_a_theme_feature_that_reads_titles_as_html_is_refused(pristine: Path, tmp_path: Path) -> None:
    """Material's content.tooltips writes each title attribute into the page as HTML."""
    from mkdocs.exceptions import Abort

    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    edit = project / "mkdocs.yml"
    edit.write_text(edit.read_text(encoding="utf-8").replace("features: [", "features: [content.tooltips, "), encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project)


def test_a_citations_reference_shows_as_text_on_hover_and_focus(browser, pristine: Path, tmp_path: Path) -> None:
    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    bib_field(project, "title", PAYLOADS["img onerror"])
    site = build_site(project)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.locator("a.citation__link").first.hover()
        tooltip = page.locator(".study-tooltip")
        tooltip.wait_for(state="visible")
        assert "<img src=x onerror=alert(2)>" in tooltip.inner_text().lower()  # as text (its first letter capitalised, as a title's is)
        page.locator("a.citation__link").first.focus()
        page.wait_for_timeout(400)
    finally:
        context.close()
        server.shutdown()
    assert dialogs == []


# ---- files a pull request could add ------------------------------------------------------------

SECRET = "a line of a file outside the repository"


def built_or_refused(project: Path) -> tuple[list[str], Path | None]:
    """The check's errors, and the site when the build went through (None when it refused too)."""
    from mkdocs.exceptions import Abort

    errors = check(project)
    try:
        return errors, build_site(project)
    except Abort:
        return errors, None


@pytest.mark.parametrize("name, content, message", [
    ("content/evil.html", "<script>alert(1)</script>", "files of the kind '.html' are not published"),
    ("content/evil.js", "alert(1)", "files of the kind '.js' are not published"),
    ("content/assets/javascripts/bundle.a5f9d56c.min.js", "alert(1)", "files of the kind '.js' are not published"),
    ("content/evil.css", "body { background: url(javascript:alert(1)) }", "files of the kind '.css' are not published"),
    ("content/search/search_index.json", '{"docs": []}', "files of the kind '.json' are not published"),
    ("content/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
     'onload="alert(1)" is removed from <svg>: event handlers never reach a reader\'s browser'),
    ('content/a"b<img src=x onerror=alert(1)>.md', "# Name\n", "holds characters an address cannot carry"),
    ("content/cite/article.bib", "@misc{x, title = {Ours}}\n", "the site writes 'cite/article.bib' itself"),
    ("content/assets/images/favicon.png", "not the theme's", "is a file of the theme's own"),
    ("content/assets/study.js.md", "# A page where the site's script is", "the site writes 'assets/study.js' itself"),
    ("themes/zz\n::notice file=README.md::Approved\n.md", "---\nid: zz\n---\n", "holds characters an address cannot carry"),
])
def test_a_file_that_could_run_or_replace_script_is_refused_by_check_and_build(name: str, content: str, message: str,
                                                                               pristine: Path, tmp_path: Path) -> None:
    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    (project / name).parent.mkdir(parents=True, exist_ok=True)
    (project / name).write_text(content, encoding="utf-8")
    errors, site = built_or_refused(project)
    shown = name.replace("\n", "\\x0a")  # a line break in a name is shown, never printed
    assert any(error.startswith(shown) and message in error for error in errors), errors
    assert site is None, "the build refuses what the check refuses"


@pytest.mark.parametrize("link, target, message", [
    ("content/a", ".", "is a link to a folder"),  # MkDocs would walk into it for ever
    ("content/b", "b", "is not a file"),  # a link to itself
    ("content/c.png", "missing.png", "is not a file"),
])
def test_a_link_mkdocs_could_not_walk_or_read_is_refused(link: str, target: str, message: str, pristine: Path, tmp_path: Path) -> None:
    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    (project / link).symlink_to(target)
    errors, site = built_or_refused(project)
    assert any(error.startswith(link) and message in error for error in errors), errors
    assert site is None


def test_a_plain_svg_is_published_sanitized_and_stays_valid_xml(pristine: Path, tmp_path: Path) -> None:
    from lxml import etree

    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    (project / "content" / "figure.svg").write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>A &amp; B</title>'
        '<linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient><rect width="10" height="10" fill="url(#g)"/></svg>\n',
        encoding="utf-8")
    published = build_site(project) / "figure.svg"
    tree = etree.fromstring(published.read_bytes())
    assert tree.tag == "{http://www.w3.org/2000/svg}svg"
    assert [element.tag.split("}")[1] for element in tree.iter()] == ["svg", "title", "linearGradient", "stop", "rect"]


@pytest.mark.parametrize("link, points_to", [
    ("quotes/leak.md", "file"),
    ("content/leak.txt", "file"),
    ("content/leaked", "folder"),
    ("bibliography.bib", "bib"),
    ("content/notes.txt", "git config"),
])
def test_a_link_out_of_the_repository_is_refused_and_nothing_behind_it_published(link: str, points_to: str, pristine: Path,
                                                                                 tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(f"---\nid: leak\ntheme: first-theme\norder: 2\n---\n\n{SECRET}\n", encoding="utf-8")
    (outside / "secret.bib").write_text(f"@book{{kvale1996, author = {{Kvale, S.}}, title = {{{SECRET}}}, year = {{1996}}}}\n"
                                        "@book{kolb1984, author = {Kolb, D.}, title = {K}, year = {1984}}\n", encoding="utf-8")
    project = tmp_path / "study"
    shutil.copytree(pristine, project)
    (project / ".git").mkdir()  # a maintainer's clone: its remote may hold a token
    (project / ".git" / "config").write_text(f"[remote]\n  url = https://user:{SECRET}@example.org/r.git\n", encoding="utf-8")
    target = {"file": outside / "secret.md", "folder": outside, "bib": outside / "secret.bib",
              "git config": project / ".git" / "config"}[points_to]
    (project / link).unlink(missing_ok=True)
    (project / link).symlink_to(target)
    errors, site = built_or_refused(project)
    assert any(error.startswith(link) and "outside the repository's sources" in error for error in errors), errors
    assert site is None
    assert not any(SECRET.encode() in data for data in (file.read_bytes() for file in (project / "site").rglob("*") if file.is_file()))

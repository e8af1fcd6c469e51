"""``python -m build_tools diff BASE [HEAD]``: what a change does to the study, for reviewers.

Both revisions are read from git into temporary folders and loaded into the model; the result
compares stages, themes, quotations and references by their ids, as Markdown a CI job can post.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias, TypeVar

from ..citations.references import ReferenceList
from ..model import Article, Passage, Study
from ..sources.folders import SourceFolders
from ..sources.loader import read_study
from ..templating import templates


@dataclass
class Changes:
    """Added, removed and changed items of one kind, each as (id, title, details)."""

    added: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


class DiffError(RuntimeError):
    """A revision could not be read or loaded."""


def study_at(repository: Path, revision: str, target: Path) -> tuple[Study, ReferenceList]:
    """The study as it is at ``revision`` of the git repository at ``repository``, read in the new folder ``target``."""
    if revision.startswith("-"):
        raise DiffError(f"revision '{revision}' starts with '-': git would take it for an option")
    _write_tree(repository, revision, target)
    result = read_study(SourceFolders(target))
    if result.study is None or result.bibliography is None:
        raise DiffError(f"the sources at '{revision}' have {len(result.errors)} error(s); run the check there first")
    return result.study, ReferenceList(result.bibliography)


def _write_tree(repository: Path, revision: str, target: Path) -> None:
    """Every file of ``revision``, as git stores it. Read blob by blob (``ls-tree``, ``cat-file``),
    not with ``git archive``, which obeys the tree's own .gitattributes: a change could hide its
    files from this report with ``export-ignore``."""
    listing = _git(repository, f"revision '{revision}'", "ls-tree", "-r", "-z", "--full-tree", "--end-of-options", revision)
    entries = []
    for record in filter(None, listing.split(b"\0")):
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, object_id = meta.split()
        if kind == b"blob":
            entries.append((mode, object_id, raw_name.decode("utf-8", errors="surrogateescape")))
    contents = _blobs(repository, revision, [object_id for _, object_id, _ in entries])
    target.mkdir(parents=True)
    for mode, object_id, name in entries:
        path = target / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise DiffError(f"revision '{revision}' has a file named '{name}', outside the repository")
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode == b"120000":  # a symbolic link: its blob is where it points
            link = contents[object_id].decode("utf-8", errors="surrogateescape")
            if os.path.isabs(link) or not (path.parent / link).resolve().is_relative_to(target.resolve()):
                raise DiffError(f"revision '{revision}' has {name} as a link to '{link}', outside the repository")
            path.symlink_to(link)
        else:
            path.write_bytes(contents[object_id])


def _blobs(repository: Path, revision: str, object_ids: list[bytes]) -> dict[bytes, bytes]:
    """The contents of git objects, read in one ``cat-file --batch``."""
    output = _git(repository, f"the files of revision '{revision}'", "cat-file", "--batch",
                  stdin=b"".join(object_id + b"\n" for object_id in object_ids))
    contents, position = {}, 0
    while position < len(output):
        header_end = output.index(b"\n", position)
        object_id, _, size = output[position:header_end].split()
        contents[object_id] = output[header_end + 1:header_end + 1 + int(size)]
        position = header_end + 1 + int(size) + 1
    return contents


def _git(repository: Path, what: str, *arguments: str, stdin: bytes | None = None) -> bytes:
    """git's output; ``what`` it reads names it in the message when git cannot."""
    try:
        run = subprocess.run(["git", "-C", str(repository), *arguments], input=stdin, capture_output=True, check=False)
    except OSError as error:
        raise DiffError(f"git cannot be run: {error.strerror}") from None
    if run.returncode != 0:
        raise DiffError(f"git cannot read {what}: {run.stderr.decode(errors='replace').strip()}")
    return run.stdout


def diff(repository: Path, base: str, head: str = "HEAD") -> str:
    with tempfile.TemporaryDirectory() as folder:
        before, before_refs = study_at(repository, base, Path(folder) / "base")
        after, after_refs = study_at(repository, head, Path(folder) / "head")
        files = {"Other files of the docs folder": _compare(_docs_files(Path(folder) / "base"), _docs_files(Path(folder) / "head"),
                                                            lambda file: file[0], {"content": lambda file: file[1]})}
        return report(base, head, before, after, before_refs, after_refs, files)


def _docs_files(tree: Path) -> dict[str, tuple[str, str]]:
    """The docs folder's files other than pages, by path: (path, digest of its bytes)."""
    docs = tree / SourceFolders(tree).content
    files = [path for path in sorted(docs.rglob("*")) if path.is_file() and not path.is_symlink() and path.suffix != ".md"]
    return {name: (name, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            for path in files if (name := path.relative_to(tree).as_posix())}


def report(base: str, head: str, before: Study, after: Study, before_refs: ReferenceList, after_refs: ReferenceList,
           files: dict[str, Changes] | None = None) -> str:
    """What changed, section by section; every value from the sources is written as text, so no
    value can hide or fake a line of the report (GitHub reads it as Markdown with HTML)."""
    sections = {
        "Stages": _compare({s.id: s for s in before.stages}, {s.id: s for s in after.stages},
                           lambda s: f"{s.numeral}. {s.title}: {s.subtitle}",
                           {"number": lambda s: s.number, "title": lambda s: s.title, "subtitle": lambda s: s.subtitle,
                            "introduction": lambda s: s.introduction}),
        "Themes": _compare({t.id: t for t in before.themes}, {t.id: t for t in after.themes}, lambda t: f"“{t.label}”",
                           {"label": lambda t: t.label, "stage": lambda t: t.stage_id, "order": lambda t: t.order,
                            "text": lambda t: "\n\n".join(p.markdown if isinstance(p, Passage) else f"{{{{< quote {p.quotation_id} >}}}}"
                                                            for p in t.parts)}),
        "Quotations": _compare({q.id: q for q in before.quotations}, {q.id: q for q in after.quotations},
                               lambda q: f"{q.id} (theme {q.theme_id})",
                               {"theme": lambda q: q.theme_id, "order": lambda q: q.order, "text": lambda q: q.text},
                               words_of="text"),
        "References": _compare({r.key: r for r in before.references}, {r.key: r for r in after.references}, lambda r: r.key,
                               {"reference": (lambda r: before_refs.text(r.key), lambda r: after_refs.text(r.key)),
                                "confidence": lambda r: r.confidence, "annote": lambda r: r.annote,
                                "BibTeX entry": (lambda r: before_refs.bibliography.source(r.key).strip(),
                                                 lambda r: after_refs.bibliography.source(r.key).strip())}, whole="reference"),
        "Pages": _compare({p.uri: p for p in before.pages}, {p.uri: p for p in after.pages}, lambda p: f"{p.title} ({p.uri})",
                          {"title": lambda p: p.title, "text": lambda p: p.markdown,
                           "settings": lambda p: "; ".join(f"{name}: {value}" for name, value in p.settings)}),
        "Teaching notes": _compare({n.about: n for n in before.teaching}, {n.about: n for n in after.teaching},
                                   lambda n: f"for {n.about}",
                                   {"aims": lambda n: "\n".join(n.aims), "questions": lambda n: "\n".join(a.text for a in n.questions),
                                    "prompts": lambda n: "\n".join(a.text for a in n.prompts), "note": lambda n: n.note}),
        "The article": _compare({"article": before.article} if before.article else {}, {"article": after.article} if after.article else {},
                                lambda a: a.title, {name: _article_field(name) for name in ARTICLE_FIELDS}),
        **(files or {}),
    }
    template = templates("build_tools.authoring", autoescape=False).get_template("diff.md.j2")
    return template.render(base=_text(base), head=_text(head), sections=sections)


# CommonMark reads a backslash before any ASCII punctuation as that character: these are the
# marks that could make a value markup inside a line of the report (emphasis, links, HTML, tables).
_MARKDOWN = str.maketrans({char: f"\\{char}" for char in "\\`*_[]<>&~|!"})


def _text(value: object) -> str:
    """A value from the sources as text of the report: one line, its Markdown marks escaped."""
    return " ".join(str(value).split()).translate(_MARKDOWN)


CONTEXT_WORDS = 3  # an unchanged run longer than twice this shows its first and last words only
ARTICLE_FIELDS = ("title", "authors", "journal", "publisher", "year", "volume", "issue", "first_page", "last_page", "doi", "postprint")


def _article_field(name: str) -> Callable[[Article], str]:
    if name == "authors":
        return lambda article: "; ".join(f"{author.family}, {author.given}" for author in article.authors)
    return lambda article: str(getattr(article, name))


Item = TypeVar("Item")
# A field's value: from one function, or from a pair (before, after).
FieldValue: TypeAlias = Callable[[Item], object] | tuple[Callable[[Item], object], Callable[[Item], object]]


def _compare(old: Mapping[str, Item], new: Mapping[str, Item], title: Callable[[Item], str],
             fields: Mapping[str, FieldValue[Item]], words_of: str = "", whole: str = "") -> Changes:
    """Items by id: added, removed, and for those in both, each field that differs.

    A field's value comes from one function, or from a pair (before, after) when the two sides
    need their own context. ``words_of`` names the field shown as a word diff; ``whole``, the one
    shown before and after in full.
    """
    changes = Changes()
    changes.added = [(key, _text(title(new[key]))) for key in new if key not in old]
    changes.removed = [(key, _text(title(old[key]))) for key in old if key not in new]
    for key in (key for key in new if key in old):
        details = []
        for name, value in fields.items():
            value_before, value_after = value if isinstance(value, tuple) else (value, value)
            was, now = value_before(old[key]), value_after(new[key])
            if was == now:
                continue
            if name == words_of:
                details.append(f"{name}: {word_diff(str(was), str(now))}")
            elif name == whole:
                details += [f"was: {_text(was)}", f"now: {_text(now)}"]
            elif (isinstance(was, str) and "\n" in was.strip()) or (isinstance(now, str) and "\n" in now.strip()):
                details.append(f"{name} changed")
            else:
                details.append(f"{name}: {_text(was)} → {_text(now)}")
        if details:
            changes.changed.append((key, _text(title(new[key])), details))
    return changes


def word_diff(was: str, now: str) -> str:
    """The changed words, Markdown-marked: ~~removed~~ and **added**, with a little context."""
    old, new = was.split(), now.split()
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            kept = old[i1:i2]
            pieces.append(_text(" ".join(kept) if len(kept) <= 2 * CONTEXT_WORDS
                                else f"{' '.join(kept[:CONTEXT_WORDS])} … {' '.join(kept[-CONTEXT_WORDS:])}"))
        else:
            if i2 > i1:
                pieces.append(f"~~{_text(' '.join(old[i1:i2]))}~~")
            if j2 > j1:
                pieces.append(f"**{_text(' '.join(new[j1:j2]))}**")
    return " ".join(pieces)

"""The build cache is data, never code, and trusted only when this user's builds wrote it: a file a
pull request commits under .cache/ can neither run code nor change a page."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import bare_site, build_site

from build_tools import sanitizer
from build_tools.citations import cache as cache_module
from build_tools.citations.apa import author_dates
from build_tools.citations.bibliography import CheckedText
from build_tools.citations.cache import FormattingCache
from build_tools.citations.model import Date, Name, Reference, Work
from build_tools.locations import Location

BIB = r"""
@book{kolb1984, author = {Kolb, David A.}, title = {Experiential learning}, publisher = {Prentice-Hall}, year = {1984}}
@article{berg2001, author = {van der Berg, Pieter and Lauv{\aa}s, P. and others}, title = {Particles},
  journal = {Journal of Names}, volume = {3}, pages = {1--9}, year = {2001}}
"""
PAGES = {"index": "# Notes\n\nAs @kolb1984 found [see @berg2001, p. 3].\n",
         "more": "# More\n\nAgain [@kolb1984; @berg2001].\n"}
PLANTED = "planted in the cache"
INJECTED = f"<span>{PLANTED}</span>"


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the user's own, in place of the real ~/.cache; and a fixed build date, so
    that two builds of one site give the same pages."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "notes").mkdir()
    return bare_site(tmp_path / "notes", BIB, **PAGES)


def cache_file(project: Path) -> Path:
    return project / ".cache" / "build_tools" / "references.json"


def pages(project: Path) -> dict[str, str]:
    site = build_site(project)
    return {str(path.relative_to(site)): path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))}


def user_key(user_cache: Path) -> bytes:
    return (user_cache / "build_tools" / "key").read_bytes()


def write_signed(path: Path, payload: bytes, key: bytes) -> None:
    path.write_bytes(hmac.new(key, payload, hashlib.sha256).hexdigest().encode() + b"\n" + payload)


def stored(path: Path) -> dict:
    return json.loads(path.read_bytes().partition(b"\n")[2])


def injected(data: dict) -> dict:
    """``data`` with every rendered and formatted piece of HTML replaced by one of the attacker's."""
    data["rendered"] = {key: INJECTED if isinstance(html, str) else [INJECTED] * len(html) for key, html in data["rendered"].items()}
    data["formatted"] = [[digest, label, INJECTED, INJECTED] for digest, label, _, _ in data["formatted"]]
    return data


def encoded(data: object) -> bytes:
    return json.dumps(data).encode()


def test_a_pickle_is_never_unpickled(site: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self) -> tuple[Callable[..., object], tuple[str, str]]:
            return open, (str(marker), "w")

    folder = cache_file(site).parent
    folder.mkdir(parents=True)
    for name in ("references.pickle", "references.json"):
        (folder / name).write_bytes(pickle.dumps(Payload()))
        assert FormattingCache.load(folder / name) == FormattingCache()
    pages(site)
    assert not marker.exists(), "the build ran code from the cache"


def test_a_valid_cache_round_trips(tmp_path: Path, user_cache: Path) -> None:
    work = Work("article-journal", author=(Name("Berg", "Pieter", "van der"), Name("others", is_others=True)),
                editor=(Name("Editor", "E.", junior="Jr.", dropping="de"),), issued=Date("2001", 3, 4), original_date=Date(literal="in press"),
                title="<i>Particles</i>", volume="3", members=("a", "b"))
    reference = Reference("berg2001", work, "probable", "note", Location("refs.bib", 3))
    label = author_dates([reference])["berg2001"]
    saved = FormattingCache(references={"d1": reference},
                            formatted={("d1", "2001a"): ("<i>Particles</i>", "Particles")},
                            rendered={"page": "<span>(Berg, 2001)</span>", "list": ("<li>a</li>", "<li>b</li>")},
                            used={"page", "list"}, changed=True, labels=("state", {"berg2001": label}),
                            checked=CheckedText("text", ((1, "book", "berg2001", 0, 120), (9, "string", "j", 120, 150))))
    path = tmp_path / "references.json"
    saved.save(path)
    loaded = FormattingCache.load(path)
    assert loaded.references == saved.references and loaded.formatted == saved.formatted and loaded.labels == saved.labels
    assert loaded.checked == saved.checked
    assert loaded.rendered == saved.rendered and isinstance(loaded.rendered["list"], tuple)
    assert loaded.used_before == frozenset({"page", "list"})
    key = user_cache / "build_tools" / "key"
    assert len(key.read_bytes()) == 32 and key.stat().st_mode & 0o777 == 0o600
    assert path.stat().st_mode & 0o077 == 0, "only the user reads the cache"
    assert not list(tmp_path.glob("*.tmp")) and not list(key.parent.glob("*.tmp"))


def test_a_signed_well_formed_cache_is_used(site: Path, user_cache: Path) -> None:
    """What keeps a tampered cache out is the signature alone: the other tests' tampering would show."""
    pages(site)
    write_signed(cache_file(site), encoded(injected(stored(cache_file(site)))), user_key(user_cache))
    assert PLANTED in pages(site)["index.html"]


def flip_a_byte_of_the_signature(path: Path, key: bytes) -> None:
    write_signed(path, encoded(injected(stored(path))), key)
    data = bytearray(path.read_bytes())
    data[5] ^= 0x01
    path.write_bytes(data)


def sign_with_another_key(path: Path, key: bytes) -> None:
    write_signed(path, encoded(injected(stored(path))), os.urandom(32))


def year_is_a_number(path: Path, key: bytes) -> None:
    data = injected(stored(path))
    next(iter(data["references"].values()))["work"]["issued"]["year"] = 1
    write_signed(path, encoded(data), key)


def rendered_is_a_dict(path: Path, key: bytes) -> None:
    data = injected(stored(path))
    data["rendered"]["extra"] = {"html": INJECTED}
    write_signed(path, encoded(data), key)


def nested_too_deep(path: Path, key: bytes) -> None:
    write_signed(path, b"[" * 100_000 + b"]" * 100_000, key)


@pytest.mark.parametrize("tamper", [flip_a_byte_of_the_signature, sign_with_another_key, year_is_a_number,
                                    rendered_is_a_dict, nested_too_deep])
def test_a_tampered_cache_changes_no_page(site: Path, user_cache: Path, tamper: Callable[[Path, bytes], None]) -> None:
    clean = pages(site)
    tamper(cache_file(site), user_key(user_cache))
    assert FormattingCache.load(cache_file(site)) == FormattingCache()
    assert pages(site) == clean


def other_version(data: dict) -> None:
    data["format"] = 1


def other_code(data: dict) -> None:
    data["code"] = "0" * 64


def true_as_version(data: dict) -> None:
    data["format"] = True


def unknown_confidence(data: dict) -> None:
    next(iter(data["references"].values()))["confidence"] = "sure"


def line_is_a_boolean(data: dict) -> None:
    next(iter(data["references"].values()))["source"]["line"] = True


def extra_field(data: dict) -> None:
    next(iter(data["references"].values()))["url"] = "https://example.org"


def name_without_surname(data: dict) -> None:
    del next(iter(data["references"].values()))["work"]["author"][0][0]


def field_is_a_list(data: dict) -> None:
    next(iter(data["references"].values()))["work"]["title"] = ["a"]


def formatted_is_a_triple(data: dict) -> None:
    data["formatted"][0] = data["formatted"][0][:3]


def rendered_holds_a_number(data: dict) -> None:
    data["rendered"]["extra"] = ["<span>", 1]


def not_an_object(data: dict) -> None:
    data.clear()


def label_italic_is_a_string(data: dict) -> None:
    data["labels"][1][0][4] = "true"


def label_date_is_a_string(data: dict) -> None:
    data["labels"][1][0][6][1] = ["1", "1984"]


def label_name_is_short(data: dict) -> None:
    data["labels"][1][0][6][0][0].pop()


def entry_line_is_a_boolean(data: dict) -> None:
    data["checked"][1][0][0] = True


def entry_columns_differ_in_length(data: dict) -> None:
    data["checked"][1][2].append("extra")


def entry_column_missing(data: dict) -> None:
    data["checked"][1].pop()


@pytest.mark.parametrize("change", [other_version, other_code, true_as_version, unknown_confidence, line_is_a_boolean, extra_field,
                                    name_without_surname, field_is_a_list, formatted_is_a_triple, rendered_holds_a_number, not_an_object,
                                    label_italic_is_a_string, label_date_is_a_string, label_name_is_short, entry_line_is_a_boolean,
                                    entry_columns_differ_in_length, entry_column_missing])
def test_a_signed_cache_of_the_wrong_shape_is_ignored(tmp_path: Path, user_cache: Path, change: Callable[[dict], None]) -> None:
    path = tmp_path / "references.json"
    reference = Reference("k", Work("book", author=(Name("Kolb", "D."),), issued=Date("1984"), title="T"), "certain", "", Location("refs.bib", 2))
    FormattingCache(references={"d": reference}, formatted={("d", "1984"): ("<i>T</i>", "T")},
                    rendered={"page": "<span></span>"}, used={"page"}, changed=True, labels=("s", author_dates([reference])),
                    checked=CheckedText("t", ((2, "book", "k", 0, 90),))).save(path)
    data = stored(path)
    assert FormattingCache.load(path).references == {"d": reference} and FormattingCache.load(path).labels[1] == author_dates([reference])
    assert FormattingCache.load(path).checked.chunks == ((2, "book", "k", 0, 90),)
    change(data)
    write_signed(path, encoded(data), user_key(user_cache))
    assert FormattingCache.load(path) == FormattingCache()


@pytest.mark.parametrize("content", [b"", b"\n", b"not a signature\n{}", b"\xff\xfe\n\x00", "é\n{}".encode()])
def test_garbage_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "references.json"
    path.write_bytes(content)
    assert FormattingCache.load(path) == FormattingCache()
    assert FormattingCache.load(tmp_path) == FormattingCache(), "a folder"
    assert FormattingCache.load(tmp_path / "missing.json") == FormattingCache()


def test_a_cache_larger_than_the_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "references.json"
    FormattingCache(rendered={"page": "<span></span>"}, used={"page"}).save(path)
    assert FormattingCache.load(path).rendered == {"page": "<span></span>"}
    monkeypatch.setattr(cache_module, "MAX_BYTES", path.stat().st_size - 1)
    assert FormattingCache.load(path) == FormattingCache()


def test_a_cache_signed_with_a_replaced_key_is_ignored(tmp_path: Path, user_cache: Path) -> None:
    path = tmp_path / "references.json"
    FormattingCache(rendered={"page": "<span></span>"}, used={"page"}).save(path)
    (user_cache / "build_tools" / "key").unlink()  # or replaced by a build that made its key at the same time
    assert FormattingCache.load(path) == FormattingCache()


def test_without_a_key_nothing_is_cached_and_nothing_fails(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = pages(site)
    unusable = tmp_path / "a-file"
    unusable.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(unusable))  # the key's folder cannot be made, even by root
    assert FormattingCache.load(cache_file(site)) == FormattingCache()
    cache_file(site).unlink()
    assert pages(site) == clean
    assert not cache_file(site).exists(), "no unsigned cache is written"


def test_references_taken_from_the_cache_load_neither_pybtex_nor_latexcodec(site: Path) -> None:
    """Both are imported only to read an entry: a build whose entries all come from the cache
    (formatted, accents decoded) spends no time importing them."""
    build_site(site)
    probe = "\n".join([
        "import sys",
        "from pathlib import Path",
        "from build_tools.citations.bibliography import parse_bibliography",
        "from build_tools.citations.cache import FormattingCache",
        "from build_tools.citations.references import ReferenceList",
        f"cache = FormattingCache.load(Path({str(cache_file(site))!r}))",
        f"text = Path({str(site / 'refs.bib')!r}).read_text(encoding='utf-8')",
        "bibliography = parse_bibliography(text, 'refs.bib', frozenset({'kolb1984', 'berg2001'}), cache.references, cache.checked)",
        "print(ReferenceList(bibliography, cache).html('berg2001'))",
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'pybtex', 'latexcodec'}))",
    ])
    shown, imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert "Lauvås" in shown
    assert imported == "[]"


def test_kept_labels_or_references_that_do_not_fit_the_bibliography_are_worked_out_again() -> None:
    """A cache is signed, yet may have been kept by other code: labels missing a work, or a
    reference filed under another entry's text, are not taken (they failed the build with a KeyError)."""
    from build_tools.citations.bibliography import parse_bibliography
    from build_tools.citations.references import ReferenceList

    bib = "@book{a1,\n  author = {Berg, P.},\n  title = {One},\n  year = {2001}\n}\n@book{b2,\n  author = {Olsen, K.},\n" \
          "  title = {Two},\n  year = {2002}\n}\n"
    first = ReferenceList(parse_bibliography(bib, "x.bib"))
    expected = dict(first.labels)
    kept = FormattingCache(labels=(first.state, {"b2": expected["b2"]}))
    assert ReferenceList(parse_bibliography(bib, "x.bib"), kept).labels == expected
    swapped = {first.bibliography.digest("a1"): first.bibliography.get("b2")}
    again = parse_bibliography(bib, "x.bib", known=swapped)  # type: ignore[arg-type]
    assert [reference.key for reference in again.references] == ["a1", "b2"]
    assert [reference.key for reference in ReferenceList(again).ordered()] == ["a1", "b2"]


def test_a_pages_html_the_sanitizer_left_unchanged_is_not_sanitized_again(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanitizing every page is most of what the plugin adds to rendering it: a page whose exact
    HTML passed unchanged in an earlier build (so says the signed cache) is not sanitized again."""
    sanitized: list[str] = []
    real = sanitizer.clean_html

    def counted(html: str, allowlist: sanitizer.Allowlist | None = None) -> str:
        sanitized.append(html)
        return real(html, allowlist or sanitizer.Allowlist())

    monkeypatch.setattr(sanitizer, "clean_html", counted)
    first = pages(site)
    assert any("<h1" in html for html in sanitized), "the first build sanitizes the pages"
    sanitized.clear()
    assert pages(site) == first
    assert not any("<h1" in html for html in sanitized), "nor a page: its reference list comes from the cache"
    (site / "docs" / "more.md").write_text(PAGES["more"] + "\nA sentence added.\n", encoding="utf-8")
    pages(site)
    assert [html for html in sanitized if "<h1" in html] == [next(html for html in sanitized if "A sentence added." in html)]

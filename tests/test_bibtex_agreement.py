"""The build checks the entries it does not show as the check does: a fast validator vouches for
the plain ones, pybtex reads the rest, and the two modes report the same errors.

The validator is differential-tested against pybtex: whenever it vouches for an entry, pybtex
parses that entry without error, to the same type, key and fields (names as written, in order),
so that the entries a build shows are read by the validator too, and by pybtex only when it cannot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import bare_site, build_site
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from build_tools.adapters.mkdocs_config import site_configuration
from build_tools.citations import bibliography as bibliography_module
from build_tools.citations.bibliography import (
    parse_bibliography,
    plain_entry,
    plain_fields,
    plainly_correct,
    read_value,
)
from build_tools.citations.bibtex import EntryParser, check_entry, plain_entry_of, reference_from_entry
from build_tools.citations.names import read_names
from build_tools.locations import Location
from build_tools.sources.loader import read_study


def usually(common: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    """Mostly the usual, often something odd: so that both the validator's answers are exercised."""
    return st.sampled_from(common * (8 * len(odd) // len(common) + 1) + odd)


PIECES = [*"ab Z,.:/-\\~`$'\"{}@#=()%\t\n\u00a0\u2003\u3000é", " and ", " AND ", "{\\aa}", "--", "http://x.org/", "10.1000/x"]
WORDS = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
BALANCED = st.recursive(WORDS.map(lambda text: text.replace("{", "").replace("}", "")),
                        lambda inner: st.lists(inner, max_size=3).map(lambda parts: "{" + "".join(parts) + "}"), max_leaves=6)
VALUES = st.one_of(
    *[st.lists(BALANCED, max_size=3).map(lambda parts: "{" + "".join(parts) + "}")] * 3,
    st.lists(BALANCED, max_size=3).map(lambda parts: '"' + "".join(parts).replace('"', "") + '"'),
    WORDS.map(lambda text: "{" + text + "}"),
    st.sampled_from(["{}", '""', "1997", "12ab", "jan", "undefined", '"a" # {b}', "{a {b {c {d {e}}}}}", "{a {b {c {d}}}}",
                     "{Doe, J. and Roe, R.}", "{Doe, Jr, J.}", "{a, b, c, d}", "{a, {b, c}, d}", "{A, B, {y}and C, D}",
                     "{A, {x and y}, B, C}", "{a,\tand b, c, d}", "{a, b, c and d}", "{certain}", "{ Probable }", "{maybe}",
                     "{c{e}rtain}", "{javascript:alert(1)}", "{https://example.org/a b}", "{https://example.org/ok}",
                     '{10.1/"><script>}', "{doi:10.1002/pri.188}", "{2401.00001}", "{arXiv}", "{\\relax}", "{--}", "{ }"]),
)
KINDS = usually(["article", "Book", "misc"], ["string", "comment", "preamble", "odd-type", "in proc", "", "1book"])
KEYS = usually(["kvale1996", "doe:2020.a", "a/b+c-d", "ünï"], ["k y", "k}", "k{", "k,x", "k@x", "k#", '"k', "k(", "k=1", "k%", ""])
NAMES = usually(["author", "AUTHOR", "Editor", "title", "year", "doi", "url", "eprint", "eprinttype", "archiveprefix", "confidence",
                 "note-x", "x_y"], ["x.y", "1bad", "na me", "title ", "", "@", "a#b"])
DELIMITERS = st.sampled_from([("{", "}")] * 12 + [("(", ")"), ("{", ")"), ("{", "")])
SEPARATORS = usually([",", ",\n  ", " , "], [",,", "", "\n"])
ENDINGS = usually(["", "\n", " % a note"], ["}", " @x", "\n@"])


@st.composite
def entries(draw: st.DrawFn) -> str:
    """An entry in BibTeX's usual folders, or one of many ways of getting it wrong."""
    opening, closing = draw(DELIMITERS)
    separator = draw(SEPARATORS)
    body = "".join(f"{separator}{name} = {value}" for name, value in draw(st.lists(st.tuples(NAMES, VALUES), max_size=5)))
    entry = f"@{draw(KINDS)}{opening}{draw(KEYS)}{body}{draw(st.sampled_from(['', ',', ', ']))}{closing}{draw(ENDINGS)}"
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):  # mutations: a character dropped, replaced or put in anywhere
        at = draw(st.integers(0, len(entry)))
        put = draw(st.sampled_from(["", "{", "}", '"', ",", "=", "@", "#", "(", " "]))
        entry = entry[:at] + put + entry[at + draw(st.integers(0, 1)):]
    return entry


@settings(max_examples=1000, deadline=None)
@given(entry=entries())
@example(entry="@article{k, author = {A, B, {y}and C, D}, title = {t}}")
@example(entry="@article{k, author = {A, {x and y}, B, C}, title = {t}}")
@example(entry="@article{k, title = {t}, TITLE = {u}}")
@example(entry="@article{k, title = {t}} @misc{j, title = {u}}")
@example(entry="@article{k, title = \"a {\"} b\"}")
def test_the_validator_vouches_only_for_what_pybtex_parses(entry: str) -> None:
    fields = plain_fields(entry)
    if fields is None:
        return
    read_by_pybtex, problem = EntryParser().entries(entry, "t.bib", 1, "")
    assert problem is None, (entry, problem)
    ((key, parsed),) = read_by_pybtex.items()
    read = {name: read_value(value) for name, value in fields.items()}
    assert {name.lower(): value for name, value in parsed.fields.items()} == read
    plain = plain_entry(entry)  # what a build reads a shown entry as, instead of pybtex's parser
    assert plain is not None
    kind, plain_key, written = plain
    made = plain_entry_of(kind, written)
    assert (plain_key, made.type, made.original_type) == (key, parsed.type, parsed.original_type)
    assert list(made.fields.items()) == list(parsed.fields.items())  # names as written, in order
    for role in ("author", "editor"):  # and the names read (pybtex's Person rejects a name with too many commas)
        if read.get(role):
            read_names(parsed.fields[role])
    if plainly_correct(fields):  # nothing wrong: at most notices (a field the list does not show)
        found = check_entry(reference_from_entry(key, parsed, Location("t.bib", 1)), parsed, entry)
        assert [problem for problem in found if problem.severity != "notice"] == [], entry


@settings(max_examples=300, deadline=None)
@given(bib=st.lists(entries(), min_size=1, max_size=5).map(lambda chunks: "\n".join(chunks) + "\n"))
def test_the_build_and_the_check_report_the_same_errors(bib: str) -> None:
    checked = parse_bibliography(bib, "t.bib")
    built = parse_bibliography(bib, "t.bib", only=frozenset())
    # errors and warnings alike; notices (a field the list does not show) come of reading an entry,
    # and the build reads no more than it must
    assert [problem for problem in built.problems if problem.severity != "notice"] == [
        problem for problem in checked.problems if problem.severity != "notice"]


@settings(max_examples=300, deadline=None)
@given(bib=st.lists(entries(), min_size=1, max_size=5).map(lambda chunks: "\n".join(chunks) + "\n"))
def test_entries_read_without_pybtex_s_parser_are_read_as_it_reads_them(bib: str) -> None:
    """A shown entry in the plain form is read by the validator, not by pybtex's parser: the same
    references and problems as when pybtex's parser reads every entry."""
    fast = parse_bibliography(bib, "t.bib")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibliography_module, "plain_entry", lambda *arguments: None)
        slow = parse_bibliography(bib, "t.bib")
    assert (fast.references, fast.problems) == (slow.references, slow.problems)
    assert {key: (entry.type, list(entry.fields.items())) for key, entry in fast.parsed.items()} == {
        key: (entry.type, list(entry.fields.items())) for key, entry in slow.parsed.items()}


def test_pybtex_s_parser_reads_only_what_is_not_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    read_by_pybtex: list[str] = []
    parse = EntryParser.entries

    def entries(parser: EntryParser, text: str, path: str, line: int, key: str) -> tuple[dict, object]:
        read_by_pybtex.append(key)
        return parse(parser, text, path, line, key)

    monkeypatch.setattr(EntryParser, "entries", entries)
    bib = ("@book{kvale1996, author = {Kvale, S.}, title = {InterViews}, year = {1996}}\n"
           "@incollection{ch, author = {Lauv{\\aa}s, P.}, title = {A chapter}, crossref = {kvale1996}, pages = {1--9}}\n"
           "@book(odd, author = {Roe, R.}, title = {Parentheses}, year = 2001)\n"
           "@book{macro, author = {Doe, J.}, title = {A month}, year = {2001}, month = jan}\n")
    found = parse_bibliography(bib, "t.bib", only=frozenset({"ch", "odd", "macro"}))
    assert [problem for problem in found.problems if problem.severity == "error"] == []
    assert sorted(read_by_pybtex) == ["macro", "odd"]
    by_key = {reference.key: reference for reference in found.references}
    assert by_key["ch"].work.container_title == "InterViews" and by_key["ch"].work.author[0].last == "Lauvås"
    assert by_key["odd"].work.issued.year == "2001" and by_key["macro"].work.issued.month == 1


@pytest.mark.parametrize("entry", [
    "@book{kvale1996, author = {Kvale, S.}, title = {InterViews}, year = {1996}}",
    "@book{kvale1996,\n  author = \"Kvale, S.\",\n  title = {Inter{V}iews: {An} introduction},\n  year = 1996,\n}\n% a note\n",
    "@Misc{a:b.c-d/e+f, editor = {Doe, Jr, J. and von Roe, R.}, confidence = {probable}, url = {https://example.org/x?a=1&b=2}}",
])
def test_the_usual_forms_are_plain(entry: str) -> None:
    fields = plain_fields(entry)
    assert fields is not None and plainly_correct(fields)


@pytest.mark.parametrize("entry", [
    "@book{k, title = jan}", '@book{k, title = "a" # "b"}', "@book(k, title = {t})", "@book{k, title = {t}, Title = {u}}",
    "@book{k, author = {a, b, c, d}, title = {t}}", "@book{k x, title = {t}}", "@book{k, title = {{{{{deep}}}}}}",
    "@book{k, title = {t}} @book{j, title = {u}}", "@string{k = {t}}", "@book{k, title = {t}",
])
def test_anything_else_is_left_to_pybtex(entry: str) -> None:
    assert plain_fields(entry) is None


def test_a_malformed_entry_no_page_cites_fails_the_build_as_it_fails_the_check(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    bare_site(tmp_path, "@book{kvale1996, author = {Kvale, S.}, title = {InterViews}, year = {1996}}\n\n"
                        "@book{broken, author = {Nobody, N.},\n  title = {Never cited,\n  year = {2000}}\n\n"
                        "@misc{unsafe, title = {Nor this},\n  url = {javascript:alert(1)}}\n",
              index="# Notes\n\nAs @kvale1996 says.\n")
    folders, _ = site_configuration(tmp_path / "mkdocs.yml")
    errors = [str(problem) for problem in read_study(folders).errors]
    assert [error.split(": error: ")[0] for error in errors] == ["refs.bib:3:1", "refs.bib:8:3"], errors
    with pytest.raises(Abort):
        build_site(tmp_path)
    for error in errors:
        assert error in caplog.text

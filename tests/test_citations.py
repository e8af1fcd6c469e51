"""Pandoc citation syntax in, APA 7 author-year out; code, links and e-mail addresses untouched."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from helpers import ROOT

from build_tools.adapters.markdown_citations import CitationExtension
from build_tools.citations.apa import author_dates
from build_tools.citations.bibliography import parse_bibliography
from build_tools.citations.formatter import CitationFormatter
from build_tools.citations.index import citation_index
from build_tools.citations.references import ReferenceList
from build_tools.citations.syntax import (
    BRACKETED,
    NARRATIVE,
    find_citations,
    normalise_locator,
    parse_bracketed,
    parse_narrative,
)
from build_tools.markup import mask_code_and_links
from build_tools.sources.frontmatter import read_source

STUDY_BIB = parse_bibliography((ROOT / "bibliography.bib").read_text(encoding="utf-8"), "bibliography.bib")

EXTRA_BIB = r"""
@book{doe:2020.a, author = {Doe, Jane}, title = {Zeta}, year = {2020}}
@book{doe2020b, author = {Doe, Jane}, title = {Alpha}, year = {2020}}
@book{vanderberg2001, author = {van der Berg, Pieter}, title = {Particles}, year = {2001}}
@book{nodate, author = {Nobody, N.}, title = {Timeless}}
@book{lauvas, author = {Lauv{\aa}s, P. and Handal, G.}, title = {Accents}, year = {1990}}
"""


def convert(text: str, bib: str | None = None) -> BeautifulSoup:
    bibliography = STUDY_BIB if bib is None else parse_bibliography(bib, "test.bib")
    assert bibliography.problems == ()
    extension = CitationExtension(CitationFormatter(ReferenceList(bibliography)))
    return BeautifulSoup(markdown.markdown(text, extensions=[extension]), "html.parser")


def cited(text: str, bib: str | None = None) -> list[str]:
    return [" ".join(span.get_text().split()) for span in convert(text, bib).select("span.citation")]


# APA 7 author-year text: "Kolb (1984, p. 2)" or "(see Kolb, 1984; Kvale, 1996a)"; a year is four digits
# with an optional letter, or n.d.
_YEAR = r"(?:\d{4}[a-z]?|n\.d\.)"
NARRATIVE_APA = re.compile(rf"\S.* \({_YEAR}(?:, .+)?\)")
PARENTHETICAL_APA = re.compile(rf"\((?:.+[ ,])?{_YEAR}(?:[,;] .+)?\)")


# Every in-text form the manuscript uses, as written in the sources, and its APA rendering.
MANUSCRIPT_FORMS = [
    ("[@higgs1999; @tynilenne1987]", "(Higgs & Jones, 1999; Tyni-Lenné, 1987)"),
    ("[@abrandt1997; @westmankumlien1992]", "(Abrandt, 1997; Westman-Kumlien & Kroksmark, 1992)"),
    ("[@ek1990; @engelsrud1990; @thornquist1992; @thornquist1994a; @thornquist1994b; @abrandt1995]",
     "(Abrandt, 1995; Ek, 1990; Engelsrud, 1990; Thornquist, 1992, 1994a, 1994b)"),
    ("[@abrandt1997]", "(Abrandt, 1997)"),
    ("@mishler1984", "Mishler (1984)"),
    ("[@mishler1984]", "(Mishler, 1984)"),
    ("[@ransom1995]", "(Ransom, 1995)"),
    ("[@kindler1984]", "(Kindler, 1984)"),
    ("[-@balint1957]", "(1957)"),
    ("[@balint1957; @balint1993]", "(E. Balint et al., 1993; M. Balint, 1957)"),  # APA 8.12 and 9.46: initials order first authors who share a surname
    ("[@dornfest1992]", "(Dornfest & Ransom, 1992)"),
    ("@lubanplozza1995", "Luban-Plozza (1995)"),
    ("[@berne1961]", "(Berne, 1961)"),
    ("[@korner1988]", "(Körner et al., 1988)"),
    ("[@balint1993; @ransom1995]", "(E. Balint et al., 1993; Ransom, 1995)"),
    ("[@abs1997]", "(American Balint Society, 1997)"),
    ("[@balint1966; @musham1994]", "(M. Balint et al., 1966; Musham & Brock, 1994)"),
    ("[@mumford1996]", "(Mumford, 1996)"),
    ("@kindler1984", "Kindler (1984)"),
    ("[@huberman1994; @lawler1998]", "(Huberman & Miles, 1994; Lawler, 1998)"),
    ("[@richardson1990; @miles1994; @kvale1996]", "(Kvale, 1996; Miles & Huberman, 1994; Richardson, 1990)"),
    ("@holm1995", "Holm (1995)"),
    ("@richardson1990", "Richardson (1990)"),
    ("[@phares1997]", "(Phares & Trull, 1997)"),
    ("[@kolb1984]", "(Kolb, 1984)"),
    ("[@larsson1994]", "(Larsson, 1994)"),
    ("@kvale1996", "Kvale (1996)"),
    ("@handal1987", "Handal and Lauvås (1987)"),
]


@pytest.mark.parametrize("source, expected", MANUSCRIPT_FORMS)
def test_every_manuscript_form_renders_as_apa(source: str, expected: str) -> None:
    assert cited(f"Text {source} text.") == [expected]


def test_every_citation_in_the_sources_is_of_a_form_the_parser_accepts_and_renders() -> None:
    """A check of the forms, not a list of them: a new, valid citation in the study keeps this test
    green; a malformed one (or an unknown key) turns it red."""
    labels = author_dates(STUDY_BIB.references)
    sources = sorted([*ROOT.glob("content/**/*.md"), *ROOT.glob("themes/*.md"), *ROOT.glob("quotes/*.md")])
    checked = 0
    for path in sources:
        document = read_source(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))
        masked = mask_code_and_links(document.body)
        found = find_citations(document.body, document.path, document.body_line)
        # Every @key outside code and links belongs to a citation the parser read (none is skipped).
        keys_written = len(re.findall(r"(?<![\w\\])-?@(?=\w)", masked))
        assert keys_written == sum(len(item.citation.items) for item in found if item.citation), (document.path, keys_written, found)
        for item in found:
            where = f"{item.path}:{item.line}"
            assert item.citation is not None and not item.error, (where, item.error)
            match = BRACKETED.match(masked, item.offset) or NARRATIVE.match(masked, item.offset)
            assert match is not None, where
            source = " ".join(document.body[match.start():match.end()].split())
            for work in item.citation.items:
                assert work.key in labels, (where, source, f"no entry '{work.key}' in bibliography.bib")
            (span,) = convert(f"Text {source} text.").select("span.citation")
            text = " ".join(span.get_text().split())
            assert "citation--unknown" not in span["class"], (where, source, text)
            assert len(span.select("a.citation__link")) >= 1, (where, source, text)
            author_year = NARRATIVE_APA if item.citation.narrative else PARENTHETICAL_APA
            assert author_year.fullmatch(text), (where, source, text)
            for work in item.citation.items:
                label = labels[work.key]
                assert label.year in text, (where, source, text)
                names = label.narrative_names if item.citation.narrative else label.names
                assert work.suppress_author or names in text, (where, source, text)
            checked += 1
    assert checked > 0, "no citation found in the study's sources"


def test_locators_prefixes_and_year_only() -> None:
    assert cited("[see @kolb1984, p. 33]") == ["(see Kolb, 1984, p. 33)"]
    assert cited("[@kolb1984, pp. 33-35]") == ["(Kolb, 1984, pp. 33–35)"]
    assert cited("[@kolb1984, chapter 2]") == ["(Kolb, 1984, chap. 2)"]
    assert cited("@kvale1996 [p. 519] claims") == ["Kvale (1996, p. 519)"]
    assert normalise_locator("pages 10--12") == "pp. 10–12"


def test_keys_with_pandoc_punctuation_and_year_suffixes_by_title() -> None:
    texts = cited("[@doe:2020.a] and [@doe2020b] and [@doe2020b; @doe:2020.a].", EXTRA_BIB)
    assert texts == ["(Doe, 2020b)", "(Doe, 2020a)", "(Doe, 2020a, 2020b)"]


def test_particles_accents_and_no_date() -> None:
    assert cited("@vanderberg2001 and [@nodate] and [@lauvas]", EXTRA_BIB) == ["van der Berg (2001)", "(Nobody, n.d.)", "(Lauvås & Handal, 1990)"]


def test_narrative_two_authors_use_and_parenthetical_use_ampersand() -> None:
    assert cited("@miles1994 and [@miles1994]") == ["Miles and Huberman (1994)", "(Miles & Huberman, 1994)"]


def test_code_links_and_email_addresses_are_never_touched() -> None:
    html = convert("Write `[@kolb1984]` or mail me@kolb1984.org, see <x@kolb1984.org>, [a](https://x.org/@kolb1984), \\@kolb1984.\n\n    [@kolb1984]\n")
    assert html.select("span.citation") == []
    text = html.get_text()
    assert "[@kolb1984]" in text and "me@kolb1984.org" in text and "@kolb1984." in text


def test_citations_link_to_their_entry_with_the_full_reference_as_title() -> None:
    link = convert("[@kolb1984]").select_one("a.citation__link")
    assert link["href"] == "references.md#ref-kolb1984"
    assert link["title"].startswith("Kolb, D. A. (1984). Experiential learning: Experience as the source")


def test_unknown_keys_are_visible_not_silent() -> None:
    assert cited("[@nosuchwork]") == ["[@nosuchwork?]"]


def test_find_citations_reports_lines_and_skips_code() -> None:
    text = "One [@a].\n\n```\n[@b]\n```\n\nTwo @c and `@d`.\n"
    found = find_citations(text, "page.md", first_line=5)
    assert [(f.line, [i.key for i in f.citation.items]) for f in found] == [(5, ["a"]), (11, ["c"])]


def test_parse_bracketed_items() -> None:
    citation = parse_bracketed("see @a, p. 3; -@b")
    assert [(i.prefix, i.key, i.locator, i.suppress_author) for i in citation.items] == [("see", "a", "p. 3", False), ("", "b", "", True)]


def test_standalone_extension_reads_a_bib_file(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(EXTRA_BIB, encoding="utf-8")
    html = markdown.markdown("[@vanderberg2001]", extensions=["pandoc_citations"], extension_configs={"pandoc_citations": {"bibliography": str(bib)}})
    assert "(van der Berg, 2001)" in BeautifulSoup(html, "html.parser").get_text()


def test_labels_are_computed_once_for_the_whole_bibliography() -> None:
    labels = author_dates(STUDY_BIB.references)
    assert (labels["thornquist1994a"].year, labels["thornquist1994b"].year) == ("1994a", "1994b")
    assert labels["thornquist1992"].year == "1992"


def test_three_or_more_authors_are_et_al_from_the_first_citation() -> None:
    bib = "@book{three, author = {One, A. and Two, B. and Three, C.}, title = {T}, year = {2001}}"
    assert cited("@three and [@three]", bib) == ["One et al. (2001)", "(One et al., 2001)"]


def test_fenced_code_is_never_touched() -> None:
    bibliography = STUDY_BIB
    extension = CitationExtension(CitationFormatter(ReferenceList(bibliography)))
    html = markdown.markdown("```\n[@kolb1984] and @kolb1984\n```\n", extensions=["fenced_code", extension])
    assert "citation" not in html and "[@kolb1984] and @kolb1984" in html


def test_the_tooltip_of_an_incomplete_reference_says_so() -> None:
    assert convert("[@kindler1984]").select_one("a")["title"] == "Kindler. (1984). Full reference not yet established."


def test_an_unchanged_entry_is_not_parsed_again() -> None:
    from build_tools.citations.bibliography import parse_bibliography as parse
    from build_tools.citations.cache import FormattingCache

    text = EXTRA_BIB
    cache = FormattingCache()
    first = ReferenceList(parse(text, "x.bib", frozenset({"vanderberg2001"})), cache)
    first.html("vanderberg2001")
    second = parse(text + "\n@book{new, author = {New, N.}, title = {N}, year = {2020}}\n", "x.bib", frozenset({"vanderberg2001", "new"}), cache.references)
    assert "vanderberg2001" not in second.parsed, "taken from the cache, not parsed"
    assert "new" in second.parsed
    assert ReferenceList(second, cache).html("vanderberg2001") == first.html("vanderberg2001")



def test_a_text_checked_whole_before_is_neither_checked_nor_cut_into_entries_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from build_tools.citations import bibliography as module

    text = EXTRA_BIB + "\n@book{broken, title = {No author}, year = {2020}, confidence = {sure}}\n"
    first = module.parse_bibliography(text, "x.bib", frozenset({"vanderberg2001"}))
    assert any("broken" in problem.message for problem in first.problems), "an entry not shown is checked all the same"
    passed = module.parse_bibliography(EXTRA_BIB, "x.bib", frozenset({"vanderberg2001"}))
    assert not passed.problems and passed.checked.chunks == module.scan(EXTRA_BIB)

    def cut(text: str) -> tuple[module.Chunk, ...]:
        raise AssertionError("cut into entries again")

    monkeypatch.setattr(module, "scan", cut)
    again = module.parse_bibliography(EXTRA_BIB, "x.bib", frozenset({"vanderberg2001"}), checked=passed.checked)
    assert again.keys == passed.keys and again.references == passed.references and again.chunks == passed.chunks
    assert module.defined_keys(EXTRA_BIB, "x.bib", passed.checked) == set(passed.keys)
    for other in (text, "\n" + EXTRA_BIB, EXTRA_BIB + " "):  # another text, if only by a blank line: cut anew, and checked whole
        with pytest.raises(AssertionError, match="cut into entries again"):
            module.parse_bibliography(other, "x.bib", frozenset({"vanderberg2001"}), checked=passed.checked)
    monkeypatch.undo()
    changed = module.parse_bibliography(text, "x.bib", frozenset({"vanderberg2001"}), checked=passed.checked)
    assert changed.problems == first.problems
    lower = module.parse_bibliography("\n" + EXTRA_BIB, "x.bib", frozenset({"vanderberg2001"}), checked=passed.checked)
    assert [reference.source.line for reference in lower.references] == [reference.source.line + 1 for reference in passed.references]
    misplaced = module.CheckedText(passed.checked.digest, tuple((line, kind, key, end, start) for line, kind, key, start, end in passed.checked.chunks))
    assert module.parse_bibliography(EXTRA_BIB, "x.bib", checked=misplaced).references == module.parse_bibliography(EXTRA_BIB, "x.bib").references
    kept = first.checked  # as a cache would keep it, had the build gone on
    assert not module.parse_bibliography(text, "x.bib", frozenset({"vanderberg2001"}), checked=kept).problems
    unfit = module.CheckedText(kept.digest, tuple((line, kind, key, end, start) for line, kind, key, start, end in kept.chunks))
    assert module.parse_bibliography(text, "x.bib", frozenset({"vanderberg2001"}), checked=unfit).problems == first.problems, \
        "entries kept that do not fit the text: the text is cut and checked whole again"


def test_a_csl_file_is_never_taken_as_checked_for_bibtex() -> None:
    """CSL is read whole every time; were its text marked checked, the same text read as BibTeX
    later (the file renamed) would have its entries not shown go unchecked."""
    from build_tools.citations import bibliography as module

    text = "- id: a\n  type: book\n  title: T\n  note: |\n    @misc{evil, url = {javascript:alert(1)}}\n"
    read_as_csl = module.parse_bibliography(text, "refs.yaml")
    assert not read_as_csl.problems and read_as_csl.checked == module.NOT_CHECKED
    as_bibtex = module.parse_bibliography(text, "refs.bib", frozenset(), checked=read_as_csl.checked)
    assert any("evil" in problem.message for problem in as_bibtex.problems)

def test_a_cached_entry_that_inherits_is_formatted_again_when_its_parent_changes() -> None:
    from build_tools.citations.cache import FormattingCache

    bib = ("@book{parent,\n  title = {Big Book},\n  publisher = {P},\n  year = {2000}\n}\n"
           "@incollection{child,\n  author = {Doe, J.},\n  title = {Chapter},\n  crossref = {parent}\n}\n")
    cache = FormattingCache()
    for book, year in (("Big Book", "2000"), ("Other Book", "2000"), ("Other Book", "2001")):
        changed = bib.replace("Big Book", book).replace("2000", year)
        references = ReferenceList(parse_bibliography(changed, "x.bib", frozenset({"child"}), cache.references), cache)
        assert references.text("child") == f"Doe, J. ({year}). Chapter. In {book.capitalize()}. P."
        assert references.labels["child"].year == year, "the labels kept for the next build follow the parent too"


def test_a_cached_entry_is_formatted_again_when_a_string_macro_it_may_use_changes() -> None:
    from build_tools.citations.cache import FormattingCache

    bib = '@string{nurs = "Nursing Inquiry"}\n@article{lawler,\n  author = {Lawler, J.},\n  title = {Essence},\n' \
          '  journal = nurs,\n  year = {1998}\n}\n'
    cache = FormattingCache()
    for journal in ("Nursing Inquiry", "Nursing Changed", "Nursing Inquiry"):
        changed = bib.replace("Nursing Inquiry", journal)
        references = ReferenceList(parse_bibliography(changed, "x.bib", frozenset({"lawler"}), cache.references), cache)
        assert references.text("lawler") == f"Lawler, J. (1998). Essence. {journal}.", "nothing stale is kept"


def test_a_pages_citations_and_their_anchors_are_the_same_from_the_cache() -> None:
    from build_tools.citations.cache import FormattingCache

    cache = FormattingCache()
    formatter = CitationFormatter(ReferenceList(STUDY_BIB, cache))
    citations = [(parse_narrative("kolb1984", None), "@kolb1984"), (parse_bracketed("@kvale1996; @kolb1984, p. 2"), "[@kvale1996; @kolb1984, p. 2]"),
                 (parse_bracketed("@nobody"), "[@nobody]"), (parse_bracketed("@kolb1984"), "[@kolb1984]")]
    rendered = formatter.page_html(citations, "references/")
    assert rendered[1] == formatter.anchors(citation for citation, _ in citations)
    assert rendered[1] == {"kolb1984": ("cite-kolb1984-1", "cite-kolb1984-2", "cite-kolb1984-3"), "kvale1996": ("cite-kvale1996-1",)}
    again = CitationFormatter(ReferenceList(STUDY_BIB, cache))
    assert again.page_html(citations, "references/") == rendered
    assert len(cache.rendered) == 2 and all(isinstance(found, tuple) for found in cache.rendered.values())


def test_citation_anchors_are_numbered_in_reading_order_as_the_index_counts_them() -> None:
    # Python-Markdown's inline patterns reach the nested list after the paragraph below it.
    text = "- One\n\n    - Nested [@kolb1984]\n\nLater @kolb1984 and [@kvale1996; @kolb1984, p. 2].\n"
    ids = [link["id"] for link in convert(text).select("a.citation__link")]
    assert ids == ["cite-kolb1984-1", "cite-kolb1984-2", "cite-kolb1984-3", "cite-kvale1996-1"]  # APA orders Kolb first
    index = citation_index([("page.md", "Page", text)])
    assert index["kolb1984"][0].anchors == ("cite-kolb1984-1", "cite-kolb1984-2", "cite-kolb1984-3")


def test_a_citation_in_a_heading_reads_well_in_the_table_of_contents() -> None:
    bibliography = STUDY_BIB
    extension = CitationExtension(CitationFormatter(ReferenceList(bibliography)))
    md = markdown.Markdown(extensions=[extension, "toc"])
    html = BeautifulSoup(md.convert("## Learning [@kolb1984]\n"), "html.parser")
    assert " ".join(html.h2.get_text().split()) == "Learning (Kolb, 1984)"
    assert md.toc_tokens[0]["name"] == "Learning (Kolb, 1984)"


def test_rendered_html_is_kept_while_one_of_the_last_two_builds_asks_for_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from build_tools.citations.cache import FormattingCache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the key that signs the cache
    path = tmp_path / "references.json"

    def build(*keys: str) -> FormattingCache:
        cache = FormattingCache.load(path)
        for key in keys:
            cache.render(key, lambda key=key: f"<span>{key}, rendered again</span>")
        cache.save(path)
        return cache

    first = FormattingCache()
    assert first.render("site", lambda: "<span>site</span>") == "<span>site</span>"
    first.save(path)
    build("offline")  # the offline edition's build, whose links differ
    assert build("site").rendered["site"] == "<span>site</span>", "the site's HTML outlived one build that did not ask for it"
    build("site")
    assert set(FormattingCache.load(path).rendered) == {"site"}, "what no recent build asks for is dropped"


def test_bad_link_fields_are_errors_at_their_line() -> None:
    bib = "@misc{a, title = {A},\n  url = {javascript:alert(1)}}\n\n@book{b,\n  title = {B},\n    doi   = {10.1/x}}\n"
    assert [str(problem) for problem in parse_bibliography(bib, "t.bib").problems] == [
        "t.bib:2:3: error: entry 'a': url: 'javascript:alert(1)' has 'javascript:': only http:// and https:// addresses become links",
        "t.bib:6:5: error: entry 'b': doi: '10.1/x' is not a DOI: a DOI looks like 10.1000/182",
    ]


def test_characters_xml_forbids_are_errors_wherever_they_are() -> None:
    bib = "% a comment with a bell \x07\n@book{a, title = {A\x0cB}, year = {2000}}\n@book{b, title = {\ufffe}}\n"
    assert [str(problem) for problem in parse_bibliography(bib, "t.bib", only=frozenset({"a"})).problems] == [
        f"t.bib:{line}:{column}: error: the character U+{code} cannot be published (XML 1.0 forbids it, and the codebook export is XML): delete it"
        for line, column, code in ((1, 25, "0007"), (2, 20, "000C"), (3, 19, "FFFE"))
    ]


def test_a_chunk_with_no_type_and_key_is_an_error_in_both_modes() -> None:
    bib = "@book{a, title = {A}, year = {2000}}\n@ {b, title = {B}}\n@odd-type{c, title = {C}}\n"
    for only in (None, frozenset({"a"})):
        assert [problem.line for problem in parse_bibliography(bib, "t.bib", only).problems] == [2, 3]


def test_latex_pybtex_cannot_decode_is_read_as_text() -> None:
    bib = r"@book{a, author = {Doe\, J.}, title = {A {\{}}}, year = {2000}}"  # no traceback, in the check or the build
    bibliography = parse_bibliography(bib, "t.bib")
    assert bibliography.problems == ()
    assert ReferenceList(bibliography).text("a") == "Doe, J. (2000). A {."  # an escaped brace is a brace


@pytest.mark.parametrize("only", [None, frozenset({"b", "c"})])
def test_valid_bibtex_the_line_split_would_cut_wrongly_is_read_whole(only: frozenset[str] | None) -> None:
    """Two entries on one line, and a value with a line that starts with "@": valid BibTeX, which
    the fast split into lines would cut wrongly; the reader joins and splits them again."""
    bib = ("@misc{a, title = {First}, year = {2001}} @book{b, author = {Doe, J.}, title = {Second}, year = {2002}}\n"
           "@article{c, author = {Roe, R.}, title = {Third}, note = {write to\n@roe on the forum}, year = {2003}}\n"
           "@misc{d, title = {Fourth}, year = {2004}}\n")
    bibliography = parse_bibliography(bib, "t.bib", only)
    assert bibliography.problems == ()
    assert bibliography.keys == {"a", "b", "c", "d"}
    assert ReferenceList(bibliography).text("b") == "Doe, J. (2002). Second."
    assert bibliography.get("c") is not None and bibliography.get("c").source.line == 2
    assert {reference.key for reference in bibliography.references} >= (only or {"a", "b", "c", "d"})


def test_the_common_accents_read_without_latexcodec_are_read_as_latexcodec_reads_them() -> None:
    import codecs

    import latexcodec  # noqa: F401  # registers its codec

    from build_tools.citations.latex import COMMON_ACCENTS

    assert len(COMMON_ACCENTS) > 150 and COMMON_ACCENTS['\\"{o}'] == "ö" and COMMON_ACCENTS["\\aa"] == "å"
    for source, letter in COMMON_ACCENTS.items():  # as latex.py reads what latexcodec gives: an accent without braces, a word stripped
        decoded = codecs.decode(source, "ulatex")  # type: ignore[call-overload]
        assert (decoded.replace("{", "").replace("}", "") if "{" in source else decoded.strip()) == letter, source


@pytest.mark.parametrize(("title", "shown"), [("Plain words -- and a dash", "Plain words – and a dash"),
                                              ("Lauv{\\aa}s's {\\\"o} and {\\c{c}}", "Lauvås’s ö and ç"),
                                              ("Yo{\\v{g}}urt and {\\dh}", "Yoǧurt and ð")])
def test_latexcodec_is_imported_only_to_decode_an_uncommon_accent(title: str, shown: str) -> None:
    """Building latexcodec's tables takes longer than reading a bibliography that needs none of them."""
    bib = f"@book{{k, author = {{Doe, J.}}, title = {{{title}}}, year = {{2000}}}}"
    probe = "\n".join([
        "import sys",
        "from build_tools.citations.bibliography import parse_bibliography",
        "from build_tools.citations.references import ReferenceList",
        f"print(ReferenceList(parse_bibliography({bib!r}, 'refs.bib')).text('k'))",
        "print('latexcodec' in sys.modules)",
    ])
    text, loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert text == f"Doe, J. (2000). {shown}."
    assert loaded == str("Yo" in title)


def test_texts_read_for_citations_are_not_held() -> None:
    """The live preview makes new pages at every save, each read for its citations: what is kept
    of them is their citations, not their text (the serve process grew with every save)."""
    import gc
    import tracemalloc

    from build_tools.citations.syntax import cited_keys

    assert cited_keys("As [@kvale1996] says.") == ["kvale1996"]
    tracemalloc.start()
    try:
        for n in range(200):
            assert cited_keys(f"Page {n}: as “[@kvale1996]” says.\n" + "Words of the study. " * 2_500) == ["kvale1996"]
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 2_000_000, held  # 200 texts of 50,000 characters: 20 MB if they were kept

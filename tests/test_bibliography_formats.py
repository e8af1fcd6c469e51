"""Bibliographies as researchers have them: biblatex's data model, CSL-JSON and CSL-YAML, and the
APA 7 rules that depend on the whole list (order, letters, "et al." forms, titles in the author's place).

The agreement with pandoc's citeproc over whole Zotero exports is tests/test_citeproc_agreement.py;
here, each feature on its own, with what APA 7 prints for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import bare_site, build_site, run_cli, soup

from build_tools.citations.apa import render, segments
from build_tools.citations.bibliography import parse_bibliography
from build_tools.citations.formatter import CitationFormatter
from build_tools.citations.model import Citation, CitationItem
from build_tools.citations.references import ReferenceList

FIXTURES = Path(__file__).parent / "fixtures" / "bibliographies"


def references(text: str, path: str = "refs.bib") -> ReferenceList:
    bibliography = parse_bibliography(text, path)
    assert [problem for problem in bibliography.problems if problem.severity != "notice"] == []
    return ReferenceList(bibliography)


def cited(refs: ReferenceList, *keys: str, narrative: bool = False) -> str:
    citation = Citation(tuple(CitationItem(key) for key in keys), narrative)
    return "".join(segment.text for segment in segments(render(citation, refs.labels)))


BIBLATEX = r"""
@article{dated, author = {Doe, Jane}, title = {A Study of Things}, subtitle = {What We Found}, journaltitle = {Journal of Things},
  date = {2019-03-15}, volume = {3}, number = {2}, pages = {77--101}}
@book{parent, editor = {Roe, Rita and Poe, Paul}, title = {The Big Handbook}, subtitle = {Methods}, publisher = {Sage}, date = {2018},
  edition = {4}}
@incollection{child, author = {Moe, Max}, title = {A Chapter}, crossref = {parent}, pages = {55--65}}
@xdata{sage, publisher = {Sage}, location = {London}}
@book{shared, author = {Xu, Yi}, title = {Borrowed Details}, date = {2001}, xdata = {sage}}
@book{reprint, author = {Kullback, Solomon}, title = {Information Theory and Statistics}, date = {1997}, origdate = {1959},
  publisher = {Dover}}
@book{german, author = {Habermas, Jürgen}, title = {Theorie des kommunikativen Handelns}, date = {1981}, langid = {ngerman},
  publisher = {Suhrkamp}, volumes = {2}}
@online{page, author = {{World Health Organization}}, title = {Fact Sheet}, url = {https://example.org/fact}, urldate = {2023-04-18}}
@software{tool, author = {{R Core Team}}, title = {R: A Language and Environment}, version = {4.3.1}, date = {2023},
  organization = {R Foundation}, url = {https://www.r-project.org/}}
@thesis{thesis, author = {Abrandt, Madeleine}, title = {Learning Physiotherapy}, type = {phdthesis}, institution = {Link{\"o}ping University},
  date = {1997}}
@report{report, author = {Hendricks, Lee}, title = {Workforce Retention}, type = {techreport}, number = {2018-07},
  institution = {Institute for Workforce Studies}, date = {2018}}
@book{translated, author = {de Beauvoir, Simone}, translator = {Borde, Constance}, title = {The Second Sex}, date = {2011},
  publisher = {Vintage}}
@article{macros, author = {Lee, Ann}, title = {\mkbibquote{Quoted} and \mkbibemph{Stressed}: On \texttt{code} at \url{https://x.org}},
  journaltitle = {Notes}, date = {2020}}
@article{eprint, author = {Baez, John}, title = {Higher Algebra}, journaltitle = {Theory}, date = {2004}, eprint = {math/0307200},
  eprinttype = {arxiv}}
@book{particle, author = {family=Manen, given=Max, prefix=van, useprefix=true}, title = {Researching Lived Experience}, date = {1990},
  publisher = {SUNY Press}}
@book{dropped, author = {von Neumann, John}, title = {Games}, date = {1944}, options = {useprefix=false}, publisher = {Princeton}}
@set{pair, entryset = {dated, shared}}
"""


@pytest.mark.parametrize("key, expected", [
    ("dated", "Doe, J. (2019). A study of things: What we found. Journal of Things, 3(2), 77–101."),
    ("child", "Moe, M. (2018). A chapter. In R. Roe & P. Poe (Eds.), The big handbook: Methods (4th ed., pp. 55–65). Sage."),
    ("shared", "Xu, Y. (2001). Borrowed details. Sage."),
    ("reprint", "Kullback, S. (1997). Information theory and statistics. Dover. (Original work published 1959)"),
    ("german", "Habermas, J. (1981). Theorie des kommunikativen Handelns (Vols. 1–2). Suhrkamp."),
    ("page", "World Health Organization. (n.d.). Fact sheet. Retrieved April 18, 2023, from https://example.org/fact"),
    ("tool", "R Core Team. (2023). R: A language and environment (Version 4.3.1) [Computer software]. R Foundation. https://www.r-project.org/"),
    ("thesis", "Abrandt, M. (1997). Learning physiotherapy [Unpublished doctoral dissertation]. Linköping University."),
    ("report", "Hendricks, L. (2018). Workforce retention (Report No. 2018-07). Institute for Workforce Studies."),
    ("translated", "de Beauvoir, S. (2011). The second sex (C. Borde, Trans.). Vintage."),
    ("macros", "Lee, A. (2020). “Quoted” and stressed: On code at https://x.org. Notes."),
    ("eprint", "Baez, J. (2004). Higher algebra. Theory. https://arxiv.org/abs/math/0307200"),
    ("particle", "van Manen, M. (1990). Researching lived experience. SUNY Press."),
    ("dropped", "Neumann, J. von. (1944). Games. Princeton."),
])
def test_biblatex_fields_and_entry_types_in_apa_7(key: str, expected: str) -> None:
    assert references(BIBLATEX).text(key) == expected


def test_biblatex_in_text_forms() -> None:
    refs = references(BIBLATEX)
    assert cited(refs, "reprint") == "(Kullback, 1959/1997)"  # APA 8.15
    assert cited(refs, "particle", narrative=True) == "van Manen (1990)"
    assert cited(refs, "dropped") == "(Neumann, 1944)"  # useprefix=false: the particle drops
    assert cited(refs, "page") == "(World Health Organization, n.d.)"


def test_a_set_is_cited_as_its_members_and_listed_as_them() -> None:
    refs = references(BIBLATEX)
    assert [reference.key for reference in refs.ordered({"pair"})] == ["dated", "shared"]
    html = CitationFormatter(refs).html(Citation((CitationItem("pair"),), narrative=False), "references.md")
    assert "Doe, 2019" in html and "Xu, 2001" in html and "pair" not in html.replace("#ref-pair", "")


def test_the_html_keeps_italics_and_escapes_text() -> None:
    refs = references(BIBLATEX + "@book{odd, author = {A, B.}, title = {Fish \\& <Chips>}, date = {2000}}\n")
    assert refs.html("dated") == ("Doe, J. (2019). A study of things: What we found. <em>Journal of Things</em>, <em>3</em>(2), 77–101.")
    assert "<em>Fish &amp; &lt;chips&gt;</em>" in refs.html("odd")  # text, escaped (and in sentence case)


@pytest.mark.parametrize("written", [
    "author = {family=Manen, given=Max, prefix=van, useprefix=true}",
    "author = {van Manen, Max}",
    "author = {Manen, Max van}, options = {useprefix=true}",
])
def test_a_particle_is_read_alike_in_every_form_better_bibtex_writes(written: str) -> None:
    refs = references(f"@book{{k, {written}, title = {{T}}, date = {{1990}}}}\n")
    if "Max van" in written:  # "Manen, Max van": BibTeX reads "van" as a given name there
        assert refs.text("k").startswith("Manen, M. v.")
    else:
        assert refs.text("k").startswith("van Manen, M. (1990)")


def test_apa_order_letters_and_et_al_forms() -> None:
    refs = references(r"""
@book{m, author = {Balint, Michael}, title = {The Doctor}, date = {1957}}
@book{e, author = {Balint, Enid and Courtenay, M. and Elder, A.}, title = {Revisited}, date = {1993}}
@article{k1, author = {Kim, S. and Lee, J. and Choi, H.}, title = {One}, journaltitle = {J}, date = {2020}}
@article{k2, author = {Kim, S. and Park, M. and Yoon, D.}, title = {Two}, journaltitle = {J}, date = {2020}}
@article{t2, author = {Thornquist, Eline}, title = {Varieties}, journaltitle = {J}, date = {1994}}
@article{t1, author = {Thornquist, Eline}, title = {Profession}, journaltitle = {J}, date = {1994}}
@book{nd, author = {Thornquist, Eline}, title = {Undated}}
@article{anon, title = {A Study Without Authors}, journaltitle = {J}, date = {2001}}
@book{anonbook, title = {The Book Without Authors}, date = {2002}}
""")
    assert [reference.key for reference in refs.ordered()] == ["e", "m", "anonbook", "k1", "k2", "anon", "nd", "t1", "t2"]
    assert cited(refs, "m", "e") == "(E. Balint et al., 1993; M. Balint, 1957)"  # APA 8.20: initials; 8.12: their order
    assert cited(refs, "k1", "k2") == "(Kim, Lee, et al., 2020; Kim, Park, et al., 2020)"  # APA 8.18
    assert cited(refs, "t2", "t1", "nd") == "(Thornquist, n.d., 1994a, 1994b)"  # APA 8.19: letters by title
    assert cited(refs, "anon") == "(“A Study Without Authors,” 2001)" or cited(refs, "anon") == "(“A Study Without Authors”, 2001)"
    assert refs.text("anonbook") == "The book without authors. (2002)."
    html = CitationFormatter(refs).html(Citation((CitationItem("anonbook"),), narrative=True), "references.md")
    assert "<em>The Book Without Authors</em> (2002)" in html  # APA 8.14: italic where the list sets it in italic


def test_csl_json_and_csl_yaml_give_what_bibtex_gives(tmp_path: Path) -> None:
    """The same Zotero library, exported as CSL JSON and as Better BibLaTeX, and the JSON as YAML."""
    json_text = (FIXTURES / "zotero.json").read_text(encoding="utf-8")
    from_json = references(json_text, "zotero.json")
    from_yaml = references(yaml.safe_dump(json.loads(json_text), allow_unicode=True), "zotero.yaml")
    from_biblatex = references((FIXTURES / "zotero-bbt-biblatex.bib").read_text(encoding="utf-8"), "zotero.bib")
    keys = [reference.key for reference in from_json.ordered()]
    assert keys == [reference.key for reference in from_yaml.ordered()]
    assert [from_yaml.text(key) for key in keys] == [from_json.text(key) for key in keys]
    differ = {key for key in keys if from_biblatex.text(key) != from_json.text(key)}
    # what Better BibLaTeX cannot carry: Zotero's issuing authority; the entry that asks for useprefix=false
    assert differ == {"heilig1962", "vonneumann1944"}


@pytest.mark.parametrize("text, path, message", [
    ('[{"id": "a", "type": "book", "title": "T"},\n {"id": "a", "type": "book", "title": "U"}]', "refs.json",
     "refs.json:2:1: error: duplicate id 'a' (first given at line 1)"),
    ('[{"id": "a", "type": "book",\n  "title": "T",]', "refs.json", "refs.json:2:16: error: not valid CSL-JSON"),
    ('[{"type": "book", "title": "T"}]', "refs.json", "refs.json:1:1: error: a CSL item has no \"id\""),
    ('[{"id": "a", "type": "book", "author": "Doe"}]', "refs.json", "refs.json:1:1: error: item 'a': author must be a list of names"),
    ("- id: a\n  type: book\n  issued: {date-parts: nonsense}\n", "refs.yaml", "refs.yaml:1:1: error: item 'a': issued must be a date"),
    ("- id: a\n  type: [book\n", "refs.yaml", "refs.yaml:3:1: error: not valid CSL-YAML"),
    # a few lines that stand for billions of values, and nesting no bibliography has: refused, not walked
    ("a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nreferences:\n- {id: k, type: book, title: *b}\n",
     "refs.yaml", "refs.yaml:1:4: error: CSL-YAML with aliases (*name) is not accepted"),
    ("[" * 100_000, "refs.json", "refs.json:1:1: error: not valid CSL-JSON: its values nest too deep"),
])
def test_csl_problems_are_reported_at_their_line(text: str, path: str, message: str) -> None:
    problems = [str(problem) for problem in parse_bibliography(text, path).problems]
    assert any(problem.startswith(message) for problem in problems), problems


def test_sentence_case_takes_linear_time_on_any_title() -> None:
    """A title word of 100,000 punctuation marks between two letters: read from both ends, not by
    a regular expression that would try every split (a hostile pull request could stall the build)."""
    from build_tools.citations.richtext import sentence_case

    title = "A" + "!" * 100_000 + "b Title"
    assert sentence_case(title).endswith("b title")


def test_a_name_that_cannot_be_read_is_reported_at_its_field() -> None:
    problems = parse_bibliography("@book{k,\n  title = {T},\n  author = {a, b, c, d}}\n", "refs.bib").problems
    assert [str(problem) for problem in problems] == ["refs.bib:3:3: error: entry 'k': author: Too many commas in 'a, b, c, d'"]


def test_a_site_builds_from_a_csl_json_bibliography_and_publishes_it_as_it_is(tmp_path: Path) -> None:
    bare_site(tmp_path, "", index="# Notes\n\nAs @doe2020 says.\n")
    (tmp_path / "refs.bib").unlink()
    library = [{"id": "doe2020", "type": "book", "title": "Sentence-case title from Zotero", "author": [{"family": "Doe", "given": "Jane"}],
                "issued": {"date-parts": [[2020]]}, "publisher": "Sage"}]
    (tmp_path / "refs.json").write_text(json.dumps(library), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: Notes\nplugins:\n  - study:\n      bibliography: refs.json\n", encoding="utf-8")
    site = build_site(tmp_path)
    assert "Doe (2020)" in soup(site / "index.html").get_text()
    assert "Doe, J. (2020). Sentence-case title from Zotero. Sage." in " ".join(soup(site / "references" / "index.html").get_text().split())
    assert json.loads((site / "cite" / "bibliography.json").read_text(encoding="utf-8")) == library


def test_fields_the_list_does_not_show_are_notices_at_their_line() -> None:
    """Zotero exports fields the reference list does not show; some are private (where the PDF is
    on the user's disk). They are published with the bibliography, so the check names each one, as
    a notice: ``check --strict`` still passes."""
    bib = "@article{k,\n  title = {T},\n  author = {Doe, J.},\n  file = {C:\\\\Users\\\\me\\\\Zotero\\\\k.pdf},\n  shortjournal = {J}}\n"
    problems = parse_bibliography(bib, "refs.bib").problems
    assert [str(problem) for problem in problems] == [
        "refs.bib:4:3: notice: entry 'k': file (where the file is on your computer) is not shown, but is published with the "
        "bibliography: remove it if it is private",
        "refs.bib:5:3: notice: entry 'k': shortjournal is not shown in the reference list (it is published with the bibliography)",
    ]
    assert not any(problem.fails(strict=True) for problem in problems)


def test_a_site_that_cites_a_set_lists_and_links_back_to_its_members(tmp_path: Path) -> None:
    bare_site(tmp_path, "@set{both, entryset = {a, b}}\n@book{a, author = {Ames, A.}, title = {First}, date = {2001}}\n"
                        "@book{b, author = {Bell, B.}, title = {Second}, date = {2002}}\n",
              index="# Notes\n\nAs shown [@both].\n")
    site = build_site(tmp_path)
    page = soup(site / "index.html")
    assert [link["id"] for link in page.select("a.citation__link")] == ["cite-a-1", "cite-b-1"]
    assert {link["href"] for link in page.select(".references a[href^='#cite-']")} == {"#cite-a-1", "#cite-b-1"}
    references = soup(site / "references" / "index.html")
    assert [entry["id"] for entry in references.select(".reference")] == ["ref-a", "ref-b"]
    assert all(entry.select_one(".reference__cited-in a") for entry in references.select(".reference"))
    checked = run_cli("check", "--root", str(tmp_path), "--strict")
    assert checked.returncode == 0 and "never cited" not in checked.stdout, checked.stdout  # its members are cited through it


def test_the_standalone_extension_reads_a_zotero_export_as_it_is(tmp_path: Path) -> None:
    """Better BibLaTeX's export holds fields the list does not show (notices), which must not stop
    the extension; a CSL-JSON file is read by its suffix."""
    import markdown

    for name in ("zotero-bbt-biblatex.bib", "zotero.json"):
        html = markdown.markdown("As @braun2006 shows [@kvale1996, p. 3].", extensions=["pandoc_citations"],
                                 extension_configs={"pandoc_citations": {"bibliography": str(FIXTURES / name), "reference_list": True}})
        text = " ".join(BeautifulSoup(html, "html.parser").get_text().split())
        assert "Braun and Clarke (2006) shows (Kvale, 1996, p. 3)." in text, name
        assert "Kvale, S. (1996). InterViews: An introduction to qualitative research interviewing. Sage." in text, name



# What a hostile (or careless) pull request may put in a bibliography: each gets a message at its
# line, none a traceback, and none takes long (each was once a traceback or minutes of work).
@pytest.mark.parametrize("text, message", [
    ("@book{b, author = {Doe, J.}, title = {T}, x*x*x*x*x*x*x*x*x*x*x*x*z = {1}}",
     "t.bib:1:43: notice: entry 'b': x*x*x*x*x*x*x*x*x*x*x*x*z is not shown"),
    ("@book{a, title = {A}, crossref = {x}}\n@book{x, author = {a, b, c, d}, title = {X}}",
     "t.bib:1:1: error: entry 'a': author: Too many commas in 'a, b, c, d'"),
    ("@book{a, title = {A}, year = {2000}, month = {²}}", "t.bib:1:38: error: entry 'a': month: '²' is not a date"),
    ("@book{a, title = {A}, date = {2020-13-45}}", "t.bib:1:23: error: entry 'a': date: '2020-13-45' is not a date"),
    ("@set{s, entryset = {t}}\n@set{t, entryset = {s}}", "t.bib:1:1: error: @set 's': member 't' is an @set, not a work"),
    ("@set{s, entryset = {nope}}", "t.bib:1:1: error: @set 's': member 'nope' is not an entry of this file"),
    ("@xdata{x, url = {javascript:alert(1)}}", "t.bib:1:11: error: entry 'x': url: 'javascript:alert(1)' has 'javascript:'"),
    ('@misc{a, title = "' + "{a}" * 100_000 + "}", "t.bib:1:1: error: 'a' is 300,019 characters long"),
    ("@x{\n" * 5_000, "t.bib:1001:1: error: more than 1,000 problems: the rest of the file is not read"),
])
def test_hostile_bibtex_gets_a_message_at_its_line(text: str, message: str) -> None:
    problems = [str(problem) for problem in parse_bibliography(text, "t.bib").problems]
    assert any(problem.startswith(message) for problem in problems), problems


@pytest.mark.parametrize("text, message", [
    ('[{"id": "a", "type": "book", "title": "T", "author": [{"family": "Kv\\u0001ale"}]}]',
     "r.json:1:1: error: item 'a': the character U+0001 cannot be published"),
    ('[{"id": 1' + "0" * 5000 + "}]", "r.json:1:1: error: not valid CSL-JSON"),
    ('[{"id": "a", "type": "book", "title": "T", "issued": {"year": 2000, "month": Infinity}}]',
     "r.json:1:1: error: item 'a': issued: 'inf' is not a year, month or day of a date"),
    ('[{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [[2020, 13, 45]]}}]',
     "r.json:1:1: error: item 'a': issued: '13' is not a year, month or day of a date"),
    ('[{"id": null, "type": "book", "title": "T"}]', 'r.json:1:1: error: a CSL item has no "id"'),
    ('[{"id": "a", "type": ["book"], "title": "T"}]', "r.json:1:1: error: item 'a': type must be text or a number"),
    ('[{"id": "a", "type": "book", "title": "T", "annote": {"x": 1}}]', "r.json:1:1: error: item 'a': annote must be text or a number"),
])
def test_hostile_csl_gets_a_message_at_its_line(text: str, message: str) -> None:
    problems = [str(problem) for problem in parse_bibliography(text, "r.json").problems]
    assert any(problem.startswith(message) for problem in problems), problems


def test_odd_values_are_read_without_a_traceback() -> None:
    refs = references("@book{a, author = {Doe, J.}, title = {A}, edition = {²}, year = 2000,\n"
                      "  howpublished = {\\url{https://ex.org/a\\_b\\#c/\\textbf{x}}}}\n"
                      + "".join(f"@book{{k{n}, author = {{Same, S.}}, title = {{T{n:04d}}}, year = 2001}}\n" for n in range(703)))
    assert refs.text("a") == "Doe, J. (2000). A (² ed.). https://ex.org/a_b#c/x"
    assert refs.labels["k702"].year == "2001aaa"  # APA 8.19's letters go on after "zz"


def test_many_entries_on_one_line_and_many_items_are_read_in_linear_time() -> None:
    line = "".join(f"@misc{{k{n}, title = {{T}}}} " for n in range(20_000))
    assert len(parse_bibliography(line, "t.bib", frozenset()).keys) == 20_000
    items = json.dumps([{"id": f"k{n}", "type": "book", "title": "T"} for n in range(20_000)], indent=1)
    bibliography = parse_bibliography(items, "r.json")
    assert bibliography.get("k19999").source.line == 5 * 19_999 + 3  # type: ignore[union-attr]  # "[", then 5 lines an item


@pytest.mark.parametrize("latex, text", [
    (r"The $\alpha$ and \ensuremath{\beta} of it", "The \u03b1 and \u03b2 of it"),
    (r"\unknown{kept} \unknownalone gone", "kept gone"),
    (r"Caf\'e \"{\i}t {\"O}berg \c{c}a \v{S}koda \aa\ss", "Café ït Öberg ça Škoda åß"),
    (r"R\&D at 50\,\% \textendash{} \textquoteright s", "R&D at 50\u202f% – ’s"),
])
def test_latex_is_decoded_and_no_backslash_reaches_the_text(latex: str, text: str) -> None:
    from build_tools.citations.latex import latex_text

    assert latex_text(latex) == text


def test_csl_variables_the_list_does_not_show_are_notices(tmp_path: Path) -> None:
    """As BibTeX's fields are: Zotero's abstract (private) and a short journal title (not shown)."""
    item = '[{"id": "k", "citation-key": "k", "type": "book", "title": "T", "abstract": "Mine", "container-title-short": "J"}]'
    assert [str(problem) for problem in parse_bibliography(item, "refs.json").problems] == [
        "refs.json:1:1: notice: item 'k': abstract (the abstract) is not shown, but is published with the bibliography: "
        "remove it if it is private",
        "refs.json:1:1: notice: item 'k': container-title-short is not shown in the reference list (it is published with the bibliography)",
    ]


def test_the_standalone_extension_reads_a_bibliography_saved_on_windows(tmp_path: Path) -> None:
    import markdown

    path = tmp_path / "refs.json"
    path.write_bytes(b'\xef\xbb\xbf[{"id": "k", "type": "book", "title": "T",\r\n "author": [{"family": "Doe", "given": "J."}], '
                     b'"issued": {"date-parts": [[2001]]}}]\r\n')
    html = markdown.markdown("As @k says.", extensions=["pandoc_citations"], extension_configs={"pandoc_citations": {"bibliography": str(path)}})
    assert "Doe (2001)" in BeautifulSoup(html, "html.parser").get_text()

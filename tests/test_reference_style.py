"""The reference list in APA 7, entry type by entry type, through the project's pybtex style."""

from __future__ import annotations

import pytest
from pybtex.plugin import find_plugin

from build_tools.citations.bibliography import parse_bibliography
from build_tools.citations.references import ReferenceList
from build_tools.citations.style import APA7Style

ENTRIES = r"""
@article{art, author = {Lawler, J.}, title = {Phenomenologies as research methodologies for nursing: from philosophy to researching practice},
  journal = {Nursing Inquiry}, year = {1998}, volume = {5}, number = {2}, pages = {104--111}, doi = {10.1046/j.1440-1800.1998.520104.x}}
@book{book, author = {Miles, Matthew B. and Huberman, A. Michael}, title = {Qualitative Data Analysis: An Expanded Sourcebook},
  edition = {2nd}, publisher = {Sage}, address = {Thousand Oaks, CA}, year = {1994}}
@book{edited, editor = {Higgs, J. and Jones, M.}, title = {Clinical Reasoning in the Health Professions}, publisher = {Butterworth-Heinemann}, year = {1999}}
@incollection{chapter, author = {Huberman, A. M. and Miles, M. B.}, title = {Data management and analysis methods},
  booktitle = {Handbook of Qualitative Research}, editor = {Denzin, N. K. and Lincoln, Y. S.}, publisher = {Sage}, year = {1994}, pages = {428--444}}
@inproceedings{talk, author = {Doe, J.}, title = {A talk}, booktitle = {Proceedings of the {Balint} Congress}, year = {2001}, pages = {7}}
@phdthesis{thesis, author = {Abrandt, M.}, title = {Learning physiotherapy}, school = {Link{\"o}ping University}, year = {1997},
  series = {Link{\"o}ping Studies in Education and Psychology}, number = {50}}
@mastersthesis{masters, author = {Roe, R.}, title = {Small study}, school = {Some University}, year = {2010}}
@techreport{report, author = {{World Health Organization}}, title = {A report}, institution = {WHO}, number = {12}, year = {2005}}
@misc{web, author = {{American Balint Society}}, title = {Balint Training: A ``How To'' Manual}, howpublished = {American Balint Society}, year = {1997}}
@online{site, author = {Site, S.}, title = {A page}, url = {https://example.org/page}, year = {2020}}
@book{protected, author = {Kvale, S.}, title = {{InterViews}: An Introduction to {Balint} and {Kolb}}, publisher = {Sage}, year = {1996}}
@misc{unknown, author = {K{\"o}rner and others}, year = {1988}, confidence = {unknown}}
@misc{pair, author = {Musham and Brock}, year = {1994}, confidence = {unknown}}
@book{many, author = {A, A. and B, B. and C, C. and D, D. and E, E. and F, F. and G, G. and H, H. and I, I. and J, J. and K, K. and L, L. and M, M. and N, N. and O, O. and P, P. and Q, Q. and R, R. and S, S. and T, T. and U, U.}, title = {Crowd}, publisher = {P}, year = {2000}}
"""

REFERENCES = ReferenceList(parse_bibliography(ENTRIES, "test.bib"))


@pytest.mark.parametrize(
    "key, expected",
    [
        ("art", "Lawler, J. (1998). Phenomenologies as research methodologies for nursing: From philosophy to researching practice. Nursing Inquiry, 5(2), 104–111. https://doi.org/10.1046/j.1440-1800.1998.520104.x"),
        ("book", "Miles, M. B., & Huberman, A. M. (1994). Qualitative data analysis: An expanded sourcebook (2nd ed.). Sage."),
        ("edited", "Higgs, J., & Jones, M. (Eds.). (1999). Clinical reasoning in the health professions. Butterworth-Heinemann."),
        ("chapter", "Huberman, A. M., & Miles, M. B. (1994). Data management and analysis methods. In N. K. Denzin & Y. S. Lincoln (Eds.), Handbook of qualitative research (pp. 428–444). Sage."),
        ("talk", "Doe, J. (2001). A talk. In Proceedings of the Balint congress (p. 7)."),
        ("thesis", "Abrandt, M. (1997). Learning physiotherapy [Doctoral dissertation, Linköping University]."),
        ("masters", "Roe, R. (2010). Small study [Unpublished master’s thesis]. Some University."),
        ("report", "World Health Organization. (2005). A report (Report No. 12). WHO."),
        ("web", "American Balint Society. (1997). Balint training: A “how to” manual."),  # APA 9.29: a publisher that is the author is left out
        ("site", "Site, S. (2020). A page. https://example.org/page"),
        ("protected", "Kvale, S. (1996). InterViews: An introduction to Balint and Kolb. Sage."),
        ("unknown", "Körner et al. (1988)."),
        ("pair", "Musham & Brock. (1994)."),
    ],
)
def test_entry_types_in_apa_7(key: str, expected: str) -> None:
    assert REFERENCES.text(key) == expected


def test_titles_and_journals_are_italic_and_dois_are_links() -> None:
    assert REFERENCES.html("book").count("<em>Qualitative data analysis: An expanded sourcebook</em>") == 1
    article = REFERENCES.html("art")
    assert "<em>Nursing Inquiry</em>, <em>5</em>" in article
    assert '<a href="https://doi.org/10.1046/j.1440-1800.1998.520104.x">' in article
    assert "Miles, M. B., &amp; Huberman" in REFERENCES.html("book")


def test_twenty_one_authors_list_nineteen_then_the_last() -> None:
    text = REFERENCES.text("many")
    assert text.startswith("A, A., B, B.,") and ", S, S., . . . U, U. (2000)." in text and "T, T." not in text


def test_the_style_is_registered_with_pybtex() -> None:
    assert find_plugin("pybtex.style.formatting", "apa7") is APA7Style


def test_reference_list_is_in_apa_order() -> None:
    keys = [reference.key for reference in REFERENCES.ordered()]
    assert keys.index("thesis") < keys.index("web") < keys.index("talk") < keys.index("unknown") < keys.index("art")


LINKS = ReferenceList(parse_bibliography(r"""
@misc{quoted, title = {Q}, year = {2020}, url = {https://example.org/search?q="x"&lang=en}}
@article{wiley, author = {W, W.}, title = {W}, journal = {J}, year = {1999}, doi = {https://doi.org/10.1002/(SICI)1099-1611<3::AID>}}
@misc{arxiv, title = {Preprint}, year = {2024}, eprint = {2401.00001}, archiveprefix = {arXiv}}
@misc{script, title = {S}, year = {2020}, doi = {10.1/"><script>alert(1)</script>}}
@misc{clickjack, title = {C}, year = {2020}, url = {javascript:alert(1)}}
""", "links.bib"))


def test_link_addresses_are_encoded_and_escaped_in_the_html() -> None:
    assert '<a href="https://example.org/search?q=%22x%22&amp;lang=en">' in LINKS.html("quoted")
    assert '<a href="https://doi.org/10.1002/(SICI)1099-1611%3C3::AID%3E">' in LINKS.html("wiley")
    assert '<a href="https://arxiv.org/abs/2401.00001">' in LINKS.html("arxiv")


def test_an_unsafe_doi_or_url_becomes_no_link_at_all() -> None:
    assert [problem.message.split(":")[0:2] for problem in LINKS.bibliography.problems] == [["entry 'script'", " doi"], ["entry 'clickjack'", " url"]]
    for key in ("script", "clickjack"):
        html = LINKS.html(key)
        assert "<a" not in html and "<script" not in html and "javascript" not in html, html


def test_the_entry_template_escapes_every_href() -> None:
    """An entry's link reaches the page through its template, which escapes the address as well."""
    from build_tools.citations.richtext import Run
    from build_tools.templating import templates

    template = templates("build_tools.citations").get_template("entry.html.j2")
    html = str(template.module.entry((Run("text", href='x" onmouseover="alert(1)'),)))
    assert html == '<a href="x&#34; onmouseover=&#34;alert(1)">text</a>'

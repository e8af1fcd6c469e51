"""Addresses from the sources become links only through build_tools.urls: http(s) only, percent-encoded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_tools.urls import (
    UnsafeURL,
    bare_doi,
    doi_url,
    entry_link,
    eprint_url,
    link_errors,
    web_url,
)


@pytest.mark.parametrize("value, expected", [
    ("https://example.org/page", "https://example.org/page"),
    (" HTTPS://Example.org/a?q=\"x\"&y=<1>#top ", "https://Example.org/a?q=%22x%22&y=%3C1%3E#top"),
    ("https://bücher.de:8080/ä", "https://xn--bcher-kva.de:8080/%C3%A4"),
    ("https://x.org/it's", "https://x.org/it%27s"),
    ("https://user:secret@example.org/", "https://example.org/"),
])
def test_web_addresses_are_kept_and_encoded(value: str, expected: str) -> None:
    assert web_url(value) == expected


@pytest.mark.parametrize("value, reason", [
    ("javascript:alert(1)", "has 'javascript:'"),
    ("JaVaScRiPt:alert(1)", "has 'javascript:'"),
    ("data:text/html,<script>", "has 'data:'"),
    ("//example.org/a", "has no scheme"),
    ("https://example.org/a b", "holds a space"),
    ("https://exa\tmple.org", "holds a space or a control character"),
    ("https://", "names no valid host"),
    ("https://[", "names no valid host"),
    ('https://a.org"><script>', "names no valid host"),
])
def test_anything_else_is_refused_with_a_reason(value: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason):
        web_url(value)


@pytest.mark.parametrize("value", ["10.1002/pri.188", "doi:10.1002/pri.188", "DOI: 10.1002/pri.188", "https://doi.org/10.1002/pri.188",
                                   "http://dx.doi.org/10.1002/pri.188"])
def test_a_doi_in_any_usual_form(value: str) -> None:
    assert bare_doi(value) == "10.1002/pri.188"
    assert doi_url(value) == "https://doi.org/10.1002/pri.188"


def test_old_wiley_dois_are_percent_encoded_not_refused() -> None:
    assert doi_url("10.1002/(SICI)1099-1611<3::AID>") == "https://doi.org/10.1002/(SICI)1099-1611%3C3::AID%3E"


@pytest.mark.parametrize("value", ['10.1/"><script>alert(1)</script>', "10.1000/a b", "pri.188", "https://example.org/10.1000/x"])
def test_what_is_not_a_doi_is_refused(value: str) -> None:
    with pytest.raises(UnsafeURL, match="is not a DOI"):
        doi_url(value)


def test_eprints_of_the_types_biblatex_knows() -> None:
    assert eprint_url("2401.00001", "arXiv") == "https://arxiv.org/abs/2401.00001"
    assert eprint_url("hep-th/9901001v2", "arxiv") == "https://arxiv.org/abs/hep-th/9901001v2"
    assert eprint_url("12345", "pubmed") == "https://www.ncbi.nlm.nih.gov/pubmed/12345"
    assert eprint_url("2401.00001", "unknown") is None
    with pytest.raises(UnsafeURL, match="not an eprint identifier"):
        eprint_url("a b", "arxiv")


def test_an_entry_links_its_doi_else_its_url_else_its_eprint() -> None:
    assert entry_link({"doi": "10.1000/x", "url": "https://a.org"}) == "https://doi.org/10.1000/x"
    assert entry_link({"url": "https://a.org", "eprint": "2401.1", "eprinttype": "arxiv"}) == "https://a.org"
    assert entry_link({"eprint": "2401.1", "archiveprefix": "arXiv"}) == "https://arxiv.org/abs/2401.1"
    assert entry_link({"doi": "not a doi", "url": "https://a.org"}) is None, "an unsafe value gives no link (the check reports it)"
    assert entry_link({"title": "T"}) is None


def test_link_errors_name_each_bad_field() -> None:
    errors = link_errors({"doi": "bad", "url": "javascript:x", "eprint": "a b", "eprinttype": "arxiv", "title": "T"})
    assert sorted(errors) == ["doi", "eprint", "url"]
    assert link_errors({"doi": "10.1000/x", "url": "https://a.org", "eprint": "whatever", "eprinttype": "unknown"}) == {}


@given(st.tuples(st.sampled_from(["", "https://", "http://a.org/", "doi:10.1000/", "10.1002/"]), st.text(max_size=30)).map("".join))
def test_no_value_ever_breaks_out_of_an_attribute(value: str) -> None:
    for make in (web_url, doi_url, lambda text: eprint_url(text, "arxiv")):
        try:
            url = make(value)
        except UnsafeURL:
            continue
        if url is not None:
            assert url.startswith(("https://", "http://")), url
            assert url.isascii() and url.isprintable() and not set(url) & set("\"'<>\\` "), url

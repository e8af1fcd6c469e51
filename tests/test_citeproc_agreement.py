"""Differential tests against the field's reference implementation, pandoc's citeproc with the
official CSL APA 7 style: the harness (tests/citeproc.py), its test bibliographies (the same works
written four ways, tests/fixtures/bibliographies/) and the list of where APA 7 and citeproc
disagree (tests/citeproc-divergences.yaml).

pandoc is a test dependency (pypandoc-binary): without it these tests fail, saying how to install it.
The figures themselves: .venv/bin/python bench/agreement.py [--diff].
"""

from __future__ import annotations

from pathlib import Path

import citeproc
import pytest
from lxml import html as lxml_html

# The engine's targets: the share of citations (parenthetical and narrative) and of reference
# entries that agree with citeproc, once the divergences listed are applied, over all four files.
IN_TEXT_THRESHOLD = 0.95
REFERENCE_THRESHOLD = 0.90


@pytest.fixture(scope="module")
def comparisons() -> dict[str, citeproc.Comparison]:
    """Each test bibliography through both engines, once for the module."""
    return {path.name: citeproc.compare(path) for path in citeproc.fixtures()}


@pytest.fixture(scope="module")
def ours() -> dict[str, citeproc.Output]:
    return {path.name: citeproc.ours(path) for path in citeproc.fixtures()}


def differing(pairs: list[citeproc.Pair], limit: int = 25) -> str:
    shown = [f"  {pair.key} [{pair.part}]\n    ours:     {pair.ours}\n    expected: {pair.expected}" for pair in pairs if not pair.agrees]
    more = f"\n  ... and {len(shown) - limit} more (bench/agreement.py --diff)" if len(shown) > limit else ""
    return "\n".join(shown[:limit]) + more


# ---- THE THRESHOLDS: what the engine must reach ----


def test_agreement_with_citeproc_meets_the_thresholds(comparisons: dict[str, citeproc.Comparison]) -> None:
    """THRESHOLDS. At least 95% of in-text citations and 90% of reference entries agree with
    citeproc's (after the listed divergences), over the four test bibliographies together.

    This is a target for the citation engine, not a check of the harness: it fails while the
    engine falls short, and the message lists the pairs that differ."""
    pairs = [pair for comparison in comparisons.values() for pair in comparison.pairs]
    in_text = [pair for pair in pairs if pair.part in citeproc.IN_TEXT]
    entries = [pair for pair in pairs if pair.part == "reference"]
    agreed_in_text, total_in_text = citeproc.agreement(in_text)
    agreed_entries, total_entries = citeproc.agreement(entries)
    assert agreed_in_text >= IN_TEXT_THRESHOLD * total_in_text, (
        f"in-text citations agree with citeproc {agreed_in_text}/{total_in_text}, below {IN_TEXT_THRESHOLD:.0%}:\n{differing(in_text)}")
    assert agreed_entries >= REFERENCE_THRESHOLD * total_entries, (
        f"reference entries agree with citeproc {agreed_entries}/{total_entries}, below {REFERENCE_THRESHOLD:.0%}:\n{differing(entries)}")


@pytest.mark.parametrize("name", list(citeproc.BIBLIOGRAPHIES))
def test_the_reference_list_comes_in_citeproc_order(comparisons: dict[str, citeproc.Comparison], name: str) -> None:
    """The works whose entries agree come in the same order in both reference lists."""
    comparison = comparisons[name]
    mine, theirs = comparison.ordered()
    assert mine == theirs, f"{comparison.misplaced} works out of place\n ours:     {mine}\n citeproc: {theirs}"


# ---- The same work, four ways: our engine reads them alike ----

# Where a format cannot say what Zotero's CSL JSON says, the same work's entry (or citation) rightly
# differs in that file: (file, key) -> what the file lacks. Everything else must read alike.
NOT_THE_SAME_INFORMATION = {
    ("classic.bib", "kullback1959"): "BibTeX has no field for the original date: it is in a note",
    ("classic.bib", "debeauvoir2011"): "BibTeX has no field for the original date: it is in a note",
    ("classic.bib", "okonkwo2021"): "BibTeX has no @dataset and no version field (@misc, note = {Version 2})",
    ("classic.bib", "rcoreteam2023"): "R's citation() writes software as @manual, the version in a note",
    ("classic.bib", "wickham2023"): "R's citation() writes software as @manual, the version in a note",
    ("classic.bib", "who2020"): "no day of publication in BibTeX, the access date in a note, only {WHO} and {COVID} protected",
    ("classic.bib", "apa-examples"): "no website name, the access date in a note",
    ("classic.bib", "heilig1962"): "BibTeX has no @patent: @misc, its number in howpublished, no URL",
    ("zotero-bbt-bibtex.bib", "who2020"): "Better BibTeX's BibTeX mode writes the month but not the day",
    ("zotero-bbt-bibtex.bib", "okonkwo2021"): "Better BibTeX's BibTeX mode writes a data set as @misc, without its version",
    ("zotero-bbt-bibtex.bib", "rcoreteam2023"): "Better BibTeX's BibTeX mode writes software as @misc, without its version",
    ("zotero-bbt-bibtex.bib", "wickham2023"): "Better BibTeX's BibTeX mode writes software as @misc, without its version",
    ("zotero-bbt-bibtex.bib", "heilig1962"): "Zotero's issuing authority reaches CSL JSON only",
    ("zotero-bbt-biblatex.bib", "heilig1962"): "Zotero's issuing authority reaches CSL JSON only",
    ("zotero-bbt-biblatex.bib", "vonneumann1944"): "options = {useprefix=false}: biblatex drops the particle, as asked",
}
CANONICAL = "zotero.json"  # Zotero's own data, as it exports it


@pytest.mark.parametrize("name", [name for name in citeproc.BIBLIOGRAPHIES if name != CANONICAL])
def test_the_same_work_reads_the_same_from_every_format(ours: dict[str, citeproc.Output], name: str) -> None:
    """Our citations and entries from each file are those from Zotero's CSL JSON, work by work,
    except where the file's format cannot carry the same information (NOT_THE_SAME_INFORMATION)."""
    different = []
    for part in citeproc.PARTS:
        for key, expected in ours[CANONICAL].part(part).items():
            found = ours[name].part(part).get(key, citeproc.MISSING)
            if found != expected and (name, key) not in NOT_THE_SAME_INFORMATION:
                different.append(f"  {key} [{part}]\n    {name}: {found}\n    {CANONICAL}: {expected}")
    assert not different, f"the same works read differently from {name} and {CANONICAL}:\n" + "\n".join(different)


# ---- The harness and its data ----


def test_the_four_bibliographies_hold_the_same_keys() -> None:
    keys = {path.name: citeproc.keys_of(path.read_text(encoding="utf-8"), citeproc.BIBLIOGRAPHIES[path.name]) for path in citeproc.fixtures()}
    canonical = sorted(keys[CANONICAL])
    assert len(canonical) >= 40 and len(set(canonical)) == len(canonical)
    for name, found in keys.items():
        assert sorted(found) == canonical, name
    assert {key for _, key in NOT_THE_SAME_INFORMATION} <= set(canonical)


def test_citeproc_cites_and_lists_every_work(comparisons: dict[str, citeproc.Comparison]) -> None:
    """pandoc read every entry of every file: each key has both citations and an entry."""
    for name, comparison in comparisons.items():
        missing = [f"{pair.key} [{pair.part}]" for pair in comparison.pairs if pair.citeproc == citeproc.MISSING]
        assert not missing, f"citeproc printed nothing for these in {name}: {missing}"
        assert not [error for error in comparison.citeproc_errors if "WARNING" in error], comparison.citeproc_errors
        assert len(comparison.citeproc_order) == len(set(comparison.citeproc_order)) == len({pair.key for pair in comparison.pairs})


def test_every_divergence_still_rewrites_something(comparisons: dict[str, citeproc.Comparison]) -> None:
    """A divergence that no longer changes citeproc's output (a new style, a changed fixture) is
    stale: remove it rather than let it wait to hide a real difference."""
    applied = {name for comparison in comparisons.values() for pair in comparison.pairs for name in pair.divergences}
    listed = [divergence.name for divergence in citeproc.divergences()]
    assert len(listed) == len(set(listed)), "each divergence needs a name of its own"
    assert not set(listed) - applied, f"stale divergences: {sorted(set(listed) - applied)}"


def test_every_divergence_names_its_keys_and_its_section() -> None:
    keys = set(citeproc.keys_of((citeproc.FIXTURES / CANONICAL).read_text(encoding="utf-8"), "csljson"))
    for divergence in citeproc.divergences():
        assert divergence.section.startswith(("APA 7 §", citeproc.READING)), divergence.name
        assert divergence.keys == ("*",) or set(divergence.keys) <= keys, divergence.name
        assert divergence.citeproc.pattern and divergence.citeproc.pattern != ".*", divergence.name


def fragment(html: str) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(html, create_parent="div")


@pytest.mark.parametrize(("html", "text"), [
    ("Braun, V. (2006). <em>Qualitative Research in Psychology</em>, <em>3</em>(2), 77–101.", "Braun, V. (2006). _Qualitative Research in Psychology_, _3_(2), 77-101."),
    ("<em>Title </em>(2nd ed.).", "_Title_ (2nd ed.)."),
    ("<i>A</i><em>B</em>", "_AB_"),
    ("<em>Outer <span style=\"font-style:normal;\">Inner</span> outer</em>", "_Outer_ Inner _outer_"),
    ("<a href=\"https://doi.org/10.1/x\">https://doi.org/10.1/x</a>", "https://doi.org/10.1/x"),
    ("‘Single’ and “double”", "'Single' and \"double\""),
    ("pp. 1—2,\u00a0COVID-19 – 11 March", "pp. 1-2, COVID-19 – 11 March"),
    ("Self-report  \n  measures", "Self-report measures"),
])
def test_the_harness_marks_italics_and_normalises_only_spacing_quotes_and_dashes(html: str, text: str) -> None:
    assert citeproc.marked(fragment(html)) == text


def test_a_divergence_rewrites_only_what_it_names() -> None:
    narrative, applied = citeproc.as_apa_requires("Braun & Clarke (2006)", "braun2006", "narrative")
    assert (narrative, applied) == ("Braun and Clarke (2006)", ("narrative citations spell out \"and\"",))
    assert citeproc.as_apa_requires("(Braun & Clarke, 2006)", "braun2006", "parenthetical") == ("(Braun & Clarke, 2006)", ())
    assert citeproc.as_apa_requires("(Report Nos. 7-8)", "kvale1996", "reference") == ("(Report Nos. 7-8)", ())


def test_the_dialect_follows_pandoc(tmp_path: Path) -> None:
    assert citeproc.dialect_of(citeproc.FIXTURES / "classic.bib") == "bibtex"
    assert citeproc.dialect_of(tmp_path / "any.bib") == "biblatex"
    assert citeproc.dialect_of(tmp_path / "any.bibtex") == "bibtex"
    assert citeproc.dialect_of(tmp_path / "any.json") == "csljson"
    assert citeproc.citing_document(["a-b", "c"]) == "[@a-b]\n\n@a-b\n\n[@c]\n\n@c\n\n"

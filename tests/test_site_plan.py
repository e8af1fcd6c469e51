"""The site plan, decided from the model alone (no MkDocs): which pages a study gets, their titles,
what the navigation lists, where each work is cited, and that nothing links a page that is not there."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest
from helpers import ROOT

from build_tools.citations.references import ReferenceList
from build_tools.site.options import SiteOptions
from build_tools.site.pages import StudyRenderer
from build_tools.site.paths import SitePaths, file_stem
from build_tools.site.plan import SitePlan, plan_site
from build_tools.sources.folders import SourceFolders
from build_tools.sources.loader import load_study

SECOND_STUDY = ROOT / "tests" / "fixtures" / "second-study"
NAV = {"index.md": 0, "method.md": 1, "quotations.md": 2, "references.md": 3, "downloads.md": 4}


def plan(root: Path, **options: object) -> SitePlan:
    study, bibliography = load_study(SourceFolders(root=root))
    site_options = SiteOptions(**{"site_name": "Night shift", "paths": SitePaths(stem="night-shift"), **options})  # type: ignore[arg-type]
    return plan_site(StudyRenderer(study, ReferenceList(bibliography), site_options), site_options, NAV, "bibliography.bib")


@pytest.fixture(scope="module")
def second() -> SitePlan:
    return plan(SECOND_STUDY, results_section="Findings")


def test_a_study_of_another_shape_gets_a_page_per_stage_and_theme(second: SitePlan) -> None:
    uris = [page.uri for page in second.pages]
    assert [uri for uri in uris if uri.startswith("stages/")] == [
        "stages/clocking-in.md", "stages/the-long-middle.md", "stages/handing-over.md"]
    assert len([uri for uri in uris if uri.startswith("themes/")]) == 6
    assert not [uri for uri in uris if uri.startswith("handouts/")], "no teaching notes, no handouts"
    assert {"quotations.md", "references.md", "downloads.md"} <= set(uris)
    assert "study.md" not in uris, "no whole_study option, no whole-study page"


def test_projections_stay_out_of_the_navigation_and_sources_open_the_edit_link(second: SitePlan) -> None:
    by_uri = {page.uri: page for page in second.pages}
    assert not by_uri["projection/letting-go.md"].in_nav and by_uri["themes/letting-go.md"].in_nav
    assert by_uri["themes/letting-go.md"].source == "themes/letting-go.md"
    assert by_uri["stages/handing-over.md"].source == "content/stages/handing-over.md"
    assert by_uri["references.md"].source == "bibliography.bib"
    assert by_uri["projection/letting-go.md"].source is None


def test_titles_are_plain_text_and_a_theme_is_named_without_quotation_marks(second: SitePlan) -> None:
    assert second.titles["stages/clocking-in.md"].startswith("I. ")
    assert all(not title.startswith("“") for uri, title in second.titles.items() if uri.startswith("themes/"))


def test_generated_pages_link_only_pages_that_exist(second: SitePlan) -> None:
    """A study without a teaching guide, teaching notes or an article gets no links to them."""
    existing = {page.uri for page in second.pages} | set(NAV)
    for page in second.pages:
        for target in re.findall(r"\]\(([^)#\s]+\.md)", page.markdown):
            resolved = Path(page.uri).parent.joinpath(target).as_posix()
            while "/../" in resolved or resolved.startswith("../"):
                resolved = re.sub(r"[^/]+/\.\./", "", resolved, count=1).removeprefix("../")
            assert resolved in existing, (page.uri, target)
    downloads = next(page for page in second.pages if page.uri == "downloads.md").markdown
    assert "teaching-guide" not in downloads and "cite-article" not in downloads


def test_the_plan_holds_a_long_quotation_once_a_page_in_utf8(project: Path) -> None:
    """A long quotation (a whole interview) costs the plan one UTF-8 copy of each page and file
    showing it and nothing beside: no text of a page kept as a ``str`` (two bytes a character, the
    pages holding “”), none in the citation index's cache. MkDocs' files share these copies."""
    options = SiteOptions(paths=SitePaths(stem="balint-journey"), whole_study=("index.md#abstract", "results"))

    def renderer() -> StudyRenderer:
        study, bibliography = load_study(SourceFolders(project), complete_bibliography=False)
        return StudyRenderer(study, ReferenceList(bibliography), options)

    plan_site(renderer(), options, {}, "bibliography.bib")  # the templates compiled, the small caches filled
    quotation = project / "quotes" / "aggressive-and-angry.md"
    front, _ = quotation.read_text(encoding="utf-8").split("\n---\n", 1)
    quotation.write_text(f"{front}\n---\n\n" + "We felt it in the group, and said so.\n" * 60_000, encoding="utf-8")  # 2.3 MB
    long = renderer()
    tracemalloc.start()
    try:
        planned = plan_site(long, options, {}, "bibliography.bib")
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    showing = [page.uri for page in planned.pages if page.content.count(b"said so.") == 60_000]
    assert len(showing) == 5, showing  # theme, projection, handout, quotations, whole study
    utf8 = sum(len(page.content) for page in planned.pages) + sum(len(content) for _, content in planned.files)
    assert held < utf8 + 2_000_000, (held, utf8)


def test_counts_and_file_names_come_from_the_study(second: SitePlan) -> None:
    downloads = next(page for page in second.pages if page.uri == "downloads.md").markdown
    assert "six themes in three stages" in downloads
    assert {"data/night-shift-codebook.qdc", "data/night-shift-codebook.csv"} <= {uri for uri, _ in second.files}
    codebook = dict(second.files)["data/night-shift-codebook.qdc"]
    assert 'origin="Night shift"' in codebook.decode(), "a study without an article is named by its site"


def test_the_whole_study_page_is_not_a_further_citing_place() -> None:
    plan_with_whole = plan(SECOND_STUDY, whole_study=("index.md", "results"))
    assert "study.md" in {page.uri for page in plan_with_whole.pages}
    assert plan_with_whole.cited_in and all(citing.uri != "study.md" for places in plan_with_whole.cited_in.values() for citing in places)
    assert "study.md" in plan_with_whole.cited_on, "its own reference list still lists what it cites"


def test_cited_in_follows_the_navigation(second: SitePlan) -> None:
    for places in second.cited_in.values():
        order = [NAV.get(citing.uri, len(NAV)) for citing in places]
        assert order == sorted(order)


@pytest.mark.parametrize(("name", "stem"), [("Tiny study", "tiny-study"), ("Étude « première »", "etude-premiere"), ("!!!", "study")])
def test_file_names_come_from_the_site_name(name: str, stem: str) -> None:
    assert file_stem(name) == stem

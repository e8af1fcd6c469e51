"""The tests' shared fixtures (their helpers are in helpers.py)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    BUILD_DATE,
    CHROMIUM,
    EDIT_URL,
    PageReader,
    build_site,
    chromium,
    copy_study,
    load_real_study,
    served,
    soup,
    theme_work_shared,
)

from build_tools.model import Study


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session: Playwright's synchronous API runs one at a time."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run tests/setup-browser")
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The session's build served over HTTP, for the tests that read it in Chromium."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: run tests/setup-browser")
    pytest.importorskip("playwright.sync_api")
    with served(built_site) as url:
        yield url


@pytest.fixture(autouse=True, scope="session")
def private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds sign their cache with a key in the user's cache folder: the tests' own, not the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(autouse=True, scope="session")
def theme_work_done_once() -> Iterator[None]:
    """The session's builds compile the theme's templates and list its files once (see theme_work_shared)."""
    with theme_work_shared():
        yield


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_study(tmp_path / "study")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real study, built once for all the end-to-end tests (a fresh copy of its sources, built
    on BUILD_DATE, with EDIT_URL set as the published site's build sets it). Tests read it and never
    change it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
        patch.setenv("EDIT_URL", EDIT_URL)
        return build_site(copy_study(tmp_path_factory.mktemp("site") / "study"))


@pytest.fixture(scope="session")
def real_study() -> Study:
    """The model of the real study, as loaded from the repository once for the session (read-only)."""
    return load_real_study()


@pytest.fixture(scope="session")
def built_page(built_site: Path) -> PageReader:
    """A page of ``built_site``, parsed once for the session (tests read it and never change it)."""
    return functools.cache(soup)

"""Shared test set-up: where the seed examples and ../shared/data live.

Tests that read ../shared/data carry the `shared_data` marker and skip
cleanly when it is absent (a fresh clone has no ../shared).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"

# The local Crossref stub server and its fixtures (crossref_stub, seed_stub).
pytest_plugins = ["tests.crossref_stub", "tests.registry_standin"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED_DATA.is_dir():
        return
    skip = pytest.mark.skip(reason=f"{SHARED_DATA} is absent (fresh clone)")
    for item in items:
        if "shared_data" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def shared_data() -> Path:
    return SHARED_DATA


@pytest.fixture(autouse=True)
def isolated_refkit_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's Crossref cache and config file:
    a test must never leave stub answers where a real run would read them."""
    home = tmp_path_factory.mktemp("refkit-home")
    monkeypatch.setenv("REFKIT_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("REFKIT_CONFIG", str(home / "config.toml"))
    for name in ("REFKIT_CROSSREF_URL", "REFKIT_OFFLINE", "REFKIT_MAILTO", "REFKIT_CROSSREF_TOKEN",
                 "REFKIT_DATACITE_URL", "REFKIT_PUBMED_URL", "REFKIT_PMC_IDCONV_URL", "REFKIT_ARXIV_URL",
                 "REFKIT_ISBN_URL"):
        monkeypatch.delenv(name, raising=False)

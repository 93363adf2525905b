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
pytest_plugins = ["tests.crossref_stub"]


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

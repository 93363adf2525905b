"""Sources of registered metadata behind one interface.

A source answers three questions the resolver asks: records for DOIs in
bulk (`works_by_doi`), a bibliographic search (`search`) and which agency
registered a DOI (`agency`). A source may also give the records it holds
without a request (`works_at_hand`: a cache, a local index), so that only
the rest is asked for, in full batches. It says why it could not answer
in `unavailable_reason` and counts its requests in `stats`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Protocol

from refkit.errors import RefkitError
from refkit.model import Work
from refkit.settings import Settings

API = "api"


class Source(Protocol):
    """What the resolver needs from a metadata source."""

    unavailable_reason: str | None
    registry: str  # who answers, in words: "Crossref", "the Crossref snapshot of 2025-03-31"

    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]: ...

    def search(self, query: str, rows: int = 5,
               filters: dict[str, Any] | None = None) -> list[Work]: ...

    def agency(self, doi: str) -> str | None: ...

    def close(self) -> None: ...


def open_source(settings: Settings) -> Any:
    """The source `settings` name, with its persistent cache, ready to use;
    `close()` releases its connections and its cache."""
    index, use_api = parse_source(settings.source)
    if index is None:
        return _api(settings)
    from refkit.resolving.sources.snapshot import SnapshotSource

    snapshot = SnapshotSource(index)
    if not use_api:
        return snapshot
    from refkit.resolving.sources.chain import SnapshotThenApi

    return SnapshotThenApi(snapshot, _api(settings))


def parse_source(text: str) -> tuple[Path | None, bool]:
    """(snapshot index, whether the API may be asked) for a --source value:
    "api", "INDEX" or "INDEX,api"."""
    parts = [p.strip() for p in (text or API).split(",")]
    if parts == [API]:
        return None, True
    if len(parts) == 2 and parts[1] == API and parts[0] not in ("", API):
        return Path(parts[0]).expanduser(), True
    if len(parts) == 1 and parts[0]:
        return Path(parts[0]).expanduser(), False
    raise RefkitError(f"--source {text!r}: give 'api', a snapshot index, or 'INDEX,api'")


def _api(settings: Settings) -> Any:
    from refkit.resolving.cache import Cache
    from refkit.resolving.sources.crossref import CrossrefClient
    from refkit.resolving.sources.datacite import DataCiteClient

    crossref = CrossrefClient(settings, Cache(settings.service_cache_path, settings.ttl_days),
                              owns_cache=True)
    return RoutedSource(crossref, DataCiteClient.opened(settings))


class RoutedSource:
    """Crossref for every question, and DataCite for the records of DOIs
    Crossref does not hold (`works_elsewhere`): Zenodo and figshare data
    and software, arXiv's 10.48550 DOIs."""

    def __init__(self, crossref: Any, datacite: Any) -> None:
        self.crossref, self.datacite = crossref, datacite
        self.settings, self.stats = crossref.settings, crossref.stats

    @property
    def unavailable_reason(self) -> str | None:
        return self.crossref.unavailable_reason

    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]:
        return self.crossref.works_by_doi(dois)

    def works_at_hand(self, dois: Iterable[str]) -> dict[str, Work | None]:
        return self.crossref.works_at_hand(dois)

    def works_elsewhere(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """DataCite's records for `dois` (None: not DataCite's; absent: not asked)."""
        return self.datacite.works_by_doi(dois)

    def search(self, query: str, rows: int = 5, filters: dict[str, Any] | None = None) -> list[Work]:
        return self.crossref.search(query, rows, filters)

    def agency(self, doi: str) -> str | None:
        return self.crossref.agency(doi)

    def close(self) -> None:
        self.crossref.close()
        self.datacite.close()

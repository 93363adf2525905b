"""A local snapshot of Crossref as a source: DOIs and searches answered from
an index built from Crossref's public data file (`refkit index build`).

The snapshot knows what Crossref held on its date and nothing else: a DOI
it lacks is "not in the snapshot", never "not registered", and it cannot
say which agency registers a DOI. Ask the API for what it lacks with
`--source INDEX,api` (`sources.chain`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from refkit.csl import from_crossref
from refkit.doi import is_valid, normalize
from refkit.errors import RefkitError
from refkit.model import Work
from refkit.resolving.snapshot.slim import reference_words
from refkit.resolving.snapshot.store import SnapshotStore


class NotInSnapshot(RefkitError):
    """A question the snapshot cannot answer (which agency registers a DOI it lacks)."""


@dataclass
class SnapshotStats:
    """What the snapshot was asked (DOIs looked up and found, searches), and
    which snapshot answered: its index file, date and size, for the report."""

    snapshot: dict[str, Any]
    lookups: int = 0
    found: int = 0
    searches: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class SnapshotSource:
    """Answers from the snapshot index at `path`."""

    unavailable_reason: str | None = None

    def __init__(self, path: str | Path) -> None:
        self.store = SnapshotStore(path)
        meta = self.store.meta()
        self.path = Path(path)
        self.snapshot_date = (meta.get("dump-date") or "")[:10] or "unknown date"
        self.records = int(meta.get("records") or 0)
        self.registry = registry_of(self.snapshot_date)
        self.stats = SnapshotStats({"index": str(self.path), "date": self.snapshot_date, "records": self.records})

    def __repr__(self) -> str:
        return f"SnapshotSource({str(self.path)!r}, date={self.snapshot_date!r})"

    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """Records for `dois`, keyed by normalised DOI; None: not in the snapshot."""
        wanted = list(dict.fromkeys(normalize(d) for d in dois if d and d.strip()))
        valid = [d for d in wanted if is_valid(d)]
        records = self.store.records_by_doi(valid)
        self.stats.lookups += len(valid)
        self.stats.found += len(records)
        return {doi: self._work(records[doi]) if doi in records else None for doi in wanted}

    def works_at_hand(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """Every answer a snapshot gives is at hand: `works_by_doi`'s."""
        return self.works_by_doi(dois)

    def search(self, query: str, rows: int = 5, filters: dict[str, Any] | None = None) -> list[Work]:
        """The records best matching a reference string, best first."""
        if filters:
            raise RefkitError("a snapshot search takes no Crossref filters")
        self.stats.searches += 1
        return [self._work(record) for record in self.store.search(reference_words(query), rows)]

    def agency(self, doi: str) -> str | None:
        """A snapshot cannot tell: it raises NotInSnapshot, which the resolver
        reports as unverified (RK501) with this reason."""
        raise NotInSnapshot(cannot_tell(self.registry))

    def close(self) -> None:
        self.store.close()

    def _work(self, record: dict[str, Any]) -> Work:
        return from_crossref(record, snapshot=self.snapshot_date)


def registry_of(snapshot_date: str) -> str:
    """A snapshot in words, as reports and findings name it."""
    return f"the Crossref snapshot of {snapshot_date}"


def cannot_tell(registry: str) -> str:
    """Why a snapshot cannot say which agency registers a DOI it lacks."""
    return (f"{registry} holds only Crossref's records, so it cannot tell whether another agency "
            "registers it; add ',api' to --source to ask")

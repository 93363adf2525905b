"""`--source INDEX,api`: the snapshot first, Crossref's API only for what
the snapshot lacks — DOIs it does not hold, searches none of whose results
carries a title the reference prints, and the agency of a DOI neither knows.
Records keep naming where they came from (the snapshot, or Crossref).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from rapidfuzz import fuzz

from refkit.doi import is_valid
from refkit.errors import RefkitError
from refkit.model import Work
from refkit.resolving.match import fold
from refkit.resolving.sources.snapshot import SnapshotSource

# How closely a result's title must appear in the reference for the snapshot's answer to stand.
_TITLE_IN_REFERENCE = 90


class SnapshotThenApi:
    """Ask `snapshot`, then `api` (a CrossrefClient) for what it lacks."""

    registry = "Crossref"  # a DOI neither holds is not registered with Crossref

    def __init__(self, snapshot: SnapshotSource, api: Any) -> None:
        self.snapshot, self.api = snapshot, api

    def __repr__(self) -> str:
        return f"SnapshotThenApi({self.snapshot!r}, {self.api!r})"

    @property
    def unavailable_reason(self) -> str | None:
        return self.api.unavailable_reason

    @property
    def stats(self) -> "SnapshotThenApi":
        return self

    def as_dict(self) -> dict[str, Any]:
        """The API's request figures with the snapshot's beside them."""
        return {**self.api.stats.as_dict(), **self.snapshot.stats.as_dict()}

    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]:
        return self._snapshot_then(self.api.works_by_doi, dois)

    def works_at_hand(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """The snapshot's records, and the API's cached answers for the DOIs it lacks."""
        return self._snapshot_then(self.api.works_at_hand, dois)

    def _snapshot_then(self, ask: Callable[[list[str]], dict[str, Work | None]],
                       dois: Iterable[str]) -> dict[str, Work | None]:
        """The snapshot's records for `dois`, and `ask`'s answers for those it lacks."""
        answers = self.snapshot.works_by_doi(dois)
        lacking = [doi for doi, work in answers.items() if work is None and is_valid(doi)]
        if lacking:
            for doi in lacking:
                del answers[doi]  # unknown until the API answers
            answers.update(ask(lacking))
        return answers

    def search(self, query: str, rows: int = 5, filters: dict[str, Any] | None = None) -> list[Work]:
        found = self.snapshot.search(query, rows, filters)
        if any(_title_in(work.title, query) for work in found):
            return found
        try:
            return self.api.search(query, rows, filters) or found
        except RefkitError:
            return found

    def works_elsewhere(self, dois: Iterable[str]) -> dict[str, Work | None]:
        """Another agency's records (DataCite) for DOIs neither the snapshot nor Crossref holds."""
        ask = getattr(self.api, "works_elsewhere", None)
        return ask(dois) if ask else {}

    def agency(self, doi: str) -> str | None:
        return self.api.agency(doi)

    def close(self) -> None:
        self.snapshot.close()
        self.api.close()


def _title_in(title: str, reference: str) -> bool:
    """Whether the reference prints this title (nearly) word for word."""
    folded = fold(title)
    return len(folded) >= 10 and fuzz.partial_ratio(folded, fold(reference)) >= _TITLE_IN_REFERENCE

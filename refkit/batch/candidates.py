"""The resolver inside a Spark executor: a group of references and the dump
records the blocking join brought them, answered as the snapshot would.

`CandidateSource` is a Source over those records: a DOI among them is
found, any other is "not in the snapshot"; a search returns the candidates
the matcher ranks highest (ties by DOI). `resolve` and its matcher and
corrections are the very code `refkit check --source INDEX` runs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from refkit.csl import from_crossref
from refkit.doi import is_valid, normalize
from refkit.model import Citation, Resolution, Work
from refkit.resolving.match import score
from refkit.resolving.resolver import resolve, search_query
from refkit.resolving.shared import flag_shared_dois
from refkit.resolving.snapshot.slim import doi_key
from refkit.resolving.sources.snapshot import NotInSnapshot, cannot_tell, registry_of


class CandidateSource:
    """The resolver's questions, answered from the candidates of each of `citations`
    (`candidates`: (position of the citation, record) pairs)."""

    unavailable_reason: str | None = None

    def __init__(self, citations: list[Citation], candidates: Iterable[tuple[int, dict[str, Any]]],
                 snapshot_date: str) -> None:
        self.snapshot_date = snapshot_date
        self.registry = registry_of(snapshot_date)
        self._works: dict[str, Work] = {}
        self._mine: dict[int, list[Work]] = defaultdict(list)
        for position, record in candidates:
            key = doi_key(record)
            if key not in self._works:
                self._works[key] = from_crossref(record, snapshot=snapshot_date)
            self._mine[position].append(self._works[key])
        self._asking = {search_query(c): i for i, c in enumerate(citations)}
        self._citations = citations

    def works_by_doi(self, dois: Iterable[str]) -> dict[str, Work | None]:
        wanted = dict.fromkeys(normalize(d) for d in dois if d and d.strip())
        return {doi: self._works.get(doi) if is_valid(doi) else None for doi in wanted}

    def search(self, query: str, rows: int = 5, filters: dict[str, Any] | None = None) -> list[Work]:
        """The candidates of the reference asking `query` that the matcher ranks highest."""
        position = self._asking.get(query)
        if position is None:
            return []
        citation = self._citations[position]
        ranked = sorted(self._mine[position], key=lambda w: (-score(citation, w).total, (w.doi or "").lower()))
        return ranked[:rows]

    def agency(self, doi: str) -> str | None:
        raise NotInSnapshot(cannot_tell(self.registry))

    def close(self) -> None:
        """Nothing to release."""


def resolve_group(citations: list[Citation], candidates: Iterable[tuple[int, dict[str, Any]]],
                  snapshot_date: str) -> list[Resolution]:
    """Resolve a group of references (one document) against their candidates;
    entries printing one DOI are told which owns it (RK110), as `check` does."""
    resolutions = resolve(citations, CandidateSource(citations, candidates, snapshot_date))
    flag_shared_dois(resolutions)
    return resolutions


def row_of(resolution: Resolution, unit: str, position: int) -> dict[str, Any]:
    """One output row: where the reference is, what it says, the verdict and its findings."""
    citation = resolution.citation
    findings = [{k: v for k, v in f.to_dict().items() if k != "evidence"} for f in resolution.findings]
    fixes = [f.fix for f in resolution.findings if f.fix]
    return {"unit": unit, "position": position, "source": str(citation.source),
            "label": citation.source.label or "", "reference": citation.raw,
            "status": resolution.status.value, "doi": resolution.work.doi or "",
            "confidence": float(resolution.confidence), "fix": fixes[0] if fixes else "",
            "findings": findings}

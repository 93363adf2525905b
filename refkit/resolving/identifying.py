"""Works cited by a PMID, PMCID, arXiv id or ISBN alone: ask the registry
that issued the identifier (PubMed, PMC's ID converter, arXiv, Open Library).

A citation that prints only such an identifier is replaced by the registry's
account of the work — title, authors, journal, year, the DOI it knows — so
the resolver can verify that DOI against Crossref (or DataCite) and match
the two records, or search Crossref by title when the registry knows no DOI.
What the registry says about an identifier it does not know is kept for the
report (`extra["unregistered"]`); an identifier whose registry could not be
asked becomes an unverified resolution (RK501) naming that registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from refkit import codes
from refkit.model import Citation, Finding, Resolution, Status, Work
from refkit.resolving.sources.arxiv import ArxivClient
from refkit.resolving.sources.isbn import OpenLibraryClient
from refkit.resolving.sources.pubmed import PubMedClient
from refkit.settings import Settings

KEYS = ("PMID", "PMCID", "arXiv", "ISBN")


@dataclass
class Registries:
    """The clients of the registries of identifiers other than DOIs."""

    pubmed: PubMedClient
    arxiv: ArxivClient
    isbn: OpenLibraryClient

    def close(self) -> None:
        for client in (self.pubmed, self.arxiv, self.isbn):
            client.close()


def open_registries(settings: Settings) -> Registries:
    """The registries' clients, each with a cache of its own beside Crossref's."""
    return Registries(PubMedClient.opened(settings), ArxivClient.opened(settings),
                      OpenLibraryClient.opened(settings))


@dataclass
class Identified:
    """The citations with the looked-up ones replaced (same order), the
    registry's record for each replaced one, and a finished unverified
    resolution for each whose registry could not be asked (by index)."""

    citations: list[Citation]
    works: dict[int, Work] = field(default_factory=dict)
    unverified: dict[int, Resolution] = field(default_factory=dict)

    @property
    def to_resolve(self) -> list[Citation]:
        """The citations the resolver still has to resolve, in order."""
        return [c for index, c in enumerate(self.citations) if index not in self.unverified]

    def merge(self, resolved: list[Resolution]) -> list[Resolution]:
        """All resolutions in input order: the resolver's for `to_resolve`,
        the unverified ones in between; a looked-up work no DOI agency
        confirmed keeps the registry's record (PubMed, arXiv, Open Library)."""
        answers = iter(resolved)
        merged = []
        for index in range(len(self.citations)):
            resolution = self.unverified.get(index) or next(answers)
            if index in self.works and resolution.status is Status.DOCUMENT_ONLY:
                resolution.work = self.works[index]
            merged.append(resolution)
        return merged


def pending(citation: Citation) -> tuple[str, str] | None:
    """(key, value) of the identifier a citation prints alone, when it is
    one a registry other than a DOI agency must be asked about."""
    if citation.doi or not citation.extra.get("identifier_only"):
        return None
    return next(((key, citation.identifiers[key]) for key in KEYS if citation.identifiers.get(key)), None)


def identify(citations: list[Citation], registries: Registries) -> Identified:
    """Ask each registry, in batches, about the identifiers citations print alone."""
    result = Identified(list(citations))
    todo = {index: found for index, c in enumerate(citations) if (found := pending(c))}
    if not todo:
        return result
    answers, reasons = _ask(todo, registries)
    for index, (key, value) in todo.items():
        citation = citations[index]
        if (key, value) not in answers:
            result.unverified[index] = _unverified(citation, reasons[key])
        elif answers[(key, value)] is None:
            citation.extra["unregistered"] = f"{_registry(key, registries).registry} has no record of " \
                                             f"{citation.extra.get('identifier', value)}"
        else:
            work = answers[(key, value)]
            result.citations[index] = from_registry(citation, work)
            result.works[index] = work
    return result


def _ask(todo: dict[int, tuple[str, str]],
         registries: Registries) -> tuple[dict[tuple[str, str], Work | None], dict[str, str]]:
    """Every registry's answers by (key, value), and why each could not be asked."""
    wanted: dict[str, list[str]] = {}
    for key, value in todo.values():
        wanted.setdefault(key, []).append(value)
    answers: dict[tuple[str, str], Work | None] = {}
    pmcids = registries.pubmed.pmids_of(wanted.get("PMCID", []))
    pmids = wanted.get("PMID", []) + [r["pmid"] for r in pmcids.values() if r]
    by_pmid = registries.pubmed.works(pmids) if pmids else {}
    for pmcid, record in pmcids.items():
        if record is None or record["pmid"] in by_pmid:
            answers[("PMCID", pmcid)] = by_pmid.get(record["pmid"]) if record else None
    answers.update({("PMID", pmid): work for pmid, work in by_pmid.items()})
    for key, client in (("arXiv", registries.arxiv), ("ISBN", registries.isbn)):
        if wanted.get(key):
            answers.update({(key, value): work for value, work in client.works(wanted[key]).items()})
    reasons = {key: _registry(key, registries).unavailable_reason
               or registries.pubmed.idconv.unavailable_reason or "it did not answer" for key in wanted}
    return answers, reasons


def _registry(key: str, registries: Registries) -> Any:
    return {"arXiv": registries.arxiv, "ISBN": registries.isbn}.get(key, registries.pubmed)


def from_registry(citation: Citation, work: Work) -> Citation:
    """`citation` as the registry records the work its identifier names."""
    data = work.data
    extra = {k: v for k, v in citation.extra.items() if k != "identifier_only"}
    extra["identified_by"] = work.registry
    published = ((work.raw or {}).get("arxiv") or {}).get("doi")
    if published:  # arXiv knows the DOI of the published version
        extra["published_doi"] = published
    return Citation(
        raw=citation.raw, source=citation.source, kind=citation.kind, authors=work.authors,
        title=work.title, container=work.container, year=work.year,
        volume=str(data.get("volume") or ""), issue=str(data.get("issue") or ""),
        pages=str(data.get("page") or ""), publisher=str(data.get("publisher") or ""),
        doi=work.doi, url=str(data.get("URL") or ""),
        identifiers={**citation.identifiers, **{k: str(data[k]) for k in KEYS if data.get(k)}},
        csl_type=work.csl_type, notes=citation.notes, extra=extra)


def _unverified(citation: Citation, reason: str) -> Resolution:
    label = citation.extra.get("identifier", citation.raw)
    finding = Finding(codes.UNVERIFIED, f"{label} could not be looked up ({reason}); nothing is "
                      "known of this work but its identifier", source=citation.source,
                      printed=citation.raw, evidence={"reason": reason})
    return Resolution(citation, citation.to_work(), Status.UNVERIFIED, 0.0, [finding],
                      datetime.now(timezone.utc))

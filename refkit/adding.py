"""`refkit add`'s work: turn what a user types — a DOI in any form, a PMID,
PMCID, arXiv id, ISBN, or a free-text reference or title — into verified
bibliography entries.

Identifiers go through the same pipeline as an identifier list
(`refkit.readers.identifiers`): looked up in their registry, verified
against Crossref or DataCite. Free text is parsed like a reference-list
entry and searched in Crossref, and a match is accepted only by the
validation `refkit check` applies; otherwise the closest records are kept
as candidates for the user to choose from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from refkit import identifiers as ids
from refkit.errors import RefkitError
from refkit.model import Citation, Location, Resolution, Status, Work, WorkSource
from refkit.pipeline import Resolved, resolve_citations
from refkit.readers.identifiers import to_citation
from refkit.readers.reflist import citation_from_text
from refkit.resolving.resolver import search_query
from refkit.resolving.sources import open_source
from refkit.settings import Settings

COMMAND_LINE = "command line"
CANDIDATES = 5
_REGISTERED = (Status.DOI_VERIFIED, Status.DOI_CORRECTED, Status.FOUND_BY_SEARCH)


@dataclass
class Outcome:
    """What became of one argument: its resolution, and for free text that
    did not validate, the closest records found."""

    argument: str
    resolution: Resolution
    candidates: list[Work] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Whether a registry's record of the work was found and validated."""
        status, work = self.resolution.status, self.resolution.work
        return status in _REGISTERED or (status is Status.DOCUMENT_ONLY and work.source is WorkSource.REGISTRY)

    @property
    def unverified(self) -> bool:
        return self.resolution.status is Status.UNVERIFIED

    def why_not(self) -> str:
        """Why the argument gave no entry, in a line."""
        resolution = self.resolution
        if self.unverified:
            return next((f.message for f in resolution.findings if f.code.code == "RK501"),
                        "it could not be verified")
        if resolution.citation.extra.get("unregistered"):
            return resolution.citation.extra["unregistered"]
        problem = next((f for f in resolution.findings if f.severity.value == "error"), None)
        if problem is not None:
            return problem.message
        return "no registered work validates as this reference"


def citation_for(argument: str, number: int) -> Citation:
    """The Citation one argument stands for: an identifier printed alone, or a reference."""
    where = Location(COMMAND_LINE, label=str(number))
    identifier = ids.parse(argument)
    if identifier is not None:
        return to_citation(identifier, where)
    if not argument.strip():
        raise RefkitError("an empty argument is neither an identifier nor a reference")
    return citation_from_text(argument.strip(), where)


def resolve_arguments(arguments: Sequence[str], settings: Settings) -> tuple[list[Outcome], Resolved]:
    """Each argument resolved, with candidates for free text no record validated."""
    citations = [citation_for(argument, number) for number, argument in enumerate(arguments, start=1)]
    resolved = resolve_citations(citations, settings, progress=False)
    outcomes = [Outcome(argument, resolution) for argument, resolution in zip(arguments, resolved.resolutions)]
    unmatched = [o for o in outcomes if not o.accepted and not o.unverified
                 and not o.resolution.citation.extra.get("identifier_only")]
    if unmatched:
        _add_candidates(unmatched, settings)
    return outcomes, resolved


def _add_candidates(outcomes: list[Outcome], settings: Settings) -> None:
    """The closest Crossref records for free text that did not validate
    (the resolver's own search, usually answered from the cache)."""
    source = open_source(settings)
    try:
        for outcome in outcomes:
            query = search_query(outcome.resolution.citation)
            if not query:
                continue
            try:
                outcome.candidates = source.search(query, rows=CANDIDATES)
            except RefkitError:
                return
    finally:
        source.close()

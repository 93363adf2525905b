"""Entries of one list or file that print the same DOI (RK110 doi-shared).

A DOI names one work, so when two entries of one reference list or one
bibliography file print it, at most one of them can be right — unless the
same work is listed twice. This runs after resolution, when each entry's
printed DOI has been compared with the registered record: the entry whose
metadata matches the record owns the DOI; every other one gets RK110 with
the validated fix the resolver found for it (a correction or a search
match), or none when nothing validated. Nothing is joined or dropped: each
entry stays in the report and the exports under its own key.
"""

from __future__ import annotations

from collections import defaultdict

from refkit import codes
from refkit import doi as doilib
from refkit.model import CitationKind, Finding, Resolution, Status

# statuses under which the resolution's work is a validated record for the entry
_VALIDATED_ELSEWHERE = (Status.DOI_CORRECTED, Status.FOUND_BY_SEARCH)
# entries named in one finding: a file printing one DOI in thousands of entries
# made each finding name all the others (quadratic: gigabytes; found by the fuzz benchmark)
NAMED = 10


def flag_shared_dois(resolutions: list[Resolution]) -> None:
    """Add RK110 to the entries that share a printed DOI with another entry
    of the same file (see the module docstring)."""
    groups: dict[tuple[str, str], list[Resolution]] = defaultdict(list)
    for resolution in resolutions:
        citation = resolution.citation
        if citation.doi and citation.kind is not CitationKind.UNLISTED:
            groups[(citation.source.file, doilib.normalize(citation.doi))].append(resolution)
    for group in groups.values():
        if len(group) > 1:
            owners = [r for r in group if r.status is Status.DOI_VERIFIED]
            for resolution in group:
                if resolution not in owners or len(owners) > 1:
                    resolution.findings.append(_finding(resolution, group, owners))


def _finding(resolution: Resolution, group: list[Resolution], owners: list[Resolution]) -> Finding:
    citation = resolution.citation
    doi = citation.doi or ""
    others = [r for r in group[:NAMED + 1] if r is not resolution][:NAMED]  # not the whole group: see NAMED
    fix = _fix(resolution)
    if len(owners) > 1:
        message = (f"DOI {doi} is printed by {_names(group[:NAMED], len(group))}, and each matches its record: "
                   "the same work is listed more than once")
        fix = None
    elif owners:
        owner = owners[0]
        message = (f"DOI {doi} is also printed by {_name(owner)}, whose work it is "
                   f"(registered: {_clip(owner.work.title)}); "
                   + (f"this entry's validated DOI is {fix}" if fix else "no DOI validated for this entry"))
    else:
        reason = ("Crossref could not be asked which" if resolution.status is Status.UNVERIFIED
                  else "none of them matches its registered record")
        message = f"DOI {doi} is also printed by {_names(others, len(group) - 1)}: at most one can be right; {reason}"
    return Finding(codes.DOI_SHARED, message, source=citation.source, printed=doi,
                   registered=owners[0].work.title if len(owners) == 1 else None, fix=fix,
                   evidence={"doi": doi, "owner": _place(owners[0]) if len(owners) == 1 else None,
                             "entries": [_place(r) | {"status": r.status.value} for r in group[:NAMED]],
                             "sharing": len(group)})


def _fix(resolution: Resolution) -> str | None:
    """The DOI validated for this entry instead of the shared one, if any."""
    work_doi = resolution.work.doi
    if resolution.status in _VALIDATED_ELSEWHERE and work_doi:
        if doilib.normalize(work_doi) != doilib.normalize(resolution.citation.doi or ""):
            return work_doi
    return None


def _place(resolution: Resolution) -> dict[str, object]:
    source = resolution.citation.source
    return {"label": source.label, "line": source.line, "title": resolution.citation.title}


def _name(resolution: Resolution) -> str:
    source = resolution.citation.source
    where = f" (line {source.line})" if source.line else ""
    return f"entry {source.label or '?'}{where}"


def _names(named: list[Resolution], total: int) -> str:
    """The `named` entries, and how many more of `total` there are."""
    more = f" and {total - len(named)} more" if total > len(named) else ""
    return ", ".join(_name(r) for r in named) + more


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"

"""Provenance: where an entry's metadata came from, said where a user does
not trip over it.

Every entry gets a status tag (`refkit:verified`, `refkit:corrected`, …:
RIS `KW`, BibTeX `keywords`, CSL-JSON `custom.refkit`), which Zotero files as
a tag. A provenance *note* (a Zotero child note: RIS `N1`, a BibTeX note
field, a line of CSL `note`) is written only where refkit changed something
(a corrected DOI, a DOI found by search) or found something a user must act
on (a warning or error finding), with the evidence; a verified, unchanged
entry gets none. `--provenance notes` writes the note on every entry, and
`--provenance none` leaves provenance out altogether.

Every note starts with `PREFIX`, so refkit's readers can tell it apart from
a summary when they read refkit's own output back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from refkit import codes
from refkit.codes import Severity
from refkit.model import Resolution, Status, WorkSource

PREFIX = "[refkit]"
MODES = ("tags", "notes", "none")
DEFAULT_MODE = "tags"
TAG_PREFIX = "refkit:"
# the tag of each status; an orphan summary's placeholder entry is UNRESOLVED_TAG
STATUS_TAGS = {
    Status.DOI_VERIFIED: "refkit:verified",
    Status.DOI_CORRECTED: "refkit:corrected",
    Status.FOUND_BY_SEARCH: "refkit:found",
    Status.DOCUMENT_ONLY: "refkit:not-found",
    Status.UNVERIFIED: "refkit:unverified",
}
UNRESOLVED_TAG = "refkit:unresolved"
# statuses where refkit changed what the document printed
_CHANGED = (Status.DOI_CORRECTED, Status.FOUND_BY_SEARCH)


def check_mode(mode: str) -> str:
    """`mode` if it is one of MODES; a ValueError naming them otherwise."""
    if mode not in MODES:
        raise ValueError(f"unknown provenance mode {mode!r}; choose one of {', '.join(MODES)}")
    return mode


def tag(resolution: Resolution) -> str:
    """The Zotero tag that says how the entry was resolved."""
    return STATUS_TAGS[resolution.status]


def actionable(resolution: Resolution) -> list:
    """The findings a user should act on: warnings and errors, apart from
    'Crossref could not be asked' (RK501), which the status tag already says."""
    return [f for f in resolution.findings
            if f.severity.at_least(Severity.WARNING) and f.code is not codes.UNVERIFIED]


def needs_note(resolution: Resolution) -> bool:
    """Whether refkit changed or flagged something about this entry."""
    return resolution.status in _CHANGED or bool(actionable(resolution))


def note(resolution: Resolution, mode: str = DEFAULT_MODE) -> str:
    """The provenance note for one entry under `mode` ('' when none is due):
    the sentence of `describe`, then one line per finding to act on."""
    if mode == "none" or (mode == "tags" and not needs_note(resolution)):
        return ""
    lines = [describe(resolution)]
    for finding in actionable(resolution):
        fix = f" (fix: {finding.fix})" if finding.fix and finding.fix not in finding.message else ""
        lines.append(f"{finding.code.code} {finding.code.name}: {finding.message}{fix}")
    return "\n".join(lines)


def describe(resolution: Resolution) -> str:
    """The provenance sentence for one entry, e.g.
    "[refkit] Metadata verified against Crossref on 2024-05-01."."""
    status = resolution.status
    when = checked_on(resolution)
    on = f" on {when}" if when else ""
    registry = resolution.work.registry
    if status is Status.DOI_VERIFIED:
        text = (f"Metadata verified against {registry}{on}: "
                "the printed DOI matches the registered record.")
    elif status is Status.DOI_CORRECTED:
        printed = resolution.citation.doi or resolution.citation.doi_printed or "?"
        text = (f"Metadata from {registry}{on}. The printed DOI {printed} was wrong; "
                f"corrected to {resolution.work.doi}.")
    elif status is Status.FOUND_BY_SEARCH:
        text = (f"Metadata from {registry}{on}, found by searching (no usable DOI was printed); "
                f"match confidence {resolution.confidence:.2f}.")
    elif status is Status.DOCUMENT_ONLY and resolution.work.source is WorkSource.REGISTRY:
        text = (f"Metadata from {registry}{on} ({resolution.citation.extra.get('identifier', '')}); "
                "no DOI agency holds a matching record.")
    elif status is Status.DOCUMENT_ONLY:
        text = (f"Unverified: metadata as printed in {_origin(resolution)}; "
                f"{resolution.work.registry} had no matching record.")
    elif resolution.work.source is WorkSource.FILE:
        text = f"Unverified: metadata as given in {_origin(resolution)}; not checked against Crossref."
    else:
        text = f"Unverified: metadata as printed in {_origin(resolution)}; Crossref could not be asked."
    return f"{PREFIX} {text}"


def record(resolution: Resolution) -> dict[str, Any]:
    """The machine-readable provenance: status, date checked, DOI as printed."""
    out: dict[str, Any] = {"status": resolution.status.value}
    when = checked_on(resolution)
    if when:
        out["checked"] = when
    if resolution.work.service:
        out["service"] = resolution.work.service
    if resolution.work.snapshot:
        out["snapshot"] = resolution.work.snapshot
    if resolution.status is Status.DOI_CORRECTED:
        out["printed-doi"] = resolution.citation.doi_printed or resolution.citation.doi
    return out


def is_provenance(text: str) -> bool:
    """Whether a note is a provenance note refkit wrote, not a summary."""
    return text.lstrip().startswith(PREFIX)


def is_tag(keyword: str) -> bool:
    """Whether a keyword is one of refkit's own tags (replaced on every export)."""
    return keyword.strip().startswith(TAG_PREFIX)


def checked_on(resolution: Resolution) -> str:
    """The day the metadata was checked (ISO date), or '' when it was not.

    The record's own fetch date is preferred, so a re-run from the cache
    writes the same date (stable golden files)."""
    if resolution.status in (Status.DOCUMENT_ONLY, Status.UNVERIFIED):
        stamp: datetime | None = resolution.checked_at if resolution.status is Status.DOCUMENT_ONLY else None
    else:
        stamp = resolution.work.fetched or resolution.checked_at
    return stamp.date().isoformat() if stamp else ""


def _origin(resolution: Resolution) -> str:
    source = resolution.citation.source
    where = str(source)
    return f"{where} ({source.label})" if source.label else where

"""Provenance: one plain sentence per entry saying where its metadata came
from, written where each client keeps it without touching mapped fields.

- BibTeX: a `comment` field (Zotero makes it a child note of its own; BibTeX
  and biblatex styles never print it) and a machine-readable
  `refkit-status` field (kept by biber/JabRef, dropped by Zotero).
- RIS: its own `N1` (a separate Zotero child note).
- CSL-JSON: `custom.refkit` (a schema-valid, non-mapped key) and the last line
  of `note` (Zotero's Extra), written so Zotero cannot mistake it for a field.

Every sentence starts with `PREFIX`, so refkit's readers can tell it apart
from a summary when they read refkit's own output back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from refkit.model import Resolution, Status, WorkSource

PREFIX = "[refkit]"


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
    elif status is Status.DOCUMENT_ONLY:
        text = f"Unverified: metadata as printed in {_origin(resolution)}; Crossref had no matching record."
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
    if resolution.status is Status.DOI_CORRECTED:
        out["printed-doi"] = resolution.citation.doi_printed or resolution.citation.doi
    return out


def is_provenance(text: str) -> bool:
    """Whether a note is a provenance sentence refkit wrote, not a summary."""
    return text.lstrip().startswith(PREFIX)


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

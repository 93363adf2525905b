"""Write validated DOI fixes back to a Zotero library.

Only findings that carry a validated `fix` qualify (RK103 doi-corrected,
RK104 doi-other-work, RK105 doi-is-component, RK106 doi-missing-found).
Only the DOI changes: the DOI field, or the "DOI: …" line of Extra for item
types without a DOI field. Each change is sent with the item's version
(If-Unmodified-Since-Version), so an item edited since it was read is
reported and skipped, never overwritten; each changed item gets a child
note saying what refkit changed and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from refkit import codes
from refkit.model import Finding, Resolution
from refkit.zotero.http import PreconditionFailed, ZoteroError
from refkit.zotero.items import item_doi, keyed, note_item
from refkit.zotero.webapi import WebAPI

FIX_CODES = (codes.DOI_CORRECTED, codes.DOI_OTHER_WORK, codes.DOI_IS_COMPONENT,
             codes.DOI_MISSING_FOUND)
_EXTRA_DOI_LINE = re.compile(r"^(\s*DOI:\s*)\S.*$", re.IGNORECASE | re.MULTILINE)


@dataclass
class DoiFix:
    """One DOI change for one item: from `old` to `new`, why, and where it lives."""

    key: str
    version: int
    title: str
    old: str
    new: str
    finding: Finding
    changes: dict[str, Any]


@dataclass
class ApplyOutcome:
    """What happened to each fix."""

    applied: list[DoiFix] = field(default_factory=list)
    conflicts: list[DoiFix] = field(default_factory=list)  # changed in Zotero since read
    failed: list[tuple[DoiFix, str]] = field(default_factory=list)
    notes_created: int = 0


def plan_fixes(resolutions: list[Resolution], items: dict[str, dict[str, Any]]) -> list[DoiFix]:
    """The DOI fixes the findings validate, for items read from the library (key -> object)."""
    fixes = []
    for resolution in resolutions:
        key = resolution.citation.source.label
        finding = next((f for f in resolution.findings if f.code in FIX_CODES and f.fix), None)
        if finding is None or key not in items:
            continue
        obj = items[key]
        where, old = item_doi(obj["data"])
        if old.lower() == finding.fix.lower():
            continue
        fixes.append(DoiFix(key, int(obj["version"]), obj["data"].get("title", ""), old,
                            finding.fix, finding, _changes(obj["data"], where, finding.fix)))
    return fixes


def render_diff(fixes: list[DoiFix]) -> str:
    """A unified-diff-like view of every change, one hunk per item."""
    hunks = []
    for fix in fixes:
        field_name = "DOI" if "DOI" in fix.changes else "extra DOI"
        hunk = [f"--- zotero:{fix.key} (version {fix.version}) {fix.title[:70]}",
                f"+++ zotero:{fix.key} ({fix.finding.code.code} {fix.finding.code.name})"]
        if fix.old:
            hunk.append(f"-{field_name}: {fix.old}")
        hunk.append(f"+{field_name}: {fix.new}")
        hunks.append("\n".join(hunk))
    return "\n".join(hunks)


def apply_fixes(api: WebAPI, fixes: list[DoiFix], today: date | None = None) -> ApplyOutcome:
    """Send each fix with its version check, then a child note per changed item."""
    outcome = ApplyOutcome()
    for fix in fixes:
        try:
            api.patch(fix.key, fix.version, fix.changes)
        except PreconditionFailed:
            outcome.conflicts.append(fix)
        except ZoteroError as exc:
            outcome.failed.append((fix, str(exc)))
        else:
            outcome.applied.append(fix)
    day = (today or date.today()).isoformat()
    notes = [keyed(note_item(_note_text(fix, day), fix.key)) for fix in outcome.applied]
    if notes:
        outcome.notes_created = len(api.create("items", notes).created)
    return outcome


def _changes(data: dict[str, Any], where: str, new: str) -> dict[str, Any]:
    """The one-field change that sets the DOI: the DOI field when the type has
    one, else the "DOI: …" line of Extra (replaced, or added at the end)."""
    if where == "DOI" or (where == "" and "DOI" in data):
        return {"DOI": new}
    extra = str(data.get("extra") or "")
    if where == "extra":
        return {"extra": _EXTRA_DOI_LINE.sub(lambda m: m.group(1) + new, extra, count=1)}
    return {"extra": f"{extra}\nDOI: {new}" if extra else f"DOI: {new}"}


def _note_text(fix: DoiFix, day: str) -> str:
    before = fix.old or "(none)"
    return (f"refkit changed the DOI on {day}: {before} → {fix.new}\n\n"
            f"{fix.finding.code.code} {fix.finding.code.name}: {fix.finding.message}")

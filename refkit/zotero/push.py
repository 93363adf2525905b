"""Push resolved references into a Zotero library: one item per work, its
summaries as child notes (one each), a status tag, a provenance note only
where refkit changed or flagged something (`--provenance`), all filed in one
collection (created if missing); a summary no reference took becomes a
standalone note in the collection, tagged refkit:unresolved.

Works already in the library (same DOI; or, without a DOI, same title and
year) are skipped unless duplicates are asked for. Parents and their notes go
in the same stream of ≤50-object write requests, children after their parent
(they carry client-made keys), so 148 references take 3 write requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from refkit.doi import normalize
from refkit.model import Note, Resolution
from refkit.refparse import year_in
from refkit.writers import provenance
from refkit.writers.entry import distinct, orphan_note, orphan_resolution
from refkit.zotero.items import (
    fit_to_template,
    item_doi,
    keyed,
    note_item,
    standalone_note,
    to_item,
)
from refkit.zotero.webapi import MAX_WRITE, WebAPI


@dataclass
class PlannedItem:
    """One item to create: the resolution it comes from, its JSON, its notes."""

    resolution: Resolution
    item: dict[str, Any]
    notes: list[dict[str, Any]]

    @property
    def title(self) -> str:
        return str(self.item.get("title", ""))


@dataclass
class PushOutcome:
    """What a push did (or, on a dry run, would do)."""

    collection: str
    collection_created: bool = False
    planned: list[PlannedItem] = field(default_factory=list)
    standalone: list[dict[str, Any]] = field(default_factory=list)  # the orphan summaries' notes
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (title, existing item key)
    created_items: list[str] = field(default_factory=list)
    created_notes: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (title, reason)
    write_requests: int = 0


def library_index(objects: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Match keys ("doi:…" and "title:…|year") of a library's items -> item key."""
    index: dict[str, str] = {}
    for obj in objects:
        data = obj.get("data", {})
        _, doi = item_doi(data)
        for match in _match_keys(doi, data.get("title", ""), year_in(str(data.get("date") or ""))):
            index.setdefault(match, obj["key"])
    return index


def plan(resolutions: list[Resolution], index: dict[str, str], duplicates: bool,
         collection_key: str | None, provenance_mode: str = provenance.DEFAULT_MODE,
         orphans: Iterable[Note] = ()) -> PushOutcome:
    """Which resolutions become items (with notes), which are skipped as
    already present, and the standalone notes of the orphan summaries."""
    provenance.check_mode(provenance_mode)
    outcome = PushOutcome(collection="")
    seen = dict(index)
    for resolution in resolutions:
        item = keyed(to_item(resolution, collection_key, provenance_mode))
        matches = list(_match_keys(resolution.work.doi or "", item["title"],
                                   year_in(str(item.get("date") or ""))))
        existing = next((seen[m] for m in matches if m in seen), None)
        if existing and not duplicates:
            outcome.skipped.append((item["title"], existing))
            continue
        key = item["key"]
        texts = distinct(resolution.notes) + [provenance.note(resolution, provenance_mode)]
        notes = [keyed(note_item(text, key)) for text in texts if text]
        outcome.planned.append(PlannedItem(resolution, item, notes))
        for m in matches:
            seen.setdefault(m, key)
    outcome.standalone = [keyed(orphan_item(note, collection_key, provenance_mode)) for note in orphans]
    return outcome


def orphan_item(note: Note, collection_key: str | None, provenance_mode: str) -> dict[str, Any]:
    """The standalone note of an orphan summary: its text, then (unless
    provenance is off) what refkit did with it, tagged refkit:unresolved."""
    if provenance_mode == "none":
        return standalone_note(note.text, collection_key, [])
    text = note.text.rstrip() + "\n\n" + orphan_note(orphan_resolution(note))
    return standalone_note(text, collection_key, [provenance.UNRESOLVED_TAG])


def push(api: WebAPI, resolutions: list[Resolution], collection: str, *,
         duplicates: bool = False, dry_run: bool = False, provenance_mode: str = provenance.DEFAULT_MODE,
         orphans: Iterable[Note] = ()) -> PushOutcome:
    """Create items and child notes for `resolutions` in `collection` of the
    library, and a standalone note for each orphan summary."""
    if dry_run:  # "created" then means "would be created"
        collection_key = api.find_collection(collection)
        created = collection_key is None
    else:
        collection_key, created = api.ensure_collection(collection)
    index = {} if duplicates else library_index(api.items())
    outcome = plan(resolutions, index, duplicates, collection_key, provenance_mode, orphans)
    outcome.collection, outcome.collection_created = collection, created
    for planned in outcome.planned:
        planned.item = fit_to_template(planned.item, api.template(planned.item["itemType"]))
    if not dry_run:
        _write(api, outcome)
    return outcome


def _write(api: WebAPI, outcome: PushOutcome) -> None:
    """Send parents and notes in ≤50-object batches, dropping notes whose parent failed."""
    titles = {p.item["key"]: p.title for p in outcome.planned}
    failed_parents: set[str] = set()
    for batch in _batches(outcome, failed_parents):
        result = api.write_batch("items", batch)
        outcome.write_requests += result.requests
        for obj in batch:
            key = obj["key"]
            is_note = obj["itemType"] == "note"
            if key in result.created:
                (outcome.created_notes if is_note else outcome.created_items).append(key)
            else:
                reason = result.failed.get(key, "not created")
                if not is_note:
                    failed_parents.add(key)
                label = titles.get(obj.get("parentItem", key), key)
                if is_note and "parentItem" not in obj:
                    label = f"orphan summary note {key}"
                elif is_note:
                    label = f"note of {label}"
                outcome.failed.append((label, reason))


def _batches(outcome: PushOutcome, failed_parents: set[str]) -> Iterator[list[dict[str, Any]]]:
    """Parents each followed by their notes, then the standalone notes, cut
    into batches of ≤50; a note whose parent failed in an earlier batch is
    left out (it would fail too)."""
    objects = [obj for p in outcome.planned for obj in (p.item, *p.notes)] + outcome.standalone
    batch: list[dict[str, Any]] = []
    for obj in objects:
        if obj.get("parentItem") in failed_parents:
            continue
        batch.append(obj)
        if len(batch) == MAX_WRITE:
            yield batch
            batch = []
    if batch:
        yield batch


def _match_keys(doi: str, title: str, year: int | None) -> Iterator[str]:
    if doi:
        yield "doi:" + normalize(doi)
    elif title:
        yield "title:" + re.sub(r"\W+", " ", title.lower()).strip() + f"|{year or ''}"

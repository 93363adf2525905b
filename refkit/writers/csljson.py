"""CSL-JSON writer: resolutions -> a JSON array valid against the official
CSL-JSON schema (csl-data.json), which pandoc, citeproc and Zotero read.

Summaries go in `note`, which Zotero files under Extra (CSL-JSON has no child
notes). Zotero desktop moves any Extra line shaped like `Key: value` (regex
`^[a-z][a-z -_]+:`) into the field of that name — `Type: book` would even
change the item type. So `note` is laid out so that no line starts with a
letter: each summary starts with BULLET ("• "), a summary's further
paragraphs start with two spaces, and the provenance note (only where one is
due, see refkit.writers.provenance) is one line starting with "[refkit]".
`split_note` reads that layout back. Zotero files all of it under Extra, not
as child notes: import RIS or BibTeX for notes.
The status is stored machine-readably in `custom.refkit`, the schema's place
for data that has no CSL variable; a journal abbreviation is written both as
`container-title-short` (CSL) and `journalAbbreviation` (what Zotero reads).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from refkit.csl import CSL_TYPES, csl_type
from refkit.model import Note, Resolution
from refkit.writers import citekeys
from refkit.writers import provenance as provenance_notes
from refkit.writers.entry import ExportEntry, prepare
from refkit.writers.provenance import DEFAULT_MODE

BULLET = "• "
CONTINUATION = "  "

# The item properties of CSL-JSON 1.0.2; the schema allows no others.
CSL_ITEM_KEYS = frozenset("""
DOI ISBN ISSN PMCID PMID URL abstract accessed annote archive archive-place archive_collection
archive_location author authority available-date call-number categories chair chapter-number
citation-key citation-label citation-number collection-editor collection-number collection-title
compiler composer container-author container-title container-title-short contributor curator
custom dimensions director division edition editor editorial-director event event-date
event-place event-title executive-producer first-reference-note-number genre guest host id
illustrator interviewer issue issued journalAbbreviation jurisdiction keyword language locator
medium narrator note number number-of-pages number-of-volumes organizer original-author
original-date original-publisher original-publisher-place original-title page page-first part
part-title performer printing producer publisher publisher-place recipient references
reviewed-author reviewed-genre reviewed-title scale script-writer section series-creator
shortTitle source status submitted supplement title title-short translator type version volume
volume-title volume-title-short year-suffix
""".split())
NAME_KEYS = frozenset({"family", "given", "dropping-particle", "non-dropping-particle", "suffix",
                       "comma-suffix", "static-ordering", "literal", "parse-names"})
DATE_KEYS = frozenset({"date-parts", "season", "circa", "literal", "raw"})
_FIRST_KEYS = ("id", "type", "citation-key")


def write(resolutions: Sequence[Resolution], *, key_pattern: str = citekeys.DEFAULT_PATTERN,
          provenance: str = DEFAULT_MODE, orphans: Sequence[Note] = ()) -> str:
    """The CSL-JSON text (an array, one item per resolution, in their order,
    then one per orphan summary)."""
    items = [to_csl(entry) for entry in prepare(resolutions, key_pattern, provenance, orphans)]
    return dump(items)


def stream(batches: Iterable[Sequence[ExportEntry]]) -> Iterator[str]:
    """The CSL-JSON text of prepared entries batch by batch: joined, the text
    of them all (one array, laid out as `dump` lays it out)."""
    first = True
    for entries in batches:
        if entries:
            inner = dump([to_csl(entry) for entry in entries])[len("[\n"):-len("\n]\n")]
            yield ("[\n" if first else ",\n") + inner
            first = False
    yield "[]\n" if first else "\n]\n"


def dump(items: list[dict[str, Any]]) -> str:
    """Items as stable, readable JSON: id, type, citation-key first, the rest sorted."""
    ordered = [{k: item[k] for k in _FIRST_KEYS if k in item}
               | {k: item[k] for k in sorted(item) if k not in _FIRST_KEYS} for item in items]
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


def to_csl(entry: ExportEntry) -> dict[str, Any]:
    """One export entry as a schema-valid CSL item."""
    item = {key: _clean_value(key, value) for key, value in entry.item.items()
            if key in CSL_ITEM_KEYS and key not in ("note", "custom")}
    item = {key: value for key, value in item.items() if value not in (None, "", [], {})}
    given_type = str(entry.item.get("type") or "")
    item["type"] = given_type if given_type in CSL_TYPES else csl_type(given_type)
    abbreviation = item.get("container-title-short") or item.get("journalAbbreviation")
    if abbreviation:
        item["container-title-short"] = item["journalAbbreviation"] = abbreviation
    note = note_text(entry.summaries, entry.provenance)
    if note:
        item["note"] = note
    if entry.provenance_record:
        item["custom"] = {"refkit": entry.provenance_record}
    return item


def note_text(summaries: Sequence[str], provenance: str = "") -> str:
    """Summaries (and the provenance line) laid out for CSL `note` so that no
    line can be taken for a Zotero `Key: value` field line."""
    lines = []
    for summary in summaries:
        paragraphs = [p.strip() for p in summary.split("\n\n") if p.strip()]
        lines.extend(BULLET + p if i == 0 else CONTINUATION + p for i, p in enumerate(paragraphs))
    if provenance:
        lines.append(" ".join(line.strip() for line in provenance.splitlines()))
    return "\n".join(lines)


def split_note(note: str) -> list[str]:
    """The summaries in a CSL `note`: refkit's own layout is undone (bullets,
    continuation paragraphs, provenance line dropped); any other note is one
    summary as it stands."""
    lines = [line for line in note.splitlines() if not provenance_notes.is_provenance(line)]
    if not any(line.startswith(BULLET) for line in lines):
        text = "\n".join(lines).strip()
        return [text] if text else []
    summaries: list[list[str]] = []
    for line in lines:
        if line.startswith(BULLET) or not summaries:
            summaries.append([line.removeprefix(BULLET).strip()])
        elif line.strip():
            summaries[-1].append(line.strip())
    return ["\n\n".join(p for p in paragraphs if p) for paragraphs in summaries if any(paragraphs)]


def _clean_value(key: str, value: Any) -> Any:
    """A value reduced to what the schema allows for its kind of variable."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [{k: v for k, v in name.items() if k in NAME_KEYS and v not in (None, "")}
                for name in value]
    if isinstance(value, dict) and key != "custom":
        return {k: v for k, v in value.items() if k in DATE_KEYS}
    if isinstance(value, (list, tuple)) and key != "categories":
        return ", ".join(map(str, value))
    return value

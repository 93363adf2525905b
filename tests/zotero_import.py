"""What Zotero's own import translators make of refkit's files, for tests.

A model, not Zotero: the field mappings of RIS.js, BibTeX.js and
"CSL JSON.js" as ../shared/design/ZOTERO-IMPORT.md records them (observed
with translation-server and read from the translators' source), applied to
files parsed by independent readers (rispy, bibtexparser). Each importer
gives a list of items: {"title", "journalAbbreviation", "publicationTitle",
"DOI", "tags": [...], "notes": [...], "extra"}.
"""

from __future__ import annotations

import json
import re

import bibtexparser
import rispy

from refkit.readers.bibtex import latex_to_text

# BibTeX.js: each of these fields becomes one child note (note only when it
# does not start with an identifier label, which goes to Extra instead)
BIBTEX_NOTE_FIELDS = ("note", "annote", "comment", "review", "notes")
_EXTRA_ID_PREFIXES = ("PMID", "PMCID", "LCCN", "MR", "Zbl")
# BibTeX.js: entry types it knows; any other entry is dropped silently
BIBTEX_TYPES = {"article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings",
                "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport",
                "unpublished", "online", "thesis", "report", "patent", "letter", "software"}
_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")


def from_ris(text: str) -> list[dict]:
    """RIS.js: one note per N1, KW one tag each, J2/JO the abbreviation, T2 the journal."""
    items = []
    for record in rispy.loads(text):
        title = record.get("title", "")
        items.append({
            "type": record.get("type_of_reference"),
            "title": title,
            "publicationTitle": record.get("secondary_title", ""),
            "journalAbbreviation": record.get("alternate_title1") or record.get("journal_name", ""),
            "DOI": record.get("doi", ""),
            "tags": list(record.get("keywords", [])),
            "notes": [n for n in record.get("notes", []) if n != title],  # an N1 equal to the title is dropped
        })
    return items


def from_bibtex(text: str) -> list[dict]:
    """BibTeX.js: a note field each, keywords split at , and ;, shortjournal
    the abbreviation, whitespace in values collapsed; unknown types dropped."""
    items = []
    for entry in bibtexparser.parse_string(text).entries:
        if entry.entry_type.lower() not in BIBTEX_TYPES:
            continue
        fields = {f.key.lower(): " ".join(latex_to_text(f.value).split()) for f in entry.fields}
        notes, extra = [], []
        for f in entry.fields:
            name, value = f.key.lower(), " ".join(latex_to_text(f.value).split())
            if name in BIBTEX_NOTE_FIELDS and value:
                (extra if name == "note" and value.startswith(_EXTRA_ID_PREFIXES) else notes).append(value)
        items.append({
            "type": entry.entry_type.lower(),
            "title": fields.get("title", ""),
            "publicationTitle": fields.get("journal") or fields.get("journaltitle", ""),
            "journalAbbreviation": fields.get("shortjournal", ""),
            "DOI": fields.get("doi", ""),
            "tags": [t for t in _KEYWORD_SPLIT.split(fields.get("keywords", "")) if t],
            "notes": notes,
            "extra": "\n".join(extra),
        })
    return items


def from_csljson(text: str) -> list[dict]:
    """CSL JSON.js: note goes to Extra (no child notes), journalAbbreviation
    the abbreviation, no tags."""
    return [{
        "type": item["type"],
        "title": item.get("title", ""),
        "publicationTitle": item.get("container-title", ""),
        "journalAbbreviation": item.get("journalAbbreviation", ""),
        "DOI": item.get("DOI", ""),
        "tags": [],
        "notes": [],
        "extra": item.get("note", ""),
    } for item in json.loads(text)]

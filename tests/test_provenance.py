"""Provenance without noise, one summary one note, and nothing the user wrote
lost — across the three writers, each read back by an independent reader
(pybtex, rispy, json) as Zotero's importers would see it (ZOTERO-IMPORT.md)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import rispy
from pybtex.database.input.bibtex import Parser

from refkit import codes
from refkit.model import Citation, Finding, Location, Note, Resolution, Status, Work, WorkSource, squash
from refkit.readers.bibtex import latex_to_text
from refkit.writers import bibtex, csljson, ris, write

FETCHED = datetime(2024, 5, 1, 12, 0)
WHERE = Location("page.txt", 12, label="4")


def resolution(title: str, status: Status, notes=(), findings=()) -> Resolution:
    """A resolution built by hand (synthetic data, as a resolver would give it)."""
    item = {"type": "article-journal", "title": title, "author": [{"family": "Rao", "given": "S"}],
            "container-title": "Australasian Psychiatry", "container-title-short": "Australas Psychiatry",
            "issued": {"date-parts": [[2019]]}, "DOI": "10.1177/1039856219878643"}
    citation = Citation(raw="raw", source=WHERE, notes=[Note(n, WHERE) for n in notes],
                        doi="10.1177/103985621987864", doi_printed="10.1177/103985621987864")
    return Resolution(citation, Work(item, source=WorkSource.CROSSREF, fetched=FETCHED), status,
                      confidence=0.9, findings=list(findings))


VERIFIED = resolution("Verified work", Status.DOI_VERIFIED, ["Its summary."])
CORRECTED = resolution("Corrected work", Status.DOI_CORRECTED, [],
                       [Finding(codes.DOI_CORRECTED, "printed DOI 10.1177/103985621987864 is not registered",
                                fix="10.1177/1039856219878643")])
FLAGGED = resolution("Flagged work", Status.DOI_VERIFIED, [],
                     [Finding(codes.AUTHOR_DIFFERS, "misspelt: Roa (registered: Rao)")])
ORPHAN = Note("Measured endogenous opioid levels directly in cerebrospinal fluid of patients with "
              "histories of self-injury.\n\nA second paragraph.", WHERE)


def ris_records(mode: str = "tags") -> list[dict]:
    return rispy.loads(ris.write([VERIFIED, CORRECTED, FLAGGED], provenance=mode, orphans=[ORPHAN]))


def bib_entries(mode: str = "tags") -> list:
    text = bibtex.write([VERIFIED, CORRECTED, FLAGGED], provenance=mode, orphans=[ORPHAN])
    return list(Parser().parse_string(text).entries.values())


def bib_notes(entry) -> list[str]:
    return [latex_to_text(entry.fields[name]) for name in bibtex.NOTE_FIELDS if name in entry.fields]


def test_tags_mode_tags_every_entry_and_notes_only_what_changed_or_needs_action():
    verified, corrected, flagged, orphan = ris_records()
    assert verified["keywords"] == ["refkit:verified"] and verified["notes"] == ["Its summary."]
    assert corrected["keywords"] == ["refkit:corrected"]
    [note] = corrected["notes"]
    assert note.startswith("[refkit] Metadata from Crossref on 2024-05-01. The printed DOI")
    assert "RK103 doi-corrected" in note and "10.1177/1039856219878643" in note
    assert flagged["keywords"] == ["refkit:verified"]
    assert "RK201 author-differs: misspelt: Roa (registered: Rao)" in flagged["notes"][0]
    assert orphan["keywords"] == ["refkit:unresolved"]


def test_notes_mode_gives_every_entry_its_note_and_none_mode_nothing():
    assert ris_records("notes")[0]["notes"][1].startswith("[refkit] Metadata verified against Crossref")
    for record in ris_records("none"):
        assert "keywords" not in record
        assert not any(n.startswith("[refkit]") for n in record.get("notes", []))
    for entry in bib_entries("none"):
        assert "keywords" not in entry.fields and "refkit-status" not in entry.fields
    items = json.loads(csljson.write([CORRECTED], provenance="none"))
    assert "custom" not in items[0] and "note" not in items[0]


def test_unknown_provenance_mode_is_refused():
    with pytest.raises(ValueError, match="tags, notes, none"):
        write("ris", [VERIFIED], provenance="loud")


def test_bibtex_tags_and_notes_read_back():
    verified, corrected, flagged, orphan = bib_entries()
    assert verified.fields["keywords"] == "refkit:verified" and bib_notes(verified) == ["Its summary."]
    assert corrected.fields["keywords"] == "refkit:corrected"
    assert bib_notes(corrected)[0].startswith("[refkit] Metadata from Crossref")
    assert orphan.type == "unpublished" and orphan.fields["keywords"] == "refkit:unresolved"


def test_summaries_equal_but_for_quotes_dashes_and_spaces_are_one_note():
    twice = resolution("Work", Status.DOI_VERIFIED, [
        "Buprenorphine’s effect — “strong”  here.", "Buprenorphine's effect - \"strong\" here.",
        "A different summary."])
    [record] = rispy.loads(ris.write([twice]))
    assert record["notes"] == ["Buprenorphine’s effect — “strong” here.", "A different summary."]


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_the_orphan_summary_is_in_every_format_as_an_unresolved_manuscript(fmt):
    text = write(fmt, [VERIFIED], orphans=[ORPHAN])
    title = "Measured endogenous opioid levels directly in cerebrospinal fluid of patients…"
    if fmt == "bibtex":
        entry = list(Parser().parse_string(text).entries.values())[-1]
        assert entry.type == "unpublished" and latex_to_text(entry.fields["title"]) == title
        notes = bib_notes(entry)
        assert notes[0] == squash(ORPHAN.text) and "Unresolved (RK401)" in notes[1] and "page.txt:line 12" in notes[1]
    elif fmt == "ris":
        record = rispy.loads(text)[-1]
        assert record["type_of_reference"] == "MANSCPT" and record["title"] == title
        assert record["notes"][0] == "<p>Measured endogenous opioid levels directly in cerebrospinal fluid of " \
            "patients with histories of self-injury.</p><p>A second paragraph.</p>"
    else:
        item = json.loads(text)[-1]
        assert item["type"] == "manuscript" and item["title"] == title
        assert item["note"].startswith("• Measured endogenous") and item["custom"]["refkit"]["status"] == "unresolved"


def test_csljson_abbreviation_in_both_variables_zotero_and_citeproc_read():
    [item] = json.loads(csljson.write([VERIFIED]))
    assert item["journalAbbreviation"] == item["container-title-short"] == "Australas Psychiatry"
    assert item["container-title"] == "Australasian Psychiatry"


def test_bibtex_shortjournal_and_ris_j2_hold_the_abbreviation():
    entry = bib_entries()[0]
    assert entry.fields["journal"] == "Australasian Psychiatry" and entry.fields["shortjournal"] == "Australas Psychiatry"
    assert ris_records()[0]["alternate_title1"] == "Australas Psychiatry"


def test_refkit_tags_from_an_earlier_export_are_replaced_not_kept():
    again = resolution("Work", Status.DOI_VERIFIED)
    again.work.data["keyword"] = "ketamine, refkit:unverified"
    [record] = rispy.loads(ris.write([again]))
    assert record["keywords"] == ["ketamine", "refkit:verified"]

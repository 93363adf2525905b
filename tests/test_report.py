"""The findings report (refkit.report): filtering, exit codes, and the three
renderings, with JSON checked against the published schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from refkit import codes
from refkit.model import Citation, Finding, Location, Name, Resolution, Status, Work
from refkit.report import SCHEMA_PATH, Report, code_selector

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def resolution(label: str, status: Status, *found: Finding, doi: str = "10.1000/x") -> Resolution:
    citation = Citation(raw=f"reference {label}", source=Location("paper.txt", line=int(label), label=label),
                        doi=doi, title=f"Title {label}")
    for f in found:
        f.source = citation.source
    return Resolution(citation, Work({"DOI": doi, "title": f"Title {label}"}), status, 0.9, list(found))


def sample() -> Report:
    corrected = resolution("1", Status.DOI_CORRECTED, Finding(
        codes.DOI_CORRECTED, "printed DOI 10.1000/y is not registered", printed="10.1000/y",
        fix="10.1000/x", evidence={"relation": "transposition", "match": {"title": 0.98}}))
    misspelt = resolution("2", Status.DOI_VERIFIED, Finding(codes.AUTHOR_DIFFERS, "misspelt: Murrugh",
                                                            printed="Murrugh", registered="Murrough"))
    missing = resolution("3", Status.DOCUMENT_ONLY, Finding(codes.DOI_MISSING, "no DOI printed"), doi="")
    clean = resolution("4", Status.DOI_VERIFIED)
    orphan = Finding(codes.NOTE_ORPHANED, "summary kept as an orphan note", source=Location("page.txt", line=7))
    return Report([corrected, misspelt, missing, clean], [orphan], crossref_stats={"requests": 3})


def test_json_follows_the_published_schema_and_keeps_evidence():
    data = json.loads(sample().render_json())
    jsonschema.validate(data, SCHEMA)
    first = data["citations"][0]
    assert first["printed_doi"] == "10.1000/x" and first["status"] == "doi-corrected"
    assert first["findings"][0]["fix"] == "10.1000/x"
    assert first["findings"][0]["evidence"]["relation"] == "transposition"
    assert data["citations"][2]["resolved_doi"] is None
    assert data["summary"]["references"] == 4 and data["summary"]["corrected"] == 1
    assert data["document_findings"][0]["code"] == "RK401"
    assert data["crossref"] == {"requests": 3}


def test_the_table_fits_a_100_column_terminal_and_ends_with_the_summary():
    text = sample().render_text()
    assert all(len(line) <= 100 for line in text.splitlines())
    assert "RK103" in text and "[fix: 10.1000/x]" in text
    summary = " ".join(line.strip() for line in text.splitlines()[-2:])
    assert summary == ("4 references: 2 verified, 1 corrected, 0 found, 1 missing, "
                       "0 unverified; findings: 1 error, 2 warning, 1 info")


def test_the_unverified_references_of_a_file_fold_into_one_row():
    unverified = [resolution(str(n), Status.UNVERIFIED, Finding(codes.UNVERIFIED, "Crossref could not be asked"))
                  for n in range(1, 6)]
    text = Report(unverified).render_text()
    rows = [line for line in text.splitlines() if "RK501" in line]
    assert rows == ["  5 refs      RK501  warning  5 references: Crossref could not be asked"]
    assert "5 unverified" in text


def test_github_annotations_name_file_line_and_escape_text():
    report = sample()
    report.entries[0].finding.message = "two\nlines, 100%"
    lines = report.render_github().splitlines()
    assert lines[0] == ("::error file=paper.txt,line=1,title=RK103 doi-corrected::“Title 1”: two%0Alines, 100%25 "
                        "(fix: 10.1000/x)")
    assert lines[-1].startswith("::notice title=refkit::4 references")


@pytest.mark.parametrize(("select", "ignore", "expected"), [
    ((), (), ["RK103", "RK201", "RK107", "RK401"]),
    (("RK1",), (), ["RK103", "RK107"]),
    (("author-differs,RK4",), (), ["RK201", "RK401"]),
    ((), ("RK107", "note-orphaned"), ["RK103", "RK201"]),
])
def test_select_and_ignore_take_codes_names_and_prefixes(select, ignore, expected):
    report = sample()
    filtered = Report(report.resolutions, [e.finding for e in report.entries if e.resolution is None],
                      select=select, ignore=ignore)
    assert [f.code.code for f in filtered.findings] == expected


def test_unknown_codes_are_refused():
    with pytest.raises(ValueError, match="RK999"):
        code_selector(["RK999"])


def test_exit_codes():
    report = sample()
    assert report.exit_code("error") == 1
    only_info = Report(report.resolutions, select=["RK107"])
    assert only_info.exit_code("error") == 0 and only_info.exit_code("info") == 1
    unverified = resolution("5", Status.UNVERIFIED, Finding(codes.UNVERIFIED, "Crossref could not be asked"))
    assert Report([unverified]).exit_code("error") == 3
    assert Report([unverified]).exit_code("warning") == 3  # RK501 itself is not "worse"
    assert Report([unverified, *report.resolutions[:2]]).exit_code("warning") == 1
    assert Report([report.resolutions[3]]).exit_code("info") == 0


def test_a_readers_rk101_is_not_repeated_when_the_resolver_raised_it_too():
    mine = resolution("1", Status.DOCUMENT_ONLY, Finding(codes.DOI_MALFORMED, "bad", printed="10.1000 /x"))
    readers = Finding(codes.DOI_MALFORMED, "bad DOI", source=Location("paper.txt", line=1), printed="10.1000 /x")
    other = Finding(codes.DOI_MALFORMED, "bad DOI", source=Location("paper.txt", line=9), printed="doi: 1O.x")
    assert [f.printed for f in Report([mine], [readers, other]).findings] == ["10.1000 /x", "doi: 1O.x"]


def test_a_readers_rk402_gives_way_to_the_resolvers_with_its_candidate():
    source = Location("essay.txt", line=54, label="Hsu 2013")
    reader = Finding(codes.CITATION_UNLISTED, "Hsu 2013 is cited in the text", source=source)
    citation = Citation(raw="Hsu and colleagues (2013)", source=source)
    resolver = Finding(codes.CITATION_UNLISTED, "Hsu 2013 is cited …; candidate by author and year",
                       source=source, evidence={"best_candidate": "10.1038/mp.2013.96"})
    mention = Resolution(citation, citation.to_work(), Status.DOCUMENT_ONLY, 0.0, [resolver])
    report = Report([mention], [reader])
    assert [f.message for f in report.findings] == [resolver.message]


def test_the_table_names_a_service_that_is_not_crossref():
    report = Report([resolution("1", Status.DOI_VERIFIED)],
                    crossref_stats={"requests": 1, "service": "http://127.0.0.1:8765"})
    assert report.render_text().splitlines()[-1] == (
        "(answers from the Crossref-compatible service at http://127.0.0.1:8765, not Crossref itself)")
    assert "service" not in (sample().crossref_stats or {})


def test_an_outage_is_never_a_silent_0_even_when_rk501_is_not_selected():
    """Found in review: `--select RK1` during an outage exited 0."""
    unverified = resolution("1", Status.UNVERIFIED, Finding(codes.UNVERIFIED, "Crossref could not be asked"))
    assert Report([unverified], select=["RK1"]).exit_code() == 3
    assert Report([unverified], ignore=["RK2"]).exit_code() == 3


def test_ignore_rk501_accepts_unverified_references():
    """Issue 12: `--ignore RK501` (CI on a machine without network) really ignores it: no exit 3."""
    unverified = resolution("1", Status.UNVERIFIED, Finding(codes.UNVERIFIED, "Crossref could not be asked"))
    assert Report([unverified], ignore=["RK501"]).exit_code() == 0
    assert Report([unverified], ignore=["unverified"]).exit_code() == 0


def keyed(key: str, family: str, year: int, title: str, where: Location) -> Resolution:
    citation = Citation(raw="@article{...}", source=where, doi="10.1000/y", title=title, year=year,
                        authors=[Name(family=family, given="A")])
    found = Finding(codes.DOI_CORRECTED, "printed DOI 10.1000/y is not registered", source=where, fix="10.1000/x")
    return Resolution(citation, Work({"DOI": "10.1000/x"}), Status.DOI_CORRECTED, 0.9, [found])


def test_the_table_names_the_work_and_never_cuts_a_key():
    """Two keys that share their first 11 characters stay apart; each row says
    whose work, which year and which title."""
    report = Report([keyed("american2010practice", "American Psychiatric Association", 2010,
                           "Practice guideline for the treatment of patients with borderline personality disorder",
                           Location("refs.bib", line=3, label="american2010practice")),
                     keyed("american2001practiceguideline", "American Psychiatric Association", 2001, "Guideline",
                           Location("refs.bib", line=9, label="american2001practiceguideline"))])
    text = report.render_text()
    assert "american2010practice " in text and "american2001practiceguideline" in text and "…  RK" not in text
    assert ("American Psychiatric Association 2010, “Practice guideline for the treatment of…”: "
            "printed DOI") in " ".join(text.split())
    assert all(len(line) <= 100 for line in text.splitlines())


def test_github_annotations_for_a_pdf_name_the_page_not_a_line_of_extracted_text():
    report = Report([keyed("12", "Rao", 2019, "Borderline personality disorder",
                           Location("paper.pdf", line=244, page=14, label="12"))])
    [annotation, _] = report.render_github().splitlines()
    assert annotation.startswith("::error file=paper.pdf,title=RK103 doi-corrected::page 14: Rao 2019, "
                                 "“Borderline personality disorder”: printed DOI")

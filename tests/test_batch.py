"""`refkit batch`: the blocking join and the resolver over its candidates
give the verdicts `refkit check --source INDEX` gives. The blocking is
checked here in plain Python (fast, no Spark); the Spark job itself on
local[2], over a few thousand references, in the slow test (skipped
without Java or pyspark; CI installs both)."""

from __future__ import annotations

import json
import random
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from refkit.batch.candidates import resolve_group
from refkit.batch.keys import record_keys, reference_keys
from refkit.cli import cli
from refkit.corpus import read_corpus
from refkit.resolving.snapshot.slim import slim

from .conftest import EXAMPLES
from .crossref_stub import SEED_WORKS, SHARED_WORKS, read_records
from .test_snapshot_index import dump_folder, verdicts

PDF = EXAMPLES / "ketamine-bpd-review.pdf.txt"


def blocked(citations, records):
    """The join Spark does, in plain Python: (position, record) for every shared key."""
    by_key = defaultdict(list)
    for record in records:
        for key in record_keys(record):
            by_key[key].append(record)
    return [(position, record) for position, key in sorted(reference_keys(citations))
            for record in by_key.get(key, [])]


def test_the_candidates_of_the_blocking_join_give_the_snapshots_verdicts(tmp_path):
    records = [slim(r) for r in read_records(SEED_WORKS, SHARED_WORKS)]
    index = tmp_path / "world.idx"
    dump_folder(tmp_path / "dump", records, size=2000)
    assert CliRunner().invoke(cli, ["index", "build", str(tmp_path / "dump"), "-o", str(index)]).exit_code == 0
    checked = CliRunner().invoke(cli, ["check", str(PDF), "--format", "json", "--source", str(index)])
    report = json.loads(checked.stdout)
    citations = read_corpus([PDF]).citations
    resolutions = resolve_group(citations, blocked(citations, records), report["crossref"]["snapshot"]["date"])
    mine = [(r.citation.label, r.status.value, sorted((f.code.code, f.fix or "") for f in r.findings))
            for r in resolutions]
    assert mine == verdicts(report)
    messages = {f.message for r in resolutions for f in r.findings}
    assert messages == {f["message"] for c in report["citations"] for f in c["findings"]}


def references_document(path: Path, records: list[dict], absent: list[dict], rng: random.Random) -> int:
    """A numbered reference list in Vancouver style: DOIs printed right, wrong
    (a digit changed), or not at all, and works no record holds."""
    lines = ["References", ""]
    for number, record in enumerate(records + absent, 1):
        authors = ", ".join(f"{a['family']} {''.join(w[0] for w in a.get('given', '').split() if w)}".strip()
                            for a in record["author"][:6])
        year = record["issued"]["date-parts"][0][0]
        locator = f"{year};{record.get('volume', '')}" + (f"({record['issue']})" if record.get("issue") else "") \
            + (f":{record['page']}" if record.get("page") else "")
        text = f"{number}. {authors}. {record['title'][0]}. {record['container-title'][0]}. {locator}."
        doi, roll = record["DOI"], rng.random()
        if roll < 0.15:
            digits = [i for i, ch in enumerate(doi) if ch.isdigit() and i > doi.index("/")]
            if digits:
                i = rng.choice(digits)
                doi = doi[:i] + str((int(doi[i]) + 3) % 10) + doi[i + 1:]
        if roll < 0.35 or roll > 0.55:
            text += f" doi:{doi}"
        lines.append(text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(records) + len(absent)


@pytest.mark.slow
@pytest.mark.shared_data
def test_spark_batch_on_local_2_gives_the_verdicts_of_check_with_the_index(tmp_path):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Java is not installed")
    rng = random.Random(5)
    real = list(read_records(SHARED_WORKS))
    usable = [r for r in real if r.get("type") == "journal-article" and r.get("title") and r.get("author")
              and all(a.get("family") for a in r["author"]) and r.get("container-title")
              and (r.get("issued") or {}).get("date-parts", [[None]])[0][0]]
    cited = rng.sample(usable, 2000)
    absent = cited[-150:]
    held = {r["DOI"] for r in absent}
    dump = dump_folder(tmp_path / "dump", [r for r in real if r["DOI"] not in held]
                       + list(read_records(SEED_WORKS)), size=1000)
    document = tmp_path / "refs.txt"
    count = references_document(document, cited[:-150], absent, rng)
    index = tmp_path / "world.idx"
    assert CliRunner().invoke(cli, ["index", "build", str(dump), "-o", str(index)]).exit_code == 0
    checked = CliRunner().invoke(cli, ["check", str(document), "--format", "json", "--source", str(index)])
    expected = verdicts(json.loads(checked.stdout))
    assert len(expected) > 0.95 * count  # what the reference list reader made of the document
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(document), "--dump", str(dump), "-o", str(out),
                                      "--master", "local[2]"])
    assert result.exit_code in (0, 1), result.output
    rows = [json.loads(line) for part in sorted(out.glob("part-*.json")) for line in part.open(encoding="utf-8")]
    rows.sort(key=lambda row: row["position"])
    got = [(row["label"], row["status"], sorted((f["code"], f.get("fix") or "") for f in row["findings"]))
           for row in rows]
    assert got == expected
    statuses = {status for _, status, _ in got}
    assert {"doi-verified", "doi-corrected", "found-by-search", "document-only"} <= statuses
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["summary"]["references"] == len(expected)

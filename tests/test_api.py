"""The public API of `import refkit`: read, resolve, write, check, on the
seed examples, offline (no Crossref, every result honestly unverified)."""

from __future__ import annotations

import rispy

import refkit
from refkit.model import Status

from .conftest import EXAMPLES


def test_read_resolve_write_on_the_citations_page(tmp_path) -> None:
    corpus = refkit.read([EXAMPLES / "citations-page-v1.txt"])
    assert len(corpus.citations) == 9
    resolutions = refkit.resolve(corpus.citations, offline=True, cache_dir=str(tmp_path))
    assert {r.status for r in resolutions} == {Status.UNVERIFIED}
    records = rispy.loads(refkit.write(resolutions, "ris"))
    assert len(records) == 9 and all(r.get("notes") for r in records)


def test_check_reports_unverified_with_exit_3_when_offline(tmp_path) -> None:
    report = refkit.check([EXAMPLES / "ketamine-bpd-review.pdf.txt"], offline=True, cache_dir=str(tmp_path))
    assert report.summary()["references"] == 148
    assert report.exit_code() == 3

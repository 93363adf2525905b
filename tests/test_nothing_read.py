"""Nothing read is never a pass, and one unreadable file costs only itself:
through the real entry point (one line on stderr, exit status as a user sees it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _refkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.mark.parametrize("make, says", [
    (lambda d: d, "no document files here"),
    (lambda d: (d / "scan.png").write_bytes(PNG) and d, "no document files here"),
    (lambda d: (d / "scan.png").write_bytes(PNG) and d / "scan.png", "is a PNG image, not a document"),
    (lambda d: "10.1038/nrc1098", "looks like a DOI: look it up with `refkit add 10.1038/nrc1098`"),
    (lambda d: "https://doi.org/10.1038/nrc1098", "looks like a DOI"),
    (lambda d: "PMID:12778135", "looks like a PMID"),
    (lambda d: "Fidler IJ. The pathogenesis of cancer metastasis. Nat Rev Cancer. 2003", "pasted reference"),
    (lambda d: (d / "a.bib").write_text("@article{a, title={x") and (d / "b.json").write_text('[{"no": "type"}]') and d,
     "none of the 2 files could be read"),
    (lambda d: (d / "essay.txt").write_text("An essay that cites nothing.\n") and d / "essay.txt",
     "no references found in 1 document (read as article)"),
    (lambda d: (d / "body.txt").write_text("Sleep matters (1). It really does [2].\n\nDOI: 10.1111/jsr.12345\n")
     and d / "body.txt", "(read as article): 2 numeric citation markers (numbers up to 2) but no reference list"),
])
@pytest.mark.parametrize("command", ["check", "extract"])
def test_nothing_read_exits_2_with_one_line(tmp_path, make, says, command):
    target = make(tmp_path)
    result = _refkit(command, str(target), *(["--offline"] if command == "check" else []))
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("refkit: error:")]
    assert len(errors) == 1 and says in errors[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_one_unreadable_file_in_a_folder_is_rk403_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.bib").write_text("@article{a, title={Pain in patients}, doi={10.1002/pmh.1265}}\n")
    (tmp_path / "broken.json").write_text('{"no": "type"}')
    result = _refkit("check", str(tmp_path), "--offline", "--format", "json")
    assert result.returncode == 1, result.stderr  # RK403 is an error
    assert "RK403" in result.stdout and "broken.json" in result.stdout and '"a"' not in result.stderr


def test_build_into_its_own_input_folder_twice_gives_the_same_result(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "refs.bib").write_text((EXAMPLES / "ketamine-bpd-review.pdf.txt").read_text(encoding="utf-8")[:0]
                                     + "@article{a, title={Pain in patients}, year={2014}}\n")
    first = _refkit("build", str(folder), "-o", str(folder), "--offline")
    second = _refkit("build", str(folder), "-o", str(folder), "--offline")
    assert first.returncode == second.returncode == 0, second.stderr
    assert "wrote 1 reference to" in first.stderr and "wrote 1 reference to" in second.stderr

"""The fuzzing benchmark in small: a fixed set of mutated and generated
inputs of modest size (seeds from the repository only, so it runs the same
on a fresh clone) through `refkit extract` and `refkit export`, each in a
capped child. Every target of the full benchmark must hold: no internal
error, no command over 10 CPU-s or 1 GiB, every message one line, no
terminal escape in output, and every export re-parsed by independent
parsers (pybtex, bibtexparser, rispy, json)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO

CASES = 150
MAX_BYTES = 100_000


def test_fuzz_smoke_meets_every_target(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_fuzz.py"), "--cases", str(CASES), "--no-shared",
         "--max-bytes", str(MAX_BYTES), "--jobs", "2", "--seed", "7", "--keep", str(tmp_path / "failures")],
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert f"cases: {CASES} " in result.stdout
    assert "internal errors: 0" in result.stdout

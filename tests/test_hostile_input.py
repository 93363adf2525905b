"""Hostile and broken input for the reference-list, PDF and JATS readers:
each gives one clear InputError naming the file (exit 2 from the CLI, no
traceback), and arbitrary text never crashes the list reader or parser."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refkit.errors import InputError
from refkit.readers import read
from refkit.readers.reflist import read_reference_list
from refkit.refparse import parse_reference

from .conftest import REPO
from .test_pdf import ARTICLE, make_pdf

BOMB = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<article>&lol1;</article>'
EXTERNAL = b'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<article><ref-list><ref>&x;</ref></ref-list></article>'


def _junk() -> bytes:
    """A PNG signature and IHDR chunk followed by noise: what a misnamed image looks like."""
    noise = bytes(random.Random(3).randrange(0, 256) for _ in range(4000))
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise


HOSTILE = {
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n",
    "junk.bin": _junk(),
    "cut.pdf": make_pdf(ARTICLE)[:700],
    "scan.pdf": make_pdf([[]]),
    "bomb.xml": BOMB,
    "external.xml": EXTERNAL,
    "malformed.xml": b'<?xml version="1.0"?>\n<article>\n<ref-list><ref>\n</article>',
    "latin.txt": bytes(range(128, 256)) * 40,
}


@pytest.fixture
def hostile_file(tmp_path: Path, request) -> Path:
    path = tmp_path / request.param
    path.write_bytes(HOSTILE[request.param])
    return path


@pytest.mark.parametrize("hostile_file", sorted(HOSTILE), indirect=True)
def test_read_raises_one_input_error_naming_the_file(hostile_file: Path) -> None:
    with pytest.raises(InputError) as err:
        read(hostile_file)
    assert err.value.path == str(hostile_file)
    assert "\n" not in str(err.value)


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("REFKIT_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("hostile_file", ["empty.txt", "junk.bin", "cut.pdf", "bomb.xml", "external.xml",
                                          "malformed.xml", "latin.txt"], indirect=True)
def test_cli_prints_one_line_and_exits_2(hostile_file: Path) -> None:
    result = _run_cli("extract", str(hostile_file))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(hostile_file) in lines[0]
    assert "Traceback" not in result.stderr


def test_50_mb_file_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing is really written
    with pytest.raises(InputError, match="MB limit"):
        read(big)
    result = _run_cli("extract", str(big))
    assert result.returncode == 2 and "MB limit" in result.stderr and "Traceback" not in result.stderr


_LINE_PIECES = st.sampled_from(["References", "REFERENCES", "## Bibliography", "1. ", "2. ", "[3] ", "(4) ",
                                "- ", "• ", "* ", "", "doi: 10.1000/abc", "doi:10.1000/", "https://x.org/a-",
                                "Rao S, Broadbear J. ", "(2019) 27:573–7.", "How to cite this article:", "812",
                                "*J Abbr*.", "et al.", "Rao, S., & Broad, J. (2019). ", "“Quoted title”, "])


@st.composite
def reference_like_text(draw) -> str:
    lines = draw(st.lists(st.tuples(_LINE_PIECES, st.text(max_size=40)), max_size=30))
    return "\n".join(piece + tail for piece, tail in lines)


@settings(max_examples=150, deadline=None)
@given(st.one_of(reference_like_text(), st.text(max_size=400)))
def test_read_reference_list_survives_any_text(text: str) -> None:
    found = read_reference_list(text, "any.txt")
    citations, start = found.citations, found.start_line
    labels = [c.label for c in citations]
    assert len(labels) == len(set(labels))
    assert all(c.raw.strip() for c in citations)
    assert (start is None) == (not citations)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.builds("".join, st.lists(_LINE_PIECES, max_size=12))))
def test_parse_reference_survives_any_text(text: str) -> None:
    fields = parse_reference(text)
    assert fields["year"] is None or 1500 <= fields["year"] <= 2099
    assert all(isinstance(name.family, str) for name in fields["authors"])

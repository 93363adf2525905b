"""What reaches the terminal: escape sequences from documents are shown,
never interpreted; every failure is one line; what libraries log or warn
shows only with --verbose, one line each; a huge value cannot break the
extract table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from refkit import codes
from refkit.cli.extract import render_table
from refkit.model import Corpus, Finding, Location
from refkit.terminal import json_escaped, one_line, printable

from .conftest import REPO

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"


def refkit(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    full_env.pop("REFKIT_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, env=full_env, timeout=120)


def _ris(folder: Path, title: str, year: str = "2020") -> Path:
    path = folder / "in.ris"
    path.write_text(f"TY  - JOUR\nAU  - Rao, Sam\nTI  - {title}\nJO  - J\nPY  - {year}\nER  - \n",
                    encoding="utf-8")
    return path


def test_extract_table_shows_escape_sequences_as_symbols(tmp_path):
    result = refkit("extract", _ris(tmp_path, f"A title{ESCAPES} ends"))
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\x1b\x07\x9b\u202e")
    assert "A title␛]0;owned␇␛[2J" in result.stdout


def test_extract_json_escapes_them_and_keeps_the_value(tmp_path):
    result = refkit("extract", _ris(tmp_path, f"A title{ESCAPES} ends"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\x1b\x07\x9b\u202e")
    assert json.loads(result.stdout)["citations"][0]["title"] == f"A title{ESCAPES} ends"


@pytest.mark.parametrize("out_format", ["table", "json", "github"])
def test_check_output_carries_no_terminal_escapes(tmp_path, out_format):
    source = _ris(tmp_path, f"A title{ESCAPES} ends")
    source.write_text(source.read_text(encoding="utf-8").replace("ER  -", "DO  - 10.1000/x\x1b[2J\nER  -"),
                      encoding="utf-8")
    result = refkit("check", source, "--format", out_format, "--offline", "--fail-on", "error")
    assert result.returncode in (0, 1, 3), result.stderr
    assert result.stdout and not any(ch in result.stdout + result.stderr for ch in "\x1b\x07\x9b\u202e")


def test_a_huge_value_fits_the_extract_table(tmp_path):
    title = "word " * 200_000
    result = refkit("extract", _ris(tmp_path, title, year="9" * 60))
    assert result.returncode == 0, result.stderr
    assert max(map(len, result.stdout.splitlines())) <= 100


def test_an_error_naming_a_file_with_newlines_and_escapes_is_one_line(tmp_path):
    bad = tmp_path / "bad\n\x1b[31mname.txt"
    bad.write_text("")
    result = refkit("extract", bad)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr and "␛[31mname" in result.stderr


def test_library_chatter_shows_only_with_verbose_one_line_each():
    script = textwrap.dedent("""
        import logging, sys, warnings
        from refkit.cli.messages import route_library_messages
        route_library_messages(verbose=sys.argv[1] == "1")
        logging.getLogger("pdfminer.pdfinterp").warning("Cannot set gray\\nnon-stroke colour")
        warnings.warn("a library's\\nwarning")
        logging.getLogger("refkit.resolving").warning("refkit's own\\nwarning")
    """)
    outputs = {}
    for verbose in ("0", "1"):
        result = subprocess.run([sys.executable, "-c", script, verbose], capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
        outputs[verbose] = result.stderr.splitlines()
    assert outputs["0"] == ["refkit: warning: refkit's own warning"]
    assert outputs["1"] == ["refkit: note: pdfminer.pdfinterp: Cannot set gray non-stroke colour",
                            "refkit: note: <string>: UserWarning: a library's warning",
                            "refkit: warning: refkit's own warning"]


def test_usage_errors_are_one_line_pointing_to_help():
    result = refkit("extract", "--no-such-option", "x")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()  # click words the complaint itself, differently by version
    assert line.startswith("refkit: error: No such option") and "--no-such-option" in line
    assert line.endswith("(see 'refkit extract --help')")


def test_printable_helpers():
    assert printable("a\tb\nc\x1b[0m\x00\x7f\x85") == "a\tb\nc␛[0m␀␡\ufffd"
    assert one_line(" two\n  lines\x1b ") == "two lines␛"
    assert json.loads(json_escaped(json.dumps("x\x9b\u2028y", ensure_ascii=False))) == "x\x9b\u2028y"
    assert "\x9b" not in json_escaped(json.dumps("x\x9by", ensure_ascii=False))


def test_a_finding_message_with_line_breaks_is_one_table_row():
    finding = Finding(codes.RECORD_UNREADABLE, "syntax error:\nunexpected '}'\u2028at column 3",
                      Location("in.bib", 4))
    table = render_table(Corpus(documents=[], findings=[finding]))
    assert "  RK403 in.bib:line 4  syntax error: unexpected '}' at column 3\n" in table


def test_counts_take_the_noun_in_the_right_number():
    from refkit.terminal import counted
    assert [counted(n, "reference") for n in (0, 1, 2)] == ["0 references", "1 reference", "2 references"]

"""Safe input loading (refkit.readers.source) and format sniffing: bad files
fail with one InputError naming the file, never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from refkit.errors import InputError
from refkit.readers import sniff
from refkit.readers.source import read_text


def test_utf8_and_bom_and_crlf_are_decoded(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffRésumé\r\nline two\r".encode("utf-8"))
    assert read_text(p) == "\ufeffRésumé\nline two\n".lstrip("\ufeff")


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("Więdłocha M. Title.\n".encode("utf-16"))
    assert read_text(p) == "Więdłocha M. Title.\n"


def test_latin1_text_is_detected(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("Müller J, Gärtner M. Über die Behandlung der Depression.\n".encode("latin-1") * 20)
    assert "Müller" in read_text(p)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary\x00junk" * 100, "binary"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_text(p)
    assert str(p) in str(err.value)
    assert message in str(err.value)


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import refkit.readers.source as source

    monkeypatch.setattr(source, "MAX_INPUT_BYTES", 1024)
    p = tmp_path / "big.bib"
    p.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match="over the"):
        read_text(p)


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"@article{key,\n title={T}\n}\n", "bibtex"),
        (b"TY  - JOUR\nTI  - T\nER  - \n", "ris"),
        (b'[{"id": "a", "type": "book"}]', "csljson"),
        (b'{"id": "a", "type": "book"}', "csljson"),
        (b"[1] Rao S, Broadbear J. Borderline personality disorder. 2019.\n"
         b"[2] Bislin RS. Pain in patients. 2014.\n", "article"),
        (b'<?xml version="1.0"?>\n<article><back><ref-list/></back></article>', "jats"),
    ],
)
def test_sniff_recognises_formats_by_content(tmp_path: Path, content: bytes, fmt: str) -> None:
    assert sniff(str(tmp_path / "x"), content) == fmt


def test_random_bytes_behind_a_utf16_bom_are_refused(tmp_path: Path) -> None:
    p = tmp_path / "junk.txt"
    p.write_bytes(b"\xfe\xff" + random.Random(1).randbytes(4000))
    with pytest.raises(InputError, match="binary|cannot decode"):
        read_text(p)


def test_cp1252_text_with_few_accents_is_not_taken_for_cjk(tmp_path: Path) -> None:
    p = tmp_path / "refs.txt"
    p.write_bytes("1. Gärtner M, Aust S. Functional connectivity — a “review”. 2019.\n".encode("cp1252"))
    text = read_text(p)
    assert "Gärtner" in text and "“review”" in text


def test_valid_utf16_of_private_use_characters_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "junk.txt"
    p.write_bytes("\ue000\ue001\ue002 x".encode("utf-16") * 500)
    with pytest.raises(InputError, match="binary"):
        read_text(p)

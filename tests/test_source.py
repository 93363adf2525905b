"""Safe input loading (refkit.readers.source) and format sniffing: bad files
fail with one InputError naming the file, never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from refkit.cli import cli
from refkit.errors import InputError
from refkit.readers import sniff
from refkit.readers.encoding import decode_bytes
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


# --- encodings: fixed rules first, a detector only last ------------------------------------

JAPANESE_LIST = ("1. 山田太郎, 鈴木花子. 日本語の参考文献リストの研究. 情報処理学会論文誌. 2019;60(3):123-130. "
                 "doi:10.1000/abc123\n2. Smith J. An English title. Nature. 2020;5:1-2.\n")
CHINESE_LIST = ("[1] 王小明, 李华. 中文参考文献格式的自动识别方法研究[J]. 计算机学报, 2018, 41(5): 1023-1035.\n"
                "[2] 张伟. 基于深度学习的文献元数据抽取[J]. 软件学报, 2020, 31(4): 890-905.\n")
LATIN_LIST = "1. Gärtner M, Müller J. Über “Depression” — eine Übersicht. Nervenarzt. 2019;90:1–9.\n"


@pytest.mark.parametrize(
    ("text", "codec", "named"),
    [
        (LATIN_LIST, "cp1252", "Windows-1252"),
        ("1. Müller J, Gärtner M. Über die Behandlung. 2019.\n", "latin-1", "Latin-1"),
        (LATIN_LIST, "utf-16-le", "UTF-16"),  # no byte-order mark: told by its NUL bytes
        (LATIN_LIST, "utf-16-be", "UTF-16"),
        (LATIN_LIST, "utf-16", "UTF-16"),
        (LATIN_LIST, "utf-32", "UTF-32"),
        (JAPANESE_LIST, "shift_jis", ""),
        (CHINESE_LIST, "gb18030", ""),
    ],
)
def test_reference_lists_in_other_encodings_read_right(text: str, codec: str, named: str) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text.lstrip("\ufeff") == text
    assert named in decoded.name and not decoded.is_utf8


def test_declared_charset_is_used_before_guessing() -> None:
    page = '<html><head><meta charset="iso-8859-15"></head><body>1. Hubert € Gärtner.</body></html>'
    decoded = decode_bytes(page.encode("iso-8859-15"))
    assert decoded.text == page and decoded.reason == "declared in the file"


def test_cyrillic_bytes_are_not_taken_for_western_text() -> None:
    text = "1. Иванов И.И. Методы анализа библиографических ссылок. Вестник. 2019;5:10–20.\n"
    assert decode_bytes(text.encode("cp1251")).text == text


def test_the_encoding_assumed_is_said_on_stderr(tmp_path: Path) -> None:
    p = tmp_path / "refs.txt"
    p.write_bytes(("References\n" + LATIN_LIST + "2. Smith J. A title. J Chem. 2020;5:1-2.\n").encode("cp1252"))
    result = CliRunner().invoke(cli, ["extract", str(p)])
    assert result.exit_code == 0, result.output
    assert "Gärtner" in result.stdout
    assert f"{p}: not UTF-8; read as Windows-1252" in result.stderr
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(p.read_bytes().decode("cp1252"), encoding="utf-8")
    assert "not UTF-8" not in CliRunner().invoke(cli, ["extract", str(utf8)]).stderr


def test_a_ris_line_quoted_inside_bibtex_does_not_make_it_ris(tmp_path: Path) -> None:
    content = (b"@article{a,\n  title = {T},\n  abstract = {Exported as\nTY  - JOUR\nby mistake}\n}\n"
               b"@book{b, title={B}}\n")
    assert sniff(str(tmp_path / "x"), content) == "bibtex"
    assert sniff(str(tmp_path / "y"), b"TY  - JOUR\nN1  - cite as @article{x,\nER  - \n") == "ris"

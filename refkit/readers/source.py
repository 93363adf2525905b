"""Loading an input file safely: size limit, binary detection, encodings.

Every reader gets its bytes or text from here, so bad input fails the same
way everywhere: one `InputError` naming the file and the problem.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from refkit.errors import InputError

MAX_INPUT_BYTES = int(os.environ.get("REFKIT_MAX_INPUT_MB", "32")) * 1024 * 1024


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes, refusing missing, empty and oversized files."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if p.is_dir():
        raise InputError(str(path), "is a directory, not a file")
    if size > MAX_INPUT_BYTES:
        raise InputError(
            str(path),
            f"file is {size / 1048576:.1f} MB, over the {MAX_INPUT_BYTES // 1048576} MB limit "
            "(set REFKIT_MAX_INPUT_MB to raise it)",
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(str(path), "file is empty")
    return data


def decode(path: str | Path, data: bytes) -> str:
    """Decode text: BOMs and UTF-8 first, then a detected encoding; binary
    data and undecodable text are refused. Newlines are normalised to \\n."""
    text = _decode_any(path, data)
    if _control_ratio(text) > 0.05:
        raise InputError(str(path), "looks like binary data, not text")
    return _normalise_newlines(text)


def _decode_any(path: str | Path, data: bytes) -> str:
    """BOM-marked Unicode, else UTF-8, else the encoding charset-normalizer
    detects (a Western code page when a CJK guess is implausible)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _decode_with(path, data, codec)
    if b"\x00" in data[:65536]:
        raise InputError(str(path), "looks like binary data, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise InputError(str(path), "unknown text encoding; save the file as UTF-8")
    return _decode_with(path, data, _plausible(best.encoding, data))


def _plausible(encoding: str, data: bytes) -> str:
    """Correct an unlikely guess for text that is mostly ASCII: real CJK text
    is dense with high bytes, and old Mac code pages are rare, while a Latin
    text with a few accented letters in cp1252 can look like either to a
    detector."""
    high = sum(1 for b in data[:65536] if b >= 0x80)
    name = encoding.lower().replace("-", "_")
    unlikely = name in _CJK_MULTIBYTE or name.startswith("mac_")
    if unlikely and high < len(data[:65536]) * 0.1:
        try:
            data.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return encoding
    return encoding


_CJK_MULTIBYTE = {"big5", "big5hkscs", "gb2312", "gbk", "gb18030", "hz", "euc_jp", "euc_jis_2004",
                  "euc_jisx0213", "euc_kr", "shift_jis", "shift_jis_2004", "shift_jisx0213",
                  "cp932", "cp949", "cp950", "johab", "iso2022_jp", "iso2022_kr"}


def read_text(path: str | Path) -> str:
    """The file's text, with every check of `read_bytes` and `decode`."""
    return decode(path, read_bytes(path))


def _decode_with(path: str | Path, data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        raise InputError(str(path), f"cannot decode as {codec}; save the file as UTF-8") from None


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_ratio(text: str) -> float:
    """The share of characters no text has: controls, unassigned and private-use code points."""
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample
              if ch not in "\n\r\t\f" and unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs"))
    return bad / len(sample)

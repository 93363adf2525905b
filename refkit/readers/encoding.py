"""Which text encoding a file's bytes are in, decided by rules that do not
change with a detector's version.

The order (most certain first): a byte-order mark; UTF-16/32 without a mark
when its NUL bytes show it; UTF-8; a charset the file declares (XML, HTML meta,
JabRef's "% Encoding:" line); Windows-1252 / Latin-1 when the bytes are valid
for it and the result reads as Latin text; only then charset-normalizer's
guess. Whatever was assumed is named, so a reader can say it when it was not
UTF-8.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

SAMPLE = 65536  # bytes looked at for NUL patterns and declarations
DETECTOR_SAMPLE = 1_000_000
# A Latin text has its accented letters one or two at a time between ASCII
# letters; the bytes of CJK or Cyrillic text read as Windows-1252 give long
# runs of non-ASCII characters instead.
LONG_RUN = 3
MOST_IN_LONG_RUNS = 0.1

_BOMS = (  # UTF-32 before UTF-16: FF FE 00 00 starts both
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_DECLARED = (
    re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']"""),
    re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE),
    re.compile(rb"""^%\s*encoding\s*:\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE | re.MULTILINE),
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


class UnknownEncoding(ValueError):
    """No rule and no detector could decode the bytes."""


@dataclass(frozen=True)
class Decoded:
    """Text and how it was decoded: `encoding` is the codec used, `name` the
    encoding in words, `reason` why it was assumed."""

    text: str
    encoding: str
    name: str
    reason: str

    @property
    def is_utf8(self) -> bool:
        return self.encoding in ("utf-8", "utf-8-sig")


def decode_bytes(data: bytes) -> Decoded:
    """`data` decoded by the rules of this module; UnknownEncoding when none fits."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, name, "byte-order mark")
    for attempt in (_unmarked_utf16_32, _utf8, _declared, _western, _detected):
        decoded = attempt(data)
        if decoded is not None:
            return decoded
    raise UnknownEncoding("unknown text encoding")


def _strict(data: bytes, codec: str, name: str, reason: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec, name, reason)
    except UnicodeDecodeError:
        raise UnknownEncoding(f"not valid {name} although it starts with a {name} {reason}") from None


def _try(data: bytes, codec: str, name: str, reason: str) -> Decoded | None:
    try:
        return Decoded(data.decode(codec), codec, name, reason)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8(data: bytes) -> Decoded | None:
    return _try(data, "utf-8", "UTF-8", "valid UTF-8")


def _unmarked_utf16_32(data: bytes) -> Decoded | None:
    """UTF-16/32 without a byte-order mark, told by where its NUL bytes fall
    (ASCII characters leave one or three NULs beside each byte)."""
    sample = data[:SAMPLE]
    if b"\x00" not in sample or len(sample) < 8:
        return None
    for codec, width, zeros in (("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)),
                                ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,))):
        if len(data) % width == 0 and all(_mostly_nul(sample[offset::width]) for offset in zeros):
            return _try(data, codec, codec.upper()[:6], "NUL bytes placed as in UTF-16/32 text")
    return None


def _mostly_nul(column: bytes) -> bool:
    return bool(column) and column.count(0) >= 0.7 * len(column)


def _declared(data: bytes) -> Decoded | None:
    """The charset an XML declaration, an HTML meta tag or a JabRef
    "% Encoding:" line names, when the bytes are valid in it."""
    head = data[:SAMPLE]
    for pattern in _DECLARED:
        m = pattern.search(head)
        if m:
            label = m.group(1).decode("ascii")
            decoded = _try(data, label, label, "declared in the file")
            if decoded is not None and not decoded.is_utf8:
                return decoded
    return None


def _western(data: bytes) -> Decoded | None:
    """Windows-1252 (or Latin-1, when no byte of 0x80-0x9F occurs) if the
    bytes are valid for it and read as Latin text."""
    if any(0x80 <= b <= 0x9F for b in data):
        decoded = _try(data, "cp1252", "Windows-1252", "valid Windows-1252 that reads as Latin text")
    else:
        decoded = _try(data, "latin-1", "Latin-1 (ISO-8859-1)", "valid Latin-1 that reads as Latin text")
    return decoded if decoded is not None and _reads_as_latin(decoded.text) else None


def _reads_as_latin(text: str) -> bool:
    """Whether the non-ASCII characters of `text` stand one or two at a time
    (accents, quotes, dashes), not in long runs, and are all printable."""
    runs = [m.group(0) for m in _NON_ASCII_RUN.finditer(text)]
    total = sum(map(len, runs))
    if not total:
        return True
    if any(unicodedata.category(ch) in ("Cc", "Cn", "Co") for run in runs for ch in run):
        return False
    return sum(len(run) for run in runs if len(run) >= LONG_RUN) <= MOST_IN_LONG_RUNS * total


def _detected(data: bytes) -> Decoded | None:
    """charset-normalizer's guess, the last resort."""
    best = from_bytes(data[:DETECTOR_SAMPLE]).best()
    if best is None or best.encoding is None:
        return None
    return _try(data, best.encoding, best.encoding, "guessed by charset-normalizer")

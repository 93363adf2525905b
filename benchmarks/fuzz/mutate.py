"""Mutations of real inputs, each a function (data, rng, donor) -> bytes:
bit flips, byte edits with structural tokens, truncation, splicing with
another seed, re-encodings, megabyte lines, deep nesting, odd code points,
line-ending changes and repeated chunks. `mutate` stacks one to three."""

from __future__ import annotations

import random
from collections.abc import Callable

MAX_BYTES = 6 * 1024 * 1024  # a mutated case never grows past this (refkit refuses 32 MB anyway)

# pieces that mean something to some reader: delimiters, record marks, markup
TOKENS = [b"{", b"}", b"@article{", b"@string{x=", b"#", b"\\", b'"', b",", b"=", b"\nTY  - JOUR\n",
          b"\nER  - \n", b"\nAU  - ", b"\nDO  - ", b"<ref>", b"</ref>", b"<ref-list>", b"<!--", b"]]>",
          b"<![CDATA[", b"&amp;", b"&#0;", b"&#xD800;", b"&x;", b"<!DOCTYPE a [<!ENTITY x 'y'>]>",
          b"[", b"]", b'{"', b'":', b"null", b"NaN", b"1e999", b"-0", b"\nReferences\n", b"\n1. ",
          b"\n[2] ", b"doi:10.", b"10.1000/", b"https://doi.org/", b"et al.", b"(2019)", b"%PDF-1.4",
          b"endobj", b"stream\n", b"/FlateDecode", b"<html>", b"<br>", b"<li>", b"</ol>", b"\x00"]

# characters readers and terminals can trip on, as text
ODD_CHARACTERS = ["\x00", "\ufeff", "\ufffe", "\uffff", "\u202e", "\u2028", "\u2029", "\x85", "\x1b[2J",
                  "\x9b31m", "\x1b]0;title\x07", "\u0301" * 50, "\U0001d518", "\U0001f600", "\ue000",
                  "\u200d", "\u00ad", "１０．１０００／ａｂｃ", "ﬁ", "\u0627\u0644\u0639", "中文参考文献",
                  "\x0c", "\x0b", "\t" * 20, "\u3000"]
# byte sequences that are not UTF-8: a surrogate, an overlong slash, stray continuation bytes
ODD_BYTES = [b"\xed\xa0\x80", b"\xc0\xaf", b"\x80\x80", b"\xff\xfe", b"\xf4\x90\x80\x80"]

CODECS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "mac_roman", "shift_jis",
          "gb18030", "utf-8-sig", "utf-7", "koi8-r", "cp437"]


def mutate(data: bytes, rng: random.Random, donor: bytes) -> tuple[bytes, list[str]]:
    """`data` changed by one to three mutations, and their names."""
    names = rng.choices(list(WEIGHTS), list(WEIGHTS.values()), k=rng.choice((1, 1, 1, 2, 2, 3)))
    for name in names:
        data = MUTATIONS[name](data, rng, donor)[:MAX_BYTES]
    return data, names


def bit_flips(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    out = bytearray(data or b"\x00")
    for _ in range(rng.randint(1, 64)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def byte_edits(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        at = rng.randint(0, len(out))
        piece = rng.choice(TOKENS) if rng.random() < 0.6 else bytes(rng.randrange(256) for _ in range(4))
        kind = rng.randrange(3)
        if kind == 0:
            out[at:at] = piece
        elif kind == 1:
            del out[at:at + rng.randint(1, 64)]
        else:
            out[at:at + len(piece)] = piece
    return bytes(out)


def truncate(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def splice(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    """The head of one seed joined to the tail of another, or a piece of it inserted."""
    cut, donor_cut = rng.randint(0, len(data)), rng.randint(0, len(donor))
    if rng.random() < 0.5:
        return data[:cut] + donor[donor_cut:]
    return data[:cut] + donor[donor_cut: donor_cut + rng.randint(1, 4096)] + data[cut:]


def reencode(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    """The text re-encoded in another encoding (sometimes only its second half)."""
    text = data.decode("utf-8", errors="replace")
    encoded = text.encode(rng.choice(CODECS), errors="replace")
    if rng.random() < 0.2:
        return data[: len(data) // 2] + encoded[len(encoded) // 2:]
    return encoded


def megabyte_line(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    """A line of one to four megabytes inserted: one character, words, a DOI, digits or names."""
    size = rng.choice((1, 1, 1, 2, 4)) * 1024 * 1024
    unit = rng.choice([b"a", b" ", b"word ", b"-", b".", b"(", b"10.1000/x", b"1234567890", b"Smith J, ",
                       b"doi:10.1000/", b"\xc3\xa9", b"[1]", b"https://x.org/", b"&amp;", b"{", b"\t"])
    line = (unit * (size // len(unit) + 1))[:size]
    if rng.random() < 0.5:
        line = b"[1] " + line
    at = _line_start(data, rng)
    return data[:at] + line + b"\n" + data[at:]


def deep_nesting(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    """Thousands of unclosed (or closed) brackets, braces, tags or JSON objects."""
    depth = rng.choice([500, 1_000, 5_000, 20_000, 100_000])
    opener, closer = rng.choice([(b"[", b"]"), (b"{", b"}"), (b"(", b")"), (b"<a>", b"</a>"),
                                 (b'{"a":', b"}"), (b"<div>", b"</div>"), (b"<ref><mixed-citation>", b""),
                                 (b'[{"author":[', b"]}]"), (b"\\emph{", b"}")])
    closing = closer * depth if rng.random() < 0.5 else b""
    at = rng.randint(0, len(data))
    return data[:at] + opener * depth + b"x" + closing + data[at:]


def odd_code_points(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    out = data
    for _ in range(rng.randint(1, 30)):
        piece = rng.choice(ODD_BYTES) if rng.random() < 0.25 else rng.choice(ODD_CHARACTERS).encode("utf-8")
        at = rng.randint(0, len(out))
        out = out[:at] + piece + out[at:]
    return out


def line_endings(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    ending = rng.choice([b"\r\n", b"\r", b"\n\n", b"\x0c\n", "\u2028".encode()])
    if rng.random() < 0.5:
        return data.replace(b"\n", ending)
    cut = rng.randint(0, len(data))
    return data[:cut] + data[cut:].replace(b"\n", ending)


def repeat_chunk(data: bytes, rng: random.Random, donor: bytes) -> bytes:
    """A piece of the input repeated until the input has grown by up to a few megabytes."""
    if not data:
        return data
    start = rng.randrange(len(data))
    chunk = data[start: start + rng.randint(1, 2048)]
    times = min(rng.choice([10, 100, 1_000, 10_000]), (3 * 1024 * 1024) // len(chunk))
    return data[:start] + chunk * times + data[start:]


def _line_start(data: bytes, rng: random.Random) -> int:
    at = rng.randint(0, len(data))
    newline = data.rfind(b"\n", 0, at)
    return newline + 1


MUTATIONS: dict[str, Callable[[bytes, random.Random, bytes], bytes]] = {
    "bit-flips": bit_flips, "byte-edits": byte_edits, "truncate": truncate, "splice": splice,
    "re-encode": reencode, "megabyte-line": megabyte_line, "deep-nesting": deep_nesting,
    "odd-code-points": odd_code_points, "line-endings": line_endings, "repeat-chunk": repeat_chunk,
}
# how often each is picked: the ones that make megabytes of input (slow to
# run) less often than the ones that damage structure
WEIGHTS = {"bit-flips": 3, "byte-edits": 3, "truncate": 2, "splice": 2, "re-encode": 2, "odd-code-points": 2,
           "line-endings": 1, "megabyte-line": 1, "deep-nesting": 1, "repeat-chunk": 1}

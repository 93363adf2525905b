"""Loading an input file safely: size limit, binary detection, encodings.

Every reader gets its bytes or text from here, so bad input fails the same
way everywhere: one `InputError` naming the file and the problem, or, for
one bad record among good ones, an RK403 finding and the rest read.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

from refkit import codes
from refkit.codes import Severity
from refkit.errors import InputError
from refkit.model import Document, Finding, Location
from refkit.readers.encoding import Decoded, UnknownEncoding, decode_bytes

MAX_INPUT_BYTES = int(os.environ.get("REFKIT_MAX_INPUT_MB", "32")) * 1024 * 1024


STDIN = "-"


def read_bytes(path: str | Path) -> bytes:
    """The file's bytes ("-": standard input's), refusing missing, empty and
    oversized files, folders, sockets and disks. A pipe or character device
    named on purpose (`<(cmd)`, /dev/stdin) is read like standard input, no
    further than the size limit (/dev/zero never ends)."""
    if str(path) == STDIN:
        return _checked(STDIN, _stdin())
    mode, size = _kind_and_size(str(path))
    if stat.S_ISDIR(mode):
        raise InputError(str(path), "is a directory, not a file")
    if stat.S_ISSOCK(mode) or stat.S_ISBLK(mode):
        kind = "a socket" if stat.S_ISSOCK(mode) else "a block device (a disk)"
        raise InputError(str(path), f"is {kind}, not a file; refkit leaves it alone")
    if size > MAX_INPUT_BYTES:
        raise InputError(
            str(path),
            f"file is {size / 1048576:.1f} MB, over the {MAX_INPUT_BYTES // 1048576} MB limit "
            "(set REFKIT_MAX_INPUT_MB to raise it)",
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return _checked(str(path), data)


def _kind_and_size(path: str) -> tuple[int, int]:
    """The mode and size of what `path` leads to; a dangling link or a loop of
    links is named as such."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(path, f"is a symbolic link to {os.readlink(path)}, which does not exist") from None
        raise InputError(path, "no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(path, "is a symbolic link that leads round in a loop") from None
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    return found.st_mode, found.st_size


def _checked(path: str, data: bytes) -> bytes:
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(path, f"input is over the {MAX_INPUT_BYTES // 1048576} MB limit "
                               "(set REFKIT_MAX_INPUT_MB to raise it)")
    if not data.strip():
        raise InputError(path, "file is empty" if path != STDIN else "standard input is empty")
    return data


_stdin_read: list[tuple[object, bytes]] = []  # (the stream, its bytes); the stream kept so its id is not reused


def _stdin() -> bytes:
    """Standard input's bytes, read once however often they are asked for
    (sniffing, then reading); a new stdin stream is read anew."""
    stream = sys.stdin
    if not _stdin_read or _stdin_read[0][0] is not stream:
        _stdin_read[:] = [(stream, stream.buffer.read(MAX_INPUT_BYTES + 1))]
    return _stdin_read[0][1]


def decode(path: str | Path, data: bytes) -> str:
    """Decode text by the rules of `refkit.readers.encoding`; binary data and
    undecodable text are refused. Newlines are normalised to \\n."""
    text = decoded(path, data).text
    if "\x00" in text[:65536] or _control_ratio(text) > 0.05:
        raise InputError(str(path), "looks like binary data, not text")
    return _normalise_newlines(text)


@lru_cache(maxsize=1)
def _decode_once(data: bytes) -> Decoded:
    return decode_bytes(data)


def decoded(path: str | Path, data: bytes) -> Decoded:
    """`data` decoded, with the encoding assumed and why. The last file's
    result is kept, so a reader and `refkit.readers.read` (which reports the
    encoding) decode it once."""
    try:
        return _decode_once(data)
    except UnknownEncoding as exc:
        raise InputError(str(path), f"cannot decode: {exc}; save the file as UTF-8") from None


def read_text(path: str | Path) -> str:
    """The file's text, with every check of `read_bytes` and `decode`."""
    return decode(path, read_bytes(path))


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


def unreadable(path: str, line: int | None, what: str, label: str = "",
               severity: Severity = Severity.ERROR) -> Finding:
    """RK403 for one record a reader skipped (or, as a warning, read only in
    part), naming file, line and what is wrong; the rest of the file is read."""
    return Finding(codes.RECORD_UNREADABLE, what, source=Location(path, line, label=label), severity=severity)


def usable(path: str, document: Document) -> Document:
    """`document` when it holds anything; when every record was unreadable, the
    first problem as an InputError (exit 2: nothing usable was read)."""
    if document.citations or not document.findings:
        return document
    first = document.findings[0]
    more = len(document.findings) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''}; no record could be read)" if more else ""
    raise InputError(path, first.message + tail, f"line {first.source.line}" if first.source.line else "")

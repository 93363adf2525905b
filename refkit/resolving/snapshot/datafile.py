"""Read Crossref's public data file in every layout Crossref has shipped.

Up to 2024 the file is a folder (or one tar of it) of `N.json.gz` files,
each one JSON object `{"items": [...]}` of work records; from 2025 the files
hold JSON Lines, one record a line, gzipped or not. A `Part` is one such
file; parts are read whole (a few MB each), so memory stays the same
whatever the size of the dump. A tar is read as a stream, member by member,
without unpacking it; `-` reads a tar from standard input.
"""

from __future__ import annotations

import gzip
import json
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from refkit.errors import RefkitError

_SUFFIXES = (".json", ".jsonl", ".json.gz", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz")
STDIN = "-"


@dataclass(frozen=True)
class Part:
    """One file of the dump: `key` names it for resuming (with its size and
    mtime), `path` is where it lies, or `data` holds its bytes (tar members)."""

    key: str
    size: int
    mtime: int
    path: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        """The part's bytes, gunzipped when they are gzip."""
        raw = self.data if self.data is not None else Path(self.path or "").read_bytes()
        return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


@dataclass
class Records:
    """The work records of one part, with the lines that could not be read."""

    items: list[dict[str, Any]]
    problems: list[str]


def is_tar(path: str | Path) -> bool:
    return str(path) == STDIN or str(path).lower().endswith(_TAR_SUFFIXES)


def files_of(dump: Path) -> list[Part]:
    """The data files of a folder (walked, in natural order) or the file itself."""
    if dump.is_dir():
        found = [p for p in dump.rglob("*") if p.is_file() and p.name.lower().endswith(_SUFFIXES)]
        return [_file_part(p, p.relative_to(dump).as_posix()) for p in sorted(found, key=_natural)]
    if dump.is_file():
        return [_file_part(dump, dump.name)]
    raise RefkitError(f"{dump}: no such file or folder")


def tar_parts(dump: str | Path, position: list[int] | None = None) -> Iterator[Part]:
    """The data files inside a tar (gzipped or not), streamed in tar order;
    `position[0]` follows how many bytes of the tar were read (for progress)."""
    stream: BinaryIO = sys.stdin.buffer if str(dump) == STDIN else open(dump, "rb")  # noqa: SIM115
    counted = _Counting(stream, position if position is not None else [0])
    try:
        with tarfile.open(fileobj=counted, mode="r|*") as tar:
            for member in tar:
                if member.isfile() and member.name.lower().endswith(_SUFFIXES):
                    handle = tar.extractfile(member)
                    data = handle.read() if handle else b""
                    yield Part(member.name, member.size, int(member.mtime), data=data)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise RefkitError(f"{dump}: cannot read the tar ({exc})") from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def records_of(part: Part) -> Records:
    """The work records of a part in either layout; a line or item that is
    not a work record is skipped and named, never the rest of the file."""
    try:
        text = part.read().decode("utf-8")
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError) as exc:
        return Records([], [f"{part.key}: cannot read ({type(exc).__name__}: {exc})"])
    stripped = text.lstrip()
    first_line = stripped.split("\n", 1)[0]
    if _is_record_line(first_line):
        return _json_lines(part.key, text)
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        return _json_lines(part.key, text) if "\n" in stripped.rstrip() else Records(
            [], [f"{part.key}: not JSON ({exc.msg} at line {exc.lineno})"])
    return _items(part.key, whole)


def _is_record_line(line: str) -> bool:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(value, dict) and "items" not in value and "message" not in value


def _json_lines(key: str, text: str) -> Records:
    items: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{key}, line {number}: not JSON ({exc.msg})")
            continue
        _take(value, f"{key}, line {number}", items, problems)
    return Records(items, problems)


def _items(key: str, whole: Any) -> Records:
    """The records of a `{"items": [...]}` file (or an API envelope around one)."""
    if isinstance(whole, dict) and isinstance(whole.get("message"), dict):
        whole = whole["message"]
    values = whole.get("items") if isinstance(whole, dict) and "items" in whole else [whole]
    if not isinstance(values, list):
        return Records([], [f"{key}: 'items' is not a list"])
    items: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, value in enumerate(values, 1):
        _take(value, f"{key}, item {number}", items, problems)
    return Records(items, problems)


def _take(value: Any, where: str, items: list[dict[str, Any]], problems: list[str]) -> None:
    if isinstance(value, dict) and isinstance(value.get("DOI"), str) and value["DOI"].strip():
        items.append(value)
    else:
        problems.append(f"{where}: not a work record (no DOI)")


def _file_part(path: Path, key: str) -> Part:
    stat = path.stat()
    return Part(key, stat.st_size, int(stat.st_mtime), path=path)


def _natural(path: Path) -> tuple[Any, ...]:
    """Sort 2.json.gz before 10.json.gz."""
    stem = path.name.split(".", 1)[0]
    return (str(path.parent), 0, int(stem), path.name) if stem.isdigit() else (str(path.parent), 1, 0, path.name)


class _Counting:
    """A read-only stream that counts the bytes read through it."""

    def __init__(self, stream: BinaryIO, position: list[int]) -> None:
        self._stream, self._position = stream, position

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._position[0] += len(data)
        return data


"""Minimal edits of a bibliography file the user keeps (.bib, .ris, CSL-JSON):
append entries (`refkit add --to`) and change single field values
(`refkit fix`), leaving every other byte as it was — order, comments,
@string definitions, spacing, field case, line endings.

Edits are made on the text, never by re-serialising a parsed file: a reader
locates the value (its exact character span), the edit replaces that span.
The result is written atomically with the file's mode kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from refkit import readers
from refkit.doi import normalize
from refkit.errors import InputError
from refkit.model import Citation, Resolution
from refkit.resolving.match import fold
from refkit.writers import SUFFIXES, write, write_file
from refkit.writers.citekeys import DEFAULT_PATTERN, assign_keys

FORMAT_OF_SUFFIX = {suffix: fmt for fmt, suffix in SUFFIXES.items()} | {".bibtex": "bibtex", ".csl": "csljson"}


@dataclass
class Appended:
    """What appending did: the key each added work got, and the works left
    out because the file already holds them (with the key they have there)."""

    added: list[tuple[Resolution, str]]
    present: list[tuple[Resolution, str]]


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The bibliography format of `path`: `fmt`, or its suffix (.bib, .ris, .json)."""
    found = fmt or FORMAT_OF_SUFFIX.get(Path(path).suffix.lower())
    if found not in SUFFIXES:
        raise InputError(str(path), "cannot tell the format from the name; add -t bibtex|ris|csljson")
    return found


def append(path: str | Path, resolutions: Sequence[Resolution], fmt: str | None = None,
           key_pattern: str = DEFAULT_PATTERN) -> Appended:
    """Add `resolutions` to the end of the file at `path` (created when
    missing), each under a key the file does not use yet, skipping works it
    already holds (same DOI, or same title and year)."""
    fmt = format_of(path, fmt)
    target = Path(path)
    text = read_kept(target) if target.exists() else ""
    held = readers.read(str(target), fmt).citations if text.strip() else []
    keys = {_key_of(c).lower() for c in held}
    outcome = Appended([], [])
    fresh: list[Resolution] = []
    for resolution in resolutions:
        twin = next((c for c in held + [r.citation for r in fresh] if _same_work(c, resolution)), None)
        if twin is not None:
            outcome.present.append((resolution, _key_of(twin)))
            continue
        key = _unused(assign_keys([resolution], key_pattern)[0], keys)
        keys.add(key.lower())
        resolution.citation.extra["citation-key"] = key
        fresh.append(resolution)
        outcome.added.append((resolution, key))
    if fresh:
        addition = write(fmt, fresh, key_pattern=key_pattern)
        joined = _join_json(text, addition) if fmt == "csljson" else _join_text(text, addition)
        write_file(target, joined)
    return outcome


def read_kept(path: Path) -> str:
    """The text of a file refkit will edit, byte for byte (a BOM stays as
    U+FEFF, line endings as they are); only UTF-8 files are edited."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "is not UTF-8; refkit edits only UTF-8 files in place "
                                    "(save it as UTF-8 first)") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None


def _key_of(citation: Citation) -> str:
    return str(citation.extra.get("citation-key") or citation.source.label or "")


def _same_work(citation: Citation, resolution: Resolution) -> bool:
    """Whether `citation` (already in the file) is the work `resolution` names."""
    work = resolution.work
    if citation.doi and work.doi:
        return normalize(citation.doi) == normalize(work.doi)
    return bool(citation.title and work.title) and fold(citation.title) == fold(work.title) \
        and citation.year == work.year


def _unused(key: str, taken: set[str]) -> str:
    """`key`, or `key` + a, b, … when the file already uses it."""
    if key.lower() not in taken:
        return key
    letters = "abcdefghijklmnopqrstuvwxyz"
    suffixes = (a + b for a in [""] + list(letters) for b in letters)
    return next(key + s for s in suffixes if (key + s).lower() not in taken)


def _join_text(text: str, addition: str) -> str:
    """BibTeX and RIS: the new entries after the old text, one blank line
    between, in the file's own line endings."""
    if not text.strip():
        return addition
    newline = "\r\n" if "\r\n" in text else "\n"
    head = text if text.endswith("\n") else text + newline
    return head + newline + addition.replace("\n", newline)


_CLOSING = re.compile(r"\]\s*\Z")


def _join_json(text: str, addition: str) -> str:
    """CSL-JSON: the new items inserted before the array's closing bracket,
    the items already there untouched."""
    if not text.strip():
        return addition
    close = _CLOSING.search(text)
    if close is None or not text.lstrip().startswith("["):
        raise InputError("", "the CSL-JSON file is not one array of items; cannot append to it")
    items = addition.strip()[1:-1].strip("\n")
    before = text[:close.start()].rstrip()
    separator = ",\n" if not before.endswith("[") else "\n"
    return before + separator + items + "\n" + text[close.start():]

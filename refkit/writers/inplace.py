"""Minimal edits of a bibliography file the user keeps (.bib, .ris, CSL-JSON):
append entries (`refkit add --to`) and change single field values
(`refkit fix`), leaving every other byte as it was — order, comments,
@string definitions, spacing, field case, line endings.

Edits are made on the text, never by re-serialising a parsed file: a reader
locates the value (its exact character span), the edit replaces that span.
The result is written atomically with the file's mode kept.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from refkit import readers
from refkit.doi import is_valid, normalize
from refkit.errors import InputError
from refkit.model import Citation, Resolution
from refkit.readers import csljson
from refkit.resolving.match import fold
from refkit.writers import SUFFIXES, write, write_file
from refkit.writers.citekeys import DEFAULT_PATTERN, assign_keys
from refkit.writers.texsafe import verbatim

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
    U+FEFF, line endings as they are); only UTF-8 regular files are edited."""
    require_regular(path)
    try:
        return kept_text(str(path), path.read_bytes())
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None


def kept_text(name: str, data: bytes) -> str:
    """`data` (read from `name`) as the text refkit will edit, byte for byte;
    an InputError when it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(name, "is not UTF-8; refkit edits only UTF-8 files in place "
                               "(save it as UTF-8 first)") from None


def require_regular(path: str | Path) -> None:
    """Refuse to edit in place what is not a regular file (a pipe, a device):
    it cannot be read back and rewritten."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # a missing file is created; an unreadable one is named by the read
    if not stat.S_ISREG(mode):
        raise InputError(str(path), "is not a regular file (a pipe or a device); refkit edits files in place, "
                                    "so give a file, or use - with < and > as a filter")


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


# --- changing the DOI of entries in place ---------------------------------------------

@dataclass
class DoiEdit:
    """Set the DOI of the entry `citation` was read from to `doi` (a
    validated fix, `code` says which finding); `problem` says why it could
    not be made, once tried."""

    citation: Citation
    doi: str
    code: str
    problem: str = ""


def set_dois(text: str, fmt: str, edits: Sequence[DoiEdit]) -> str:
    """`text` with each edit's DOI written into its entry, nothing else
    changed: an existing DOI value is replaced where it stands (a doi.org
    link stays a link), a missing one is added as the entry's last field. A
    URL field that is a doi.org link to the replaced DOI follows it (it
    would still name the wrong work). A DOI is written only when valid, and
    in BibTeX TeX-safe (as exported)."""
    locate = {"bibtex": _bibtex_change, "ris": _ris_change, "csljson": _json_change}[fmt]
    changes: list[tuple[int, int, str]] = []
    for edit in edits:
        if not is_valid(edit.doi):  # what a registry answered is not written into a file unchecked
            edit.problem = f"{edit.doi[:80]!r} is not a valid DOI"
            continue
        try:
            changes.extend(locate(text, edit))
        except _Unplaceable as exc:
            edit.problem = str(exc)
    for start, end, replacement in sorted(changes, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


class _Unplaceable(Exception):
    """The entry or its DOI value cannot be found in the text as expected."""


@lru_cache(maxsize=1)
def _line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts (computed once per text)."""
    return [0] + [m.end() for m in re.finditer(r"\n", text)]


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of `text` holding `offset`."""
    return bisect.bisect_right(_line_starts(text), offset)


def _replacing(value_start: int, value: str, old: str | None, new: str) -> tuple[int, int, str]:
    """The change turning `value` (at `value_start`) into `new`: only the old
    DOI inside it when it is there (keeping a doi.org prefix), else all of it."""
    at = value.lower().find(old.lower()) if old else -1
    if at >= 0:
        return value_start + at, value_start + at + len(old), new
    return value_start, value_start + len(value), new


_DOI_LINK = re.compile(r"\s*https?://(?:dx\.|www\.)?doi\.org/(\S+?)\s*", re.IGNORECASE)


def _link_changes(value_start: int, value: str, old: str | None, new: str) -> list[tuple[int, int, str]]:
    """The change turning `value` (at `value_start`), when it is a doi.org
    link to the `old` DOI, into a link to `new`; none for any other URL."""
    link = _DOI_LINK.fullmatch(value)
    if not old or link is None or normalize(link.group(1)) != normalize(old):
        return []
    return [(value_start + link.start(1), value_start + link.end(1), new)]


def _old(edit: DoiEdit) -> str | None:
    """The DOI the entry prints now: cleaned (so a doi.org prefix around it stays), or as printed."""
    return edit.citation.doi or edit.citation.doi_printed


_BIB_FIELD = re.compile(r"([A-Za-z][\w.:+-]*)\s*=\s*")


def _bibtex_change(text: str, edit: DoiEdit) -> list[tuple[int, int, str]]:
    key = str(edit.citation.extra.get("citation-key") or edit.citation.source.label)
    # searched from the line where the reader found the entry, so a commented-out copy above is passed over
    line = edit.citation.source.line or 1
    starts = _line_starts(text)
    head = re.compile(r"@\s*[A-Za-z]+\s*[{(]\s*" + re.escape(key) + r"\s*,").search(
        text, starts[min(line, len(starts)) - 1])
    if head is None:
        raise _Unplaceable(f"entry {key!r} not found")
    fields, close = _bibtex_fields(text, head.end())
    values = {name.lower(): (start, end) for name, start, end in reversed(fields) if text[start] in "{\""}
    if "doi" not in values:
        if any(name.lower() == "doi" for name, _, _ in fields):
            raise _Unplaceable(f"the doi of {key!r} is a macro, not a value")
        return [_bibtex_insertion(text, head.end(), close, fields, verbatim("doi", edit.doi))]
    start, end = values["doi"]
    changes = [_replacing(start + 1, text[start + 1:end - 1], _old(edit), verbatim("doi", edit.doi))]
    if "url" in values:
        start, end = values["url"]
        changes += _link_changes(start + 1, text[start + 1:end - 1], _old(edit), verbatim("url", edit.doi))
    return changes


def _bibtex_fields(text: str, pos: int) -> tuple[list[tuple[str, int, int]], int]:
    """(name, value start, value end) of each field of the entry whose body
    starts at `pos`, and where its closing brace is."""
    fields = []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise _Unplaceable("the entry is never closed")
        if text[pos] in "})":
            return fields, pos
        m = _BIB_FIELD.match(text, pos)
        if m is None:
            raise _Unplaceable(f"cannot read a field at offset {pos}")
        start = m.end()
        end = _bibtex_value_end(text, start)
        fields.append((m.group(1), start, end))
        pos = end


def _bibtex_value_end(text: str, pos: int) -> int:
    """Where a field value starting at `pos` ends ({…}, "…", a word, joined by #)."""
    while True:
        if text[pos] == "{":
            depth = 0
            for index in range(pos, len(text)):
                depth += {"{": 1, "}": -1}.get(text[index], 0)
                if depth == 0:
                    pos = index + 1
                    break
            else:
                raise _Unplaceable("a brace is never closed")
        elif text[pos] == '"':
            close = pos + 1
            depth = 0
            while close < len(text) and not (text[close] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(text[close], 0)
                close += 1
            pos = close + 1
        else:
            m = re.compile(r"[^\s,#{}()\"]+").match(text, pos)
            if m is None:
                raise _Unplaceable("cannot read a field value")
            pos = m.end()
        after = re.compile(r"\s*#\s*").match(text, pos)
        if not after:
            return pos
        pos = after.end()


def _bibtex_insertion(text: str, body: int, close: int, fields: list[tuple[str, int, int]],
                      doi: str) -> tuple[int, int, str]:
    """A doi field added after the entry's last field, in the entry's own
    indentation and field-name case."""
    entry = text[body:close]
    indent = re.search(r"\n([ \t]*)\S", entry)
    name = "DOI" if fields and fields[0][0].isupper() else "doi"
    if not fields:
        return body, body, f"\n{indent.group(1) if indent else '  '}{name} = {{{doi}}}"
    last_end = fields[-1][2]
    rest = text[last_end:close]
    comma = rest.lstrip().startswith(",")
    spacing = f"\n{indent.group(1)}" if indent else " "
    if comma:
        at = last_end + rest.index(",") + 1
        return at, at, f"{spacing}{name} = {{{doi}}},"
    return last_end, last_end, f",{spacing}{name} = {{{doi}}}"


_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*?))?(\r?)$", re.MULTILINE)


def _ris_change(text: str, edit: DoiEdit) -> list[tuple[int, int, str]]:
    line = edit.citation.source.line or 0
    starts = _line_starts(text)
    if not 0 < line <= len(starts):
        raise _Unplaceable(f"record at line {line} not found")
    doi_line = end_line = None
    links = []
    for m in _RIS_LINE.finditer(text, starts[line - 1]):
        if m.group(1) in ("DO", "M3") and edit.citation.doi_printed and m.group(2) \
                and m.group(2).strip() == edit.citation.doi_printed.strip():
            doi_line = m
        if m.group(1) == "UR" and m.group(2):
            links += _link_changes(m.start(2), m.group(2), _old(edit), edit.doi)
        if m.group(1) == "ER":
            end_line = m
            break
    if doi_line is not None:
        return [_replacing(doi_line.start(2), doi_line.group(2), _old(edit), edit.doi), *links]
    if end_line is None:
        raise _Unplaceable(f"record at line {line} has no ER")
    newline = "\r\n" if end_line.group(3) else "\n"
    return [(end_line.start(), end_line.start(), f"DO  - {edit.doi}{newline}")]


def _json_change(text: str, edit: DoiEdit) -> list[tuple[int, int, str]]:
    opening = _json_item_start(text, edit.citation)
    strings = {name: (start, end) for name, start, end in _json_members(text, opening) if text[start] == '"'}
    encoded = json.dumps(edit.doi, ensure_ascii=False)[1:-1]
    if "DOI" in strings:
        start, end = strings["DOI"]
        changes = [_replacing(start + 1, text[start + 1:end - 1], _old(edit), encoded)]
        if "URL" in strings:
            start, end = strings["URL"]
            changes += _link_changes(start + 1, text[start + 1:end - 1], _old(edit), encoded)
        return changes
    after = re.compile(r"\n([ \t]*)\"").match(text, opening + 1)
    if after:
        return [(opening + 1, opening + 1, f'\n{after.group(1)}"DOI": "{encoded}",')]
    return [(opening + 1, opening + 1, f'"DOI": "{encoded}", ')]


def _json_item_start(text: str, citation: Citation) -> int:
    """Where the item `citation` was read from opens: the item starting on
    its line under its label (several items may share a line)."""
    line, label = citation.source.line or 0, citation.label
    starts = [start for number, item, start in _json_items(text)
              if _line_of(text, start) == line and csljson.item_label(item, number) == label]
    if len(starts) != 1:
        raise _Unplaceable(f"item {label!r} at line {line} not found" if not starts
                           else f"{len(starts)} items called {label!r} start at line {line}")
    return starts[0]


@lru_cache(maxsize=1)
def _json_items(text: str) -> list[tuple[int, dict, int]]:
    """(number, item, offset) of each readable item of a CSL-JSON text, read once per text."""
    return csljson.parse("", text)[0]


def _json_members(text: str, opening: int) -> list[tuple[str, int, int]]:
    """(key, value start, value end) of the members of the JSON object at `opening`."""
    decoder = json.JSONDecoder()
    members, pos = [], opening + 1
    while True:
        m = re.compile(r'\s*(?:,\s*)?("(?:[^"\\]|\\.)*")\s*:\s*').match(text, pos)
        if m is None:
            return members
        value_end = decoder.raw_decode(text, m.end())[1]
        members.append((json.loads(m.group(1)), m.end(), value_end))
        pos = value_end

"""Citation keys: Better-BibTeX-like `surname + year + first title word`.

Keys depend only on each entry's own data (never on dict or set order), so a
re-run over the same inputs gives the same keys; clashes get a/b/c suffixes
in an order fixed by the clashing entries' data. A key a bibliography file
already gave an entry (`citation.extra["citation-key"]`) is kept.
"""

from __future__ import annotations

import json
import re
import string
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from refkit.errors import RefkitError
from refkit.folding import ascii_fold
from refkit.model import Resolution, issued_year

DEFAULT_PATTERN = "{auth}{year}{title}"
PATTERN_FIELDS = ("auth", "Auth", "year", "title", "Title")

# words a key never takes as the "first significant word" of a title
FUNCTION_WORDS = frozenset(
    "a an the of on in at to for and or nor but with without from by as into onto upon via "
    "is are was were be been do does did how what why when which who whom whose this that these those "
    "its it their our your we you i vs versus über der die das den dem des ein eine le la les un une "
    "el los las del de du et".split()
)

_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:+-]+")
_WORD = re.compile(r"[A-Za-z0-9]+")


def assign_keys(resolutions: Sequence[Resolution], pattern: str = DEFAULT_PATTERN) -> list[str]:
    """One unique citation key per resolution, in the same order.

    Entries whose keys clash are told apart with a, b, c … given in the order
    of their data (title, authors, DOI …), not their position in the input.
    """
    check_pattern(pattern)
    return unique_keys([key_basis(r, pattern) for r in resolutions])


def key_basis(resolution: Resolution, pattern: str = DEFAULT_PATTERN) -> tuple[str, str]:
    """What a resolution's key is made from: (its key before clashes are
    resolved, its data order among clashing ones)."""
    return _kept_key(resolution) or base_key(resolution.work.data, pattern), _data_order(resolution.work.data)


def unique_keys(bases: Sequence[tuple[str, str]]) -> list[str]:
    """Unique keys from (key, data order) pairs (see `assign_keys`): all the
    file's entries are needed, but only these pairs of each."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (base, _) in enumerate(bases):
        groups[base].append(index)
    keys: list[str] = [base for base, _ in bases]
    taken = {base for base, members in groups.items() if len(members) == 1}
    for base in sorted(groups):
        members = groups[base]
        if len(members) == 1:
            continue
        members.sort(key=lambda i: (bases[i][1], i))
        suffixes = _suffixes()
        for index in members:
            key = base + next(suffixes)
            while key in taken:
                key = base + next(suffixes)
            keys[index] = key
            taken.add(key)
    return keys


def base_key(item: dict[str, Any], pattern: str = DEFAULT_PATTERN) -> str:
    """The key `pattern` gives a CSL item before clashes are resolved.

    Pattern fields: {auth} first author's surname (lower case), {Auth} the
    same capitalised, {year}, {title} first significant title word (lower
    case), {Title} the same capitalised. A work with no author takes its
    first title word in the author's place and its second as the title word
    (borderline2010dysregulation, never a key starting with the year).
    Falls back to "ref" when empty.
    """
    words = _significant_title_words(item)
    surname = _first_surname(item)
    if not surname and words:
        surname, words = words[0], words[1:]
    word = words[0] if words else ""
    values = {
        "auth": surname.lower(),
        "Auth": surname[:1].upper() + surname[1:].lower(),
        "year": str(issued_year(item) or ""),
        "title": word.lower(),
        "Title": word[:1].upper() + word[1:].lower(),
    }
    key = _KEY_UNSAFE.sub("", pattern.format_map(values))
    return key or "ref"


def check_pattern(pattern: str) -> None:
    """Refuse a key pattern with unknown {fields}, unbalanced braces or a bad
    format spec ({auth:d}), naming the known fields."""
    known = ", ".join("{" + f + "}" for f in PATTERN_FIELDS)
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
        unknown = [name for name in names if name not in PATTERN_FIELDS]
        if not unknown:
            pattern.format_map(dict.fromkeys(PATTERN_FIELDS, "x"))
    except ValueError as exc:  # "{auth": a lone brace; "{auth!z}", "{auth:d}": a bad spec
        raise RefkitError(f"malformed citation key pattern {pattern!r} ({exc}); use {known}") from None
    if unknown:
        raise RefkitError(f"unknown citation key field {{{unknown[0]}}} in {pattern!r}; use {known}")


def _kept_key(resolution: Resolution) -> str:
    """The key the input file gave this entry, made safe, or ''."""
    given = resolution.citation.extra.get("citation-key") or ""
    return _KEY_UNSAFE.sub("", ascii_fold(str(given)))


def _first_surname(item: dict[str, Any]) -> str:
    for role in ("author", "editor"):
        for name in item.get(role) or []:
            text = name.get("family") or name.get("literal") or ""
            words = _WORD.findall(ascii_fold(text))
            if words:
                return "".join(words) if name.get("family") else words[0]
    return ""


def _significant_title_words(item: dict[str, Any], wanted: int = 2) -> list[str]:
    """The first `wanted` title words that are not function words or numbers."""
    title = item.get("title") or ""
    if isinstance(title, list):
        title = title[0] if title else ""
    title = re.sub(r"<[^>]+>", "", str(title))  # Crossref markup such as <i>
    words = []
    for word in re.split(r"[\s\-/]+", ascii_fold(title)):
        token = "".join(_WORD.findall(word))
        if token and token.lower() not in FUNCTION_WORDS and not token.isdigit():
            words.append(token)
            if len(words) == wanted:
                break
    return words


def _data_order(item: dict[str, Any]) -> str:
    """A total order on entries that depends only on their data."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)


def _suffixes():
    """a, b, …, z, aa, ab, … without end."""
    letters = string.ascii_lowercase
    length = 1
    while True:
        for index in range(len(letters) ** length):
            suffix = ""
            for _ in range(length):
                index, rem = divmod(index, len(letters))
                suffix = letters[rem] + suffix
            yield suffix
        length += 1

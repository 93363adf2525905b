"""Values of the BibTeX fields TeX reads verbatim (doi, url, eprint, file),
written so that no TeX engine can read them as code.

These fields cannot be LaTeX-escaped (biblatex and url.sty print them
character for character), yet a style may still hand them to TeX as ordinary
input: plainnat's fallback `\\doi{#1}` does when url.sty is not loaded. There
`^^5c` is a backslash, so a crafted DOI could `\\input` a file or, with
-shell-escape, run a command. So every character that can start TeX code or
end the field early is %-encoded as in a URL: `\\ { } ^`, control
characters, `%` and `#`. Left as they are: a URL's own %XX escapes and its
one fragment `#`, which are part of the address (url.sty prints them; at
worst plain TeX reports an error, never runs anything), and a file path's
spaces. refkit's readers decode the escapes again (refkit.doi for DOIs).
"""

from __future__ import annotations

import re
from urllib.parse import quote

VERBATIM_FIELDS = frozenset({"doi", "url", "eprint", "file"})

# characters encoded in every verbatim field: TeX's escape, group and
# superscript characters (^^ notation), and C0/C1 control characters
_ALWAYS = r"\\{}^\x00-\x1f\x7f-\x9f"
# in text-like fields (a DOI, an e-print id, a file path) % and # are plain characters
_TEXT_UNSAFE = re.compile(f"[{_ALWAYS}%#]")
# TeX's escaped special characters, as a .bib may write them in a DOI or URL
_TEX_SPECIAL = re.compile(r"\\([_%&#$])")
# in a URL: a space and a % that starts no %XX escape (a # after the
# fragment mark is encoded separately)
_URL_UNSAFE = re.compile(f"[{_ALWAYS} ]|%(?![0-9A-Fa-f]{{2}})")


def verbatim(name: str, value: str, ascii_only: bool = False) -> str:
    """`value` of the verbatim BibTeX field `name`, with every character TeX
    could read as code %-encoded (non-ASCII too when `ascii_only`)."""
    if name.lower() == "url":
        value = _URL_UNSAFE.sub(_percent, value)
        value = _encode_extra_fragment_marks(value)
    else:
        value = _TEXT_UNSAFE.sub(_percent, value)
    if ascii_only and not value.isascii():
        value = "".join(ch if ch.isascii() else _percent_char(ch) for ch in value)
    return value


def untex(value: str) -> str:
    """A DOI, URL or e-print id as a .bib written for classic BibTeX has it,
    with TeX's escaped specials read as the characters: `10.1000/a\\_b` is
    the DOI 10.1000/a_b (pybtex and many hand-kept files write it so)."""
    return _TEX_SPECIAL.sub(r"\1", value)


def _encode_extra_fragment_marks(url: str) -> str:
    """A URL with every # after the first (the fragment mark) %-encoded."""
    head, mark, fragment = url.partition("#")
    return head + mark + fragment.replace("#", "%23")


def _percent(match: re.Match) -> str:
    return _percent_char(match.group(0))


def _percent_char(ch: str) -> str:
    return quote(ch, safe="")

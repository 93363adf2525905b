"""Split a printed author (or editor) list into personal names.

The labeller finds where the author list stands; this module reads the names
inside it, whether printed "Rao S, Broadbear J", "Rao, S., & Broadbear, J.",
"S. Rao and J. Broadbear", "R. M. Moon, T. Riste", with only the first name
inverted (Chicago, MLA) or as one organisation ("World Health Organization").
"""

from __future__ import annotations

import re

from refkit.model import Name

_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
              "ten", "ter", "aan", "het", "op", "bin", "ibn", "al", "el", "st"}
_SUFFIX = r"(?:Jr|Sr|II|III|IV|2nd|3rd)\.?"
_ORG_WORDS = re.compile(
    r"\b(?:Association|Organi[sz]ation|Institute|Institut|Society|Centre|Center|Committee|Council|Group|"
    r"Consortium|Collaborat\w*|Agency|Department|Ministry|Universit\w*|Universidad|Foundation|Network|Board|Office|"
    r"Administration|Academy|Commission|Service|Panel|Team|Initiative|Trust|Federation|College|Inc|Ltd)\b"
)
# A capital letter of any alphabet up to Armenian, so "Bolikowski Ł" and "Туберозова М" have initials.
_CAPITAL = "[" + "".join(ch for ch in map(chr, range(0x41, 0x530)) if ch.isupper()) + "]"
_NAME_WORD = r"[^\W\d_][\w'’‐-]*"  # a letter, then letters, apostrophes and hyphens
# An initial, perhaps with the rest of a hyphenated given name: "S.", "Th.", "J.-sung", "J.-. sung ."
_INITIAL = rf"{_CAPITAL}[a-z]?\.(?:-\.?\s?[a-z]+\s?\.?)?"
_INITIALS_ONLY = re.compile(rf"(?:{_INITIAL}[\s-]*){{1,4}}(?:{_SUFFIX})?")  # "S. J.", "Z.-Z." after "Rao,"
# Vancouver's initials: "SE", "S.E.", or hyphenated given names "H-F", "J-HK"
_VANCOUVER_NAME = re.compile(rf"^(?P<family>\S.*?)\s+"
                             rf"(?P<given>{_CAPITAL}(?:-?{_CAPITAL}){{0,3}}|(?:{_CAPITAL}\.\s?){{1,4}}|{_CAPITAL}(?: {_CAPITAL}){{1,3}})"
                             rf"(?:\s+(?P<suffix>{_SUFFIX}))?\.?$")
_INITIALS_FIRST = re.compile(rf"^(?P<given>(?:{_INITIAL}[\s-]*|{_CAPITAL}\s)+)\s*(?P<family>\S.*)$")
# A nickname inside a name: Liu W, “Grace” Guo W
_NICKNAME = re.compile(r"[“\"][^\W\d_][\w.-]*[”\"]\s+")
_ET_AL = re.compile(r"(?:,?\s*(?:et\s*al\.?|and\s+others|…|\.\.\.)\s*)$", re.IGNORECASE)


def _has_initials(part: str) -> bool:
    return bool(_VANCOUVER_NAME.match(part) or _INITIALS_FIRST.match(part) or re.search(rf",\s*{_CAPITAL}", part))


def _is_organisation(text: str) -> bool:
    """A corporate author: capitalised words, an organisation word or an
    acronym ("WHO"; a shorter capitalised word is no organisation), no sentence."""
    words = text.split()
    if not words or len(words) > 14 or re.search(r"[.?!;]\s", text):
        return False
    if _ORG_WORDS.search(text):
        return True
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) == 1 and len(capitalised) == 1 and (len(text) > 3 or bool(re.fullmatch(r"[A-Z]{2,3}", text)))



def parse_authors(text: str) -> tuple[list[Name], bool]:
    """The names in a printed author list, and whether it ends in "et al."."""
    text = _NICKNAME.sub("", text).strip(" ,;")
    if not text.strip("."):
        return [], False
    et_al = bool(_ET_AL.search(text) or re.search(r"\bet\s*al\b|…|\.\.\.", text))
    core = re.sub(r",?\s*\bet\s*al\b\.?,?", "", _ET_AL.sub("", text)).strip(" ,")
    if _is_organisation(core.rstrip(".")) and not _has_initials(core) and not _is_mononym(core.rstrip(".")):
        return [Name(literal=core.rstrip("."))], et_al
    names = [_parse_name(part) for part in _split_name_list(core)]
    return [n for n in names if n.family or n.literal], et_al


def _is_mononym(text: str) -> bool:
    """One personal name printed alone ("Govindjee"): a single word, not an
    acronym (WHO) and no organisation word, so it is compared as a surname."""
    return (bool(re.fullmatch(_NAME_WORD, text)) and not text.isupper()
            and not _ORG_WORDS.search(text))


def _split_name_list(text: str) -> list[str]:
    """The names of an author list, whether written "Rao S, Broadbear J",
    "Rao, S., & Broadbear, J.", "S. Rao and J. Broadbear" or, with only the
    first name inverted (Chicago, MLA), "Rao, S., J. Broadbear, and K. Lee"
    or "Rao, Sanjay, and Jane Broadbear"; inverted names come back as
    "Family, Given". APA's "…" before the last author separates too."""
    text = re.sub(r"\s*(?:,\s*)?(?:&|\band\b|\bet\b(?!\s*al\b)|\bund\b|…|\.\.\.)\s*", ", ", text)
    names: list[str] = []
    for part in (p.strip() for p in re.split(r"\s*[,;]\s*", text)):
        if not part:
            continue
        if names and (re.fullmatch(_SUFFIX, part) or _is_given_of(names[-1], part, first=len(names) == 1)):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def _is_given_of(family: str, part: str, first: bool) -> bool:
    """Whether `part` holds the given names of `family`, a surname printed
    alone before it: initials after any surname ("Rao, S. J."), written-out
    given names only after the first one, the name a Chicago or MLA list
    inverts, when it is one word with particles ("van Berg, Sanjay M.")."""
    if not _is_bare_family(family):
        return False
    if _INITIALS_ONLY.fullmatch(part) or re.fullmatch(rf"(?:{_INITIAL}[\s-]*)*{_CAPITAL}", part):
        return True  # "S. J.", or "S. J" where a full stop ended the author list
    words = part.split()
    initials = [bool(_INITIALS_ONLY.fullmatch(w)) for w in words]
    if any(initials) and all(is_initial or w in _PARTICLES for w, is_initial in zip(words, initials)):
        return True  # "A. C. de A."
    surname = [w for w in family.split() if w.lower() not in _PARTICLES]
    return (first and len(surname) == 1 and len(words) <= 3
            and all(re.fullmatch(rf"{_CAPITAL}\.|{_CAPITAL}[\w'’‐-]+\.?", w) for w in words))


def _is_bare_family(part: str) -> bool:
    """A surname printed alone, waiting for its given names after a comma
    ("Rao" in "Rao, S.", "Abd. Rahman", "St. George"): no initials, no
    organisation word."""
    return (not _has_initials(re.sub(r"^Ste?\.\s+", "", part)) and not _ORG_WORDS.search(part) and len(part.split()) <= 4
            and bool(re.fullmatch(rf"{_NAME_WORD}\.?(?:\s+{_NAME_WORD}\.?)*", part)))


def _parse_name(part: str) -> Name:
    """One printed personal name (or organisation) as a Name."""
    part = part.strip(" ")
    if "," not in part:
        part = part.rstrip(".")
    suffix = ""
    m = re.search(rf",?\s+({_SUFFIX})$", part)
    if m and len(part) > len(m.group(0)) + 2:
        suffix, part = m.group(1).rstrip("."), part[: m.start()].strip()
    if "," in part:
        family, given = (s.strip() for s in part.split(",", 1))
        return Name(family=family, given=given, suffix=suffix)
    if _ORG_WORDS.search(part) or len(part.split()) > 5:
        return Name(literal=part)
    m = _VANCOUVER_NAME.match(part + ".")
    # "A. ALsakran M" is Vancouver (family "A. ALsakran"); "S. J. LI" is not
    if m and (not _INITIALS_FIRST.match(part) or re.search(rf"{_CAPITAL}[^\W\d_]+(?!\.)", m.group("family"))):
        return Name(family=m.group("family").strip(), given=m.group("given").strip(),
                    suffix=suffix or (m.group("suffix") or "").rstrip("."))
    m = _INITIALS_FIRST.match(part)
    if m:
        return Name(family=m.group("family").strip(), given=m.group("given").strip(), suffix=suffix)
    words = part.split()
    start = len(words) - 1
    while start > 0 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]), suffix=suffix)


# --- title, container, locator ------------------------------------------------

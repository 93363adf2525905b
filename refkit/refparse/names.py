"""Split a printed author (or editor) list into personal names.

The labeller finds where the author list stands; this module reads the names
inside it, whether printed "Rao S, Broadbear J", "Rao, S., & Broadbear, J.",
"S. Rao and J. Broadbear", "R. M. Moon, T. Riste", with only the first name
inverted (Chicago, MLA) or as one organisation ("World Health Organization").
"""

from __future__ import annotations

import re
from functools import lru_cache

from refkit.model import Name

PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
                       "ten", "ter", "aan", "het", "op", "bin", "ibn", "al", "el", "st"})
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
_ET_AL = re.compile(r"(?:,?\s*(?:et\s*al\.?|&\s*al\.?|and\s+others|…|\.\.\.)\s*)$", re.IGNORECASE)
_ET_AL_ANYWHERE = re.compile(r"\bet\s*al\b|…|\.\.\.")
_ET_AL_INSIDE = re.compile(r",?\s*\bet\s*al\b\.?,?")
# A role printed with the names it is for: in brackets anywhere ("Smith, J. (Ed.)",
# "Carter M (ed)", "Wanner C (Hrsg.)"), or after them: "Nelson, Cary, editor.", "…, trans."
_EDITOR_WORDS = r"eds?|edd|editors?|hrsg|hg|dirs?|coords?|a\s+cura\s+di|a\s+c\.\s+di"  # as printed in brackets
EDITOR_IN_BRACKETS = re.compile(rf"\(\s*(?:{_EDITOR_WORDS})\.?\s*\)", re.IGNORECASE)
ROLE_IN_BRACKETS = re.compile(rf"\s*\((?:{_EDITOR_WORDS}|trans|transl|translators?|comp|compilers?)\.?\)",
                              re.IGNORECASE)
_ROLE_AT_END = re.compile(r",?\s*\b(editors?|eds?\.?|translators?|trans\.|compilers?)\s*\.?$", re.IGNORECASE)
ROLE_LONGEST = 24  # characters: a role printed after names is looked for in their last ones only
_HAS_LETTER = re.compile(r"[^\W\d_]")
# degrees after a name that no initials look like ("D.D." and "M.A." may be initials)
_DEGREES = frozenset({"Ph.D.", "PhD", "LL.D.", "D.Phil.", "M.Sc.", "B.Sc.", "MD", "M.Phil."})
NAME_BREAK = re.compile(r"\s*(?:[,;&]|\band\b)\s*")  # between the names of a list
_COMMA_CAPITAL = re.compile(rf",\s*{_CAPITAL}")  # "Rao, S"
_SENTENCE_END = re.compile(r"[.?!;]\s")
_ACRONYM = re.compile(r"[A-Z]{2,3}")
_ONE_NAME_WORD = re.compile(_NAME_WORD)
_NAME_SEPARATOR = re.compile(r"\s*(?:,\s*)?(?:&|\band\b|\bAND\b|\bet\b(?!\s*al\b)|\bund\b|…|\.\.\.)\s*")
# what each _NAME_SEPARATOR holds: a list with none (two in three) is spared the search
_SEPARATOR_MARKS = ("&", "and", "AND", "et", "und", "…", "...")
_LIST_SEPARATOR = re.compile(r"\s*([,;])\s*")
ONE_SUFFIX = re.compile(_SUFFIX)
_SUFFIX_AT_END = re.compile(rf",?\s+({_SUFFIX})$")
_INITIALS_THEN_CAPITAL = re.compile(rf"(?:{_INITIAL}[\s-]*)*{_CAPITAL}")  # "S. J", a full stop cut off
_GIVEN_WORD = re.compile(rf"{_CAPITAL}\.|{_CAPITAL}[\w'’‐-]+\.?")
_SAINT = re.compile(r"^Ste?\.\s+")
_NAME_WORDS = re.compile(rf"{_NAME_WORD}\.?(?:\s+{_NAME_WORD}\.?)*")
# the list's full stop after written-out given names ("Toni.", "Simone de."), not an abbreviation's ("V.Yu.", "Th.", "Wm.")
_WRITTEN_OUT_STOP = re.compile(r"^[^.]*(?<![^\W\d_])(?:(?!(?:Wm|Chas|Jas|Thos|Geo|Robt|Benj|Saml|Jos)\.)[^\W\d_]{3,}"
                               r"|de|da|di|du|la|le|van|von|der|den|del|dos|das)\.$")
_WRITTEN_OUT = re.compile(rf"{_CAPITAL}[^\W\d_]+(?!\.)")  # a capital and letters with no full stop


def _has_initials(part: str) -> bool:
    return bool(_VANCOUVER_NAME.match(part) or _INITIALS_FIRST.match(part) or _COMMA_CAPITAL.search(part))


def _is_organisation(text: str) -> bool:
    """A corporate author: capitalised words, an organisation word or an
    acronym ("WHO"; a shorter capitalised word is no organisation), no sentence."""
    words = text.split()
    if not words or len(words) > 14 or _SENTENCE_END.search(text):
        return False
    if _ORG_WORDS.search(text):
        return True
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) == 1 and len(capitalised) == 1 and (len(text) > 3 or bool(_ACRONYM.fullmatch(text)))



def parse_authors(text: str) -> tuple[list[Name], bool]:
    """The names in a printed author list, and whether it ends in "et al."."""
    text = _NICKNAME.sub("", text).strip(" ,;")
    if not text.strip("."):
        return [], False
    ending = _ET_AL.search(text)  # anchored at the end: it matches once, and is cut off
    et_al = bool(ending or _ET_AL_ANYWHERE.search(text))
    core = text[:ending.start()] if ending else text
    if "et" in core:  # what _ET_AL_INSIDE needs: most lists are spared the search
        core = _ET_AL_INSIDE.sub("", core)
    core = _without_role(core).strip(" ,")
    if _is_organisation(core.rstrip(".")) and not _has_initials(core) and not _is_mononym(core.rstrip(".")):
        return [Name(literal=core.rstrip("."))], et_al
    names = [_parse_name(part) for part in _split_name_list(core)]
    return [n for n in names if _HAS_LETTER.search(n.family + n.given + n.literal)], et_al


def _without_role(text: str) -> str:
    """An author list without the role printed with it: in brackets ("Smith,
    J. (Ed.)"), in lower case ("Ann Lee, trans.") or after a comma ("Nelson,
    Cary, Editor", "Roth, G., Eds"); "Ed." after a comma only after a
    name's given names ("Smith, J., Ed."): in "Smith, J., Wu, Ed." it is Wu's
    given name, and "Adamson ED" has initials."""
    text = ROLE_IN_BRACKETS.sub("", text) if "(" in text else text.replace(")", "")  # "Ed.)" cut from its "("
    role = _ROLE_AT_END.search(text, max(0, len(text) - ROLE_LONGEST))
    if not role:
        return text
    if not role.start():
        return ""  # a role alone names no one
    word, before = role.group(1), text[:role.start()]
    after_comma = role.group(0).lstrip().startswith(",")
    if word.islower() or after_comma and (word.lower() not in ("ed.", "trans.") or _ends_with_given(before)):
        return before  # "Council of Science Editors" is no role, nor "Wu, Ed."
    return text


def _ends_with_given(text: str) -> bool:
    """Whether `text` ends with a surname and its given names ("Smith, J.",
    "Smith, John"), not with a surname alone ("…, J., Wu")."""
    parts = NAME_BREAK.split(text.strip())
    return (len(parts) >= 2 and bool(parts[-1]) and _is_bare_family(parts[-2])
            and not _INITIALS_ONLY.fullmatch(parts[-2]))


def _is_mononym(text: str) -> bool:
    """One personal name printed alone ("Govindjee"): a single word, not an
    acronym (WHO) and no organisation word, so it is compared as a surname."""
    return (bool(_ONE_NAME_WORD.fullmatch(text)) and not text.isupper()
            and not _ORG_WORDS.search(text))


def _split_name_list(text: str) -> list[str]:
    """The names of an author list, whether written "Rao S, Broadbear J",
    "Rao, S., & Broadbear, J.", "S. Rao and J. Broadbear" or, with only the
    first name inverted (Chicago, MLA), "Rao, S., J. Broadbear, and K. Lee"
    or "Rao, Sanjay, and Jane Broadbear"; inverted names come back as
    "Family, Given". APA's "…" before the last author separates too."""
    if any(mark in text for mark in _SEPARATOR_MARKS):
        text = _NAME_SEPARATOR.sub("; ", text)  # "and" ends a name: nothing after it is a given name
    names: list[str] = []
    pieces = _LIST_SEPARATOR.split(text)  # name, separator, name, …
    parts = [(piece.strip(), pieces[i - 1] if i else "") for i, piece in enumerate(pieces) if not i % 2]
    parts = [(part, separator) for part, separator in parts if part and part not in _DEGREES]
    for (part, separator), (following, _) in zip(parts, [*parts[1:], ("", "")]):
        if names and separator == "," and (ONE_SUFFIX.fullmatch(part)
                                           or _is_given_of(names[-1], part, len(names) == 1)
                                           and not _awaits_initials(part, following)):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


def _awaits_initials(part: str, following: str) -> bool:
    """Whether written-out `part` is a surname whose initials follow it
    ("Sunil, Sharma, P.", "Ban-Leong Ooi, Ma, J. Y."), not given names
    before a suffix or a degree ("King, Martin Luther, Jr.", "South, Robert, Ph.D.")."""
    return (bool(_INITIALS_ONLY.fullmatch(following)) and not _INITIALS_ONLY.fullmatch(part)
            and not ONE_SUFFIX.fullmatch(following) and following not in _DEGREES)


def _is_given_of(family: str, part: str, first: bool) -> bool:
    """Whether `part` holds the given names of `family`, a surname printed
    alone before it: initials after any surname ("Rao, S. J."), written-out
    given names only after the first one, the name a Chicago or MLA list
    inverts, when it is one word with particles ("van Berg, Sanjay M."), or
    two before one given name ("Lopez de Prado, Marcos"), but not one with
    its own initials after it (see _awaits_initials)."""
    if not _is_bare_family(family):
        return False
    if _INITIALS_ONLY.fullmatch(part) or _INITIALS_THEN_CAPITAL.fullmatch(part):
        return True  # "S. J.", or "S. J" where a full stop ended the author list
    words = part.split()
    initials = [bool(_INITIALS_ONLY.fullmatch(w)) for w in words]
    if any(initials) and all(is_initial or w in PARTICLES for w, is_initial in zip(words, initials)):
        return True  # "A. C. de A."
    while len(words) > 1 and words[-1].rstrip(".").lower() in PARTICLES:
        words = words[:-1]  # "Beauvoir, Simone de."
    surname = [w for w in family.split() if w.rstrip(".").lower() not in PARTICLES]
    # two surnames only before one given name: "John Smith, Jane Doe" is two names
    two_surnames = len(surname) == 2 and len(words) == 1 and not words[0].isupper()  # "World Bank, UNICEF"
    return (first and (len(surname) == 1 and len(words) <= 3 or two_surnames)
            and all(_GIVEN_WORD.fullmatch(w) for w in words))


def _is_bare_family(part: str) -> bool:
    """A surname printed alone, waiting for its given names after a comma
    ("Rao" in "Rao, S.", "Abd. Rahman", "St. George"): no initials, no
    organisation word."""
    return (not _has_initials(_SAINT.sub("", part)) and not _ORG_WORDS.search(part) and len(part.split()) <= 4
            and bool(_NAME_WORDS.fullmatch(part)))


@lru_cache(maxsize=8192)
def _parse_name(part: str) -> Name:
    """One printed personal name (or organisation) as a Name (immutable;
    kept by its text, as one author is printed in many references)."""
    part = part.strip(" ")
    if "," not in part:
        part = part.rstrip(".")
    suffix = ""
    m = _SUFFIX_AT_END.search(part)
    if m and len(part) > len(m.group(0)) + 2:
        suffix, part = m.group(1).rstrip("."), part[: m.start()].strip()
    if "," in part:
        family, given = (s.strip() for s in part.split(",", 1))
        if _WRITTEN_OUT_STOP.search(given):  # the list's full stop, not an initial's: "Morrison, Toni."
            given = given[:-1]
        return Name(family=family, given=given, suffix=suffix)
    if _ORG_WORDS.search(part) or len(part.split()) > 5:
        return Name(literal=part)
    m = _VANCOUVER_NAME.match(part + ".")
    # "A. ALsakran M" is Vancouver (family "A. ALsakran"); "S. J. LI" is not
    if m and (not _INITIALS_FIRST.match(part) or _WRITTEN_OUT.search(m.group("family"))):
        return Name(family=m.group("family").strip(), given=m.group("given").strip(),
                    suffix=suffix or (m.group("suffix") or "").rstrip("."))
    m = _INITIALS_FIRST.match(part)
    if m:
        return Name(family=m.group("family").strip(), given=m.group("given").strip(), suffix=suffix)
    words = part.split()
    start = len(words) - 1
    while start > 0 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]), suffix=suffix)


# --- title, container, locator ------------------------------------------------

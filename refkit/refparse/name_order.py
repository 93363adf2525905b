"""An author list ends where its names do, as the order of its names tells.

Printed initials first, it ends on a family name: "I. Antoniadis, J. Rizos,
K. Tamvakis Singularity-free cosmological solutions…": with no stop between
the last author and the title, the CRF, which sees two tokens either side,
often ends the authors at "K." and opens the title with "Tamvakis". A list
whose every name is printed "K. Family" cannot end on initials alone (nor
be one name of initials alone: "M. Gasperini Tensor perturbations …"), so the
words after them are the last author's family name: one capitalised word,
with the particles before it ("J. Van der Jeugt") and the pieces joined to it
("Mar-shall", "Krasil’nikov").

Printed family name first, it ends at the stop after its last initials:
"Li J, Aderem A. MacMARCKS, a novel member…", "…, & Gaeta, A. L. Ultrafast,
single-shot…". The CRF sometimes runs such a list into the title's first
word; no name of a Vancouver list takes a stop but the last, and an APA
name's initials end it, so words after that stop are the title's.

And a list's last part that is no name is the title when the reference has
none: "K. G. Wilson, Confinement of Quarks, Phys. Rev. D 10".
"""

from __future__ import annotations

from collections.abc import Sequence

from refkit.refparse.names import ONE_SUFFIX, PARTICLES
from refkit.refparse.states import first_span

_SEPARATORS = frozenset({",", "and", "&", ";"})
_JOINS = frozenset({"-", "‐", "'", "’"})
# what ends a list of names, or makes one of a group
_NOT_TITLE = frozenset({"et", "al", "others", "jr", "sr", "collaboration", "group", "consortium", "team"})
# species named after a genus' initial, which a title may open with ("E. Coli Outbreak …")
_SPECIES = frozenset({"coli", "aureus", "difficile", "pylori", "elegans", "cerevisiae", "subtilis", "pneumoniae",
                      "typhimurium", "enterica", "albicans", "faecalis", "faecium", "melanogaster", "thaliana",
                      "tuberculosis", "falciparum", "aeruginosa", "epidermidis", "pyogenes", "mutans", "gingivalis",
                      "trachomatis", "gonorrhoeae", "meningitidis", "influenzae", "jejuni", "monocytogenes",
                      "cholerae", "pestis", "burgdorferi", "sapiens", "musculus", "norvegicus", "rerio", "laevis",
                      "pombe", "crassa", "sativa", "mays", "vinifera", "lactis", "acidophilus", "plantarum",
                      "baumannii", "typhi", "fumigatus", "vulgaris", "mirabilis", "marcescens", "cloacae", "rex"})
_COUNTRIES = (["U", ".", "S", "."], ["U", ".", "S"], ["U", ".", "K", "."], ["U", ".", "K"])  # "U.S. Department of …"
_TITLE_LEFT = 3  # words the title must keep for the mend to be sure


def end_on_family(words: Sequence[str], labels: list[str]) -> list[str]:
    """`labels` with the first author list ending on a family name when it
    is printed initials first and the CRF ended it on initials, taking the
    family name from the title (see the module's docstring)."""
    first, end = first_span(labels, "author")
    if first < 0:
        return labels
    # the cheap tests first: nearly every list fails one of them
    if not (end + 1 < len(words) and words[end] == "." and _is_capital(words[end - 1]) and labels[end + 1] == "title"
            and _initials_first(words[first:end])):
        return labels
    family_end = _family_end(words, end + 1)
    if not family_end or any(label != "title" for label in labels[end + 1:family_end]) \
            or _is_species(words[family_end - 1]) \
            or _title_words(words, labels, family_end) < _TITLE_LEFT:
        return labels
    mended = list(labels)
    mended[end:family_end] = ["author"] * (family_end - end)
    return mended


def title_after_names(words: Sequence[str], labels: list[str]) -> list[str]:
    """`labels` with the last part of an initials-first author list labelled
    the title when it is no name and the reference has no title: "K. G.
    Wilson, Confinement of Quarks, Phys. Rev. D 10" (the CRF ran the list on
    to the title it did not find). A part of one word ("Fractals"), opening
    on an acronym ("PoS Lattice 2014") or ending on an abbreviation ("Zh.")
    may be a journal, and is left."""
    first, end = first_span(labels, "author")
    if first < 0 or "title" in labels:
        return labels
    comma = next((at for at in range(end - 2, first, -1) if words[at] == ","), 0)
    part = words[comma + 1:end]
    if not comma or len(part) < 2 or not _is_word(part[0]) or not part[0][1:].islower() or any(map(_is_capital, part)) \
            or end < len(words) and words[end] == "." or any(word.lower() in _NOT_TITLE for word in part) \
            or not _whole_names(words[first:comma]):
        return labels
    return [*labels[:comma], "O", *["title"] * (end - comma - 1), *labels[end:]]


def _whole_names(words: Sequence[str]) -> bool:
    """Whether `words` are names printed "K. Family" only."""
    return all(map(_is_whole_name, _names(words)))


def end_at_initials(words: Sequence[str], labels: list[str]) -> list[str]:
    """`labels` with the first author list ending at the stop after its
    last initials when it is printed family name first and the CRF ran it
    into the title ("Li J, Aderem A. MacMARCKS, a novel member…",
    "…, & Gaeta, A. L. Ultrafast, single-shot…"): the words after that stop,
    up to the title, are the title's first."""
    first, end = first_span(labels, "author")
    if first < 0 or first + 2 >= len(words) or not _is_word(words[first]) \
            or not (_is_initials_word(words[first + 1]) and words[first + 2] in _SEPARATORS
                    or words[first + 1] == "," and _is_capital(words[first + 2])):
        return labels
    title = end
    while title < len(labels) and labels[title] == "O" and not words[title].isalnum():
        title += 1
    if title == end or title >= len(labels) or labels[title] != "title":
        return labels
    cut = _last_initials_end(words, first, end)
    if not cut or not any(map(_is_word, words[cut + 1:end])) \
            or not (words[cut + 1][:1].isupper() or words[cut + 1][:1].isdigit()) \
            or ONE_SUFFIX.fullmatch(words[cut + 1]):
        return labels
    return [*labels[:cut], "O", *["title"] * (title - cut - 1), *labels[title:]]


def _last_initials_end(words: Sequence[str], first: int, end: int) -> int:
    """The stop after the list's last initials ("Aderem A .", "Gaeta , A . L ."),
    when no name follows it before `end`; 0 when there is none."""
    for at in range(first + 3, end - 1):
        if words[at + 1] == "." and (_is_initials_word(words[at]) or _is_capital(words[at])) \
                and _after_family(words, first, at):
            stop = at + 1
            while stop + 1 < end and _is_capital(words[stop + 1]) and (stop + 2 == end or words[stop + 2] == "."):
                stop += 2
            if not any(word in _SEPARATORS for word in words[stop:end]):
                return stop
    return 0


def _after_family(words: Sequence[str], first: int, at: int) -> bool:
    """Whether the initials at `at` follow their family name ("Aderem A",
    "and Vulic, I"), not open a name ("…, and R. Harper", "Kim HJ, J.",
    "Trimba R, Jeffrey M. Spivak, John A. Bendo")."""
    if words[at - 1] != ",":  # Vancouver, whose initials take no stop but the list's last
        return _is_family(words[at - 1]) and "." not in words[first:at]
    return _is_family(words[at - 2]) and (at - 2 == first or words[at - 3] in _SEPARATORS)


def _is_family(word: str) -> bool:
    return _is_word(word) and not _is_initials_word(word)


def _is_initials_word(word: str) -> bool:
    """Vancouver initials: "J", "AM", "JLK"."""
    return 0 < len(word) <= 3 and word.isalpha() and word.isupper()


def _initials_first(words: Sequence[str]) -> bool:
    """Whether `words`, an author list, holds names printed "K. Family"
    only, the last one cut after its initials ("…, K. S.", or "M." alone);
    "U. S." is a country's, not a person's."""
    *whole, last = _names(words)
    return _is_initials(last) and all(map(_is_whole_name, whole)) and (whole or last not in _COUNTRIES)


def _is_species(word: str) -> bool:
    """A species' name after its genus' initial: "E. coli", "S. aureus"."""
    return word.lower() in _SPECIES


def _names(words: Sequence[str]) -> list[list[str]]:
    """The words of each name of a list, split at its separators."""
    names, name = [], []
    for word in words:
        if word in _SEPARATORS:
            if name:
                names.append(name)
            name = []
        else:
            name.append(word)
    names.append(name)
    return names


def _is_whole_name(name: list[str]) -> bool:
    """A name printed "K. Family": initials, then a family name only."""
    initials = 0
    while initials + 1 < len(name) and _is_initials(name[initials:initials + 2]):
        initials += 2
    return initials > 0 and _family_end(name, initials) == len(name)


def _is_initials(name: list[str]) -> bool:
    """Initials with their full stops: "K .", "K . S .", "U . A"."""
    letters, stops = name[0::2], name[1::2]
    return bool(letters) and all(map(_is_capital, letters)) and all(stop == "." for stop in stops)


def _is_capital(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _family_end(words: Sequence[str], start: int) -> int:
    """Where a family name starting at `start` ends ("Tamvakis", "Van der
    Jeugt", "Mar - shall"), or 0 when none starts there."""
    at = start
    while at < len(words) and words[at].lower() in PARTICLES:
        at += 1
    if at >= len(words) or not (_is_word(words[at]) or _is_capital(words[at]) and at + 1 < len(words)
                                and words[at + 1] in _JOINS):  # "O’Connor", "D'Angelo"
        return 0
    at += 1
    while at + 1 < len(words) and words[at] in _JOINS and words[at + 1].isalpha():
        at += 2
    return at


def _title_words(words: Sequence[str], labels: Sequence[str], start: int) -> int:
    """How many words the title span holds from `start`."""
    count = 0
    for word, label in zip(words[start:], labels[start:]):
        if label != "title":
            break
        count += word[0].isalnum()
    return count


def _is_word(word: str) -> bool:
    """A capitalised word of letters, as a family name is printed."""
    return len(word) > 1 and word.isalpha() and word[0].isupper()

"""Who a labelled reference names: its authors and its editors.

The labeller marks author and editor names; whom they name is settled here
by the role printed with them. Names marked as a role ("Abara, L. (Ed.).",
"Nelson, Cary, editor.", "Oxman, R. eds.") are the work's editors, even when
labelled authors: the work is an edited book. Names that open the reference
with no role ("J. Okafor, Editor's note: …", "Friedman, M. … (5th ed.)") are
its authors, even when labelled editors. A chapter's editors keep their
place ("In: Brandt T, Yi S, editors."), without the words around them.
"""

from __future__ import annotations

import re

from refkit.model import Name
from refkit.refparse.names import EDITOR_IN_BRACKETS, NAME_BREAK, ROLE_IN_BRACKETS, ROLE_LONGEST, parse_authors

Run = tuple[str, int, int]  # a field: label, first character, end character

# an editors' role printed with their names: "(Eds.)", "(Hrsg.)", "(edd.)", ", editor", " eds." —
# not "Smith, Ed." (a name), "Fox R. Editor, heal thyself" (a title) or "Council of Science Editors"
_EDITOR_ROLE = (rf"(?:{EDITOR_IN_BRACKETS.pattern}|,\s*(?:(?-i:eds?\.|edd\.)|editors?(?![\w'’]))"
                r"|\s(?-i:eds?\.|edd\.|editors?(?![\w'’])))")
_ROLE_AFTER = re.compile(r"[\s.]*" + _EDITOR_ROLE, re.IGNORECASE)
_ROLE_AT_END = re.compile(_EDITOR_ROLE + r"\s*\.?$", re.IGNORECASE)
_EDITED_BY = re.compile(r"^(?:(?:edited|ed\.|eds\.|translated|trans\.|and|hrsg\.|hg\.)\s+)+(?:by|von)\s+|^(?:edited|ed\.)\s+",
                        re.IGNORECASE)
_TRANSLATED_BY = re.compile(r"[,;]?\s*\b(?:translated|trans\.)\s+(?:by\s+)?", re.IGNORECASE)
_ENDS_IN_INITIAL = re.compile(r"(?:^|[\s.-])[^\W\d_]{1,2}$")


def read_people(text: str, runs: list[Run]) -> tuple[list[Name], bool, list[Name]]:
    """The authors, whether "et al." ends their list, and the editors of the
    reference `text` whose fields are `runs` (see the module's docstring)."""
    authors = [(start, end) for label, start, end in runs if label == "author"]
    editors = [(start, end) for label, start, end in runs if label == "editor"]
    leading = next((i for i, run in enumerate(runs) if run[0] != "editor"), len(runs))
    if not authors and leading and not _role_marked(text, runs[0][1], runs[leading - 1][2]):
        authors, editors = editors[:leading], editors[leading:]
    names, et_al = parse_authors(" , ".join(_listed(text, start, end) for start, end in authors))
    edited = parse_authors(" , ".join(_editor_names(_listed(text, start, end)) for start, end in editors))[0] \
        if editors else []
    if names and _role_marked(text, *authors[-1]):  # the last run's: a role far after is another's
        return [], et_al, names + edited
    return names, et_al, edited


def _role_marked(text: str, start: int, end: int) -> bool:
    """Whether the names from `start` to `end` are printed as editors."""
    names = text[start:end]
    return bool(_ROLE_AFTER.match(text, end) or _ROLE_AT_END.search(names, max(0, len(names) - ROLE_LONGEST))
                or "(" in names and EDITOR_IN_BRACKETS.search(names))


def _listed(text: str, start: int, end: int) -> str:
    """A name list's text, with the full stop after a final initial ("C. J.",
    "J.-. sung.") when the last name is written with stops."""
    last_name = NAME_BREAK.split(text[start:end])[-1]
    if text[end:end + 1] == "." and (_ENDS_IN_INITIAL.search(last_name) or "." in last_name):
        end += 1
    return text[start:end]


def _editor_names(text: str) -> str:
    """An editor field's names, without the words that introduce them
    ("Edited and translated by …"), the translators printed after them
    ("…, translated by Caryl Emerson"), whom a reference keeps no field for,
    and what follows their role ("M. Cope & S. Elwood (Eds.), Qualitative GIS")."""
    names = _TRANSLATED_BY.split(_EDITED_BY.sub("", text), maxsplit=1)[0]
    return ROLE_IN_BRACKETS.split(names, maxsplit=1)[0] if "(" in names else names

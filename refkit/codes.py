"""The finding codes of design/FINDINGS.md: refkit's public, stable vocabulary.

Users select, ignore and gate on these codes in CI, so a code keeps its
meaning once released; new codes are only ever added.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: "Severity") -> bool:
        return self.rank >= other.rank


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True)
class Code:
    """One finding code: its number, short name, default severity and meaning."""

    code: str
    name: str
    severity: Severity
    meaning: str


DOI_MALFORMED = Code("RK101", "doi-malformed", Severity.ERROR,
                     "the printed DOI is not a syntactically valid DOI")
DOI_NOT_REGISTERED = Code("RK102", "doi-not-registered", Severity.ERROR,
                          "the printed DOI is not registered with any agency and no correction validates")
DOI_CORRECTED = Code("RK103", "doi-corrected", Severity.ERROR,
                     "the printed DOI is wrong and a validated correction exists")
DOI_OTHER_WORK = Code("RK104", "doi-other-work", Severity.ERROR,
                      "the printed DOI is registered to a different work than the one cited")
DOI_IS_COMPONENT = Code("RK105", "doi-is-component", Severity.ERROR,
                        "the printed DOI names a container or part (issue, figure, supplement, book)")
DOI_MISSING_FOUND = Code("RK106", "doi-missing-found", Severity.WARNING,
                         "no DOI printed; a validated DOI was found")
DOI_MISSING = Code("RK107", "doi-missing", Severity.INFO,
                   "no DOI printed and none validated")
COPIES_DISAGREE = Code("RK108", "copies-disagree", Severity.WARNING,
                       "two copies of the same document print different values for the same thing")
DOI_OTHER_AGENCY = Code("RK109", "doi-other-agency", Severity.INFO,
                        "the DOI is registered outside Crossref; not verified against Crossref metadata")
DOI_SHARED = Code("RK110", "doi-shared", Severity.ERROR,
                  "entries of one list or file print the same DOI; it belongs to at most one of them")
AUTHOR_DIFFERS = Code("RK201", "author-differs", Severity.WARNING,
                      "author names differ from the registered record")
YEAR_DIFFERS = Code("RK202", "year-differs", Severity.WARNING,
                    "the year differs beyond online/print tolerance")
TITLE_DIFFERS = Code("RK203", "title-differs", Severity.WARNING,
                     "the title differs beyond case, punctuation, markup and subtitle conventions")
CONTAINER_DIFFERS = Code("RK204", "container-differs", Severity.WARNING,
                         "journal or book title differs beyond abbreviation conventions")
LOCATOR_DIFFERS = Code("RK205", "locator-differs", Severity.WARNING,
                       "volume, issue or pages differ")
WORK_UPDATED = Code("RK301", "work-updated", Severity.WARNING,
                    "the work has a registered correction, retraction, withdrawal or expression of concern")
PREPRINT_PUBLISHED = Code("RK302", "preprint-published", Severity.INFO,
                          "the cited preprint has a published version (Crossref relation is-preprint-of)")
NOTE_ORPHANED = Code("RK401", "note-orphaned", Severity.WARNING,
                     "an annotation could not be attached to a reference with confidence")
CITATION_UNLISTED = Code("RK402", "citation-unlisted", Severity.WARNING,
                         "the text cites something that no reference list entry resolves")
RECORD_UNREADABLE = Code("RK403", "record-unreadable", Severity.ERROR,
                         "a record (or a whole file) could not be read and was skipped; the rest was read")
LIST_SUSPECT = Code("RK404", "list-suspect", Severity.WARNING,
                    "a reference list looks wrong: numbering gaps or restarts, too few or too long entries")
KEY_UNDEFINED = Code("RK405", "key-undefined", Severity.WARNING,
                     "a key the .aux or .tex cites is absent from the bibliography")
UNVERIFIED = Code("RK501", "unverified", Severity.WARNING,
                  "Crossref could not be asked; the result rests on the document alone")

ALL_CODES: dict[str, Code] = {
    c.code: c
    for c in (
        DOI_MALFORMED, DOI_NOT_REGISTERED, DOI_CORRECTED, DOI_OTHER_WORK, DOI_IS_COMPONENT,
        DOI_MISSING_FOUND, DOI_MISSING, COPIES_DISAGREE, DOI_OTHER_AGENCY, DOI_SHARED,
        AUTHOR_DIFFERS, YEAR_DIFFERS, TITLE_DIFFERS, CONTAINER_DIFFERS, LOCATOR_DIFFERS,
        WORK_UPDATED, PREPRINT_PUBLISHED, NOTE_ORPHANED, CITATION_UNLISTED, RECORD_UNREADABLE,
        LIST_SUSPECT, KEY_UNDEFINED, UNVERIFIED,
    )
}


"""The decision logic: verify printed DOIs, correct wrong ones, find
missing ones, and flag what differs — never trusting a DOI that resolves
until its record matches the reference (design/FINDINGS.md).

Requests are few and batched: printed DOIs are verified 50 to a list
request, each citation that needs it is searched (one search each), and
generated corrections are checked 50 to a request. They are asked as soon
as they can be (`_Flow`): searches for references without a DOI start with
the first batch, a wrong DOI's search as soon as its batch has answered,
corrections as soon as 50 are waiting, so the client's pacer, not the order
of steps, sets the pace.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from refkit import codes
from refkit.resolving import corrections, notices
from refkit.doi import clean, find_dois, is_valid, normalize
from refkit.errors import RefkitError
from refkit.resolving.match import (
    CONTAINER_TYPES,
    MatchScore,
    best_match,
    differences,
    score,
)
from refkit.model import Citation, CitationKind, Finding, Resolution, Status, Work
from refkit.resolving.scheduler import Scheduler
from refkit.settings import MAX_DOI_LENGTH

Progress = Callable[[int], None]

# What can be wrong with a printed DOI (or its absence), in the words of the report.
MALFORMED, UNREGISTERED, OTHER_WORK, COMPONENT, NO_DOI = (
    "malformed", "unregistered", "other-work", "component", "no-doi")
_PROBLEM_CODES = {UNREGISTERED: codes.DOI_CORRECTED, MALFORMED: codes.DOI_CORRECTED,
                  OTHER_WORK: codes.DOI_OTHER_WORK, COMPONENT: codes.DOI_IS_COMPONENT,
                  NO_DOI: codes.DOI_MISSING_FOUND}
_SEVERE_UPDATES = ("retraction", "withdrawal", "removal", "retracted", "withdrawn")
_SEARCH_ROWS = 5
_BATCH = 50  # DOIs per list request, as the Crossref client sends them
# Who goes first when several questions could be asked: batches unlock
# searches and conclusions, an agency question ends a reference's path, a
# wrong DOI's search may lead to corrections, a missing DOI's leads nowhere.
_ASK_BATCH, _ASK_AGENCY, _SEARCH_WRONG, _SEARCH_MISSING = range(4)


@dataclass
class _Case:
    """Working state for one citation while it is being resolved."""

    citation: Citation
    printed: str | None = None
    problem: str | None = None
    registered: Work | None = None  # what the printed DOI names
    registered_score: MatchScore | None = None
    results: list[Work] = field(default_factory=list)  # search results
    candidates: list[corrections.Correction] = field(default_factory=list)
    checked: dict[str, Work | None] = field(default_factory=dict)  # generated candidates looked up
    search_failed: bool = False
    agency: str | None = None  # the agency /agency named for the printed DOI (None: none)
    agency_asked: bool = False  # whether that question got an answer
    agency_error: str = ""  # why it did not, when it did not
    resolution: Resolution | None = None
    key: str = ""  # the printed DOI normalised, once

    def __post_init__(self) -> None:
        self.key = normalize(self.printed or "")


def resolve(citations: list[Citation], client: Any | None,
            progress: Progress | None = None) -> list[Resolution]:
    """Resolve every citation against Crossref through `client`
    (a `refkit.resolving.sources.crossref.CrossrefClient`); None resolves nothing and marks
    every citation unverified (RK501). Results come back in input order."""
    tick = progress or (lambda _n: None)
    if client is None:
        resolutions = [_unverified(c, "no Crossref client was given") for c in citations]
        tick(len(citations))
        return resolutions
    cases = [_Case(c, printed=_printed_doi(c)) for c in citations]
    _Flow(cases, client, tick).run()
    for case in cases:
        if case.resolution is None:
            case.resolution = _conclude(case, client)
    resolutions = [case.resolution for case in cases]
    add_published_versions(resolutions, client)
    return resolutions


def _printed_doi(citation: Citation) -> str | None:
    if citation.doi:
        return citation.doi
    if citation.extra.get("malformed_doi"):
        return citation.doi_printed  # malformed as printed: RK101, never a cut-down lookup
    if citation.doi_printed:
        return clean(citation.doi_printed) or citation.doi_printed.strip()
    return None


def _unverified(citation: Citation, reason: str, findings: Iterable[Finding] = ()) -> Resolution:
    finding = Finding(codes.UNVERIFIED, f"Crossref could not be asked ({reason}); "
                      "this rests on the document alone", source=citation.source,
                      printed=_printed_doi(citation), evidence={"reason": reason})
    return Resolution(citation, citation.to_work(), Status.UNVERIFIED, 0.0,
                      [*findings, finding], _now())


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _reason(client: Any) -> str:
    return getattr(client, "unavailable_reason", None) or "Crossref did not answer"


def _setting(client: Any, name: str, default: Any) -> Any:
    """A setting of the client's, or `default` for a source without settings."""
    return getattr(getattr(client, "settings", None), name, None) or default


def _registry(client: Any) -> str:
    """Who answers, in words: "Crossref", or "the Crossref snapshot of …"."""
    return getattr(client, "registry", None) or "Crossref"


def _held(client: Any) -> str:
    """What a DOI the source knows is: registered with Crossref, or in a snapshot of it."""
    registry = _registry(client)
    return "is registered with Crossref" if registry == "Crossref" else f"is in {registry}"


def _not_held(client: Any) -> str:
    """What a DOI the source lacks is: a snapshot only knows it does not hold it."""
    registry = _registry(client)
    return "is not registered" if registry == "Crossref" else f"is not in {registry}"


# --- the order of questions -------------------------------------------------

class _Flow:
    """Ask every question the cases need, each as soon as it can be asked
    (see the module docstring); what the answers mean is decided below."""

    def __init__(self, cases: list[_Case], client: Any, tick: Progress) -> None:
        self.cases, self.client, self.tick = cases, client, tick
        self.scheduler = Scheduler(int(_setting(client, "concurrency", 3)) + 2)
        self.max_length = int(_setting(client, "max_doi_length", MAX_DOI_LENGTH))
        self._lock = threading.Lock()
        self.codes = corrections.JournalCodes(case.key for case in cases if case.printed)
        self.known: dict[str, Work | None] = {}  # every DOI looked up: printed and generated
        self.at_hand: dict[str, Work | None] = {}  # printed DOIs the source answers without a request
        self._waiting: list[str] = []  # generated DOIs not yet in a batch
        self._queued: set[str] = set()  # generated DOIs in a batch (asked, or to be)
        self._open_batches = 0  # printed-DOI batches not yet answered: they may start searches
        self._open_searches = 0  # searches of wrong DOIs not yet done: they may add candidates
        self._awaited: dict[str, list[_Case]] = defaultdict(list)  # generated DOI -> cases awaiting it
        self._unanswered: dict[int, int] = {}  # id(case) -> how many of its candidates await an answer

    def run(self) -> None:
        by_key: dict[str, list[_Case]] = defaultdict(list)
        for case in self.cases:
            if not case.printed:
                case.problem = NO_DOI
            elif not is_valid(case.printed):
                case.problem = MALFORMED
            else:
                by_key[case.key].append(case)
        self.at_hand = _at_hand(self.client, list(by_key) + _rejoined_dois(
            [case for cases in by_key.values() for case in cases]))
        chunks = _printed_batches(by_key, self.at_hand)
        self._open_batches = len(chunks)
        for chunk in chunks:
            self.scheduler.submit(_ASK_BATCH, lambda chunk=chunk: self._verify(chunk))
        for case in self.cases:
            if case.problem:
                self._search(case)
        self.scheduler.run()
        self._all_candidates()
        for case in self.cases:
            if _needs_agency(case) and not case.agency_asked:
                self.scheduler.submit(_ASK_AGENCY, lambda case=case: _ask_agency(case, self.client))
        self.scheduler.run()

    # -- printed DOIs ----------------------------------------------------------
    def _verify(self, chunk: dict[str, list[_Case]]) -> None:
        """One batch of printed DOIs: each case verified, or searched for."""
        dois = list(chunk) + [normalize(doi) for doi in _rejoined_dois([c for cs in chunk.values() for c in cs])]
        records = {doi: self.at_hand[doi] for doi in dois if doi in self.at_hand}
        records.update(_lookup(self.client, [doi for doi in dois if doi not in records]))
        with self._lock:
            self.known.update(records)  # Crossref's answers: what a candidate's lookup would give
        records.update(_registered_elsewhere(self.client, records))
        for key, cases in chunk.items():
            for case in cases:
                _classify(case, records, self.client, self.tick)
                if case.problem and case.resolution is None:
                    self._search(case)
        with self._lock:
            self._open_batches -= 1
            self._batch_waiting(flush=not (self._open_batches or self._open_searches))

    # -- searches ----------------------------------------------------------------
    def _search(self, case: _Case) -> None:
        wrong = case.problem != NO_DOI
        if wrong:
            with self._lock:
                self._open_searches += 1
        self.scheduler.submit(_SEARCH_WRONG if wrong else _SEARCH_MISSING,
                              lambda: self._searched(case, _search_one(case, self.client)))

    def _searched(self, case: _Case, results: list[Work] | None) -> None:
        """A search answered: note what it found; a wrong DOI it did not fix
        gets its corrections queued for checking."""
        case.search_failed, case.results = results is None, results or []
        self.tick(1)
        with self._lock:
            self.codes.add(normalize(w.doi) for w in case.results if w.doi)
            if case.problem != NO_DOI:
                self._open_searches -= 1
                if _wants_candidates(case):
                    case.candidates = _candidates(case, self.codes, self.max_length)
                    self._queue(case.candidates)
                    self._await(case)
            self._batch_waiting(flush=not (self._open_batches or self._open_searches))

    # -- generated corrections ---------------------------------------------------
    def _queue(self, candidates: list[corrections.Correction]) -> None:
        """Queue the candidates not yet looked up (the lock held)."""
        for key in dict.fromkeys(normalize(c.doi) for c in candidates):
            if key not in self._queued and key not in self.known:
                self._queued.add(key)
                self._waiting.append(key)

    def _batch_waiting(self, flush: bool) -> None:
        """Send the waiting candidates 50 to a batch; the rest too when
        `flush` (no search that could add more is left). The lock held."""
        while len(self._waiting) >= _BATCH or (flush and self._waiting):
            chunk, self._waiting = self._waiting[:_BATCH], self._waiting[_BATCH:]
            self.scheduler.submit(_ASK_BATCH, lambda chunk=chunk: self._check(chunk))

    def _check(self, keys: list[str]) -> None:
        records = _lookup(self.client, keys)
        ready = []
        with self._lock:
            self.known.update(records)
            for key in records:
                for case in self._awaited.pop(key, []):
                    self._unanswered[id(case)] -= 1
                    if not self._unanswered[id(case)]:
                        ready.append(case)
        for case in ready:
            self._agency_early(case)

    # -- agencies ----------------------------------------------------------------
    def _await(self, case: _Case) -> None:
        """Note which of an unregistered DOI's corrections still await an
        answer (the lock held): once none does, its agency can be asked."""
        if case.problem != UNREGISTERED:
            return
        missing = {normalize(c.doi) for c in case.candidates} - set(self.known)
        for key in missing:
            self._awaited[key].append(case)
        self._unanswered[id(case)] = len(missing)
        if not missing:
            self.scheduler.submit(_ASK_AGENCY, lambda: self._agency_early(case))

    def _agency_early(self, case: _Case) -> None:
        """Ask the agency of an unregistered DOI whose corrections all failed,
        beside the searches still running, rather than after them; the
        corrections the last searches' journal codes add are checked later,
        and should one fit, this answer goes unused."""
        with self._lock:
            case.checked = {key: self.known[key] for c in case.candidates
                            if (key := normalize(c.doi)) in self.known}
        if _generated_winner(case) is None:
            _ask_agency(case, self.client)

    def _all_candidates(self) -> None:
        """Each wrong DOI's corrections, from the journal codes of every DOI
        the run has seen (the searches' results included), those not yet
        looked up sent now; each case keeps the answers for its own."""
        wanting = [case for case in self.cases if _wants_candidates(case)]
        with self._lock:
            for case in wanting:
                case.candidates = _candidates(case, self.codes, self.max_length)
                self._queue(case.candidates)
            self._batch_waiting(flush=True)
        self.scheduler.run()
        for case in wanting:
            case.checked = {key: self.known[key] for c in case.candidates
                            if (key := normalize(c.doi)) in self.known}


def _at_hand(client: Any, dois: list[str]) -> dict[str, Work | None]:
    """The answers for `dois` the source holds without a request (a cache, a
    snapshot), read at once; none when it cannot say."""
    ask = getattr(client, "works_at_hand", None)
    if ask is None or not dois:
        return {}
    try:
        return ask(dois)
    except RefkitError:
        return {}


def _printed_batches(by_key: dict[str, list[_Case]],
                     at_hand: dict[str, Work | None]) -> list[dict[str, list[_Case]]]:
    """The printed DOIs (with the cases printing them) in the groups they are
    verified in: those whose answers are all at hand in one, the rest so that
    each group asks for at most one list request's worth of DOIs."""
    held: dict[str, list[_Case]] = {}
    groups: list[dict[str, list[_Case]]] = [{}]
    asking = 0
    for key, cases in by_key.items():
        wanted = {doi for doi in (key, *map(normalize, _rejoined_dois(cases))) if doi not in at_hand}
        if not wanted:
            held[key] = cases
            continue
        if asking + len(wanted) > _BATCH and groups[-1]:
            groups.append({})
            asking = 0
        groups[-1][key] = cases
        asking += len(wanted)
    return [group for group in [held, *groups] if group]


def _classify(case: _Case, records: dict[str, Work | None], client: Any, tick: Progress) -> None:
    """What the batch answer says of a case's printed DOI: verified (resolved
    here), read whole across a space, or its problem (not registered,
    another work, a component, the other side of a notice)."""
    if case.key not in records:
        case.resolution = _unverified(case.citation, _reason(client))
        tick(1)
        return
    work = records[case.key]
    if _rejoined(case, work, records):
        tick(1)
        return
    if work is None:
        case.problem = UNREGISTERED
        return
    case.registered = work
    if case.citation.extra.get("identifier_only"):
        case.resolution = identified(case.citation, work)
        tick(1)
        return
    case.registered_score = score(case.citation, work)
    if is_component(case.citation, work, case.registered_score.title):
        case.problem = COMPONENT
    elif notices.other_side(case.citation, work):
        case.problem = OTHER_WORK  # a notice's DOI printed for its article, or the other way round
    elif notices.consistent(case.citation, work, case.registered_score):
        case.resolution = _accepted(case.citation, work, case.registered_score, Status.DOI_VERIFIED, [])
        tick(1)
    else:
        case.problem = OTHER_WORK


def _wants_candidates(case: _Case) -> bool:
    """Whether the case's printed DOI is wrong and its search found no fix."""
    return case.resolution is None and case.problem not in (None, NO_DOI) and _search_winner(case) is None


def _candidates(case: _Case, codes: corrections.JournalCodes, max_length: int) -> list[corrections.Correction]:
    """What a wrong printed DOI may have been meant as: the works a notice
    relates, then the syntactic corrections (see refkit.resolving.corrections)."""
    related = [corrections.Correction(doi, "update-notice")
               for doi in notices.related_dois(case.citation, case.registered)]
    return related + corrections.candidates(case.printed, codes, max_length=max_length,
                                            year=case.citation.year)


def _needs_agency(case: _Case) -> bool:
    """Whether only /agency can say what the case's printed DOI is (RK109 or RK102)."""
    return (case.resolution is None and case.problem == UNREGISTERED
            and _search_winner(case) is None and _generated_winner(case) is None)


def _ask_agency(case: _Case, client: Any) -> None:
    """Ask which agency registered the case's printed DOI; an outage (or a
    snapshot that cannot tell) leaves it unasked, saying why."""
    try:
        case.agency = client.agency(case.printed)
    except RefkitError as exc:  # CrossrefUnavailable, or a snapshot that cannot tell
        case.agency_error = str(exc)
        return
    case.agency_asked = True


def _rejoined_dois(cases: list[_Case]) -> list[str]:
    """The DOIs read whole across a space ("10.1021/jf03 0345"), to look up with the printed ones."""
    return [case.citation.extra["doi_joined"]["doi"] for case in cases if case.citation.extra.get("doi_joined")]


def _rejoined(case: _Case, printed_work: Work | None, records: dict[str, Work | None]) -> bool:
    """Read a DOI that a space cut in two whole, and resolve the case with it,
    only when the joined DOI is registered and fits the reference while the
    cut one does not (RK103, a warning: the space may be the PDF's own)."""
    joined = case.citation.extra.get("doi_joined")
    work = records.get(normalize(joined["doi"])) if joined else None
    if work is None or (printed_work is not None and _fits(case.citation, printed_work)):
        return False
    match = _fits(case.citation, work)
    if match is None:
        return False
    cut = f"names another work ({_describe(printed_work)})" if printed_work else "is not registered"
    finding = Finding(codes.DOI_CORRECTED, f"printed DOI {joined['printed']!r} holds a space: read whole, "
                      f"{work.doi} is registered and matches this reference, while {case.printed} {cut}",
                      source=case.citation.source, severity=codes.Severity.WARNING, printed=joined["printed"],
                      registered=_describe(printed_work) or None, fix=work.doi,
                      evidence={"relation": "split-by-space", "read_as": case.printed,
                                "read_as_registered": printed_work is not None,
                                "match": match.evidence(), "registered_title": work.title})
    case.resolution = _accepted(case.citation, work, match, Status.DOI_CORRECTED, [finding])
    return True


def _fits(citation: Citation, work: Work) -> MatchScore | None:
    """The score of a record that a printed, rejoined or edited DOI names,
    when the record is consistent with the citation: neither a container or
    part of the cited work nor the other side of a notice."""
    if notices.other_side(citation, work):
        return None
    match = score(citation, work)
    if notices.consistent(citation, work, match) and not is_component(citation, work, match.title):
        return match
    return None


def _registered_elsewhere(client: Any, records: dict[str, Work | None]) -> dict[str, Work]:
    """The records another agency (DataCite) holds for the DOIs Crossref has
    none of, when the source can ask one: matched like Crossref's from then on."""
    unknown = [doi for doi, work in records.items() if work is None]
    ask = getattr(client, "works_elsewhere", None)
    if not unknown or ask is None:
        return {}
    return {doi: work for doi, work in ask(unknown).items() if work is not None}


def identified(citation: Citation, work: Work) -> Resolution:
    """A citation that prints only an identifier resolved to the record it
    names: nothing printed can contradict it, so it is taken as it is."""
    return Resolution(citation, work, Status.DOI_VERIFIED, 1.0, update_findings(citation, work), _now())


def settle_copy_disagreements(findings: list[Finding], client: Any) -> None:
    """For copies of a document that print different DOIs for it (RK108),
    ask Crossref which one is registered, all in one batch: each copy's
    evidence says so, and when exactly one is, it becomes `registered` and
    `fix`. Nothing changes when Crossref cannot be asked."""
    disputes = [f for f in findings
                if f.code is codes.COPIES_DISAGREE and f.evidence.get("field") == "doi"]
    records = _lookup(client, [c["printed"] for f in disputes for c in f.evidence["copies"]])
    for finding in disputes:
        copies = finding.evidence["copies"]
        for copy in copies:
            key = normalize(copy["printed"])
            copy["registered"] = records[key] is not None if key in records else None
        registered = [c["printed"] for c in copies if c["registered"]]
        if len(registered) == 1:
            finding.registered = finding.fix = registered[0]
            finding.message += f"; only {registered[0]} {_held(client)}"


def _lookup(client: Any, dois: list[str]) -> dict[str, Work | None]:
    unique = list(dict.fromkeys(normalize(d) for d in dois))
    if not unique:
        return {}
    try:
        return client.works_by_doi(unique)
    except RefkitError:  # CrossrefUnavailable: it could not ask
        return {}


def is_component(citation: Citation, work: Work, title: float) -> bool:
    """Whether `work` is a container or part (an issue, a journal, a figure,
    a whole book) rather than the cited work itself; never when its title is
    the cited title (`title`: their similarity), since a dataset or a whole
    proceedings volume can be the work."""
    if title >= 0.8:
        return False  # the reference cites this very record
    crossref_type = (work.raw or {}).get("type") or work.csl_type
    whole_book = crossref_type in ("book", "monograph", "edited-book", "reference-book")
    cites_part = citation.csl_type in ("chapter", "article-journal", "paper-conference", "entry")
    return crossref_type in CONTAINER_TYPES or (whole_book and cites_part)


# --- searches -------------------------------------------------------------

def _search_one(case: _Case, client: Any) -> list[Work] | None:
    query = search_query(case.citation)
    if not query:
        return []
    try:
        return client.search(query, rows=_SEARCH_ROWS)
    except RefkitError:  # CrossrefUnavailable: it could not ask
        return None


def search_query(citation: Citation) -> str:
    """What to search for: the whole reference without its DOI (Crossref's
    query.bibliographic matches a reference string), or title and year for
    entries that print only those."""
    if citation.kind is CitationKind.ANNOTATED and citation.title:
        return " ".join(filter(None, [citation.title, str(citation.year or "")]))
    if citation.kind is CitationKind.UNLISTED:
        return _mention_query(citation)
    if citation.extra.get("identifier_only") or citation.extra.get("identified_by"):
        # "PMID 123" is nothing to search for; a registry's record is, by its exact title
        return " ".join(filter(None, [citation.title, str(citation.year or "")]))
    text = citation.raw or " ".join(filter(None, [
        "; ".join(str(a) for a in citation.authors), citation.title, citation.container,
        str(citation.year or "")]))
    text = _without_dois(text)
    text = re.sub(r"\b(?:doi|https?://\S*)\s*:?\s*$", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip()[:500]


def _without_dois(text: str) -> str:
    """`text` with every DOI in it cut out (in one pass: a long text with many DOIs stays linear)."""
    pieces, at = [], 0
    for found in find_dois(text):
        pieces.append(text[at:found.start])
        at = max(at, found.end)
    return "".join(pieces) + text[at:]


def _mention_query(citation: Citation) -> str:
    """An in-text mention has no reference string: search for its author and
    year with the sentence that cites it, markers and the mention removed."""
    sentence = citation.context.replace(citation.raw, " ")
    sentence = re.sub(r"\((?:S\d+|\d+(?:[-–,;\s]+\d+)*)\)", " ", sentence)
    names = " ".join(a.family or a.literal for a in citation.authors)
    return re.sub(r"\s+", " ", f"{names} {citation.year or ''} {sentence}").strip()[:500]


# --- winners -----------------------------------------------------------------

def _search_winner(case: _Case) -> tuple[Work, MatchScore] | None:
    results = [w for w in case.results
               if (not case.printed or normalize(w.doi or "") != normalize(case.printed))
               and not notices.other_side(case.citation, w)]
    work, match, tie = best_match(case.citation, results)
    if work is None or tie or not match.accepted or is_component(case.citation, work, match.title):
        return None
    return work, match


def _generated_winner(case: _Case) -> tuple[Work, MatchScore] | None:
    """The one generated correction that is registered and consistent with
    the citation; none when two different ones are."""
    fits = []
    for work in case.checked.values():
        match = _fits(case.citation, work) if work is not None else None
        if match is not None:
            fits.append((match.total, work, match))
    fits.sort(key=lambda item: item[0], reverse=True)
    if not fits or (len(fits) > 1 and fits[0][0] - fits[1][0] < 0.02):
        return None
    return fits[0][1], fits[0][2]


# --- step 4: conclusions ---------------------------------------------------

def _conclude(case: _Case, client: Any) -> Resolution:
    citation = case.citation
    winner = _search_winner(case) or _generated_winner(case)
    pre = [_malformed(case)] if case.problem == MALFORMED else []
    if winner is not None:
        work, match = winner
        status = Status.FOUND_BY_SEARCH if case.problem == NO_DOI else Status.DOI_CORRECTED
        return _accepted(citation, work, match, status, [*pre, _fix_finding(case, work, match, client)])
    if case.search_failed and case.problem == NO_DOI:
        return _unverified(citation, _reason(client))
    findings = [*pre, *_no_fix_findings(case, client)]
    if case.search_failed:
        return _unverified(citation, f"the search for a correction failed: {_reason(client)}", findings)
    if any(f.code is codes.UNVERIFIED for f in findings):
        return Resolution(citation, citation.to_work(), Status.UNVERIFIED, 0.0, findings, _now())
    work = citation.to_work()
    work.snapshot = getattr(client, "snapshot_date", "")  # who had no matching record
    return Resolution(citation, work, Status.DOCUMENT_ONLY, 0.0, findings, _now())


def _accepted(citation: Citation, work: Work, match: MatchScore, status: Status,
              findings: list[Finding]) -> Resolution:
    findings = [*findings, *differences(citation, work, match), *update_findings(citation, work)]
    confidence = round(min(1.0, 0.6 * match.title + 0.1 * len(match.supporting)), 2)
    return Resolution(citation, work, status, confidence, findings, _now())


def _malformed(case: _Case) -> Finding:
    return Finding(codes.DOI_MALFORMED, f"printed DOI {case.printed!r} is not a valid DOI",
                   source=case.citation.source, printed=case.citation.doi_printed or case.printed)


def _fix_finding(case: _Case, work: Work, match: MatchScore, client: Any) -> Finding:
    code = _PROBLEM_CODES[case.problem]
    printed, fix = case.printed, work.doi
    evidence: dict[str, Any] = {"match": match.evidence(), "registered_title": work.title,
                                "via": "search" if work in case.results else "doi-edit"}
    if printed:
        evidence["relation"] = corrections.relation(printed, fix)
    if case.registered is not None:
        evidence["printed_doi_names"] = _describe(case.registered)
    messages = {
        codes.DOI_CORRECTED: f"printed DOI {printed} {_not_held(client)}; {fix} "
                             f"({evidence.get('relation', '')}) matches this reference",
        codes.DOI_OTHER_WORK: f"printed DOI {printed} belongs to another work "
                              f"({_describe(case.registered)}); the cited work is {fix}",
        codes.DOI_IS_COMPONENT: f"printed DOI {printed} names a "
                                f"{_type_of(case.registered)}, not the cited work; "
                                f"the cited work is {fix}",
        codes.DOI_MISSING_FOUND: f"no DOI printed; found {fix} "
                                 f"(title {match.title:.2f}, {', '.join(match.supporting) or 'no other field'} agree)",
    }
    return Finding(code, messages[code], source=case.citation.source, printed=printed,
                   registered=_describe(case.registered) if case.registered else None,
                   fix=fix, evidence=evidence)


def _no_fix_findings(case: _Case, client: Any) -> list[Finding]:
    citation, printed = case.citation, case.printed
    rejected = _best_rejected(case)
    if case.problem == NO_DOI:
        if citation.kind is CitationKind.UNLISTED:
            return [_unlisted_finding(citation, _mention_candidate(case))]
        return [Finding(codes.DOI_MISSING, "no DOI printed and none found that matches this reference",
                        source=citation.source, evidence=rejected)]
    if case.problem == OTHER_WORK:
        return [Finding(codes.DOI_OTHER_WORK, f"printed DOI {printed} belongs to another work "
                        f"({_describe(case.registered)}); no DOI matching this reference was found",
                        source=citation.source, printed=printed, registered=_describe(case.registered),
                        evidence={"match": case.registered_score.evidence(), **rejected})]
    if case.problem == COMPONENT:
        return [Finding(codes.DOI_IS_COMPONENT, f"printed DOI {printed} names a "
                        f"{_type_of(case.registered)}, not the cited work; the work itself was not found",
                        source=citation.source, printed=printed, registered=_describe(case.registered),
                        evidence=rejected)]
    if case.problem == MALFORMED:
        return []
    return [_agency_finding(case, client, rejected)]


def _mention_candidate(case: _Case) -> dict[str, Any]:
    """The closest search result for an author-year mention, offered only
    when its first author and year agree with the mention; a bare marker
    such as "(S001)" gives nothing to check a result against, so none."""
    rejected = _best_rejected(case)
    match = rejected.get("match") or {}
    if match.get("author") == "match" and match.get("year") in ("match", "near"):
        return rejected
    return {"searched": rejected.get("searched", True), "best_candidate": None}


def _unlisted_finding(citation: Citation, rejected: dict[str, Any]) -> Finding:
    """RK402 for an in-text mention, with the closest search result: reported
    for the user to judge, never accepted, since a mention gives at most an
    author and a year to validate it against."""
    message = f"{citation.label} is cited in the text but no reference list entry resolves it"
    if rejected.get("best_candidate"):
        message += (f"; candidate by author and year: {rejected['best_candidate']} "
                    f"\"{_clip(rejected.get('best_candidate_title') or '')}\" (not accepted: "
                    "a mention gives too little to validate it)")
    evidence = {"context": citation.context, "occurrences": citation.extra.get("occurrences", []),
                **rejected}
    return Finding(codes.CITATION_UNLISTED, message, source=citation.source,
                   printed=citation.raw, evidence=evidence)


def _clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _agency_finding(case: _Case, client: Any, rejected: dict[str, Any]) -> Finding:
    """For a DOI Crossref does not know: registered elsewhere (RK109) or
    nowhere (RK102)."""
    citation, printed = case.citation, case.printed
    if not case.agency_asked:
        _ask_agency(case, client)
    if not case.agency_asked:
        registry = _registry(client)
        reason = _reason(client) if registry == "Crossref" else case.agency_error
        return Finding(codes.UNVERIFIED, f"printed DOI {printed} is not in {registry}, and which agency "
                       f"registers it could not be asked ({reason})",
                       source=citation.source, printed=printed, evidence=rejected)
    agency = case.agency
    if agency == "crossref":  # registered there, yet the record did not come: no verdict
        return Finding(codes.UNVERIFIED, f"printed DOI {printed} is registered with Crossref, but "
                       "Crossref returned no record for it; it could not be checked",
                       source=citation.source, printed=printed, evidence={"agency": agency, **rejected})
    if agency:
        return Finding(codes.DOI_OTHER_AGENCY, f"DOI {printed} is registered with {agency}, "
                       "not Crossref; its metadata was not checked", source=citation.source,
                       printed=printed, registered=agency, evidence={"agency": agency})
    return Finding(codes.DOI_NOT_REGISTERED, f"printed DOI {printed} is not registered with any "
                   "agency, and no correction matches this reference", source=citation.source,
                   printed=printed, evidence={"candidates_checked": len(case.checked), **rejected})


def _best_rejected(case: _Case) -> dict[str, Any]:
    work, match, tie = best_match(case.citation, case.results)
    if work is None:
        return {"searched": not case.search_failed, "best_candidate": None}
    return {"best_candidate": work.doi, "best_candidate_title": work.title,
            "match": match.evidence(), "tie": tie}


def _describe(work: Work | None) -> str:
    if work is None:
        return ""
    title = work.title or work.container or "untitled"
    return f"{_type_of(work)}: {title}" + (f" ({work.year})" if work.year else "")


def _type_of(work: Work | None) -> str:
    if work is None:
        return "record"
    return str((work.raw or {}).get("type") or work.csl_type or "record")


# --- published versions of preprints ---------------------------------------

_PREPRINT_RESOLVED = (Status.DOI_VERIFIED, Status.DOI_CORRECTED, Status.FOUND_BY_SEARCH,
                      Status.DOCUMENT_ONLY)


def published_dois(resolution: Resolution) -> list[str]:
    """The published versions a cited preprint's record names: Crossref's
    `relation` "is-preprint-of" of a posted-content record, or the DOI arXiv
    gives for the published version."""
    raw = resolution.work.raw or {}
    found = [str(r["id"]) for r in (raw.get("relation") or {}).get("is-preprint-of") or []
             if isinstance(r, dict) and r.get("id-type", "doi") == "doi" and r.get("id")]
    if resolution.citation.extra.get("published_doi"):
        found.append(resolution.citation.extra["published_doi"])
    return list(dict.fromkeys(found))


def add_published_versions(resolutions: list[Resolution], client: Any) -> None:
    """RK302 for each cited preprint whose published version is registered
    and matches it (same title within publication edits, same first author),
    its DOI as `fix`; all published records fetched in one batch."""
    wanted = {id(r): published_dois(r) for r in resolutions if r.status in _PREPRINT_RESOLVED}
    records = _lookup(client, [doi for dois in wanted.values() for doi in dois])
    for resolution in resolutions:
        for doi in wanted.get(id(resolution), []):
            published = records.get(normalize(doi))
            if published is None:
                continue
            match = score(resolution.citation, published)
            if match.title < 0.75 or match.author == "differs":
                continue
            resolution.findings.append(Finding(
                codes.PREPRINT_PUBLISHED, f"the cited preprint {resolution.work.doi} has been published: "
                f"{published.doi} ({_describe(published)})", source=resolution.citation.source,
                printed=resolution.citation.doi or resolution.work.doi, registered=_describe(published),
                fix=published.doi, evidence={"relation": "is-preprint-of", "match": match.evidence()}))
            break


def update_findings(citation: Citation, work: Work) -> list[Finding]:
    """RK301 for each registered correction, retraction, withdrawal or
    expression of concern (`updated-by`); errors for retractions."""
    found = []
    for update in (work.raw or {}).get("updated-by") or work.data.get("updated-by") or []:
        if notices.is_own_new_version(work, update):
            continue
        kind = str(update.get("type") or update.get("label") or "update").lower()
        severity = codes.Severity.ERROR if kind.startswith(_SEVERE_UPDATES) else None
        found.append(Finding(codes.WORK_UPDATED, f"the work has a registered {kind.replace('_', ' ')}"
                             f" ({update.get('DOI', 'no DOI')})", source=citation.source,
                             severity=severity, registered=update.get("DOI"),
                             evidence={"update": update}))
    return found + notices.notice_findings(citation, work)

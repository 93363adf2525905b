"""The run every resolving command shares: read the inputs into a corpus,
resolve its citations against Crossref (with a progress bar on long runs),
and keep what the report needs (Crossref's request figures, why it could
not be asked). `check`, `export`, `build` and `zotero` all go through here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import click

from refkit import codes
from refkit.acceptance import drop_accepted
from refkit.console import is_quiet
from refkit.corpus import read_corpus
from refkit.model import Citation, CitationKind, Corpus, Finding, Resolution, Status
from refkit.project import per_entry_ignores, project_table
from refkit.readers.latex import CitedKeys
from refkit.resolving.identifying import identify, open_registries
from refkit.resolving.resolver import resolve, settle_copy_disagreements
from refkit.resolving.shared import flag_shared_dois
from refkit.resolving.sources import open_source
from refkit.settings import DEFAULT_CROSSREF_URL, Settings
from refkit.terminal import counted, say

# Show a progress bar (on a terminal) from this many citations on.
PROGRESS_FROM = 20
# Exit status when references stayed unverified although Crossref was to be asked (FINDINGS.md).
EXIT_UNVERIFIED = 3


@dataclass
class Resolved:
    """Resolutions with what the report says about Crossref: its request
    figures, and why it could not be asked (None when it could)."""

    resolutions: list[Resolution]
    crossref_stats: dict[str, Any]
    unavailable_reason: str | None

    @property
    def unverified(self) -> int:
        return sum(1 for r in self.resolutions if r.status is Status.UNVERIFIED)

    @property
    def total(self) -> int:
        return len(self.resolutions)


@dataclass
class Run(Resolved):
    """What one read-and-resolve run produced: the files read, their corpus too."""

    files: list[str]
    corpus: Corpus


def read_and_resolve(inputs: Sequence[str | Path], fmt: str | None, settings: Settings,
                     progress: bool | None = None, label: str = "resolving references",
                     cited: CitedKeys | None = None, skip: Sequence[str | Path] = (),
                     reported: bool = False) -> Run:
    """Read `inputs` (files or folders; the files in `skip` passed over) and
    resolve every citation in them (only those whose keys `cited` names, when
    given: a paper's .aux or .tex); `reported`: the command prints a report
    that lists the records the readers skipped, so they are not said again."""
    corpus = read_corpus(inputs, fmt, skip=skip)
    say_how_read(corpus, skipped=not reported)
    if cited is not None:
        only_cited(corpus, cited)
    resolved = resolve_citations(corpus.citations, settings, progress, label, corpus.findings)
    drop_accepted(resolved.resolutions, per_entry_ignores(project_table()))
    return Run(resolved.resolutions, resolved.crossref_stats, resolved.unavailable_reason,
               corpus.files, corpus)


def only_cited(corpus: Corpus, cited: CitedKeys) -> None:
    """Keep the citations whose keys the paper cites; a cited key no
    bibliography holds is RK405, where it is cited."""
    def key(citation: Citation) -> str:
        return str(citation.extra.get("citation-key") or citation.label).lower()

    held = {key(c) for c in corpus.citations}
    if not cited.everything:
        wanted = {k.lower() for k in cited.places}
        corpus.citations = [c for c in corpus.citations if key(c) in wanted]
    corpus.findings += [Finding(codes.KEY_UNDEFINED, f"{name} is cited but is in none of the "
                                f"bibliographies read", source=where, printed=name)
                        for name, where in cited.places.items() if name.lower() not in held]


def resolve_citations(citations: list[Citation], settings: Settings, progress: bool | None = None,
                      label: str = "resolving references",
                      document_findings: Sequence[Finding] = ()) -> Resolved:
    """Resolve `citations` through a Crossref client made from `settings`,
    closing the client and its cache afterwards; copies of a document that
    disagree on its DOI (RK108 in `document_findings`) learn which is registered,
    and entries of one file printing one DOI are told which owns it (RK110)."""
    with Session(settings) as session:
        with progress_bar(len(citations), progress, label) as tick:
            resolutions = session.resolve(citations, tick)
        flag_shared_dois(resolutions)
        settle_copy_disagreements(list(document_findings), session.client)
        return Resolved(resolutions, session.stats(), session.client.unavailable_reason)


class Session:
    """Crossref and the other registries, open for the batches of one run;
    closes them (and their caches) on leaving a `with` block."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = open_source(settings)
        self.registries = open_registries(settings)

    def resolve(self, citations: list[Citation], tick: Callable[[int], None] | None = None) -> list[Resolution]:
        """`citations` identified (PMID, arXiv, ISBN …) and resolved, in order."""
        identified = identify(citations, self.registries)
        return identified.merge(resolve(identified.to_resolve, self.client, progress=tick))

    def stats(self) -> dict[str, Any]:
        """The client's request figures (see `_stats`)."""
        return _stats(self.client, self.settings)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.registries.close()


def _stats(client: Any, settings: Settings) -> dict[str, Any]:
    """The client's request figures, with the service's address when it is
    not Crossref's own API (the report then says whose answers these are);
    a snapshot's figures name the snapshot itself."""
    stats = client.stats.as_dict()
    asks_api = hasattr(client, "settings") or hasattr(client, "api")
    if asks_api and settings.crossref_url.rstrip("/") != DEFAULT_CROSSREF_URL.rstrip("/"):
        stats["service"] = settings.crossref_url
    if settings.offline:
        stats["offline"] = True
    return stats


@contextmanager
def progress_bar(total: int, wanted: bool | None,
                 label: str) -> Iterator[Callable[[int], None] | None]:
    """A click progress bar's `update` on stderr when asked, or by default on
    a terminal for long lists; otherwise None."""
    show = not is_quiet() and (wanted if wanted is not None else (sys.stderr.isatty() and total >= PROGRESS_FROM))
    if not show or total == 0:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def say_how_read(corpus: Corpus, skipped: bool = True) -> None:
    """Say on stderr which documents were decoded from an encoding other than
    UTF-8 (an assumption the user should know about), which gave no
    references at all (a list the readers could not find must not pass
    unnoticed as a clean check) and, with `skipped`, which records a reader
    skipped or read only in part (RK403: an export must not lose them quietly)."""
    if skipped:
        say_skipped_records(corpus.findings)
    for document in corpus.documents:
        encoding = document.extra.get("encoding")
        if encoding:
            say("note", f"{document.path}: not UTF-8; read as {encoding['name']} ({encoding['reason']})")
        if not document.citations:
            say("warning", f"{document.path}: no references found (read as {document.format}; "
                           "if that is wrong, name the format with --from)")


SKIPPED_SHOWN = 5  # records named one by one; more are counted


def say_skipped_records(findings: Sequence[Finding]) -> None:
    """One warning per record a reader skipped or read in part (RK403), the
    first SKIPPED_SHOWN of them, then how many more and where to see them all."""
    skipped = [f for f in findings if f.code is codes.RECORD_UNREADABLE]
    for finding in skipped[:SKIPPED_SHOWN]:
        say("warning", f"{finding.source}: {finding.message} (RK403)")
    if len(skipped) > SKIPPED_SHOWN:
        say("warning", f"{counted(len(skipped) - SKIPPED_SHOWN, 'more record')} skipped or read in part "
                       "(RK403); `refkit check` lists them all")


class Tally(Protocol):
    """How many references a run resolved and left unverified, why, and its request figures."""

    unverified: int
    total: int
    unavailable_reason: str | None
    crossref_stats: dict[str, Any]


def warn_unverified(run: Tally) -> None:
    """Say plainly on stderr when Crossref could not be asked: never a silent
    pass. A URL that answers, but not as Crossref's API does, is said so
    (as an error, so -q keeps it: it is a mistake in the command, not an outage)."""
    service = run.crossref_stats.get("service") or DEFAULT_CROSSREF_URL
    if run.crossref_stats.get("malformed") and run.unavailable_reason:
        say("error", f"{service} does not answer like Crossref's REST API; "
                     "check --crossref-url (e.g. https://api.crossref.org)")
    snapshot = run.crossref_stats.get("snapshot")
    if run.unverified and snapshot and "requests" not in run.crossref_stats:
        say("warning", f"{run.unverified} of {counted(run.total, 'reference')} could not be verified: "
                       f"the Crossref snapshot of {snapshot['date']} lacks their DOIs and cannot tell "
                       "whether another agency registers them (RK501); add ',api' to --source to ask "
                       "Crossref for what the snapshot lacks.")
    elif run.unverified:
        after = ("Run without --offline to verify them" if run.crossref_stats.get("offline")
                 else "Answers received so far are cached: re-run to resume")
        say("warning", f"{run.unverified} of {counted(run.total, 'reference')} could not be verified "
                       f"({run.unavailable_reason or 'Crossref did not answer'}); they rest on the "
                       f"documents alone (RK501). {after}.")


def exportable(resolutions: list[Resolution]) -> list[Resolution]:
    """The resolutions worth a bibliography entry: every listed or annotated
    reference, and an in-text mention only once a search has found its work
    (a bare "(S001)" marker has nothing to export)."""
    return [r for r in resolutions
            if r.citation.kind is not CitationKind.UNLISTED or r.status is Status.FOUND_BY_SEARCH]


def unverified_status(run: Tally, offline: bool) -> int:
    """Exit status of an exporting command: 3 when references stayed
    unverified although Crossref was to be asked, else 0 (with --offline the
    user asked for no verification, so unverified entries are expected)."""
    return EXIT_UNVERIFIED if run.unverified and not offline else 0

"""Findings as a person, a program or a CI system wants them.

A `Report` gathers the findings of the resolutions and of the documents
themselves (RK101, RK108, RK401, RK402), applies --select/--ignore, and
renders a terminal table, JSON (schema: refkit/report-schema.json) or GitHub
Actions annotations; `exit_code` turns it into refkit check's exit status:
0 nothing at or above --fail-on, 1 findings at or above it, 3 some
references unverified (RK501) and nothing worse. (2, usage or input error,
is the CLI's.)
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from refkit import codes
from refkit.codes import Severity
from refkit.doi import normalize
from refkit.model import Finding, Resolution, Status
from refkit.terminal import counted

SCHEMA_PATH = Path(__file__).with_name("report-schema.json")
REPORT_VERSION = 1
WIDTH = 100
LABEL_WIDTH = 11  # the label column at least: "Monroe 2023", "CITATION", "148 refs"
MAX_LABEL_WIDTH = 30  # a longer label (a cite key) gets a line of its own, never cut
SHORT_TITLE_WORDS = 6
EXIT_OK, EXIT_FINDINGS, EXIT_UNVERIFIED = 0, 1, 3  # 2, usage or input error, is the CLI's
_STATUS_COUNTS = (("verified", Status.DOI_VERIFIED), ("corrected", Status.DOI_CORRECTED),
                  ("found", Status.FOUND_BY_SEARCH), ("missing", Status.DOCUMENT_ONLY),
                  ("unverified", Status.UNVERIFIED))
_RESOLVED = (Status.DOI_VERIFIED, Status.DOI_CORRECTED, Status.FOUND_BY_SEARCH)
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def code_selector(tokens: Iterable[str]) -> list[str]:
    """Validated --select/--ignore tokens: codes (RK103), names
    (doi-corrected) or code prefixes (RK2, RK); comma lists allowed.
    Raises ValueError naming an unknown token."""
    out = []
    for token in (t.strip() for item in tokens for t in item.split(",")):
        if not token:
            continue
        known = any(selects(token, code) for code in codes.ALL_CODES.values())
        if not known:
            raise ValueError(f"unknown finding code or name {token!r} "
                             "(use a code like RK103, a name like doi-corrected, or a prefix like RK2)")
        out.append(token)
    return out


def selects(token: str, code: codes.Code) -> bool:
    upper = token.upper()
    return code.code == upper or code.name == token.lower() or (
        upper.startswith("RK") and code.code.startswith(upper))


@dataclass
class Entry:
    """One finding, with the resolution it belongs to (None for a finding
    about a document rather than one citation)."""

    finding: Finding
    resolution: Resolution | None


class Report:
    """The findings of one check run, filtered, with summary counts."""

    def __init__(self, resolutions: Sequence[Resolution], corpus_findings: Iterable[Finding] = (),
                 select: Iterable[str] = (), ignore: Iterable[str] = (),
                 crossref_stats: dict[str, Any] | None = None) -> None:
        self.resolutions = list(resolutions)
        self.select = code_selector(select)
        self.ignore = code_selector(ignore)
        self.crossref_stats = crossref_stats
        own = [Entry(f, r) for r in self.resolutions for f in r.findings]
        corpus = [Entry(f, None) for f in _without_duplicates(corpus_findings, own)]
        self.entries = [e for e in own + corpus if self._wanted(e.finding)]

    def _wanted(self, finding: Finding) -> bool:
        code = finding.code
        if self.select and not any(selects(t, code) for t in self.select):
            return False
        return not any(selects(t, code) for t in self.ignore)

    @property
    def findings(self) -> list[Finding]:
        return [e.finding for e in self.entries]

    def summary(self) -> dict[str, Any]:
        """Counts of references by outcome and of findings by severity."""
        return summary_of(Counter(r.status.value for r in self.resolutions),
                          Counter(f.severity.value for f in self.findings))

    def summary_line(self) -> str:
        """One line: references and outcomes, then findings by severity."""
        return summary_text(self.summary())

    def exit_code(self, fail_on: Severity | str = Severity.ERROR) -> int:
        """0, 1 or 3 (see module docstring); RK501 alone never gives 0 unless ignored."""
        threshold = Severity(fail_on)
        if any(f.code is not codes.UNVERIFIED and f.severity.at_least(threshold) for f in self.findings):
            return EXIT_FINDINGS
        # Unverified references count whatever --select shows: an outage is never a silent 0,
        # unless the user says RK501 is acceptable (--ignore RK501, e.g. CI on a machine offline).
        accepted = any(selects(t, codes.UNVERIFIED) for t in self.ignore)
        if not accepted and (any(r.status is Status.UNVERIFIED for r in self.resolutions) or any(
                f.code is codes.UNVERIFIED for f in self.findings)):
            return EXIT_UNVERIFIED
        return EXIT_OK

    # --- renderers ----------------------------------------------------------

    def render_text(self, width: int = WIDTH) -> str:
        """A table per file (reference, code, severity, message, fix) that
        fits `width` columns, then the summary line. The RK501s of a file
        (every reference, when Crossref could not be asked) fold into one row."""
        lines: list[str] = []
        for path, entries in self._by_file():
            lines.append(path)
            unverified = [e for e in entries if e.finding.code is codes.UNVERIFIED]
            rows = [(entry, _label(entry), _named(entry)) for entry in entries
                    if entry.finding.code is not codes.UNVERIFIED or len(unverified) == 1]
            if len(unverified) > 1:
                first = unverified[0]
                rows.append((first, f"{len(unverified)} refs",
                             f"{len(unverified)} references: {first.finding.message}"))
            label_width = max([LABEL_WIDTH] + [len(label) for _, label, _ in rows if len(label) <= MAX_LABEL_WIDTH])
            for entry, label, message in rows:
                lines.extend(_table_row(entry, label, message, width, label_width))
            lines.append("")
        lines.extend(textwrap.wrap(self.summary_line(), width, subsequent_indent="  "))
        lines.extend(_answered_by(self.crossref_stats or {}))
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The report as data, shaped by refkit/report-schema.json."""
        wanted = {id(e.finding) for e in self.entries}
        citations = [_citation_dict(r, [f for f in r.findings if id(f) in wanted])
                     for r in self.resolutions]
        return {
            "refkit_report": REPORT_VERSION,
            "summary": self.summary(),
            "crossref": self.crossref_stats,
            "citations": citations,
            "document_findings": [e.finding.to_dict() for e in self.entries if e.resolution is None],
        }

    def render_json(self) -> str:
        """JSON text of `to_dict`, validated by the published schema in tests."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"

    def render_github(self) -> str:
        """GitHub Actions workflow commands, one annotation per finding."""
        lines = []
        for entry in self.entries:
            f = entry.finding
            source = f.source or (entry.resolution.citation.source if entry.resolution else None)
            props = [f"title={_escape_property(f'{f.code.code} {f.code.name}')}"]
            where = ""
            if source is not None:
                props.insert(0, f"file={_escape_property(source.file)}")
                if source.page is not None:  # a line of text extracted from a PDF: name its page instead
                    where = f"page {source.page}: "
                elif source.line:
                    props.insert(1, f"line={source.line}")
            text = where + _named(entry) + (f" (fix: {f.fix})" if f.fix else "")
            lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape_data(text)}")
        lines.append(f"::notice title=refkit::{_escape_data(self.summary_line())}")
        return "\n".join(lines) + "\n"

    def render(self, fmt: str) -> str:
        """Render as "table", "json" or "github"."""
        renderers = {"table": self.render_text, "json": self.render_json, "github": self.render_github}
        return renderers[fmt]()

    def _by_file(self) -> list[tuple[str, list[Entry]]]:
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            source = entry.finding.source or (entry.resolution.citation.source if entry.resolution else None)
            groups.setdefault(source.file if source else "(no file)", []).append(entry)
        return list(groups.items())


def _without_duplicates(corpus_findings: Iterable[Finding], own: list[Entry]) -> list[Finding]:
    """Corpus findings minus those the resolver raised again with more to say:
    a reader's RK101 for the same printed DOI, a reader's RK402 for the same
    mention (the resolver's carries the closest search result)."""
    seen = {_duplicate_key(e.finding) for e in own}
    return [f for f in corpus_findings if _duplicate_key(f) is None or _duplicate_key(f) not in seen]


def _duplicate_key(finding: Finding) -> tuple[str, ...] | None:
    if finding.code is codes.DOI_MALFORMED:
        return (finding.code.code, normalize(finding.printed or ""))
    if finding.code is codes.CITATION_UNLISTED and finding.source is not None:
        return (finding.code.code, finding.source.file, finding.source.label)
    return None


def _table_row(entry: Entry, label: str, message: str, width: int, label_width: int = LABEL_WIDTH) -> list[str]:
    """One finding as table lines: label, code, severity, then the wrapped
    message and fix. A label longer than the column is never cut: it takes
    a line of its own above the row."""
    f = entry.finding
    indent = " " * (label_width + 19)  # under the message: 2 + label + 1 + code 6 + 1 + severity 8 + 1
    above = [f"  {label}"] if len(label) > label_width else []
    shown = "" if above else label
    head = f"  {shown:<{label_width}} {f.code.code:<6} {f.severity.value:<8} "
    body = message + (f" [fix: {f.fix}]" if f.fix and f.fix not in message else "")
    wrapped = textwrap.wrap(body, max(width - len(indent), 30), break_on_hyphens=False,
                            break_long_words=True) or [""]
    return above + [head + wrapped[0]] + [indent + more for more in wrapped[1:]]


def _named(entry: Entry) -> str:
    """The finding's message, after the work it is about (first author, year,
    short title) when it is about one: a reader sees which reference at a glance."""
    message = entry.finding.message
    if entry.resolution is None:
        return message
    name = work_name(entry.resolution)
    return f"{name}: {message}" if name else message


def work_name(resolution: Resolution) -> str:
    """A work in a few words, as a person names it: "Rao 2019, “Borderline
    personality disorder and depressive…”" (what the document printed)."""
    citation = resolution.citation
    author = citation.authors[0] if citation.authors else None
    who = (author.family or author.literal) if author else ""
    title = citation.title or resolution.work.title
    words = title.split()
    short = " ".join(words[:SHORT_TITLE_WORDS]) + ("…" if len(words) > SHORT_TITLE_WORDS else "")
    head = " ".join(filter(None, [who, str(citation.year or "")]))
    return ", ".join(filter(None, [head, f"“{short}”" if short else ""]))


def _label(entry: Entry) -> str:
    source = entry.finding.source or (entry.resolution.citation.source if entry.resolution else None)
    if source is None:
        return "-"
    if source.label:
        return source.label
    return f"l{source.line}" if source.line else "-"


def _citation_dict(resolution: Resolution, findings: list[Finding]) -> dict[str, Any]:
    citation, work = resolution.citation, resolution.work
    source = citation.source
    return {
        "source": str(source),
        "file": source.file,
        "line": source.line,
        "page": source.page,
        "label": source.label or None,
        "kind": citation.kind.value,
        "printed_doi": citation.doi or citation.doi_printed,
        "resolved_doi": work.doi if resolution.status in _RESOLVED else None,
        "status": resolution.status.value,
        "confidence": resolution.confidence,
        "title": work.title or citation.title or None,
        "findings": [f.to_dict() for f in findings],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _answered_by(stats: dict[str, Any]) -> list[str]:
    """The closing note on whose answers these are, when not Crossref's live API alone."""
    lines = []
    snapshot = stats.get("snapshot")
    if snapshot:
        asked = " (and Crossref's API for what it lacks)" if "requests" in stats else ", not Crossref's live API"
        lines.append(f"(answers from the Crossref snapshot of {snapshot['date']} at {snapshot['index']}"
                     f"{asked})")
    if stats.get("service"):
        lines.append(f"(answers from the Crossref-compatible service at {stats['service']}, not Crossref itself)")
    return lines


def summary_of(statuses: Mapping[str, int], severities: Mapping[str, int]) -> dict[str, Any]:
    """The report's summary from counts of statuses (by value) and of findings by severity."""
    out: dict[str, Any] = {"references": sum(statuses.values())}
    out.update({name: statuses.get(status.value, 0) for name, status in _STATUS_COUNTS})
    out["findings"] = {s.value: severities.get(s.value, 0) for s in Severity}
    return out


def summary_text(summary: dict[str, Any]) -> str:
    """A summary as one line: references and outcomes, then findings by severity."""
    outcomes = ", ".join(f"{summary[name]} {name}" for name, _ in _STATUS_COUNTS)
    found = ", ".join(f"{n} {sev}" for sev, n in reversed(list(summary["findings"].items())))
    return f"{counted(summary['references'], 'reference')}: {outcomes}; findings: {found}"

"""refkit: read references from documents, verify DOIs against Crossref,
export BibTeX, RIS and CSL-JSON with notes.

The public API is four functions, small and stable:

    corpus = refkit.read(["paper.pdf", "notes.html"])        # Corpus of citations
    resolutions = refkit.resolve(corpus.citations, mailto="you@example.org")
    text = refkit.write(resolutions, "ris")                  # "bibtex" | "ris" | "csljson"
    report = refkit.check(["paper.pdf"], offline=True)        # Report: findings, exit_code()

Heavy modules are imported inside the functions, so `import refkit` and the
command line's `--help` stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from refkit.model import Citation, Corpus, Resolution
    from refkit.report import Report

__version__ = "0.1.0"
__all__ = ["read", "resolve", "write", "check"]


def read(paths: Sequence[str | Path], fmt: str | None = None) -> "Corpus":
    """Read files or folders into one corpus (copies merged, page versions
    aligned, duplicates joined; document findings in `Corpus.findings`)."""
    from refkit.corpus import read_corpus

    return read_corpus(paths, fmt)


def resolve(citations: list["Citation"], **settings: Any) -> list["Resolution"]:
    """Resolve citations against Crossref. `settings` are those of
    `refkit.settings.Settings` (mailto, crossref_url, offline, cache_dir, …)."""
    from refkit.pipeline import resolve_citations
    from refkit.settings import Settings

    return resolve_citations(citations, Settings.load(**settings), progress=False).resolutions


def write(resolutions: list["Resolution"], fmt: str, **options: Any) -> str:
    """The text of `resolutions` as "bibtex", "ris" or "csljson"."""
    from refkit import writers

    return writers.write(fmt, resolutions, **options)


def check(paths: Sequence[str | Path], fmt: str | None = None, **settings: Any) -> "Report":
    """Read and resolve `paths` and return the findings report, as `refkit check` does."""
    from refkit.pipeline import read_and_resolve
    from refkit.report import Report
    from refkit.settings import Settings

    run = read_and_resolve(paths, fmt, Settings.load(**settings), progress=False)
    return Report(run.resolutions, run.corpus.findings, crossref_stats=run.crossref_stats)

"""Findings a user has accepted for one entry, so they are no longer reported
(like a linter's `# noqa` on one line):

- in the entry itself: a BibTeX field `refkit-ignore = {RK203, RK201}`, a
  RIS line `U1  - refkit-ignore: RK203` (any tag), a CSL-JSON
  `"custom": {"refkit-ignore": ["RK203"]}`;
- in the project's config: `[tool.refkit.per-entry-ignores]` mapping a
  citation key or a DOI to the codes, e.g. `"smith2020" = ["RK203"]`.
Codes, names and prefixes are accepted as for --ignore.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from refkit.model import Citation, Resolution
from refkit.report import code_selector, selects

_MARK = re.compile(r"refkit-ignore[\"']?\s*[:=]\s*[{\"\[]?\s*([^}\]\n]*)", re.IGNORECASE)


def accepted(citation: Citation, per_entry: Mapping[str, Sequence[str]]) -> list[str]:
    """The code tokens accepted for `citation`, from the entry and from the config."""
    tokens = [t for m in _MARK.finditer(citation.raw) for t in re.split(r"[\s,;\"']+", m.group(1)) if t]
    for key in (citation.extra.get("citation-key"), citation.label, citation.doi):
        if key:
            tokens += per_entry.get(str(key).lower(), [])
    try:
        return code_selector(tokens)
    except ValueError:  # an unknown code accepts nothing rather than hiding everything
        return [t for t in tokens if _known(t)]


def drop_accepted(resolutions: Sequence[Resolution], per_entry: Mapping[str, Sequence[str]]) -> None:
    """Remove from each resolution the findings its entry accepts."""
    for resolution in resolutions:
        tokens = accepted(resolution.citation, per_entry)
        if tokens:
            resolution.findings = [f for f in resolution.findings
                                   if not any(selects(t, f.code) for t in tokens)]


def _known(token: str) -> bool:
    try:
        return bool(code_selector([token]))
    except ValueError:
        return False

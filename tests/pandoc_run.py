"""Run Debian's pandoc (installed by .ci/run) on refkit's output, for tests:
an independent reader of BibTeX and CSL-JSON and a citeproc of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def citeproc(bibliography: Path, csl: str | None = None, text: str = "", *extra: str) -> subprocess.CompletedProcess:
    """pandoc --citeproc over `text` (every entry cited when empty) with
    `bibliography` and a CSL style, as plain text without wrapping. Skips
    where pandoc is missing, except in CI, where that is a failure."""
    exe = shutil.which("pandoc")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("pandoc is missing: .ci/run installs Debian's pandoc")
        pytest.skip("pandoc is not installed (apt-get install pandoc)")
    document = text or '---\nnocite: "@*"\n---\n'
    args = [exe, "--citeproc", f"--bibliography={bibliography}", "-f", "markdown", "-t", "plain", "--wrap=none"]
    if csl:
        args.append(f"--csl={csl}")
    return subprocess.run([*args, *extra], input=document, capture_output=True, text=True, check=False, timeout=120)

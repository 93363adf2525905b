"""Run Debian's pandoc and biber (installed by .ci/run) on refkit's output,
for tests: independent readers of BibTeX and CSL-JSON, and a citeproc."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def tool(name: str) -> str:
    """The path of a program tests need; a skip where it is missing, except
    in CI, where that is a failure (.ci/run installs it)."""
    exe = shutil.which(name)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run installs Debian's {name}")
        pytest.skip(f"{name} is not installed (apt-get install {name})")
    return exe


def biber_check(bibliography: Path) -> subprocess.CompletedProcess:
    """biber --tool over a .bib (parses it as biblatex does, writes a copy beside it)."""
    return subprocess.run([tool("biber"), "--tool", "--output-file", str(bibliography.with_suffix(".tool.bib")),
                           str(bibliography)], capture_output=True, text=True, check=False,
                          cwd=bibliography.parent, timeout=300)


def citeproc(bibliography: Path, csl: str | None = None, text: str = "", *extra: str) -> subprocess.CompletedProcess:
    """pandoc --citeproc over `text` (every entry cited when empty) with
    `bibliography` and a CSL style, as plain text without wrapping. Skips
    where pandoc is missing, except in CI, where that is a failure."""
    exe = tool("pandoc")
    document = text or '---\nnocite: "@*"\n---\n'
    args = [exe, "--citeproc", f"--bibliography={bibliography}", "-f", "markdown", "-t", "plain", "--wrap=none"]
    if csl:
        args.append(f"--csl={csl}")
    return subprocess.run([*args, *extra], input=document, capture_output=True, text=True, check=False, timeout=120)

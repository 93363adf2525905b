"""CI runs what README tells a new user to run: the Quick start's test
command is the one .ci/run executes, and it needs nothing already installed."""

from __future__ import annotations

import re

from .conftest import REPO


def _quick_start_lines() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\s+```sh\n(.*?)```", readme, re.DOTALL)
    assert block, "README has no Quick start code block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_ci_runs_the_quick_start_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = re.search(r'^TEST_COMMAND="(.*)"$', script, re.MULTILINE)
    assert command and command.group(1) in _quick_start_lines()
    assert "pytest" in command.group(1)


def test_quick_start_sets_up_a_fresh_virtualenv() -> None:
    install_and_build, install_and_test = _quick_start_lines()
    for line in (install_and_build, install_and_test):
        assert line.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert install_and_build.endswith("refkit build examples -o bib")

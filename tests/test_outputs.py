"""Where output goes: `-o -` is stdout; devices and pipes are written
through, never replaced; links keep pointing where they did; folders,
sockets and dangling links are refused in one line; `build` replaces its
five files as one set, even when killed; nothing temporary is left behind
after a kill once refkit writes there again."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from refkit.errors import RefkitError
from refkit.writers import write_file, write_set

from .conftest import EXAMPLES, REPO

PAGE = EXAMPLES / "citations-page-v1.txt"


def refkit(*args: str | Path, cwd: Path | None = None,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    full_env.pop("REFKIT_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "from refkit.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("refkit: error: "), result.stderr
    return lines[0]


def test_dash_is_standard_output_for_extract_and_export(tmp_path):
    extracted = refkit("extract", PAGE, "--format", "json", "-o", "-", cwd=tmp_path)
    assert extracted.returncode == 0 and json.loads(extracted.stdout)["summary"]["citations"] == 9
    exported = refkit("export", PAGE, "-t", "ris", "-o", "-", "--offline", cwd=tmp_path)
    assert exported.returncode == 0 and exported.stdout.count("ER  - ") == 9
    assert not (tmp_path / "-").exists()


def _device(folder: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7): a test
    that failed must not replace the machine's own."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (OSError, AttributeError):
        pytest.skip("cannot make a device node here (needs root, outside a restricted container)")
    return path


def test_a_character_device_is_written_through_not_replaced(tmp_path):
    null = _device(tmp_path, "null", 3)
    result = refkit("extract", PAGE, "-o", null)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.listdir(tmp_path) == ["null"]


def test_a_full_device_is_one_line_and_stays_a_device(tmp_path):
    full = _device(tmp_path, "full", 7)
    line = one_line_error(refkit("extract", PAGE, "-o", full))
    assert str(full) in line and "No space left" in line
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = refkit("export", PAGE, "-t", "ris", "-o", fifo, "--offline")
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and received[0].count(b"ER  - ") == 9


def test_a_link_to_a_file_elsewhere_keeps_pointing_there(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = elsewhere / "refs.bib"
    real.write_text("old\n")
    real.chmod(0o640)
    out = tmp_path / "out"
    out.mkdir()
    (out / "refs.bib").symlink_to(real)
    result = refkit("export", PAGE, "-o", out / "refs.bib", "--offline")
    assert result.returncode == 0, result.stderr
    assert (out / "refs.bib").is_symlink() and "@" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert os.listdir(elsewhere) == ["refs.bib"]


def test_a_link_to_standard_output_is_written_through(tmp_path):
    link = tmp_path / "out"
    link.symlink_to("/proc/self/fd/1")
    result = refkit("extract", PAGE, "--format", "json", "-o", link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and json.loads(result.stdout)["summary"]["citations"] == 9


@pytest.mark.parametrize("kind", ["folder", "dangling link", "loop of links", "socket"])
def test_what_cannot_take_a_file_is_refused_in_one_line(tmp_path, kind):
    target = tmp_path / "target"
    if kind == "folder":
        target.mkdir()
    elif kind == "dangling link":
        target.symlink_to(tmp_path / "nowhere")
    elif kind == "loop of links":
        target.symlink_to(tmp_path / "back")
        (tmp_path / "back").symlink_to(target)
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    line = one_line_error(refkit("extract", PAGE, "-o", target))
    assert str(target) in line
    assert os.path.lexists(target) and not target.is_file()


def test_a_file_name_at_the_length_limit_is_written(tmp_path):
    name = "r" * (os.pathconf(tmp_path, "PC_NAME_MAX") - 4) + ".bib"
    result = refkit("export", PAGE, "-o", tmp_path / name, "--offline")
    assert result.returncode == 0, result.stderr
    assert os.listdir(tmp_path) == [name]


def test_a_name_over_the_limit_and_an_unwritable_folder_are_one_line(tmp_path):
    too_long = tmp_path / ("r" * 300 + ".bib")
    assert "too long" in one_line_error(refkit("export", PAGE, "-o", too_long, "--offline"))
    unwritable = Path("/sys/refkit-test.json") if os.geteuid() == 0 else tmp_path / "ro" / "x.json"
    if os.geteuid() != 0:
        unwritable.parent.mkdir()
        unwritable.parent.chmod(0o500)
    assert str(unwritable) in one_line_error(refkit("extract", PAGE, "-o", unwritable))


def test_build_refuses_standard_output_and_a_link_among_its_files(tmp_path):
    assert "folder" in one_line_error(refkit("build", PAGE, "-o", "-", "--offline", cwd=tmp_path))
    assert "-o is empty" in one_line_error(refkit("build", PAGE, "-o", "", "--offline", cwd=tmp_path))
    assert os.listdir(tmp_path) == []  # an unset `-o "$OUT"` does not fill the current folder
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "is not a folder" in one_line_error(refkit("build", PAGE, "-o", fifo, "--offline"))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    fifo.unlink()
    out = tmp_path / "bib"
    out.mkdir()
    (out / "report.txt").symlink_to(tmp_path / "elsewhere.txt")
    assert "report.txt" in one_line_error(refkit("build", PAGE, "-o", out, "--offline"))
    assert sorted(os.listdir(out)) == ["report.txt"]
    (out / "report.json").symlink_to("report.json")  # a loop of links (was an internal error)
    assert "is a symbolic link" in one_line_error(refkit("build", PAGE, "-o", out, "--offline"))
    assert sorted(os.listdir(out)) == ["report.json", "report.txt"]


# --- kills -----------------------------------------------------------------------------------

def _killed_while(step: str, code: str, after: int = 0) -> None:
    """Run `code` in a child whose `os.<step>` kills it with SIGKILL (once
    `after` calls have gone through)."""
    child = textwrap.dedent(f"""
        import os, signal
        from refkit.writers import files
        real, calls = files.os.{step}, []
        def die(*args, **kwargs):
            calls.append(args)
            if len(calls) > {after}:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        files.os.{step} = die
    """) + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-c", child], env={**os.environ, "PYTHONPATH": str(REPO)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == -9, result.stderr


def test_a_kill_during_a_write_leaves_the_old_file_and_the_next_write_clears_the_temporary(tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("old\n")
    _killed_while("fsync", f"files.write_file({str(target)!r}, 'new\\n')")
    assert target.read_text() == "old\n"
    assert len(os.listdir(tmp_path)) == 2  # the killed write's hidden temporary file
    write_file(target, "newer\n")
    assert os.listdir(tmp_path) == ["refs.bib"] and target.read_text() == "newer\n"


SET = {"a.bib": "new a\n", "a.ris": "new b\n", "report.json": "new c\n"}


def _old_set(folder: Path) -> None:
    for name in SET:
        (folder / name).write_text("old\n")


def test_a_build_killed_before_its_set_is_complete_leaves_the_old_set(tmp_path):
    _old_set(tmp_path)
    _killed_while("fsync", f"files.write_set({str(tmp_path)!r}, {SET!r})")
    assert {(tmp_path / name).read_text() for name in SET} == {"old\n"}
    write_file(tmp_path / "other.txt", "x")
    assert sorted(os.listdir(tmp_path)) == sorted([*SET, "other.txt"])


def test_a_build_killed_while_renaming_its_set_is_finished_by_the_next_write(tmp_path):
    _old_set(tmp_path)
    _killed_while("replace", f"files.write_set({str(tmp_path)!r}, {SET!r})")
    write_set(tmp_path, {"unrelated.txt": "x"})
    assert {name: (tmp_path / name).read_text() for name in SET} == SET
    assert sorted(os.listdir(tmp_path)) == sorted([*SET, "unrelated.txt"])


def _whole(folder: Path, checksums: str = "refkit.sha256") -> bool:
    """What coreutils' `sha256sum -c` says of a set's checksum file."""
    if not shutil.which("sha256sum"):
        pytest.skip("needs coreutils' sha256sum")
    return subprocess.run(["sha256sum", "--check", "--quiet", checksums], cwd=folder,
                          capture_output=True).returncode == 0


def test_a_set_killed_halfway_through_renaming_fails_its_checksums_until_the_next_write(tmp_path):
    write_set(tmp_path, dict.fromkeys(SET, "old\n"), checksums="refkit.sha256")
    _killed_while("replace", f"files.write_set({str(tmp_path)!r}, {SET!r}, checksums='refkit.sha256')", after=2)
    assert sorted((tmp_path / name).read_text() for name in SET) == ["new a\n", "new b\n", "old\n"]
    assert not _whole(tmp_path)  # the checksums, renamed last, are still the old set's
    write_file(tmp_path / "other.txt", "x")  # the next write finishes the set
    assert {name: (tmp_path / name).read_text() for name in SET} == SET and _whole(tmp_path)


def test_build_writes_a_whole_set_and_keeps_file_modes(tmp_path):
    out = tmp_path / "bib"
    assert refkit("build", PAGE, "-o", out, "--offline").returncode == 0
    (out / "references.bib").chmod(0o600)
    assert refkit("build", PAGE, "-o", out, "--offline").returncode == 0
    assert sorted(os.listdir(out)) == ["references.bib", "references.json", "references.ris",
                                       "refkit.sha256", "report.json", "report.txt"]
    assert stat.S_IMODE((out / "references.bib").stat().st_mode) == 0o600
    assert _whole(out) and len((out / "refkit.sha256").read_text().splitlines()) == 5


def test_set_names_must_be_plain_file_names(tmp_path):
    with pytest.raises(RefkitError, match="plain file name"):
        write_set(tmp_path, {"../escape.txt": "x"})

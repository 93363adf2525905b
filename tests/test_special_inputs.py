"""Inputs that are not regular files: a pipe or device named on purpose is
read no further than the size limit; sockets, broken links and loops of
links are one line naming what they are; a folder walk passes them over
without waiting on them; `fix` and `add --to` edit only regular files."""

from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

from .conftest import EXAMPLES
from .test_outputs import one_line_error, refkit

PAGE = EXAMPLES / "citations-page-v1.txt"
BIB = "@article{rao2019, title={Borderline personality disorder}, doi={10.1177/1039856219878643}, year=2019}\n"


def test_an_endless_device_is_read_no_further_than_the_size_limit(tmp_path):
    """/dev/zero once grew `refkit extract` past 7 GB."""
    result = refkit("extract", "/dev/zero", env={"REFKIT_MAX_INPUT_MB": "1"})
    assert "/dev/zero" in one_line_error(result) and "over the 1 MB limit" in result.stderr


def test_a_named_pipe_given_on_purpose_is_read(tmp_path):
    """As `refkit extract <(cat page.txt)` gives it."""
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(PAGE.read_bytes()))
    writer.start()
    result = refkit("extract", fifo, "--format", "json")
    writer.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert '"citations": 9' in result.stdout


def test_a_socket_a_broken_link_and_a_loop_of_links_are_one_line_each(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.txt"))
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    expected = {"sock.txt": "is a socket", "dangling.txt": "is a symbolic link to ",
                "a.txt": "is a symbolic link that leads round in a loop"}
    for name, what in expected.items():
        line = one_line_error(refkit("extract", tmp_path / name))
        assert f"{tmp_path / name}: {what}" in line, line
    assert "nowhere.txt, which does not exist" in one_line_error(refkit("extract", tmp_path / "dangling.txt"))


def test_a_folder_walk_passes_over_pipes_devices_and_broken_links(tmp_path):
    folder = tmp_path / "papers"
    (folder / "sub").mkdir(parents=True)
    (folder / "page.txt").write_bytes(PAGE.read_bytes())
    os.mkfifo(folder / "pipe.txt")  # nobody writes: reading it would wait for ever
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub" / "up").symlink_to("..")  # a folder loop
    result = refkit("extract", folder, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"citations": 9' in result.stdout and '"documents": 1' in result.stdout
    assert stat.S_ISFIFO(os.lstat(folder / "pipe.txt").st_mode)


def test_fix_and_add_edit_only_regular_files(tmp_path):
    fifo = tmp_path / "refs.bib"
    os.mkfifo(fifo)
    line = one_line_error(refkit("fix", fifo, "--offline"))
    assert "not a regular file" in line and "use - with < and >" in line
    line = one_line_error(refkit("add", "10.1177/1039856219878643", "--to", fifo, "--offline"))
    assert str(fifo) in line and "not a regular file" in line
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    regular = tmp_path / "kept.bib"
    regular.write_text(BIB)
    kept = refkit("fix", regular, "--offline")  # a regular file is read (offline: nothing to fix)
    assert kept.returncode == 3 and "not a regular file" not in kept.stderr and regular.read_text() == BIB

"""Saving output safely: atomic replacement of regular files, writing through
devices and pipes, never over an input, and a set of files (a `build`
folder) replaced as one.

- A regular file (or a new one) is written to a temporary file in the same
  folder and renamed over the target: a crash or a full disk leaves the old
  file or the new one, never half of one. A symbolic link keeps pointing
  where it did: the file it points to is replaced.
- A character device or a FIFO (/dev/null, /dev/stdout, a named pipe) is
  written through, as a shell's `>` would; a directory, socket or block
  device is refused with a message. `-` is standard output.
- A set of files is written into a hidden staging folder beside them, marked
  complete, then renamed into place with interrupts held back; a run killed
  in between is finished by the next write into that folder. The set can
  carry a checksum file (`sha256sum -c` format) renamed last: a reader who
  finds it matching knows the set is whole, not half old and half new.
- Temporary files name the process that made them; those left by a process
  that no longer runs (SIGKILL) are removed by the next write in the folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from refkit.errors import RefkitError

STDOUT = "-"
_TEMP_TAG = ".refkit-"
_SET_PREFIX = ".refkit-set-"
# .NAME.refkit-PID-XXXXXXXX.tmp (a file) or .refkit-set-PID-XXXXXXXX (a staging folder)
_LEFTOVER = re.compile(r"^\..*\.refkit-(?P<pid>\d+)-\w{8}\.tmp$|^\.refkit-set-(?P<set_pid>\d+)-\w{8}$")
_COMPLETE = ".refkit-complete"  # the marker a staging folder gets once every file is in it
_ROOM_FOR_TEMP_NAME = 40  # characters the temporary name adds to a target's name, at most
_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def write_file(path: str | Path, text: str | Iterable[str], inputs: Iterable[str | Path] = ()) -> None:
    """Save `text` (a string, or pieces of one written as they come) as UTF-8
    to `path` (see the module docstring), never replacing one of `inputs`;
    every failure is a RefkitError naming `path`."""
    if str(path) == STDOUT:
        _write_stdout(text)
        return
    target = Path(path)
    _refuse_inputs(target, inputs)
    mode = _existing_mode(target)
    if mode is not None and stat.S_ISLNK(mode):
        target, mode = _link_target(target)
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        _write_through(target, text)
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise RefkitError(f"{path}: is {_kind(mode)}, not a file; choose a file name")
    folder = _folder_of(target)
    remove_leftovers(folder)
    with _errors_named(path):
        _replace(target, text, folder)


def write_set(folder: str | Path, texts: Mapping[str, str], inputs: Iterable[str | Path] = (),
              checksums: str | None = None) -> None:
    """Save several files (name -> text) into `folder` so that they are
    replaced together: a run that was killed never leaves some of them old
    and some new. With `checksums`, a file of that name listing each file's
    SHA-256 is renamed into place last. Existing targets must be regular files."""
    out = Path(folder)
    inputs = list(inputs)
    if checksums:
        texts = {**texts, checksums: _sha256sums(texts)}
    for name in texts:
        if name in ("", ".", "..") or Path(name).name != name:
            raise RefkitError(f"{name!r}: not a plain file name (a set is written into one folder)")
        target = out / name
        _refuse_inputs(target, inputs)
        mode = _existing_mode(target)
        if mode is not None and not stat.S_ISREG(mode):
            raise RefkitError(f"{target}: is {_kind(mode)}; the files of a set are replaced together, "
                              "so remove it or choose another folder")
    remove_leftovers(out)
    with _errors_named(out):
        staging = Path(tempfile.mkdtemp(prefix=f"{_SET_PREFIX}{os.getpid()}-", dir=out))
        try:
            for name, text in texts.items():
                _write_new(staging / name, text, like=out / name)
            _write_new(staging / _COMPLETE, checksums or "", like=None)  # names the file renamed last
            _fsync_folder(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        with _signals_held():
            _commit(staging, out, last=checksums)


def remove_leftovers(folder: Path) -> None:
    """Remove what killed refkit processes left in `folder`: their temporary
    files, and their staging folders (a complete one is committed first)."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(".") and _TEMP_TAG in e.name]
    except OSError:
        return
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if not match:
            continue
        pid = int(match.group("pid") or match.group("set_pid"))
        if _running(pid):
            continue
        path = Path(entry.path)
        if match.group("set_pid") is None:
            path.unlink(missing_ok=True)
        elif (path / _COMPLETE).exists():
            _commit(path, folder, last=(path / _COMPLETE).read_text(encoding="utf-8") or None)
        else:
            shutil.rmtree(path, ignore_errors=True)


# --- regular files -----------------------------------------------------------------------------

def _pieces(text: str | Iterable[str]) -> Iterable[str]:
    return (text,) if isinstance(text, str) else text


def _replace(target: Path, text: str | Iterable[str], folder: Path) -> None:
    """Write a temporary file beside `target` and rename it over `target`."""
    tmp = _write_new(_temp_path(folder, target.name), text, like=target)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _temp_path(folder: Path, name: str) -> Path:
    """A fresh temporary name in `folder`, short enough for any target name."""
    short = name[: max(0, _name_max(folder) - _ROOM_FOR_TEMP_NAME)]
    fd, tmp = tempfile.mkstemp(prefix=f".{short}{_TEMP_TAG}{os.getpid()}-", suffix=".tmp", dir=folder)
    os.close(fd)
    return Path(tmp)


def _write_new(path: Path, text: str | Iterable[str], like: Path | None) -> Path:
    """Write `path` durably (fsync), with the permissions and owner of `like`
    when it exists and those a new file would get otherwise."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            for piece in _pieces(text):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_permissions(path, like)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _copy_permissions(path: Path, like: Path | None) -> None:
    try:
        old = like.stat() if like is not None else None
    except OSError:
        old = None
    if old is None:
        os.chmod(path, 0o666 & ~_umask())
        return
    os.chmod(path, old.st_mode & 0o7777)
    if os.geteuid() == 0:
        os.chown(path, old.st_uid, old.st_gid)


def _commit(staging: Path, folder: Path, last: str | None = None) -> None:
    """Rename every file of a complete staging folder into `folder` (`last`
    after all the others, once they are durable), then drop it."""
    entries = [e for e in os.scandir(staging) if e.name != _COMPLETE]
    for entry in sorted(entries, key=lambda e: (e.name == last, e.name)):
        if entry.name == last:
            _fsync_folder(folder)
        os.replace(entry.path, folder / entry.name)
    _fsync_folder(folder)
    shutil.rmtree(staging, ignore_errors=True)


def _sha256sums(texts: Mapping[str, str]) -> str:
    """`sha256sum` lines for the UTF-8 bytes of each text, by name."""
    return "".join(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {name}\n"
                   for name, text in sorted(texts.items()))


# --- targets that are not regular files --------------------------------------------------------

def _write_stdout(text: str | Iterable[str]) -> None:
    """`text` on standard output as the UTF-8 bytes a file would hold."""
    sys.stdout.flush()
    for piece in _pieces(text):
        sys.stdout.buffer.write(piece.encode("utf-8"))
    sys.stdout.buffer.flush()


def _write_through(target: Path, text: str | Iterable[str]) -> None:
    """Write into a device or pipe as it is (no rename: that would replace it)."""
    with _errors_named(target):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            for piece in _pieces(text):
                handle.write(piece)


def _link_target(link: Path) -> tuple[Path, int | None]:
    """Where a symbolic link leads, and what is there; a dangling link is refused."""
    try:
        mode = os.stat(link).st_mode
    except FileNotFoundError:
        raise RefkitError(f"{link}: is a symbolic link to {os.readlink(link)}, which does not exist; "
                          "remove the link or choose another name") from None
    except OSError as exc:
        raise RefkitError(f"{link}: cannot follow the link: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode):
        return Path(os.path.realpath(link)), mode
    return link, mode  # a device or pipe is opened through the link itself (/proc/self/fd/1)


def _existing_mode(target: Path) -> int | None:
    """The mode of what `target` names now (the link itself for a link), or None."""
    try:
        return os.lstat(target).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RefkitError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISSOCK, "a socket"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISLNK, "a symbolic link"), (stat.S_ISCHR, "a device"), (stat.S_ISFIFO, "a named pipe"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


# --- helpers -----------------------------------------------------------------------------------

def _refuse_inputs(target: Path, inputs: Iterable[str | Path]) -> None:
    if any(_same_file(target, Path(p)) for p in inputs):
        raise RefkitError(f"{target}: refusing to overwrite an input file; choose another output path")


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (resolving links and `..`)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)  # never raises, unlike Path.resolve (a loop)


def _folder_of(target: Path) -> Path:
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RefkitError(f"{target}: folder {folder} does not exist")
    return folder


@contextmanager
def _errors_named(path: str | Path) -> Iterator[None]:
    """Turn an OS error while writing into one RefkitError naming `path`."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RefkitError(f"{path}: cannot write: {reason}") from None


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP (delivered on exit) in the main thread."""
    if not hasattr(signal, "pthread_sigmask") or not _in_main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _running(pid: int) -> bool:
    """Whether a process with this id runs on this machine (ours counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def _fsync_folder(folder: Path) -> None:
    """Make renames in `folder` durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

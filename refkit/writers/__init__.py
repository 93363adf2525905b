"""Writers: one module per output format, each turning resolutions into text.

Every writer module has `write(resolutions: list[Resolution], **options) -> str`.
`write_file` saves the text atomically (temp file in the same folder, then
`os.replace`) and refuses to overwrite a file that was given as input.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from refkit.errors import RefkitError
from refkit.model import Resolution

# format name -> module implementing write(resolutions, **options)
WRITERS: dict[str, str] = {
    "bibtex": "refkit.writers.bibtex",
    "ris": "refkit.writers.ris",
    "csljson": "refkit.writers.csljson",
}

# file name suffix for each format, for `-o` defaults and messages
SUFFIXES: dict[str, str] = {"bibtex": ".bib", "ris": ".ris", "csljson": ".json"}


def write(fmt: str, resolutions: list[Resolution], **options: object) -> str:
    """The text of `resolutions` in format `fmt` (one of WRITERS)."""
    if fmt not in WRITERS:
        raise RefkitError(f"unknown output format {fmt!r}; choose one of {', '.join(WRITERS)}")
    module = importlib.import_module(WRITERS[fmt])
    return module.write(resolutions, **options)


def write_file(path: str | Path, text: str, inputs: Iterable[str | Path] = ()) -> None:
    """Save `text` to `path` atomically, UTF-8, never replacing one of `inputs`.

    A crash or a full disk leaves either the old file or the new one, never a
    half-written file; the temporary file lives in the target's folder so the
    final `os.replace` is a same-filesystem rename.
    """
    target = Path(path)
    if any(_same_file(target, Path(p)) for p in inputs):
        raise RefkitError(f"{target}: refusing to overwrite an input file; choose another output path")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RefkitError(f"{target}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (resolving links and `..`)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

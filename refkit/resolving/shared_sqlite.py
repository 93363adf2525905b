"""Opening an SQLite file that several refkit processes may create at once.

SQLite's busy timeout does not cover everything: switching a new file to WAL
mode while another process is creating it fails at once with "database is
locked". Two runs started together on one fresh cache folder hit exactly
that, so the opening steps are retried until the busy timeout is spent.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path


def open_shared(path: Path, setup: str, timeout: float,
                isolation_level: str | None = "") -> sqlite3.Connection:
    """A connection to `path` in WAL mode with the `setup` script run, retrying
    while another process holds the file locked, for at most `timeout` seconds.
    `isolation_level` is sqlite3's: "" opens transactions implicitly, None autocommits."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        db = sqlite3.connect(str(path), timeout=timeout, isolation_level=isolation_level,
                             check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(setup)
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            if not _is_busy(exc) or time.monotonic() + pause > deadline:
                raise
        except BaseException:
            db.close()
            raise
        time.sleep(pause * (1 + random.random()))
        pause = min(pause * 2, 0.5)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)

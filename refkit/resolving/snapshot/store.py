"""The snapshot index: one SQLite file holding slim records by DOI, a
full-text index of their search words, how many records hold each word,
and which data files have been read (so a build resumes where it stopped).

Search works like Crossref's `query.bibliographic`: the words of a whole
reference string, ranked by BM25. A reference holds common words ("journal",
a year) whose posting lists would cost more than all the rest, and that say
little; the search asks first for the records holding all of its three
rarest words (a surname and two title words, typically: fast, and nearly
always the work), and only when none does for the rarest words with OR.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from refkit.errors import RefkitError
from refkit.resolving.snapshot.slim import ZDICT_VERSION, search_words, unpack

FORMAT = f"refkit-snapshot/1.{ZDICT_VERSION}"
SEARCH_WORDS = 8  # the rarest words of a reference that are searched for
RARE_SHARE = 0.002  # a word in more records than this share is common ...
RARE_FLOOR = 2000  # ... unless in fewer records than this
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parts (
    key TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
    records INTEGER NOT NULL, skipped INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS works (
    id INTEGER PRIMARY KEY, doi TEXT NOT NULL UNIQUE, stamp TEXT NOT NULL, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    words, content='', detail=full, tokenize='unicode61 remove_diacritics 0');
"""


@dataclass(frozen=True)
class Row:
    """One record ready to store: normalised DOI, update stamp, packed slim
    record and its search words (space-separated)."""

    doi: str
    stamp: str
    blob: bytes
    words: str


@dataclass
class Written:
    """What storing one part did: records added, replaced by a newer copy, or
    kept because the stored copy was as new or newer."""

    added: int = 0
    replaced: int = 0
    kept: int = 0


class SnapshotStore:
    """An index file opened for reading, or for building with `writable`."""

    def __init__(self, path: str | Path, writable: bool = False) -> None:
        self.path = Path(path)
        if not writable and not self.path.is_file():
            raise RefkitError(f"{self.path}: no such snapshot index (build one with "
                              "'refkit index build DUMP -o INDEX')")
        try:
            if writable:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(self.path), isolation_level=None)
            else:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                           isolation_level=None, check_same_thread=False)
            self._prepare(writable)
        except sqlite3.DatabaseError as exc:
            raise RefkitError(f"{self.path}: not a refkit snapshot index ({exc})") from None
        self._total = self.count()

    def _prepare(self, writable: bool) -> None:
        self._db.execute("PRAGMA cache_size=-65536")
        if writable:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            stored = self.meta().get("format")
            if stored is None:
                self.set_meta(format=FORMAT)
            elif stored != FORMAT:
                raise RefkitError(f"{self.path}: index format {stored}, this refkit writes {FORMAT}; "
                                  "build a new index")
        elif self.meta().get("format") != FORMAT:
            raise RefkitError(f"{self.path}: not a refkit snapshot index of format {FORMAT}")

    # -- what it holds ------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, **values: str) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             [(k.replace("_", "-"), str(v)) for k, v in values.items()])

    def count(self) -> int:
        """How many records the index holds."""
        return int(self._db.execute("SELECT COUNT(*) FROM works").fetchone()[0])

    def parts_read(self) -> dict[str, tuple[int, int]]:
        """The data files already stored: key -> (size, mtime)."""
        return {k: (s, m) for k, s, m in self._db.execute("SELECT key, size, mtime FROM parts")}

    def skipped(self) -> int:
        return int(self._db.execute("SELECT COALESCE(SUM(skipped), 0) FROM parts").fetchone()[0])

    # -- questions ------------------------------------------------------------
    def records_by_doi(self, dois: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The slim records of those normalised `dois` the index holds."""
        found: dict[str, dict[str, Any]] = {}
        wanted = list(dict.fromkeys(dois))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for doi, blob in self._db.execute(
                    f"SELECT doi, record FROM works WHERE doi IN ({marks})", chunk):
                found[doi] = unpack(blob)
        return found

    def search(self, words: Sequence[str], rows: int) -> list[dict[str, Any]]:
        """The slim records best matching the words of a reference, best first.

        First the records holding all three of its rarest words (twice: the
        rarest three, then the next three, in case one is misprinted); only
        when neither finds any, BM25 over its rare words with OR."""
        held, df = self._held(words)
        strong = [w for w in held if len(w) >= 3 and not w.isdigit()]
        ranked: dict[int, float] = {}
        for group in (strong[:3], strong[1:4]):
            if len(group) == 3:
                for rowid, rank in self._match(" AND ".join(f'"{w}"' for w in group), rows):
                    ranked.setdefault(rowid, rank)
        if not ranked:
            ranked = dict(self._match(" OR ".join(f'"{w}"' for w in self._rare(held, df)), rows))
        if not ranked:
            return []
        ids = list(ranked)[:rows]
        marks = ",".join("?" * len(ids))
        found = {i: (doi, blob) for i, doi, blob in self._db.execute(
            f"SELECT id, doi, record FROM works WHERE id IN ({marks})", ids)}
        return [unpack(found[i][1]) for i in ids if i in found]

    def _match(self, expression: str, rows: int) -> list[tuple[int, float]]:
        """(rowid, rank) of the best `rows` matches, ties by rowid."""
        if not expression:
            return []
        return self._db.execute("SELECT rowid, rank FROM search WHERE search MATCH ? "
                                "ORDER BY rank, rowid LIMIT ?", (expression, rows)).fetchall()

    def _held(self, words: Sequence[str]) -> tuple[list[str], dict[str, int]]:
        """The words the index holds, rarest first, and how many records hold each."""
        unique = list(dict.fromkeys(words))[:64]
        if not unique:
            return [], {}
        marks = ",".join("?" * len(unique))
        df = dict(self._db.execute(f"SELECT term, df FROM terms WHERE term IN ({marks})", unique))
        return [w for _, _, w in sorted((df[w], unique.index(w), w) for w in unique if df.get(w))], df

    def _rare(self, held: list[str], df: dict[str, int]) -> list[str]:
        """The words worth an OR search: the rare ones, common ones only when too few are rare."""
        common = max(RARE_FLOOR, int(self._total * RARE_SHARE))
        rare = [w for w in held if df[w] <= common][:SEARCH_WORDS]
        return rare if len(rare) >= 3 else held[:max(3, len(rare))]

    # -- building ---------------------------------------------------------------
    def store_part(self, key: str, size: int, mtime: int, rows: Sequence[Row], skipped: int) -> Written:
        """Store one data file's records and mark it read, in one transaction:
        an interrupted build loses at most the files it was writing."""
        written = Written()
        df: Counter[str] = Counter()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for row in rows:
                self._store(row, written, df)
            self._db.executemany(
                "INSERT INTO terms (term, df) VALUES (?, ?) "
                "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                [(t, n) for t, n in df.items() if n])
            self._db.execute("INSERT OR REPLACE INTO parts (key, size, mtime, records, skipped) "
                             "VALUES (?, ?, ?, ?, ?)", (key, size, mtime, len(rows), skipped))
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._total += written.added
        return written

    def _store(self, row: Row, written: Written, df: Counter[str]) -> None:
        """Insert a record, or replace the stored copy when this one is newer
        (by stamp; the same stamp is settled by the bytes, so the outcome
        never depends on the order files are read in)."""
        inserted = self._db.execute(
            "INSERT INTO works (doi, stamp, record) VALUES (?, ?, ?) ON CONFLICT(doi) DO NOTHING "
            "RETURNING id", (row.doi, row.stamp, row.blob)).fetchone()
        if inserted is not None:
            self._index_words(inserted[0], row.words, df)
            written.added += 1
            return
        rowid, stamp, blob = self._db.execute(
            "SELECT id, stamp, record FROM works WHERE doi = ?", (row.doi,)).fetchone()
        if (row.stamp, row.blob) <= (stamp, blob):
            written.kept += 1
            return
        old_words = search_words(unpack(blob))
        self._db.execute("INSERT INTO search (search, rowid, words) VALUES ('delete', ?, ?)",
                         (rowid, " ".join(old_words)))
        df.subtract(old_words)
        self._db.execute("UPDATE works SET stamp = ?, record = ? WHERE id = ?", (row.stamp, row.blob, rowid))
        self._index_words(rowid, row.words, df)
        written.replaced += 1

    def _index_words(self, rowid: int, words: str, df: Counter[str]) -> None:
        self._db.execute("INSERT INTO search (rowid, words) VALUES (?, ?)", (rowid, words))
        df.update(words.split())

    def optimize(self) -> None:
        """Merge the full-text index into one segment: faster searches after a build."""
        self._db.execute("INSERT INTO search (search) VALUES ('optimize')")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "SnapshotStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


"""The result store: one SQLite file (standard library) that records every task and its result.

Schema (``SCHEMA_VERSION`` 1)::

    meta(key TEXT PRIMARY KEY, value TEXT)
        format = darkreach-scan-store, schema = 1, spec_hash, spec, created, version
    tasks(hash TEXT PRIMARY KEY,          -- the task's content hash (darkreach.scan.task)
          inputs TEXT,                    -- the hashed inputs, canonical JSON
          state TEXT,                     -- pending | running | done | failed
          result TEXT, checksum TEXT,     -- the curve columns as JSON and their SHA-256
          error TEXT,                     -- one line, for failed tasks
          created, started, finished REAL, seconds REAL)

Every write is one transaction (WAL journal), so a task is either recorded whole or not at
all, whenever the process is killed. A result whose checksum does not match (a damaged file,
a hand edit) is found when the store is opened and the task is done again; so are tasks left
``running`` by a killed scan. Tasks of an earlier spec stay in the store: nothing is deleted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from darkreach.errors import DarkreachError
from darkreach.scan.task import Task, canonical_json

FORMAT = "darkreach-scan-store"
SCHEMA_VERSION = "1"
STATES = ("pending", "running", "done", "failed")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_NOT_A_STORE = "a darkreach scan store (this SQLite file is not one)"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tasks (
    hash TEXT PRIMARY KEY,
    inputs TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    result TEXT,
    checksum TEXT,
    error TEXT,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    seconds REAL
);
"""


class StoreError(DarkreachError, ValueError):
    """A store that cannot be used: not a darkreach store, another spec's, unreadable."""


def checksum(text: str) -> str:
    """SHA-256 of a stored result text."""
    return hashlib.sha256(text.encode()).hexdigest()


def default_store_path(spec_path: Path) -> Path:
    """``SPEC.toml`` -> ``SPEC.scan.sqlite`` beside it."""
    return spec_path.with_name(spec_path.stem + ".scan.sqlite")


@dataclass(frozen=True)
class Row:
    """One task as stored."""

    hash: str
    inputs: dict[str, Any]
    state: str
    result: dict[str, list[float | None]] | None
    error: str | None
    seconds: float | None


def _refuse(path: Path, why: str) -> StoreError:
    return StoreError(f"--store = {path} is invalid; allowed: {why}")


class Store:
    """An open store. Use :meth:`open` (checks and creates) rather than the constructor."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path,
        spec_hash: str,
        *,
        spec_name: str = "",
        create: bool = True,
        force: bool = False,
        check_spec: bool = True,
    ) -> Store:
        """Open (or create) the store at ``path`` for the spec with ``spec_hash``.

        Refused with one line: a directory, a file that is not a darkreach store, a store
        written by another spec (unless ``force``; then it is taken over and its finished
        tasks whose hashes are unchanged are reused), a missing store when ``create`` is
        False.
        """
        path = Path(path)
        if path.is_dir():
            raise _refuse(path, "a file path, not a directory")
        exists = path.exists()
        if not exists and not create:
            raise _refuse(path, "an existing scan store (run `darkreach scan SPEC` first)")
        if exists:
            try:
                with path.open("rb") as handle:
                    magic = handle.read(len(_SQLITE_MAGIC))
            except OSError as exc:
                raise _refuse(path, f"a readable file ({exc.strerror})") from None
            if magic != _SQLITE_MAGIC:
                raise _refuse(path, "a darkreach scan store (this file is not one)")
        elif not path.parent.is_dir():
            raise _refuse(path, "a path in an existing directory")
        try:
            db = sqlite3.connect(str(path), isolation_level=None, timeout=30.0)
        except sqlite3.Error as exc:
            raise _refuse(path, f"a writable SQLite file ({exc})") from None
        store = cls(path, db)
        try:
            if exists:  # checked before anything is written to it
                store._check(spec_hash, force=force, check_spec=check_spec)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if not exists:
                store._create(spec_hash, spec_name)
        except sqlite3.Error as exc:
            db.close()
            raise _refuse(path, f"a writable SQLite file ({exc})") from None
        except BaseException:
            db.close()
            raise
        return store

    def _create(self, spec_hash: str, spec_name: str) -> None:
        from darkreach._version import __version__

        with self._transaction() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("format", FORMAT),
                    ("schema", SCHEMA_VERSION),
                    ("spec_hash", spec_hash),
                    ("spec", spec_name),
                    ("created", repr(time.time())),
                    ("version", __version__),
                ],
            )

    def _check(self, spec_hash: str, *, force: bool, check_spec: bool) -> None:
        try:
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
            self._db.execute("SELECT hash, inputs, state, result, checksum FROM tasks LIMIT 1")
        except sqlite3.DatabaseError:
            raise _refuse(
                self.path, "a darkreach scan store (this SQLite file is not one)"
            ) from None
        if meta.get("format") != FORMAT:
            raise _refuse(self.path, "a darkreach scan store (this SQLite file is not one)")
        if meta.get("schema") != SCHEMA_VERSION:
            raise _refuse(
                self.path, f"a store of schema {SCHEMA_VERSION} (not {meta.get('schema')})"
            )
        if check_spec and meta.get("spec_hash") != spec_hash:
            if not force:
                raise StoreError(
                    f"--store = {self.path} is invalid; allowed: a store of this spec (it was "
                    f"written by another spec, {meta.get('spec') or '?'}); --force reuses its "
                    "finished tasks whose inputs are unchanged"
                )
            with self._transaction() as db:
                db.execute("UPDATE meta SET value = ? WHERE key = 'spec_hash'", (spec_hash,))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def sync(self, tasks: Sequence[Task]) -> int:
        """Add the tasks not yet stored (pending); make ready again those left running by a
        killed scan, failed ones and damaged results. Returns how many are done already."""
        now = time.time()
        with self._transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO tasks (hash, inputs, state, created) "
                "VALUES (?, ?, 'pending', ?)",
                [(t.hash, canonical_json(t.inputs()), now) for t in tasks],
            )
        wanted = {t.hash for t in tasks}
        redo = []
        done = 0
        for hash_, state, result, check in self._db.execute(
            "SELECT hash, state, result, checksum FROM tasks"
        ):
            if hash_ not in wanted:
                continue
            if state == "done" and result is not None and checksum(result) == check:
                done += 1
            elif state != "pending":
                redo.append((hash_,))
        with self._transaction() as db:
            db.executemany(
                "UPDATE tasks SET state = 'pending', result = NULL, checksum = NULL, "
                "started = NULL, finished = NULL, seconds = NULL WHERE hash = ?",
                redo,
            )
        return done

    def pending(self, tasks: Sequence[Task]) -> list[Task]:
        """The tasks of ``tasks`` that are not done, in their order."""
        states = dict(self._db.execute("SELECT hash, state FROM tasks").fetchall())
        unique = {t.hash: t for t in tasks}  # a spec that names a value twice runs it once
        return [t for h, t in unique.items() if states.get(h) != "done"]

    def mark_running(self, tasks: Iterable[Task]) -> None:
        """Record that these tasks were handed to the executor (one transaction)."""
        now = time.time()
        with self._transaction() as db:
            db.executemany(
                "UPDATE tasks SET state = 'running', started = ? WHERE hash = ?",
                [(now, t.hash) for t in tasks],
            )

    def record(
        self, task_hash: str, state: str, payload: Any, started: float, finished: float
    ) -> None:
        """Store one outcome in one transaction: the result (done) or the error (failed)."""
        values: tuple[str, str | None, str | None, str | None]
        if state == "done":
            text = canonical_json(payload)
            values = (state, text, checksum(text), None)
        else:
            values = (state, None, None, str(payload))
        with self._transaction() as db:
            db.execute(
                "UPDATE tasks SET state = ?, result = ?, checksum = ?, error = ?, "
                "finished = ?, seconds = ? WHERE hash = ?",
                (*values, finished, finished - started, task_hash),
            )

    # -- reading ---------------------------------------------------------------------------
    def rows(self, hashes: Sequence[str] | None = None) -> dict[str, Row]:
        """Stored tasks by hash (all, or those in ``hashes``); a damaged result reads as
        ``pending``."""
        out = {}
        wanted = None if hashes is None else set(hashes)
        for hash_, inputs, state, result, check, error, seconds in self._db.execute(
            "SELECT hash, inputs, state, result, checksum, error, seconds FROM tasks"
        ):
            if wanted is not None and hash_ not in wanted:
                continue
            parsed = None
            if state == "done":
                if result is not None and checksum(result) == check:
                    parsed = json.loads(result)
                else:
                    state = "pending"
            out[hash_] = Row(hash_, json.loads(inputs), state, parsed, error, seconds)
        return out

    def meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())


class _Transaction:
    """``with`` block = one ``BEGIN IMMEDIATE ... COMMIT`` (rolled back on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")

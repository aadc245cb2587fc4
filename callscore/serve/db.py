"""Database access for the review app: a small connection pool that survives a database outage.

The app reads the results store's ``calls`` and ``item_results`` tables with its own SQL (filters,
sorting and paging must run in the database to stay fast on 10,000 calls) and writes only its own
``serve_*`` tables. A connection that fails is thrown away, never put back, so when the database returns
the next request simply opens a fresh one: the server keeps running through an outage and recovers on
its own. The store's schema is created through :func:`callscore.store.open_store`, once, on the first
successful connection.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import CallscoreError, MissingDependencyError
from ..results.store import SQLITE_TIMEOUT, StoreTarget, open_store, parse_store_url
from .tables import MIGRATE_V1, SERVE_INDEXES, SERVE_SCHEMA_VERSION, table_statements

POOL_MAX = 16  # idle connections kept; more may be open at once under load, the rest are closed


class DatabaseUnavailable(CallscoreError):
    """The results database cannot be reached (server down, file gone); a later request may succeed."""


class ServeDataError(CallscoreError):
    """The database answered but a statement failed (a bug or a schema from another version)."""


def _pg_errors() -> tuple[type[BaseException], ...]:
    try:
        import pg8000.dbapi
    except ImportError:
        return ()
    return (pg8000.dbapi.InterfaceError, pg8000.dbapi.OperationalError)


class Database:
    """Pooled connections to one results store (SQLite file or PostgreSQL URL); thread-safe."""

    def __init__(self, url: str | os.PathLike[str]) -> None:
        self._url = os.fspath(url)
        self.target: StoreTarget = parse_store_url(url)
        self.kind = self.target.kind
        self.display = self.target.display
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self._lost: tuple[type[BaseException], ...] = (OSError, sqlite3.OperationalError, *_pg_errors())

    # -- connections ----------------------------------------------------------------------------------
    def _open(self) -> Any:
        if self.kind == "sqlite":
            assert self.target.path is not None
            if not self.target.path.is_file():
                raise DatabaseUnavailable(f"{self.display}: results database not found")
            try:
                conn = sqlite3.connect(
                    f"file:{self.target.path}?mode=rw",
                    uri=True,
                    timeout=SQLITE_TIMEOUT,
                    check_same_thread=False,
                )
            except sqlite3.Error as e:
                raise DatabaseUnavailable(f"{self.display}: cannot open the results database ({e})") from e
            return conn
        try:
            import pg8000.dbapi
        except ImportError as e:
            raise MissingDependencyError("PostgreSQL needs pg8000: pip install 'callscore[postgres]'") from e
        try:
            return pg8000.dbapi.connect(**self.target.params, timeout=10)
        except Exception as e:  # pg8000 raises InterfaceError/DatabaseError/OSError subclasses
            raise DatabaseUnavailable(f"{self.display}: cannot connect ({e})") from e

    def _ensure_schema(self) -> None:
        with self._schema_lock:
            if self._schema_ready:
                return
            if self.kind == "sqlite" and not (self.target.path and self.target.path.is_file()):
                raise DatabaseUnavailable(f"{self.display}: results database not found")
            try:
                open_store(self._url).close()
            except CallscoreError as e:
                raise DatabaseUnavailable(str(e)) from e
            with self._connection(ensure=False) as conn:
                cur = conn.cursor()
                try:
                    if self.kind == "sqlite" and not conn.in_transaction:
                        cur.execute("BEGIN")  # the migration below is all or nothing
                    for sql in table_statements():
                        cur.execute(sql)
                    cur.execute("SELECT value FROM serve_info WHERE key = 'schema_version'")
                    row = cur.fetchone()
                    if row is None:
                        cur.execute(
                            self._sql("INSERT INTO serve_info (key, value) VALUES (?, ?)"),
                            ("schema_version", str(SERVE_SCHEMA_VERSION)),
                        )
                    elif row[0] == "1":  # reviews named calls by id: follow the store's migrated keys
                        for sql in MIGRATE_V1:
                            cur.execute(sql)
                        cur.execute(
                            self._sql("UPDATE serve_info SET value = ? WHERE key = ?"),
                            (str(SERVE_SCHEMA_VERSION), "schema_version"),
                        )
                    elif row[0] != str(SERVE_SCHEMA_VERSION):
                        raise ServeDataError(
                            f"{self.display}: review tables are version {row[0]}, this callscore reads "
                            f"version {SERVE_SCHEMA_VERSION}"
                        )
                    for sql in SERVE_INDEXES:
                        cur.execute(sql)
                    conn.commit()
                finally:
                    cur.close()
            self._schema_ready = True

    @contextlib.contextmanager
    def _connection(self, *, ensure: bool = True) -> Iterator[Any]:
        if ensure and not self._schema_ready:
            self._ensure_schema()
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self._open()
        healthy = True
        try:
            yield conn
        except self._lost as e:
            healthy = False
            with contextlib.suppress(Exception):
                conn.close()
            if isinstance(e, sqlite3.OperationalError) and "locked" not in str(e) and "no such" in str(e):
                raise ServeDataError(f"{self.display}: {e}") from e
            raise DatabaseUnavailable(f"{self.display}: connection lost ({e})") from e
        except BaseException:
            with contextlib.suppress(Exception):
                conn.rollback()
            raise
        finally:
            if healthy:
                if self._idle.qsize() < POOL_MAX:
                    self._idle.put(conn)
                else:
                    conn.close()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgresql" else sql

    # -- statements -------------------------------------------------------------------------------------
    def query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one SELECT (qmark placeholders)."""
        with self._connection() as conn:
            cur = conn.cursor()
            try:
                cur.execute(self._sql(sql), tuple(args))
                rows = [tuple(r) for r in cur.fetchall()]
                if self.kind == "postgresql":
                    conn.commit()  # end the read transaction so the next request sees new rows
                return rows
            finally:
                cur.close()

    def execute(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Run ``statements`` in one transaction: all of them or none."""
        with self._connection() as conn:
            cur = conn.cursor()
            try:
                for sql, args in statements:
                    cur.execute(self._sql(sql), tuple(args))
                conn.commit()
            except self._lost:
                raise
            except Exception as e:
                conn.rollback()
                raise ServeDataError(f"{self.display}: write failed ({e})") from e
            finally:
                cur.close()

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless a trivial query answers."""
        self.query("SELECT 1")

    def close(self) -> None:
        """Close every idle connection."""
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                conn.close()

"""Results store: every scored call, its item results and every failure, in SQLite or PostgreSQL.

SQLite (a file in the batch output folder) needs no server; PostgreSQL (``postgresql://user@host/db``)
serves a QA team's shared dashboard. Both get the same schema, written with portable types only (TEXT,
DOUBLE PRECISION, INTEGER for booleans), and the same SQL. PostgreSQL goes through pg8000 (BSD-3, pure
Python, no libpq), installed with the ``postgres`` extra.

The store is also the batch's index of what is done: a call is skipped on a re-run when its row carries
the same audio hash, rubric id/version, model and run settings (redaction, sentiment model). Each call is
written in one transaction, so a crash leaves it either fully stored or not at all.

Rows are keyed by a *call key* (:func:`call_key`), not by the call id: the call id is the file stem, a
label for people, and two batches whose files share names (``day1/call1.wav``, ``day2/call1.wav``) would
overwrite each other in a shared store. The key is derived from the batch's identity (a random id kept in
its output folder) and the call id, so it is one row per ``<out>/<call_id>.json`` scorecard: a resumed
batch replaces its own rows and no other batch's. Schema 2 introduced the key; a schema 1 store is
migrated in place on open, its rows kept under the legacy key ``v1:<call_id>`` (docs/results-store.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlparse

from callscore.errors import CallscoreError, MissingDependencyError
from callscore.scorecard import Scorecard

_T = TypeVar("_T")
STORE_SCHEMA_VERSION = 2  # 2: rows keyed by call_key (batch id + call id), not by the call id alone
LEGACY_KEY_PREFIX = "v1:"  # call_key of a row migrated from schema 1: the prefix + its call id
KEY_HEX = 32  # hex characters of a call key (128 bits of sha256)
DEFAULT_SQLITE_NAME = "callscore.sqlite"
SQLITE_TIMEOUT = 30.0  # s to wait for a lock held by a reader (a dashboard) before giving up
PG_DEFAULT_PORT = 5432
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # s between attempts after a lost PostgreSQL connection (~15 s)

# The schema, one tuple per table: (column, SQL type, constraint). Types are spelled the same for both
# databases so that introspection of either gives identical column lists.
TABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "store_info": (
        ("key", "TEXT", "PRIMARY KEY"),
        ("value", "TEXT", "NOT NULL"),
    ),
    "calls": (
        ("call_key", "TEXT", "PRIMARY KEY"),
        ("call_id", "TEXT", "NOT NULL"),
        ("batch_id", "TEXT", "NOT NULL"),
        ("source", "TEXT", "NOT NULL"),
        ("audio_sha256", "TEXT", "NOT NULL"),
        ("duration", "DOUBLE PRECISION", ""),
        ("agent", "TEXT", ""),
        ("team", "TEXT", ""),
        ("call_date", "TEXT", ""),
        ("extra", "TEXT", "NOT NULL"),
        ("rubric_id", "TEXT", "NOT NULL"),
        ("rubric_version", "TEXT", "NOT NULL"),
        ("model", "TEXT", "NOT NULL"),
        ("total", "DOUBLE PRECISION", ""),
        ("critical_failed", "INTEGER", "NOT NULL"),
        ("created", "TEXT", "NOT NULL"),
        ("report_path", "TEXT", ""),
        # Added within store schema 1 (ALTER TABLE on older stores): the scorecard's sentiment metrics.
        ("customer_sentiment_start", "DOUBLE PRECISION", ""),
        ("customer_sentiment_end", "DOUBLE PRECISION", ""),
        ("customer_sentiment_shift", "DOUBLE PRECISION", ""),
        ("agent_sentiment", "DOUBLE PRECISION", ""),
        # Schema 2: what else decides whether the result may be reused (redaction mode, sentiment model).
        ("run_settings", "TEXT", "NOT NULL"),
    ),
    "item_results": (
        ("call_key", "TEXT", "NOT NULL"),
        ("item_id", "TEXT", "NOT NULL"),
        ("title", "TEXT", "NOT NULL"),
        ("status", "TEXT", "NOT NULL"),
        ("weight", "DOUBLE PRECISION", "NOT NULL"),
        ("critical", "INTEGER", "NOT NULL"),
        ("value", "DOUBLE PRECISION", ""),
        ("reason", "TEXT", "NOT NULL"),
    ),
    "failures": (
        ("call_key", "TEXT", "PRIMARY KEY"),
        ("call_id", "TEXT", "NOT NULL"),
        ("batch_id", "TEXT", "NOT NULL"),
        ("source", "TEXT", "NOT NULL"),
        ("audio_sha256", "TEXT", "NOT NULL"),
        ("reason", "TEXT", "NOT NULL"),
        ("created", "TEXT", "NOT NULL"),
    ),
}
TABLE_EXTRAS = {"item_results": "PRIMARY KEY (call_key, item_id)"}
SENTIMENT_COLUMNS = (
    "customer_sentiment_start",
    "customer_sentiment_end",
    "customer_sentiment_shift",
    "agent_sentiment",
)
INDEXES = (
    "CREATE INDEX IF NOT EXISTS item_results_item ON item_results (item_id)",
    "CREATE INDEX IF NOT EXISTS calls_call_id ON calls (call_id)",  # the label people search by
)
# Schema 1 -> 2: each table's new columns as SQL over the old row (the key of an old row is its legacy key).
MIGRATE_V1: dict[str, dict[str, str]] = {
    "calls": {"call_key": f"'{LEGACY_KEY_PREFIX}' || call_id", "batch_id": "''", "run_settings": "''"},
    "item_results": {"call_key": f"'{LEGACY_KEY_PREFIX}' || call_id"},
    "failures": {"call_key": f"'{LEGACY_KEY_PREFIX}' || call_id", "batch_id": "''"},
}


def call_key(*, batch_id: str, call_id: str) -> str:
    """The store key of call ``call_id`` of batch ``batch_id``: sha256 of both, 32 hex characters.

    The call id is unique within a batch (it names ``<out>/<call_id>.json``) and the batch id is random
    per output folder, so two batches never share a key, while a re-run of one batch finds its own rows.
    A call saved outside a batch (``batch_id`` "") is keyed by its call id alone.
    """
    digest = hashlib.sha256(f"callscore-call\0{batch_id}\0{call_id}".encode()).hexdigest()
    return digest[:KEY_HEX]


def legacy_key(call_id: str) -> str:
    """The key a schema 1 row of ``call_id`` got when its store was migrated."""
    return LEGACY_KEY_PREFIX + call_id


class StoreError(CallscoreError):
    """A results store that cannot be opened, read or written."""


@dataclass(frozen=True)
class CallRow:
    """One stored call.

    Attributes:
        call_id: Identifier people see (the file stem); not unique across batches.
        source: Input path.
        audio_sha256: Hash of the input file.
        duration: Call length (s), or None.
        agent: Agent, or None.
        team: Team, or None.
        call_date: ISO date, or None.
        extra: Other metadata fields.
        rubric_id: Rubric identifier.
        rubric_version: Rubric version.
        model: ASR model key the call was transcribed with.
        total: 0-100 score, or None when nothing could be scored.
        critical_failed: True when a critical item failed.
        created: ISO-8601 UTC time the scorecard was made.
        report_path: Path of the HTML report, or None.
        customer_sentiment_start: Customer sentiment in the first quarter they spoke in, -5..+5, or None.
        customer_sentiment_end: The same in the last quarter they spoke in, or None.
        customer_sentiment_shift: end - start, -10..+10 (negative: left worse off), or None.
        agent_sentiment: The agent's mean sentiment over the call (their tone), -5..+5, or None.
        call_key: The row's key (:func:`call_key`), unique in the store.
        batch_id: The batch that wrote it ("" outside a batch or for a row migrated from schema 1).
        run_settings: Redaction mode and sentiment model it was scored with ("" when unknown).
    """

    call_id: str
    source: str
    audio_sha256: str
    duration: float | None
    agent: str | None
    team: str | None
    call_date: str | None
    extra: Mapping[str, Any]
    rubric_id: str
    rubric_version: str
    model: str
    total: float | None
    critical_failed: bool
    created: str
    report_path: str | None
    customer_sentiment_start: float | None = None
    customer_sentiment_end: float | None = None
    customer_sentiment_shift: float | None = None
    agent_sentiment: float | None = None
    call_key: str = ""
    batch_id: str = ""
    run_settings: str = ""


@dataclass(frozen=True)
class ItemRow:
    """One item result of one stored call.

    Attributes:
        call_key: The call's key.
        item_id: Rubric item id.
        title: Item title.
        status: "pass", "fail", "not_applicable" or "not_measured".
        weight: Weight in the total.
        critical: True for a critical item.
        value: Measured value, or None.
        reason: One line saying why.
    """

    call_key: str
    item_id: str
    title: str
    status: str
    weight: float
    critical: bool
    value: float | None
    reason: str


@dataclass(frozen=True)
class FailureRow:
    """A call that could not be scored.

    Attributes:
        call_id: The call.
        source: Input path.
        audio_sha256: Hash of the input ("" when it could not be read).
        reason: The one-line error.
        created: ISO-8601 UTC time of the failure.
        call_key: The call's key.
        batch_id: The batch that tried it.
    """

    call_id: str
    source: str
    audio_sha256: str
    reason: str
    created: str
    call_key: str = ""
    batch_id: str = ""


@dataclass(frozen=True)
class DoneKey:
    """What a stored result was made from; a re-run skips a call whose key is unchanged.

    Attributes:
        audio_sha256: Hash of the input file.
        rubric_id: Rubric identifier.
        rubric_version: Rubric version.
        model: ASR model key.
        run_settings: Redaction mode and sentiment model (:attr:`RunKey.settings` of the batch).
    """

    audio_sha256: str
    rubric_id: str
    rubric_version: str
    model: str
    run_settings: str = ""


@dataclass(frozen=True)
class StoreTarget:
    """Where a store lives, parsed from a URL.

    Attributes:
        kind: "sqlite" or "postgresql".
        path: SQLite file (kind sqlite).
        params: pg8000 connect keyword arguments (kind postgresql).
        display: URL without password, for messages.
    """

    kind: str
    path: Path | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    display: str = ""


def parse_store_url(url: str | os.PathLike[str]) -> StoreTarget:
    """Parse ``sqlite:///path``, a plain file path, or ``postgresql://user:pw@host:port/db``.

    A PostgreSQL URL may give a unix-socket folder as ``?host=/run/postgresql``.
    """
    text = os.fspath(url)
    if text.startswith(("postgresql://", "postgres://")):
        u = urlparse(text)
        query = parse_qs(u.query)
        params: dict[str, Any] = {
            "user": unquote(u.username or "postgres"),
            "database": unquote(u.path.lstrip("/")) or unquote(u.username or "postgres"),
        }
        if u.password:
            params["password"] = unquote(u.password)
        sock_dir = query.get("host", [None])[0]
        if sock_dir:
            params["unix_sock"] = f"{sock_dir.rstrip('/')}/.s.PGSQL.{u.port or PG_DEFAULT_PORT}"
        else:
            params["host"] = u.hostname or "localhost"
            params["port"] = u.port or PG_DEFAULT_PORT
        shown = text.replace(f":{u.password}@", ":***@") if u.password else text
        return StoreTarget(kind="postgresql", params=params, display=shown)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]  # sqlite:///rel/file or sqlite:////abs/file
    elif "://" in text:
        raise StoreError(
            f"--db {text}: unknown database (use a file path, sqlite:///FILE or postgresql://...)"
        )
    return StoreTarget(kind="sqlite", path=Path(text), display=str(text))


CALL_COLUMNS = tuple(c for c, _, _ in TABLES["calls"])


def call_row(values: Sequence[Any]) -> CallRow:
    """A :class:`CallRow` from the columns of ``calls`` in schema order (:data:`CALL_COLUMNS`)."""
    d = dict(zip(CALL_COLUMNS, values, strict=True))
    d["extra"] = json.loads(d["extra"] or "{}")
    d["critical_failed"] = bool(d["critical_failed"])
    return CallRow(**d)


def create_table_sql(name: str) -> str:
    """CREATE TABLE statement of table ``name`` (same text for SQLite and PostgreSQL)."""
    cols = [" ".join(p for p in (c, t, k) if p) for c, t, k in TABLES[name]]
    if name in TABLE_EXTRAS:
        cols.append(TABLE_EXTRAS[name])
    return f"CREATE TABLE IF NOT EXISTS {name} ({', '.join(cols)})"


def insert_sql(name: str) -> str:
    """INSERT statement of table ``name`` with one qmark placeholder per column, in schema order."""
    cols = [c for c, _, _ in TABLES[name]]
    return f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class ResultStore:
    """A connection to the results store; use :func:`open_store`. Not shared between processes.

    A PostgreSQL connection that drops (server restart, network outage) is reopened and the transaction
    retried with backoff (:data:`RETRY_DELAYS`); every write is delete-then-insert in one transaction, so
    a retry after an unacknowledged commit leaves the same single row. When the server stays away the
    error says so in one line, and :meth:`close` never hides it behind a second one.
    """

    def __init__(
        self,
        target: StoreTarget,
        conn: Any,
        *,
        reconnect: Callable[[], Any] | None = None,
        retry_delays: Sequence[float] = (),
    ) -> None:
        self.target = target
        self.kind = target.kind
        self._conn = conn
        self._reconnect = reconnect
        self._retry_delays = tuple(retry_delays)
        self._ensure_schema()

    def _attempts(self, what: str, fn: Callable[[], _T]) -> _T:
        """Run ``fn``; on a lost connection reopen it and try again after each delay of the backoff."""
        delays = self._retry_delays if self._reconnect is not None else ()
        for attempt in range(len(delays) + 1):
            try:
                return fn()
            except StoreError as e:
                lost = _connection_lost(e.__cause__)
                if not lost or attempt == len(delays):
                    if lost:
                        raise StoreError(
                            f"{self.target.display}: database connection lost; {what} failed after "
                            f"{attempt + 1} attempts ({_one_line(e.__cause__)}); finished calls keep "
                            "their files: run the batch again once the database is back"
                        ) from e.__cause__
                    raise
            time.sleep(delays[attempt])
            assert self._reconnect is not None
            _quietly(self._conn.close)  # the old connection is dead; closing it may fail too
            with contextlib.suppress(Exception):  # still down: the next attempt fails and waits longer
                self._conn = self._reconnect()
        raise AssertionError("unreachable")  # pragma: no cover

    # -- plumbing -------------------------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        # One SQL text for both: qmark placeholders, turned into pg8000's "format" style for PostgreSQL.
        return sql.replace("?", "%s") if self.kind == "postgresql" else sql

    def _run(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        self._attempts("write", lambda: self._run_once(statements))

    def _run_once(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
        try:
            cur = self._conn.cursor()
            try:
                for sql, args in statements:
                    cur.execute(self._sql(sql), tuple(args))
                self._conn.commit()
            finally:
                _quietly(cur.close)
        except Exception as e:
            _quietly(self._conn.rollback)
            raise StoreError(f"{self.target.display}: write failed ({_one_line(e)})") from e

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._attempts("read", lambda: self._query_once(sql, args))

    def _query_once(self, sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            cur = self._conn.cursor()
            try:
                cur.execute(self._sql(sql), tuple(args))
                return [tuple(r) for r in cur.fetchall()]
            finally:
                _quietly(cur.close)
        except Exception as e:
            _quietly(self._conn.rollback)
            raise StoreError(f"{self.target.display}: read failed ({_one_line(e)})") from e

    def _ensure_schema(self) -> None:
        self._run([(create_table_sql(t), ()) for t in TABLES])
        rows = self._query("SELECT value FROM store_info WHERE key = ?", ("schema_version",))
        if rows and rows[0][0] == "1":
            self._migrate_v1()
        elif not rows:
            version = str(STORE_SCHEMA_VERSION)
            self._run([("INSERT INTO store_info (key, value) VALUES (?, ?)", ("schema_version", version))])
        elif rows[0][0] != str(STORE_SCHEMA_VERSION):
            raise StoreError(
                f"{self.target.display}: results store schema version {rows[0][0]} is not supported "
                f"(this callscore writes version {STORE_SCHEMA_VERSION}); use a new --db"
            )
        # Columns added within a schema (the sentiment ones, within 1): a store made before them gets them.
        have = {name for name, _ in self.columns("calls")}
        self._run(
            [
                (f"ALTER TABLE calls ADD COLUMN {c} DOUBLE PRECISION", ())
                for c in SENTIMENT_COLUMNS
                if c not in have
            ]
        )
        self._run([(s, ()) for s in INDEXES])

    def _migrate_v1(self) -> None:
        """Schema 1 -> 2 in one transaction: each table is rebuilt with its key, every row kept.

        An old row's key is :func:`legacy_key` of its call id (unique in a schema 1 store, and never a
        hex digest, so never equal to a new key); its batch and run settings are unknown (""), so a batch
        re-scores it once, keeping its key (:meth:`legacy_rows`).
        """
        have = {name for name, _ in self.columns("calls")}
        statements: list[tuple[str, Sequence[Any]]] = [("BEGIN", ())] if self.kind == "sqlite" else []
        # Stores made before the sentiment columns (added within schema 1) get them first.
        statements += [
            (f"ALTER TABLE calls ADD COLUMN {c} DOUBLE PRECISION", ())
            for c in SENTIMENT_COLUMNS
            if c not in have
        ]
        for table, new in MIGRATE_V1.items():
            cols = [c for c, _, _ in TABLES[table]]
            select = ", ".join(new.get(c, c) for c in cols)
            statements += [
                (create_table_sql(table).replace(f" {table} (", f" {table}_v2 (", 1), ()),
                (f"INSERT INTO {table}_v2 ({', '.join(cols)}) SELECT {select} FROM {table}", ()),
                (f"DROP TABLE {table}", ()),
                (f"ALTER TABLE {table}_v2 RENAME TO {table}", ()),
            ]
        statements.append(
            ("UPDATE store_info SET value = ? WHERE key = ?", (str(STORE_SCHEMA_VERSION), "schema_version"))
        )
        self._run(statements)

    def close(self) -> None:
        """Close the connection; a connection the server already dropped closes without an error
        (nothing is pending: every write commits at once)."""
        _quietly(self._conn.close)

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------------------------
    def save_call(
        self,
        card: Scorecard,
        *,
        model: str,
        agent: str | None = None,
        team: str | None = None,
        call_date: str | None = None,
        extra: Mapping[str, Any] | None = None,
        report_path: str | None = None,
        source: str | None = None,
        audio_sha256: str | None = None,
        batch_id: str = "",
        run_settings: str = "",
        key: str | None = None,
    ) -> str:
        """Store one scorecard in one transaction, replacing an earlier result (or failure) under the same
        key; returns the key (``key``, else :func:`call_key` of ``batch_id`` and the call id)."""
        key = key or call_key(batch_id=batch_id, call_id=card.call_id)
        statements = _delete_statements(key)
        values = (
            key,
            card.call_id,
            batch_id,
            source if source is not None else card.source,
            audio_sha256 if audio_sha256 is not None else card.audio_sha256,
            card.duration,
            agent,
            team,
            call_date,
            json.dumps(dict(extra or {}), ensure_ascii=False, sort_keys=True),
            card.rubric_id,
            card.rubric_version,
            model,
            card.total,
            int(card.critical_failed),
            card.created or _now(),
            report_path,
            *(_number(card.metrics.get(c)) for c in SENTIMENT_COLUMNS),
            run_settings,
        )
        statements.append((insert_sql("calls"), values))
        for it in card.items:
            row = (key, it.id, it.title, it.status, float(it.weight), int(it.critical), it.value, it.reason)
            statements.append((insert_sql("item_results"), row))
        self._run(statements)
        return key

    def record_failure(
        self,
        *,
        call_id: str,
        source: str,
        audio_sha256: str,
        reason: str,
        batch_id: str = "",
        key: str | None = None,
    ) -> str:
        """Record a call that could not be scored, replacing its earlier failure or (stale) result."""
        key = key or call_key(batch_id=batch_id, call_id=call_id)
        row = (key, call_id, batch_id, source, audio_sha256, reason, _now())
        self._run([*_delete_statements(key), (insert_sql("failures"), row)])
        return key

    # -- reading --------------------------------------------------------------------------------------------
    def done_keys(self) -> dict[str, DoneKey]:
        """call_key -> what its stored result was made from."""
        rows = self._query(
            "SELECT call_key, audio_sha256, rubric_id, rubric_version, model, run_settings FROM calls"
        )
        return {r[0]: DoneKey(r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def legacy_rows(self) -> dict[str, tuple[str, str]]:
        """call_id -> (source, batch id) of every row migrated from schema 1 (calls and failures).

        A batch scoring the same file under that call id takes the row over, key and all (its reviews in
        the review app stay attached), instead of leaving a stale twin; the batch id it then carries
        keeps any other batch from taking it too.
        """
        out: dict[str, tuple[str, str]] = {}
        for table in ("calls", "failures"):
            rows = self._query(
                f"SELECT call_key, source, batch_id FROM {table} WHERE call_key LIKE ?",
                (LEGACY_KEY_PREFIX + "%",),
            )
            out.update({str(k)[len(LEGACY_KEY_PREFIX) :]: (str(src), str(b)) for k, src, b in rows})
        return out

    def calls(self) -> list[CallRow]:
        """All stored calls, by call id (then key)."""
        rows = self._query(f"SELECT {', '.join(CALL_COLUMNS)} FROM calls ORDER BY call_id, call_key")
        return [call_row(r) for r in rows]

    def read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query with qmark placeholders (one text for both databases): the
        aggregates group and count in the database through this, not over every row in Python."""
        return self._query(sql, args)

    def item_results(self) -> list[ItemRow]:
        """All item results, by call key then item id."""
        cols = [c for c, _, _ in TABLES["item_results"]]
        rows = self._query(f"SELECT {', '.join(cols)} FROM item_results ORDER BY call_key, item_id")
        out = []
        for r in rows:
            d = dict(zip(cols, r, strict=True))
            d["critical"] = bool(d["critical"])
            out.append(ItemRow(**d))
        return out

    def failures(self) -> list[FailureRow]:
        """All recorded failures, by call id (then key)."""
        cols = [f.name for f in dataclasses.fields(FailureRow)]
        rows = self._query(f"SELECT {', '.join(cols)} FROM failures ORDER BY call_id, call_key")
        return [FailureRow(*r) for r in rows]

    def columns(self, table: str) -> list[tuple[str, str]]:
        """(name, lower-case declared type) of each column of ``table``, in order, as the database says."""
        if self.kind == "sqlite":
            return [(r[1], str(r[2]).lower()) for r in self._query(f"PRAGMA table_info({table})")]
        rows = self._query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
            (table,),
        )
        return [(r[0], str(r[1]).lower()) for r in rows]

    def tables(self) -> list[str]:
        """Names of the tables in the store, sorted."""
        if self.kind == "sqlite":
            rows = self._query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        else:
            rows = self._query(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() ORDER BY table_name"
            )
        return [r[0] for r in rows]


def _delete_statements(key: str) -> list[tuple[str, Sequence[Any]]]:
    """Statements removing every row (result, items, failure) of the call keyed ``key``."""
    return [
        (f"DELETE FROM {table} WHERE call_key = ?", (key,)) for table in ("item_results", "calls", "failures")
    ]


def _quietly(fn: Callable[[], object]) -> None:
    """Call a cleanup (close, rollback) whose own failure must not replace the error being handled."""
    with contextlib.suppress(Exception):  # the connection is gone; the real error is on its way
        fn()


def _one_line(e: BaseException | None) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def _connection_lost(e: BaseException | None) -> bool:
    """True for errors of a dropped connection (worth reconnecting), not for SQL errors."""
    if e is None:
        return False
    if isinstance(e, (OSError, ConnectionError, EOFError)):
        return True
    name = type(e).__name__
    return name == "InterfaceError" and type(e).__module__.startswith("pg8000")


def open_store(url: str | os.PathLike[str], *, retry_delays: Sequence[float] = RETRY_DELAYS) -> ResultStore:
    """Open (creating if needed) the store at ``url``: a SQLite file path or a PostgreSQL URL."""
    target = parse_store_url(url)
    if target.kind == "sqlite":
        assert target.path is not None
        try:
            target.path.parent.mkdir(parents=True, exist_ok=True)
            # Scores and evidence quotes are personal data: create the file 0600 (SQLite gives its -wal
            # and -shm files the database's permissions).
            os.close(os.open(target.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(str(target.path), timeout=SQLITE_TIMEOUT)
            conn.execute("PRAGMA journal_mode=WAL")  # a dashboard may read while a batch writes
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"{target.path}: cannot open the results database ({e})") from e
        return ResultStore(target, conn)
    try:
        import pg8000.dbapi
    except ImportError as e:
        raise MissingDependencyError("PostgreSQL needs pg8000: pip install 'callscore[postgres]'") from e

    def connect() -> Any:
        return pg8000.dbapi.connect(**target.params)

    try:
        conn = connect()
    except Exception as e:  # pg8000 raises InterfaceError/DatabaseError/OSError subclasses
        raise StoreError(f"{target.display}: cannot connect ({_one_line(e)})") from e
    return ResultStore(target, conn, reconnect=connect, retry_delays=retry_delays)

"""The review app's own tables, created beside the results store's tables in the same database.

The results store (``calls``, ``item_results``) stays read-only to the app: reviews never touch a
stored verdict, they are rows of their own, one per change, so the history (who, when, before, after)
is never overwritten. Types are the store's portable ones (TEXT, INTEGER), so the same DDL runs on
SQLite and PostgreSQL. Identifiers are random hex strings rather than autoincrement columns, whose
syntax differs between the two databases.
"""

from __future__ import annotations

from callscore.results.store import LEGACY_KEY_PREFIX

SERVE_SCHEMA_VERSION = 2  # 2: reviews and disputes refer to a call by its store key (store schema 2)

# (column, SQL type, constraint), as callscore.store.TABLES spells them.
SERVE_TABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "serve_users": (
        ("username", "TEXT", "PRIMARY KEY"),
        ("role", "TEXT", "NOT NULL"),
        ("agent_id", "TEXT", ""),
        ("password_hash", "TEXT", "NOT NULL"),
        ("disabled", "INTEGER", "NOT NULL"),
        ("created", "TEXT", "NOT NULL"),
    ),
    "serve_sessions": (
        ("token_hash", "TEXT", "PRIMARY KEY"),
        ("username", "TEXT", "NOT NULL"),
        ("csrf", "TEXT", "NOT NULL"),
        ("created", "TEXT", "NOT NULL"),
        ("expires", "TEXT", "NOT NULL"),
    ),
    "serve_reviews": (
        ("review_id", "TEXT", "PRIMARY KEY"),
        ("call_key", "TEXT", "NOT NULL"),
        ("item_id", "TEXT", "NOT NULL"),
        ("reviewer", "TEXT", "NOT NULL"),
        ("before_status", "TEXT", "NOT NULL"),
        ("after_status", "TEXT", "NOT NULL"),
        ("comment", "TEXT", "NOT NULL"),
        ("dispute_id", "TEXT", ""),
        ("created", "TEXT", "NOT NULL"),
    ),
    "serve_disputes": (
        ("dispute_id", "TEXT", "PRIMARY KEY"),
        ("call_key", "TEXT", "NOT NULL"),
        ("item_id", "TEXT", "NOT NULL"),
        ("agent_user", "TEXT", "NOT NULL"),
        ("wanted_status", "TEXT", "NOT NULL"),
        ("state", "TEXT", "NOT NULL"),
        ("created", "TEXT", "NOT NULL"),
        ("resolved_by", "TEXT", ""),
        ("resolved_at", "TEXT", ""),
    ),
    "serve_messages": (
        ("message_id", "TEXT", "PRIMARY KEY"),
        ("dispute_id", "TEXT", "NOT NULL"),
        ("author", "TEXT", "NOT NULL"),
        ("body", "TEXT", "NOT NULL"),
        ("created", "TEXT", "NOT NULL"),
    ),
    "serve_info": (
        ("key", "TEXT", "PRIMARY KEY"),
        ("value", "TEXT", "NOT NULL"),
    ),
}

# Indexes for the calls list (filters and sorts served from SQL) and for the review look-ups. Those on
# the store's tables are harmless to it (IF NOT EXISTS, never dropped) and are what keep a page fast on
# 10,000 calls: each common filter (agent, team, critical) has one index per common sort (date, score)
# that ends in (call_id, call_key), the tie-breakers, so a page is an index walk of offset + 50 entries,
# not a sort.
SERVE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS serve_calls_date ON calls (call_date, call_id, call_key)",
    # Score range with any sort: covering, so the sort reads the index only.
    (
        "CREATE INDEX IF NOT EXISTS serve_calls_total "
        "ON calls (total, call_date, agent, team, call_id, call_key)"
    ),
    "CREATE INDEX IF NOT EXISTS serve_calls_agent ON calls (agent, call_id, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_calls_team ON calls (team, call_id, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_calls_agent_date ON calls (agent, call_date, call_id, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_calls_agent_total ON calls (agent, total, call_id, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_calls_team_date ON calls (team, call_date, call_id, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_calls_team_total ON calls (team, total, call_id, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_calls_team_agent ON calls (team, agent, call_id, call_key)",
    (
        "CREATE INDEX IF NOT EXISTS serve_calls_crit_date "
        "ON calls (critical_failed, call_date, call_id, call_key)"
    ),
    "CREATE INDEX IF NOT EXISTS serve_calls_crit_total ON calls (critical_failed, total, call_id, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_items_status ON item_results (item_id, status, call_key)",
    "CREATE INDEX IF NOT EXISTS serve_reviews_call ON serve_reviews (call_key, item_id, created)",
    "CREATE INDEX IF NOT EXISTS serve_reviews_created ON serve_reviews (created)",
    "CREATE INDEX IF NOT EXISTS serve_disputes_call ON serve_disputes (call_key, item_id)",
    "CREATE INDEX IF NOT EXISTS serve_disputes_state ON serve_disputes (state, created)",
    "CREATE INDEX IF NOT EXISTS serve_messages_dispute ON serve_messages (dispute_id, created)",
    "CREATE INDEX IF NOT EXISTS serve_sessions_user ON serve_sessions (username)",
)


def serve_table_sql(name: str) -> str:
    """CREATE TABLE statement of the app's table ``name`` (same text for SQLite and PostgreSQL)."""
    cols = [" ".join(p for p in (c, t, k) if p) for c, t, k in SERVE_TABLES[name]]
    return f"CREATE TABLE IF NOT EXISTS {name} ({', '.join(cols)})"


# Review tables of serve schema 1 named a call by its id; store schema 2 keys calls by call_key and keeps
# the rows it migrated under LEGACY_KEY_PREFIX + call_id, so the reviews follow them the same way.
MIGRATE_V1 = tuple(
    stmt
    for table in ("serve_reviews", "serve_disputes")
    for stmt in (
        f"ALTER TABLE {table} RENAME COLUMN call_id TO call_key",
        f"UPDATE {table} SET call_key = '{LEGACY_KEY_PREFIX}' || call_key",
    )
)


def schema_statements() -> list[str]:
    """Every statement that creates the app's tables and indexes; each is idempotent."""
    return table_statements() + list(SERVE_INDEXES)


def table_statements() -> list[str]:
    """The statements creating the app's tables (not their indexes, which need the current columns)."""
    return [serve_table_sql(t) for t in SERVE_TABLES]

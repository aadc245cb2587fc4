"""Accounts, sessions, CSRF tokens and the login rate limit of the review app.

Passwords are hashed with Argon2id (argon2-cffi, its default parameters: 64 MiB, 3 passes). A session is
a random 32-byte token in an HttpOnly, SameSite=Lax cookie; the database keeps only its SHA-256, so a
leaked database does not leak live sessions. Every session carries its own CSRF token, which each form
and state-changing request must send back (hidden field or ``X-CSRF-Token`` header); the login form,
which has no session yet, uses a double-submit cookie instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import CallscoreError, MissingDependencyError
from .db import Database

ROLES = ("admin", "qa", "agent")
SESSION_TTL = dt.timedelta(hours=12)
LOGIN_MAX_FAILURES = 5  # failed logins allowed per window, per client address and per user name
LOGIN_WINDOW_S = 300.0  # s
LIMITER_KEYS_MAX = 10_000  # keys remembered before stale ones are dropped (a flood of names must not grow it)
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8  # characters
HASH_CONCURRENCY = 2  # Argon2 hashes at once (64 MiB each): a login flood queues instead of eating the box
_hash_slots = threading.BoundedSemaphore(HASH_CONCURRENCY)


class UserError(CallscoreError):
    """A user that cannot be added or changed (bad name, unknown role, short password, unknown user)."""


@dataclass(frozen=True)
class User:
    """One account.

    Attributes:
        username: Login name.
        role: "admin", "qa" or "agent".
        agent_id: For agents: the ``agent`` value their calls carry in the store.
        disabled: A disabled user cannot log in and loses their sessions.
        created: ISO-8601 UTC time the account was made.
    """

    username: str
    role: str
    agent_id: str | None
    disabled: bool
    created: str

    @property
    def is_qa(self) -> bool:
        """QA and admin users review every call."""
        return self.role in ("qa", "admin")


@dataclass(frozen=True)
class Session:
    """A logged-in user and the CSRF token of their session.

    Attributes:
        user: Who.
        csrf: Token that every state-changing request must carry.
    """

    user: User
    csrf: str


def now_iso() -> str:
    """Current UTC time, ISO-8601 with microseconds (orders review history within a second)."""
    return dt.datetime.now(dt.timezone.utc).isoformat()


def _hasher():  # noqa: ANN202 - argon2 is an optional dependency
    try:
        from argon2 import PasswordHasher
    except ImportError as e:
        raise MissingDependencyError(
            "callscore serve needs argon2-cffi: pip install 'callscore[serve]'"
        ) from e
    return PasswordHasher()


def hash_password(*, password: str) -> str:
    """Argon2id hash of ``password`` (salted, parameters encoded in the hash)."""
    return _hasher().hash(password)


def verify_password(*, password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        with _hash_slots:
            return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two tokens."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def check_new_user(*, username: str, role: str, agent_id: str | None, password: str) -> None:
    """Raise UserError when a new account's fields are not acceptable."""
    if not USERNAME_RE.match(username):
        raise UserError(f"user {username!r}: names are 1-64 letters, digits or . _ @ - (no spaces)")
    if role not in ROLES:
        raise UserError(f"user {username}: role {role!r} is not one of {', '.join(ROLES)}")
    if role == "agent" and not agent_id:
        raise UserError(f"user {username}: an agent needs --agent-id (the agent value their calls carry)")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"user {username}: password must have at least {MIN_PASSWORD} characters")


_USER_COLS = "username, role, agent_id, disabled, created"


def _user(row: tuple) -> User:
    return User(row[0], row[1], row[2], bool(row[3]), row[4])


def add_user(db: Database, *, username: str, role: str, password: str, agent_id: str | None = None) -> User:
    """Create an account; UserError when the name is taken or a field is invalid."""
    check_new_user(username=username, role=role, agent_id=agent_id, password=password)
    if db.query("SELECT username FROM serve_users WHERE username = ?", (username,)):
        raise UserError(f"user {username}: already exists (use 'callscore users reset' to change it)")
    created = now_iso()
    db.execute(
        [
            (
                "INSERT INTO serve_users (username, role, agent_id, password_hash, disabled, created) "
                "VALUES (?, ?, ?, ?, 0, ?)",
                (
                    username,
                    role,
                    agent_id if role == "agent" else None,
                    hash_password(password=password),
                    created,
                ),
            )
        ]
    )
    return User(username, role, agent_id if role == "agent" else None, False, created)


def get_user(db: Database, *, username: str) -> User | None:
    """The account ``username``, or None."""
    rows = db.query(f"SELECT {_USER_COLS} FROM serve_users WHERE username = ?", (username,))
    return _user(rows[0]) if rows else None


def list_users(db: Database) -> list[User]:
    """Every account, by name."""
    return [_user(r) for r in db.query(f"SELECT {_USER_COLS} FROM serve_users ORDER BY username")]


def set_disabled(db: Database, *, username: str, disabled: bool) -> None:
    """Disable (ending every session) or re-enable an account."""
    if get_user(db, username=username) is None:
        raise UserError(f"user {username}: no such user")
    statements: list[tuple[str, tuple]] = [
        ("UPDATE serve_users SET disabled = ? WHERE username = ?", (int(disabled), username))
    ]
    if disabled:
        statements.append(("DELETE FROM serve_sessions WHERE username = ?", (username,)))
    db.execute(statements)


def reset_password(db: Database, *, username: str, password: str) -> None:
    """Set a new password and end the user's sessions."""
    if get_user(db, username=username) is None:
        raise UserError(f"user {username}: no such user")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"user {username}: password must have at least {MIN_PASSWORD} characters")
    db.execute(
        [
            (
                "UPDATE serve_users SET password_hash = ? WHERE username = ?",
                (hash_password(password=password), username),
            ),
            ("DELETE FROM serve_sessions WHERE username = ?", (username,)),
        ]
    )


def authenticate(db: Database, *, username: str, password: str) -> User | None:
    """The enabled user whose password matches, else None (same work whether or not the name exists)."""
    rows = db.query(f"SELECT {_USER_COLS}, password_hash FROM serve_users WHERE username = ?", (username,))
    if not rows:
        # Hash anyway so a missing name answers as slowly as a wrong password.
        verify_password(password_hash=_DUMMY_HASH.get(), password=password)
        return None
    user = _user(rows[0][:5])
    if not verify_password(password_hash=rows[0][5], password=password) or user.disabled:
        return None
    return user


class _LazyHash:
    def __init__(self) -> None:
        self._value: str | None = None

    def get(self) -> str:
        if self._value is None:
            self._value = hash_password(password=secrets.token_hex(16))
        return self._value


_DUMMY_HASH = _LazyHash()


def start_session(db: Database, *, user: User) -> tuple[str, str]:
    """Store a new session; returns (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.timezone.utc)
    db.execute(
        [
            ("DELETE FROM serve_sessions WHERE expires < ?", (now.isoformat(),)),
            (
                "INSERT INTO serve_sessions (token_hash, username, csrf, created, expires) "
                "VALUES (?, ?, ?, ?, ?)",
                (token_hash(token), user.username, csrf, now.isoformat(), (now + SESSION_TTL).isoformat()),
            ),
        ]
    )
    return token, csrf


def load_session(db: Database, *, token: str) -> Session | None:
    """The live session of cookie ``token`` whose user is still enabled, or None."""
    rows = db.query(
        "SELECT u.username, u.role, u.agent_id, u.disabled, u.created, s.csrf, s.expires "
        "FROM serve_sessions s JOIN serve_users u ON u.username = s.username WHERE s.token_hash = ?",
        (token_hash(token),),
    )
    if not rows:
        return None
    r = rows[0]
    if bool(r[3]) or r[6] < dt.datetime.now(dt.timezone.utc).isoformat():
        return None
    return Session(_user(r[:5]), r[5])


def end_session(db: Database, *, token: str) -> None:
    """Log out: forget the session of cookie ``token``."""
    db.execute([("DELETE FROM serve_sessions WHERE token_hash = ?", (token_hash(token),))])


class LoginLimiter:
    """Failed-login counter per key (client address, user name) over a sliding window; thread-safe.

    In memory, per server process: a restart forgets it, which is acceptable for one local server and
    keeps the database out of the path of a brute-force attempt.
    """

    def __init__(
        self,
        *,
        max_failures: int = LOGIN_MAX_FAILURES,
        window_s: float = LOGIN_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.setdefault(key, deque())
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> float:
        """Seconds until any of ``keys`` may try again; 0 when all may try now."""
        now = self._clock()
        with self._lock:
            waits = []
            for k in keys:
                q = self._recent(k, now)
                if len(q) >= self.max_failures:
                    waits.append(q[0] + self.window_s - now)
            return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        """Count one failed attempt against each key."""
        now = self._clock()
        with self._lock:
            if len(self._fails) > LIMITER_KEYS_MAX:
                for k in [k for k, q in self._fails.items() if not q or q[-1] <= now - self.window_s]:
                    del self._fails[k]
            for k in keys:
                self._recent(k, now).append(now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of each key after a good login."""
        with self._lock:
            for k in keys:
                self._fails.pop(k, None)

"""``callscore serve``, ``callscore users add|list|disable|reset`` and ``callscore export-reviews``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(highlight=False)

users_app = typer.Typer(
    help="Accounts of the review app (callscore serve).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DbOpt = Annotated[str, typer.Option("--db", help="Results store: SQLite file or postgresql:// URL.")]
DebugOpt = Annotated[bool, typer.Option(help="Show tracebacks.")]


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``users`` and ``export-reviews`` to ``app``."""
    app.command("serve")(serve_cmd)
    app.command("export-reviews")(export_reviews_cmd)
    app.add_typer(users_app, name="users")


def _db(url: str):  # noqa: ANN202 - Database, imported lazily with the serve extra
    from ..results.store import open_store
    from ..serve.db import Database

    open_store(url).close()  # creates the store's tables on a new database, refuses another version
    return Database(url)


def _password(stdin: bool) -> str:
    from ..serve.db import CallscoreError

    if not stdin:
        import getpass

        first = getpass.getpass("password: ")
        if first != getpass.getpass("again: "):
            raise CallscoreError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CallscoreError("--password-stdin: nothing on standard input")
    return line.rstrip("\r\n")


def serve_cmd(
    db: DbOpt,
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option(help="Mark cookies Secure: the app is served over TLS (a proxy in front).")
    ] = False,
    workers: Annotated[int, typer.Option(help="Server processes (SQLite or PostgreSQL alike).")] = 1,
    debug: DebugOpt = False,
) -> None:
    """Run the review app: calls list, call pages with audio, overrides, disputes and calibration."""
    from .common import handle_errors

    with handle_errors(debug):
        from ..results.store import StoreError, parse_store_url

        target = parse_store_url(db)
        if target.kind == "sqlite" and target.path is not None and not target.path.is_file():
            raise StoreError(f"{db}: no results store here (run 'callscore batch ... --out DIR' first)")
        _db(db).close()
        from ..serve.app import create_app  # noqa: F401 - fail here, with the extra to install, not in uvicorn

        try:
            import uvicorn
        except ImportError as e:
            from ..errors import MissingDependencyError

            raise MissingDependencyError(
                "callscore serve needs uvicorn: pip install 'callscore[serve]'"
            ) from e
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(
            f"[yellow]warning:[/] listening on {host}: other machines can reach the app", markup=True
        )
    console.print(f"callscore review app on http://{host}:{port}/ (store {db.split('@')[-1]})")
    import os

    os.environ["CALLSCORE_SERVE_DB"] = db
    os.environ["CALLSCORE_SERVE_SECURE"] = "1" if secure_cookies else ""
    uvicorn.run(
        "callscore.serve.asgi:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info" if debug else "warning",
    )


@users_app.command("add")
def users_add_cmd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOpt,
    role: Annotated[str, typer.Option(help="admin, qa or agent.")],
    agent_id: Annotated[
        str | None, typer.Option(help="For agents: the agent value their calls carry in the store.")
    ] = None,
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Create an account (password hashed with Argon2id)."""
    from ..serve.auth import add_user
    from .common import handle_errors

    with handle_errors(debug):
        u = add_user(_db(db), username=name, role=role, password=_password(password_stdin), agent_id=agent_id)
    console.print(f"added {u.username} ({u.role}{', agent ' + u.agent_id if u.agent_id else ''})")


@users_app.command("list")
def users_list_cmd(db: DbOpt, debug: DebugOpt = False) -> None:
    """List the accounts."""
    from ..serve.auth import list_users
    from .common import handle_errors

    with handle_errors(debug):
        users = list_users(_db(db))
    for u in users:
        state = "disabled" if u.disabled else "active"
        console.print(f"{u.username:<24} {u.role:<6} {u.agent_id or '-':<16} {state}", markup=False)


@users_app.command("disable")
def users_disable_cmd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOpt,
    enable: Annotated[bool, typer.Option("--enable", help="Enable the account again instead.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Disable an account (its sessions end at once), or enable it again with --enable."""
    from ..serve.auth import set_disabled
    from .common import handle_errors

    with handle_errors(debug):
        set_disabled(_db(db), username=name, disabled=not enable)
    console.print(f"{'enabled' if enable else 'disabled'} {name}")


@users_app.command("reset")
def users_reset_cmd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOpt,
    password_stdin: Annotated[bool, typer.Option(help="Read the new password from standard input.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Set a new password (the user's sessions end)."""
    from ..serve.auth import reset_password
    from .common import handle_errors

    with handle_errors(debug):
        reset_password(_db(db), username=name, password=_password(password_stdin))
    console.print(f"reset the password of {name}")


def export_reviews_cmd(
    db: DbOpt,
    out: Annotated[Path, typer.Option(help="Label file to write (TSV).")],
    split: Annotated[str, typer.Option(help="Split name written on every row (e.g. dev).")] = "",
    base_dir: Annotated[
        Path, typer.Option(help="Folder relative call sources are taken from (where the batch ran).")
    ] = Path("."),
    debug: DebugOpt = False,
) -> None:
    """Write the reviewed verdicts as labels that 'callscore eval rubric --labels' scores."""
    from ..files import write_text_atomic
    from ..serve import queries as q
    from ..serve.export import label_rows, labels_tsv
    from .common import handle_errors

    with handle_errors(debug):
        d = _db(db)
        reviews = q.all_reviews(d)
        sources = {str(r[0]): str(r[1]) for r in d.query("SELECT call_key, source FROM calls")}
        rows = label_rows(sources=sources, reviews=reviews, split=split, base_dir=base_dir)
        calls = len({r.call_key for r in rows})
        text = labels_tsv(
            rows=rows, comment=f"callscore export-reviews: {len(rows)} labels from {calls} calls"
        )
        write_text_atomic(out, text)
    console.print(f"wrote {len(rows)} labels from {calls} reviewed calls to {out}")

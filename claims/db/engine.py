"""Opening a claims database by path or URL: SQLite (WAL, busy timeout, immediate write
transactions) or PostgreSQL. A file that is not SQLite, or a SQLite file of another application,
is refused with a one-line error before anything is written; no message ever carries a password."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

DEFAULT_DB = "claims.db"
BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_OPTION = "claims_write"
OUR_TABLES = frozenset({"documents", "runs", "claims", "events", "_claims_migrations"})


class DatabaseError(Exception):
    """A database that cannot be used; the message is one line, names the database and the fix,
    and never holds a password."""


def resolve_target(target: str | None) -> str:
    """Flag, then CLAIMS_DB, then `claims.db` in the current folder."""
    return target or os.environ.get("CLAIMS_DB") or DEFAULT_DB


def is_server_url(target: str) -> bool:
    return bool(re.match(r"^postgres(ql)?(\+\w+)?://", target))


def redact(target: str) -> str:
    """The database as it may be shown: a URL's password replaced by ***."""
    if not is_server_url(target):
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", target)


def scrub(message: str, target: str) -> str:
    """Remove a URL's password (and PGPASSWORD's) from a message, whatever put it there."""
    secrets: list[str] = []
    if is_server_url(target):
        try:
            password = make_url(target).password
        except ArgumentError:
            password = None
        if password:
            secrets.append(str(password))
    if os.environ.get("PGPASSWORD"):
        secrets.append(os.environ["PGPASSWORD"])
    message = message.replace(target, redact(target))
    for secret in secrets:
        message = message.replace(secret, "***")
    return " ".join(message.split())


def _sqlite_engine(path: Path) -> Engine:
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path}: is a folder; give --db a file name such as claims.db")
        with path.open("rb") as stream:
            header = stream.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise DatabaseError(
                f"{path}: not a SQLite database (nothing was changed); give --db a claims database "
                "or a new file name"
            )
        if header:
            _check_sqlite_tables(path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock from the start: two writers queue on the busy timeout
        # instead of one failing when it upgrades a read transaction (SQLITE_BUSY is not retried
        # then). Readers begin deferred and never block anyone (WAL).
        writing = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def _switch_to_wal(cursor: Any) -> None:
    """Put the file in WAL mode, waiting up to the busy timeout for other writers.

    The switch reads the header, then upgrades to a write lock; when another connection already
    holds a write lock on a database not yet in WAL mode (two processes creating one database),
    SQLite answers "database is locked" at once instead of calling the busy handler, to avoid a
    deadlock; the WAL guide names two more such moments (the last connection cleaning up, a
    recovery). So the check and the switch are retried, with a short growing pause, until the
    same deadline."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            locked = "locked" in str(error) or "busy" in str(error)
            if not locked or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _check_sqlite_tables(path: Path) -> None:
    """Read the file's tables without changing it (read-only): corrupt or foreign files are refused
    before our engine switches the journal to WAL."""
    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "_claims_migrations" in tables:
                connection.execute("SELECT count(*) FROM _claims_migrations").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseError(
            f"{path}: not a usable SQLite database ({error}); nothing was changed; "
            "give --db a claims database or a new file name"
        ) from None
    _refuse_foreign(str(path), tables, server=False)


def _refuse_foreign(target: str, tables: set[str], server: bool) -> None:
    foreign = tables and "_claims_migrations" not in tables
    if foreign and (not server or tables & OUR_TABLES):
        shown = ", ".join(sorted(tables)[:5])
        raise DatabaseError(
            f"{redact(target)}: a database of another application (tables {shown}); nothing was changed; "
            "give --db a claims database or a new file name"
        )


def _server_engine(target: str) -> Engine:
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", target)
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError:
        raise DatabaseError(
            f"{redact(target)}: the PostgreSQL driver is not installed; pip install 'claims[postgres]'"
        ) from None
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, SQLAlchemyError) as error:
        raise DatabaseError(scrub(f"{redact(target)}: {error}", target)) from None


def open_engine(target: str) -> Engine:
    """An engine for a path or a postgresql:// URL, checked to be a claims database or empty."""
    engine = _server_engine(target) if is_server_url(target) else _sqlite_engine(Path(target))
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
    except SQLAlchemyError as error:
        engine.dispose()
        detail = getattr(error, "orig", None) or error
        raise DatabaseError(
            scrub(f"{redact(target)}: cannot open the database ({type(detail).__name__}: {detail})", target)
            + "; check the path or URL"
        ) from None
    try:
        _refuse_foreign(target, tables, server=is_server_url(target))
    except DatabaseError:
        engine.dispose()
        raise
    return engine

"""Numbered schema migrations, each applied once in its own transaction and recorded by name in
`_claims_migrations` (the pattern of simonw/llm's migrations.py). A database that records a
migration this version does not know was made by a newer claims and is refused, never changed.

A migration is frozen once released: when a later one changes a table, freeze that table's
earlier definition here instead of reading it from schema.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Column, Connection, MetaData, String, Table, Text, inspect, text

from claims.db import schema

MIGRATIONS_TABLE = "_claims_migrations"
_migrations_metadata = MetaData()
migrations_table = Table(
    MIGRATIONS_TABLE,
    _migrations_metadata,
    Column("name", String, primary_key=True),
    Column("applied_at", String, nullable=False),
)


class NewerDatabase(Exception):
    """The database was made by a newer version of claims."""


def m001_initial(connection: Connection) -> None:
    """Documents, runs, claims with their blocking keys, rejected claims, errors, events."""
    documents_v1 = Table(
        "documents",
        MetaData(),
        Column("doc_id", String, primary_key=True),
        Column("text", Text, nullable=False),
        Column("published", String),
        Column("language", String),
        Column("source", Text),
        Column("content_hash", String, nullable=False),
        Column("added_at", String, nullable=False),
    )
    documents_v1.create(connection)
    for table in schema.metadata.sorted_tables:
        if table.name != "documents":
            table.create(connection)


def m002_search_and_site(connection: Connection) -> None:
    """Full-text search over quotes (trigrams: German compounds match inside words) and the
    publisher's site of each document."""
    connection.execute(text("ALTER TABLE documents ADD COLUMN site VARCHAR"))
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(
                "CREATE VIRTUAL TABLE claims_fts USING fts5(quote, content='claims', content_rowid='id', "
                "tokenize='trigram')"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
                "INSERT INTO claims_fts(rowid, quote) VALUES (new.id, new.quote); END"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
                "INSERT INTO claims_fts(claims_fts, rowid, quote) VALUES ('delete', old.id, old.quote); END"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER claims_fts_update AFTER UPDATE OF quote ON claims BEGIN "
                "INSERT INTO claims_fts(claims_fts, rowid, quote) VALUES ('delete', old.id, old.quote); "
                "INSERT INTO claims_fts(rowid, quote) VALUES (new.id, new.quote); END"
            )
        )
        connection.execute(text("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')"))
    elif connection.dialect.name == "postgresql":
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        connection.execute(text("CREATE INDEX ix_claims_quote_trgm ON claims USING gin (quote gin_trgm_ops)"))


MIGRATIONS: list[Callable[[Connection], None]] = [m001_initial, m002_search_and_site]


def applied(connection: Connection) -> list[str]:
    if not inspect(connection).has_table(MIGRATIONS_TABLE):
        return []
    return [row[0] for row in connection.execute(migrations_table.select().order_by(migrations_table.c.name))]


def check_version(connection: Connection) -> None:
    """Refuse a database that records migrations unknown here."""
    known = {migration.__name__ for migration in MIGRATIONS}
    unknown = [name for name in applied(connection) if name not in known]
    if unknown:
        raise NewerDatabase(
            f"made by a newer version of claims (schema migration {unknown[-1]} is unknown here); "
            "upgrade claims to open it (pip install -U claims)"
        )


def lock(connection: Connection) -> None:
    """Serialise writers on a server database for this transaction (SQLite: BEGIN IMMEDIATE does)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(727361)"))


def migrate(connection: Connection, upto: int | None = None) -> list[str]:
    """Apply the missing migrations (the first `upto` only, for tests); return their names.

    Runs inside the caller's transaction, which holds the write lock: two processes opening a
    new database at once apply each migration once.
    """
    lock(connection)
    _migrations_metadata.create_all(connection, checkfirst=True)
    check_version(connection)
    done = set(applied(connection))
    names: list[str] = []
    for migration in MIGRATIONS[:upto]:
        if migration.__name__ in done:
            continue
        migration(connection)
        connection.execute(
            migrations_table.insert().values(
                name=migration.__name__, applied_at=datetime.now(UTC).isoformat(timespec="seconds")
            )
        )
        names.append(migration.__name__)
    return names

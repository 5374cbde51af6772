"""Numbered schema migrations, each applied once in its own transaction and recorded by name in
`_claims_migrations` (the pattern of simonw/llm's migrations.py). A database that records a
migration this version does not know was made by a newer claims and is refused, never changed.

A migration is frozen once released: when a later one changes a table, freeze that table's
earlier definition here instead of reading it from schema.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    inspect,
    text,
)

from claims.db import schema
from claims.db.linking import EventSummary, block_keys, record_key
from claims.schema import VERIFIED_CLAIM_ADAPTER, VerifiedClaim

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
    events_v1 = Table(
        "events",
        MetaData(),
        Column("event_id", String, primary_key=True),
        Column("type", String, nullable=False),
        Column("date", String),
        Column("location", String),
        Column("statuses", String, nullable=False),
        Column("documents", Integer, nullable=False),
        Column("sources", Integer, nullable=False),
        Column("claims", Integer, nullable=False),
        Column("first_reported", String),
        Column("last_reported", String),
        Column("summary", Text, nullable=False),
        Index("ix_events_type_date", "type", "date"),
    )
    frozen = {
        "documents": documents_v1,
        "claims": _claims_table(MetaData(), "claims", record_keys=False),
        "events": events_v1,
    }
    for table in schema.metadata.sorted_tables:  # referenced tables first (PostgreSQL checks)
        frozen.get(table.name, table).create(connection)


def _claims_table(metadata: MetaData, name: str, record_keys: bool) -> Table:
    """The claims table of m001 (unique per run and claim_id) or of m003 (per run and record key)."""
    Table("runs", metadata, Column("run_id", String, primary_key=True), extend_existing=True)
    Table("documents", metadata, Column("doc_id", String, primary_key=True), extend_existing=True)
    key = (
        [
            Column("record_key", String, nullable=False),
            UniqueConstraint("run_id", "record_key", name="uq_claims_run_record"),
        ]
        if record_keys
        else [UniqueConstraint("run_id", "claim_id", name="uq_claims_run_claim")]
    )
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("run_id", String, ForeignKey("runs.run_id"), nullable=False),
        Column("claim_id", String, nullable=False),
        Column("doc_id", String, ForeignKey("documents.doc_id"), nullable=False),
        Column("type", String, nullable=False),
        Column("status", String, nullable=False),
        Column("date", String),
        Column("location", String),
        Column("quote", Text, nullable=False),
        Column("span_start", Integer, nullable=False),
        Column("span_end", Integer, nullable=False),
        Column("event_id", String),
        Column("record", Text, nullable=False),
        *key,
        Index("ix_claims_doc", "doc_id"),
        Index("ix_claims_event", "event_id"),
    )


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
        _fts_triggers(connection)
    elif connection.dialect.name == "postgresql":
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        connection.execute(text("CREATE INDEX ix_claims_quote_trgm ON claims USING gin (quote gin_trgm_ops)"))


def _fts_triggers(connection: Connection) -> None:
    """SQLite: keep the quote index in step with the claims table, and fill it."""
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


ORIGIN_COLUMNS = ("title", "url", "path", "encoding", "extractor")
COPY_BATCH = 5_000


def m003_record_keys_and_origin(connection: Connection) -> None:
    """Claims unique per run and record key, not claim_id: claim_id leaves out the date, an
    arms delivery's direction and a signing's agreement, so a sentence stating two meetings of
    the same people kept only one. Block keys are recomputed (dated ones now carry months).
    Documents keep their origin (title, canonical URL, path, encoding, extractor) beside `site`.
    run_documents gets an index by document: writing a document looked its earlier tries up by a
    scan of the whole table (ingest slowed down as the database grew)."""
    connection.execute(text("CREATE INDEX IF NOT EXISTS ix_run_documents_doc ON run_documents (doc_id)"))
    for column in ORIGIN_COLUMNS:
        connection.execute(text(f"ALTER TABLE documents ADD COLUMN {column} TEXT"))
    connection.execute(text("DELETE FROM claim_blocks"))
    if connection.dialect.name == "sqlite":
        _rebuild_sqlite_claims(connection)
    else:
        connection.execute(text("ALTER TABLE claims ADD COLUMN record_key VARCHAR"))
        for rows in _claim_records(connection):
            connection.execute(
                text("UPDATE claims SET record_key = :key WHERE id = :id"),
                [{"key": record_key(claim), "id": row} for row, claim, _ in rows],
            )
        connection.execute(text("ALTER TABLE claims ALTER COLUMN record_key SET NOT NULL"))
        connection.execute(text("ALTER TABLE claims DROP CONSTRAINT uq_claims_run_claim"))
        connection.execute(
            text("ALTER TABLE claims ADD CONSTRAINT uq_claims_run_record UNIQUE (run_id, record_key)")
        )
    for rows in _claim_records(connection):
        blocks = [{"block": key, "claim_row": row} for row, claim, _ in rows for key in block_keys(claim)]
        if blocks:
            connection.execute(insert(schema.claim_blocks), blocks)


def _claim_records(connection: Connection) -> Iterator[list[tuple[int, VerifiedClaim, dict[str, Any]]]]:
    """Every claim row (id, parsed record, the row), in batches by id."""
    last = -1
    while True:
        rows = (
            connection.execute(
                text("SELECT * FROM claims WHERE id > :last ORDER BY id LIMIT :n"),
                {"last": last, "n": COPY_BATCH},
            )
            .mappings()
            .all()
        )
        if not rows:
            return
        last = rows[-1]["id"]
        yield [(row["id"], VERIFIED_CLAIM_ADAPTER.validate_json(row["record"]), dict(row)) for row in rows]


def _rebuild_sqlite_claims(connection: Connection) -> None:
    """SQLite cannot drop a constraint: copy the claims into a table of the new shape (ids kept,
    so the quote index and the events stay valid), then put it in the old one's place."""
    for trigger in ("claims_fts_insert", "claims_fts_delete", "claims_fts_update"):
        connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    connection.execute(text("DROP INDEX IF EXISTS ix_claims_doc"))
    connection.execute(text("DROP INDEX IF EXISTS ix_claims_event"))
    new = _claims_table(MetaData(), "claims_new", record_keys=True)
    new.create(connection)
    for rows in _claim_records(connection):
        connection.execute(
            insert(new), [{**values, "record_key": record_key(claim)} for _, claim, values in rows]
        )
    connection.execute(text("DROP TABLE claims"))
    connection.execute(text("ALTER TABLE claims_new RENAME TO claims"))
    if inspect(connection).has_table("claims_fts"):
        _fts_triggers(connection)


def m004_event_headlines(connection: Connection) -> None:
    """Each event's headline (its summary without the claims, and their count) beside the summary:
    listing events read it, so an event reported by thousands of articles no longer makes every
    `claims db events` parse all its quotes (100,000 claims: the IRN listing took 261 ms)."""
    connection.execute(text("ALTER TABLE events ADD COLUMN headline TEXT"))
    last = ""
    while True:
        rows = connection.execute(
            text("SELECT event_id, summary FROM events WHERE event_id > :last ORDER BY event_id LIMIT :n"),
            {"last": last, "n": COPY_BATCH},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        connection.execute(
            text("UPDATE events SET headline = :headline WHERE event_id = :id"),
            [
                {
                    "id": event_id,
                    "headline": EventSummary.model_validate_json(summary).headline().model_dump_json(),
                }
                for event_id, summary in rows
            ],
        )


def _headline_of(summary: str) -> str:
    return EventSummary.model_validate_json(summary).headline().model_dump_json()


MIGRATIONS: list[Callable[[Connection], None]] = [
    m001_initial,
    m002_search_and_site,
    m003_record_keys_and_origin,
    m004_event_headlines,
]


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

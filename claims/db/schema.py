"""The tables of the claims database as it is after the last migration (SQLAlchemy Core).

Documents hold the text every span indexes; a run is one extraction (backend, model, prompt) or
one imported set of files; every claim keeps its run. Events are derived: claims linked across
documents by claims.events, kept up to date as claims arrive (`event_id` null = not yet grouped).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("doc_id", String, primary_key=True),
    Column("text", Text, nullable=False),
    Column("published", String),
    Column("language", String),
    Column("source", Text, doc="source path (and line) or URL"),
    Column("content_hash", String, nullable=False),
    Column("added_at", String, nullable=False),
    Column("site", String),  # migration 2
    # migration 3: the rest of the document's origin (claims.inputs.origin.Origin)
    Column("title", Text),
    Column("url", Text, doc="the canonical (or fetched) http(s) URL"),
    Column("path", Text, doc="the local file the text was read from"),
    Column("encoding", Text),
    Column("extractor", Text, doc="what turned the file into text, and its version"),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", String, primary_key=True),
    Column("backend", String),
    Column("model", String),
    Column("prompt_hash", String),
    Column("source", Text, doc="for an imported run: the claims file"),
    Column("series", String, nullable=False, doc="the first run of a chain of resumed runs"),
    Column("manifest", Text, doc="the run manifest, JSON"),
    Column("started_at", String, nullable=False),
    Column("finished_at", String),
)

run_documents = Table(
    "run_documents",
    metadata,
    Column("run_id", String, ForeignKey("runs.run_id"), primary_key=True),
    Column("doc_id", String, primary_key=True),
    Column("ok", Boolean, nullable=False, doc="false: failed or partial, to be redone"),
    Column("progress", Text, nullable=False, doc="the run's progress record of the document, JSON"),
    Column("written_at", String, nullable=False),
    Index("ix_run_documents_doc", "doc_id"),  # migration 3: a run's earlier tries of a document
)

claims = Table(
    "claims",
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
    Column("record", Text, nullable=False, doc="the verified claim, JSON"),
    Column(
        "record_key",
        String,
        nullable=False,
        doc="which claim the record is (claims.events.group.record_key): claim_id with the date, "
        "an arms delivery's direction and a signing's agreement (migration 3)",
    ),
    UniqueConstraint("run_id", "record_key", name="uq_claims_run_record"),
    Index("ix_claims_doc", "doc_id"),
    Index("ix_claims_event", "event_id"),
)

claim_blocks = Table(
    "claim_blocks",
    metadata,
    Column("block", String, primary_key=True),
    Column("claim_row", Integer, ForeignKey("claims.id"), primary_key=True),
)

rejected = Table(
    "rejected",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String, ForeignKey("runs.run_id"), nullable=False),
    Column("doc_id", String),
    Column("reason", String, nullable=False),
    Column("record", Text, nullable=False),
    Index("ix_rejected_run_doc", "run_id", "doc_id"),
)

errors = Table(
    "errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String, ForeignKey("runs.run_id"), nullable=False),
    Column("doc_id", String),
    Column("source", Text),
    Column("stage", String, nullable=False),
    Column("error", String, nullable=False),
    Column("message", Text, nullable=False),
    Column("chunk", Integer, doc="the failed chunk of a partial document"),
    Column("record", Text, nullable=False, doc="the error record, JSON"),
    Index("ix_errors_run_doc", "run_id", "doc_id"),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("type", String, nullable=False),
    Column("date", String),
    Column("location", String),
    Column("statuses", String, nullable=False, doc="space-separated, e.g. ' occurred planned '"),
    Column("documents", Integer, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("first_reported", String),
    Column("last_reported", String),
    Column("summary", Text, nullable=False, doc="the event summary, JSON"),
    Column("headline", Text, doc="the summary without its claims, JSON: what listings read"),  # m004
    Index("ix_events_type_date", "type", "date"),
)

event_countries = Table(
    "event_countries",
    metadata,
    Column("country", String, primary_key=True),
    Column("event_id", String, ForeignKey("events.event_id"), primary_key=True),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("name", String, primary_key=True, doc="lower case"),
    Column("event_id", String, ForeignKey("events.event_id"), primary_key=True),
)

Index("ix_event_countries_event", event_countries.c.event_id)
Index("ix_event_actors_event", event_actors.c.event_id)

"""Writing to and reading from a claims database.

Each finished document is written in one transaction: its text and metadata, the run it belongs
to, its verified and rejected claims and its error record, and the events its claims join. A
killed process leaves whole documents only; `--resume` reads which documents a run finished.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from claims.db import queries
from claims.db import schema as t
from claims.db.engine import WRITE_OPTION, DatabaseError, open_engine, redact, resolve_target, scrub
from claims.db.linking import EventSummary
from claims.db.maintain import blocks_of, delete_events, update_events
from claims.db.migrations import NewerDatabase, lock, migrate
from claims.inputs.documents import Document
from claims.run.document import DocumentResult
from claims.run.manifest import progress_record
from claims.schema import ErrorRecord, RejectedClaim, VerifiedClaim

IMPORT_BATCH = 20_000  # claims grouped per event-update transaction after an import


class DocumentConflict(DatabaseError):
    """A document id that the database already holds with another text."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_run_id() -> str:
    return uuid.uuid4().hex[:16]


class Database:
    """An open claims database (migrated to this version's schema)."""

    def __init__(self, target: str, engine: Engine) -> None:
        self.target = target
        self.engine = engine
        self.writer = engine.execution_options(**{WRITE_OPTION: True})
        """The engine for write transactions (SQLite: BEGIN IMMEDIATE)."""

    @property
    def name(self) -> str:
        """The database as it may be shown (a URL without its password)."""
        return redact(self.target)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _fail(self, error: SQLAlchemyError, doing: str) -> DatabaseError:
        detail = getattr(error, "orig", None) or error
        return DatabaseError(
            scrub(f"{self.name}: {doing} failed ({type(detail).__name__}: {detail})", self.target)
        )

    # --- runs -------------------------------------------------------------------------------

    def start_run(
        self,
        run_id: str,
        *,
        backend: str | None,
        model: str | None,
        prompt_hash: str | None,
        source: str | None = None,
        manifest: dict[str, Any] | None = None,
        series: str | None = None,
    ) -> bool:
        """Record a run unless it exists; True when it is new. `series`: the run this one resumes
        belongs to (its documents count as done for this one)."""
        with self.writer.begin() as connection:
            lock(connection)
            if connection.execute(select(t.runs.c.run_id).where(t.runs.c.run_id == run_id)).first():
                return False
            connection.execute(
                insert(t.runs).values(
                    run_id=run_id,
                    backend=backend,
                    model=model,
                    prompt_hash=prompt_hash,
                    source=source,
                    series=series or run_id,
                    manifest=json.dumps(manifest, ensure_ascii=False, default=str) if manifest else None,
                    started_at=now(),
                )
            )
        return True

    def finish_run(self, run_id: str, manifest: dict[str, Any]) -> None:
        text = scrub(json.dumps(manifest, ensure_ascii=False, default=str), self.target)
        with self.writer.begin() as connection:
            connection.execute(
                update(t.runs).where(t.runs.c.run_id == run_id).values(manifest=text, finished_at=now())
            )

    def latest_series(self, backend: str | None, model: str | None, prompt_hash: str | None) -> str | None:
        """The series of the newest run made with this backend, model and prompt (what `--resume`
        continues)."""
        query = (
            select(t.runs.c.series)
            .where(
                t.runs.c.backend.is_not_distinct_from(backend),
                t.runs.c.model.is_not_distinct_from(model),
                t.runs.c.prompt_hash.is_not_distinct_from(prompt_hash),
                t.runs.c.source.is_(None),
            )
            .order_by(t.runs.c.started_at.desc(), t.runs.c.run_id.desc())
        )
        with self.engine.connect() as connection:
            return connection.execute(query).scalar()

    def finished_documents(self, series: str) -> dict[str, dict[str, Any]]:
        """The progress records of the documents a series of runs finished (a resumed run skips them)."""
        query = (
            select(t.run_documents.c.doc_id, t.run_documents.c.progress)
            .join(t.runs, t.runs.c.run_id == t.run_documents.c.run_id)
            .where(t.runs.c.series == series, t.run_documents.c.ok.is_(True))
        )
        with self.engine.connect() as connection:
            return {doc_id: json.loads(progress) for doc_id, progress in connection.execute(query)}

    # --- writing ----------------------------------------------------------------------------

    def write_document(
        self, run_id: str, document: Document | None, result: DocumentResult, group: bool = True
    ) -> bool:
        """Write one finished document of a run, all or nothing; False when the run had it already.

        `group` updates the events in the same transaction (an import groups afterwards, in bulk).
        """
        try:
            with self.writer.begin() as connection:
                lock(connection)
                written = _write_document(connection, run_id, document, result)
                if written and group:
                    update_events(connection)
                return written
        except SQLAlchemyError as error:
            raise self._fail(error, f"writing document {result.doc_id!r}") from None

    def write_loose_rejected(self, run_id: str, rejected: list[RejectedClaim]) -> None:
        """Rejected claims that name no known document (reason unknown_document): kept with the run."""
        with self.writer.begin() as connection:
            insert_rejected(connection, run_id, rejected)

    def update_events(self, batch: int = IMPORT_BATCH) -> int:
        """Group every pending claim, `batch` claims per transaction; return events written."""
        total = 0
        while True:
            with self.writer.begin() as connection:
                lock(connection)
                written = update_events(connection, limit=batch)
                if not written:
                    return total
                total += written

    # --- reading ----------------------------------------------------------------------------

    def events(self, **filters: Any) -> list[EventSummary]:
        """Events matching `queries.EventFilter` fields (type, country, actor, since, until, status,
        min_sources, limit), ordered by date."""
        with self.engine.connect() as connection:
            return queries.find_events(connection, queries.EventFilter(**filters))

    def event(self, event_id: str) -> EventSummary | None:
        with self.engine.connect() as connection:
            return queries.get_event(connection, event_id)

    def search(self, text: str, limit: int = 50) -> list[queries.QuoteHit]:
        with self.engine.connect() as connection:
            return queries.search_quotes(connection, text, limit)

    def document(self, doc_id: str) -> queries.StoredDocument | None:
        with self.engine.connect() as connection:
            return queries.get_document(connection, doc_id)

    def explain(self, event_id: str) -> queries.Explanation | None:
        with self.engine.connect() as connection:
            return queries.explain_event(connection, event_id)

    def iter_events(self) -> Iterator[EventSummary]:
        with self.engine.connect() as connection:
            yield from queries.iter_all_events(connection)

    def iter_documents(self) -> Iterator[queries.StoredDocument]:
        """Every document with its stored text (what the spans of its claims index)."""
        with self.engine.connect() as connection:
            yield from queries.iter_documents(connection)

    def iter_claims(self) -> Iterator[VerifiedClaim]:
        """Every verified claim, once per document and claim id (whichever runs found it)."""
        with self.engine.connect() as connection:
            yield from queries.iter_verified(connection)

    def iter_rejected(self) -> Iterator[RejectedClaim]:
        with self.engine.connect() as connection:
            yield from queries.iter_rejected(connection)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return queries.counts(connection)


def _ensure_document(connection: Connection, document: Document) -> None:
    digest = content_hash(document.text)
    row = connection.execute(
        select(t.documents.c.content_hash, t.documents.c.source).where(t.documents.c.doc_id == document.id)
    ).first()
    if row is None:
        origin = getattr(document, "origin", None)
        connection.execute(
            insert(t.documents).values(
                doc_id=document.id,
                text=document.text,
                published=document.published,
                language=document.language,
                source=document.source or getattr(origin, "url", None),
                site=getattr(origin, "site", None),
                content_hash=digest,
                added_at=now(),
            )
        )
    elif row[0] != digest:
        raise DocumentConflict(
            f"document {document.id!r} ({document.source or 'new'}) is already in the database with another "
            f"text (from {row[1]}); give the new text another id"
        )


def _has_document(connection: Connection, doc_id: str) -> bool:
    return (
        connection.execute(select(t.documents.c.doc_id).where(t.documents.c.doc_id == doc_id)).first()
        is not None
    )


def _write_document(
    connection: Connection, run_id: str, document: Document | None, result: DocumentResult
) -> bool:
    doc_id = result.doc_id
    series = connection.execute(select(t.runs.c.series).where(t.runs.c.run_id == run_id)).scalar()
    if series is None:
        raise DatabaseError(f"run {run_id!r} is not in the database; start it first")
    rd, runs = t.run_documents, t.runs
    earlier = connection.execute(
        select(rd.c.run_id, rd.c.ok)
        .join(runs, runs.c.run_id == rd.c.run_id)
        .where(runs.c.series == series, rd.c.doc_id == doc_id)
    ).all()
    if any(ok for _, ok in earlier):
        return False
    if document is not None:
        _ensure_document(connection, document)
    elif (result.claims or result.rejected) and not _has_document(connection, doc_id):
        raise DatabaseError(f"document {doc_id!r} is not in the database; give its text (--source)")
    for earlier_run, _ in earlier:  # a failed or partial try of this series: replaced by this one
        _forget(connection, earlier_run, doc_id)
    insert_claims(connection, run_id, result.claims)
    insert_rejected(connection, run_id, result.rejected)
    insert_errors(connection, run_id, result.errors)
    connection.execute(
        insert(rd).values(
            run_id=run_id,
            doc_id=doc_id,
            ok=result.ok,
            progress=json.dumps(progress_record(result), ensure_ascii=False),
            written_at=now(),
        )
    )
    return True


def _forget(connection: Connection, run_id: str, doc_id: str) -> None:
    """Remove a run's records of a document; the events its claims were in are regrouped."""
    c = t.claims
    rows = connection.execute(
        select(c.c.id, c.c.event_id).where(c.c.run_id == run_id, c.c.doc_id == doc_id)
    ).all()
    if rows:
        ids = [row for row, _ in rows]
        events = sorted({event for _, event in rows if event is not None})
        connection.execute(delete(t.claim_blocks).where(t.claim_blocks.c.claim_row.in_(ids)))
        connection.execute(delete(c).where(c.c.id.in_(ids)))
        if events:  # the rest of those events may fall apart: group their claims afresh
            connection.execute(update(c).where(c.c.event_id.in_(events)).values(event_id=None))
            delete_events(connection, events)
    connection.execute(delete(t.rejected).where(t.rejected.c.run_id == run_id, t.rejected.c.doc_id == doc_id))
    connection.execute(delete(t.errors).where(t.errors.c.run_id == run_id, t.errors.c.doc_id == doc_id))
    connection.execute(
        delete(t.run_documents).where(t.run_documents.c.run_id == run_id, t.run_documents.c.doc_id == doc_id)
    )


def insert_claims(connection: Connection, run_id: str, claims: Sequence[VerifiedClaim]) -> None:
    unique = list({claim.claim_id: claim for claim in claims}.values())
    if not unique:
        return
    rows = [
        {
            "run_id": run_id,
            "claim_id": claim.claim_id,
            "doc_id": claim.doc_id,
            "type": claim.type,
            "status": str(claim.status),
            "date": claim.date,
            "location": claim.location,
            "quote": claim.quote,
            "span_start": claim.span.start,
            "span_end": claim.span.end,
            "event_id": None,
            "record": claim.model_dump_json(),
        }
        for claim in unique
    ]
    ids = (
        connection.execute(insert(t.claims).returning(t.claims.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    blocks = [
        {"block": key, "claim_row": row}
        for row, claim in zip(ids, unique, strict=True)
        for key in blocks_of(claim)
    ]
    if blocks:
        connection.execute(insert(t.claim_blocks), blocks)


def insert_rejected(connection: Connection, run_id: str, rejected: Iterable[RejectedClaim]) -> None:
    rows = [
        {"run_id": run_id, "doc_id": item.doc_id, "reason": item.reason, "record": item.model_dump_json()}
        for item in rejected
    ]
    if rows:
        connection.execute(insert(t.rejected), rows)


def insert_errors(connection: Connection, run_id: str, errors: Iterable[ErrorRecord]) -> None:
    rows = [
        {
            "run_id": run_id,
            "doc_id": error.doc_id,
            "source": error.source,
            "stage": error.stage,
            "error": error.error,
            "message": error.message,
            "chunk": error.chunk,
            "record": error.model_dump_json(),
        }
        for error in errors
    ]
    if rows:
        connection.execute(insert(t.errors), rows)


def open(target: str | Path | None = None, *, upto: int | None = None) -> Database:
    """Open (creating or upgrading) a claims database: a path, a postgresql:// URL, or None for
    CLAIMS_DB / claims.db. Raises DatabaseError with a one-line message."""
    resolved = resolve_target(str(target) if target is not None else None)
    engine = open_engine(resolved)
    try:
        with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
            migrate(connection, upto=upto)
    except NewerDatabase as error:
        engine.dispose()
        raise DatabaseError(f"{redact(resolved)}: {error}") from None
    except SQLAlchemyError as error:
        engine.dispose()
        detail = getattr(error, "orig", None) or error
        raise DatabaseError(
            scrub(
                f"{redact(resolved)}: cannot set up the database ({type(detail).__name__}: {detail})",
                resolved,
            )
        ) from None
    return Database(resolved, engine)

"""Reading a claims database: events by filter, one event, quote search, explanations.

Filters run in SQL over indexed columns (type and date, a country table, an actor table); the
event itself is the stored summary JSON, parsed into a typed `EventSummary`; listings read its
headline instead (the summary without the claims), parsed into an `EventHeadline`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, Select, func, select, text

from claims.db import schema as t
from claims.db.linking import Decision, EventHeadline, EventSummary, record_key, same_event
from claims.db.maintain import ClaimRow, blocks_of, chunks, load_claims
from claims.schema import VERIFIED_CLAIM_ADAPTER, RejectedClaim, VerifiedClaim

EXPLAIN_PAIRS = 200  # most pairs an explanation lists per section


@dataclass(frozen=True)
class EventFilter:
    """What `claims db events` selects; every given filter must hold."""

    type: str | None = None
    country: tuple[str, ...] | list[str] = ()
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    status: str | None = None
    min_sources: int | None = None
    limit: int | None = None


@dataclass(frozen=True)
class QuoteHit:
    doc_id: str
    claim_id: str
    run_id: str
    type: str
    status: str
    quote: str
    event_id: str | None


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    text: str
    published: str | None
    language: str | None
    source: str | None
    site: str | None
    content_hash: str
    title: str | None = None
    url: str | None = None
    path: str | None = None
    encoding: str | None = None
    extractor: str | None = None


@dataclass(frozen=True)
class PairDecision:
    a: str
    b: str
    decision: Decision


@dataclass
class Explanation:
    """Why an event's claims are linked, and why its neighbours (claims sharing a blocking key)
    were kept apart."""

    event: EventSummary
    linked: list[PairDecision] = field(default_factory=list)
    apart_inside: list[PairDecision] = field(default_factory=list)
    kept_apart: list[PairDecision] = field(default_factory=list)


def _parse(summary: str) -> EventSummary:
    return EventSummary.model_validate_json(summary)


def find_events(connection: Connection, where: EventFilter) -> list[EventSummary]:
    """The events that match, each with every supporting claim."""
    return [_parse(row[0]) for row in connection.execute(_filtered(t.events.c.summary, where))]


def find_headlines(connection: Connection, where: EventFilter) -> list[EventHeadline]:
    """The events that match without their claims (a count instead): a listing of any size of
    event costs a small record per event."""
    column = func.coalesce(t.events.c.headline, t.events.c.summary)  # a row written before m004
    rows = connection.execute(_filtered(column, where))
    return [_headline(row[0]) for row in rows]


def _headline(stored: str) -> EventHeadline:
    data = json.loads(stored)
    if "claims" in data:
        return EventSummary.model_validate(data).headline()
    return EventHeadline.model_validate(data)


def _filtered(column: Any, where: EventFilter) -> Select[Any]:
    e = t.events
    query = select(column)
    if where.type:
        query = query.where(e.c.type == where.type)
    for country in dict.fromkeys(c.upper() for c in where.country):
        query = query.where(
            e.c.event_id.in_(
                select(t.event_countries.c.event_id).where(t.event_countries.c.country == country)
            )
        )
    if where.actor:
        pattern = f"%{where.actor.lower()}%"
        query = query.where(
            e.c.event_id.in_(select(t.event_actors.c.event_id).where(t.event_actors.c.name.like(pattern)))
        )
    if where.since:
        query = query.where(e.c.date >= where.since)
    if where.until:
        query = query.where(func.substr(e.c.date, 1, len(where.until)) <= where.until)
    if where.status:
        query = query.where(e.c.statuses.like(f"% {where.status} %"))
    if where.min_sources:
        query = query.where(e.c.sources >= where.min_sources)
    query = query.order_by(e.c.date.is_(None), e.c.date, e.c.type, e.c.event_id)
    if where.limit:
        query = query.limit(where.limit)
    return query


def iter_all_events(connection: Connection) -> Iterator[EventSummary]:
    query = select(t.events.c.summary).order_by(
        t.events.c.date.is_(None), t.events.c.date, t.events.c.event_id
    )
    for row in connection.execute(query):
        yield _parse(row[0])


def get_event(connection: Connection, event_id: str) -> EventSummary | None:
    value = connection.execute(select(t.events.c.summary).where(t.events.c.event_id == event_id)).scalar()
    return _parse(value) if value is not None else None


def _documents() -> Select[Any]:
    """The columns of a `StoredDocument`, in its order."""
    d = t.documents
    return select(
        d.c.doc_id,
        d.c.text,
        d.c.published,
        d.c.language,
        d.c.source,
        d.c.site,
        d.c.content_hash,
        d.c.title,
        d.c.url,
        d.c.path,
        d.c.encoding,
        d.c.extractor,
    )


def get_document(connection: Connection, doc_id: str) -> StoredDocument | None:
    row = connection.execute(_documents().where(t.documents.c.doc_id == doc_id)).first()
    return StoredDocument(*row) if row is not None else None


def iter_documents(connection: Connection) -> Iterator[StoredDocument]:
    """Every stored document, with its text and origin, by doc_id."""
    for row in connection.execute(_documents().order_by(t.documents.c.doc_id)):
        yield StoredDocument(*row)


def iter_verified(connection: Connection) -> Iterator[VerifiedClaim]:
    """Every verified claim, once per (doc_id, claim_id): a claim that several runs found is the
    same span of the same text, so the earliest stored record stands for all of them."""
    c = t.claims
    seen: set[tuple[str, str]] = set()
    for doc_id, claim_id, record in connection.execute(
        select(c.c.doc_id, c.c.claim_id, c.c.record).order_by(c.c.doc_id, c.c.id)
    ):
        if (doc_id, claim_id) not in seen:
            seen.add((doc_id, claim_id))
            yield VERIFIED_CLAIM_ADAPTER.validate_json(record)


_REJECTED_ADAPTER: TypeAdapter[RejectedClaim] = TypeAdapter(RejectedClaim)


def iter_rejected(connection: Connection) -> Iterator[RejectedClaim]:
    """Every rejected claim, identical records of several runs once."""
    r = t.rejected
    seen: set[str] = set()
    for (record,) in connection.execute(select(r.c.record).order_by(r.c.doc_id, r.c.id)):
        if record not in seen:
            seen.add(record)
            yield _REJECTED_ADAPTER.validate_json(record)


def search_quotes(connection: Connection, needle: str, limit: int = 50) -> list[QuoteHit]:
    """Claims whose quote contains `needle` (case-insensitive, also inside words: "lieferung"
    finds "Waffenlieferungen"). SQLite: the FTS5 trigram index; PostgreSQL: ILIKE over pg_trgm."""
    c = t.claims
    columns = (c.c.doc_id, c.c.claim_id, c.c.run_id, c.c.type, c.c.status, c.c.quote, c.c.event_id)
    needle = needle.strip()
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if connection.dialect.name == "sqlite" and len(needle) >= 3:
        phrase = '"' + needle.replace('"', '""') + '"'
        rows = select(text("rowid")).select_from(text("claims_fts")).where(text("claims_fts MATCH :phrase"))
        query = select(*columns).where(c.c.id.in_(rows)).params(phrase=phrase)
    elif connection.dialect.name == "postgresql":
        query = select(*columns).where(c.c.quote.ilike(f"%{escaped}%", escape="\\"))
    else:
        query = select(*columns).where(func.lower(c.c.quote).like(f"%{escaped.lower()}%", escape="\\"))
    query = query.order_by(c.c.doc_id, c.c.span_start, c.c.run_id).limit(limit)
    return [QuoteHit(*row) for row in connection.execute(query)]


def explain_event(connection: Connection, event_id: str) -> Explanation | None:
    """Replay the rules over the event's claims and over the claims that share a blocking key with
    them but ended in other events."""
    event = get_event(connection, event_id)
    if event is None:
        return None
    members = load_claims(connection, t.claims.c.event_id == event_id)
    explanation = Explanation(event)
    for a, b in combinations(_distinct(members), 2):
        decision = same_event(a.claim, b.claim)
        target = explanation.linked if decision.linked else explanation.apart_inside
        if len(target) < EXPLAIN_PAIRS:
            target.append(PairDecision(_label(a), _label(b), decision))
    keys = sorted({key for item in members for key in blocks_of(item.claim)})
    neighbour_rows: set[int] = set()
    for part in chunks(keys):
        query = (
            select(t.claims.c.id)
            .join(t.claim_blocks, t.claim_blocks.c.claim_row == t.claims.c.id)
            .where(t.claim_blocks.c.block.in_(part), t.claims.c.event_id != event_id)
            .limit(EXPLAIN_PAIRS)
        )
        neighbour_rows.update(row[0] for row in connection.execute(query))
    neighbours = load_claims(connection, t.claims.c.id.in_(sorted(neighbour_rows))) if neighbour_rows else []
    for other in _distinct(neighbours):
        for member in _distinct(members):
            if len(explanation.kept_apart) >= EXPLAIN_PAIRS:
                return explanation
            explanation.kept_apart.append(
                PairDecision(_label(member), _label(other), same_event(member.claim, other.claim))
            )
    return explanation


def _distinct(rows: list[ClaimRow]) -> list[ClaimRow]:
    seen: dict[str, ClaimRow] = {}  # one row per record key (the claim, whichever runs found it)
    for row in sorted(rows, key=lambda item: (record_key(item.claim), item.run_id)):
        seen.setdefault(record_key(row.claim), row)
    return list(seen.values())


def _label(row: ClaimRow) -> str:
    return f"{row.claim.doc_id}/{row.claim.claim_id}"


def counts(connection: Connection) -> dict[str, int]:
    result: dict[str, int] = {}
    for name in ("documents", "runs", "claims", "rejected", "errors", "events"):
        table = t.metadata.tables[name]
        result[name] = int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)
    return result


def claim_count(event: EventSummary | EventHeadline) -> int:
    return event.claim_count if isinstance(event, EventHeadline) else len(event.claims)


def event_rows(event: EventSummary | EventHeadline) -> dict[str, object]:
    """One event as a flat row (CSV, the table view)."""
    return {
        "event_id": event.event_id,
        "type": event.type,
        "date": event.date,
        "location": event.location,
        "actors": "; ".join(a.name + (f" ({a.country})" if a.country else "") for a in event.actors),
        "status_counts": json.dumps(event.status_counts, sort_keys=True),
        "documents": event.documents,
        "sources": event.sources,
        "claims": claim_count(event),
        "date_conflicts": "; ".join(event.date_conflicts),
    }

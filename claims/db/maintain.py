"""Keeping events up to date as claims arrive, touching only the events new claims can affect.

New claims are written with `event_id` null. `update_events` takes them, finds the grouped claims
that share a blocking key with them (claims.events: only those can be the same event), and the
events those belong to; it regroups just that set and replaces just those events. Adding claims
only ever merges events, so components outside the set stay as they were. Because pending claims
are marked in the table itself, an interrupted update is finished by the next one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from claims.db import schema as t
from claims.db.linking import DocumentInfo, EventSummary, block_keys, event_id, group_claims, summarize
from claims.schema import VERIFIED_CLAIM_ADAPTER, VerifiedClaim, actors_of

CHUNK = 500  # bound on parameters per IN (...) list


@dataclass
class ClaimRow:
    row: int
    run_id: str
    claim: VerifiedClaim


def chunks(values: Sequence[object], size: int = CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def load_claims(connection: Connection, where: object) -> list[ClaimRow]:
    query = select(t.claims.c.id, t.claims.c.run_id, t.claims.c.record).where(where)  # type: ignore[arg-type]
    return [
        ClaimRow(row, run_id, VERIFIED_CLAIM_ADAPTER.validate_python(json.loads(record)))
        for row, run_id, record in connection.execute(query)
    ]


def document_infos(connection: Connection, doc_ids: Iterable[str]) -> dict[str, DocumentInfo]:
    infos: dict[str, DocumentInfo] = {}
    ids = sorted(set(doc_ids))
    for part in chunks(ids):
        query = select(t.documents.c.doc_id, t.documents.c.published, t.documents.c.site).where(
            t.documents.c.doc_id.in_(part)
        )
        for doc_id, published, site in connection.execute(query):
            infos[doc_id] = DocumentInfo(published=published, publisher=site)
    return infos


def blocks_of(claim: VerifiedClaim) -> frozenset[str]:
    return block_keys(claim)


def update_events(connection: Connection, limit: int | None = None) -> int:
    """Group pending claims (the first `limit` of them) into events; return how many events were
    written. Pending claims left out link to these when their turn comes."""
    query = select(t.claims.c.id).where(t.claims.c.event_id.is_(None)).order_by(t.claims.c.id)
    if limit is not None:
        query = query.limit(limit)
    batch = [row[0] for row in connection.execute(query)]
    if not batch:
        return 0
    pending = load_claims(
        connection, t.claims.c.id.between(batch[0], batch[-1]) & t.claims.c.event_id.is_(None)
    )
    pending_rows = {item.row for item in pending}
    keys = sorted({key for item in pending for key in blocks_of(item.claim)})
    touched: set[str] = set()
    for part in chunks(keys):
        query = (
            select(t.claims.c.event_id)
            .join(t.claim_blocks, t.claim_blocks.c.claim_row == t.claims.c.id)
            .where(t.claim_blocks.c.block.in_(part), t.claims.c.event_id.is_not(None))
            .distinct()
        )
        touched.update(row[0] for row in connection.execute(query))
    members: list[ClaimRow] = []
    ordered = sorted(touched)
    for part in chunks(ordered):
        members.extend(load_claims(connection, t.claims.c.event_id.in_(part)))
    everything = pending + [item for item in members if item.row not in pending_rows]
    by_object = {id(item.claim): item for item in everything}
    by_claim_id: dict[str, list[ClaimRow]] = {}
    for item in everything:
        by_claim_id.setdefault(item.claim.claim_id, []).append(item)
    for part in chunks(ordered):
        delete_events(connection, [str(value) for value in part])
    infos = document_infos(connection, (item.claim.doc_id for item in everything))
    placed: dict[int, str] = {}
    written = 0
    for group in group_claims([item.claim for item in everything]):
        rows = [by_object[id(claim)] for claim in group if id(claim) in by_object]
        for claim in group:  # a grouping that returned copies of the claims it was given
            if id(claim) not in by_object:
                rows.extend(by_claim_id.get(claim.claim_id, []))
        rows = [item for item in rows if item.row not in placed]
        if rows:
            written_id = _write_event(connection, group, rows, infos)
            placed.update((item.row, written_id) for item in rows)
            written += 1
    for item in everything:  # one claim given twice (another run, same claim_id) and returned once
        if item.row not in placed:
            twin = next(other for other in by_claim_id[item.claim.claim_id] if other.row in placed)
            connection.execute(
                update(t.claims).where(t.claims.c.id == item.row).values(event_id=placed[twin.row])
            )
    return written


def delete_events(connection: Connection, event_ids: list[str]) -> None:
    connection.execute(delete(t.event_countries).where(t.event_countries.c.event_id.in_(event_ids)))
    connection.execute(delete(t.event_actors).where(t.event_actors.c.event_id.in_(event_ids)))
    connection.execute(delete(t.events).where(t.events.c.event_id.in_(event_ids)))


def _write_event(
    connection: Connection, group: list[VerifiedClaim], rows: list[ClaimRow], infos: dict[str, DocumentInfo]
) -> str:
    summary = summarize(
        group, {doc_id: infos[doc_id] for doc_id in {c.doc_id for c in group} if doc_id in infos}
    )
    runs: dict[tuple[str, str], list[str]] = {}
    for item in sorted(rows, key=lambda row: row.run_id, reverse=True):
        runs.setdefault((item.claim.doc_id, item.claim.claim_id), []).append(item.run_id)

    def run_of(doc_id: str, claim: str, given: str | None) -> str | None:
        # one claim_id can stand for a claim of several runs (the same span, another model)
        found = runs.get((doc_id, claim))
        return (found.pop() if len(found) > 1 else found[0]) if found else given

    summary = summary.model_copy(
        update={
            "event_id": event_id(group),
            "claims": [
                ref.model_copy(update={"run_id": run_of(ref.doc_id, ref.claim_id, ref.run_id)})
                for ref in summary.claims
            ],
        }
    )
    store_event(connection, summary, group)
    ids = [item.row for item in rows]
    for part in chunks(ids):
        connection.execute(update(t.claims).where(t.claims.c.id.in_(part)).values(event_id=summary.event_id))
    return summary.event_id


def store_event(connection: Connection, summary: EventSummary, group: Sequence[VerifiedClaim]) -> None:
    statuses = " " + " ".join(sorted(summary.status_counts)) + " "
    connection.execute(
        insert(t.events).values(
            event_id=summary.event_id,
            type=summary.type,
            date=summary.date,
            location=summary.location,
            statuses=statuses,
            documents=summary.documents,
            sources=summary.sources,
            claims=len(summary.claims),
            first_reported=summary.first_reported,
            last_reported=summary.last_reported,
            summary=summary.model_dump_json(),
        )
    )
    countries = sorted({a.country for claim in group for a in actors_of(claim) if a.country})
    names = sorted(
        {a.name.lower() for claim in group for a in actors_of(claim)}
        | {a.name.lower() for a in summary.actors}
    )
    if countries:
        connection.execute(
            insert(t.event_countries), [{"country": c, "event_id": summary.event_id} for c in countries]
        )
    if names:
        connection.execute(insert(t.event_actors), [{"name": n, "event_id": summary.event_id} for n in names])

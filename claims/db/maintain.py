"""Keeping events up to date as claims arrive, touching only the events new claims can affect.

New claims are written with `event_id` null. `update_events` takes them, compares each with the
grouped claims that share a blocking key with it (claims.events: only those can be the same
event) or are another record of it, and replaces just the events it links with: they and the
new claims that link them become one event. Adding claims only ever merges events (events are
the connected components of the same-event relation), so every other event stays as it was.
Because pending claims are marked in the table itself, an interrupted update is finished by the
next one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection, delete, insert, select, update

from claims.db import schema as t
from claims.db.linking import (
    DocumentInfo,
    EventSummary,
    block_keys,
    claim_key,
    event_id,
    record_key,
    same_event,
    summarize,
)
from claims.schema import VERIFIED_CLAIM_ADAPTER, VerifiedClaim, actors_of

CHUNK = 500  # bound on parameters per IN (...) list
PARSED = 16_384  # parsed claim records kept for reuse


@dataclass
class ClaimRow:
    row: int
    run_id: str
    claim: VerifiedClaim


def chunks(values: Sequence[object], size: int = CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@lru_cache(maxsize=PARSED)
def parse_claim(record: str) -> VerifiedClaim:
    """A stored claim record, parsed once per process while it stays in use (the claims of a
    popular event are read again whenever a document joins it)."""
    return VERIFIED_CLAIM_ADAPTER.validate_json(record)


def load_claims(connection: Connection, where: object) -> list[ClaimRow]:
    query = select(t.claims.c.id, t.claims.c.run_id, t.claims.c.record).where(where)  # type: ignore[arg-type]
    return [ClaimRow(row, run_id, parse_claim(record)) for row, run_id, record in connection.execute(query)]


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
    written. Pending claims left out link to these when their turn comes.

    Only the events a pending claim links with are replaced: they merge with it (and with each
    other through it) into one new event. Every other event, even in the same block, stays as
    it is, so the work per document does not grow with the database."""
    query = select(t.claims.c.id).where(t.claims.c.event_id.is_(None)).order_by(t.claims.c.id)
    if limit is not None:
        query = query.limit(limit)
    batch = [row[0] for row in connection.execute(query)]
    if not batch:
        return 0
    pending = load_claims(
        connection, t.claims.c.id.between(batch[0], batch[-1]) & t.claims.c.event_id.is_(None)
    )
    pending.sort(key=lambda item: (claim_key(item.claim), item.row))
    grouped = _Grouped(connection, pending)
    sets = _Sets()
    seen = _Seen()
    seen_records: dict[str, list[ClaimRow]] = {}

    def join(a: str, b: str) -> None:
        ra, rb = sets.find(a), sets.find(b)
        if ra != rb:
            sets.union(ra, rb)
            root = sets.find(ra)
            seen.merged(rb if root == ra else ra, root)

    for item in pending:
        node = f"p{item.row}"
        sets.add(node)
        key, blocks = record_key(item.claim), blocks_of(item.claim)
        for event in grouped.events_near(key, blocks):
            if sets.find(f"e{event}") != sets.find(node) and grouped.links(item.claim, key, blocks, event):
                join(node, f"e{event}")
        for other in seen_records.get(key, []):  # another record of the claim, in this batch
            join(node, f"p{other.row}")
        for block in sorted(blocks):  # each other component of the block once, until a member links
            for root, placed in seen.groups(block):
                if sets.find(root) != sets.find(node) and any(
                    _linked(item.claim, key, other.claim) for other in placed
                ):
                    join(node, root)
        seen_records.setdefault(key, []).append(item)
        seen.add(sets.find(node), item, blocks)
    components: dict[str, tuple[list[ClaimRow], set[str]]] = {}
    for item in pending:
        components.setdefault(sets.find(f"p{item.row}"), ([], set()))[0].append(item)
    for node in sets.nodes():
        if node.startswith("e") and sets.find(node) in components:
            components[sets.find(node)][1].add(node[1:])
    replaced = sorted(event for _, events in components.values() for event in events)
    members: dict[str, list[ClaimRow]] = {}
    for part in chunks(replaced):
        for event, item in load_events_claims(connection, [str(value) for value in part]):
            members.setdefault(event, []).append(item)
        delete_events(connection, [str(value) for value in part])
    groups = [
        new + [m for event in sorted(events) for m in members.get(event, [])]
        for new, events in components.values()
    ]
    infos = document_infos(connection, (item.claim.doc_id for rows in groups for item in rows))
    for (new, events), rows in zip(components.values(), groups, strict=True):
        distinct = {claim_key(item.claim): item.claim for item in rows}
        _write_event(
            connection, [distinct[key] for key in sorted(distinct)], rows, infos, new, sorted(events)
        )
    return len(groups)


def _linked(claim: VerifiedClaim, key: str, other: VerifiedClaim) -> bool:
    """Two records of one claim are one event; other claims by the rules of ANNOTATION.md."""
    return record_key(other) == key or same_event(claim, other).linked


class _Seen:
    """The pending claims already placed, per block and per component (keyed by its current root):
    a new claim is compared with each other component of its block once, member by member until
    one links, instead of with every claim (a popular event is one entry, not hundreds)."""

    def __init__(self) -> None:
        self.by_block: dict[str, dict[str, list[ClaimRow]]] = {}
        self.blocks_of: dict[str, set[str]] = {}

    def add(self, root: str, item: ClaimRow, blocks: Iterable[str]) -> None:
        for block in blocks:
            self.by_block.setdefault(block, {}).setdefault(root, []).append(item)
            self.blocks_of.setdefault(root, set()).add(block)

    def groups(self, block: str) -> list[tuple[str, list[ClaimRow]]]:
        return sorted(self.by_block.get(block, {}).items(), key=lambda group: group[0])

    def merged(self, old: str, new: str) -> None:
        """Component `old` became part of `new`: its members move (the smaller list into the larger)."""
        for block in sorted(self.blocks_of.pop(old, set())):
            groups = self.by_block[block]
            moving, staying = groups.pop(old), groups.get(new)
            if staying is None:
                groups[new] = moving
            elif len(staying) >= len(moving):
                staying.extend(moving)
            else:
                moving.extend(staying)
                groups[new] = moving
            self.blocks_of.setdefault(new, set()).add(block)


class _Sets:
    """Union-find over pending claims (`p<row>`) and the existing events (`e<event_id>`)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, node: str) -> None:
        self.parent.setdefault(node, node)

    def find(self, node: str) -> str:
        self.add(node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def nodes(self) -> list[str]:
        return sorted(self.parent)


class _Grouped:
    """The grouped claims a batch of pending claims can link with: those sharing a block key with
    one of them, or another record of one of them (same document and record key, any run).
    Block rows are listed up front (ids and events only); a claim's record is parsed when a
    pending claim is first compared with its event."""

    def __init__(self, connection: Connection, pending: Sequence[ClaimRow]) -> None:
        self.connection = connection
        self.event_of: dict[int, str] = {}
        self.by_block: dict[str, dict[str, list[int]]] = {}  # block -> event -> rows
        self.by_record: dict[str, dict[str, list[int]]] = {}  # record key -> event -> rows
        self.claims: dict[int, VerifiedClaim] = {}
        c, b = t.claims.c, t.claim_blocks.c
        keys = sorted({key for item in pending for key in blocks_of(item.claim)})
        for part in chunks(keys):
            query = (
                select(b.block, c.id, c.event_id)
                .join(t.claims, c.id == b.claim_row)
                .where(b.block.in_(part), c.event_id.is_not(None))
            )
            for block, row, event in connection.execute(query):
                self.event_of[row] = event
                self.by_block.setdefault(block, {}).setdefault(event, []).append(row)
        wanted = {record_key(item.claim) for item in pending}
        documents = sorted({item.claim.doc_id for item in pending})
        for part in chunks(documents):
            query = select(c.id, c.event_id, c.record_key, c.record).where(
                c.doc_id.in_(part), c.event_id.is_not(None)
            )
            for found in connection.execute(query):
                row, event, stored_key, record = int(found[0]), str(found[1]), str(found[2]), str(found[3])
                if stored_key in wanted:
                    self.event_of[row] = event
                    self.claims[row] = parse_claim(record)
                    self.by_record.setdefault(stored_key, {}).setdefault(event, []).append(row)

    def events_near(self, key: str, blocks: Iterable[str]) -> list[str]:
        """The events with a claim sharing a block (or the record) with a pending claim."""
        found = set(self.by_record.get(key, {}))
        for block in blocks:
            found.update(self.by_block.get(block, {}))
        return sorted(found)

    def links(self, claim: VerifiedClaim, key: str, blocks: Iterable[str], event: str) -> bool:
        """Whether the claim links with one of the event's claims that it was blocked with."""
        rows = set(self.by_record.get(key, {}).get(event, []))
        for block in blocks:
            rows.update(self.by_block.get(block, {}).get(event, []))
        if any(row not in self.claims for row in rows):  # read the event's claims by its index
            for item in load_claims(self.connection, t.claims.c.event_id == event):
                self.claims.setdefault(item.row, item.claim)
        return any(_linked(claim, key, self.claims[row]) for row in sorted(rows))


def load_events_claims(connection: Connection, event_ids: list[str]) -> list[tuple[str, ClaimRow]]:
    """Every claim of these events, with its event."""
    c = t.claims.c
    query = select(c.event_id, c.id, c.run_id, c.record).where(c.event_id.in_(event_ids))
    return [
        (event, ClaimRow(row, run_id, parse_claim(record)))
        for event, row, run_id, record in connection.execute(query)
    ]


def delete_events(connection: Connection, event_ids: list[str]) -> None:
    connection.execute(delete(t.event_countries).where(t.event_countries.c.event_id.in_(event_ids)))
    connection.execute(delete(t.event_actors).where(t.event_actors.c.event_id.in_(event_ids)))
    connection.execute(delete(t.events).where(t.events.c.event_id.in_(event_ids)))


def _write_event(
    connection: Connection,
    group: list[VerifiedClaim],
    rows: list[ClaimRow],
    infos: dict[str, DocumentInfo],
    new: Sequence[ClaimRow] | None = None,
    replaced: Sequence[str] = (),
) -> str:
    """Store the event of `group` (whose records are `rows`) and point its claims at it: the
    `new` rows by id, the claims of the `replaced` events by their old event id."""
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
    ids = [item.row for item in (rows if new is None else new)]
    if len(ids) <= CHUNK and len(replaced) <= CHUNK:  # one statement for the usual case
        claims = t.claims.c
        chosen = claims.id.in_(ids) | claims.event_id.in_(list(replaced)) if replaced else claims.id.in_(ids)
        connection.execute(update(t.claims).where(chosen).values(event_id=summary.event_id))
        return summary.event_id
    for part in chunks(ids):
        connection.execute(update(t.claims).where(t.claims.c.id.in_(part)).values(event_id=summary.event_id))
    for part in chunks(list(replaced)):
        connection.execute(
            update(t.claims).where(t.claims.c.event_id.in_(part)).values(event_id=summary.event_id)
        )
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
            headline=summary.headline().model_dump_json(),
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

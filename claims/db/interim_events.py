"""A stand-in for claims.events until it lands on main (same names, trivial rules): claims of one
type with the same set of countries and agreeing dates are one event. Replaced by claims.events."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from claims.schema import Actor, Span, VerifiedClaim, actor_key, actors_of


@dataclass(frozen=True)
class Decision:
    linked: bool
    rule: str
    detail: str


@dataclass(frozen=True)
class DocumentInfo:
    published: str | None = None
    site: str | None = None


class EventClaimRef(BaseModel):
    doc_id: str
    claim_id: str
    quote: str
    span: Span
    status: str
    run_id: str | None = None


class EventSummary(BaseModel):
    event_id: str
    type: str
    actors: list[Actor]
    date: str | None
    date_conflicts: list[str] = []
    location: str | None
    weapons: list[str] = []
    weapon_categories: list[str] = []
    status_counts: dict[str, int]
    documents: int
    sources: int
    first_reported: str | None
    last_reported: str | None
    claims: list[EventClaimRef]


def _countries(claim: VerifiedClaim) -> str:
    return ",".join(sorted({actor_key(a) for a in actors_of(claim)}))


def block_keys(claim: VerifiedClaim) -> frozenset[str]:
    return frozenset({f"{claim.type}:{_countries(claim)}"})


def _dates_agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.startswith(b) or b.startswith(a)


def same_event(a: VerifiedClaim, b: VerifiedClaim) -> Decision:
    if a.type != b.type:
        return Decision(False, "type", f"{a.type} vs {b.type}")
    if _countries(a) != _countries(b):
        return Decision(False, "actors", f"{_countries(a)} vs {_countries(b)}")
    if not _dates_agree(a.date, b.date):
        return Decision(False, "time", f"{a.date} vs {b.date}")
    return Decision(True, "same", "same type, actors and date")


def _key(claim: VerifiedClaim) -> tuple[str, str]:
    return (claim.doc_id, claim.claim_id)


def group_claims(claims: Sequence[VerifiedClaim]) -> list[list[VerifiedClaim]]:
    ordered = sorted(claims, key=_key)
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[str, list[int]] = {}
    for index, claim in enumerate(ordered):
        for key in block_keys(claim):
            blocks.setdefault(key, []).append(index)
    for members in blocks.values():
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if find(first) != find(second) and same_event(ordered[first], ordered[second]).linked:
                    parent[find(second)] = find(first)
    groups: dict[int, list[VerifiedClaim]] = {}
    for index, claim in enumerate(ordered):
        groups.setdefault(find(index), []).append(claim)
    return sorted(groups.values(), key=lambda group: _key(group[0]))


def event_id(members: Sequence[VerifiedClaim]) -> str:
    keys = sorted({f"{c.doc_id}/{c.claim_id}" for c in members})
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


def summarize(members: Sequence[VerifiedClaim], documents: Mapping[str, DocumentInfo]) -> EventSummary:
    first = members[0]
    actors: dict[str, Actor] = {}
    for claim in members:
        for actor in actors_of(claim):
            actors.setdefault(actor_key(actor), actor)
    dates = sorted({c.date for c in members if c.date})
    published = sorted(p for c in members if (p := documents.get(c.doc_id, DocumentInfo()).published))
    sites = {documents.get(c.doc_id, DocumentInfo()).site or c.doc_id for c in members}
    return EventSummary(
        event_id=event_id(members),
        type=first.type,
        actors=list(actors.values()),
        date=max(dates, key=len) if dates else None,
        date_conflicts=dates if len({d[:10] for d in dates if len(d) == 10}) > 1 else [],
        location=next((c.location for c in members if c.location), None),
        status_counts=dict(Counter(str(c.status) for c in members)),
        documents=len({c.doc_id for c in members}),
        sources=len(sites),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
        claims=[
            EventClaimRef(
                doc_id=c.doc_id, claim_id=c.claim_id, quote=c.quote, span=c.span, status=str(c.status)
            )
            for c in members
        ],
    )

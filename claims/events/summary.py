"""What an event says, drawn from its claims: type, actors, date, place, weapons, counts, evidence.

- **actors**: the union over the claims, one per state and person (a person's longest spelling;
  a bare state mention only where no person of that state is named), then bodies and groups.
- **date**: the most precise date that every dated claim agrees with at their common precision
  (`2024-06` and `2024-06-19` give `2024-06-19`); dates more precise than it, or disagreeing with
  it, are listed in `date_conflicts`. When not even the years agree, the most frequent date wins.
- **location**: the most specific place named (a city before a state), as written.
- **documents / sources**: distinct doc_ids, and distinct publishers (a document whose publisher
  is unknown counts as its own source); first and last report are the earliest and latest
  publication dates known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from claims.events.actors import identity, same_person
from claims.events.group import VerifiedClaim, claim_key, event_id
from claims.events.link import dates_agree
from claims.events.places import resolve_place
from claims.schema import Actor, Span, VerifiedArmsDelivery, actors_of


class DocumentInfo(BaseModel):
    """What is known of a document for an event: when it was published and by whom."""

    published: str | None = None
    publisher: str | None = None
    """The publisher or site (e.g. `tagesschau.de`), None when unknown."""


class EventClaimRef(BaseModel):
    """One supporting claim of an event: where it is and what it says."""

    doc_id: str
    claim_id: str
    quote: str
    span: Span
    status: str
    run_id: str | None = None


class EventFacts(BaseModel):
    """What an event is: type, actors, date, place, weapons, statuses, and who reported it."""

    event_id: str
    type: str
    actors: list[Actor]
    date: str | None
    date_conflicts: list[str]
    location: str | None
    weapons: list[str]
    weapon_categories: list[str]
    status_counts: dict[str, int]
    documents: int
    sources: int
    first_reported: str | None
    last_reported: str | None


class EventSummary(EventFacts):
    """One event as an analyst reads it, with every supporting claim."""

    claims: list[EventClaimRef]

    def headline(self) -> EventHeadline:
        """The event without its supporting claims (a count instead): what a listing shows."""
        return EventHeadline(**self.model_dump(exclude={"claims"}), claim_count=len(self.claims))


class EventHeadline(EventFacts):
    """An event as a listing shows it: its facts and the number of its claims (an event reported
    by thousands of articles stays a small record)."""

    claim_count: int


def _longest(names: Sequence[Actor]) -> Actor:
    return sorted(names, key=lambda a: (-len(a.name), a.name, a.role or ""))[0]


def event_actors(members: Sequence[VerifiedClaim]) -> list[Actor]:
    """The union of the members' actors, one per state and person (see the module docstring)."""
    people: dict[str, list[list[Actor]]] = {}  # state -> clusters of one person's mentions
    states: dict[str, list[Actor]] = {}
    groups: dict[str, list[Actor]] = {}
    for claim in members:
        for actor in actors_of(claim):
            ident = identity(actor)
            if ident.state is None:
                groups.setdefault(ident.group or actor.name, []).append(actor)
            elif ident.person is None:
                states.setdefault(ident.state, []).append(actor)
            else:
                clusters = people.setdefault(ident.state, [])
                for cluster in clusters:
                    if same_person(identity(cluster[0]), ident):
                        cluster.append(actor)
                        break
                else:
                    clusters.append([actor])
    out: list[Actor] = []
    for state in sorted(set(states) | set(people)):
        if state in people:
            chosen = [_longest(cluster) for cluster in people[state]]
            out += [a.model_copy(update={"country": state}) for a in chosen]
        else:
            out.append(_longest(states[state]).model_copy(update={"country": state}))
    out = sorted(out, key=lambda a: (a.country or "", a.name))
    out += [_longest(groups[key]) for key in sorted(groups)]
    return out


def event_date(dates: Sequence[str]) -> tuple[str | None, list[str]]:
    """The most precise date all dated claims agree with, and the dates in conflict with others."""
    if not dates:
        return None, []
    candidates = sorted({d[:n] for d in dates for n in (4, 7, 10) if len(d) >= n}, key=lambda d: (-len(d), d))
    for candidate in candidates:
        if all(d[: min(len(d), len(candidate))] == candidate[: min(len(d), len(candidate))] for d in dates):
            return candidate, sorted({d for d in dates if len(d) > len(candidate)})
    counts = Counter(dates)
    chosen = sorted(counts, key=lambda d: (-counts[d], -len(d), d))[0]
    return chosen, sorted({d for d in dates if d != chosen and not dates_agree(d, chosen)[0]} | {chosen})


def _location(members: Sequence[VerifiedClaim]) -> str | None:
    written = [c.location for c in members if c.location is not None]
    if not written:
        return None
    counts = Counter(written)

    def rank(text: str) -> tuple[int, int, str]:
        place = resolve_place(text)
        return (0 if place.city is not None else 1 if place.known else 2, -counts[text], text)

    return sorted(counts, key=rank)[0]


def summarize(
    members: Sequence[VerifiedClaim],
    documents: Mapping[str, DocumentInfo],
    run_ids: Mapping[str, str] | None = None,
) -> EventSummary:
    """Summarise one event (its members, as `group_claims` returns them).

    `documents` gives the publication date and publisher of each doc_id (a missing doc_id is
    unknown on both); `run_ids` optionally maps a claim_id to the run that produced it."""
    if not members:
        raise ValueError("an event has at least one claim")
    ordered = sorted(members, key=claim_key)
    weapons: set[str] = set()
    categories: set[str] = set()
    for claim in ordered:
        if isinstance(claim, VerifiedArmsDelivery):
            weapons.update(claim.weapons)
            categories.update(c.value for c in claim.weapon_categories)
    date, conflicts = event_date([c.date for c in ordered if c.date is not None])
    doc_ids = sorted({c.doc_id for c in ordered})
    infos = [documents.get(d, DocumentInfo()) for d in doc_ids]
    publishers = {info.publisher or f"document:{d}" for d, info in zip(doc_ids, infos, strict=True)}
    published = sorted(info.published for info in infos if info.published)
    runs = run_ids or {}
    return EventSummary(
        event_id=event_id(ordered),
        type=ordered[0].type,
        actors=event_actors(ordered),
        date=date,
        date_conflicts=conflicts,
        location=_location(ordered),
        weapons=sorted(weapons),
        weapon_categories=sorted(categories),
        status_counts=dict(sorted(Counter(c.status.value for c in ordered).items())),
        documents=len(doc_ids),
        sources=len(publishers),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
        claims=[
            EventClaimRef(
                doc_id=c.doc_id,
                claim_id=c.claim_id,
                quote=c.quote,
                span=c.span,
                status=c.status.value,
                run_id=runs.get(c.claim_id),
            )
            for c in ordered
        ],
    )

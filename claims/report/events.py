"""The events view's data: every event of a claims database, with each supporting quote tied to
the page's document and claim that it highlights.

An event comes as the database stores it (`EventSummary`). Each of its claims is linked to the
page when the page holds that document *and* that claim (same claim id, span and quote): the
page then opens the document at the claim, and the highlight is the claim's own span. A claim
whose document is not in the page stays listed, unlinked, with the reason. A document that the
page holds with another text than the event's quote says is an error: the page would highlight
the wrong words.

Flags say what a reviewer should look at first: the event's dated claims disagree (`dates`:
the database's `date_conflicts`), or its claims do not share one status (`statuses`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

from claims.events.summary import EventSummary

Flag = Literal["dates", "statuses"]
SAME_DATABASE = "give the --source the database was built from (or --db alone)"


class EventsBuildError(ValueError):
    """An event whose quote is not in the page's copy of its document."""


class PageClaim(TypedDict):
    """What the events view needs of a claim the page shows: where it is, its date."""

    doc: int
    start: int
    end: int
    quote: str
    date: str | None


class EventClaimData(TypedDict):
    doc_id: str
    claim_id: str
    quote: str
    start: int
    end: int
    status: str
    date: str | None
    run_id: str | None
    doc: int | None
    """The page's index of the document when the page holds this claim; None: listed only."""
    unlinked: str | None
    """Why the quote cannot be opened in a document of the page (None when it can)."""


class EventData(TypedDict):
    id: str
    type: str
    date: str | None
    date_conflicts: list[str]
    location: str | None
    actors: list[dict[str, Any]]
    countries: list[str]
    weapons: list[str]
    weapon_categories: list[str]
    status_counts: dict[str, int]
    documents: int
    sources: int
    first_reported: str | None
    last_reported: str | None
    flags: list[Flag]
    claims: list[EventClaimData]


class EventsData(TypedDict):
    count: int
    countries: list[tuple[str, int]]
    """Each ISO-3 code that some event's actors act for, with its number of events."""
    flagged: int
    unlinked: int
    items: list[EventData]


def event_flags(event: EventSummary) -> list[Flag]:
    flags: list[Flag] = []
    if event.date_conflicts:
        flags.append("dates")
    if len([status for status, n in event.status_counts.items() if n]) > 1:
        flags.append("statuses")
    return flags


def sort_key(event: EventSummary) -> tuple[bool, str, str, str]:
    """By date (undated last), then type, then id: the timeline's order."""
    return event.date is None, event.date or "", event.type, event.event_id


def build_events(
    events: Sequence[EventSummary],
    claims: Mapping[tuple[str, str], PageClaim],
    texts: Mapping[str, tuple[int, str]],
) -> tuple[EventsData, list[str]]:
    """The events view's data and the warnings for the console.

    `claims` maps (doc_id, claim_id) to the page's claims; `texts` maps a doc_id to the page's
    index of the document and its text. Raises EventsBuildError when the page holds a document
    whose text does not have an event's quote at its span.
    """
    items: list[EventData] = []
    countries: Counter[str] = Counter()
    absent_documents: set[str] = set()
    absent_claims = 0
    for event in sorted(events, key=sort_key):
        refs: list[EventClaimData] = []
        for ref in event.claims:
            start, end = ref.span.start, ref.span.end
            page_claim = claims.get((ref.doc_id, ref.claim_id))
            linked = page_claim is not None and (
                (page_claim["start"], page_claim["end"], page_claim["quote"]) == (start, end, ref.quote)
            )
            unlinked: str | None = None
            if not linked:
                held = texts.get(ref.doc_id)
                if held is None:
                    absent_documents.add(ref.doc_id)
                    unlinked = "document not in this page"
                elif held[1][start:end] != ref.quote:
                    raise EventsBuildError(
                        f"event {event.event_id}: document {ref.doc_id!r} does not hold the quote of claim "
                        f"{ref.claim_id} at {start}-{end}; {SAME_DATABASE}"
                    )
                else:
                    absent_claims += 1
                    unlinked = "claim not among this page's claims"
            refs.append(
                {
                    "doc_id": ref.doc_id,
                    "claim_id": ref.claim_id,
                    "quote": ref.quote,
                    "start": start,
                    "end": end,
                    "status": ref.status,
                    "date": page_claim["date"] if page_claim is not None and linked else None,
                    "run_id": ref.run_id,
                    "doc": page_claim["doc"] if page_claim is not None and linked else None,
                    "unlinked": unlinked,
                }
            )
        codes = sorted({actor.country for actor in event.actors if actor.country})
        countries.update(codes)
        items.append(
            {
                "id": event.event_id,
                "type": event.type,
                "date": event.date,
                "date_conflicts": list(event.date_conflicts),
                "location": event.location,
                "actors": [actor.model_dump(mode="json") for actor in event.actors],
                "countries": codes,
                "weapons": list(event.weapons),
                "weapon_categories": list(event.weapon_categories),
                "status_counts": dict(event.status_counts),
                "documents": event.documents,
                "sources": event.sources,
                "first_reported": event.first_reported,
                "last_reported": event.last_reported,
                "flags": event_flags(event),
                "claims": refs,
            }
        )
    warnings: list[str] = []
    if absent_documents:
        first = sorted(absent_documents)[0]
        warnings.append(
            f"events quote {len(absent_documents)} documents not in this page (e.g. {first!r}); "
            "their quotes are listed without a link (--db alone shows every stored document)"
        )
    if absent_claims:
        warnings.append(
            f"{absent_claims} event claims are not among the page's claims; listed without a link "
            "(--db alone shows the database's claims)"
        )
    data: EventsData = {
        "count": len(items),
        "countries": sorted(countries.items()),
        "flagged": sum(1 for item in items if item["flags"]),
        "unlinked": sum(1 for item in items for ref in item["claims"] if ref["unlinked"] is not None),
        "items": items,
    }
    return data, warnings

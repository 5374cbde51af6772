"""The one door from the database to the event rules (claims.events): blocking keys, pairwise
decisions, grouping, stable ids and summaries. Nothing else in claims.db knows the rules."""

from __future__ import annotations

from claims.db.interim_events import (  # claims.events once it lands on main
    Decision,
    DocumentInfo,
    EventClaimRef,
    EventSummary,
    block_keys,
    event_id,
    group_claims,
    same_event,
    summarize,
)

__all__ = [
    "Decision",
    "DocumentInfo",
    "EventClaimRef",
    "EventSummary",
    "block_keys",
    "event_id",
    "group_claims",
    "same_event",
    "summarize",
]

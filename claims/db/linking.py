"""The one door from the database to the event rules (claims.events): blocking keys, pairwise
decisions, grouping, stable ids and summaries. Nothing else in claims.db knows the rules."""

from __future__ import annotations

from claims.events.group import claim_key, event_id, group_claims, record_key
from claims.events.link import Decision, block_keys, same_event
from claims.events.summary import DocumentInfo, EventClaimRef, EventHeadline, EventSummary, summarize

__all__ = [
    "Decision",
    "DocumentInfo",
    "EventClaimRef",
    "EventHeadline",
    "EventSummary",
    "block_keys",
    "claim_key",
    "event_id",
    "group_claims",
    "record_key",
    "same_event",
    "summarize",
]

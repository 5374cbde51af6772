"""One event, one claim: mentions of the same claim (two chunks, a headline and the body) merge."""

from __future__ import annotations

from claims.schema import ProposedArmsDelivery, ProposedClaim, Span, VerifiedClaim, actor_key, actors_of
from claims.support import fold


def event_key(claim: ProposedClaim) -> tuple[object, ...]:
    """What must be equal for two claims to be the same event: type and actors (ordered for
    deliveries, where supplier and recipient differ; as a set for meetings and treaties)."""
    keys = [actor_key(a) for a in actors_of(claim)]
    actors: object = tuple(keys) if isinstance(claim, ProposedArmsDelivery) else frozenset(keys)
    return (claim.type, actors)


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or fold(a) == fold(b)


def merge_claims(claims: list[VerifiedClaim]) -> list[VerifiedClaim]:
    """Merge claims of the same event; the earliest mention keeps the quote, the others become
    `alt_spans`. Claims with different dates, locations or statuses stay apart."""
    merged: list[VerifiedClaim] = []
    for claim in sorted(claims, key=lambda c: (c.span.start, c.span.end)):
        for kept in merged:
            if (
                event_key(kept) == event_key(claim)
                and kept.status == claim.status
                and _compatible(kept.date, claim.date)
                and _compatible(kept.location, claim.location)
            ):
                _absorb(kept, claim)
                break
        else:
            merged.append(claim.model_copy(deep=True))
    return merged


def _absorb(kept: VerifiedClaim, other: VerifiedClaim) -> None:
    spans = {kept.span, *kept.alt_spans}
    for span in (other.span, *other.alt_spans):
        if span not in spans:
            kept.alt_spans.append(Span(start=span.start, end=span.end))
            spans.add(span)
    kept.date = kept.date or other.date
    kept.location = kept.location or other.location
    kept.attributed_to = kept.attributed_to or other.attributed_to

"""One event, one claim: mentions of the same claim (two chunks, a headline and the body) merge.

Two claims are the same event when type, actors and status agree and nothing tells them apart:
- dates agree at the coarser precision of the two ("2024-11" and "2024-11-19"); a missing date
  agrees with any date — except for arms deliveries, where an undated claim is an ongoing supply
  relation and a dated one a specific delivery within it, which the guide counts as two claims;
- locations agree (after folding case and diacritics) or one is missing;
- deliveries whose weapon categories are both known share at least one;
- treaty signings do not name different agreements (distinctive words, if both have them, overlap).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel

from claims.schema import (
    ProposedArmsDelivery,
    ProposedClaim,
    ProposedTreatySigning,
    Span,
    VerifiedClaim,
    actor_key,
    actors_of,
)
from claims.verify.field_support import fold, significant_words, stems_match

ClaimT = TypeVar("ClaimT", bound=BaseModel)


def unique_claims(claims: Sequence[ClaimT]) -> list[ClaimT]:
    """The claims in order, each identical one kept once (a looping model repeats itself, and two
    rules can find the same claim in one sentence)."""
    seen: set[str] = set()
    kept: list[ClaimT] = []
    for claim in claims:
        key = claim.model_dump_json()
        if key not in seen:
            seen.add(key)
            kept.append(claim)
    return kept


def event_key(claim: ProposedClaim) -> tuple[object, ...]:
    """What must be equal for two claims to be the same event: type and actors (ordered for
    deliveries, where supplier and recipient differ; as a set for meetings and treaties)."""
    keys = [actor_key(a) for a in actors_of(claim)]
    actors: object = tuple(keys) if isinstance(claim, ProposedArmsDelivery) else frozenset(keys)
    return (claim.type, actors)


def dates_agree(a: str | None, b: str | None) -> bool:
    """Equal at the coarser precision of the two: "2024" agrees with "2024-11-19"."""
    if a is None or b is None:
        return True
    return a.startswith(b) or b.startswith(a)


def _places_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or fold(a) == fold(b)


# Words that name no particular agreement: articles, prepositions, and the kinds of agreement
# (claims/data/merge.json, hashed into the rules' prompt_hash with the other data files).
_GENERIC_WORDS = frozenset(
    json.loads(resources.files("claims").joinpath("data", "merge.json").read_text(encoding="utf-8"))[
        "generic_agreement_words"
    ]
)


def _distinctive_words(agreement: str) -> list[str]:
    return [word for word in significant_words(agreement) if word not in _GENERIC_WORDS]


def _same_agreement(a: str, b: str) -> bool:
    """Agreements with distinctive words must share one; "das Abkommen" tells nothing apart."""
    words_a, words_b = _distinctive_words(a), _distinctive_words(b)
    if not words_a or not words_b:
        return True
    return any(stems_match(x, y) for x in words_a for y in words_b)


def same_event(a: VerifiedClaim, b: VerifiedClaim) -> bool:
    """Whether two verified claims are mentions of one event (see the module docstring)."""
    if event_key(a) != event_key(b) or a.status != b.status:
        return False
    if not (dates_agree(a.date, b.date) and _places_agree(a.location, b.location)):
        return False
    if isinstance(a, ProposedArmsDelivery) and isinstance(b, ProposedArmsDelivery):
        if (a.date is None) != (b.date is None):
            return False
        if (
            a.weapon_categories
            and b.weapon_categories
            and not set(a.weapon_categories) & set(b.weapon_categories)
        ):
            return False
    if isinstance(a, ProposedTreatySigning) and isinstance(b, ProposedTreatySigning):
        return _same_agreement(a.agreement, b.agreement)
    return True


def merge_claims(claims: list[VerifiedClaim]) -> list[VerifiedClaim]:
    """Merge mentions of the same event; the earliest mention keeps the quote, the others become
    `alt_spans`, and missing details are filled from them."""
    merged: list[VerifiedClaim] = []
    # Only claims of one type, actor set and status can be one event (and absorbing never changes
    # those), so each claim is compared with its own bucket: linear in distinct events, not quadratic.
    buckets: dict[tuple[object, ...], list[VerifiedClaim]] = {}
    for claim in sorted(claims, key=lambda c: (c.span.start, c.span.end)):
        bucket = buckets.setdefault((*event_key(claim), claim.status), [])
        for kept in bucket:
            if same_event(kept, claim):
                _absorb(kept, claim)
                break
        else:
            copy = claim.model_copy(deep=True)
            bucket.append(copy)
            merged.append(copy)
    return merged


def _absorb(kept: VerifiedClaim, other: VerifiedClaim) -> None:
    spans = {kept.span, *kept.alt_spans}
    for span in (other.span, *other.alt_spans):
        if span not in spans:
            kept.alt_spans.append(Span(start=span.start, end=span.end))
            spans.add(span)
    if other.date and (kept.date is None or len(other.date) > len(kept.date)):
        kept.date = other.date  # the more precise of two agreeing dates
    kept.location = kept.location or other.location
    kept.attributed_to = kept.attributed_to or other.attributed_to

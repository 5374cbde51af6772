"""Grounding rate = rejected / (verified + rejected), with the reasons."""

from __future__ import annotations

from claims.schema import RejectedClaim, RejectReason
from claims.scoring.grounding import grounding_of


def rejected(reason: RejectReason) -> RejectedClaim:
    return RejectedClaim(doc_id="d", reason=reason, claim={})


def test_grounding_rate_and_reasons() -> None:
    grounding = grounding_of(6, [rejected("not_found"), rejected("not_found"), rejected("too_short")])
    assert grounding.rate == 3 / 9
    assert grounding.as_dict() == {
        "rate": 3 / 9,
        "verified": 6,
        "rejected": 3,
        "by_reason": {"not_found": 2, "too_short": 1},
    }


def test_nothing_rejected_and_nothing_proposed() -> None:
    assert grounding_of(5, []).rate == 0.0
    assert grounding_of(0, []).rate is None

"""Grounding: the share of claims a model proposed that the verifier rejected.

rate = rejected / (verified + rejected), where `verified` is the number of prediction records
scored as this system's output (all of them, whichever document they name) and `rejected` the
number of rejected records. A rate of 0.25 means a quarter of what the model proposed had no
verbatim support in its source (or was unusable). The breakdown by reason says which failure it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from claims.schema import RejectedClaim
from claims.scoring.metrics import ratio


@dataclass(frozen=True)
class Grounding:
    verified: int
    rejected: int
    by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        """The rejected share of everything proposed (None when nothing was proposed)."""
        return ratio(self.rejected, self.verified + self.rejected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "verified": self.verified,
            "rejected": self.rejected,
            "by_reason": dict(sorted(self.by_reason.items())),
        }


def grounding_of(verified: int, rejected: Iterable[RejectedClaim]) -> Grounding:
    reasons: Counter[str] = Counter(record.reason for record in rejected)
    return Grounding(verified, sum(reasons.values()), dict(reasons))

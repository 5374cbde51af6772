"""Counts and scores: TP/FP/FN with precision, recall and F1, and the attributes of matched pairs.

Decisions where ANNOTATION.md leaves room:
- A score whose denominator is zero is undefined and reported as None (JSON null, "—" in tables),
  not as 0 or 1: precision with no predictions, recall with no required gold. F1 is computed as
  2·TP / (2·TP + FP + FN), which equals the harmonic mean where both are defined and is 0 (not
  undefined) when there were predictions or gold but nothing matched.
- Micro-averaging: counts are summed over documents (and types), then scored once.
- Attributes are measured on the true-positive pairs only (prediction matched to *required* gold):
  a match with optional gold "counts neither way", for the attributes as for precision and recall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from claims.schema import ProposedArmsDelivery
from claims.scoring.compare import dates_agree, jaccard, locations_agree
from claims.scoring.records import EvalClaim


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def total(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


@dataclass(frozen=True)
class Agreement:
    """How many of `n` matched pairs agree on something."""

    agree: int
    n: int

    @property
    def value(self) -> float | None:
        return ratio(self.agree, self.n)

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "agree": self.agree, "n": self.n}


@dataclass(frozen=True)
class MatchedPair:
    """A true positive: the prediction, its gold claim, and whether their quotes overlap."""

    predicted: EvalClaim
    gold: EvalClaim
    quote_overlap: bool


@dataclass(frozen=True)
class Attributes:
    """Agreement of the matched pairs' fields (ANNOTATION.md, "On matched pairs")."""

    matched: int
    status: Agreement
    date: Agreement
    location: Agreement
    evidence: Agreement
    weapon_categories_sum: float
    weapon_categories_n: int

    @property
    def weapon_categories(self) -> float | None:
        """Mean Jaccard overlap of weapon_categories over the matched arms deliveries."""
        return ratio(self.weapon_categories_sum, self.weapon_categories_n)

    def as_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "status_accuracy": self.status.as_dict(),
            "date_agreement": self.date.as_dict(),
            "location_agreement": self.location.as_dict(),
            "weapon_category_overlap": {
                "value": self.weapon_categories,
                "n": self.weapon_categories_n,
            },
            "evidence_overlap": self.evidence.as_dict(),
        }


def attributes_of(pairs: Iterable[MatchedPair]) -> Attributes:
    """Measure status, date, location, weapon-category and evidence agreement over the pairs."""
    pairs = list(pairs)
    overlaps = []
    for pair in pairs:
        predicted, gold = pair.predicted.claim, pair.gold.claim
        if isinstance(predicted, ProposedArmsDelivery) and isinstance(gold, ProposedArmsDelivery):
            overlaps.append(jaccard(predicted.weapon_categories, gold.weapon_categories))
    return Attributes(
        matched=len(pairs),
        status=Agreement(sum(p.predicted.claim.status == p.gold.claim.status for p in pairs), len(pairs)),
        date=Agreement(
            sum(dates_agree(p.predicted.claim.date, p.gold.claim.date) for p in pairs), len(pairs)
        ),
        location=Agreement(
            sum(locations_agree(p.predicted.claim.location, p.gold.claim.location) for p in pairs), len(pairs)
        ),
        evidence=Agreement(sum(p.quote_overlap for p in pairs), len(pairs)),
        weapon_categories_sum=sum(overlaps),
        weapon_categories_n=len(overlaps),
    )

"""Is one system's F1 really different from another's on this gold, or is it the luck of the documents?

A paired bootstrap over documents: both systems' per-document counts are resampled together (the
same documents, drawn with replacement), micro F1 is recomputed for each, and the spread of the
difference gives a percentile interval. Documents are the unit because claims within a document
are not independent (one misread article costs several claims at once). With the few documents
of a labelled set the interval is wide; that width is the honest answer to "is B better than A?".
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel

from claims.scoring.metrics import Counts

ROUNDS = 10_000
"""Resamples: enough for the interval's ends to move by a few thousandths of F1 from seed to seed."""
FEW_DOCUMENTS = 20
"""Below this many documents a bootstrap interval is too narrow to trust (few distinct resamples)."""
LEVEL = 0.95
SEED = 0
"""Fixed, so the same two prediction sets always give the same interval."""


class F1Difference(BaseModel):
    """This system's micro F1 minus the baseline's, with a paired bootstrap interval over documents."""

    baseline: str
    delta: float | None
    """The difference on the documents as they are (None when either F1 is undefined)."""
    low: float | None
    high: float | None
    level: float = LEVEL
    documents: int
    rounds: int = ROUNDS
    seed: int = SEED

    @property
    def reading(self) -> str:
        """Higher or lower when the interval excludes zero; else no clear difference (or undefined)."""
        if self.low is None or self.high is None:
            return "undefined"
        if self.low > 0:
            return "higher"
        if self.high < 0:
            return "lower"
        return "no clear difference"


class HasCounts(Protocol):
    """A document's counts: a summary's `Scores` (JSON reports give mappings instead)."""

    tp: int
    fp: int
    fn: int


DocumentCounts = Mapping[str, "HasCounts | Mapping[str, Any]"]


def _counts(scores: HasCounts | Mapping[str, Any] | None) -> Counts:
    if scores is None:
        return Counts()
    if isinstance(scores, Mapping):
        return Counts(scores.get("tp", 0), scores.get("fp", 0), scores.get("fn", 0))
    return Counts(scores.tp, scores.fp, scores.fn)


def _f1(counts: list[Counts], picks: list[int]) -> float | None:
    tp = sum(counts[i].tp for i in picks)
    fp = sum(counts[i].fp for i in picks)
    fn = sum(counts[i].fn for i in picks)
    return Counts(tp, fp, fn).f1


def f1_difference(
    baseline: DocumentCounts,
    other: DocumentCounts,
    *,
    baseline_label: str = "baseline",
    rounds: int = ROUNDS,
    level: float = LEVEL,
    seed: int = SEED,
) -> F1Difference:
    """F1(other) − F1(baseline), with a `level` percentile interval from `rounds` paired resamples
    of the documents (a document missing from one side counts zero there)."""
    doc_ids = sorted(set(baseline) | set(other))
    base = [_counts(baseline.get(d)) for d in doc_ids]
    mine = [_counts(other.get(d)) for d in doc_ids]
    everything = list(range(len(doc_ids)))
    base_f1, my_f1 = _f1(base, everything), _f1(mine, everything)
    delta = None if base_f1 is None or my_f1 is None else my_f1 - base_f1
    rng = random.Random(seed)
    deltas: list[float] = []
    for _ in range(rounds if doc_ids else 0):
        picks = rng.choices(everything, k=len(everything))
        a, b = _f1(base, picks), _f1(mine, picks)
        if a is not None and b is not None:
            deltas.append(b - a)
    low = high = None
    if deltas:
        deltas.sort()
        cut = int((1 - level) / 2 * (len(deltas) - 1))  # the same count cut from either end
        low, high = deltas[cut], deltas[len(deltas) - 1 - cut]
    return F1Difference(
        baseline=baseline_label,
        delta=delta,
        low=low,
        high=high,
        level=level,
        documents=len(doc_ids),
        rounds=rounds,
        seed=seed,
    )

"""Scoring event grouping against gold event labels (ANNOTATION.md, "Events across documents").

Gold labels (`eval/gold/events.jsonl`) give each gold claim an event: `line` is the claim's line
number in the gold claims file, and claims sharing `event` are one event. Two scores, each as
**pairwise** precision/recall/F1 over pairs of claims (a pair is positive when both share an
event) and as **B-cubed** (per claim: the share of its predicted event that is in its gold event,
and the reverse, averaged over claims):

- **gold grouping**: the gold claims themselves grouped by `claims.events` — isolates the
  grouping from extraction;
- **end to end**: the predicted claims grouped, each prediction matched to a gold claim by the
  scorer's one-to-one assignment (`claims.scoring.match`) standing for that gold claim. An
  unmatched prediction is its own gold event (any link it makes is a false link); an unmatched
  required gold claim is its own predicted event (its gold links are missed); an unmatched
  optional gold claim is left out, as it counts neither way elsewhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from claims.events.group import VerifiedClaim, group_claims
from claims.events.link import same_event
from claims.schema import VERIFIED_CLAIM_ADAPTER, Provenance, Span, actor_key, claim_id
from claims.scoring.evaluate import Evaluation
from claims.scoring.locate import LocatingSource, prediction_span
from claims.scoring.metrics import ratio
from claims.scoring.records import EvalClaim, ScoringInputError, _read_objects

MAX_LISTED_PAIRS = 40


def load_event_labels(path: Path, gold: Sequence[EvalClaim]) -> list[str]:
    """One event label per gold claim (in gold order), checked against the gold file's lines."""
    labels: dict[int, str] = {}
    for origin, raw in _read_objects(path, "gold events"):
        line, event = raw.get("line"), raw.get("event")
        if not isinstance(line, int) or not isinstance(event, str) or not event:
            raise ScoringInputError(f"{origin}: needs 'line' (a number) and 'event' (a label)")
        if not 1 <= line <= len(gold):
            raise ScoringInputError(
                f"{origin}: line {line} is not a line of the gold claims ({len(gold)} lines); "
                "give --events the labels of this --gold file"
            )
        claim = gold[line - 1]
        for key, value in (("doc_id", claim.doc_id), ("quote", claim.claim.quote)):
            if key in raw and raw[key] != value:
                raise ScoringInputError(
                    f"{origin}: {key} differs from gold line {line}; the labels belong to another gold file"
                )
        if line in labels:
            raise ScoringInputError(f"{origin}: line {line} is labelled twice; give each claim one event")
        labels[line] = event
    missing = [n for n in range(1, len(gold) + 1) if n not in labels]
    if missing:
        raise ScoringInputError(
            f"{path}: no event label for gold line {missing[0]}"
            f"{f' (and {len(missing) - 1} more)' if len(missing) > 1 else ''}; label every gold claim"
        )
    return [labels[n] for n in range(1, len(gold) + 1)]


def as_record(claim: EvalClaim, source: LocatingSource | None, backend: str) -> VerifiedClaim:
    """A scored claim as a verified record (span located in its source), for `claims.events`."""
    located = prediction_span(claim, source) if source is not None else None
    start, end = located if located is not None else (0, 0)
    span = Span(start=start, end=end)
    raw = claim.claim.model_dump(mode="json")
    return VERIFIED_CLAIM_ADAPTER.validate_python(
        {
            **raw,
            "doc_id": claim.doc_id,
            "claim_id": claim_id(claim.doc_id, claim.type, span, [actor_key(a) for a in claim.actors]),
            "span": span.model_dump(),
            "match": "exact",
            "occurrences": 1,
            "provenance": Provenance(backend=backend).model_dump(),
        }
    )


@dataclass(frozen=True)
class PairCounts:
    """Pairs of claims: linked in both, only in the prediction, only in gold."""

    tp: int
    fp: int
    fn: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": ratio(self.tp, self.tp + self.fp),
            "recall": ratio(self.tp, self.tp + self.fn),
            "f1": ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> PairCounts:
    """Pair counts of two clusterings of the same items (one cluster label per item each)."""
    if len(predicted) != len(gold):
        raise ValueError("both clusterings label the same items")
    both = sum(_pairs(n) for n in Counter(zip(predicted, gold, strict=True)).values())
    in_predicted = sum(_pairs(n) for n in Counter(predicted).values())
    in_gold = sum(_pairs(n) for n in Counter(gold).values())
    return PairCounts(tp=both, fp=in_predicted - both, fn=in_gold - both)


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, float | None]:
    """B-cubed precision, recall and F1 of two clusterings of the same items."""
    if len(predicted) != len(gold):
        raise ValueError("both clusterings label the same items")
    if not predicted:
        return {"precision": None, "recall": None, "f1": None}
    cell = Counter(zip(predicted, gold, strict=True))
    size_p, size_g = Counter(predicted), Counter(gold)
    n = len(predicted)
    precision = sum(cell[(p, g)] / size_p[p] for p, g in zip(predicted, gold, strict=True)) / n
    recall = sum(cell[(p, g)] / size_g[g] for p, g in zip(predicted, gold, strict=True)) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _event_labels(records: Sequence[VerifiedClaim]) -> list[int]:
    """The index of each record's event in `group_claims(records)` (records compared by identity)."""
    where = {id(claim): index for index, event in enumerate(group_claims(records)) for claim in event}
    return [where[id(claim)] for claim in records]


def _pair_line(a: EvalClaim, b: EvalClaim, why: str) -> dict[str, Any]:
    return {"a": a.origin, "b": b.origin, "type": a.type, "why": why}


def _errors(
    claims: Sequence[EvalClaim],
    records: Sequence[VerifiedClaim],
    predicted: Sequence[Hashable],
    gold: Sequence[Hashable],
    not_extracted: int = 0,
) -> dict[str, list[dict[str, Any]]]:
    """False links and missed links (first MAX_LISTED_PAIRS each), with the rule's decision; the
    last `not_extracted` items are gold claims no prediction was matched to."""
    first_missing = len(claims) - not_extracted
    false_links: list[dict[str, Any]] = []
    missed_links: list[dict[str, Any]] = []
    for i, j in combinations(range(len(claims)), 2):
        linked, same = predicted[i] == predicted[j], gold[i] == gold[j]
        if linked == same:
            continue
        if j >= first_missing:
            missed_links.append(_pair_line(claims[i], claims[j], f"{claims[j].origin} was not extracted"))
            continue
        decision = same_event(records[i], records[j])
        why = f"{decision.rule}: {decision.detail}"
        if linked and not decision.linked:
            why = f"linked through other claims of the event; directly kept apart by {why}"
        (false_links if linked else missed_links).append(_pair_line(claims[i], claims[j], why))
    return {"false_links": false_links[:MAX_LISTED_PAIRS], "missed_links": missed_links[:MAX_LISTED_PAIRS]}


def _scores(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, Any]:
    return {
        "claims": len(gold),
        "gold_events": len(set(gold)),
        "predicted_events": len(set(predicted)),
        "pairwise": pairwise(predicted, gold).as_dict(),
        "bcubed": bcubed(predicted, gold),
    }


def score_gold_grouping(
    gold: Sequence[EvalClaim], labels: Sequence[str], texts: Mapping[str, str]
) -> dict[str, Any]:
    """Group the gold claims themselves and compare with their gold events."""
    sources = {doc_id: LocatingSource(text) for doc_id, text in texts.items()}
    records = [as_record(claim, sources.get(claim.doc_id), "gold") for claim in gold]
    predicted = _event_labels(records)
    return {**_scores(predicted, labels), **_errors(gold, records, predicted, labels)}


def score_end_to_end(
    evaluation: Evaluation, gold: Sequence[EvalClaim], labels: Sequence[str], texts: Mapping[str, str]
) -> dict[str, Any]:
    """Group the scored predictions; compare through the scorer's prediction-to-gold matching."""
    label_of = {id(claim): label for claim, label in zip(gold, labels, strict=True)}
    claims: list[EvalClaim] = []
    records: list[VerifiedClaim] = []
    gold_events: list[str] = []
    missed: list[str] = []  # gold events of the required gold claims nothing was matched to
    missed_claims: list[EvalClaim] = []
    for doc_id, doc in evaluation.documents.items():
        source = LocatingSource(texts[doc_id]) if doc_id in texts else None
        matched = {m.predicted: doc.gold[m.gold] for m in doc.matches}
        for index, claim in enumerate(doc.predicted):
            claims.append(claim)
            records.append(as_record(claim, source, "prediction"))
            target = matched.get(index)
            gold_events.append(label_of[id(target)] if target is not None else f"unmatched:{claim.origin}")
        missed += [label_of[id(doc.gold[i])] for i in doc.false_negatives()]
        missed_claims += [doc.gold[i] for i in doc.false_negatives()]
    predicted = [f"event:{n}" for n in _event_labels(records)]
    predicted += [f"missed:{n}" for n in range(len(missed))]
    result = _scores(predicted, [*gold_events, *missed])
    result["matched_predictions"] = sum(1 for e in gold_events if not e.startswith("unmatched:"))
    result["unmatched_predictions"] = len(gold_events) - result["matched_predictions"]
    result["missed_gold"] = len(missed)
    everything = [*claims, *missed_claims]
    placeholders = [*records, *(records[:1] * len(missed_claims))]  # never compared (not extracted)
    errors = _errors(everything, placeholders, predicted, [*gold_events, *missed], len(missed_claims))
    return {**result, **errors}


def score_events(
    evaluation: Evaluation, gold: Sequence[EvalClaim], labels: Sequence[str], texts: Mapping[str, str]
) -> dict[str, Any]:
    """Both scores, for the evaluation summary's `events` key."""
    scored = {doc_id for doc_id in evaluation.documents}
    kept = [(claim, label) for claim, label in zip(gold, labels, strict=True) if claim.doc_id in scored]
    return {
        "gold_grouping": score_gold_grouping([c for c, _ in kept], [lab for _, lab in kept], texts),
        "end_to_end": score_end_to_end(evaluation, gold, labels, texts),
    }

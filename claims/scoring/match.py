"""Per document, which predicted claim is which gold claim: eligibility, preference, one-to-one.

Eligibility (ANNOTATION.md, "Scoring"): the types are equal and the actors are compatible —
`arms_delivery`: supplier matches supplier and recipient matches recipient (a swapped pair is not
eligible); `meeting` / `treaty_signing`: at least min(2, number of gold actors) gold actors are
matched, or at least one is and the quotes overlap in the source. Actors are counted one-to-one
(a maximum bipartite matching), so one predicted actor never stands for two gold actors.

"The quotes overlap" means the prediction's span intersects an occurrence of the gold quote or of
one of its alt_quotes — for eligibility as for preference (`claims.scoring.locate`).

The one-to-one assignment is optimal, not greedy. Over all matchings of eligible pairs it
maximises, in this order:
1. the number of matched *required* gold claims (TP), so a prediction that could match either an
   optional or a required gold claim never absorbs itself into the optional one and leaves the
   required one unmatched;
2. the number of matched predictions (fewest FP; a prediction matched to optional gold counts
   neither way);
3. then ANNOTATION.md's preferences, summed over the pairs and compared in its order: quote
   overlap, then actor agreement (matched actors over the larger actor list), then agreeing dates.
Where no such trade-off exists this is what a greedy pass in preference order picks; where one
does, greedy would let the order of pairs change the counts, and the optimum does not. Remaining
ties fall to file order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from claims.schema import Actor
from claims.scoring.assignment import lexicographic_weights, max_weight_matching
from claims.scoring.compare import dates_agree
from claims.scoring.locate import LocatingSource, gold_spans, overlaps_any, prediction_span
from claims.scoring.names import actors_match
from claims.scoring.records import EvalClaim


def matched_actor_count(gold: Sequence[Actor], predicted: Sequence[Actor]) -> int:
    """Size of a maximum one-to-one matching between the two actor lists (Kuhn's algorithm)."""
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(g: int, seen: set[int]) -> bool:
        for p, actor in enumerate(predicted):
            if p in seen or not actors_match(gold[g], actor):
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    return sum(1 for g in range(len(gold)) if augment(g, set()))


@dataclass(frozen=True)
class PairFacts:
    """What the scorer knows about one (prediction, gold) pair, and whether it may be matched."""

    eligible: bool
    reason: str
    """Why (not): 'type', 'supplier', 'recipient', 'actors', or how it qualified."""
    matched_actors: int
    actor_agreement: Fraction
    quote_overlap: bool
    dates_agree: bool


def assess_pair(predicted: EvalClaim, gold: EvalClaim, quote_overlap: bool) -> PairFacts:
    """Apply the eligibility rules to one pair; `quote_overlap` is decided in the source."""
    dates = dates_agree(predicted.claim.date, gold.claim.date)
    if predicted.type != gold.type:
        return PairFacts(False, "type", 0, Fraction(0), quote_overlap, dates)
    gold_actors, predicted_actors = gold.actors, predicted.actors
    larger = max(len(gold_actors), len(predicted_actors), 1)
    if gold.type == "arms_delivery":
        supplier = actors_match(predicted_actors[0], gold_actors[0])
        recipient = actors_match(predicted_actors[1], gold_actors[1])
        matched = int(supplier) + int(recipient)
        agreement = Fraction(matched, larger)
        if not supplier:
            return PairFacts(False, "supplier", matched, agreement, quote_overlap, dates)
        if not recipient:
            return PairFacts(False, "recipient", matched, agreement, quote_overlap, dates)
        return PairFacts(True, "supplier and recipient", matched, agreement, quote_overlap, dates)
    matched = matched_actor_count(gold_actors, predicted_actors)
    agreement = Fraction(matched, larger)
    if matched >= min(2, len(gold_actors)):
        return PairFacts(True, f"{matched} actors", matched, agreement, quote_overlap, dates)
    if matched >= 1 and quote_overlap:
        return PairFacts(True, "1 actor and overlapping quotes", matched, agreement, quote_overlap, dates)
    return PairFacts(False, "actors", matched, agreement, quote_overlap, dates)


@dataclass(frozen=True)
class Match:
    """A matched pair: indices into the document's predictions and gold claims."""

    predicted: int
    gold: int
    facts: PairFacts


def assess_document(
    predicted: Sequence[EvalClaim], gold: Sequence[EvalClaim], source: LocatingSource
) -> list[list[PairFacts]]:
    """Facts for every (prediction, gold) pair of one document: rows predictions, columns gold."""
    predicted_spans = [prediction_span(claim, source) for claim in predicted]
    evidence = [gold_spans(claim, source) for claim in gold]
    return [
        [assess_pair(p, g, overlaps_any(span, spans)) for g, spans in zip(gold, evidence, strict=True)]
        for p, span in zip(predicted, predicted_spans, strict=True)
    ]


def assign(
    predicted: Sequence[EvalClaim], gold: Sequence[EvalClaim], facts: Sequence[Sequence[PairFacts]]
) -> list[Match]:
    """The optimal one-to-one matching, given the facts of every pair (see the module's docstring)."""
    if not predicted or not gold:
        return []
    largest = max(len(claim.actors) for claim in (*predicted, *gold))
    scale = math.lcm(*range(1, largest + 1))  # actor agreement as an exact integer in 0..scale
    maxima = (1, 1, 1, scale, 1)
    keys: list[tuple[int, ...]] = []
    cells: list[tuple[int, int]] = []
    for p, row in enumerate(facts):
        for g, pair in enumerate(row):
            if pair.eligible:
                agreement = pair.actor_agreement * scale
                keys.append(
                    (
                        int(not gold[g].optional),
                        1,
                        int(pair.quote_overlap),
                        agreement.numerator // agreement.denominator,
                        int(pair.dates_agree),
                    )
                )
                cells.append((p, g))
    weights = [[0] * len(gold) for _ in predicted]
    for (p, g), weight in zip(
        cells, lexicographic_weights(keys, maxima, min(len(predicted), len(gold))), strict=True
    ):
        weights[p][g] = weight
    return [Match(p, g, facts[p][g]) for p, g in max_weight_matching(weights)]


def match_document(
    predicted: Sequence[EvalClaim], gold: Sequence[EvalClaim], source: LocatingSource
) -> list[Match]:
    """The optimal one-to-one matching of one document's predictions to its gold claims."""
    return assign(predicted, gold, assess_document(predicted, gold, source))

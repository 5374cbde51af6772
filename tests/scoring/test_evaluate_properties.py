"""Invariants of the scoring on random prediction sets drawn from the seed gold.

The counts must not depend on the order of the predictions (the optimal assignment's counts are
unique), every prediction must be exactly one of TP, FP or matched-to-optional, and every required
gold claim exactly one of TP or FN.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.scoring.evaluate import evaluate
from claims.scoring.records import EvalClaim, claim_from_dict
from tests.conftest import gold_lines, seed_texts

TEXTS = seed_texts()
LINES = gold_lines()
GOLD = [claim_from_dict(raw, f"gold:{n}", gold=True) for n, raw in enumerate(LINES, start=1)]
REQUIRED = sum(1 for raw in LINES if not raw["optional"])


def as_prediction(index: int, swap: bool) -> EvalClaim:
    raw: dict[str, Any] = copy.deepcopy(LINES[index])
    if swap and raw["type"] == "arms_delivery":
        raw["supplier"], raw["recipient"] = raw["recipient"], raw["supplier"]
    if swap and raw["type"] != "arms_delivery":
        key = "participants" if raw["type"] == "meeting" else "parties"
        raw[key] = raw[key][::-1]  # order of meeting participants must not matter
    return claim_from_dict(raw, f"pred:{index + 1}", gold=False)


picks = st.lists(st.tuples(st.integers(0, len(LINES) - 1), st.booleans()), max_size=40)


@settings(max_examples=40, deadline=None)
@given(picks, st.randoms(use_true_random=False))
def test_counts_add_up_and_do_not_depend_on_order(chosen: list[tuple[int, bool]], random: Any) -> None:
    predicted = [as_prediction(index, swap) for index, swap in chosen]
    evaluation = evaluate(GOLD, predicted, TEXTS)
    micro = evaluation.micro()
    matched_optional = sum(len(d.optional_matches()) for d in evaluation.documents.values())
    assert micro.tp + micro.fn == REQUIRED
    assert micro.tp + micro.fp + matched_optional == len(predicted)
    shuffled = list(predicted)
    random.shuffle(shuffled)
    again = evaluate(GOLD, shuffled, TEXTS)
    assert again.micro() == micro
    assert again.per_type() == evaluation.per_type()
    assert again.per_document() == evaluation.per_document()


@settings(max_examples=25, deadline=None)
@given(picks)
def test_more_predictions_never_lose_a_true_positive(chosen: list[tuple[int, bool]]) -> None:
    predicted = [as_prediction(index, swap) for index, swap in chosen]
    fewer = evaluate(GOLD, predicted[: len(predicted) // 2], TEXTS).micro().tp
    assert fewer <= evaluate(GOLD, predicted, TEXTS).micro().tp


@settings(max_examples=15, deadline=None)
@given(st.sets(st.sampled_from([i for i, raw in enumerate(LINES) if raw["optional"]])))
def test_all_required_and_any_optional_is_perfect(optional: set[int]) -> None:
    predicted = [
        as_prediction(i, False) for i, raw in enumerate(LINES) if not raw["optional"] or i in optional
    ]
    assert evaluate(GOLD, predicted, TEXTS).micro().f1 == 1.0

"""The paired bootstrap says "higher", "lower" or "no clear difference", and nothing it could not know."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.scoring.metrics import Counts
from claims.scoring.significance import f1_difference


def docs(*counts: tuple[int, int, int]) -> dict[str, dict[str, int]]:
    return {f"d{i:02d}": {"tp": tp, "fp": fp, "fn": fn} for i, (tp, fp, fn) in enumerate(counts)}


def test_a_system_against_itself_differs_by_exactly_nothing() -> None:
    scores = docs(*[(3, 1, 2), (0, 2, 1), (5, 0, 0), (1, 1, 1)] * 5)
    difference = f1_difference(scores, scores, baseline_label="a")
    assert (difference.delta, difference.low, difference.high) == (0.0, 0.0, 0.0)
    assert difference.reading == "no clear difference" and difference.baseline == "a"
    assert difference.documents == 20


def test_better_on_every_document_is_higher_and_the_swap_is_lower() -> None:
    weak = docs(*[(1, 2, 3), (0, 1, 2), (2, 2, 2)] * 8)
    strong = docs(*[(3, 0, 1), (2, 0, 0), (3, 1, 1)] * 8)
    up = f1_difference(weak, strong)
    down = f1_difference(strong, weak)
    assert up.reading == "higher" and down.reading == "lower"
    assert up.delta == pytest.approx(Counts(8 * 8, 8, 8 * 2).f1 - Counts(3 * 8, 5 * 8, 7 * 8).f1)  # type: ignore[operator]
    assert 0 < up.low < up.delta < up.high  # type: ignore[operator]


def test_a_gap_carried_by_one_document_is_no_clear_difference() -> None:
    base = docs(*[(2, 1, 1)] * 12)
    lucky = dict(base, d00={"tp": 3, "fp": 0, "fn": 0})  # the whole gap is one article
    difference = f1_difference(base, lucky)
    assert difference.delta is not None and difference.delta > 0
    assert difference.low == 0.0 and difference.reading == "no clear difference"


def test_a_document_missing_on_one_side_counts_zero_there() -> None:
    gold_only = {"d00": {"tp": 0, "fp": 0, "fn": 4}}
    difference = f1_difference({}, gold_only)
    assert difference.documents == 1 and difference.delta is None and difference.reading == "undefined"
    one = f1_difference({"d00": {"tp": 1, "fp": 0, "fn": 0}}, {})
    assert one.delta is None  # F1 of nothing at all is undefined, not 0


def test_the_same_input_gives_the_same_interval() -> None:
    a = docs(*[(1, 1, 1), (2, 0, 3), (0, 2, 0)] * 4)
    b = docs(*[(2, 1, 0), (1, 1, 3), (1, 0, 0)] * 4)
    assert f1_difference(a, b) == f1_difference(a, b)
    assert f1_difference(a, b, rounds=200).rounds == 200


document_counts = st.dictionaries(
    st.sampled_from([f"d{i}" for i in range(8)]),
    st.fixed_dictionaries({"tp": st.integers(0, 4), "fp": st.integers(0, 4), "fn": st.integers(0, 4)}),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(document_counts, document_counts)
def test_swapping_the_systems_mirrors_the_difference_and_its_interval(
    a: dict[str, dict[str, int]], b: dict[str, dict[str, int]]
) -> None:
    forward, backward = f1_difference(a, b, rounds=300), f1_difference(b, a, rounds=300)
    if forward.delta is not None:
        assert backward.delta == pytest.approx(-forward.delta)
    if forward.low is not None and forward.high is not None:
        assert forward.low <= forward.high
        assert backward.low == pytest.approx(-forward.high) and backward.high == pytest.approx(-forward.low)
        assert forward.low >= -1.0 and forward.high <= 1.0

"""The one-to-one assignment is a true maximum, and the lexicographic weights keep their order."""

from __future__ import annotations

from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.scoring.assignment import lexicographic_weights, max_weight_matching


def brute_force_best(weights: list[list[int]]) -> int:
    rows, columns = len(weights), len(weights[0])
    best = 0
    padded = list(range(columns)) + [-1] * rows  # -1: the row stays unmatched
    for choice in set(permutations(padded, rows)):
        total = sum(weights[r][c] for r, c in enumerate(choice) if c >= 0 and weights[r][c] > 0)
        best = max(best, total)
    return best


matrices = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda columns: st.lists(
            st.lists(st.sampled_from([0, 0, 1, 2, 3, 7, 50]), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(matrices)
def test_matching_is_maximal_one_to_one_and_uses_only_allowed_pairs(weights: list[list[int]]) -> None:
    pairs = max_weight_matching(weights)
    assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
    assert all(weights[r][c] > 0 for r, c in pairs)
    assert sum(weights[r][c] for r, c in pairs) == brute_force_best(weights)


def test_greedy_would_lose_a_pair_the_optimum_keeps() -> None:
    # Row 0 prefers column 0, but row 1 can only take column 0: the optimum gives row 0 column 1.
    assert max_weight_matching([[10, 9], [8, 0]]) == [(0, 1), (1, 0)]


def test_more_rows_than_columns() -> None:
    assert max_weight_matching([[1], [5], [0]]) == [(1, 0)]


def test_empty_and_invalid_matrices() -> None:
    assert max_weight_matching([]) == []
    assert max_weight_matching([[]]) == []
    with pytest.raises(ValueError, match="same length"):
        max_weight_matching([[1, 2], [1]])
    with pytest.raises(ValueError, match="non-negative"):
        max_weight_matching([[-1]])


def test_lexicographic_weights_one_higher_component_beats_any_number_of_lower() -> None:
    maxima = (1, 5, 1)
    high, low = lexicographic_weights([(1, 0, 0), (0, 5, 1)], maxima, max_pairs=3)
    assert high > 3 * low
    first, second = lexicographic_weights([(0, 1, 0), (0, 0, 1)], maxima, max_pairs=3)
    assert first > 3 * second


def test_lexicographic_weights_reject_out_of_range_components() -> None:
    with pytest.raises(ValueError, match="outside"):
        lexicographic_weights([(2, 0)], (1, 1), max_pairs=1)

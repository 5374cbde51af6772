"""Maximum-weight one-to-one matching between two sets (the Hungarian algorithm), exact in integers.

`max_weight_matching(weights)` takes a rows × columns matrix of non-negative integers, where 0
means "may not be paired", and returns the pairs of a matching whose total weight is maximal.
`lexicographic_weights` turns tuples of preferences into such integers so that a larger total
means a better matching in the order of the tuple's components (first component first).
Everything is integer arithmetic: no float rounding can change a score.
"""

from __future__ import annotations

from collections.abc import Sequence


def max_weight_matching(weights: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Pairs (row, column) of a maximum-weight matching, using only entries with weight > 0.

    O(n²m) for n ≤ m (rows and columns are swapped when there are more rows); ties between
    equally good matchings fall to the input order, so the result is deterministic.
    """
    rows = len(weights)
    columns = len(weights[0]) if rows else 0
    if rows == 0 or columns == 0:
        return []
    if any(len(row) != columns for row in weights):
        raise ValueError("every row of the weight matrix needs the same length")
    if any(value < 0 for row in weights for value in row):
        raise ValueError("weights must be non-negative")
    transposed = rows > columns
    matrix = (
        [list(column) for column in zip(*weights, strict=True)] if transposed else [list(r) for r in weights]
    )
    n, m = len(matrix), len(matrix[0])
    cost = [[-value for value in row] for row in matrix]
    largest = max(max(row) for row in matrix)
    infinity = (largest + 1) * (n + m + 2) * 4  # beyond any reduced cost the potentials reach
    # Potentials u (rows) and v (columns), 1-based with column 0 as the sentinel (e-maxx form).
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    owner = [0] * (m + 1)
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        column = 0
        slack = [infinity] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[column] = True
            current_row = owner[column]
            delta = infinity
            next_column = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                reduced = cost[current_row - 1][j - 1] - u[current_row] - v[j]
                if reduced < slack[j]:
                    slack[j] = reduced
                    way[j] = column
                if slack[j] < delta:
                    delta = slack[j]
                    next_column = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    slack[j] -= delta
            column = next_column
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    pairs = [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j] and matrix[owner[j] - 1][j - 1] > 0]
    if transposed:
        pairs = [(column, row) for row, column in pairs]
    return sorted(pairs)


def lexicographic_weights(keys: Sequence[Sequence[int]], maxima: Sequence[int], max_pairs: int) -> list[int]:
    """One integer per key tuple such that, for any two sets of at most `max_pairs` keys, the
    set with the larger sum of weights has the larger component-wise sums compared first
    component first. Components must lie in 0..maxima[i]."""
    bases = [0] * len(maxima)
    below = 0  # the largest possible sum, over a matching, of the components after i
    for index in range(len(maxima) - 1, -1, -1):
        bases[index] = below + 1
        below += max_pairs * maxima[index] * bases[index]
    weights = []
    for key in keys:
        if len(key) != len(maxima) or any(not 0 <= c <= top for c, top in zip(key, maxima, strict=True)):
            raise ValueError(f"key {tuple(key)} is outside 0..{tuple(maxima)}")
        weights.append(sum(c * base for c, base in zip(key, bases, strict=True)))
    return weights

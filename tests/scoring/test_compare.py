"""Field agreement: dates at the coarser precision, null rules, locations as names, Jaccard."""

from __future__ import annotations

import pytest

from claims.scoring.compare import dates_agree, jaccard, locations_agree


@pytest.mark.parametrize(
    ("predicted", "gold", "agree"),
    [
        ("2024-04-22", "2024-04-22", True),
        ("2024-04", "2024-04-22", True),
        ("2024-04-22", "2024-04", True),
        ("2024", "2024-04-22", True),
        ("2024-04-23", "2024-04-22", False),
        ("2024-05", "2024-04-22", False),
        ("2023", "2024-04", False),
        (None, None, True),
        (None, "2024", False),
        ("2024", None, False),
    ],
)
def test_dates_agree_at_the_coarser_precision(predicted: str | None, gold: str | None, agree: bool) -> None:
    assert dates_agree(predicted, gold) is agree


@pytest.mark.parametrize(
    ("predicted", "gold", "agree"),
    [
        ("Astana", "Astana", True),
        ("astana", "Astana", True),
        ("in Minsk", "Minsk", True),
        ("Moskaus", "Moskau", True),
        ("Pjöngjang", "Pjongjang", True),
        ("Astana", "Minsk", False),
        (None, None, True),
        (None, "Minsk", False),
        ("Minsk", None, False),
    ],
)
def test_locations_agree_as_names_do(predicted: str | None, gold: str | None, agree: bool) -> None:
    assert locations_agree(predicted, gold) is agree


def test_jaccard() -> None:
    assert jaccard(["drones"], ["drones"]) == 1.0
    assert jaccard(["drones", "missiles"], ["missiles"]) == 0.5
    assert jaccard(["drones"], ["missiles"]) == 0.0
    assert jaccard([], []) == 1.0
    assert jaccard([], ["other"]) == 0.0

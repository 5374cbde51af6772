"""Field support tolerates German inflection but not invented names."""

from __future__ import annotations

import pytest

from claims.verify.field_support import fold, paragraph_around, stems_match


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Putins", "Putin"),
        ("nordkoreanische", "Nordkorea"),
        ("russischen", "Russland"),
        ("Straße", "strasse"),
    ],
)
def test_inflections_match(a: str, b: str) -> None:
    assert stems_match(fold(a), fold(b))


@pytest.mark.parametrize(("a", "b"), [("Iran", "Irak"), ("Putin", "Putsch"), ("China", "Chile")])
def test_different_names_do_not(a: str, b: str) -> None:
    assert not stems_match(fold(a), fold(b))


def test_the_paragraph_is_the_line_around_the_span() -> None:
    text = "Erste Zeile.\nZweite Zeile mit Putin.\nDritte."
    start = text.index("Putin")
    assert paragraph_around(text, start, start + 5) == "Zweite Zeile mit Putin."

"""Tokens: words with offsets, compounds kept whole, numbers with thousands separators whole."""

from __future__ import annotations

import pytest

from claims.backends.rules.tokens import clause_bounds, tokenize


@pytest.mark.parametrize("number", ["10,000", "10.000", "1,250,000"])
def test_a_number_with_thousands_separators_is_one_token(number: str) -> None:
    tokens = tokenize(f"more than {number} shells")
    assert [t.text for t in tokens] == ["more", "than", number, "shells"]
    assert clause_bounds(tokens, 0) == (0, 4)


def test_a_date_keeps_its_ordinal_dot() -> None:
    assert [t.text for t in tokenize("am 22. April")] == ["am", "22", ".", "April"]


def test_offsets_point_into_the_text() -> None:
    text = "Kreml-Chef Putin traf 2.000 Gäste"
    assert all(text[t.start : t.end] == t.text for t in tokenize(text))

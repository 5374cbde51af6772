"""Evidence is located as the verifier locates quotes; overlap means the intervals intersect."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.scoring.locate import (
    LocatingSource,
    gold_spans,
    intervals_overlap,
    overlaps_any,
    prediction_span,
)
from tests.scoring.builders import actor, meeting

TEXT = "Vorspann. Putin traf Xi in Peking. Dazwischen. Putin traf Xi in Peking. Schluss „Zitat hier“ ende."
A, B = actor("Putin", "RUS"), actor("Xi", "CHN")


def test_find_all_returns_every_occurrence_in_original_offsets() -> None:
    source = LocatingSource(TEXT)
    spans = source.find_all("Putin traf Xi in Peking.")
    assert [TEXT[s:e] for s, e in spans] == ["Putin traf Xi in Peking."] * 2
    assert spans[0][0] == TEXT.index("Putin")
    assert spans[1][0] == TEXT.rindex("Putin")


def test_find_all_forgives_what_the_verifier_forgives() -> None:
    [(start, end)] = LocatingSource(TEXT).find_all('Schluss "Zitat hier" ende.')
    assert TEXT[start:end] == "Schluss „Zitat hier“ ende."
    assert LocatingSource(TEXT).find_all("nicht im Text") == []
    assert LocatingSource(TEXT).find_all("   ") == []


def test_intervals_overlap_only_when_they_share_a_character() -> None:
    assert intervals_overlap((0, 5), (4, 9))
    assert intervals_overlap((2, 3), (0, 10))
    assert not intervals_overlap((0, 5), (5, 9))  # touching is not overlapping
    assert not overlaps_any(None, [(0, 100)])


def test_a_prediction_uses_its_own_span_else_the_first_occurrence() -> None:
    source = LocatingSource(TEXT)
    second = TEXT.rindex("Putin")
    with_span = meeting("Putin traf Xi in Peking.", A, B, span={"start": second, "end": second + 24})
    assert prediction_span(with_span, source) == (second, second + 24)
    without = meeting("Putin traf Xi in Peking.", A, B)
    assert prediction_span(without, source) == (TEXT.index("Putin"), TEXT.index("Putin") + 24)
    invented = meeting("Putin traf Biden in Genf.", A, B)
    assert prediction_span(invented, source) is None


def test_a_span_that_no_longer_holds_the_quote_is_not_trusted() -> None:
    source = LocatingSource(TEXT)
    first = (TEXT.index("Putin"), TEXT.index("Putin") + 24)
    beyond = meeting("Putin traf Xi in Peking.", A, B, span={"start": 500, "end": 524})
    assert prediction_span(beyond, source) == first
    shifted = meeting("Putin traf Xi in Peking.", A, B, span={"start": 0, "end": 24})
    assert prediction_span(shifted, source) == first
    normalised = meeting(
        'Schluss "Zitat hier" ende.', A, B, span={"start": TEXT.index("Schluss"), "end": len(TEXT)}
    )
    assert prediction_span(normalised, source) == (TEXT.index("Schluss"), len(TEXT))


def test_gold_evidence_is_every_occurrence_of_quote_and_alt_quotes() -> None:
    gold = meeting("Putin traf Xi in Peking.", A, B, gold=True, alt_quotes=["Zitat hier"])
    spans = gold_spans(gold, LocatingSource(TEXT))
    assert len(spans) == 3
    assert TEXT[spans[-1][0] : spans[-1][1]] == "Zitat hier"


words = st.lists(st.sampled_from(["Putin", "traf", "Xi", "in", "Peking", "und", "Minsk", "."]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(words, words, st.sampled_from([" ", "  ", "\n", "\u00a0"]))
def test_a_planted_quote_is_found_where_it_was_planted(before: list[str], after: list[str], gap: str) -> None:
    quote = "Lawrow besuchte Teheran am Montag"
    prefix = " ".join(before) + " "
    text = prefix + quote.replace(" ", gap) + " " + " ".join(after)
    spans = LocatingSource(text).find_all(quote)
    assert spans == [(len(prefix), len(prefix) + len(quote.replace(" ", gap)))]

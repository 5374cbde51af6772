"""Cutting text under overlapping spans: segments tile the text and carry exactly their covers."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.report.segments import Segment, segment


@st.composite
def overlapping_spans(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    length = draw(st.integers(min_value=0, max_value=120))
    points = st.integers(min_value=0, max_value=length)
    pairs = draw(st.lists(st.tuples(points, points), max_size=12))
    return length, [(min(a, b), max(a, b)) for a, b in pairs]


@st.composite
def disjoint_spans(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    length = draw(st.integers(min_value=1, max_value=120))
    cuts = sorted(draw(st.sets(st.integers(min_value=0, max_value=length), max_size=16)))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    return length, draw(st.permutations(spans))


def check_segments(length: int, spans: list[tuple[int, int]], segments: list[Segment]) -> None:
    # They tile [0, length) exactly: contiguous, in order, none empty.
    assert [s.start for s in segments[:1]] == ([0] if length else [])
    assert [s.end for s in segments[-1:]] == ([length] if length else [])
    for before, after in pairwise(segments):
        assert before.end == after.start
    assert all(s.start < s.end for s in segments)
    # Each segment is covered by exactly the spans that cover every one of its characters.
    for seg in segments:
        assert list(seg.covers) == sorted(seg.covers)
        for position in range(seg.start, seg.end):
            assert set(seg.covers) == {i for i, (start, end) in enumerate(spans) if start <= position < end}
    # Maximal: neighbours differ, or the boundary would be pointless.
    for before, after in pairwise(segments):
        assert before.covers != after.covers


@given(overlapping_spans())
def test_overlapping_spans_are_segmented_exactly(case: tuple[int, list[tuple[int, int]]]) -> None:
    length, spans = case
    check_segments(length, spans, segment(length, spans))


@given(disjoint_spans())
def test_disjoint_spans_are_segmented_exactly(case: tuple[int, list[tuple[int, int]]]) -> None:
    length, spans = case
    segments = segment(length, spans)
    check_segments(length, spans, segments)
    assert all(len(s.covers) <= 1 for s in segments)


@given(overlapping_spans())
def test_a_spans_segments_spell_its_text(case: tuple[int, list[tuple[int, int]]]) -> None:
    length, spans = case
    text = "".join(chr(0x41 + (i * 7) % 50) for i in range(length))
    segments = segment(length, spans)
    for index, (start, end) in enumerate(spans):
        assert "".join(text[s.start : s.end] for s in segments if index in s.covers) == text[start:end]


def test_a_three_way_overlap() -> None:
    assert segment(10, [(0, 6), (2, 8), (4, 5)]) == [
        Segment(0, 2, (0,)),
        Segment(2, 4, (0, 1)),
        Segment(4, 5, (0, 1, 2)),
        Segment(5, 6, (0, 1)),
        Segment(6, 8, (1,)),
        Segment(8, 10, ()),
    ]


@pytest.mark.parametrize("span", [(-1, 3), (3, 2), (0, 11)])
def test_a_span_outside_the_text_is_refused(span: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="not within a text of length 10"):
        segment(10, [span])

"""Cutting a text into nested-free segments under a set of possibly overlapping spans.

A highlight that overlaps another cannot be drawn as nested `<mark>` elements without breaking
one of them; instead the text is split at every span boundary. Each resulting segment is
covered by a fixed set of spans, so the page draws one flat element per segment and records
which spans cover it. Concatenating, in order, the segments covered by a span gives back
exactly `text[start:end]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class Segment:
    """`text[start:end]`, covered by the spans whose indices are in `covers` (ascending)."""

    start: int
    end: int
    covers: tuple[int, ...]


def segment(length: int, spans: Sequence[tuple[int, int]]) -> list[Segment]:
    """Tile `[0, length)` with maximal segments whose covering span set is constant.

    `spans[i] = (start, end)` covers the characters `start <= p < end`; empty spans cover
    nothing and leave no trace. Raises ValueError for a span outside the text or reversed.
    Segments are returned in text order, contiguous, none empty; a text of length 0 has none.
    """
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(spans):
        if not 0 <= start <= end <= length:
            raise ValueError(f"span {index} ({start}, {end}) is not within a text of length {length}")
        if start == end:
            continue
        opens.setdefault(start, []).append(index)
        closes.setdefault(end, []).append(index)
    points = sorted({0, length, *opens, *closes})
    active: set[int] = set()
    segments: list[Segment] = []
    for start, end in pairwise(points):
        active.difference_update(closes.get(start, ()))
        active.update(opens.get(start, ()))
        segments.append(Segment(start, end, tuple(sorted(active))))
    return segments

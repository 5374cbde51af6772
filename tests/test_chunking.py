"""Chunking long documents, and halving a chunk whose answer was truncated."""

from __future__ import annotations

import itertools

from claims.backend import Chunk
from claims.chunking import split_in_two, split_into_chunks


def test_chunks_cover_the_text_at_boundaries_with_overlap() -> None:
    text = "\n\n".join(f"Absatz {i}. " + "Ein Satz über nichts. " * 20 for i in range(20))
    chunks = split_into_chunks("d", text, max_chars=1500, overlap=200)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end, "consecutive chunks overlap"
        assert text[before.end - 1] in " \n", "a chunk ends at a boundary"
    assert all(text[c.start : c.end] == c.text and len(c.text) <= 1500 for c in chunks)


def test_split_in_two_cuts_at_the_strongest_boundary_near_the_middle() -> None:
    text = "Erster Satz hier. Zweiter Satz dort.\n\nDritter Satz. Vierter Satz am Ende."
    chunk = Chunk("d", 3, 100, 100 + len(text), text)
    halves = split_in_two(chunk)
    assert halves is not None
    first, second = halves
    assert first.text + second.text == text
    assert first.text.endswith("\n\n")
    assert (first.start, first.end, second.start, second.end) == (
        100,
        100 + len(first.text),
        first.end,
        chunk.end,
    )
    assert first.index == second.index == 3


def test_split_in_two_gives_up_without_a_boundary() -> None:
    assert split_in_two(Chunk("d", 0, 0, 20, "Unzerteilbareswort!!")) is None

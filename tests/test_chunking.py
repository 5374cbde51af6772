"""Long texts split into overlapping chunks at boundaries; a truncated chunk halves at one."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.backends.protocol import Chunk
from claims.chunking import split_in_two, split_into_chunks


def test_a_short_text_is_one_chunk_and_an_empty_one_none() -> None:
    assert [(c.start, c.end) for c in split_into_chunks("d", "Kurz.", 100, 10)] == [(0, 5)]
    assert split_into_chunks("d", "  \n ", 100, 10) == []


def test_chunks_end_at_paragraph_boundaries_when_there_are_some() -> None:
    paragraph = "Satz eins ist hier. Satz zwei ist da.\n\n"
    text = paragraph * 20
    chunks = split_into_chunks("d", text, 200, 40)
    assert len(chunks) > 1
    for chunk in chunks[:-1]:
        assert chunk.text.endswith("\n\n")
    assert chunks[-1].end == len(text)


sentences = st.lists(
    st.text(alphabet="abcdef ", min_size=1, max_size=60).map(lambda s: s.strip() + "."),
    min_size=1,
    max_size=80,
)


@given(sentences, st.integers(50, 400), st.data())
@settings(max_examples=200)
def test_chunks_cover_the_text_in_order_and_match_their_offsets(
    parts: list[str], max_chars: int, data: st.DataObject
) -> None:
    text = " ".join(parts)
    overlap = data.draw(st.integers(0, max_chars // 2))
    chunks = split_into_chunks("d", text, max_chars, overlap)
    if not text.strip():
        return
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert len(chunk.text) <= max_chars
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start <= before.end  # no gap, always progress
    assert [c.index for c in chunks] == list(range(len(chunks)))


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

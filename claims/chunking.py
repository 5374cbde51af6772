"""Splitting long documents into overlapping chunks at paragraph and sentence boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_CHUNK_CHARS = 6000
DEFAULT_OVERLAP_CHARS = 600
_BOUNDARY = re.compile(r"\n\s*\n|\n|(?<=[.!?…])\s+")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a document's text and where it sits in the original."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str


def split_into_chunks(
    doc_id: str, text: str, max_chars: int = DEFAULT_CHUNK_CHARS, overlap: int = DEFAULT_OVERLAP_CHARS
) -> list[Chunk]:
    """Cut `text` into chunks of at most `max_chars`, ending at the best boundary available
    (blank line, then line break, then sentence end), each starting up to `overlap` characters
    before the previous one ended so that a sentence cut in one chunk is whole in the next."""
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    if overlap < 0 or overlap >= max_chars:
        raise ValueError("overlap must be at least 0 and less than max_chars")
    if len(text) <= max_chars:
        return [Chunk(doc_id, 0, 0, len(text), text)] if text.strip() else []
    chunks: list[Chunk] = []
    start = 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            end = _best_cut(text, start, end)
        chunks.append(Chunk(doc_id, len(chunks), start, end, text[start:end]))
        if end >= len(text):
            break
        start = max(_next_start(text, end - overlap, end), start + 1)
    return chunks


def _best_cut(text: str, start: int, limit: int) -> int:
    """The end of the last boundary in the chunk's second half, by strength of the boundary."""
    window_start = start + (limit - start) // 2
    window = text[window_start:limit]
    for pattern in (r"\n\s*\n", r"\n", r"(?<=[.!?…])\s+"):
        cuts = [m.end() for m in re.finditer(pattern, window)]
        if cuts:
            return window_start + cuts[-1]
    spaces = [m.end() for m in re.finditer(r"\s+", window)]
    return window_start + spaces[-1] if spaces else limit


def _next_start(text: str, lower: int, end: int) -> int:
    """Start the next chunk at the first boundary after `lower`, so it begins with a whole sentence."""
    lower = max(lower, 0)
    match = _BOUNDARY.search(text, lower, end)
    return match.end() if match else lower


def split_in_two(chunk: Chunk) -> tuple[Chunk, Chunk] | None:
    """Cut a chunk in two at the strongest boundary near its middle (blank line, line break,
    sentence end, then any space), for a chunk whose answer did not fit the token limit.
    None when there is no boundary in its middle half (nothing sensible to cut)."""
    text = chunk.text
    low, high = len(text) // 4, (3 * len(text)) // 4
    middle = len(text) // 2
    for pattern in (r"\n\s*\n", r"\n", r"(?<=[.!?…])\s+", r"\s+"):
        cuts = [low + m.end() for m in re.finditer(pattern, text[low:high])]
        cuts = [cut for cut in cuts if 0 < cut < len(text) and text[cut:].strip() and text[:cut].strip()]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - middle))
            return (
                Chunk(chunk.doc_id, chunk.index, chunk.start, chunk.start + cut, text[:cut]),
                Chunk(chunk.doc_id, chunk.index, chunk.start + cut, chunk.end, text[cut:]),
            )
    return None

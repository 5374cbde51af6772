"""The documented normalisation under which a quote still counts as verbatim, with an offset map.

Only these differences are forgiven: Unicode NFC; runs of whitespace (newlines, NBSP and other
Unicode spaces) as one space; typographic quotes „“”‚‘’«»‹› as straight ones; dashes –—‑ as a
hyphen; soft hyphens and zero-width characters dropped. Nothing else: case, spelling, words and
punctuation must match. Normalising a text also records how to map every offset back into the
original, so a match found in normalised text yields `text[start:end]` of the source.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

DOUBLE_QUOTES = "„“”‟«»"
SINGLE_QUOTES = "‚‘’‛‹›"
DASHES = "‐‑‒–—―−"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_CHAR_MAP = str.maketrans(
    {**dict.fromkeys(DOUBLE_QUOTES, '"'), **dict.fromkeys(SINGLE_QUOTES, "'"), **dict.fromkeys(DASHES, "-")}
)
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# One pass finds what changes length: a base letter with combining marks (NFC may fuse them),
# or a run of whitespace and invisible characters (one space, or nothing if no whitespace).
_LENGTH_CHANGES = re.compile(rf"(?P<comb>[^\s{INVISIBLE}][{_COMBINING}]+)|(?P<ws>[\s{INVISIBLE}]+)")


def normalize_string(text: str) -> str:
    """Normalise a string (a quote) the way documents are normalised, without an offset map."""
    return NormalizedText.of(text).text.strip()


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised text and the map from its offsets back to the original's.

    Every character of `text` comes either from a copied stretch of the original (one to one)
    or from a replaced group (a whitespace run, a combining sequence). Only replaced groups are
    stored, so the map costs memory in proportion to the changes, not to the text.
    """

    original: str
    text: str
    _norm_starts: tuple[int, ...]
    _norm_ends: tuple[int, ...]
    _orig_starts: tuple[int, ...]
    _orig_ends: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> NormalizedText:
        """Normalise `original` in one linear pass."""
        pieces: list[str] = []
        norm_starts: list[int] = []
        norm_ends: list[int] = []
        orig_starts: list[int] = []
        orig_ends: list[int] = []
        copied_to = 0
        length = 0
        for match in _LENGTH_CHANGES.finditer(original):
            group = match.group()
            if match.lastgroup == "ws":
                replacement = " " if any(ch.isspace() for ch in group) else ""
            else:
                replacement = unicodedata.normalize("NFC", group)
            if replacement == group:
                continue
            start, end = match.span()
            pieces.append(original[copied_to:start])
            length += start - copied_to
            norm_starts.append(length)
            orig_starts.append(start)
            pieces.append(replacement)
            length += len(replacement)
            norm_ends.append(length)
            orig_ends.append(end)
            copied_to = end
        pieces.append(original[copied_to:])
        text = "".join(pieces).translate(_CHAR_MAP)
        if not unicodedata.is_normalized("NFC", text):
            return cls._of_slow(original)
        return cls(original, text, tuple(norm_starts), tuple(norm_ends), tuple(orig_starts), tuple(orig_ends))

    @classmethod
    def _of_slow(cls, original: str) -> NormalizedText:
        """Fallback for scripts whose composition the fast pass does not see (e.g. Hangul jamo).

        Groups each starter with what follows it until the next starter, and NFC-normalises
        group by group; the map then points into whole groups.
        """
        norm_starts: list[int] = []
        norm_ends: list[int] = []
        orig_starts: list[int] = []
        orig_ends: list[int] = []
        pieces: list[str] = []
        length = 0
        groups = _starter_groups(original)
        for start, end in groups:
            group = original[start:end]
            if all(ch in INVISIBLE or ch.isspace() for ch in group):
                replacement = " " if any(ch.isspace() for ch in group) else ""
            else:
                replacement = unicodedata.normalize("NFC", group)
            norm_starts.append(length)
            orig_starts.append(start)
            pieces.append(replacement)
            length += len(replacement)
            norm_ends.append(length)
            orig_ends.append(end)
        text = "".join(pieces).translate(_CHAR_MAP)
        return cls(original, text, tuple(norm_starts), tuple(norm_ends), tuple(orig_starts), tuple(orig_ends))

    def original_start(self, position: int) -> int:
        """Offset in the original of the character at normalised `position`."""
        index = bisect_right(self._norm_starts, position) - 1
        if index >= 0 and position < self._norm_ends[index]:
            return self._orig_starts[index]
        delta = self._orig_ends[index] - self._norm_ends[index] if index >= 0 else 0
        return position + delta

    def original_end(self, position: int) -> int:
        """Offset in the original just past the character at normalised `position`."""
        index = bisect_right(self._norm_starts, position) - 1
        if index >= 0 and position < self._norm_ends[index]:
            return self._orig_ends[index]
        delta = self._orig_ends[index] - self._norm_ends[index] if index >= 0 else 0
        return position + delta + 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty normalised span [start, end) to the original text."""
        return self.original_start(start), self.original_end(end - 1)

    def normalized_position(self, original_position: int) -> int:
        """The normalised offset of the first character at or after an original offset."""
        index = bisect_right(self._orig_starts, original_position) - 1
        if index >= 0 and original_position < self._orig_ends[index]:
            return self._norm_starts[index]
        delta = self._orig_ends[index] - self._norm_ends[index] if index >= 0 else 0
        return original_position - delta


def _starter_groups(text: str) -> list[tuple[int, int]]:
    """Split text into runs that NFC can treat independently; whitespace runs stay together."""
    groups: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text):
            groups.append((start, index))
            break
        ch, prev = text[index], text[index - 1]
        prev_blank = prev.isspace() or prev in INVISIBLE
        blank = ch.isspace() or ch in INVISIBLE
        if prev_blank and blank:
            continue
        if blank or prev_blank or (unicodedata.combining(ch) == 0 and not _composes(prev, ch)):
            groups.append((start, index))
            start = index
    return groups


def _composes(first: str, second: str) -> bool:
    return len(unicodedata.normalize("NFC", first + second)) < 2

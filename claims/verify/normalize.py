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
from typing import Any

DOUBLE_QUOTES = "„“”‟«»"
SINGLE_QUOTES = "‚‘’‛‹›"
DASHES = "‐‑‒–—―−"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_WHITESPACE_CHARS = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
# One character for one character: quotes, dashes, and a lone whitespace character as a space.
_CHAR_MAP = str.maketrans(
    {
        **dict.fromkeys(DOUBLE_QUOTES, '"'),
        **dict.fromkeys(SINGLE_QUOTES, "'"),
        **dict.fromkeys(DASHES, "-"),
        **dict.fromkeys(_WHITESPACE_CHARS, " "),
    }
)
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# One pass finds what changes length: a base letter with combining marks (NFC may fuse them),
# or a run of whitespace and invisible characters (one space, or nothing if no whitespace).
# What changes the length: runs of whitespace and invisibles, and lone invisibles. (A lone
# whitespace character keeps its length: the character map turns it into a space.)
_WHITESPACE = rf"(?P<ws>[\s{INVISIBLE}]{{2,}}|[{INVISIBLE}])"
_HAS_COMBINING = re.compile(rf"[{_COMBINING}]")
_LENGTH_CHANGES = re.compile(rf"(?P<comb>[^\s{INVISIBLE}][{_COMBINING}]+)|{_WHITESPACE}")
_LENGTH_CHANGES_NO_MARKS = re.compile(_WHITESPACE)  # most texts: no combining marks to look for
_INVISIBLE_RUN = re.compile(rf"[{INVISIBLE}]+")
_SPACE_RUN = re.compile(r"\s+")


_MAPPED = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_MAP if chr(c) != " ")) + "]")
"""A character the map changes (a space maps to itself)."""
_SPACE_CHANGES = re.compile(r"\s{2,}|[^\S ]")
"""Whitespace the space-run rule changes: a run, or one character other than a space."""


def normalize_string(text: str) -> str:
    """Normalise a string (a quote) exactly as documents are normalised, without an offset map.

    Each step runs only if a cheap search finds something for it to change (most quotes: nothing),
    since every quote of every claim passes through here."""
    text = _INVISIBLE_RUN.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _SPACE_CHANGES.search(text):
        text = _SPACE_RUN.sub(" ", text)
    if _MAPPED.search(text):
        text = text.translate(_CHAR_MAP)
    return text.strip()


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
        pattern = _LENGTH_CHANGES if _HAS_COMBINING.search(original) else _LENGTH_CHANGES_NO_MARKS
        for match in pattern.finditer(original):
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
        """Fallback for compositions the fast pass does not see (Hangul jamo, singletons, marks
        separated from their base by an invisible character).

        Drops invisibles first, then groups each starter with what composes with it; every
        group is one replaced segment, so the map points into whole groups.
        """
        groups: list[list[Any]] = []  # [original start, original end, characters, is blank]
        for index, ch in enumerate(original):
            if ch in INVISIBLE:
                continue
            blank = ch.isspace()
            if groups:
                last = groups[-1]
                same_blank_run = last[3] and blank
                joins = not last[3] and not blank and (unicodedata.combining(ch) or _composes(last[2], ch))
                if same_blank_run or joins:
                    last[1] = index + 1
                    last[2] += ch
                    continue
            groups.append([index, index + 1, ch, blank])
        norm_starts: list[int] = []
        norm_ends: list[int] = []
        orig_starts: list[int] = []
        orig_ends: list[int] = []
        pieces: list[str] = []
        length = 0
        for orig_start, orig_end, chars, blank in groups:
            replacement = " " if blank else unicodedata.normalize("NFC", chars)
            norm_starts.append(length)
            orig_starts.append(orig_start)
            pieces.append(replacement)
            length += len(replacement)
            norm_ends.append(length)
            orig_ends.append(orig_end)
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

    def cuts_group(self, position: int) -> bool:
        """Whether normalised `position` falls strictly inside one replaced group (between a letter
        NFC fused with a mark and a further mark of the same group): no original offset is there."""
        index = bisect_right(self._norm_starts, position) - 1
        return index >= 0 and self._norm_starts[index] < position < self._norm_ends[index]

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


def _composes(group: str, following: str) -> bool:
    """Whether NFC merges `following` into `group` (so they must be normalised together)."""
    return unicodedata.normalize("NFC", group + following) != unicodedata.normalize("NFC", group) + following

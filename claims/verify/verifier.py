"""The verifier: a proposed claim survives only if its quote is really in the source.

A quote is looked up exactly, or after the normalisation documented in `claims.verify.normalize`, and
its span in the *original* text is recorded. Anything looser is rejected as `not_found`, with the
closest near-miss attached for the reviewer. Each document is normalised and indexed once; a
lookup costs the quote's length plus the occurrences of its rarest word, so verifying is linear
in text + quotes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from rapidfuzz.fuzz import ratio

from claims.schema import (
    PROPOSED_CLAIM_ADAPTER,
    VERIFIED_CLAIM_ADAPTER,
    MatchKind,
    NearMiss,
    ProposedClaim,
    Provenance,
    RejectedClaim,
    Span,
    VerifiedClaim,
    actor_key,
    actors_of,
    claim_id,
)
from claims.validation import first_error
from claims.verify.field_support import unsupported_fields
from claims.verify.normalize import NormalizedText, normalize_string

MIN_QUOTE_WORDS = 3
NEAR_MISS_VOTES = 64
"""Occurrences of the quote's words, rarest words first, that vote for where a near miss starts."""
NEAR_MISS_STARTS = 4
"""The best-voted starts whose windows are scored."""
KEY_CHARS = 32
_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"\b\w")


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """Where a quote was found: the chosen occurrence's original span, and how many there are."""

    start: int
    end: int
    match: MatchKind
    occurrences: int


def quote_word_count(quote: str) -> int:
    """Words as a reader counts them: whitespace-separated pieces that contain a letter or digit."""
    return sum(1 for piece in quote.split() if _WORD.search(piece))


class SourceText:
    """One document, normalised once and indexed, ready for many quote lookups.

    Two indexes over the normalised text, built on first use: every word's start offsets, and
    the start offsets of every `KEY_CHARS`-long stretch that begins at a word. A quote is looked
    up by the key at one of its inner word starts (few candidates even in repetitive text), or,
    if it is too short for a key, by its rarest inner word; each candidate is then compared in full.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalized = NormalizedText.of(text)
        self._postings: dict[str, list[int]] | None = None
        self._keys: dict[int, int | list[int]] | None = None
        self._word_starts: list[int] | None = None

    @property
    def postings(self) -> dict[str, list[int]]:
        """Word numbers (the n-th word of the normalised text) of every word; `word_starts[n]` is
        where word n starts."""
        if self._postings is None:
            postings: dict[str, list[int]] = {}
            starts: list[int] = []
            for number, match in enumerate(_WORD.finditer(self.normalized.text)):
                starts.append(match.start())
                postings.setdefault(match.group(), []).append(number)
            self._postings, self._word_starts = postings, starts
        return self._postings

    @property
    def keys(self) -> dict[int, int | list[int]]:
        """Start offsets of the `KEY_CHARS` characters that follow each word start, by the hash of
        those characters (a collision only adds a candidate; every candidate is compared in full).
        A key seen once holds its offset alone, which saves a list per word of the text."""
        if self._keys is None:
            haystack = self.normalized.text
            keys: dict[int, int | list[int]] = {}
            for start in _word_starts(haystack):
                key = hash(haystack[start : start + KEY_CHARS])
                found = keys.get(key)
                if found is None:
                    keys[key] = start
                elif isinstance(found, int):
                    keys[key] = [found, start]
                else:
                    found.append(start)
            self._keys = keys
        return self._keys

    def _key_candidates(self, key: str) -> list[int]:
        found = self.keys.get(hash(key))
        if found is None:
            return []
        return [found] if isinstance(found, int) else found

    def find(self, quote: str, near: tuple[int, int] | None = None) -> QuoteMatch | None:
        """Find `quote`; with several occurrences, take the one nearest the `near` span."""
        needle = normalize_string(quote)
        if not needle:
            return None
        # An occurrence that begins or ends inside a fused group (the quote's "ǘ" in the text's
        # "ǘ" + a further accent) is not the quote: the text's character there is another one.
        cuts = self.normalized.cuts_group
        occurrences = self._normalized_occurrences(needle)
        starts = [s for s in occurrences if not cuts(s) and not cuts(s + len(needle))]
        if not starts:
            return None
        spans = [self.normalized.original_span(s, s + len(needle)) for s in starts]
        start, end = min(spans, key=lambda span: (_distance(span, near), span[0]))
        kind: MatchKind = "exact" if self.text[start:end] == quote.strip() else "normalized"
        return QuoteMatch(start, end, kind, len(spans))

    def _normalized_occurrences(self, needle: str) -> list[int]:
        haystack = self.normalized.text
        anchor = self._rarest_key(needle) or self._rarest_interior_word(needle)
        if anchor is None:
            return _all_occurrences(haystack, needle)
        candidates, offset = anchor
        return [p - offset for p in candidates if p >= offset and haystack.startswith(needle, p - offset)]

    def _inner_word_starts(self, needle: str) -> Iterator[re.Match[str]]:
        """Words whole inside the needle (its first and last may be cut-off parts of longer words),
        lazily: the first key that is rare enough ends the search."""
        return (m for m in _WORD.finditer(needle) if m.start() > 0 and m.end() < len(needle))

    def _rarest_key(self, needle: str) -> tuple[list[int], int] | None:
        best: tuple[list[int], int] | None = None
        for match in self._inner_word_starts(needle):
            offset = match.start()
            if offset + KEY_CHARS > len(needle):
                break
            found = self._key_candidates(needle[offset : offset + KEY_CHARS])
            if best is None or len(found) < len(best[0]):
                best = (found, offset)
                if len(found) <= 1:
                    break
        return best

    def _rarest_interior_word(self, needle: str) -> tuple[list[int], int] | None:
        best: tuple[list[int], int] | None = None
        for match in self._inner_word_starts(needle):
            found = self.postings.get(match.group(), [])
            if best is None or len(found) < len(best[0]):
                best = (found, match.start())
                if not found:
                    break
        if best is None:
            return None
        starts = self.word_starts
        return [starts[number] for number in best[0]], best[1]

    @property
    def word_starts(self) -> list[int]:
        """Start offsets of the normalised text's words, in order (built with the postings)."""
        if self._word_starts is None:
            _ = self.postings
        assert self._word_starts is not None
        return self._word_starts

    def near_miss(self, quote: str) -> NearMiss | None:
        """The span most similar to a quote that was not found (diagnostics only, never evidence).

        Each occurrence of a quote word votes for the text word where the quote would start if that
        word were in its place (word numbers, so an edited word of another length shifts nothing);
        the windows of the quote's word count at the best-voted starts are scored by their Indel
        similarity to the quote (rapidfuzz `ratio`: 2·LCS / total length), the best one is kept.
        """
        needle = normalize_string(quote)
        haystack = self.normalized.text
        if not needle or not haystack:
            return None
        quote_words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(needle)]
        if not quote_words:
            return None
        postings = self.postings
        by_rarity = sorted(
            (len(postings.get(word, ())), j, word) for j, (word, _, _) in enumerate(quote_words)
        )
        starts = self.word_starts
        votes: list[int] = []  # a start (word number) per occurrence of a quote word
        for count, j, word in by_rarity:
            if len(votes) >= NEAR_MISS_VOTES:
                break
            if count:
                for number in postings[word][: NEAR_MISS_VOTES - len(votes)]:
                    votes.append(number - j if number > j else 0)
        if not votes:
            return None
        lead = quote_words[0][1]  # what stands before the first word (an opening quote mark)
        trail = len(needle) - quote_words[-1][2]  # and after the last (a full stop)
        best: tuple[float, int, int] | None = None
        for first, _ in Counter(votes).most_common(NEAR_MISS_STARTS):  # ties: the rarer word's vote first
            last_start = starts[min(first + len(quote_words) - 1, len(starts) - 1)]
            last = _WORD.match(haystack, last_start)
            n_start = max(0, starts[first] - lead)
            n_end = min(len(haystack), (last.end() if last else last_start + 1) + trail)
            score = ratio(needle, haystack[n_start:n_end]) / 100
            if best is None or score > best[0]:
                best = (score, n_start, n_end)
        assert best is not None
        score, n_start, n_end = best
        start, end = self.normalized.original_span(n_start, n_end)
        return NearMiss(
            span=Span(start=start, end=end), text=self.text[start:end], similarity=round(score, 3)
        )


def _word_starts(text: str) -> list[int]:
    return [match.start() for match in _WORD_START.finditer(text)]


def _all_occurrences(haystack: str, needle: str) -> list[int]:
    starts: list[int] = []
    position = haystack.find(needle)
    while position != -1:
        starts.append(position)
        position = haystack.find(needle, position + 1)
    return starts


def _distance(span: tuple[int, int], near: tuple[int, int] | None) -> int:
    if near is None:
        return 0
    if span[1] <= near[0]:
        return near[0] - span[1]
    if span[0] >= near[1]:
        return span[0] - near[1]
    return 0


@dataclass
class Verifier:
    """Verifies proposed claims against a set of documents, normalising each document once."""

    documents: dict[str, str]
    strict: bool = False
    _sources: dict[str, SourceText] = field(default_factory=dict, repr=False)

    def source(self, doc_id: str) -> SourceText | None:
        if doc_id not in self.documents:
            return None
        if doc_id not in self._sources:
            self._sources[doc_id] = SourceText(self.documents[doc_id])
        return self._sources[doc_id]

    def verify(
        self,
        doc_id: str,
        claim: ProposedClaim,
        provenance: Provenance,
        near: tuple[int, int] | None = None,
    ) -> VerifiedClaim | RejectedClaim:
        """Keep the claim with its span if its quote is in the document, else say why not."""
        proposed = claim.model_dump(mode="json")
        source = self.source(doc_id)
        if source is None:
            return RejectedClaim(
                doc_id=doc_id,
                reason="unknown_document",
                detail=f"no document with id {doc_id!r} in the source",
                claim=proposed,
                provenance=provenance,
            )
        if quote_word_count(claim.quote) < MIN_QUOTE_WORDS:
            return RejectedClaim(
                doc_id=doc_id,
                reason="too_short",
                detail=f"a quote needs at least {MIN_QUOTE_WORDS} words to be evidence",
                claim=proposed,
                provenance=provenance,
            )
        found = source.find(claim.quote, near)
        if found is None:
            return RejectedClaim(
                doc_id=doc_id,
                reason="not_found",
                detail="the quote is not in the source, even after normalisation",
                claim=proposed,
                near_miss=source.near_miss(claim.quote),
                provenance=provenance,
            )
        missing = unsupported_fields(claim, source.text, found.start, found.end)
        if missing and self.strict:
            return RejectedClaim(
                doc_id=doc_id,
                reason="unsupported_fields",
                detail="not found in or near the quote: " + ", ".join(missing),
                claim=proposed,
                unsupported_fields=missing,
                provenance=provenance,
            )
        span = Span(start=found.start, end=found.end)
        record: dict[str, Any] = {
            **proposed,
            "quote": source.text[found.start : found.end],
            "doc_id": doc_id,
            "claim_id": claim_id(doc_id, claim.type, span, [actor_key(a) for a in actors_of(claim)]),
            "span": span.model_dump(),
            "match": found.match,
            "occurrences": found.occurrences,
            "unsupported_fields": missing,
            "provenance": provenance.model_dump(),
        }
        return VERIFIED_CLAIM_ADAPTER.validate_python(record)

    def verify_raw(self, raw: dict[str, Any], provenance: Provenance) -> VerifiedClaim | RejectedClaim:
        """Verify a claim given as a JSON object with its `doc_id` (from any system)."""
        doc_id = raw.get("doc_id")
        try:
            claim = PROPOSED_CLAIM_ADAPTER.validate_python(raw)
        except ValidationError as error:
            return RejectedClaim(
                doc_id=doc_id if isinstance(doc_id, str) else None,
                reason="invalid",
                detail=first_error(error, default="claim"),
                claim=raw,
                provenance=provenance,
            )
        if not isinstance(doc_id, str):
            return RejectedClaim(
                doc_id=None,
                reason="invalid",
                detail="the claim has no doc_id",
                claim=raw,
                provenance=provenance,
            )
        return self.verify(doc_id, claim, provenance)

    def verify_all(
        self, raws: Iterable[dict[str, Any]], provenance: Provenance
    ) -> Iterable[VerifiedClaim | RejectedClaim]:
        for raw in raws:
            yield self.verify_raw(raw, provenance)

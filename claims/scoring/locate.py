"""Where a claim's evidence sits in its source, so that "the quotes overlap" can be decided.

A prediction's evidence is one span: the `span` a verified record carries (if the text there is
still its quote), or else the first occurrence of its quote, located the way the verifier locates
it (`claims.verify.verifier.SourceText`, the documented normalisation). Merged mentions (`alt_spans`) are
not evidence here: ANNOTATION.md compares "the prediction's span". A gold claim's evidence is
every occurrence of its quote and of each alt_quote: the labeller copied a sentence, and if the
text repeats it, each copy states the claim. Two pieces of evidence overlap when their character
intervals intersect.
"""

from __future__ import annotations

from claims.scoring.records import EvalClaim
from claims.verify.normalize import normalize_string
from claims.verify.verifier import SourceText

Interval = tuple[int, int]


class LocatingSource(SourceText):
    """A source that can also list every occurrence of a quote (the verifier needs only one)."""

    def find_all(self, quote: str) -> list[Interval]:
        """Original-text spans of every occurrence of `quote`, after the verifier's normalisation."""
        needle = normalize_string(quote)
        if not needle:
            return []
        return [
            self.normalized.original_span(start, start + len(needle))
            for start in self._normalized_occurrences(needle)
        ]


def intervals_overlap(a: Interval, b: Interval) -> bool:
    """Whether two half-open character intervals share at least one character."""
    return max(a[0], b[0]) < min(a[1], b[1])


def prediction_span(claim: EvalClaim, source: LocatingSource) -> Interval | None:
    """The prediction's own span if it still holds its quote (a record from another version of the
    text may not), else the quote's first occurrence; None when the quote is not in the source."""
    if claim.span is not None:
        start, end = claim.span
        if end <= len(source.text) and normalize_string(source.text[start:end]) == normalize_string(
            claim.claim.quote
        ):
            return claim.span
    found = source.find(claim.claim.quote)
    return None if found is None else (found.start, found.end)


def gold_spans(claim: EvalClaim, source: LocatingSource) -> list[Interval]:
    """Every occurrence of the gold quote and of its alt_quotes (empty if none is in the source)."""
    spans: list[Interval] = []
    for quote in (claim.claim.quote, *claim.alt_quotes):
        spans.extend(source.find_all(quote))
    return sorted(set(spans))


def overlaps_any(span: Interval | None, spans: list[Interval]) -> bool:
    return span is not None and any(intervals_overlap(span, other) for other in spans)

"""The `rules` backend: the deterministic, offline extractor behind the `Backend` protocol.

It needs no network, no key and no model: the default when no LLM endpoint is configured and
the baseline row of every evaluation. A document is analysed once, whole (pronouns and dates need
the sentences before them); each chunk the pipeline asks about gets the claims whose sentence
lies inside it, so chunk overlaps only repeat claims the merge step folds together.
"""

from __future__ import annotations

from bisect import bisect_left

from claims.backends.protocol import Proposal, ProposalRequest, Usage
from claims.backends.rules import cues, gazetteer, lexicon
from claims.backends.rules.data import data_hash
from claims.backends.rules.extract import Extractor, SentenceClaims
from claims.schema import ProposedClaim

VERSION = "2"
"""Bumped when the rules change in code (a change of data shows in the data hash already)."""
_CACHE_SIZE = 8


class RulesBackend:
    """German and English trigger rules over a gazetteer of states and office holders."""

    name = "rules"

    def __init__(self) -> None:
        self._extractor = Extractor(gazetteer.shared(), lexicon.shared(), cues.shared())
        self._documents: dict[tuple[str, int], tuple[list[SentenceClaims], list[int]]] = {}
        """Per document: its sentences' claims in text order, and the sentences' start offsets (for
        finding a chunk's sentences by bisection, not by a scan of the document per chunk)."""

    def describe(self) -> dict[str, str | None]:
        return {"model": f"rules-{VERSION}", "endpoint": None, "mode": None, "prompt_hash": data_hash()}

    def analyse(self, text: str, published: str | None, language: str | None) -> list[SentenceClaims]:
        """Claims of every sentence of a document (no chunking, no verification)."""
        return self._extractor.document(text, published, language)

    async def propose(self, request: ProposalRequest) -> Proposal:
        document = request.document
        key = (document.id, hash(document.text))
        if key not in self._documents:
            if len(self._documents) >= _CACHE_SIZE:
                self._documents.pop(next(iter(self._documents)))
            analysed = self.analyse(document.text, document.published, document.language)
            self._documents[key] = (analysed, [item.sentence.start for item in analysed])
        analysed, starts = self._documents[key]
        chunk = request.chunk
        claims: list[ProposedClaim] = []
        for item in analysed[bisect_left(starts, chunk.start) :]:
            if item.sentence.start >= chunk.end:
                break  # sentences are in text order and do not overlap
            if item.sentence.end <= chunk.end:
                claims.extend(item.claims)
        return Proposal(claims=[c.model_copy(deep=True) for c in claims], usage=Usage())

    async def aclose(self) -> None:
        self._documents.clear()

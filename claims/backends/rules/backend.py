"""The `rules` backend: the deterministic, offline extractor behind the `Backend` protocol.

It needs no network, no key and no model: the default when no LLM endpoint is configured and
the baseline row of every evaluation. A document is analysed once, whole (pronouns and dates need
the sentences before them); each chunk the pipeline asks about gets the claims whose sentence
lies inside it, so chunk overlaps only repeat claims the merge step folds together.
"""

from __future__ import annotations

from claims.backends.protocol import Proposal, ProposalRequest, Usage
from claims.backends.rules import cues, gazetteer, lexicon
from claims.backends.rules.data import data_hash
from claims.backends.rules.extract import Extractor, SentenceClaims

VERSION = "2"
"""Bumped when the rules change in code (a change of data shows in the data hash already)."""
_CACHE_SIZE = 8


class RulesBackend:
    """German and English trigger rules over a gazetteer of states and office holders."""

    name = "rules"

    def __init__(self) -> None:
        self._extractor = Extractor(gazetteer.shared(), lexicon.shared(), cues.shared())
        self._documents: dict[tuple[str, int], list[SentenceClaims]] = {}

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
            self._documents[key] = self.analyse(document.text, document.published, document.language)
        chunk = request.chunk
        claims = [
            claim
            for item in self._documents[key]
            if chunk.start <= item.sentence.start and item.sentence.end <= chunk.end
            for claim in item.claims
        ]
        return Proposal(claims=[c.model_copy(deep=True) for c in claims], usage=Usage())

    async def aclose(self) -> None:
        self._documents.clear()

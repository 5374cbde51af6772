"""The evaluation of one prediction set against gold, over a set of documents.

Which documents are scored: exactly the documents given (DOCS). A document in DOCS with no gold
line is a document with zero gold claims, so every prediction for it is a false positive. Gold
lines and predictions for documents *not* in DOCS are left out and reported as warnings (so one
can score a subset of a corpus by giving that subset); if none of the gold's documents is in
DOCS, the inputs do not belong together and that is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from claims.schema import ClaimType
from claims.scoring.locate import LocatingSource, gold_spans
from claims.scoring.match import Match, PairFacts, assess_document, assign
from claims.scoring.metrics import Attributes, Counts, MatchedPair, attributes_of, total
from claims.scoring.records import EvalClaim, ScoringInputError

CLAIM_TYPES = tuple(t.value for t in ClaimType)


@dataclass
class DocumentResult:
    """One document's claims, the facts of every pair, and the chosen matching."""

    doc_id: str
    predicted: list[EvalClaim]
    gold: list[EvalClaim]
    facts: list[list[PairFacts]]
    matches: list[Match]

    def true_positives(self) -> list[MatchedPair]:
        return [
            MatchedPair(self.predicted[m.predicted], self.gold[m.gold], m.facts.quote_overlap)
            for m in self.matches
            if not self.gold[m.gold].optional
        ]

    def optional_matches(self) -> list[Match]:
        return [m for m in self.matches if self.gold[m.gold].optional]

    def false_positives(self) -> list[int]:
        """Indices of the predictions left unmatched."""
        matched = {m.predicted for m in self.matches}
        return [i for i in range(len(self.predicted)) if i not in matched]

    def false_negatives(self) -> list[int]:
        """Indices of the required gold claims left unmatched."""
        matched = {m.gold for m in self.matches}
        return [i for i, g in enumerate(self.gold) if not g.optional and i not in matched]

    def counts(self, claim_type: str | None = None) -> Counts:
        def keep(claim: EvalClaim) -> bool:
            return claim_type is None or claim.type == claim_type

        return Counts(
            tp=sum(1 for pair in self.true_positives() if keep(pair.gold)),
            fp=sum(1 for i in self.false_positives() if keep(self.predicted[i])),
            fn=sum(1 for i in self.false_negatives() if keep(self.gold[i])),
        )


@dataclass
class Evaluation:
    """Everything scored for one prediction set; the numbers are computed from it on demand."""

    documents: dict[str, DocumentResult]
    predictions: int
    skipped_predictions: list[EvalClaim] = field(default_factory=list)
    skipped_gold: list[EvalClaim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def micro(self) -> Counts:
        return total(d.counts() for d in self.documents.values())

    def per_type(self) -> dict[str, Counts]:
        return {t: total(d.counts(t) for d in self.documents.values()) for t in CLAIM_TYPES}

    def per_document(self) -> dict[str, Counts]:
        return {doc_id: d.counts() for doc_id, d in self.documents.items()}

    def true_positives(self, claim_type: str | None = None) -> list[MatchedPair]:
        return [
            pair
            for d in self.documents.values()
            for pair in d.true_positives()
            if claim_type is None or pair.gold.type == claim_type
        ]

    def attributes(self, claim_type: str | None = None) -> Attributes:
        return attributes_of(self.true_positives(claim_type))


def evaluate(
    gold: Sequence[EvalClaim], predicted: Sequence[EvalClaim], documents: Mapping[str, str]
) -> Evaluation:
    """Score `predicted` against `gold`, document by document; `documents` maps doc_id to text."""
    if gold and not any(claim.doc_id in documents for claim in gold):
        raise ScoringInputError(
            "none of the gold's documents is among the documents given; "
            "give --docs the folder (or JSONL) of the documents the gold was labelled on"
        )
    evaluation = Evaluation(documents={}, predictions=len(predicted))
    by_doc_gold: dict[str, list[EvalClaim]] = {doc_id: [] for doc_id in documents}
    by_doc_predicted: dict[str, list[EvalClaim]] = {doc_id: [] for doc_id in documents}
    for claim in gold:
        if claim.doc_id in by_doc_gold:
            by_doc_gold[claim.doc_id].append(claim)
        else:
            evaluation.skipped_gold.append(claim)
    for claim in predicted:
        if claim.doc_id in by_doc_predicted:
            by_doc_predicted[claim.doc_id].append(claim)
        else:
            evaluation.skipped_predictions.append(claim)
    for doc_id, text in documents.items():
        source = LocatingSource(text)
        doc_gold, doc_predicted = by_doc_gold[doc_id], by_doc_predicted[doc_id]
        for claim in doc_gold:
            if not gold_spans(claim, source):
                evaluation.warnings.append(
                    f"{claim.origin}: gold quote not found in document {doc_id!r}; "
                    "no prediction can overlap it (check the gold against this text)"
                )
        facts = assess_document(doc_predicted, doc_gold, source)
        evaluation.documents[doc_id] = DocumentResult(
            doc_id, doc_predicted, doc_gold, facts, assign(doc_predicted, doc_gold, facts)
        )
    for what, skipped in (
        ("gold claims", evaluation.skipped_gold),
        ("predictions", evaluation.skipped_predictions),
    ):
        if skipped:
            ids = sorted({claim.doc_id for claim in skipped})
            evaluation.warnings.append(
                f"{len(skipped)} {what} name documents not given ({', '.join(ids[:5])}"
                f"{', …' if len(ids) > 5 else ''}) and were not scored"
            )
    return evaluation

"""The summary of an evaluation: the numbers, and every error with the reason it is one.

`EvaluationSummary` is the model of `claims eval --json`; the terminal table, the Markdown report
and the review page (`claims report --eval`) are all drawn from it, so they always show the same
numbers. Shape (keys always present):

    {"label", "micro": {precision, recall, f1, tp, fp, fn}, "per_type": {TYPE: {…}},
     "per_document": {DOC_ID: {…}}, "attributes": {…, "per_type": {TYPE: {…}}},
     "grounding": {rate, verified, rejected, by_reason} | null, "totals": {…},
     "errors": {"false_positives": […], "false_negatives": […], "attribute_disagreements": […]},
     "warnings": […], "run": {…}, "events": {…} | null,
     "versus_first": {baseline, delta, low, high, level, documents, rounds, seed} | null}
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from claims.schema import Actor, ProposedArmsDelivery
from claims.scoring.compare import dates_agree, locations_agree
from claims.scoring.evaluate import CLAIM_TYPES, DocumentResult, Evaluation
from claims.scoring.grounding import Grounding
from claims.scoring.match import PairFacts
from claims.scoring.names import actors_match
from claims.scoring.records import EvalClaim
from claims.scoring.run_record import RunRecord
from claims.scoring.significance import F1Difference, f1_difference


class Scores(BaseModel):
    """Precision, recall and F1 (null when undefined) from the counts."""

    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    tp: int = 0
    fp: int = 0
    fn: int = 0


class ClaimError(BaseModel):
    """A false positive (a prediction) or false negative (a gold claim), and why it is one."""

    doc_id: str
    type: str
    actors: list[str] = Field(default_factory=list)
    status: str | None = None
    date: str | None = None
    location: str | None = None
    quote: str | None = None
    origin: str = ""
    why: str = ""


class SummaryErrors(BaseModel):
    false_positives: list[ClaimError] = Field(default_factory=list)
    false_negatives: list[ClaimError] = Field(default_factory=list)
    attribute_disagreements: list[dict[str, Any]] = Field(default_factory=list)


class SummaryTotals(BaseModel):
    documents: int = 0
    gold_required: int = 0
    gold_optional: int = 0
    predictions: int = 0
    matched_optional: int = 0
    skipped_predictions: int = 0
    skipped_gold: int = 0


class EvaluationSummary(BaseModel):
    """One scored system: what `claims eval --json` writes (a list of them under "systems")."""

    label: str
    micro: Scores
    per_type: dict[str, Scores] = Field(default_factory=dict)
    per_document: dict[str, Scores] = Field(default_factory=dict)
    attributes: dict[str, Any] = Field(default_factory=dict)
    grounding: dict[str, Any] | None = None
    totals: SummaryTotals = Field(default_factory=SummaryTotals)
    errors: SummaryErrors = Field(default_factory=SummaryErrors)
    warnings: list[str] = Field(default_factory=list)
    run: RunRecord | None = None
    """What produced the scored predictions (None when the caller gave no record)."""
    events: dict[str, Any] | None = None
    """Event-grouping scores (`claims.scoring.events.score_events`) when gold event labels were given."""
    versus_first: F1Difference | None = None
    """Side by side: this system's F1 minus the first system's, with its bootstrap interval."""


def compare_with_first(summaries: list[EvaluationSummary]) -> None:
    """Give every summary after the first its F1 difference from the first (paired bootstrap over
    the documents), so a side-by-side table says whether a gap is more than the luck of the set."""
    if not summaries:
        return
    first = summaries[0]
    for summary in summaries[1:]:
        summary.versus_first = f1_difference(
            first.per_document, summary.per_document, baseline_label=first.label
        )


def actor_label(actor: Actor) -> str:
    return f"{actor.name} ({actor.country or '—'})"


def claim_summary(claim: EvalClaim) -> dict[str, Any]:
    """A claim as the error analysis shows it."""
    return {
        "doc_id": claim.doc_id,
        "type": claim.type,
        "actors": [actor_label(a) for a in claim.actors],
        "status": claim.claim.status.value,
        "date": claim.claim.date,
        "location": claim.claim.location,
        "quote": claim.claim.quote,
        "origin": claim.origin,
    }


def _why_not(facts: PairFacts, predicted: EvalClaim, gold: EvalClaim) -> str:
    if facts.reason in ("supplier", "recipient"):
        p, g = predicted.actors, gold.actors
        if actors_match(p[0], g[1]) and actors_match(p[1], g[0]):
            return "supplier and recipient are swapped"
        return f"{facts.reason} does not match"
    overlap = "the quotes overlap" if facts.quote_overlap else "the quotes do not overlap"
    return f"{facts.matched_actors} of {len(gold.actors)} gold actors match and {overlap}"


def _closeness(facts: PairFacts) -> tuple[bool, bool, int]:
    return facts.eligible, facts.quote_overlap, facts.matched_actors


def explain_false_positive(doc: DocumentResult, index: int) -> str:
    """Why prediction `index` of the document matched no gold claim."""
    predicted = doc.predicted[index]
    candidates = [
        (facts, g) for g, facts in enumerate(doc.facts[index]) if doc.gold[g].type == predicted.type
    ]
    if not candidates:
        return f"no gold {predicted.type} claim in this document"
    facts, g = max(candidates, key=lambda item: _closeness(item[0]))
    gold = doc.gold[g]
    if facts.eligible:
        other = next((doc.predicted[m.predicted].origin for m in doc.matches if m.gold == g), "another")
        return f"gold {gold.origin} is eligible but was matched to prediction {other}"
    if not facts.quote_overlap and facts.matched_actors == 0:
        return f"no gold {predicted.type} claim shares an actor or the quote"
    return f"nearest gold {gold.origin}: {_why_not(facts, predicted, gold)}"


def explain_false_negative(doc: DocumentResult, index: int) -> str:
    """Why required gold claim `index` of the document was not found."""
    gold = doc.gold[index]
    candidates = [(row[index], p) for p, row in enumerate(doc.facts) if doc.predicted[p].type == gold.type]
    if not candidates:
        return f"no predicted {gold.type} claim in this document"
    facts, p = max(candidates, key=lambda item: _closeness(item[0]))
    predicted = doc.predicted[p]
    if facts.eligible:
        other = next((doc.gold[m.gold].origin for m in doc.matches if m.predicted == p), "another")
        return f"prediction {predicted.origin} is eligible but was matched to gold {other}"
    if not facts.quote_overlap and facts.matched_actors == 0:
        return f"no predicted {gold.type} claim shares an actor or the quote"
    return f"nearest prediction {predicted.origin}: {_why_not(facts, predicted, gold)}"


def _disagreements(evaluation: Evaluation) -> list[dict[str, Any]]:
    found = []
    for pair in evaluation.true_positives():
        p, g = pair.predicted.claim, pair.gold.claim
        fields: dict[str, dict[str, Any]] = {}
        if p.status != g.status:
            fields["status"] = {"predicted": p.status.value, "gold": g.status.value}
        if not dates_agree(p.date, g.date):
            fields["date"] = {"predicted": p.date, "gold": g.date}
        if not locations_agree(p.location, g.location):
            fields["location"] = {"predicted": p.location, "gold": g.location}
        if (
            isinstance(p, ProposedArmsDelivery)
            and isinstance(g, ProposedArmsDelivery)
            and set(p.weapon_categories) != set(g.weapon_categories)
        ):
            fields["weapon_categories"] = {
                "predicted": sorted(c.value for c in p.weapon_categories),
                "gold": sorted(c.value for c in g.weapon_categories),
            }
        if not pair.quote_overlap:
            fields["evidence"] = {"predicted": p.quote, "gold": g.quote}
        if fields:
            found.append(
                {
                    "doc_id": pair.gold.doc_id,
                    "type": pair.gold.type,
                    "actors": [actor_label(a) for a in pair.gold.actors],
                    "predicted_origin": pair.predicted.origin,
                    "gold_origin": pair.gold.origin,
                    "fields": fields,
                }
            )
    return found


def summarize(
    evaluation: Evaluation,
    label: str,
    grounding: Grounding | None = None,
    run: RunRecord | None = None,
) -> EvaluationSummary:
    """The evaluation's summary (see the module docstring for its shape)."""
    attributes = evaluation.attributes().as_dict()
    attributes["per_type"] = {t: evaluation.attributes(t).as_dict() for t in CLAIM_TYPES}
    false_positives, false_negatives = [], []
    for doc in evaluation.documents.values():
        for index in doc.false_positives():
            false_positives.append(
                {**claim_summary(doc.predicted[index]), "why": explain_false_positive(doc, index)}
            )
        for index in doc.false_negatives():
            false_negatives.append(
                {**claim_summary(doc.gold[index]), "why": explain_false_negative(doc, index)}
            )
    gold_scored = [g for d in evaluation.documents.values() for g in d.gold]
    return EvaluationSummary.model_validate(
        {
            "label": label,
            "micro": evaluation.micro().as_dict(),
            "per_type": {t: c.as_dict() for t, c in evaluation.per_type().items()},
            "per_document": {d: c.as_dict() for d, c in evaluation.per_document().items()},
            "attributes": attributes,
            "grounding": grounding.as_dict() if grounding is not None else None,
            "totals": {
                "documents": len(evaluation.documents),
                "gold_required": sum(1 for g in gold_scored if not g.optional),
                "gold_optional": sum(1 for g in gold_scored if g.optional),
                "predictions": evaluation.predictions,
                "matched_optional": sum(len(d.optional_matches()) for d in evaluation.documents.values()),
                "skipped_predictions": len(evaluation.skipped_predictions),
                "skipped_gold": len(evaluation.skipped_gold),
            },
            "errors": {
                "false_positives": false_positives,
                "false_negatives": false_negatives,
                "attribute_disagreements": _disagreements(evaluation),
            },
            "warnings": list(evaluation.warnings),
            "run": run,
        }
    )

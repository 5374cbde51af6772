"""Crafted prediction sets with known answers, on the real seeds and on small synthetic documents."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from claims.scoring.evaluate import evaluate
from claims.scoring.records import EvalClaim, ScoringInputError, claim_from_dict
from tests.conftest import gold_lines, seed_texts
from tests.scoring.builders import DOC, actor, meeting

TEXTS = seed_texts()
GOLD_LINES = gold_lines()
GOLD = [claim_from_dict(raw, f"gold:{n}", gold=True) for n, raw in enumerate(GOLD_LINES, start=1)]
REQUIRED = sum(1 for raw in GOLD_LINES if not raw["optional"])


def predictions(
    keep: Callable[[int, dict[str, Any]], dict[str, Any] | None] | None = None,
) -> list[EvalClaim]:
    """Gold lines as predictions (line numbers from 1), each passed through `keep` (None drops it)."""
    claims = []
    for number, raw in enumerate(copy.deepcopy(GOLD_LINES), start=1):
        line = keep(number, raw) if keep else raw
        if line is not None:
            claims.append(claim_from_dict(line, f"pred:{number}", gold=False))
    return claims


def counts(predicted: list[EvalClaim], gold: list[EvalClaim] = GOLD) -> tuple[int, int, int]:
    micro = evaluate(gold, predicted, TEXTS).micro()
    return micro.tp, micro.fp, micro.fn


def test_the_seed_gold_scored_against_itself_is_perfect() -> None:
    evaluation = evaluate(GOLD, predictions(), TEXTS)
    micro = evaluation.micro()
    assert (micro.tp, micro.fp, micro.fn) == (REQUIRED, 0, 0) == (51, 0, 0)
    assert micro.precision == micro.recall == micro.f1 == 1.0
    assert all(c.f1 == 1.0 for c in evaluation.per_type().values())
    assert all(c.f1 == 1.0 for c in evaluation.per_document().values())
    attributes = evaluation.attributes()
    assert attributes.matched == 51
    assert attributes.status.value == attributes.date.value == attributes.location.value == 1.0
    assert attributes.evidence.value == attributes.weapon_categories == 1.0
    assert not evaluation.warnings
    # every prediction found its own gold line
    for doc in evaluation.documents.values():
        assert all(doc.predicted[m.predicted].claim == doc.gold[m.gold].claim for m in doc.matches)


def test_missing_claims_are_false_negatives() -> None:
    # 12: the only delivery of 000; 56: the only claim of 002; 57: 003's only required meeting.
    evaluation = evaluate(GOLD, predictions(lambda n, raw: None if n in (12, 56, 57) else raw), TEXTS)
    assert (evaluation.micro().tp, evaluation.micro().fp, evaluation.micro().fn) == (48, 0, 3)
    assert evaluation.per_type()["arms_delivery"].fn == 1
    assert evaluation.per_type()["meeting"].fn == 2
    assert evaluation.per_document()["002_8f00768b7795d178"].as_dict() == {
        "precision": None,
        "recall": 0.0,
        "f1": 0.0,
        "tp": 0,
        "fp": 0,
        "fn": 1,
    }


def test_invented_claims_are_false_positives() -> None:
    invented = copy.deepcopy(GOLD_LINES[63])  # 004: Putin and Tokajew in Astana
    invented["participants"] = [actor("Joe Biden", "USA"), actor("Rishi Sunak", "GBR")]
    evaluation = evaluate(GOLD, [*predictions(), claim_from_dict(invented, "invented", gold=False)], TEXTS)
    assert (evaluation.micro().tp, evaluation.micro().fp, evaluation.micro().fn) == (51, 1, 0)
    assert evaluation.per_document()["004_427d236a20c172f4"].fp == 1
    assert evaluation.micro().precision == pytest.approx(51 / 52)


def test_a_swapped_supplier_and_recipient_is_one_false_positive_and_one_false_negative() -> None:
    def swap(number: int, raw: dict[str, Any]) -> dict[str, Any]:
        if number == 12:  # 000: Teheran supplies drones to Russia; the document's only delivery
            raw["supplier"], raw["recipient"] = raw["recipient"], raw["supplier"]
        return raw

    evaluation = evaluate(GOLD, predictions(swap), TEXTS)
    assert counts(predictions(swap)) == (50, 1, 1)
    assert evaluation.per_type()["arms_delivery"].as_dict()["fp"] == 1
    assert evaluation.per_type()["arms_delivery"].as_dict()["fn"] == 1
    assert evaluation.per_type()["meeting"].f1 == 1.0


def test_a_prediction_matching_only_optional_gold_counts_neither_way() -> None:
    # 62: 003's photo caption of Putin and Kim in Pjöngjang, optional; no required gold fits it.
    only_optional = predictions(lambda n, raw: raw if n == 62 else None)
    evaluation = evaluate(GOLD, only_optional, TEXTS)
    assert (evaluation.micro().tp, evaluation.micro().fp, evaluation.micro().fn) == (0, 0, 51)
    assert evaluation.micro().precision is None
    assert evaluation.micro().recall == 0.0
    required_and_one_optional = predictions(lambda n, raw: raw if n == 62 or not raw["optional"] else None)
    assert counts(required_and_one_optional) == (51, 0, 0)


def test_optional_gold_left_unmatched_is_not_a_false_negative() -> None:
    assert counts(predictions(lambda n, raw: None if raw["optional"] else raw)) == (51, 0, 0)


def test_name_variants_still_match() -> None:
    variants = {
        56: [actor("Putins", None), actor("Kassym-Jomart Tokayev", None)],
        57: [actor("Vladimir Putin", None), actor("Masoud Pezeshkian", None)],
        64: [actor("Putin", None), actor("Toqajew", None)],
    }

    def rename(number: int, raw: dict[str, Any]) -> dict[str, Any]:
        if number in variants:
            raw["participants"] = variants[number]
        return raw

    evaluation = evaluate(GOLD, predictions(rename), TEXTS)
    assert (evaluation.micro().tp, evaluation.micro().fp, evaluation.micro().fn) == (51, 0, 0)
    doc = evaluation.documents["002_8f00768b7795d178"]
    assert doc.matches[0].facts.matched_actors == 2


def test_a_wrong_name_without_country_matches_only_through_the_shared_quote() -> None:
    def rename(quote_of: int | None) -> Callable[[int, dict[str, Any]], dict[str, Any]]:
        def change(number: int, raw: dict[str, Any]) -> dict[str, Any]:
            if number == 57:  # 003: Putin and Peseschkian in Turkmenistan
                raw["participants"] = [actor("Putin", None), actor("Tokayev", None)]
                if quote_of is not None:
                    raw["quote"] = GOLD_LINES[quote_of - 1]["quote"]
            return raw

        return change

    # Same quote: one actor matches and the quotes overlap, so it is eligible, with agreement 1/2.
    evaluation = evaluate(GOLD, predictions(rename(None)), TEXTS)
    assert (evaluation.micro().tp, evaluation.micro().fp, evaluation.micro().fn) == (51, 0, 0)
    [pair] = [m for m in evaluation.documents["003_d6d1575a7536b8bc"].matches if m.facts.matched_actors == 1]
    assert pair.facts.reason == "1 actor and overlapping quotes"
    # Another sentence (63: the delivery sentence): nothing ties it to the meeting any more.
    assert counts(predictions(rename(63))) == (50, 1, 1)


TEXT = "Putin traf Xi in Peking. Lawrow sprach mit Wang Yi. Ein Satz ohne Ereignis."
OTHER = "Ein anderes Dokument. Es hat keine Gold-Claims, aber Schoigu traf Dong Jun."
PUTIN, XI = actor("Putin", "RUS"), actor("Xi", "CHN")


def test_predictions_for_a_document_without_gold_are_false_positives() -> None:
    gold = [meeting("Putin traf Xi in Peking.", PUTIN, XI, gold=True)]
    stray = claim_from_dict(
        {
            **meeting(
                "Schoigu traf Dong Jun.", actor("Schoigu", "RUS"), actor("Dong", "CHN")
            ).claim.model_dump(),
            "doc_id": "other",
        },
        "stray",
        gold=False,
    )
    evaluation = evaluate(
        gold, [meeting("Putin traf Xi in Peking.", PUTIN, XI), stray], {DOC: TEXT, "other": OTHER}
    )
    assert evaluation.per_document()["other"].as_dict()["fp"] == 1
    assert (evaluation.micro().tp, evaluation.micro().fp, evaluation.micro().fn) == (1, 1, 0)


def test_predictions_for_documents_not_given_are_left_out_with_a_warning() -> None:
    gold = [meeting("Putin traf Xi in Peking.", PUTIN, XI, gold=True)]
    elsewhere = claim_from_dict(
        {**meeting("Putin traf Xi in Peking.", PUTIN, XI).claim.model_dump(), "doc_id": "unknown"},
        "elsewhere",
        gold=False,
    )
    evaluation = evaluate(gold, [meeting("Putin traf Xi in Peking.", PUTIN, XI), elsewhere], {DOC: TEXT})
    assert (evaluation.micro().tp, evaluation.micro().fp, evaluation.micro().fn) == (1, 0, 0)
    assert evaluation.skipped_predictions == [elsewhere]
    assert any("1 predictions name documents not given (unknown)" in w for w in evaluation.warnings)


def test_gold_for_documents_not_given_is_left_out_but_all_of_it_is_an_error() -> None:
    gold = [meeting("Putin traf Xi in Peking.", PUTIN, XI, gold=True)]
    with pytest.raises(ScoringInputError, match="none of the gold's documents"):
        evaluate(gold, [], {"other": OTHER})
    both = [*gold, claim_from_dict({**gold[0].claim.model_dump(), "doc_id": "gone"}, "g2", gold=True)]
    evaluation = evaluate(both, [], {DOC: TEXT})
    assert evaluation.micro().fn == 1
    assert len(evaluation.skipped_gold) == 1


def test_a_gold_quote_not_in_its_document_is_warned_about() -> None:
    gold = [meeting("Dieser Satz steht nicht im Text.", PUTIN, XI, gold=True)]
    evaluation = evaluate(gold, [], {DOC: TEXT})
    assert any("gold quote not found" in w for w in evaluation.warnings)


def test_counts_per_type_and_document_add_up_to_the_micro_counts() -> None:
    evaluation = evaluate(GOLD, predictions(lambda n, raw: None if n % 3 == 0 else raw), TEXTS)
    micro = evaluation.micro()
    for breakdown in (evaluation.per_type(), evaluation.per_document()):
        assert sum(c.tp for c in breakdown.values()) == micro.tp
        assert sum(c.fp for c in breakdown.values()) == micro.fp
        assert sum(c.fn for c in breakdown.values()) == micro.fn

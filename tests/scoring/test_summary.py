"""The JSON summary has the promised shape, and every error says why it is one."""

from __future__ import annotations

import json
from typing import Any

from claims.scoring.evaluate import evaluate
from claims.scoring.grounding import grounding_of
from claims.scoring.records import EvalClaim
from claims.scoring.run_record import RunRecord
from claims.scoring.summary import summarize
from tests.scoring.builders import DOC, actor, delivery, meeting, treaty

S1 = "Putin traf Xi am Montag in Peking."
S2 = "Iran liefert Drohnen an Russland."
S3 = "Lawrow sprach mit Wang Yi in Minsk."
TEXT = " ".join([S1, S2, S3])
PUTIN, XI = actor("Putin", "RUS"), actor("Xi", "CHN")
IRAN, RUSSIA = actor("Iran", "IRN"), actor("Russland", "RUS")
RUN = RunRecord(label="test", command="claims eval")
SCORE_KEYS = {"precision", "recall", "f1", "tp", "fp", "fn"}


def summary_of(gold: list[EvalClaim], predicted: list[EvalClaim]) -> dict[str, Any]:
    return summarize(
        evaluate(gold, predicted, {DOC: TEXT}), "test", grounding_of(len(predicted), []), RUN
    ).model_dump(mode="json")


def test_the_summary_has_the_documented_shape_and_is_json() -> None:
    summary = summary_of([meeting(S1, PUTIN, XI, gold=True)], [meeting(S1, PUTIN, XI)])
    assert json.loads(json.dumps(summary)) == summary
    assert set(summary["micro"]) == SCORE_KEYS
    assert set(summary["per_type"]) == {"meeting", "arms_delivery", "treaty_signing"}
    assert all(set(v) == SCORE_KEYS for v in summary["per_type"].values())
    assert set(summary["per_document"]) == {DOC}
    assert set(summary["attributes"]) >= {
        "status_accuracy",
        "date_agreement",
        "location_agreement",
        "weapon_category_overlap",
        "evidence_overlap",
        "per_type",
    }
    assert summary["grounding"]["rate"] == 0.0
    assert summary["run"]["label"] == "test" and summary["run"]["command"] == "claims eval"
    assert summary["totals"]["gold_required"] == 1


def test_a_swapped_delivery_is_explained_on_both_sides() -> None:
    summary = summary_of([delivery(S2, IRAN, RUSSIA, gold=True)], [delivery(S2, RUSSIA, IRAN)])
    [fp] = summary["errors"]["false_positives"]
    [fn] = summary["errors"]["false_negatives"]
    assert fp["why"].endswith("supplier and recipient are swapped")
    assert fn["why"].endswith("supplier and recipient are swapped")
    assert fp["actors"] == ["Russland (RUS)", "Iran (IRN)"]
    assert fn["quote"] == S2


def test_a_duplicate_prediction_is_explained_as_beaten_to_its_gold() -> None:
    summary = summary_of(
        [meeting(S1, PUTIN, XI, gold=True)], [meeting(S1, PUTIN, XI), meeting(S1, PUTIN, XI)]
    )
    [fp] = summary["errors"]["false_positives"]
    assert "is eligible but was matched to prediction" in fp["why"]


def test_missing_types_and_unrelated_claims_are_explained() -> None:
    summary = summary_of(
        [
            meeting(S1, PUTIN, XI, gold=True),
            treaty(S3, actor("Lawrow", "RUS"), actor("Wang Yi", "CHN"), gold=True),
        ],
        [meeting(S2, actor("Modi", "IND"), actor("Orban", "HUN")), delivery(S2, IRAN, RUSSIA)],
    )
    why_fp = {fp["type"]: fp["why"] for fp in summary["errors"]["false_positives"]}
    why_fn = {fn["type"]: fn["why"] for fn in summary["errors"]["false_negatives"]}
    assert why_fp["arms_delivery"] == "no gold arms_delivery claim in this document"
    assert why_fp["meeting"] == "no gold meeting claim shares an actor or the quote"
    assert why_fn["treaty_signing"] == "no predicted treaty_signing claim in this document"
    assert why_fn["meeting"] == "no predicted meeting claim shares an actor or the quote"


def test_a_meeting_with_one_actor_and_another_quote_is_explained() -> None:
    summary = summary_of([meeting(S1, PUTIN, XI, gold=True)], [meeting(S3, PUTIN, actor("Modi", "IND"))])
    [fp] = summary["errors"]["false_positives"]
    assert fp["why"].endswith("1 of 2 gold actors match and the quotes do not overlap")


def test_attribute_disagreements_are_listed_field_by_field() -> None:
    summary = summary_of(
        [meeting(S1, PUTIN, XI, gold=True, status="occurred", date="2024-04-22")],
        [meeting(S1, PUTIN, XI, status="planned", date="2024-04-22")],
    )
    [item] = summary["errors"]["attribute_disagreements"]
    assert item["fields"] == {"status": {"predicted": "planned", "gold": "occurred"}}

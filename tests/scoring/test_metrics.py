"""Counts give the right scores; attributes are measured on true-positive pairs only."""

from __future__ import annotations

import pytest

from claims.scoring.evaluate import evaluate
from claims.scoring.metrics import Counts, total
from tests.scoring.builders import DOC, actor, delivery, meeting

S1 = "Putin traf Xi am Montag in Peking."
S2 = "Iran liefert Drohnen und Raketen an Russland."
S3 = "Lawrow sprach mit Wang Yi in Minsk."
TEXT = " ".join([S1, S2, S3])
PUTIN, XI = actor("Putin", "RUS"), actor("Xi", "CHN")
LAWROW, WANG = actor("Lawrow", "RUS"), actor("Wang Yi", "CHN")
IRAN, RUSSIA = actor("Iran", "IRN"), actor("Russland", "RUS")


def test_scores_from_counts() -> None:
    counts = Counts(tp=3, fp=1, fn=2)
    assert counts.precision == 0.75
    assert counts.recall == 0.6
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.6 / (0.75 + 0.6))
    assert Counts(1, 2, 3) + Counts(10, 20, 30) == Counts(11, 22, 33)
    assert total([Counts(1, 0, 0), Counts(0, 1, 0)]) == Counts(1, 1, 0)


def test_undefined_scores_are_none_not_zero() -> None:
    assert Counts(0, 0, 4).precision is None
    assert Counts(0, 0, 4).f1 == 0.0
    assert Counts(0, 3, 0).recall is None
    assert Counts().as_dict() == {"precision": None, "recall": None, "f1": None, "tp": 0, "fp": 0, "fn": 0}


def test_attributes_on_matched_pairs() -> None:
    gold = [
        meeting(S1, PUTIN, XI, gold=True, date="2024-04-22", location="Peking", status="occurred"),
        meeting(S3, LAWROW, WANG, gold=True, date="2024-04", location="Minsk", status="occurred"),
        delivery(S2, IRAN, RUSSIA, gold=True, weapon_categories=["drones", "missiles"]),
    ]
    predicted = [
        # date at a coarser precision agrees; location inflected agrees; status wrong
        meeting(S1, PUTIN, XI, date="2024-04", location="Pekings", status="planned"),
        # date at a finer precision agrees; location missing disagrees; quote elsewhere (no evidence)
        meeting(S1, LAWROW, WANG, date="2024-04-26", location=None, status="occurred"),
        # half the categories
        delivery(S2, IRAN, RUSSIA, weapon_categories=["drones"]),
    ]
    evaluation = evaluate(gold, predicted, {DOC: TEXT})
    attributes = evaluation.attributes()
    assert attributes.matched == 3
    assert (attributes.status.agree, attributes.status.n) == (2, 3)
    assert (attributes.date.agree, attributes.date.n) == (3, 3)
    assert (attributes.location.agree, attributes.location.n) == (2, 3)
    assert attributes.weapon_categories == 0.5
    assert attributes.weapon_categories_n == 1
    assert (attributes.evidence.agree, attributes.evidence.n) == (2, 3)
    assert evaluation.attributes("arms_delivery").matched == 1
    assert evaluation.attributes("treaty_signing").status.value is None


def test_a_date_at_another_month_disagrees() -> None:
    gold = [meeting(S1, PUTIN, XI, gold=True, date="2024-04-22")]
    attributes = evaluate(gold, [meeting(S1, PUTIN, XI, date="2024-05")], {DOC: TEXT}).attributes()
    assert attributes.date.agree == 0


def test_matches_with_optional_gold_are_not_measured() -> None:
    gold = [meeting(S1, PUTIN, XI, gold=True, optional=True, status="occurred")]
    evaluation = evaluate(gold, [meeting(S1, PUTIN, XI, status="planned")], {DOC: TEXT})
    assert evaluation.attributes().matched == 0
    assert evaluation.attributes().status.value is None

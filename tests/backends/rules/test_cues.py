"""Status from cue words, and negation within the trigger's clause."""

from __future__ import annotations

import pytest

from claims.backends.rules.cues import shared
from claims.backends.rules.tokens import clause_bounds, modal_scope, tokenize
from claims.schema import Status


def _status(text: str, trigger: str, tense: str = "past", attribution: str | None = None) -> Status:
    tokens = tokenize(text)
    index = next(i for i, t in enumerate(tokens) if t.text == trigger)
    return shared().status(tokens, modal_scope(tokens, index), tense, attribution=attribution)


@pytest.mark.parametrize(
    ("text", "trigger", "tense", "status"),
    [
        ("Iran lieferte Drohnen an Russland.", "lieferte", "past", Status.OCCURRED),
        ("Iran soll Drohnen an Russland geliefert haben.", "geliefert", "participle", Status.ALLEGED),
        ("Teheran soll Drohnen in die Föderation schicken.", "schicken", "infinitive", Status.ALLEGED),
        ("Angeblich lieferte Iran Drohnen.", "lieferte", "past", Status.ALLEGED),
        ("Iran reportedly delivered drones.", "delivered", "past", Status.ALLEGED),
        ("Russland könnte Waffentechnologie liefern.", "liefern", "infinitive", Status.SPECULATIVE),
        (
            "Das dürfte Putin die Gelegenheit geben, Xi zu treffen.",
            "treffen",
            "infinitive",
            Status.SPECULATIVE,
        ),
        ("Russia could send missiles.", "send", "infinitive", Status.SPECULATIVE),
        ("Das nächste Treffen ist für den 23. November geplant.", "Treffen", "noun", Status.PLANNED),
        ("Lavrov is scheduled to travel to Beijing.", "travel", "infinitive", Status.PLANNED),
        ("Putin wird Xi im Mai treffen.", "treffen", "infinitive", Status.PLANNED),
        ("Das Treffen soll im Mai stattfinden, geplant ist es in Peking.", "Treffen", "noun", Status.ALLEGED),
    ],
)
def test_status_cues(text: str, trigger: str, tense: str, status: Status) -> None:
    assert _status(text, trigger, tense) == status


def test_a_distancing_source_makes_a_claim_alleged() -> None:
    text = "Nach Angaben des Westens schickt Teheran Drohnen."
    assert _status(text, "schickt", "present", attribution="Westens") == Status.ALLEGED
    assert _status(text, "schickt", "present", attribution="Tass") == Status.OCCURRED


@pytest.mark.parametrize(
    ("text", "trigger", "negated"),
    [
        ("Putin traf Xi nicht.", "traf", True),
        ("Iran hat keine Raketen geliefert.", "geliefert", True),
        ("Iran did not supply the launchers.", "supply", True),
        ("Ein Treffen fand nicht statt.", "Treffen", True),
        ("Putin traf nicht nur Xi.", "traf", False),
        ("Putin verlor keine Zeit, er flog nach Peking.", "flog", False),
        ("Auch wenn Details nicht bekannt sind, traf Putin Xi.", "traf", False),
    ],
)
def test_negation_in_the_trigger_clause(text: str, trigger: str, negated: bool) -> None:
    tokens = tokenize(text)
    index = next(i for i, t in enumerate(tokens) if t.text == trigger)
    assert shared().negated(tokens, clause_bounds(tokens, index)) is negated


def test_denial_and_report() -> None:
    cues = shared()
    reported = tokenize("Ankara dementierte Berichte, wonach Raketen geliefert wurden.")
    assert cues.denied(reported) and cues.reports(reported)
    plain = tokenize("Iran bestritt, Raketen geliefert zu haben.")
    assert cues.denied(plain) and not cues.reports(plain)

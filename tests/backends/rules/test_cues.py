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


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Seoul has refused requests to send weapons to Ukraine.", "send"),
        ("Officials declined to confirm any talks.", "talks"),
        ("Ein für Donnerstag geplantes Treffen wurde abgesagt.", "Treffen"),
        ("Ankara lehnte den Verkauf von Drohnen ab.", "Verkauf"),
    ],
)
def test_refusals_and_cancellations_negate(text: str, trigger: str) -> None:
    tokens = tokenize(text)
    index = next(i for i, t in enumerate(tokens) if t.text == trigger)
    assert shared().negated(tokens, clause_bounds(tokens, index))


def test_a_decline_in_numbers_is_no_refusal() -> None:
    tokens = tokenize("Russian arms exports to India declined sharply.")
    assert not shared().negated(tokens, clause_bounds(tokens, 2))


def test_no_evidence_denies_what_follows() -> None:
    assert shared().denied(
        tokenize('Brüssel habe "keine Hinweise" darauf, dass Serbien Waffen weitergegeben habe.')
    )
    assert shared().denied(tokenize("There is no evidence that Iran supplied missiles."))


@pytest.mark.parametrize(
    ("text", "trigger", "tense", "status"),
    [
        ("Norway said it would deliver jets to Ukraine.", "deliver", "infinitive", Status.PLANNED),
        ("Germany announced it would supply an air defence system.", "supply", "infinitive", Status.PLANNED),
        ("Iran would deliver drones if asked.", "deliver", "infinitive", Status.SPECULATIVE),
        ("Bangladesh and Nepal agreed on Monday to sign an accord.", "agreed", "past", Status.PLANNED),
        ("Man werde Haubitzen an die Ukraine liefern, sagte er.", "liefern", "infinitive", Status.PLANNED),
    ],
)
def test_reported_plans(text: str, trigger: str, tense: str, status: Status) -> None:
    assert _status(text, trigger, tense) == status


def test_a_future_phrase_needs_all_its_words() -> None:
    """ "going to" is a future; "to" alone ("travelled to Baghdad for talks") is none."""
    assert _status("Erdogan travelled to Baghdad for talks.", "talks", "noun") == Status.OCCURRED
    assert _status("Erdogan is going to hold talks in Baghdad.", "talks", "noun") == Status.PLANNED


def test_a_hedge_adjective_qualifies_only_its_noun() -> None:
    tokens = tokenize("The US approved the possible sale of F-16 jets to Turkey.")
    sale = next(i for i, t in enumerate(tokens) if t.text == "sale")
    assert shared().status(tokens, modal_scope(tokens, sale), "noun", trigger=sale) == Status.SPECULATIVE
    tokens = tokenize("Die beiden sprachen auch über einen möglichen Kauf von Haubitzen.")
    spoke = next(i for i, t in enumerate(tokens) if t.text == "sprachen")
    assert shared().status(tokens, modal_scope(tokens, spoke), "past", trigger=spoke) == Status.OCCURRED


@pytest.mark.parametrize(
    ("text", "trigger", "tense", "status"),
    [
        (
            "Beijing has been accused of supplying drone parts to Moscow.",
            "supplying",
            "present",
            Status.ALLEGED,
        ),
        (
            "Die USA haben der Ukraine weitere Patriot-Systeme zugesagt.",
            "zugesagt",
            "participle",
            Status.PLANNED,
        ),
    ],
)
def test_accusations_and_pledges(text: str, trigger: str, tense: str, status: Status) -> None:
    assert _status(text, trigger, tense) == status

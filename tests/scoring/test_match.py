"""Each eligibility rule of ANNOTATION.md, the preference order, and the one-to-one assignment."""

from __future__ import annotations

from fractions import Fraction

from claims.schema import Actor
from claims.scoring.locate import LocatingSource
from claims.scoring.match import assess_document, assess_pair, match_document, matched_actor_count
from claims.scoring.records import EvalClaim
from tests.scoring.builders import actor, delivery, meeting, treaty

S1 = "Putin traf Xi am Montag in Peking."
S2 = "Später sprach Putin mit Xi erneut."
S3 = "Auf dem BRICS-Gipfel trafen sich die Staatschefs der BRICS-Staaten in Kasan."
S4 = "Iran liefert Drohnen an Russland."
S5 = "Russland und Iran unterzeichneten einen Vertrag."
TEXT = " ".join([S1, S2, S3, S4, S5])
SOURCE = LocatingSource(TEXT)

PUTIN, XI = actor("Wladimir Putin", "RUS"), actor("Xi Jinping", "CHN")
IRAN, RUSSIA = actor("Iran", "IRN"), actor("Russland", "RUS")


def eligible(quote_overlap: bool, predicted: EvalClaim, gold: EvalClaim) -> bool:
    return assess_pair(predicted, gold, quote_overlap).eligible


# --- type ------------------------------------------------------------------------------------


def test_different_types_are_never_eligible() -> None:
    facts = assess_pair(treaty(S1, PUTIN, XI), meeting(S1, PUTIN, XI, gold=True), quote_overlap=True)
    assert not facts.eligible
    assert facts.reason == "type"


# --- arms_delivery: supplier to supplier, recipient to recipient ---------------------------------


def test_delivery_with_matching_supplier_and_recipient_is_eligible() -> None:
    gold = delivery(S4, IRAN, RUSSIA, gold=True)
    facts = assess_pair(delivery(S4, actor("Teheran", "IRN"), actor("Moskau", "RUS")), gold, False)
    assert facts.eligible
    assert facts.actor_agreement == 1


def test_delivery_with_supplier_and_recipient_swapped_is_not_eligible() -> None:
    gold = delivery(S4, IRAN, RUSSIA, gold=True)
    facts = assess_pair(delivery(S4, RUSSIA, IRAN), gold, quote_overlap=True)
    assert not facts.eligible
    assert facts.reason == "supplier"


def test_delivery_with_a_wrong_recipient_is_not_eligible_even_with_the_same_quote() -> None:
    gold = delivery(S4, IRAN, RUSSIA, gold=True)
    facts = assess_pair(delivery(S4, IRAN, actor("Belarus", "BLR")), gold, quote_overlap=True)
    assert not facts.eligible
    assert facts.reason == "recipient"
    assert facts.actor_agreement == Fraction(1, 2)


def test_delivery_actors_without_country_match_by_name() -> None:
    gold = delivery(S4, actor("Teheran", None), RUSSIA, gold=True)
    assert eligible(False, delivery(S4, actor("Teherans", None), RUSSIA), gold)
    assert not eligible(False, delivery(S4, actor("Bagdad", None), RUSSIA), gold)


# --- meeting / treaty_signing: min(2, n) gold actors, or one actor and overlapping quotes ---------


def test_meeting_with_both_actors_matched_is_eligible_without_overlap() -> None:
    facts = assess_pair(
        meeting(S2, actor("Putin", "RUS"), actor("Xi", "CHN")), meeting(S1, PUTIN, XI, gold=True), False
    )
    assert facts.eligible
    assert facts.matched_actors == 2


def test_meeting_with_one_actor_matched_and_no_overlap_is_not_eligible() -> None:
    gold = meeting(S1, PUTIN, XI, gold=True)
    facts = assess_pair(meeting(S2, PUTIN, actor("Modi", "IND")), gold, quote_overlap=False)
    assert not facts.eligible
    assert facts.reason == "actors"


def test_meeting_with_one_actor_matched_and_overlapping_quotes_is_eligible() -> None:
    gold = meeting(S1, PUTIN, XI, gold=True)
    facts = assess_pair(meeting(S1, PUTIN, actor("Modi", "IND")), gold, quote_overlap=True)
    assert facts.eligible
    assert facts.reason == "1 actor and overlapping quotes"


def test_meeting_with_no_actor_matched_is_not_eligible_even_with_overlap() -> None:
    gold = meeting(S1, PUTIN, XI, gold=True)
    assert not eligible(True, meeting(S1, actor("Modi", "IND"), actor("Orban", "HUN")), gold)


def test_a_summit_needs_two_of_its_actors_not_all() -> None:
    summit = meeting(
        S3, PUTIN, actor("Brasilien", "BRA"), actor("Indien", "IND"), actor("China", "CHN"), gold=True
    )
    assert eligible(False, meeting(S3, actor("Lula", "BRA"), actor("Modi", "IND")), summit)
    assert not eligible(False, meeting(S3, actor("Lula", "BRA"), actor("Orban", "HUN")), summit)


def test_a_group_actor_meets_the_gold_listing_the_states_through_the_overlapping_quote() -> None:
    summit = meeting(
        S3, PUTIN, actor("Brasilien", "BRA"), actor("Indien", "IND"), actor("China", "CHN"), gold=True
    )
    group = meeting(S3, actor("Putin", "RUS"), actor("die BRICS-Staatschefs", None))
    facts = assess_pair(group, summit, quote_overlap=True)
    assert facts.eligible
    assert facts.matched_actors == 1
    assert facts.actor_agreement == Fraction(1, 4)
    assert not assess_pair(group, summit, quote_overlap=False).eligible


def test_one_predicted_actor_never_counts_for_two_gold_actors() -> None:
    gold = meeting(S1, PUTIN, actor("Russland", "RUS"), gold=True)
    assert (
        matched_actor_count(
            [Actor(name="Putin", country="RUS"), Actor(name="Russland", country="RUS")],
            [Actor(name="Kreml", country="RUS")],
        )
        == 1
    )
    assert not eligible(False, meeting(S1, actor("Kreml", "RUS"), actor("Xi", "CHN")), gold)


def test_treaty_signing_follows_the_same_actor_rules() -> None:
    gold = treaty(S5, RUSSIA, IRAN, gold=True)
    assert eligible(False, treaty(S5, actor("Moskau", "RUS"), actor("Teheran", "IRN")), gold)
    assert not eligible(False, treaty(S5, RUSSIA, actor("Irak", "IRQ")), gold)
    assert eligible(True, treaty(S5, RUSSIA, actor("Irak", "IRQ")), gold)


def test_name_variants_make_actors_match_when_countries_are_missing() -> None:
    gold = meeting(S1, actor("Qassym-Schomart Toqajew", "KAZ"), actor("Masud Peseschkian", "IRN"), gold=True)
    predicted = meeting(S2, actor("Tokayev", None), actor("Pezeshkians", None))
    assert eligible(False, predicted, gold)


# --- the quote overlap is decided in the source -------------------------------------------------


def test_overlap_counts_the_prediction_span_against_quote_and_alt_quotes() -> None:
    gold = meeting(S1, PUTIN, XI, gold=True, alt_quotes=[S2])
    [[on_quote], [on_alt], [elsewhere]] = assess_document(
        [
            meeting("Putin traf Xi", PUTIN, XI),
            meeting("sprach Putin mit Xi", PUTIN, XI),
            meeting(S3, PUTIN, XI),
        ],
        [gold],
        SOURCE,
    )
    assert on_quote.quote_overlap
    assert on_alt.quote_overlap
    assert not elsewhere.quote_overlap


# --- preference and one-to-one assignment -------------------------------------------------------


def test_the_pair_whose_quotes_overlap_is_preferred() -> None:
    first, second = meeting(S1, PUTIN, XI, gold=True), meeting(S2, PUTIN, XI, gold=True)
    [match] = match_document([meeting(S2, PUTIN, XI)], [first, second], SOURCE)
    assert match.gold == 1


def test_then_the_pair_whose_actors_agree_best() -> None:
    summit = meeting(S1, PUTIN, XI, actor("Modi", "IND"), gold=True)
    bilateral = meeting(S1, PUTIN, XI, gold=True)
    [match] = match_document([meeting(S1, PUTIN, XI)], [summit, bilateral], SOURCE)
    assert match.gold == 1  # 2/2 beats 2/3


def test_then_the_pair_whose_dates_agree() -> None:
    may, july = (
        meeting(S1, PUTIN, XI, gold=True, date="2024-05"),
        meeting(S1, PUTIN, XI, gold=True, date="2024-07"),
    )
    [match] = match_document([meeting(S1, PUTIN, XI, date="2024-07-03")], [may, july], SOURCE)
    assert match.gold == 1


def test_each_claim_is_used_at_most_once() -> None:
    gold = meeting(S1, PUTIN, XI, gold=True)
    matches = match_document([meeting(S1, PUTIN, XI), meeting(S1, PUTIN, XI)], [gold], SOURCE)
    assert len(matches) == 1


def test_a_prediction_matched_to_optional_gold_does_not_block_a_required_one() -> None:
    # The prediction overlaps the optional gold's quote (preferred by ANNOTATION.md's order), but it
    # is also eligible for the required gold: it must count as that TP, not vanish into the optional.
    optional = meeting(S1, PUTIN, XI, gold=True, optional=True)
    required = meeting(S2, PUTIN, XI, gold=True)
    [match] = match_document([meeting(S1, PUTIN, XI)], [optional, required], SOURCE)
    assert match.gold == 1


def test_the_assignment_matches_as_many_as_possible_before_preferring() -> None:
    # Prediction 0 overlaps gold 0 (its preferred pair) but can also match gold 1;
    # prediction 1 (one actor, same quote) can match only gold 0. A greedy pass would pair 0-0
    # and leave one FP and one FN.
    gold = [meeting(S1, PUTIN, XI, gold=True), meeting(S3, PUTIN, XI, gold=True)]
    predicted = [meeting(S1, PUTIN, XI), meeting(S1, PUTIN, actor("Modi", "IND"))]
    pairs = {(m.predicted, m.gold) for m in match_document(predicted, gold, SOURCE)}
    assert pairs == {(0, 1), (1, 0)}


def test_nothing_to_match() -> None:
    assert match_document([], [meeting(S1, PUTIN, XI, gold=True)], SOURCE) == []
    assert match_document([meeting(S1, PUTIN, XI)], [], SOURCE) == []

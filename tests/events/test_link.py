"""Each rule of ANNOTATION.md ("Events across documents") with a case that links and one that does not."""

from __future__ import annotations

from claims.events.link import block_keys, date_months, dates_agree, explain, is_gathering, same_event
from tests.events.builders import CHN, IRN, KAZ, KIM, PRK, PUTIN, RUS, actor, delivery, meeting, treaty


def test_type_must_be_equal() -> None:
    a = meeting(PUTIN, KIM, date="2024-06-19")
    b = treaty(PUTIN, KIM, date="2024-06-19")
    decision = same_event(a, b)
    assert (decision.linked, decision.rule) == (False, "type")
    assert same_event(a, meeting(RUS, PRK, date="2024-06-19")).linked


def test_arms_same_supplier_and_recipient_states() -> None:
    a = delivery(actor("Teheran", "IRN"), RUS, ["drones"])
    assert same_event(a, delivery(IRN, actor("Russische Föderation", "RUS"), ["missiles"])).linked
    swapped = same_event(a, delivery(RUS, IRN, ["drones"]))
    assert (swapped.linked, swapped.rule) == (False, "arms_actors")


def test_arms_actor_with_null_country_resolved_by_name() -> None:
    a = delivery(actor("Nordkorea"), actor("Kreml"), ["ammunition"])
    b = delivery(PRK, RUS, ["missiles"])
    assert same_event(a, b).linked
    groups = same_event(delivery(actor("Hisbollah"), RUS), delivery(actor("Hamas"), RUS))
    assert (groups.linked, groups.rule) == (False, "arms_actors")
    assert same_event(delivery(IRN, actor("Hisbollah")), delivery(IRN, actor("Hezbollah"))).linked


def test_two_party_same_set_of_states() -> None:
    a = meeting(PUTIN, KIM, date="2024-06")
    assert same_event(a, meeting(PRK, RUS, date="2024-06-19")).linked
    other = same_event(a, meeting(PUTIN, actor("Xi Jinping", "CHN"), date="2024-06"))
    assert (other.linked, other.rule) == (False, "two_party")


def test_gathering_links_on_place_and_date_whatever_the_participants() -> None:
    a = meeting(PUTIN, actor("Lula", "BRA"), actor("Modi", "IND"), date="2024-10-22", location="Kasan")
    b = meeting(actor("BRICS-Staaten"), CHN, RUS, date="2024-10", location="Kazan")
    assert is_gathering(a) and is_gathering(b)
    assert same_event(a, b).linked
    elsewhere = same_event(a, meeting(RUS, CHN, IRN, date="2024-10-22", location="Astana"))
    assert (elsewhere.linked, elsewhere.rule) == (False, "place")


def test_gathering_without_a_place_is_too_vague() -> None:
    a = meeting(RUS, CHN, IRN, date="2024-04-26", location="Astana")
    b = meeting(RUS, CHN, IRN, date="2024-04-26")
    decision = same_event(a, b)
    assert (decision.linked, decision.rule) == (False, "gathering")
    assert "without a place" in decision.detail
    assert block_keys(b) == frozenset()


def test_two_party_claim_is_never_a_gathering() -> None:
    summit = meeting(RUS, CHN, IRN, KAZ, date="2024-04-26", location="Astana")
    sideline = meeting(RUS, CHN, date="2024-04-26", location="Astana")
    decision = same_event(summit, sideline)
    assert (decision.linked, decision.rule) == (False, "gathering")
    body = meeting(RUS, actor("NATO"), date="2024-04-26", location="Brüssel")
    assert is_gathering(body)


def test_people_same_person_for_a_state() -> None:
    a = meeting(actor("Sergei Schoigu", "RUS"), actor("Mohammed Reza Ashtiani", "IRN"), date="2024-04-26")
    b = meeting(actor("Schoigu", "RUS"), IRN, date="2024-04-26", location="Astana")
    assert same_event(a, b).linked  # only one names the Iranian: no conflict
    c = meeting(actor("Michail Bogdanow", "RUS"), actor("Ali Bagheri Qani", "IRN"), date="2024-04-26")
    decision = same_event(a, c)
    assert (decision.linked, decision.rule) == (False, "people")


def test_people_descriptors_are_not_people() -> None:
    a = meeting(PUTIN, actor("Staatschef von Kasachstan", "KAZ"), date="2024-07")
    b = meeting(PUTIN, actor("Kassym-Schomart Tokajew", "KAZ"), date="2024-07-03")
    assert same_event(a, b).linked
    assert same_event(b, meeting(PUTIN, actor("Toqajew", "KAZ"), date="2024-07-03")).linked


def test_time_common_precision() -> None:
    assert same_event(meeting(PUTIN, KIM, date="2024-06"), meeting(PUTIN, KIM, date="2024-06-19")).linked
    assert same_event(meeting(PUTIN, KIM, date="2024"), meeting(PUTIN, KIM, date="2024-10-22")).linked
    decision = same_event(meeting(PUTIN, KIM, date="2024-06"), meeting(PUTIN, KIM, date="2024-07-01"))
    assert (decision.linked, decision.rule) == (False, "time")


def test_time_one_day_tolerance_at_day_precision_only() -> None:
    assert same_event(meeting(PUTIN, KIM, date="2024-06-19"), meeting(PUTIN, KIM, date="2024-06-20")).linked
    assert same_event(meeting(PUTIN, KIM, date="2024-06-30"), meeting(PUTIN, KIM, date="2024-07-01")).linked
    assert not same_event(
        meeting(PUTIN, KIM, date="2024-06-19"), meeting(PUTIN, KIM, date="2024-06-21")
    ).linked
    assert not dates_agree("2024-06", "2024-07-01")[0]  # the tolerance needs two days
    assert dates_agree("2024-12-31", "2025-01-01")[0]


def test_time_dated_and_undated_arms_are_relation_and_shipment() -> None:
    relation = delivery(IRN, RUS, ["drones"])
    shipment = delivery(IRN, RUS, ["drones"], date="2024-09")
    decision = same_event(relation, shipment)
    assert (decision.linked, decision.rule) == (False, "time")
    assert "supply relation" in decision.detail
    assert block_keys(relation) != block_keys(shipment)
    linked = same_event(relation, delivery(IRN, RUS, ["missiles"]))
    assert (linked.linked, linked.rule) == (True, "arms_supply_relation")


def test_time_undated_meetings_are_too_vague() -> None:
    decision = same_event(meeting(PUTIN, KIM), meeting(PUTIN, KIM))
    assert (decision.linked, decision.rule) == (False, "time")
    assert block_keys(meeting(PUTIN, KIM)) == frozenset()
    assert not same_event(meeting(PUTIN, KIM), meeting(PUTIN, KIM, date="2024-06")).linked


def test_place_normalised_and_inside() -> None:
    a = meeting(PUTIN, KIM, date="2024-06-19", location="Pjöngjang")
    assert same_event(a, meeting(PUTIN, KIM, date="2024-06-19", location="Pyongyang")).linked
    assert same_event(a, meeting(PUTIN, KIM, date="2024-06", location="Nordkorea")).linked
    assert same_event(a, meeting(PUTIN, KIM, date="2024-06-19")).linked  # one place only: no test
    decision = same_event(a, meeting(PUTIN, KIM, date="2024-06-19", location="Wladiwostok"))
    assert (decision.linked, decision.rule) == (False, "place")


def test_weapons_of_dated_deliveries_must_overlap() -> None:
    a = delivery(IRN, RUS, ["drones", "missiles"], date="2024-09")
    assert same_event(a, delivery(IRN, RUS, ["missiles"], date="2024-09-10")).linked
    assert same_event(a, delivery(IRN, RUS, ["other"], date="2024-09-10")).linked  # generic
    assert same_event(a, delivery(IRN, RUS, [], date="2024-09-10")).linked
    decision = same_event(a, delivery(IRN, RUS, ["naval"], date="2024-09-10"))
    assert (decision.linked, decision.rule) == (False, "weapons")


def test_weapons_do_not_split_a_supply_relation() -> None:
    assert same_event(delivery(IRN, RUS, ["drones"]), delivery(IRN, RUS, ["naval"])).linked


def test_agreement_across_languages_and_generic() -> None:
    a = treaty(PUTIN, KIM, agreement="Treaty on Comprehensive Strategic Partnership", date="2024-06-19")
    german = treaty(RUS, PRK, agreement="Abkommen über umfassende strategische Partnerschaft", date="2024-06")
    assert same_event(a, german).linked
    assert same_event(a, treaty(RUS, PRK, agreement="the new defence pact", date="2024-06-19")).linked
    assert same_event(a, treaty(RUS, PRK, agreement="ein Abkommen", date="2024-06-19")).linked


def test_agreement_two_agreements_on_one_occasion() -> None:
    a = treaty(PUTIN, actor("Xi Jinping", "CHN"), agreement="joint declaration", date="2024-05-16")
    b = treaty(RUS, CHN, agreement="ten sectoral agreements", date="2024-05-16")
    decision = same_event(a, b)
    assert (decision.linked, decision.rule) == (False, "agreement")
    gas = treaty(RUS, CHN, agreement="Gasliefervertrag", date="2024-05-16")
    assert not same_event(gas, treaty(RUS, CHN, agreement="Verteidigungspakt", date="2024-05-16")).linked


def test_status_never_splits() -> None:
    planned = meeting(PUTIN, actor("Tokajew", "KAZ"), date="2024-11-27", status="planned")
    occurred = meeting(PUTIN, actor("Toqajew", "KAZ"), date="2024-11-27", status="occurred")
    assert same_event(planned, occurred).linked


def test_same_event_is_symmetric_and_explain_names_every_rule() -> None:
    a = meeting(PUTIN, KIM, date="2024-06-19", location="Pjöngjang")
    b = meeting(RUS, PRK, date="2024-06", location="Nordkorea")
    assert same_event(a, b) == same_event(b, a)
    linked = same_event(a, b)
    assert linked.rule == "two_party"
    assert [d.rule for d in explain(a, b)] == ["type", "two_party", "time", "place"]
    c = meeting(PUTIN, KIM, date="2024-05")
    assert same_event(a, c) == same_event(c, a)


def test_a_person_acting_for_a_body_is_one_party_not_a_group() -> None:
    guterres = meeting(PUTIN, actor("António Guterres"), date="2024-10-24", location="Kasan")
    summit = meeting(actor("BRICS-Staaten"), IRN, CHN, date="2024-10-23", location="Kazan")
    assert not is_gathering(guterres) and is_gathering(summit)
    decision = same_event(guterres, summit)
    assert (decision.linked, decision.rule) == (False, "gathering")
    again = meeting(actor("Wladimir Putin", "RUS"), actor("Guterres"), date="2024-10-24")
    assert same_event(guterres, again).linked
    assert not same_event(guterres, meeting(PUTIN, actor("Xi Jinping", "CHN"), date="2024-10-24")).linked


def _all_dates() -> list[str]:
    """Every day, month and year from 2023-11 to 2025-02 (two year ends, a leap day)."""
    from datetime import date, timedelta

    days = [date(2023, 11, 1) + timedelta(days=n) for n in range(486)]
    out = (
        {d.isoformat() for d in days} | {d.isoformat()[:7] for d in days} | {d.isoformat()[:4] for d in days}
    )
    return sorted(out | {"2024-02-30"})


def test_every_two_agreeing_dates_share_a_month_block() -> None:
    dates = _all_dates()
    months = {value: date_months(value) for value in dates}
    for a in dates:
        for b in dates:
            if dates_agree(a, b)[0]:
                assert months[a] & months[b], (a, b)
    assert date_months("2024-06-19") == {"2024-06"}
    assert date_months("2024-12-31") == {"2024-12", "2025-01"}
    assert block_keys(meeting(PUTIN, KIM, date="2024-06-19")) != block_keys(
        meeting(PUTIN, KIM, date="2024-08-19")
    )

"""Grouping: connected components, order-independent (a hypothesis shuffle), incremental, explained."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.events.group import EventIndex, VerifiedClaim, event_id, explain_pairs, group_claims, record_key
from tests.events.builders import IRN, KIM, PRK, PUTIN, RUS, actor, delivery, meeting, treaty

CLAIMS = [
    meeting(PUTIN, KIM, date="2024-06-19", location="Pjöngjang", doc_id="a"),
    meeting(RUS, PRK, date="2024-06", location="Nordkorea", doc_id="b"),
    meeting(PUTIN, actor("Kim Jong-un", "PRK"), date="2024-06-20", doc_id="c"),
    meeting(PUTIN, KIM, date="2023-09-13", location="Wostotschny", doc_id="c"),
    treaty(PUTIN, KIM, agreement="strategische Partnerschaft", date="2024-06", doc_id="a"),
    treaty(RUS, PRK, agreement="defence pact", date="2024-06-19", doc_id="d"),
    delivery(actor("Teheran", "IRN"), RUS, ["drones"], doc_id="a"),
    delivery(IRN, RUS, ["missiles"], doc_id="b"),
    delivery(IRN, RUS, ["missiles"], date="2024-09", doc_id="b"),
    delivery(IRN, RUS, ["missiles"], date="2024-09-07", doc_id="d"),
    delivery(RUS, IRN, ["aircraft"], doc_id="d"),
    meeting(PUTIN, KIM, doc_id="d"),
    meeting(PUTIN, KIM, doc_id="e"),
    meeting(RUS, actor("China", "CHN"), IRN, date="2024-10-23", location="Kasan", doc_id="e"),
    meeting(RUS, actor("BRICS"), date="2024-10", location="Kazan", doc_id="a"),
]


def _ids(events: list[list[VerifiedClaim]]) -> list[list[str]]:
    return [[record_key(c) for c in event] for event in events]


def test_components() -> None:
    events = group_claims(CLAIMS)
    sizes = sorted(len(e) for e in events)
    # Pyongyang visit (3), treaty (2), relation (2), shipment (2), BRICS summit (2), 4 singletons
    assert sizes == [1, 1, 1, 1, 2, 2, 2, 2, 3]
    visit = next(e for e in events if len(e) == 3)
    assert {c.doc_id for c in visit} == {"a", "b", "c"}


@settings(max_examples=60, deadline=None)
@given(st.permutations(CLAIMS))
def test_any_shuffle_gives_the_same_events(shuffled: list[VerifiedClaim]) -> None:
    assert _ids(group_claims(shuffled)) == _ids(group_claims(CLAIMS))


@settings(max_examples=40, deadline=None)
@given(st.permutations(CLAIMS), st.lists(st.integers(1, 5), min_size=1, max_size=8))
def test_incremental_adds_equal_one_batch(shuffled: list[VerifiedClaim], sizes: list[int]) -> None:
    index = EventIndex()
    position = 0
    for size in sizes * 4:
        index.add(shuffled[position : position + size])
        position += size
    index.add(shuffled[position:])
    assert _ids(index.events()) == _ids(group_claims(CLAIMS))


def test_add_reports_the_events_it_touched() -> None:
    index = EventIndex()
    first = index.add([CLAIMS[0], CLAIMS[6]])
    assert len(first.added) == 2 and first.removed == []
    old_visit = event_id([CLAIMS[0]])
    change = index.add([CLAIMS[1]])
    assert change.removed == [old_visit]
    assert [len(e) for e in change.added] == [2]
    assert event_id(change.added[0]) == event_id([CLAIMS[0], CLAIMS[1]])
    untouched = index.add([CLAIMS[10]])  # RUS→IRN: its own event; nothing else changes
    assert untouched.removed == [] and [len(e) for e in untouched.added] == [1]
    assert index.add([CLAIMS[10]]).added == []  # the same record again is ignored


def test_two_records_of_one_claim_are_one_event() -> None:
    a = meeting(PUTIN, KIM, doc_id="x", start=5)
    again = a.model_copy(update={"provenance": a.provenance.model_copy(update={"backend": "other"})})
    assert len(group_claims([a, again])) == 1
    assert len(group_claims([a, meeting(PUTIN, KIM, doc_id="x", start=50)])) == 2


def test_event_id_depends_on_members_only() -> None:
    assert event_id(CLAIMS[:2]) == event_id(list(reversed(CLAIMS[:2])))
    assert event_id(CLAIMS[:2]) != event_id(CLAIMS[:1])
    assert event_id(CLAIMS[:2]).startswith("ev_")


def test_explain_pairs_names_the_rule_of_every_candidate_pair() -> None:
    early_june = meeting(PUTIN, KIM, date="2024-06-05", doc_id="f")
    pairs = explain_pairs([*CLAIMS, early_june])
    rules = {(a.doc_id, b.doc_id, d.rule) for a, b, d in pairs}
    assert ("a", "b", "two_party") in rules
    assert any(d.rule == "time" and not d.linked for _, _, d in pairs)
    # blocked by month: June 2024 and September 2023 are never compared
    assert not any({a.date, b.date} == {"2024-06-19", "2023-09-13"} for a, b, _ in pairs)
    # blocked: a meeting is never compared with a delivery, nor an undated meeting with anything
    assert all(a.type == b.type for a, b, _ in pairs)
    assert not any(a.date is None and a.type == "meeting" for a, _, _ in pairs)


def test_one_sentence_two_meetings_of_the_same_people_are_two_records() -> None:
    kazan = meeting(PUTIN, IRN, date="2024-10-23", doc_id="x", start=0)
    ashgabat = kazan.model_copy(update={"date": "2024-10-11", "location": "Ashgabat"})
    assert record_key(kazan) != record_key(ashgabat)
    assert len(group_claims([kazan, ashgabat])) == 2

"""An event's summary: actors union, agreed date and conflicts, place, weapons, counts, sources."""

from __future__ import annotations

import pytest

from claims.events.summary import DocumentInfo, event_date, summarize
from tests.events.builders import IRN, KIM, PRK, PUTIN, RUS, actor, delivery, meeting


def test_event_date_most_precise_agreed_and_conflicts() -> None:
    assert event_date([]) == (None, [])
    assert event_date(["2024-06", "2024-06-19"]) == ("2024-06-19", [])
    assert event_date(["2024-06-19", "2024-06-20", "2024"]) == ("2024-06", ["2024-06-19", "2024-06-20"])
    date, conflicts = event_date(["2023", "2024", "2024"])
    assert date == "2024" and conflicts == ["2023", "2024"]


def test_summary_of_a_visit() -> None:
    members = [
        meeting(PUTIN, KIM, date="2024-06-19", location="Pjöngjang", doc_id="a", status="occurred"),
        meeting(RUS, PRK, date="2024-06", location="Nordkorea", doc_id="b", status="planned"),
        meeting(actor("Putin", "RUS"), actor("Kim Jong-un", "PRK"), date="2024-06", doc_id="c"),
    ]
    documents = {
        "a": DocumentInfo(published="2024-06-20", publisher="tass.ru"),
        "b": DocumentInfo(published="2024-06-10", publisher="tass.ru"),
    }
    summary = summarize(members, documents, run_ids={members[0].claim_id: "run-1"})
    assert summary.type == "meeting"
    assert [(a.name, a.country) for a in summary.actors] == [
        ("Kim Jong Un", "PRK"),
        ("Wladimir Putin", "RUS"),
    ]
    assert summary.date == "2024-06-19" and summary.date_conflicts == []
    assert summary.location == "Pjöngjang"  # the city, not the country
    assert summary.status_counts == {"occurred": 2, "planned": 1}
    assert (summary.documents, summary.sources) == (3, 2)  # c has no publisher: its own source
    assert (summary.first_reported, summary.last_reported) == ("2024-06-10", "2024-06-20")
    assert [ref.doc_id for ref in summary.claims] == ["a", "b", "c"]
    assert summary.claims[0].run_id == "run-1" and summary.claims[1].run_id is None
    assert summary.claims[0].quote == members[0].quote and summary.claims[0].span == members[0].span


def test_summary_of_a_supply_relation_unions_weapons() -> None:
    members = [
        delivery(actor("Teheran", "IRN"), RUS, ["drones"], weapons=["Drohnen"], doc_id="a"),
        delivery(IRN, RUS, ["missiles", "drones"], weapons=["ballistische Raketen"], doc_id="b"),
    ]
    summary = summarize(members, {})
    assert summary.weapons == ["Drohnen", "ballistische Raketen"]
    assert summary.weapon_categories == ["drones", "missiles"]
    assert summary.date is None and summary.location is None
    assert [a.country for a in summary.actors] == ["IRN", "RUS"]
    assert summary.first_reported is None


def test_summary_needs_a_claim() -> None:
    with pytest.raises(ValueError, match="at least one claim"):
        summarize([], {})

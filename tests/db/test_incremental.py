"""Grouping as `claims extract --db` does it, one document at a time: the events a document
rewrites are the ones it joins, however many others share its block (counted, not timed)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest

import claims.db
from claims.db import maintain
from claims.events.group import VerifiedClaim, group_claims
from claims.run.document import DocumentResult
from tests.db.builders import document, meeting, result, write_docs_of_one_block
from tests.events.builders import delivery, treaty
from tests.events.builders import meeting as any_meeting
from tests.events.test_properties import ACTORS, AGREEMENTS, CATEGORIES, DATES, PLACES


class Spy:
    """Counts the events written and deleted, and the claim records parsed, by `update_events`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.written = self.deleted = 0
        store_event, delete_events = maintain.store_event, maintain.delete_events

        def counting_store(connection: Any, summary: Any, group: Any) -> None:
            self.written += 1
            store_event(connection, summary, group)

        def counting_delete(connection: Any, event_ids: Sequence[str]) -> None:
            self.deleted += len(event_ids)
            delete_events(connection, list(event_ids))

        monkeypatch.setattr(maintain, "store_event", counting_store)
        monkeypatch.setattr(maintain, "delete_events", counting_delete)

    def take(self) -> tuple[int, int]:
        counts = (self.written, self.deleted)
        self.written = self.deleted = 0
        return counts


def test_each_document_rewrites_only_the_events_it_joins(
    db: claims.db.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    work = []
    # 15 Russia–Iran meetings in one month, two days apart: one block, 15 separate events
    for doc, outcome in write_docs_of_one_block(15):
        assert db.write_document("r1", doc, outcome)
        work.append(spy.take())
    assert work == [(1, 0)] * 15, "a new event is written alone, whatever the block holds"
    assert db.counts()["events"] == 15
    # a report dated between two of them (a day from each) joins both: two events become one
    bridge = document("bridge", "Am Dienstag trafen sich Vertreter von Russland und Iran in Moskau.")
    assert db.write_document("r1", bridge, result(bridge, meeting(bridge, "RUS", "IRN", "2024-06-04")))
    assert spy.take() == (1, 2) and db.counts()["events"] == 14
    # another run's record of a claim already grouped rewrites that event only, under the same id
    first, _ = write_docs_of_one_block(1)[0]
    again = meeting(first, "RUS", "IRN", "2024-06-01", model="m2")
    (before,) = [e.event_id for e in db.events() if any(r.doc_id == first.id for r in e.claims)]
    db.start_run("r2", backend="rules", model="m2", prompt_hash="p1")
    assert db.write_document("r2", first, result(first, again))
    assert spy.take() == (1, 1)
    (after,) = [e for e in db.events() if any(r.doc_id == first.id for r in e.claims)]
    assert after.event_id == before and {r.run_id for r in after.claims} == {"r1", "r2"}


def test_work_per_document_stays_flat_as_the_database_grows(
    db: claims.db.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    start = date(2024, 6, 1)
    work = []
    for number in range(40):
        # a new meeting every third day (events of its own) and every fourth document a second
        # report of an earlier one (one event rewritten)
        day = start + timedelta(days=3 * (number if number % 4 else number // 2))
        doc = document(f"g{number:02d}", f"Am Tag {number} trafen sich Vertreter von Russland und Iran.")
        assert db.write_document("r1", doc, result(doc, meeting(doc, "RUS", "IRN", day.isoformat())))
        work.append(spy.take())
    assert max(written for written, _ in work) == 1
    assert max(deleted for _, deleted in work) <= 1


def test_a_second_run_of_an_undated_meeting_joins_its_event(db: claims.db.Database) -> None:
    """An undated meeting has no block key: its other record is found by document and claim id."""
    doc = document("u1", "Vertreter von Russland und Iran trafen sich in Moskau.")
    for run, model in (("r1", "m1"), ("r2", "m2")):
        db.start_run(run, backend="rules", model=model, prompt_hash="p1")
        db.write_document(run, doc, result(doc, meeting(doc, "RUS", "IRN", None, model=model)))
    (event,) = db.events()
    assert sorted(ref.run_id or "" for ref in event.claims) == ["r1", "r2"]


def random_claims(seed: int, count: int) -> list[VerifiedClaim]:
    """Claims drawn like the property tests' (tests/events): states, people, bodies, dates at
    every precision, places, agreements and weapon categories that link in many ways."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        kind, doc = rng.choice(["meeting", "treaty", "delivery"]), rng.choice(["a", "b", "c"])
        date, place = rng.choice(DATES), rng.choice(PLACES)
        if kind == "delivery":
            cats = rng.sample(CATEGORIES, rng.randint(0, 2))
            supplier, recipient = rng.sample(ACTORS, 2)
            out.append(delivery(supplier, recipient, cats, date=date, location=place, doc_id=doc))
        elif kind == "treaty":
            parties = rng.sample(ACTORS, rng.randint(2, 4))
            agreement = rng.choice(AGREEMENTS)
            out.append(treaty(*parties, agreement=agreement, date=date, location=place, doc_id=doc))
        else:
            parties = rng.sample(ACTORS, rng.randint(2, 4))
            out.append(any_meeting(*parties, date=date, location=place, doc_id=doc))
    return out


@pytest.mark.parametrize(("seed", "batch"), [(1, 7), (2, 1), (3, 1000)])
def test_batched_updates_give_the_events_of_grouping_everything_at_once(
    db: claims.db.Database, seed: int, batch: int
) -> None:
    items = random_claims(seed, 120)
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    for doc_id in ("a", "b", "c"):
        doc = document(doc_id, "x" * 5000)
        db.write_document(
            "r1", doc, DocumentResult(doc_id, claims=[c for c in items if c.doc_id == doc_id]), group=False
        )
    db.update_events(batch=batch)
    stored = sorted(sorted(f"{r.doc_id}/{r.claim_id}" for r in event.claims) for event in db.events())
    expected = sorted(sorted(f"{c.doc_id}/{c.claim_id}" for c in event) for event in group_claims(items))
    assert stored == expected and len(expected) < len(items), "some claims link"

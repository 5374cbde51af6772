"""Writing documents and runs, and keeping events up to date — on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import random

import pytest
from sqlalchemy import func, select

import claims.db
from claims.db import schema as t
from claims.db.store import DocumentConflict
from claims.inputs.origin import Origin
from claims.run.document import DocumentResult
from claims.schema import ErrorRecord
from tests.db.builders import corpus, document, meeting, result


def write_all(db: claims.db.Database, run_id: str = "r1", order: list[int] | None = None) -> None:
    db.start_run(run_id, backend="rules", model="m1", prompt_hash="p1")
    items = corpus()
    for index in order or range(len(items)):
        doc, outcome = items[index]
        db.write_document(run_id, doc, outcome)


def event_sets(db: claims.db.Database) -> set[frozenset[tuple[str, str]]]:
    return {frozenset((ref.doc_id, ref.claim_id) for ref in event.claims) for event in db.events()}


def test_documents_keep_text_metadata_and_a_content_hash(db: claims.db.Database) -> None:
    write_all(db)
    stored = db.document("d0")
    assert stored is not None
    assert stored.text.startswith("Am Montag trafen sich")
    assert (stored.published, stored.language, stored.source) == ("2024-06-20", "de", "/news/d0.txt")
    assert len(stored.content_hash) == 64
    assert db.counts() == {"documents": 5, "runs": 1, "claims": 7, "rejected": 0, "errors": 0, "events": 4}


def test_a_document_written_twice_in_a_run_is_kept_once(db: claims.db.Database) -> None:
    write_all(db)
    doc, outcome = corpus()[0]
    assert db.write_document("r1", doc, outcome) is False
    assert db.counts()["claims"] == 7


def test_another_model_adds_a_run_and_every_claim_keeps_its_run(db: claims.db.Database) -> None:
    write_all(db)
    db.start_run("r2", backend="rules", model="m2", prompt_hash="p1")
    doc, _ = corpus()[0]
    db.write_document("r2", doc, result(doc, meeting(doc, "RUS", "IRN", "2024-06-17", model="m2")))
    assert db.counts()["runs"] == 2 and db.counts()["documents"] == 5
    (event,) = [e for e in db.events(type="meeting", country=["IRN"])]
    runs = {(ref.doc_id, ref.run_id) for ref in event.claims}
    assert ("d0", "r1") in runs and ("d0", "r2") in runs
    assert event.documents == 3


def test_the_same_id_with_another_text_is_refused(db: claims.db.Database) -> None:
    write_all(db)
    other = document("d0", "Ein ganz anderer Text über ein Treffen in Minsk.")
    db.start_run("r2", backend="rules", model="m2", prompt_hash="p1")
    with pytest.raises(DocumentConflict, match=r"'d0'.*another text"):
        db.write_document("r2", other, DocumentResult("d0"))
    stored = db.document("d0")
    assert stored is not None and stored.text.startswith("Am Montag")


def test_a_claim_without_its_document_names_it(db: claims.db.Database) -> None:
    _doc, outcome = corpus()[0]
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    with pytest.raises(claims.db.DatabaseError, match="document 'd0' is not in the database"):
        db.write_document("r1", None, outcome)
    assert db.counts()["claims"] == 0


def test_a_failed_document_is_retried_and_its_error_replaced(db: claims.db.Database) -> None:
    doc, outcome = corpus()[0]
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    error = ErrorRecord(doc_id="d0", source=doc.source, stage="extract", error="APITimeoutError", message="x")
    db.write_document("r1", doc, DocumentResult("d0", error=error))
    assert db.finished_documents("r1") == {} and db.counts()["errors"] == 1
    assert db.write_document("r1", doc, outcome) is True
    assert set(db.finished_documents("r1")) == {"d0"} and db.counts()["errors"] == 0
    assert db.finished_documents("r1")["d0"]["claims"] == 2


def test_a_load_error_without_a_document_id_is_kept_once_across_resumed_runs(db: claims.db.Database) -> None:
    # A broken input line has no document id: the run records it under its source (FILE:LINE).
    error = ErrorRecord(
        doc_id=None, source="docs.jsonl:3", stage="load", error="DocumentError", message="not JSON"
    )
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    db.write_document("r1", None, DocumentResult("docs.jsonl:3", error=error))
    db.start_run("r2", backend="rules", model="m1", prompt_hash="p1", series="r1")  # --resume
    db.write_document("r2", None, DocumentResult("docs.jsonl:3", error=error))
    assert db.counts()["errors"] == 1


def test_a_resumed_run_replaces_a_partial_document_and_regroups_its_events(db: claims.db.Database) -> None:
    write_all(db)
    expected = event_sets(db)
    doc, outcome = corpus()[1]
    chunk_error = ErrorRecord(doc_id="d1", stage="extract", error="APITimeoutError", message="x", chunk=1)
    db.start_run("r0", backend="rules", model="m1", prompt_hash="p1")
    db.write_document("r0", doc, DocumentResult("d1", claims=outcome.claims[:1], chunk_errors=[chunk_error]))
    # r0 is partial for d1; r3 resumes r0's series and writes d1 whole
    db.start_run("r3", backend="rules", model="m1", prompt_hash="p1", series="r0")
    assert db.finished_documents("r0") == {}
    assert db.write_document("r3", doc, outcome) is True
    assert db.write_document("r3", doc, outcome) is False
    with db.engine.connect() as connection:
        runs = connection.execute(select(t.claims.c.run_id).where(t.claims.c.doc_id == "d1")).scalars().all()
        errors = connection.execute(select(func.count()).select_from(t.errors)).scalar()
    assert sorted(runs) == ["r1", "r1", "r3", "r3"] and errors == 0
    grouped = {frozenset(key for key in keys) for keys in event_sets(db)}
    assert grouped == expected


def test_events_link_claims_across_documents(db: claims.db.Database) -> None:
    write_all(db)
    meetings = db.events(type="meeting", country=["RUS", "IRN"])
    assert len(meetings) == 1
    assert {ref.doc_id for ref in meetings[0].claims} == {"d0", "d1", "d2"}
    assert meetings[0].documents == 3 and meetings[0].status_counts == {"occurred": 3}
    (supply,) = db.events(type="arms_delivery", country=["IRN"])
    assert {ref.doc_id for ref in supply.claims} == {"d0", "d1"}
    ref = supply.claims[0]
    stored = db.document(ref.doc_id)
    assert stored is not None and stored.text[ref.span.start : ref.span.end] == ref.quote


def test_incremental_events_equal_grouping_everything_at_once_in_any_order(db_target: str) -> None:
    with claims.db.open(db_target) as db:
        write_all(db)
        expected = event_sets(db)
        ids = {event.event_id for event in db.events()}
    for seed in range(3):
        order = list(range(len(corpus())))
        random.Random(seed).shuffle(order)
        with claims.db.open(db_target) as db:
            with db.writer.begin() as connection:
                for table in reversed(t.metadata.sorted_tables):
                    connection.execute(table.delete())
            write_all(db, order=order)
            assert event_sets(db) == expected
            assert {event.event_id for event in db.events()} == ids


def test_adding_a_document_touches_only_the_events_it_can_affect(db: claims.db.Database) -> None:
    write_all(db)
    before = {event.event_id: event for event in db.events()}
    doc = document("d9", "Am Mittwoch trafen sich Vertreter von Russland und Nordkorea in Moskau.")
    db.write_document("r1", doc, result(doc, meeting(doc, "RUS", "PRK", "2024-06-19")))
    after = {event.event_id: event for event in db.events()}
    changed = set(before) ^ set(after)
    (old_prk,) = [
        e for e in before.values() if e.type == "meeting" and "PRK" in {a.country for a in e.actors}
    ]
    assert old_prk.event_id in changed and len(changed) == 2
    unchanged = set(before) & set(after)
    assert all(before[i] == after[i] for i in unchanged) and len(unchanged) == 3


def test_pending_claims_are_grouped_by_the_next_update(db: claims.db.Database) -> None:
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    for doc, outcome in corpus():
        db.write_document("r1", doc, outcome, group=False)
    assert db.counts()["events"] == 0
    assert db.update_events(batch=2) == 4 + 0 or db.counts()["events"] == 4
    assert db.counts()["events"] == 4
    with db.engine.connect() as connection:
        pending = connection.execute(select(func.count()).where(t.claims.c.event_id.is_(None))).scalar()
    assert pending == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"type": "meeting"}, 2),
        ({"country": ["IRN"]}, 2),
        ({"country": ["PRK", "RUS"]}, 2),
        ({"country": ["PRK", "IRN"]}, 0),
        ({"actor": "nordk"}, 2),
        ({"since": "2024-06-18"}, 1),
        ({"until": "2024-06-17"}, 1),
        ({"status": "alleged"}, 2),
        ({"min_sources": 2}, 2),
        ({"type": "arms_delivery", "min_sources": 2}, 1),
    ],
)
def test_event_filters(db: claims.db.Database, filters: dict[str, object], expected: int) -> None:
    write_all(db)
    assert len(db.events(**filters)) == expected


@pytest.mark.parametrize(
    ("needle", "docs"), [("lieferung", {"d4"}), ("DROHNEN", set()), ("Nordkorea in", {"d3"})]
)
def test_search_finds_quotes_inside_german_compounds(
    db: claims.db.Database, needle: str, docs: set[str]
) -> None:
    write_all(db)
    hits = db.search(needle)
    if needle == "DROHNEN":
        assert {hit.doc_id for hit in hits} == {"d0", "d1"}
    else:
        assert {hit.doc_id for hit in hits} == docs
    assert all(needle.lower() in hit.quote.lower() for hit in hits)


def test_search_treats_its_text_literally(db: claims.db.Database) -> None:
    write_all(db)
    for needle in ['"', "%", "_", "AND", "a*", "Iran' OR 1=1"]:
        assert all(needle.lower() in hit.quote.lower() for hit in db.search(needle))


def test_explain_names_the_rule_for_every_pair(db: claims.db.Database) -> None:
    write_all(db)
    (event,) = db.events(type="meeting", country=["IRN"])
    explanation = db.explain(event.event_id)
    assert explanation is not None
    pairs = {frozenset((p.a, p.b)) for p in explanation.linked + explanation.apart_inside}
    members = [f"{r.doc_id}/{r.claim_id}" for r in event.claims]
    assert pairs == {frozenset(pair) for pair in itertools.combinations(members, 2)}
    assert all(p.decision.linked and p.decision.rule for p in explanation.linked)
    assert all(not p.decision.linked for p in explanation.kept_apart)
    assert db.explain("nope") is None


def test_a_document_keeps_its_origin(db: claims.db.Database) -> None:
    doc, outcome = corpus()[0]
    origin = Origin(
        url="https://www.tagesschau.de/ausland/treffen-100.html",
        site="tagesschau.de",
        title="Treffen in Moskau",
        path="/pages/treffen.html",
        encoding="cp1252",
        extractor="trafilatura 2.0.0",
    )
    db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
    db.write_document("r1", doc.model_copy(update={"origin": origin}), outcome)
    stored = db.document(doc.id)
    assert stored is not None
    kept = (stored.url, stored.site, stored.title, stored.path, stored.encoding, stored.extractor)
    assert kept == (origin.url, origin.site, origin.title, origin.path, origin.encoding, origin.extractor)

"""Schema migrations: a database made by the previous schema opens and upgrades, its data kept."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, inspect, select, text

import claims.db
from claims.db import schema as t
from claims.db.linking import block_keys
from claims.db.migrations import MIGRATIONS, MIGRATIONS_TABLE
from claims.db.store import content_hash
from claims.run.document import DocumentResult
from claims.schema import VerifiedClaim
from tests.db.builders import corpus, document, meeting


def insert_old_claims(connection: Connection, run_id: str, claims: Sequence[VerifiedClaim]) -> None:
    """Claims as the schema before migration 3 held them (no record key), with an old block key."""
    for claim in claims:
        row = connection.execute(
            text(
                "INSERT INTO claims (run_id, claim_id, doc_id, type, status, date, location, quote, "
                "span_start, span_end, record) VALUES (:run, :claim_id, :doc_id, :type, :status, :date, "
                ":location, :quote, :start, :end, :record) RETURNING id"
            ),
            {
                "run": run_id,
                **claim.model_dump(include={"claim_id", "doc_id", "type", "date", "location", "quote"}),
                "status": str(claim.status),
                "start": claim.span.start,
                "end": claim.span.end,
                "record": claim.model_dump_json(),
            },
        ).scalar()
        connection.execute(
            text("INSERT INTO claim_blocks (block, claim_row) VALUES (:block, :row)"),
            {"block": f"{claim.type}|old-key", "row": row},
        )


def test_a_database_of_the_previous_schema_opens_and_upgrades(db_target: str) -> None:
    assert len(MIGRATIONS) >= 2
    with claims.db.open(db_target, upto=1) as old, old.writer.begin() as connection:
        assert "site" not in {c["name"] for c in inspect(connection).get_columns("documents")}
        # what the first schema could hold: a run, a document, its claims
        connection.execute(
            text("INSERT INTO runs (run_id, series, started_at) VALUES ('r-old', 'r-old', '2024-01-01')")
        )
        doc, outcome = corpus()[4]
        connection.execute(
            text(
                "INSERT INTO documents (doc_id, text, content_hash, added_at) VALUES (:id, :text, 'h', 'now')"
            ),
            {"id": doc.id, "text": doc.text},
        )
        insert_old_claims(connection, "r-old", outcome.claims)
    with claims.db.open(db_target) as db, db.engine.connect() as connection:
        names = connection.execute(text(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name")).scalars().all()
        assert names == [migration.__name__ for migration in MIGRATIONS]
        assert "site" in {c["name"] for c in inspect(connection).get_columns("documents")}
        hits = db.search("lieferungen aus")  # the search index covers claims written before it existed
        assert [hit.doc_id for hit in hits] == ["d4"] and hits[0].run_id == "r-old"
    assert db.update_events() == 1
    with claims.db.open(db_target) as db:
        assert db.counts()["events"] == 1 and db.events(country=["PRK"])[0].claims[0].run_id == "r-old"


def test_opening_again_applies_nothing(db_target: str) -> None:
    claims.db.open(db_target).close()
    with claims.db.open(db_target) as db, db.engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {MIGRATIONS_TABLE}")).scalar()
    assert count == len(MIGRATIONS)


def test_a_database_before_record_keys_upgrades_and_then_keeps_two_claims_of_one_sentence(
    db_target: str,
) -> None:
    kazan_doc = document("k1", "Putin traf Pezeshkian am Mittwoch, nachdem sie sich am 11. Oktober trafen.")
    kazan = meeting(kazan_doc, "RUS", "IRN", "2024-10-23")
    ashgabat = kazan.model_copy(update={"date": "2024-10-11", "location": "Aschgabat"})
    with claims.db.open(db_target, upto=2) as old:
        old.start_run("r-old", backend="rules", model="m1", prompt_hash="p1")
        with old.writer.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO documents (doc_id, text, content_hash, added_at, site) "
                    "VALUES ('k1', :text, :hash, 'now', 'dw.com')"
                ),
                {"text": kazan_doc.text, "hash": content_hash(kazan_doc.text)},
            )
            insert_old_claims(connection, "r-old", [kazan])  # the old schema held one of the two
    with claims.db.open(db_target) as db, db.engine.connect() as connection:
        names = connection.execute(text(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY name")).scalars().all()
        assert "m003_record_keys_and_origin" in names and len(names) == len(MIGRATIONS)
        indexes = {index["name"] for index in inspect(connection).get_indexes("run_documents")}
        assert "ix_run_documents_doc" in indexes
        columns = {c["name"] for c in inspect(connection).get_columns("documents")}
        assert {"site", "title", "url", "path", "encoding", "extractor"} <= columns
        keys = connection.execute(select(t.claims.c.record_key)).scalars().all()
        blocks = connection.execute(select(t.claim_blocks.c.block)).scalars().all()
        assert keys == ["k1\x1f" + kazan.claim_id + "\x1f2024-10-23\x1f"]
        assert sorted(blocks) == sorted(block_keys(kazan)), "block keys recomputed"
    with claims.db.open(db_target) as db:
        assert db.update_events() == 1
        db.start_run("r-new", backend="rules", model="m1", prompt_hash="p1")
        assert db.write_document("r-new", kazan_doc, DocumentResult("k1", claims=[kazan, ashgabat]))
        assert db.counts()["claims"] == 3
        assert len(db.search("Pezeshkian")) == 3, "the quote index follows the rebuilt table"
        dates = sorted(event.date or "" for event in db.events())
        assert dates == ["2024-10-11", "2024-10-23"]


def test_events_written_before_headlines_get_them_and_listings_match_the_summaries(db_target: str) -> None:
    with claims.db.open(db_target) as db:
        db.start_run("r1", backend="rules", model="m1", prompt_hash="p1")
        for doc, outcome in corpus():
            db.write_document("r1", doc, outcome)
        db.update_events()
        full = db.events()
    assert full and any(len(event.claims) > 1 for event in full)
    with claims.db.open(db_target) as db, db.writer.begin() as connection:  # the schema before m004
        connection.execute(text("ALTER TABLE events DROP COLUMN headline"))
        connection.execute(text(f"DELETE FROM {MIGRATIONS_TABLE} WHERE name = 'm004_event_headlines'"))
    with claims.db.open(db_target) as db:
        with db.engine.connect() as connection:
            empty = connection.execute(text("SELECT count(*) FROM events WHERE headline IS NULL")).scalar()
        assert empty == 0, "the migration wrote every event's headline"
        listed = db.headlines()
        assert listed == [event.headline() for event in full]
        assert [h.claim_count for h in listed] == [len(event.claims) for event in full]
        assert db.headlines(country=["IRN"]) == [e.headline() for e in db.events(country=["IRN"])]

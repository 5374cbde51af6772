"""Schema migrations: a database made by the previous schema opens and upgrades, its data kept."""

from __future__ import annotations

from sqlalchemy import inspect, text

import claims.db
from claims.db.migrations import MIGRATIONS, MIGRATIONS_TABLE
from claims.db.store import insert_claims
from tests.db.builders import corpus


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
        insert_claims(connection, "r-old", outcome.claims)
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

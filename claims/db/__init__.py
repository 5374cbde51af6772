"""The claims database: documents, runs, verified and rejected claims, errors, and the events that
link claims across documents. SQLite by default, PostgreSQL for teams and clusters.

    import claims.db
    with claims.db.open("claims.db") as db:
        for event in db.events(country=["IRN"]):
            print(event.event_id, event.type, event.date, event.sources)
"""

from __future__ import annotations

from claims.db.engine import DatabaseError
from claims.db.store import Database, open

__all__ = ["Database", "DatabaseError", "open"]

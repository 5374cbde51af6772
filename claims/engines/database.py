"""`--engine ray --db`: the combined job goes into a claims database after its shards finish.

The shards never write the database themselves (SQLite cannot be shared over a cluster's file
system); the driver writes each combined document through the database's public `DatabaseSink`,
one transaction per document. With `--resume` the run joins the series of the earlier run (same
backend, model and prompt): documents that series finished are skipped, failed or partial ones
are replaced, so a rerun adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claims.db import Database
from claims.db.sink import DatabaseSink
from claims.engines.combine import combined_results
from claims.engines.shards import Shard, ShardStore
from claims.run.manifest import Manifest
from claims.run.sinks import RunInfo


@dataclass
class DatabaseWrite:
    """What the database received."""

    written: int = 0
    skipped: int = 0
    """Documents an earlier run of the series had finished."""
    conflicts: int = 0
    """Documents whose id the database holds with another text (written as their error)."""


def write_database(
    db: Database,
    shards: Sequence[Shard],
    store: ShardStore,
    run: RunInfo,
    manifest: Manifest,
    resume: bool = False,
) -> DatabaseWrite:
    """Write every combined document of the job into `db` as the run `run`, then its manifest."""
    sink = DatabaseSink(db, resume=resume)
    finished = sink.resume_state(run.backend, run.described) if resume else {}
    report = DatabaseWrite()
    sink.start(run)
    for result in combined_results(shards, store):
        if result.doc_id in finished:
            report.skipped += 1
            continue
        sink.write(result)
        report.written += 1
    sink.finish(manifest)
    report.conflicts = sink.conflicts
    return report

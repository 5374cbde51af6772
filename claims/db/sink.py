"""The run driver's database sink: each finished document goes to the database in one
transaction (document, claims, rejected claims, errors, and the events its claims join)."""

from __future__ import annotations

import dataclasses
from typing import Any

from claims.db.store import Database, DocumentConflict
from claims.run.document import DocumentResult
from claims.run.manifest import DESCRIBED_FIELDS, Manifest
from claims.run.sinks import RunInfo
from claims.schema import ErrorRecord
from claims.software import Software


def provisional_manifest(run: RunInfo) -> Manifest:
    """What is known of a run when it starts (no totals yet): a killed run keeps this much.
    RunInfo holds nothing secret (describe() and the public settings); the store scrubs all the same."""
    described = run.described
    return Manifest(
        run_id=run.run_id,
        backend=run.backend,
        **{name: described.get(name) for name in DESCRIBED_FIELDS},
        details={k: v for k, v in described.items() if k not in DESCRIBED_FIELDS},
        settings=run.settings,
        options=dataclasses.asdict(run.options),
        software=Software.current(),
        started_at=run.started_at,
    )


class DatabaseSink:
    """Writes a run to a claims database (a `claims.run.sinks.Sink`).

    With `resume`, call `resume_state` before the run: the new run joins the series of the newest
    run made with the same backend, model and prompt, and the documents that series finished are
    skipped. Failed or partial documents of the series are replaced when written again."""

    def __init__(self, db: Database, resume: bool = False) -> None:
        self.db = db
        self.resume = resume
        self.series: str | None = None
        self.run_id: str | None = None
        self.conflicts = 0

    def resume_state(self, backend_name: str, described: dict[str, str | None]) -> dict[str, dict[str, Any]]:
        """The progress records of the documents the series to continue finished."""
        self.series = self.db.latest_series(
            backend_name, described.get("model"), described.get("prompt_hash")
        )
        return self.db.finished_documents(self.series) if self.series else {}

    def start(self, run: RunInfo) -> None:
        """Record the run with a provisional manifest, replaced by the whole one at `finish`."""
        self.run_id = run.run_id
        self.db.start_run(
            run.run_id,
            backend=run.backend,
            model=run.described.get("model"),
            prompt_hash=run.described.get("prompt_hash"),
            series=self.series,
            manifest=provisional_manifest(run).model_dump(mode="json"),
        )

    def write(self, result: DocumentResult) -> None:
        if self.run_id is None:
            raise RuntimeError("DatabaseSink.write before start")
        try:
            self.db.write_document(self.run_id, result.document, result)
        except DocumentConflict as conflict:  # recorded as the document's error; the run goes on
            self.conflicts += 1
            document = result.document
            error = ErrorRecord(
                doc_id=result.doc_id,
                source=document.source if document else None,
                stage="load",
                error="DocumentConflict",
                message=str(conflict),
            )
            self.db.write_document(self.run_id, None, DocumentResult(result.doc_id, error=error))

    def finish(self, manifest: Manifest) -> None:
        if self.run_id is not None:
            self.db.finish_run(self.run_id, manifest.model_dump(mode="json"))

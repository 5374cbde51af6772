"""The run driver's database sink: each finished document goes to the database in one
transaction (document, claims, rejected claims, error, and the events its claims join)."""

from __future__ import annotations

from typing import Any

from claims.db.store import Database, DocumentConflict, new_run_id
from claims.inputs.documents import Document
from claims.run.pipeline import DocumentResult
from claims.schema import ErrorRecord


class DatabaseSink:
    """Writes a run to a claims database. `resume` continues the newest run made with the same
    backend, model and prompt, skipping the documents it finished (`finished`)."""

    def __init__(self, db: Database, resume: bool = False) -> None:
        self.db = db
        self.resume = resume
        self.run_id: str | None = None
        self.finished: set[str] = set()
        self.conflicts = 0

    def start(self, run: Any) -> None:
        """`run`: the driver's RunInfo, or anything with `backend` (a name or a describe() dict)."""
        described = getattr(run, "described", None) or getattr(run, "backend", None) or {}
        if not isinstance(described, dict):
            described = {"backend": str(described)}
        backend = described.get("backend") or getattr(run, "backend_name", None)
        model, prompt_hash = described.get("model"), described.get("prompt_hash")
        existing = self.db.latest_run(backend, model, prompt_hash) if self.resume else None
        if existing is not None:
            self.run_id = existing
            self.finished = self.db.finished_documents(existing)
            return
        self.run_id = getattr(run, "run_id", None) or new_run_id()
        self.db.start_run(self.run_id, backend=backend, model=model, prompt_hash=prompt_hash)

    def write(self, result: DocumentResult, document: Document | None = None) -> None:
        """One finished document; its text comes from `document` or `result.document`."""
        if self.run_id is None:
            raise RuntimeError("DatabaseSink.write before start")
        document = document or getattr(result, "document", None)
        try:
            self.db.write_document(self.run_id, document, result)
        except DocumentConflict as conflict:
            self.conflicts += 1
            failed = DocumentResult(
                result.doc_id,
                error=ErrorRecord(
                    doc_id=result.doc_id,
                    source=document.source if document else None,
                    stage="load",
                    error="DocumentConflict",
                    message=str(conflict),
                ),
            )
            self.db.write_document(self.run_id, None, failed)

    def finish(self, manifest: Any) -> None:
        if self.run_id is None:
            return
        data = manifest.model_dump(mode="json") if hasattr(manifest, "model_dump") else dict(manifest)
        self.db.finish_run(self.run_id, data)

"""`claims batch collect`: results in, exactly the records `claims extract` writes out.

Output and error files are joined on custom_id (a batch keeps no order; failed requests are in
the error file; an expired batch returns what finished). Each document is then replayed through
the online path's per-document extraction (`claims.run.document.extract_document`) with the
answers as its backend (`answers.BatchAnswers`): same parsing, verifier, re-asks, splits and
merge, written through the same JSONL sink, with a manifest of the same shape. A document still
missing an answer is held back, and its requests are listed in DIR/pending.jsonl for
`claims batch retry`.

The sink's progress file makes a rerun safe: a killed collect is resumed (`claims.run.resume`),
dropping the lines of a document it had not finished and skipping those it had, so nothing is
written twice. With a database, each document is written there first and to the progress file
after: a rerun redoes a document the database has but the progress file lacks, and the database,
continuing the killed collect's series, does not take it twice.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claims.backends.openai.backend import OpenAIBackend
from claims.batch.answers import PENDING, BatchAnswers, Missing, Outcome, better, parse_outcome
from claims.batch.prepare import settings_from
from claims.batch.state import FINAL_STATUSES, BatchDir, BatchIndex, read_lines
from claims.batch.state import PENDING as PENDING_FILE
from claims.db import Database
from claims.db.sink import DatabaseSink
from claims.jsonl import rewrite_jsonl
from claims.run.document import DocumentResult, extract_document
from claims.run.driver import new_run_id
from claims.run.manifest import Manifest, RunStats, progress_record
from claims.run.options import ExtractOptions
from claims.run.paths import OutputPaths
from claims.run.resume import ResumeState, prepare_resume
from claims.run.sinks import JsonlSink, RunInfo, Sink
from claims.schema import ErrorRecord

RETRY_REASONS = frozenset({"failed", "expired", "cancelled", "lost", "new"})
"""Why a request is pending, when a follow-up batch should ask it (`claims batch retry`); the
others are `waiting` (its batch is still running) and `unsubmitted`."""
UNANSWERED = "BatchUnanswered"


@dataclass
class CollectReport:
    """What one collect did."""

    written: int = 0
    held: int = 0
    pending: Counter[str] = field(default_factory=Counter)
    answers: int = 0
    stats: RunStats = field(default_factory=RunStats)
    manifest: Manifest | None = None


def read_outcomes(state: BatchDir, index: BatchIndex, extra: Iterable[Path] = ()) -> dict[str, Outcome]:
    """Every downloaded output and error line (and those of `extra` files, e.g. vLLM's run-batch
    output), by custom_id; an answer beats an error, a later round beats an earlier one."""
    paths: list[Path] = []
    for file in sorted(index.files, key=lambda f: f.round):
        paths += [p for p in (state.output_path(file.name), state.errors_path(file.name)) if p.is_file()]
    paths += list(extra)
    outcomes: dict[str, Outcome] = {}
    for path in paths:
        for line in read_lines(path):
            outcome = parse_outcome(line)
            if outcome is not None:
                outcomes[outcome.custom_id] = better(outcomes.get(outcome.custom_id), outcome)
    return outcomes


def _reason(missing: Missing, where: dict[str, str | None], have_results: bool) -> str:
    """Why a request has no usable answer (see RETRY_REASONS)."""
    if missing.outcome is not None:
        return "expired" if missing.outcome.expired else "failed"
    if missing.custom_id not in where:
        return "new"
    status = where[missing.custom_id]
    if status is None:
        return "lost" if have_results else "unsubmitted"
    if status in FINAL_STATUSES:
        return "lost" if status == "completed" else status
    return "waiting"


def _unanswered(record: ErrorRecord, missing: int) -> ErrorRecord:
    """A chunk (or document) that never got an answer, written as such (`--final`)."""
    if record.error != PENDING:
        return record
    message = f"no answer in any batch for {missing} request(s) of this document (collected with --final)"
    where = record.message.split(": ", 1)[0] + ": " if record.chunk is not None else ""
    return record.model_copy(update={"error": UNANSWERED, "message": where + message})


async def collect(
    state: BatchDir,
    paths: OutputPaths,
    outcomes: dict[str, Outcome],
    *,
    reask: int | None = None,
    final: bool = False,
    have_results: bool = False,
    sinks: Sequence[Sink] = (),
    database: Database | None = None,
) -> CollectReport:
    """Replay every document not yet written against `outcomes`; write the finished ones to
    `database` (first), to the JSONL files of `paths` and to `sinks`, like the run driver does."""
    clock = time.perf_counter()
    started = datetime.now(UTC)
    index = state.load()
    if reask is not None and reask != index.options.get("reask"):
        index.options["reask"] = reask
        state.save(index)
    options = ExtractOptions(**index.options)
    settings = settings_from(index.settings, index.endpoint)
    answers = BatchAnswers(OpenAIBackend(settings), outcomes, index.url, index.endpoint)
    where: dict[str, str | None] = {}
    for file in index.files:
        for cid in state.custom_ids(file.name):
            where[cid] = file.status
    report = CollectReport(answers=sum(1 for o in outcomes.values() if o.ok))
    resumed = paths.progress is not None and paths.progress.is_file()
    done = prepare_resume(paths) if resumed else ResumeState()
    for record in done.finished.values():
        report.stats.add_resumed(record)
    run_id = new_run_id(started)
    public = {k: v for k, v in settings.public().items() if k != "api_key"}
    pending: list[dict[str, Any]] = []
    sink = JsonlSink(paths, append=resumed)
    every: list[Sink] = [sink, *sinks]
    if database is not None:  # before the progress file: what it records finished is in the database
        db_sink = DatabaseSink(database, resume=resumed)
        if resumed:
            db_sink.resume_state(answers.name, answers.describe())
        every.insert(0, db_sink)
    try:
        info = RunInfo(
            run_id=run_id,
            backend=answers.name,
            described=answers.describe(),
            options=options,
            settings=public,
            started_at=started.isoformat(timespec="seconds"),
            total=index.documents + index.load_errors,
            resumed=len(done.finished),
        )
        for each in every:
            each.start(info)
        for raw in state.load_errors():
            loaded = ErrorRecord.model_validate(raw)
            _write(every, report, DocumentResult(loaded.doc_id or loaded.source or "", error=loaded))
        for document in state.documents():
            if document.id in done.finished:
                continue
            retry = done.partial.get(document.id)
            result = await extract_document(document, answers, options, retry=retry)
            notes = answers.notes.pop(document.id, None)
            if notes is not None and notes.missing:
                if not final:
                    report.held += 1
                    for missing in notes.missing.values():
                        reason = _reason(missing, where, have_results)
                        report.pending[reason] += 1
                        entry = {"doc_id": missing.doc_id, "reason": reason, "files": len(index.files)}
                        pending.append(entry | {"request": missing.line})
                    continue
                if result.error is not None:
                    result.error = _unanswered(result.error, len(notes.missing))
                result.chunk_errors = [_unanswered(e, len(notes.missing)) for e in result.chunk_errors]
            _write(every, report, result)
        report.manifest = Manifest.of_run(
            run_id=run_id,
            backend=answers.name,
            described=answers.describe(),
            details={
                "batch_folder": str(state.path),
                "batch_files": ", ".join(
                    f"{f.name}={f.batch_id or '-'}:{f.status or 'unsubmitted'}" for f in index.files
                ),
                "documents_held": str(report.held),
            },
            settings=public,
            options=options,
            stats=report.stats,
            started_at=started.isoformat(timespec="seconds"),
            wall_seconds=time.perf_counter() - clock,
        )
        for each in every:
            each.finish(report.manifest)
    finally:
        sink.close()
        rewrite_jsonl(state.path / PENDING_FILE, pending)
        await answers.aclose()
    return report


def _write(sinks: Sequence[Sink], report: CollectReport, result: DocumentResult) -> None:
    for sink in sinks:
        sink.write(result)
    report.stats.add(progress_record(result))
    report.written += 1

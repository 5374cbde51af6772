"""`claims batch retry`: a follow-up batch of the requests collect is still waiting for.

Requests that failed or expired are asked again as they were; new requests (the halves of a
chunk whose answer was cut off, the re-asks of quotes the verifier did not find, with `--reask`)
are asked for the first time. Requests of batches still running, or never submitted, are left
alone. The next collect replays the held documents with every answer collected so far.
"""

from __future__ import annotations

from claims.batch.collect import RETRY_REASONS
from claims.batch.prepare import MAX_BYTES, MAX_LINES, FileWriter
from claims.batch.state import BatchDir, RequestFile, StateError


def retry(state: BatchDir, *, max_lines: int = MAX_LINES, max_bytes: int = MAX_BYTES) -> list[RequestFile]:
    """Write the follow-up request files and add them to the index (unsubmitted); return them."""
    index = state.load()
    pending = state.pending()
    if not (state.path / "pending.jsonl").is_file():
        raise StateError(f"{state.path}: nothing collected yet; run `claims batch collect` first")
    if any(entry.get("files") != len(index.files) for entry in pending):
        raise StateError(
            f"{state.path}: a follow-up batch was made since the last collect; "
            "submit it and run `claims batch collect` again first"
        )
    wanted: dict[str, dict[str, object]] = {}
    for entry in pending:
        if entry.get("reason") in RETRY_REASONS and isinstance(entry.get("request"), dict):
            line = entry["request"]
            wanted.setdefault(str(line["custom_id"]), line)
    if not wanted:
        return []
    unsubmitted = [f.name for f in index.files if f.batch_id is None]
    if unsubmitted and index.endpoint is not None:  # run offline (vLLM), nothing is ever submitted
        raise StateError(
            f"{state.path}: {', '.join(unsubmitted)} not submitted yet; run `claims batch submit` first"
        )
    round_ = max((f.round for f in index.files), default=0) + 1
    writer = FileWriter(state, round_, max_lines, max_bytes)
    for cid, line in wanted.items():
        writer.add(cid, line)
    files = writer.close()
    index.files.extend(files)
    state.save(index)
    return files

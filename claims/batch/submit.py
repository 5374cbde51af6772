"""`claims batch submit` and `status`: upload the request files and create their batches through
the `openai` client (OpenAI, Azure OpenAI's v1 API, or any server with the Files and Batches API,
chosen by base URL), and follow their status.

Each step is saved in the index as soon as it is done. A crash after an upload re-uses the file;
a crash between creating a batch and saving its id is healed by finding the batch whose input is
that file, so a rerun never pays for the same requests twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import openai

from claims.backends.openai.client import NO_KEY
from claims.batch.state import BatchDir, BatchIndex, RequestFile
from claims.jsonl import write_atomic
from claims.settings import ConfigError, public_url

CREATING = "creating"


def make_client(
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120.0,
    max_retries: int = 2,
) -> openai.OpenAI:
    """A client from the flag, then OPENAI_BASE_URL; the key only from OPENAI_API_KEY."""
    import os

    env = os.environ if env is None else env
    key = env.get("OPENAI_API_KEY") or None
    url = base_url or env.get("OPENAI_BASE_URL") or None
    if key is None and url is None:
        raise ConfigError(
            "the batch API needs an endpoint: set OPENAI_API_KEY (for OpenAI) or pass --base-url / "
            "set OPENAI_BASE_URL (Azure OpenAI: https://NAME.openai.azure.com/openai/v1/)"
        )
    return openai.OpenAI(api_key=key or NO_KEY, base_url=url, timeout=timeout, max_retries=max_retries)


def endpoint_of(client: openai.OpenAI) -> str:
    return public_url(str(client.base_url)).rstrip("/")


def _record(file: RequestFile, batch: Any) -> None:
    file.batch_id = batch.id
    file.status = batch.status
    file.output_file_id = batch.output_file_id
    file.error_file_id = batch.error_file_id
    counts = batch.request_counts
    if counts is not None:
        file.request_counts = {"total": counts.total, "completed": counts.completed, "failed": counts.failed}


def _find_batch(client: openai.OpenAI, input_file_id: str) -> Any | None:
    """The batch already made from this input file (a crash came between creating and saving)."""
    for batch in client.batches.list(limit=100):
        if batch.input_file_id == input_file_id:
            return batch
    return None


def submit(state: BatchDir, client: openai.OpenAI) -> list[RequestFile]:
    """Upload and create a batch for every file that has none yet; return those submitted now."""
    index = state.load()
    endpoint = endpoint_of(client)
    if index.endpoint is not None and index.endpoint != endpoint:
        raise ConfigError(
            f"{state.path} was submitted to {index.endpoint}, not {endpoint}; pass the same --base-url"
        )
    index.endpoint = endpoint
    submitted: list[RequestFile] = []
    for file in index.files:
        if file.batch_id is not None:
            continue
        if file.input_file_id is None:
            with state.request_path(file.name).open("rb") as stream:
                uploaded = client.files.create(file=(f"{file.name}.jsonl", stream), purpose="batch")
            file.input_file_id = uploaded.id
            state.save(index)
        found = _find_batch(client, file.input_file_id) if file.status == CREATING else None
        if found is None:
            file.status = CREATING
            state.save(index)
            found = client.batches.create(
                input_file_id=file.input_file_id,
                endpoint=index.url,  # type: ignore[arg-type]
                completion_window=index.completion_window,  # type: ignore[arg-type]
                metadata={"claims_file": file.name},
            )
        _record(file, found)
        state.save(index)
        submitted.append(file)
    return submitted


def refresh(state: BatchDir, client: openai.OpenAI) -> BatchIndex:
    """Ask the server about every batch not yet finished; save what it says."""
    index = state.load()
    for file in index.files:
        if file.batch_id is not None and not file.finished:
            _record(file, client.batches.retrieve(file.batch_id))
    state.save(index)
    return index


def download(state: BatchDir, client: openai.OpenAI, index: BatchIndex) -> list[RequestFile]:
    """Fetch the output and error files of every finished batch not fetched yet (an expired or
    cancelled batch returns what finished). Each file is written whole or not at all."""

    fetched: list[RequestFile] = []
    for file in index.files:
        if not file.finished or file.downloaded:
            continue
        for file_id, path in (
            (file.output_file_id, state.output_path(file.name)),
            (file.error_file_id, state.errors_path(file.name)),
        ):
            if file_id:
                write_atomic(path, client.files.content(file_id).read())
        file.downloaded = True
        state.save(index)
        fetched.append(file)
    return fetched

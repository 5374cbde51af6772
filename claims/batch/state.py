"""The batch state folder: every step reads and writes its state here, atomically, so any step
can be rerun after a crash.

    DIR/index.json            settings, options, request files and their batches (the index)
    DIR/documents.jsonl       the documents (collect verifies quotes against them)
    DIR/load_errors.jsonl     inputs that could not be loaded (written as error records)
    DIR/requests/NAME.jsonl   Batch API request files; NAME.ids the custom_ids of each, in order
    DIR/results/NAME.output.jsonl, NAME.errors.jsonl   what a batch returned
    DIR/pending.jsonl         requests collect still waits for (read by retry)

No secret is ever written here: the API key is read from the environment by submit and collect.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from claims.inputs.documents import Document
from claims.jsonl import JsonlError, read_jsonl, write_atomic

STATE_VERSION = 1
INDEX = "index.json"
DOCUMENTS = "documents.jsonl"
LOAD_ERRORS = "load_errors.jsonl"
PENDING = "pending.jsonl"
FINAL_STATUSES = frozenset({"completed", "expired", "failed", "cancelled"})
"""Batch statuses after which nothing more will arrive."""


class StateError(ValueError):
    """The folder is not (or not yet) what the step needs; the message names the fix."""


class RequestFile(BaseModel):
    """One request file and, once submitted, its batch."""

    name: str
    round: int = 0
    """0 for the files of prepare; 1, 2 … for follow-up batches (retry)."""
    lines: int
    bytes: int
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    downloaded: bool = False
    request_counts: dict[str, int] = Field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES


class BatchIndex(BaseModel):
    """What prepare decided, and what became of each file since."""

    version: int = STATE_VERSION
    created_at: str
    settings: dict[str, Any]
    """The public settings that shape a request (model, mode, temperature, max_tokens …): collect
    rebuilds each request from them, to find its answer by custom_id."""
    options: dict[str, Any]
    url: str = "/v1/chat/completions"
    completion_window: str = "24h"
    endpoint: str | None = None
    """The public base URL the batches were submitted to (no key, no query)."""
    documents: int = 0
    load_errors: int = 0
    files: list[RequestFile] = Field(default_factory=list)


def read_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file written here or by a provider; names the file on a bad line."""
    for _number, value in read_jsonl(path):
        if isinstance(value, JsonlError):
            raise StateError(f"{value} (is it a batch file?)")
        yield value


class BatchDir:
    """A batch state folder."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # --- layout ------------------------------------------------------------------------------

    @property
    def requests_dir(self) -> Path:
        return self.path / "requests"

    @property
    def results_dir(self) -> Path:
        return self.path / "results"

    def request_path(self, name: str) -> Path:
        return self.requests_dir / f"{name}.jsonl"

    def ids_path(self, name: str) -> Path:
        return self.requests_dir / f"{name}.ids"

    def output_path(self, name: str) -> Path:
        return self.results_dir / f"{name}.output.jsonl"

    def errors_path(self, name: str) -> Path:
        return self.results_dir / f"{name}.errors.jsonl"

    # --- the index ---------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.path / INDEX).is_file()

    def load(self) -> BatchIndex:
        index = self.path / INDEX
        if not index.is_file():
            raise StateError(
                f"{self.path}: not a batch folder (no {INDEX}); run `claims batch prepare` first"
            )
        try:
            loaded = BatchIndex.model_validate_json(index.read_text(encoding="utf-8"))
        except ValueError as error:
            raise StateError(
                f"{index}: unreadable ({type(error).__name__}); prepare the folder again"
            ) from None
        if loaded.version != STATE_VERSION:
            raise StateError(f"{index}: state version {loaded.version}, this claims reads {STATE_VERSION}")
        return loaded

    def save(self, index: BatchIndex) -> None:
        write_atomic(self.path / INDEX, index.model_dump_json(indent=2) + "\n")

    # --- documents ---------------------------------------------------------------------------

    def documents(self) -> Iterator[Document]:
        path = self.path / DOCUMENTS
        if not path.is_file():
            return
        for record in read_lines(path):
            yield Document.model_validate(record)

    def load_errors(self) -> list[dict[str, Any]]:
        path = self.path / LOAD_ERRORS
        return list(read_lines(path)) if path.is_file() else []

    def custom_ids(self, name: str) -> list[str]:
        path = self.ids_path(name)
        return path.read_text(encoding="utf-8").split() if path.is_file() else []

    def pending(self) -> list[dict[str, Any]]:
        path = self.path / PENDING
        return list(read_lines(path)) if path.is_file() else []

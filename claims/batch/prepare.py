"""`claims batch prepare`: documents in, OpenAI Batch API request files out (one line a chunk).

Each chunk of each document becomes the request the online path would send for it, with a
custom_id from the document, the chunk and a hash of the request (see `answers.custom_id`).
Files are split before 50,000 lines or 200 MB (the Batch API's limits per file). The documents
go into the folder too (collect verifies quotes against them), and the index is written last:
a folder without one was never finished and can be prepared again.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from claims.backends.openai.backend import OpenAIBackend
from claims.backends.openai.requests import INSTRUCTOR_MODES
from claims.backends.protocol import ProposalRequest
from claims.batch.answers import BatchAnswers
from claims.batch.state import DOCUMENTS, LOAD_ERRORS, BatchDir, BatchIndex, RequestFile, StateError
from claims.chunking import split_into_chunks
from claims.inputs.documents import Document, DocumentError
from claims.jsonl import dumps, write_atomic
from claims.run.options import ExtractOptions
from claims.settings import ConfigError, Settings

MAX_LINES = 50_000
MAX_BYTES = 200 * 1000 * 1000
REQUEST_SETTINGS = (
    "model",
    "mode",
    "temperature",
    "max_tokens",
    "schema_retries",
    "system_in_user",
    "examples",
    "request_schema",
)
"""The settings a request body depends on: kept in the index, so collect rebuilds the same ids."""


def request_settings(settings: Settings) -> dict[str, Any]:
    """The public settings that shape a request; a batch needs a fixed mode and a model."""
    if settings.model is None:
        raise ConfigError("a batch needs a model: pass --model or set CLAIMS_MODEL")
    if settings.mode not in INSTRUCTOR_MODES:
        raise ConfigError(
            f"a batch needs a fixed mode, not {settings.mode!r}: pass --mode " + " or ".join(INSTRUCTOR_MODES)
        )
    return {name: getattr(settings, name) for name in REQUEST_SETTINGS}


def settings_from(values: dict[str, Any], endpoint: str | None = None) -> Settings:
    """The Settings of the online backend that builds and parses the requests (no key needed)."""
    return Settings(backend="openai", base_url=endpoint, **values)


class FileWriter:
    """Writes request lines into files of at most `max_lines` lines and `max_bytes` bytes; each
    file appears under its final name only once complete."""

    def __init__(self, state: BatchDir, round: int, max_lines: int = MAX_LINES, max_bytes: int = MAX_BYTES):
        self.state = state
        self.round = round
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.files: list[RequestFile] = []
        self._stream: IO[bytes] | None = None
        self._ids: list[str] = []
        self._bytes = 0

    def add(self, cid: str, line: dict[str, Any]) -> None:
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        if len(data) > self.max_bytes:
            raise StateError(f"one request of {len(data)} bytes is over the file limit; lower --chunk-chars")
        if self._stream is not None and (
            len(self._ids) >= self.max_lines or self._bytes + len(data) > self.max_bytes
        ):
            self._close()
        if self._stream is None:
            self._open()
        assert self._stream is not None
        self._stream.write(data)
        self._ids.append(cid)
        self._bytes += len(data)

    def _name(self) -> str:
        return f"r{self.round}-{len(self.files) + 1:04d}"

    def _open(self) -> None:
        path = self.state.request_path(self._name())
        path.parent.mkdir(parents=True, exist_ok=True)
        self._stream = path.with_name(path.name + ".tmp").open("wb")
        self._ids, self._bytes = [], 0

    def _close(self) -> None:
        assert self._stream is not None
        name = self._name()
        path = self.state.request_path(name)
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._stream.close()
        self._stream = None
        write_atomic(self.state.ids_path(name), "".join(i + "\n" for i in self._ids))
        os.replace(path.with_name(path.name + ".tmp"), path)
        self.files.append(RequestFile(name=name, round=self.round, lines=len(self._ids), bytes=self._bytes))

    def close(self) -> list[RequestFile]:
        if self._stream is not None:
            self._close()
        return self.files


def prepare(
    items: Iterable[Document | DocumentError],
    state: BatchDir,
    settings: Settings,
    options: ExtractOptions,
    *,
    max_lines: int = MAX_LINES,
    max_bytes: int = MAX_BYTES,
    url: str = "/v1/chat/completions",
) -> BatchIndex:
    """Write the request files, the documents and the index into `state`; return the index."""
    if state.exists():
        raise StateError(f"{state.path}: already prepared; use another folder or remove this one")
    values = request_settings(settings)
    backend = OpenAIBackend(settings_from(values))
    answers = BatchAnswers(backend, {}, url, None)
    writer = FileWriter(state, 0, max_lines, max_bytes)
    documents = errors = 0
    seen: set[str] = set()
    state.path.mkdir(parents=True, exist_ok=True)
    docs_tmp = state.path / (DOCUMENTS + ".tmp")
    errors_tmp = state.path / (LOAD_ERRORS + ".tmp")
    with docs_tmp.open("w", encoding="utf-8") as docs, errors_tmp.open("w", encoding="utf-8") as bad:
        for item in items:
            if isinstance(item, DocumentError):
                bad.write(dumps(item.record()) + "\n")
                errors += 1
                continue
            if item.id in seen:
                raise StateError(
                    f"{item.source or item.id}: document id {item.id!r} appears twice; ids must be unique"
                )
            seen.add(item.id)
            docs.write(dumps(item) + "\n")
            documents += 1
            for chunk in split_into_chunks(item.id, item.text, options.chunk_chars, options.chunk_overlap):
                writer.add(*answers.line_for(ProposalRequest(item, chunk)))
    files = writer.close()
    os.replace(docs_tmp, state.path / DOCUMENTS)
    os.replace(errors_tmp, state.path / LOAD_ERRORS)
    index = BatchIndex(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        settings=values,
        options=dataclasses.asdict(options),
        url=url,
        documents=documents,
        load_errors=errors,
        files=files,
    )
    state.save(index)
    return index


def request_file_paths(state: BatchDir, index: BatchIndex) -> list[Path]:
    return [state.request_path(f.name) for f in index.files]

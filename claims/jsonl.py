"""Reading and writing JSON Lines: one record a line, flushed as written so a killed run loses
only what was in flight; whole files are replaced atomically.

One reader underlies every JSONL input: `parse_lines` (numbered lines → object or error),
`read_jsonl` (a file, every problem reported) and `complete_records` (the outputs of a run that
may have been killed: a cut-off last line and broken lines are skipped).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel


def dumps(record: BaseModel | dict[str, Any]) -> str:
    """One record as one line of JSON (UTF-8 text kept readable, not escaped)."""
    data = record.model_dump(mode="json") if isinstance(record, BaseModel) else record
    return json.dumps(data, ensure_ascii=False)


def write_record(stream: IO[str], record: BaseModel | dict[str, Any]) -> None:
    stream.write(dumps(record) + "\n")
    stream.flush()


class JsonlError(ValueError):
    """A line that is not a JSON object; the message names the file and line."""


def parse_lines(
    lines: Iterable[str], name: str, expected: str = "a JSON object", first_line: int = 1
) -> Iterator[tuple[int, dict[str, Any] | JsonlError]]:
    """Yield (line number, object or error) for every non-blank line; `name` names the file and
    `expected` says what a line should be; numbering starts at `first_line` (a shard of a file)."""
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield (
                number,
                JsonlError(f"{name}:{number}: not valid JSON ({error.msg}); write one JSON object per line"),
            )
            continue
        if not isinstance(value, dict):
            yield number, JsonlError(f"{name}:{number}: expected {expected}")
            continue
        yield number, value


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | JsonlError]]:
    """Yield (line number, object or error) for every non-blank line of a JSONL file."""
    with path.open(encoding="utf-8-sig") as stream:
        yield from parse_lines(stream, str(path))


def complete_records(path: Path) -> Iterator[dict[str, Any]]:
    """The whole JSON objects of a file a killed run may have written: a last line without its
    newline (cut off mid-write) and lines that are not JSON objects are skipped."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as stream:
        for _number, value in parse_lines(_terminated(stream), str(path)):
            if not isinstance(value, JsonlError):
                yield value


def _terminated(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if not line.endswith("\n"):
            return
        yield line


@contextmanager
def replacing(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text stream whose content replaces `path` when the block ends without an error:
    written to a temporary name, synced, renamed; a killed process leaves the old file or the new."""
    with _replacing(path, "w") as stream:
        yield stream


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace `path` by `content` (text, written as UTF-8, or bytes as they are) atomically."""
    with _replacing(path, "w" if isinstance(content, str) else "wb") as stream:
        stream.write(content)


@contextmanager
def _replacing(path: Path, mode: str) -> Iterator[IO[Any]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open(mode, encoding="utf-8" if "b" not in mode else None) as stream:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)


def rewrite_jsonl(path: Path, records: Iterable[BaseModel | dict[str, Any]]) -> None:
    """Replace a JSONL file atomically by `records`."""
    write_atomic(path, "".join(dumps(record) + "\n" for record in records))

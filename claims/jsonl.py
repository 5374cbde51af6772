"""Reading and writing JSON Lines: one record a line, flushed as written so a killed run loses
only what was in flight."""

from __future__ import annotations

import json
from collections.abc import Iterator
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


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | JsonlError]]:
    """Yield (line number, object or error) for every non-blank line of a JSONL file."""
    with path.open(encoding="utf-8-sig") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                yield (
                    number,
                    JsonlError(f"{path}:{number}: not valid JSON ({error.msg}); one object per line"),
                )
                continue
            if not isinstance(value, dict):
                yield number, JsonlError(f"{path}:{number}: expected a JSON object")
                continue
            yield number, value

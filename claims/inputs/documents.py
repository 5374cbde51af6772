"""Loading documents: `.txt` files, folders of them, documents JSONL, or standard input.

A document that cannot be read becomes a `DocumentError` (naming the file and the fix) in the
stream instead of stopping the run, so every input ends as claims or as an error record.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from claims.schema import DATE_PATTERN, ErrorRecord

METADATA_FILE = "documents.jsonl"


class Document(BaseModel):
    """One source text and what is known about it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    text: str
    published: str | None = Field(default=None, description="Publication date, YYYY[-MM[-DD]].")
    language: str | None = None
    source: str | None = Field(default=None, description="The file (and line) it came from.")

    @field_validator("published")
    @classmethod
    def _check_date(cls, value: str | None) -> str | None:
        if value is not None and not re.match(DATE_PATTERN, value):
            raise ValueError(f"published must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
        return value


@dataclass(frozen=True)
class DocumentError:
    """A document (or input line) that could not be loaded."""

    source: str
    message: str
    doc_id: str | None = None

    def record(self) -> ErrorRecord:
        return ErrorRecord(
            doc_id=self.doc_id, source=self.source, stage="load", error="DocumentError", message=self.message
        )


class InputError(Exception):
    """An input that cannot be read at all (a missing path): the run stops with this message."""


def read_text_file(path: Path) -> str:
    """Read a UTF-8 text file (a BOM is tolerated); raise ValueError naming the fix otherwise."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise ValueError(f"{path}: binary file (contains NUL bytes); give a UTF-8 text file instead")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path}: not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            f"convert it first, e.g. iconv -f LATIN1 -t UTF-8"
        ) from None


def load_documents(
    paths: Iterable[str | Path], published: str | None = None, stdin: TextIO | None = None
) -> Iterator[Document | DocumentError]:
    """Yield the documents under `paths` in a stable order; `-` reads standard input.

    `published` applies to documents that carry no date of their own (a single text, say).
    Raises InputError for a path that does not exist: nothing could be read from it.
    """
    seen: set[str] = set()
    for raw_path in paths:
        for item in _load_path(str(raw_path), stdin):
            if isinstance(item, Document):
                if item.id in seen:
                    yield DocumentError(
                        item.source or item.id,
                        f"duplicate document id {item.id!r}; give every document a unique id",
                        item.id,
                    )
                    continue
                seen.add(item.id)
                if published and item.published is None:
                    item = item.model_copy(update={"published": published})
            yield item


def _load_path(raw_path: str, stdin: TextIO | None) -> Iterator[Document | DocumentError]:
    if raw_path == "-":
        stream = stdin if stdin is not None else sys.stdin
        yield from _load_stream(stream.read(), "<stdin>")
        return
    path = Path(raw_path)
    if path.is_dir():
        yield from _load_folder(path)
    elif path.is_file():
        if path.suffix == ".jsonl":
            yield from _load_jsonl_file(path)
        else:
            yield from _load_text_file(path, path.stem, {})
    else:
        raise InputError(
            f"{raw_path}: no such file or folder; give a .txt file, a folder or a documents JSONL"
        )


def _load_stream(content: str, name: str) -> Iterator[Document | DocumentError]:
    if content.lstrip().startswith("{"):
        yield from _load_jsonl_lines(jsonl_lines(content), name, require_text=True)
    else:
        yield Document(id="stdin", text=content, source=name)


def _load_folder(folder: Path) -> Iterator[Document | DocumentError]:
    """A folder of `<doc_id>.txt` files, with their dates from a `documents.jsonl` beside them."""
    metadata: dict[str, dict[str, Any]] = {}
    meta_path = folder / METADATA_FILE
    if meta_path.is_file():
        for item in _load_jsonl_lines(
            jsonl_lines(read_text_file(meta_path)), str(meta_path), require_text=False
        ):
            if isinstance(item, DocumentError):
                yield item
            else:
                metadata[item.id] = {"published": item.published, "language": item.language}
    for path in sorted(folder.glob("*.txt")):
        yield from _load_text_file(path, path.stem, metadata.get(path.stem, {}))


def _load_text_file(path: Path, doc_id: str, metadata: dict[str, Any]) -> Iterator[Document | DocumentError]:
    try:
        text = read_text_file(path)
    except (OSError, ValueError) as error:
        yield DocumentError(str(path), str(error), doc_id)
        return
    yield Document(id=doc_id, text=text, source=str(path), **metadata)


def _load_jsonl_file(path: Path) -> Iterator[Document | DocumentError]:
    try:
        content = read_text_file(path)
    except (OSError, ValueError) as error:
        yield DocumentError(str(path), str(error))
        return
    yield from _load_jsonl_lines(jsonl_lines(content), str(path), require_text=True)


def jsonl_lines(content: str) -> list[str]:
    """The lines of JSON Lines text: split at newlines only (and CRLF), never at the other breaks
    `str.splitlines` knows, since U+2028, U+0085 and the like are valid inside a JSON string."""
    return [line.removesuffix("\r") for line in content.split("\n")]


def load_jsonl_lines(
    lines: Iterable[str], name: str, first_line: int = 1
) -> Iterator[Document | DocumentError]:
    """The documents of some lines of a documents JSONL that start at line `first_line` of `name`
    (an engine's shard of a large file), numbered as if the whole file were read."""
    yield from _load_jsonl_lines(lines, name, require_text=True, first_line=first_line)


def _load_jsonl_lines(
    lines: Iterable[str], name: str, require_text: bool, first_line: int = 1
) -> Iterator[Document | DocumentError]:
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            yield DocumentError(
                where, f"{where}: not valid JSON ({error.msg}); write one JSON object per line"
            )
            continue
        if not isinstance(raw, dict):
            yield DocumentError(where, f"{where}: expected a JSON object with 'id' and 'text'")
            continue
        doc_id = raw.get("id", raw.get("doc_id"))
        if not isinstance(doc_id, str) or not doc_id:
            yield DocumentError(where, f"{where}: no 'id' (or 'doc_id'); every document needs one")
            continue
        if require_text and not isinstance(raw.get("text"), str):
            yield DocumentError(
                where,
                f"{where}: document {doc_id!r} has no 'text'; a documents JSONL needs id and text",
                doc_id,
            )
            continue
        try:
            yield Document(
                id=doc_id,
                text=raw.get("text") or "",
                published=raw.get("published"),
                language=raw.get("language"),
                source=where,
            )
        except ValidationError as error:
            message = error.errors()[0]["msg"]
            yield DocumentError(where, f"{where}: document {doc_id!r}: {message}", doc_id)


def split_loaded(items: Iterable[Document | DocumentError]) -> tuple[list[Document], list[DocumentError]]:
    """Separate loaded documents from load errors (for callers that need them all at once)."""
    documents: list[Document] = []
    errors: list[DocumentError] = []
    for item in items:
        (documents if isinstance(item, Document) else errors).append(item)  # type: ignore[arg-type]
    return documents, errors

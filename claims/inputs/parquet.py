"""Parquet documents files and remote inputs, through pyarrow (the optional extra `claims[parquet]`).

A `.parquet` documents file holds one document a row, with the columns of a documents JSONL
(`id` or `doc_id`, `text`, and optionally `published`, `language`, `source`); each row becomes a
record that the JSONL loader's rules check, so both give the same documents and messages. Rows
are numbered from 1 (`FILE:ROW`), and an engine can read some row groups only (its shard).

A URI such as `s3://bucket/docs.parquet`, `gs://…` or `file:///…` names a JSONL or Parquet input on
one of pyarrow's filesystems (`pyarrow.fs.FileSystem.from_uri`; credentials come from the usual
environment of that store). pyarrow is imported only when such an input is read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Any

REMOTE_SCHEMES = ("s3", "gs", "gcs", "hdfs", "abfs", "abfss", "file")
PARQUET_SUFFIX = ".parquet"
EXTRA = "pip install 'claims[parquet]'"


class ParquetUnavailable(Exception):
    """pyarrow is not installed: the message names the extra."""


def is_remote(raw: str) -> bool:
    """A URI on one of pyarrow's filesystems (not http(s), which is fetched as a web page)."""
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", raw)
    return bool(match) and match.group(1).lower() in REMOTE_SCHEMES  # type: ignore[union-attr]


def is_parquet(raw: str) -> bool:
    return raw.lower().endswith(PARQUET_SUFFIX)


def _pyarrow(what: str) -> Any:
    try:
        import pyarrow.fs
        import pyarrow.parquet
    except ModuleNotFoundError:
        raise ParquetUnavailable(f"{what}: reading it needs pyarrow; {EXTRA}") from None
    return pyarrow


def open_remote(uri: str) -> tuple[Any, str]:
    """The pyarrow filesystem and path of a URI; raises OSError or ValueError when it is not one."""
    pyarrow = _pyarrow(uri)
    filesystem, path = pyarrow.fs.FileSystem.from_uri(uri)
    return filesystem, path


def remote_exists(uri: str) -> bool:
    """Whether a remote URI names a file; raises OSError or ValueError when the store cannot say."""
    pyarrow = _pyarrow(uri)
    filesystem, path = open_remote(uri)
    return bool(filesystem.get_file_info(path).type == pyarrow.fs.FileType.File)


def read_remote_bytes(uri: str) -> bytes:
    """The whole content of a remote file (a documents JSONL)."""
    filesystem, path = open_remote(uri)
    with filesystem.open_input_stream(path) as stream:
        return bytes(stream.read())


def _parquet_file(source: str) -> Any:
    pyarrow = _pyarrow(source)
    if is_remote(source):
        filesystem, path = open_remote(source)
        return pyarrow.parquet.ParquetFile(filesystem.open_input_file(path))
    return pyarrow.parquet.ParquetFile(source)


def row_groups(source: str) -> list[int]:
    """The number of rows of each row group of a Parquet file (how an engine shards it)."""
    metadata = _parquet_file(source).metadata
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


def parquet_records(source: str, groups: Sequence[int] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, record) of every row, or of the row groups `groups` only (numbered as in the
    whole file); dates and timestamps become ISO dates, as a documents JSONL writes them."""
    parquet = _parquet_file(source)
    metadata = parquet.metadata
    chosen = range(metadata.num_row_groups) if groups is None else groups
    for group in chosen:
        first = 1 + sum(metadata.row_group(i).num_rows for i in range(group))
        table = parquet.read_row_group(group)
        for offset, row in enumerate(table.to_pylist()):
            yield first + offset, {key: _plain(value) for key, value in row.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

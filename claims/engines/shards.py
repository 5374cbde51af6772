"""Splitting a run's inputs into shards, and each shard's own output folder with its done marker.

A shard is a small, picklable description of some documents (a line range of a documents JSONL
given by byte offset, some files of a folder, one text file): the driver plans shards without
holding any text, and a worker loads its shard's documents itself from the shared file system.
Documents and errors come out as `load_documents` would give them for the whole input (the same
line numbers and messages); duplicate ids across shards are caught when outputs are combined.

Each shard writes into its own folder with the run's `DocumentSink` (records of a document first,
its progress record last), so a killed worker leaves whole documents; the shard is finished when
its `done.json` marker is renamed into place. Running a shard again resumes it at document
granularity, which is what makes the engine's retries idempotent. No Ray here.
"""

from __future__ import annotations

import codecs
import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from claims.inputs.documents import (
    Document,
    DocumentError,
    InputError,
    LoadOptions,
    folder_files,
    jsonl_lines,
    load_documents,
    load_folder,
    load_jsonl_lines,
    load_parquet,
    shown_uri,
)
from claims.inputs.fetch import is_url
from claims.inputs.parquet import ParquetUnavailable, is_parquet, is_remote, row_groups
from claims.jsonl import complete_records, write_atomic
from claims.run.paths import OutputPaths

DEFAULT_SHARD_SIZE = 1000
ShardKind = Literal["jsonl", "folder", "text", "parquet", "unreadable"]


@dataclass(frozen=True)
class Shard:
    """Some documents of the input, described by where they are, not by their text."""

    index: int
    kind: ShardKind
    path: str
    offset: int = 0
    """jsonl: byte offset of the shard's first line."""
    first_line: int = 1
    """jsonl: line number of that line in the file."""
    lines: int = 0
    """jsonl: how many lines (blank ones included)."""
    names: tuple[str, ...] = ()
    """folder: the file names (.txt, .html, .htm, .pdf) of this shard, in the folder's order."""
    row_groups: tuple[int, ...] = ()
    """parquet: the row groups of this shard (rows are numbered as in the whole file)."""
    metadata_errors: bool = False
    """folder: the first shard also reports the broken lines of the folder's documents.jsonl."""
    message: str = ""
    """unreadable: why the whole file cannot be read (as the local engine reports it)."""

    @property
    def name(self) -> str:
        return f"shard-{self.index:06d}"

    def describe(self) -> str:
        """Where the shard's documents are, for a one-line report."""
        if self.kind == "jsonl":
            return f"{self.path}:{self.first_line}-{self.first_line + self.lines - 1}"
        if self.kind == "folder" and self.names:
            return f"{self.path}/{{{self.names[0]} … {self.names[-1]}}}"
        if self.kind == "parquet" and self.row_groups:
            return f"{shown_uri(self.path)} (row groups {self.row_groups[0]}-{self.row_groups[-1]})"
        return self.path


def plan_shards(paths: Sequence[str | Path], shard_size: int = DEFAULT_SHARD_SIZE) -> list[Shard]:
    """Shards of at most `shard_size` documents (or JSONL lines) over `paths`, in input order.

    Reads JSONL files once as bytes to find line offsets (no JSON parsing, no text kept) and
    lists folders; raises InputError for a missing path or standard input, which has no offsets.
    """
    if shard_size < 1:
        raise ValueError("shard size must be at least 1 (--shard-size)")
    shards: list[Shard] = []
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            raise InputError("standard input cannot be split into shards; write it to a .jsonl file first")
        if is_url(str(raw)):
            raise InputError(
                f"{raw}: --engine ray reads files and folders only; fetch web pages with the local engine"
            )
        if is_parquet(str(raw)) and (is_remote(str(raw)) or path.is_file()):
            planned = _plan_parquet(str(raw), shard_size, len(shards))
        elif is_remote(str(raw)):
            planned = [Shard(len(shards), "text", str(raw))]  # a remote JSONL: read whole by one worker
        elif path.is_dir():
            planned = _plan_folder(path, shard_size, len(shards))
        elif path.is_file() and path.suffix == ".jsonl":
            planned = _plan_jsonl(path, shard_size, len(shards))
        elif path.is_file():
            planned = [Shard(len(shards), "text", str(path))]
        else:
            raise InputError(
                f"{raw}: no such file or folder; give a .txt file, a folder or a documents JSONL"
            )
        shards.extend(planned)
    return shards


def _plan_jsonl(path: Path, shard_size: int, first_index: int) -> list[Shard]:
    """Line ranges of `shard_size` lines; a file that is not UTF-8 text is one whole-file shard."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    shards: list[Shard] = []
    offset = start_offset = 0
    start_line = count = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return [_unreadable(path, first_index)]
            if b"\x00" in raw:
                return [_unreadable(path, first_index)]
            if count == 0:
                start_offset, start_line = offset, number
            count += 1
            offset += len(raw)
            if count == shard_size:
                shards.append(
                    Shard(first_index + len(shards), "jsonl", str(path), start_offset, start_line, count)
                )
                count = 0
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return [_unreadable(path, first_index)]
    if count:
        shards.append(Shard(first_index + len(shards), "jsonl", str(path), start_offset, start_line, count))
    return shards


def _unreadable(path: Path, index: int) -> Shard:
    """A JSONL that is not plain UTF-8 text: one shard, read whole as the local engine reads it
    (its encoding detection, or its one error record for the file)."""
    return Shard(index, "text", str(path))


def _plan_folder(folder: Path, shard_size: int, first_index: int) -> list[Shard]:
    names = [path.name for path in folder_files(folder)]
    groups = [tuple(names[i : i + shard_size]) for i in range(0, len(names), shard_size)] or [()]
    return [
        Shard(first_index + number, "folder", str(folder), names=group, metadata_errors=number == 0)
        for number, group in enumerate(groups)
    ]


def _plan_parquet(source: str, shard_size: int, first_index: int) -> list[Shard]:
    """Consecutive row groups of at most `shard_size` rows (a larger row group is a shard alone)."""
    try:
        sizes = row_groups(source)
    except ParquetUnavailable as error:
        raise InputError(str(error)) from None
    except (OSError, ValueError):  # read whole, as the local engine reads it (its one error record)
        return [Shard(first_index, "text", source)]
    groups: list[list[int]] = []
    rows = 0
    for group, size in enumerate(sizes):
        if not groups or rows + size > shard_size:
            groups.append([])
            rows = 0
        groups[-1].append(group)
        rows += size
    return [
        Shard(first_index + number, "parquet", source, row_groups=tuple(chosen))
        for number, chosen in enumerate(groups or [[]])
    ]


def load_shard(
    shard: Shard, published: str | None = None, options: LoadOptions | None = None
) -> Iterator[Document | DocumentError]:
    """The documents and load errors of one shard, as the local engine would see them with the
    same `options` (`--encoding`).

    Duplicate ids inside the shard become errors here (as in `load_documents`); raises OSError
    or InputError when the input changed or vanished since the shard was planned.
    """
    items = _shard_items(shard, options or LoadOptions())
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Document):
            if item.id in seen:
                yield duplicate_error(item.id, item.source)
                continue
            seen.add(item.id)
            if published and item.published is None:
                item = item.model_copy(update={"published": published})
        yield item


def duplicate_error(doc_id: str, source: str | None) -> DocumentError:
    """The load error of a document whose id an earlier document already had (as load_documents)."""
    return DocumentError(
        source or doc_id, f"duplicate document id {doc_id!r}; give every document a unique id", doc_id
    )


def _shard_items(shard: Shard, options: LoadOptions) -> Iterable[Document | DocumentError]:
    if shard.kind == "unreadable":
        return [DocumentError(shard.path, shard.message)]
    if shard.kind == "text":
        return load_documents([shard.path], options=options)
    if shard.kind == "jsonl":
        return _jsonl_items(shard)
    if shard.kind == "parquet":
        return load_parquet(shard.path, shard.row_groups)
    return _folder_items(shard, options)


def _jsonl_items(shard: Shard) -> Iterator[Document | DocumentError]:
    path = Path(shard.path)
    with path.open("rb") as stream:
        stream.seek(shard.offset)
        raw = b"".join(stream.readline() for _ in range(shard.lines))
    text = raw.decode("utf-8-sig" if shard.offset == 0 else "utf-8")
    yield from load_jsonl_lines(jsonl_lines(text), shard.path, first_line=shard.first_line)


def _folder_items(shard: Shard, options: LoadOptions) -> Iterator[Document | DocumentError]:
    folder = Path(shard.path)
    if not folder.is_dir():
        raise InputError(f"{folder}: the folder is gone since the run was planned; restore it and --resume")
    yield from load_folder(folder, options, names=shard.names, metadata_errors=shard.metadata_errors)


# --- a shard's output -------------------------------------------------------------------------


class ShardStore:
    """The folder of a job's shard outputs: `<root>/<shard>/claims.jsonl` (+ rejected, errors,
    progress), `<root>/<shard>/done.json` once finished, and `<root>/plan.json`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def beside(cls, output: Path) -> ShardStore:
        """`out/claims.jsonl` keeps its shards in `out/claims.shards/`."""
        stem = output.name[: -len(".jsonl")] if output.name.endswith(".jsonl") else output.name
        return cls(output.with_name(stem + ".shards"))

    def paths(self, shard: Shard) -> OutputPaths:
        return OutputPaths.beside(str(self.root / shard.name / "claims.jsonl"))

    def marker(self, shard: Shard) -> Path:
        return self.root / shard.name / "done.json"

    def is_done(self, shard: Shard) -> bool:
        return self.marker(shard).is_file()

    def reopen_unfinished(self, shards: Sequence[Shard]) -> list[Shard]:
        """On --resume: a done shard whose summary counts failed or partial documents is made
        not done, so running it again retries only those documents (or their failed chunks)."""
        reopened = []
        for shard in shards:
            if self.is_done(shard):
                summary = self.done_summary(shard)
                if int(summary.get("failed", 0)) or int(summary.get("partial", 0)):
                    self.marker(shard).unlink()
                    reopened.append(shard)
        return reopened

    def finished_documents(self, shard: Shard) -> int:
        """Documents of an unfinished shard that have a progress record without error."""
        progress = self.paths(shard).progress
        if progress is None or not progress.is_file():
            return 0
        return len({str(record.get("doc_id")) for record in complete_records(progress) if record.get("ok")})

    def note_worker(self, shard: Shard, worker: dict[str, Any]) -> None:
        """Which process works on the shard now (for operators, and for the kill test)."""
        _write_json(self.root / shard.name / "worker.json", worker)

    def mark_done(self, shard: Shard, summary: dict[str, Any]) -> None:
        """Atomically: a killed worker leaves either no marker or a whole one."""
        _write_json(self.marker(shard), summary)

    def done_summary(self, shard: Shard) -> dict[str, Any]:
        value = json.loads(self.marker(shard).read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}

    def reset(self) -> None:
        """Forget an earlier job's shards (a run without --resume starts over)."""
        if self.root.exists():
            shutil.rmtree(self.root)

    def save_backend(self, backend: dict[str, Any]) -> None:
        """The backend's name and description, for the manifest of a later, fully resumed run."""
        _write_json(self.root / "backend.json", backend)

    def load_backend(self) -> dict[str, Any]:
        path = self.root / "backend.json"
        value = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return value if isinstance(value, dict) else {}

    def save_plan(self, shards: Sequence[Shard]) -> None:
        _write_json(self.root / "plan.json", {"shards": [asdict(shard) for shard in shards]})

    def check_plan(self, shards: Sequence[Shard]) -> None:
        """On --resume, the inputs must split into the same shards as before."""
        path = self.root / "plan.json"
        if not path.is_file():
            return
        earlier = json.loads(path.read_text(encoding="utf-8")).get("shards")
        now = json.loads(json.dumps([asdict(shard) for shard in shards]))
        if earlier != now:
            raise InputError(
                f"{path}: the inputs or --shard-size changed since the earlier run; "
                "use the same ones to --resume, or run without --resume to start over"
            )


def _write_json(path: Path, value: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(value, ensure_ascii=False) + "\n")

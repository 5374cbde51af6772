"""How many documents an input holds, counted cheaply up front (for a progress total).

A folder: its `.txt`, `.html`, `.htm` and `.pdf` files; a documents JSONL: its non-blank lines;
another file or a URL: one. Standard input, Parquet and remote files, or anything else that
cannot be counted without reading it as documents: unknown (None). The count is an estimate for
display only — a line that fails to load is still a document.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from claims.inputs.documents import FOLDER_SUFFIXES
from claims.inputs.fetch import is_url
from claims.inputs.parquet import is_parquet, is_remote

_BLOCK = 1 << 20


def count_documents(paths: Iterable[str | Path]) -> int | None:
    """The documents under `paths`, or None when any of them cannot be counted cheaply."""
    total = 0
    for raw in paths:
        counted = _count(str(raw))
        if counted is None:
            return None
        total += counted
    return total


def _count(raw: str) -> int | None:
    if raw == "-":
        return None
    if is_url(raw):
        return 1
    if is_remote(raw) or is_parquet(raw):  # counting rows would mean opening the file: unknown
        return None
    path = Path(raw)
    try:
        if path.is_dir():
            return sum(1 for p in path.iterdir() if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES)
        if path.is_file():
            return _nonblank_lines(path) if path.suffix.lower() == ".jsonl" else 1
    except OSError:
        return None
    return None


def _nonblank_lines(path: Path) -> int:
    """Lines with something besides whitespace, read in blocks (no decoding, no JSON)."""
    count = 0
    carry = b""
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            lines = (carry + block).split(b"\n")
            carry = lines.pop()
            count += sum(1 for line in lines if line.strip())
    return count + (1 if carry.strip() else 0)

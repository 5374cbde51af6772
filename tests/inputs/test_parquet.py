"""Parquet documents files and pyarrow URIs (file:// only here: no network) give the documents a
documents JSONL gives; Ray shards them by row groups. Needs the `parquet` extra (pyarrow)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
pq = pytest.importorskip("pyarrow.parquet")

from claims.cli import main  # noqa: E402
from claims.engines.shards import load_shard, plan_shards  # noqa: E402
from claims.inputs.documents import Document, DocumentError, InputError, load_documents  # noqa: E402

ROWS: list[dict[str, Any]] = [
    {
        "id": f"p{i}",
        "text": f"Ministerin Lindqvist traf Minister Tamm in Stadt {i}.",
        "published": dt.date(2024, 5, i + 1),
        "language": "de",
    }
    for i in range(10)
]


def write_parquet(path: Path, rows: list[dict[str, Any]], row_group_size: int = 1000) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    lines = [
        json.dumps({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in r.items()}) for r in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def without_source(items: list[Document | DocumentError]) -> list[Any]:
    return [
        item.model_copy(update={"source": None}) if isinstance(item, Document) else item for item in items
    ]


def test_a_parquet_file_gives_the_documents_of_the_same_jsonl(tmp_path: Path) -> None:
    parquet = write_parquet(tmp_path / "docs.parquet", ROWS)
    jsonl = write_jsonl(tmp_path / "docs.jsonl", ROWS)
    from_parquet = list(load_documents([parquet]))
    assert without_source(from_parquet) == without_source(list(load_documents([jsonl])))
    first = from_parquet[0]
    assert isinstance(first, Document) and first.published == "2024-05-01" and first.language == "de"
    assert first.source == f"{parquet}:1"


def test_bad_rows_are_error_records_naming_file_and_row(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [{"doc_id": "a", "text": "Text."}, {"doc_id": None, "text": "x"}]
    rows.append({"doc_id": "c", "text": None})
    parquet = write_parquet(tmp_path / "docs.parquet", rows)
    ok, no_id, no_text = load_documents([parquet])
    assert isinstance(ok, Document) and ok.id == "a"
    assert isinstance(no_id, DocumentError) and no_id.message.startswith(f"{parquet}:2: no 'id'")
    assert (
        isinstance(no_text, DocumentError) and f"{parquet}:3: document 'c' has no 'text'" in no_text.message
    )


def test_a_file_that_is_not_parquet_is_one_error_record(tmp_path: Path) -> None:
    broken = tmp_path / "docs.parquet"
    broken.write_bytes(b"not parquet at all")
    (error,) = load_documents([broken])
    assert isinstance(error, DocumentError) and "not a readable Parquet file" in error.message


def test_file_uris_of_jsonl_and_parquet_read_through_pyarrow(tmp_path: Path) -> None:
    parquet = write_parquet(tmp_path / "docs.parquet", ROWS)
    jsonl = write_jsonl(tmp_path / "docs.jsonl", ROWS)
    for path in (parquet, jsonl):
        uri = path.as_uri()
        items = list(load_documents([uri]))
        assert without_source(items) == without_source(list(load_documents([path])))
        assert items[0].source == f"{uri}:1"
    with pytest.raises(InputError, match="no such file"):
        list(load_documents([(tmp_path / "missing.parquet").as_uri()]))
    with pytest.raises(InputError, match=r"\.jsonl or \.parquet"):
        list(load_documents([(tmp_path / "notes.txt").as_uri()]))


def test_without_pyarrow_the_error_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parquet = write_parquet(tmp_path / "docs.parquet", ROWS)
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(InputError, match=r"claims\[parquet\]"):
        list(load_documents([parquet]))


def test_ray_shards_a_parquet_file_by_row_groups(tmp_path: Path) -> None:
    rows = [*ROWS, {"id": "p10", "text": "Text.", "published": None, "language": None}]
    parquet = write_parquet(tmp_path / "docs.parquet", rows, row_group_size=3)
    shards = plan_shards([parquet, parquet.as_uri()], 4)
    assert [s.row_groups for s in shards] == [(0,), (1,), (2,), (3,)] * 2
    items = [item for shard in shards[:4] for item in load_shard(shard)]
    assert items == list(load_documents([parquet]))
    remote = [item for shard in shards[4:] for item in load_shard(shard)]
    assert without_source(remote) == without_source(items)
    assert [s.row_groups for s in plan_shards([parquet], 6)] == [(0, 1), (2, 3)]


def test_extract_reads_a_parquet_file_and_a_file_uri(tmp_path: Path) -> None:
    parquet = write_parquet(tmp_path / "docs.parquet", ROWS[:3])
    for source, out in ((parquet, tmp_path / "a.jsonl"), (parquet.as_uri(), tmp_path / "b.jsonl")):
        assert main(["extract", str(source), "-o", str(out), "--backend", "rules"]) == 0
        progress = out.with_name(out.stem + ".progress.jsonl").read_text(encoding="utf-8").splitlines()
        assert sorted(json.loads(line)["doc_id"] for line in progress) == ["p0", "p1", "p2"]
        texts = out.with_name(out.stem + ".documents.jsonl").read_text(encoding="utf-8")
        assert sorted(json.loads(line)["published"] for line in texts.splitlines()) == [
            "2024-05-01",
            "2024-05-02",
            "2024-05-03",
        ]

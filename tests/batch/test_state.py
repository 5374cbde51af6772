"""The state folder: clear errors for a folder that is not one, whole files or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.batch.state import BatchDir, StateError, read_lines
from claims.jsonl import rewrite_jsonl


def test_a_folder_that_was_never_prepared_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="claims batch prepare"):
        BatchDir(tmp_path).load()


def test_a_broken_index_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StateError, match=r"index\.json"):
        BatchDir(tmp_path).load()


def test_atomic_lines_replace_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "x" / "pending.jsonl"
    rewrite_jsonl(path, [{"a": 1}, {"b": "ü"}])
    rewrite_jsonl(path, [{"c": 3}])
    assert list(read_lines(path)) == [{"c": 3}]
    assert [p.name for p in path.parent.iterdir()] == ["pending.jsonl"]


def test_a_results_file_that_is_not_jsonl_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"custom_id": "a"}\nnot json\n', encoding="utf-8")
    with pytest.raises(StateError, match=r"out\.jsonl:2"):
        list(read_lines(path))

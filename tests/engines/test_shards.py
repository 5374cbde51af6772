"""Shards give the documents and errors the local loader gives, with the same line numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.engines.shards import Shard, ShardStore, load_shard, plan_shards
from claims.inputs import documents
from claims.inputs.documents import Document, DocumentError, InputError, LoadOptions, load_documents

LINE = st.one_of(
    st.builds(
        lambda i, t: json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False),
        st.integers(0, 10**6),
        st.text(max_size=20),
    ),
    st.just(""),
    st.just("{not json"),
    st.just('{"id": "no-text"}'),
    st.just('["a list"]'),
)


def unique_ids(lines: list[str]) -> list[str]:
    """Give every document line its own id (duplicates across shards are the combine step's job)."""
    out = []
    for number, line in enumerate(lines):
        if line.startswith('{"id": "d'):
            record = json.loads(line)
            record["id"] = f"doc{number}"
            line = json.dumps(record, ensure_ascii=False)
        out.append(line)
    return out


def all_items(shards: list[Shard]) -> list[Document | DocumentError]:
    return [item for shard in shards for item in load_shard(shard)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(LINE, max_size=25), size=st.integers(1, 7), final_newline=st.booleans(), crlf=st.booleans()
)
def test_jsonl_shards_load_what_the_whole_file_loads(
    tmp_path: Path, lines: list[str], size: int, final_newline: bool, crlf: bool
) -> None:
    path = tmp_path / "docs.jsonl"
    end = "\r\n" if crlf else "\n"
    path.write_text(end.join(unique_ids(lines)) + (end if final_newline and lines else ""), encoding="utf-8")
    shards = plan_shards([path], size)
    assert all(shard.lines <= size for shard in shards)
    assert all_items(shards) == list(load_documents([path]))


def test_a_bom_and_the_line_numbers_of_later_shards(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": "x"}) for i in range(5)] + ["{broken"]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n")
    shards = plan_shards([path], 2)
    assert [(s.first_line, s.lines) for s in shards] == [(1, 2), (3, 2), (5, 2)]
    items = all_items(shards)
    assert items == list(load_documents([path]))
    assert items[-1].source == f"{path}:6"


def test_a_file_that_is_not_utf8_is_one_error_as_in_the_local_engine(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n' * 3 + b'{"id": "b", "text": "Stra\xdfe"}\n')
    (shard,) = plan_shards([path], 1)
    assert shard.kind == "text", "read whole, with the local engine's encoding handling"
    assert list(load_shard(shard)) == list(load_documents([path]))


def test_folder_shards_keep_metadata_and_report_its_broken_lines_once(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(5):
        (folder / f"n{i}.txt").write_text(f"Text {i}.", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe")
    meta = [json.dumps({"id": "n1", "published": "2024-01-02"}), "{oops"]
    (folder / "documents.jsonl").write_text("\n".join(meta) + "\n", encoding="utf-8")
    shards = plan_shards([folder, folder / "n0.txt"], 2)
    assert [s.kind for s in shards] == ["folder", "folder", "folder", "text"]
    assert all_items(shards) == list(load_documents([folder])) + list(load_documents([folder / "n0.txt"]))
    published = {item.id: item.published for item in all_items(shards) if isinstance(item, Document)}
    assert published["n1"] == "2024-01-02"


HTML_PAGE = "<html><head><title>T</title></head><body><article><p>{}</p></article></body></html>"


def mixed_folder(folder: Path) -> None:
    folder.mkdir()
    for i in range(4):
        (folder / f"t{i}.txt").write_text(f"Minister Tamm traf Lindqvist in Ort {i}.", encoding="utf-8")
        body = f"Ministerin Lindqvist traf Minister Tamm am Montag in der Stadt Nummer {i}. " * 3
        (folder / f"h{i}.html").write_text(HTML_PAGE.format(body), encoding="utf-8")
    (folder / "notes.md").write_text("not a document", encoding="utf-8")
    (folder / "documents.jsonl").write_text(json.dumps({"id": "h2", "published": "2024"}) + "\n")


def test_folder_shards_of_text_and_html_give_the_documents_of_load_documents(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    mixed_folder(folder)
    shards = plan_shards([folder], 3)
    assert sum(len(shard.names) for shard in shards) == 8
    items = all_items(shards)
    assert items == list(load_documents([folder]))
    assert {item.id for item in items if isinstance(item, Document)} >= {"h0", "h3", "t0", "t3"}


def test_each_file_of_a_folder_is_loaded_once_over_all_its_shards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs"
    mixed_folder(folder)
    loaded: list[str] = []
    real = documents._load_file

    def counting(path: Path, *args: Any) -> Iterator[Document | DocumentError]:
        loaded.append(path.name)
        return real(path, *args)

    monkeypatch.setattr(documents, "_load_file", counting)
    shards = plan_shards([folder], 2)
    assert len(shards) == 4
    all_items(shards)
    assert sorted(loaded) == sorted(path.name for path in folder.glob("*.*ml")) + [
        f"t{i}.txt" for i in range(4)
    ]


def test_a_shard_reads_with_the_runs_encoding(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    raw = "Straße in Köln".encode("cp1252")
    (folder / "a.txt").write_bytes(raw)
    (shard,) = plan_shards([folder], 5)
    options = LoadOptions(encoding="cp1251")  # forced, and not what detection would find
    (item,) = load_shard(shard, options=options)
    assert isinstance(item, Document) and item.text == raw.decode("cp1251") != "Straße in Köln"
    assert [item] == list(load_documents([folder], options=options))


def test_urls_cannot_be_planned_into_shards() -> None:
    with pytest.raises(InputError, match="files and folders only"):
        plan_shards(["https://example.org/a"])


def test_duplicates_inside_a_shard_are_load_errors_and_published_fills_in(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(json.dumps({"id": "same", "text": t}) + "\n" for t in ("a", "b")), encoding="utf-8"
    )
    (shard,) = plan_shards([path], 10)
    items = list(load_shard(shard, published="2020"))
    assert items == list(load_documents([path], published="2020"))
    assert "duplicate document id 'same'" in items[1].message  # type: ignore[union-attr]


def test_missing_paths_and_stdin_cannot_be_planned(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        plan_shards([tmp_path / "missing.jsonl"])
    with pytest.raises(InputError, match="standard input"):
        plan_shards(["-"])
    with pytest.raises(ValueError, match="--shard-size"):
        plan_shards([tmp_path], 0)


def test_a_vanished_input_fails_the_shard_loudly(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x"}) + "\n", encoding="utf-8")
    (shard,) = plan_shards([path])
    path.unlink()
    with pytest.raises(OSError):
        list(load_shard(shard))


def test_store_marks_done_atomically_and_checks_the_plan_on_resume(tmp_path: Path) -> None:
    store = ShardStore.beside(tmp_path / "out" / "claims.jsonl")
    assert store.root == tmp_path / "out" / "claims.shards"
    shard = Shard(3, "text", "a.txt")
    assert not store.is_done(shard)
    store.mark_done(shard, {"documents": 1})
    assert store.is_done(shard) and store.done_summary(shard) == {"documents": 1}
    assert not list(store.root.rglob("*.tmp"))
    store.save_plan([shard])
    store.check_plan([shard])
    with pytest.raises(InputError, match="changed since the earlier run"):
        store.check_plan([shard, Shard(4, "text", "b.txt")])
    store.reset()
    assert not store.root.exists()

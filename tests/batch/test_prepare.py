"""Request files: the Batch API line format, stable custom_ids, splitting, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.batch.prepare import prepare
from claims.batch.state import BatchDir, StateError
from claims.inputs.documents import Document, DocumentError
from claims.run.options import ExtractOptions
from claims.settings import ConfigError, Settings
from tests.batch.helpers import cli, lines
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

SETTINGS = Settings(backend="openai", model="gpt-test")


def documents(count: int, length: int = 200) -> list[Document]:
    return [
        Document(id=f"doc/{n} ü", text=("Lindqvist traf Tamm. " * length)[: length * 5]) for n in range(count)
    ]


def test_each_chunk_becomes_one_batch_api_line(tmp_path: Path) -> None:
    state = BatchDir(tmp_path / "b")
    index = prepare(documents(3, 1500), state, SETTINGS, ExtractOptions(chunk_chars=3000, chunk_overlap=100))
    [file] = index.files
    requests = lines(state.request_path(file.name))
    assert len(requests) == file.lines > 3  # long documents have several chunks
    for line in requests:
        assert set(line) == {"custom_id", "method", "url", "body"}
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        assert line["body"]["model"] == "gpt-test" and line["body"]["tools"]
        assert len(line["custom_id"]) <= 64
    ids = [line["custom_id"] for line in requests]
    assert len(set(ids)) == len(ids)
    assert state.custom_ids(file.name) == ids
    assert [d.id for d in state.documents()] == [d.id for d in documents(3)]


def test_custom_ids_are_stable_and_change_with_what_is_asked(tmp_path: Path) -> None:
    def ids(folder: str, settings: Settings) -> list[str]:
        state = BatchDir(tmp_path / folder)
        index = prepare(documents(2), state, settings, ExtractOptions())
        return state.custom_ids(index.files[0].name)

    assert ids("a", SETTINGS) == ids("b", SETTINGS)
    assert set(ids("c", Settings(backend="openai", model="other"))).isdisjoint(ids("d", SETTINGS))


@pytest.mark.parametrize(("max_lines", "max_bytes", "files"), [(2, 10**9, 3), (10**6, 10_000, 5)])
def test_files_are_split_by_lines_and_bytes(
    tmp_path: Path, max_lines: int, max_bytes: int, files: int
) -> None:
    state = BatchDir(tmp_path / "b")
    index = prepare(documents(5), state, SETTINGS, ExtractOptions(), max_lines=max_lines, max_bytes=max_bytes)
    assert len(index.files) == files
    for file in index.files:
        path = state.request_path(file.name)
        assert path.stat().st_size == file.bytes <= max_bytes
        assert len(lines(path)) == file.lines <= max_lines
    assert sum(f.lines for f in index.files) == 5
    assert not list(state.path.rglob("*.tmp"))


def test_a_folder_is_prepared_once(tmp_path: Path) -> None:
    state = BatchDir(tmp_path / "b")
    prepare(documents(1), state, SETTINGS, ExtractOptions())
    with pytest.raises(StateError, match="already prepared"):
        prepare(documents(1), state, SETTINGS, ExtractOptions())


def test_a_batch_needs_a_model_and_a_fixed_mode(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--model"):
        prepare(documents(1), BatchDir(tmp_path / "a"), Settings(backend="openai"), ExtractOptions())
    with pytest.raises(ConfigError, match="fixed mode"):
        prepare(
            documents(1),
            BatchDir(tmp_path / "b"),
            Settings(backend="openai", model="m", mode="auto"),
            ExtractOptions(),
        )


def test_load_errors_become_error_records_at_collect(tmp_path: Path) -> None:
    state = BatchDir(tmp_path / "b")
    items: list[Document | DocumentError] = [
        DocumentError("bad.txt", "bad.txt: not UTF-8; convert it"),
        *documents(1),
    ]
    prepare(items, state, SETTINGS, ExtractOptions())
    out = tmp_path / "out.jsonl"
    results = tmp_path / "none.jsonl"
    results.write_text("", encoding="utf-8")
    assert cli("batch", "collect", state.path, "-o", out, "--results", results, "--final") == 1
    errors = lines(tmp_path / "out.errors.jsonl")
    assert [(e["source"], e["stage"]) for e in errors if e["stage"] == "load"] == [("bad.txt", "load")]


def test_cli_errors_name_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("batch", "prepare", tmp_path / "missing", "-o", tmp_path / "b", "--model", "m") == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert cli("batch", "submit", tmp_path / "nothing") == 2
    assert "claims batch prepare" in capsys.readouterr().err
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Lindqvist traf Tamm.", encoding="utf-8")
    assert cli("batch", "prepare", docs, "-o", tmp_path / "b") == 2
    assert "--model" in capsys.readouterr().err
    assert cli("batch", "prepare", docs, "-o", tmp_path / "b", "--model", "m") == 0
    assert cli("batch", "submit", tmp_path / "b") == 2
    assert "OPENAI_API_KEY" in capsys.readouterr().err
    index = json.loads((tmp_path / "b" / "index.json").read_text())
    assert index["settings"]["model"] == "m" and "api_key" not in json.dumps(index)


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_a_request_is_what_the_online_path_posts(tmp_path: Path, mode: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Lindqvist traf Tamm am 3. Mai in Tallinn.", encoding="utf-8")
    server = FakeOpenAIServer(default=first_line_meeting)
    with server.running():
        assert cli(
            "extract", docs, "--backend", "openai", "--base-url", server.url, "--model", MODEL_ID,
            "--mode", mode, "--system-in-user", "--no-cache", "-o", tmp_path / "online.jsonl",
        ) == 0  # fmt: skip
    assert (
        cli(
            "batch",
            "prepare",
            docs,
            "-o",
            tmp_path / "b",
            "--model",
            MODEL_ID,
            "--mode",
            mode,
            "--system-in-user",
        )
        == 0
    )
    [request_file] = (tmp_path / "b" / "requests").glob("*.jsonl")
    [line] = lines(request_file)
    assert line["body"] == server.requests[0].body  # the first ask (re-asks come from collect)

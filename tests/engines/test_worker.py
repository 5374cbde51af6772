"""A shard's run resumes its own files: every document ends exactly once, however often it ran."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from claims.api import open_backend
from claims.engines.combine import combine_shards, combined_results
from claims.engines.shards import ShardStore, plan_shards
from claims.engines.worker import process_shard
from claims.run.manifest import progress_record
from claims.run.pipeline import ExtractOptions
from claims.run.sinks import OutputPaths
from tests.conftest import SEEDS


def seeds_jsonl(path: Path, copies: int = 2) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for n in range(copies):
            for text_path in sorted(SEEDS.glob("*.txt")):
                record = {"id": f"{text_path.stem}-{n}", "text": text_path.read_text(encoding="utf-8")}
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        stream.write("{broken\n")
    return path


def lines(path: Path | None) -> list[dict[str, Any]]:
    assert path is not None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(shard: Any, store: ShardStore) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        backend, _ = open_backend("rules")
        try:
            return await process_shard(shard, store, backend, ExtractOptions())
        finally:
            await backend.aclose()

    return asyncio.run(go())


def test_a_shard_killed_mid_write_is_finished_with_every_document_once(tmp_path: Path) -> None:
    source = seeds_jsonl(tmp_path / "docs.jsonl")
    (shard,) = plan_shards([source], 100)
    complete = ShardStore(tmp_path / "complete")
    summary = run(shard, complete)
    assert summary["documents"] == 11 and summary["failed"] == 1 and complete.is_done(shard)
    expected = complete.paths(shard)

    # An earlier attempt that died: three whole documents, a fourth half written, no marker.
    store = ShardStore(tmp_path / "killed")
    paths = store.paths(shard)
    assert paths.claims is not None and paths.progress is not None
    progress = lines(expected.progress)
    first = [record["doc_id"] for record in progress[:3]]
    paths.claims.parent.mkdir(parents=True)
    kept = [c for c in lines(expected.claims) if c["doc_id"] in first]
    fourth = [c for c in lines(expected.claims) if c["doc_id"] == progress[3]["doc_id"]]
    text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in kept + fourth[:1])
    paths.claims.write_text(text + '{"doc_id": "cut', encoding="utf-8")
    paths.progress.write_text("".join(json.dumps(r) + "\n" for r in progress[:3]), encoding="utf-8")

    again = run(shard, store)
    assert again["resumed"] == 3 and again["documents"] == 11
    by_doc = sorted(json.dumps(c, sort_keys=True) for c in lines(paths.claims))
    assert by_doc == sorted(json.dumps(c, sort_keys=True) for c in lines(expected.claims))
    assert sorted(r["doc_id"] for r in lines(paths.progress)) == sorted(r["doc_id"] for r in progress)
    assert run(shard, store) == again, "a finished shard is not run again"


def test_combined_shards_equal_the_local_engine_and_catch_duplicates_across_shards(tmp_path: Path) -> None:
    source = seeds_jsonl(tmp_path / "docs.jsonl", copies=1)
    repeat = tmp_path / "repeat.jsonl"
    first_line = source.read_text(encoding="utf-8").splitlines()[0]
    repeat.write_text(first_line + "\n", encoding="utf-8")
    shards = plan_shards([source, repeat], 2)
    store = ShardStore(tmp_path / "shards")
    for shard in shards:
        run(shard, store)
    out = OutputPaths.beside(str(tmp_path / "ray" / "claims.jsonl"))
    combined = combine_shards(shards, store, out)

    from claims.cli import main

    local = tmp_path / "local" / "claims.jsonl"
    assert main(["extract", str(source), str(repeat), "-o", str(local), "--backend", "rules"]) == 1
    local_paths = OutputPaths.beside(str(local))
    for mine, theirs in zip(out.record_files(), local_paths.record_files(), strict=True):
        assert sorted(map(json.dumps, lines(mine))) == sorted(map(json.dumps, lines(theirs))), mine.name
    progress = sorted(map(json.dumps, lines(out.progress)))
    assert progress == sorted(map(json.dumps, lines(local_paths.progress)))
    assert combined.duplicates == 1 and combined.stats.documents == 7
    (duplicate,) = [e for e in lines(out.errors) if "duplicate" in e["message"]]
    assert duplicate["source"] == f"{repeat}:1"


def test_combined_results_rebuild_every_document_as_the_driver_gave_it(tmp_path: Path) -> None:
    source = seeds_jsonl(tmp_path / "docs.jsonl", copies=1)
    repeat = tmp_path / "repeat.jsonl"
    repeat.write_text(source.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    shards = plan_shards([source, repeat], 2)
    store = ShardStore(tmp_path / "shards")
    for shard in shards:
        run(shard, store)
    out = OutputPaths.beside(str(tmp_path / "out" / "claims.jsonl"))
    combined = combine_shards(shards, store, out)
    results = list(combined_results(shards, store))
    assert [progress_record(result) for result in results] == combined.records
    claims = [claim.model_dump(mode="json") for result in results for claim in result.claims]
    assert claims == lines(out.claims)
    errors = [error.model_dump(mode="json") for result in results for error in result.errors]
    assert sorted(map(json.dumps, errors)) == sorted(map(json.dumps, lines(out.errors)))
    texts = {result.doc_id: result.document.text for result in results if result.document is not None}
    assert texts == {record["id"]: record["text"] for record in lines(out.documents)}

"""`claims extract --backend local` with the REAL Gemma 270M in the REAL llama.cpp server, and the
openai backend's handling of that server's quirks. Gemma 270M is a base model that cannot
extract: these tests check what the pipeline guarantees whatever a model says — never content.

The three documents in docs/ were written for these tests.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claims.backends.openai import modes as openai_modes
from claims.backends.openai.backend import OpenAIBackend
from claims.backends.protocol import Chunk, ProposalRequest, TruncatedAnswer
from claims.inputs.documents import Document
from claims.local.server import LocalServer
from claims.settings import resolve_settings
from tests.integration.conftest import USER_CACHE

pytestmark = pytest.mark.integration

DOCS = Path(__file__).parent / "docs"


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory, gemma_file: Path) -> dict[str, Any]:
    """One real run of the CLI over the three documents; the model is assembled in the user cache."""
    out = tmp_path_factory.mktemp("extract") / "claims.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CLAIMS_"))}
    env["CLAIMS_CACHE_DIR"] = str(USER_CACHE)  # where the model is; --no-cache keeps answers out of it
    command = [
        sys.executable, "-m", "claims.cli", "extract", str(DOCS), "-o", str(out),
        "--backend", "local", "--model", "gemma", "--no-cache", "--reask", "0",
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1500)
    return {
        "run": run,
        "claims": _lines(out),
        "rejected": _lines(out.with_name("claims.rejected.jsonl")),
        "errors": _lines(out.with_name("claims.errors.jsonl")),
        "progress": _lines(out.with_name("claims.progress.jsonl")),
        "manifest": json.loads(out.with_name("claims.manifest.json").read_text(encoding="utf-8")),
    }


def _texts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in DOCS.glob("*.txt")}


def test_the_run_completes_and_every_document_ends_as_claims_or_an_error(extracted: dict[str, Any]) -> None:
    run = extracted["run"]
    assert run.returncode in (0, 1), run.stderr  # 1: some document failed, and says so
    finished = {record["doc_id"]: record["ok"] for record in extracted["progress"]}
    assert set(finished) == set(_texts())
    failed = {record["doc_id"] for record in extracted["errors"]}
    assert failed == {doc for doc, ok in finished.items() if not ok}
    assert (run.returncode == 1) == bool(failed)


def test_every_written_claim_verifies(extracted: dict[str, Any]) -> None:
    texts = _texts()
    for claim in extracted["claims"]:
        span = claim["span"]
        assert (
            texts[claim["doc_id"]][span["start"] : span["end"]] == claim["quote"]
            or claim["match"] == "normalized"
        )
        assert claim["provenance"]["backend"] == "local"


def test_ungrounded_quotes_land_in_the_rejected_file(extracted: dict[str, Any]) -> None:
    texts = _texts()
    manifest = extracted["manifest"]
    assert manifest["totals"]["claims_proposed"] > 0, (
        "Gemma proposed nothing on these documents, so the grounding checks checked nothing"
    )
    assert len(extracted["rejected"]) == manifest["totals"]["claims_rejected"]
    for record in extracted["rejected"]:
        assert record["reason"] and record["detail"]
        if record["reason"] == "not_found":
            assert record["claim"]["quote"] not in texts[record["doc_id"]]
    # what is neither written nor rejected was merged into a written claim (the same event twice)
    assert (
        manifest["totals"]["claims_verified"] + manifest["totals"]["claims_rejected"]
        <= manifest["totals"]["claims_proposed"]
    )


def test_the_manifest_records_tokens_and_the_local_server(extracted: dict[str, Any]) -> None:
    manifest = extracted["manifest"]
    assert manifest["backend"] == "local" and manifest["details"]["local_model"] == "gemma"
    assert manifest["endpoint"].startswith("local (llama-cpp-python")
    assert manifest["mode"] == "auto" and manifest["details"]["mode_used"] == "tools"
    usage = manifest["usage"]
    assert usage["requests"] >= 3 and usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert manifest["details"]["system_in_user"] == "true"


# --- the openai backend against the real server ---------------------------------------------

SENTENCE = "Am 3. März 2025 traf Außenministerin Baerbock in Kiew ihren ukrainischen Amtskollegen Sybiha."


def _request() -> ProposalRequest:
    document = Document(id="d", text=SENTENCE, published="2025-03-04", language="de")
    return ProposalRequest(document, Chunk("d", 0, 0, len(SENTENCE), SENTENCE))


def _backend(server: LocalServer, **settings: Any) -> OpenAIBackend:
    resolved = resolve_settings(
        backend="openai", base_url=server.base_url, model=server.model.alias, system_in_user=True,
        max_retries=0, env={}, **settings,
    )  # fmt: skip
    return OpenAIBackend(resolved)


def test_auto_falls_back_from_the_refused_json_schema_to_json(
    gemma_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(openai_modes, "AUTO_ORDER", ("json_schema", "json"))
    backend = _backend(gemma_server, mode="auto", max_tokens=96)

    async def run() -> None:
        try:
            await backend.propose(_request())
        except TruncatedAnswer:
            pass  # Gemma may well ramble until the limit: the shape was still accepted
        finally:
            await backend.aclose()

    asyncio.run(run())
    described = backend.describe()
    assert described["mode_used"] == "json"
    assert described["modes_refused"] is not None and described["modes_refused"].startswith(
        "json_schema: HTTP 500"
    )


def test_a_forced_tool_call_cut_off_by_max_tokens_is_truncated_not_reasked(gemma_server: LocalServer) -> None:
    # `{"claims": []}` alone takes six tokens: four cannot finish any answer
    backend = _backend(gemma_server, mode="tools", max_tokens=4)

    async def run() -> None:
        try:
            await backend.propose(_request())
        finally:
            await backend.aclose()

    with pytest.raises(TruncatedAnswer) as caught:
        asyncio.run(run())
    assert caught.value.usage.requests == 1
    assert caught.value.usage.completion_tokens == 4

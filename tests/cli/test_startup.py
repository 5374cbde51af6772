"""Commands that need no LLM never import openai or instructor (1–3 s of start-up): verify, eval,
report, schema, and a fully cached `claims extract --backend openai` rerun (the client is built on
the first cache miss). Each runs as a real process under `python -X importtime`; the extract runs
against the FAKE server (scripted answers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOLD, ROOT, SEEDS
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer

LLM_STACK = ("openai", "instructor")
# Loaded only for what needs them: httpx (and the rich it pulls in, ~0.2 s) to fetch a URL,
# charset-normalizer to decode a text that is not UTF-8, SQLAlchemy (~0.7 s with the event code)
# for --db.
INPUT_EXTRAS = ("httpx", "charset_normalizer", "sqlalchemy")


def imported(*args: str) -> set[str]:
    """The top-level modules a `claims` process imported (from -X importtime); fails if it fails."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "claims.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize(
    "args",
    [
        ("verify", "--source", str(SEEDS), str(GOLD), "-o", "{tmp}/verified.jsonl"),
        ("eval", "--gold", str(GOLD), "--docs", str(SEEDS), "--pred", str(GOLD)),
        ("report", "{verified}", "--source", str(SEEDS), "-o", "{tmp}/report.html"),
        ("schema", "--check"),
    ],
    ids=["verify", "eval", "report", "schema"],
)
def test_commands_without_an_llm_do_not_import_the_llm_stack(args: tuple[str, ...], tmp_path: Path) -> None:
    verified = tmp_path / "gold.verified.jsonl"
    if "{verified}" in args:
        imported("verify", "--source", str(SEEDS), str(GOLD), "-o", str(verified))
    names = imported(
        *(arg.replace("{tmp}", str(tmp_path)).replace("{verified}", str(verified)) for arg in args)
    )
    assert "claims" in names
    assert not names & set(LLM_STACK)
    assert not names & set(INPUT_EXTRAS)


def test_a_fully_cached_extract_rerun_does_not_import_the_llm_stack(tmp_path: Path) -> None:
    documents = tmp_path / "docs"
    documents.mkdir()
    for i in range(5):
        (documents / f"d{i}.txt").write_text(f"Ministerin Lindqvist traf Minister Tamm in Stadt {i}.\n")
    with FakeOpenAIServer(default=first_line_meeting).running() as server:
        args = (
            "extract", str(documents), "-o", str(tmp_path / "out.jsonl"), "--backend", "openai",
            "--base-url", server.url, "--model", MODEL_ID, "--cache-dir", str(tmp_path / "cache"),
        )  # fmt: skip
        first = imported(*args)
        asked = len(server.requests)
        again = imported(*args)
    assert asked == 5 and len(server.requests) == 5, "the rerun asked nobody"
    assert set(LLM_STACK) <= first, "a cache miss builds the client"
    assert not again & set(LLM_STACK)
    assert not again & set(INPUT_EXTRAS)
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") == 5

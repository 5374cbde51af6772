"""Shared fixtures: no test sees the developer's OpenAI settings or writes to a real cache."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.fakes.openai_server import FakeOpenAIServer

# Property tests explore new random examples on every developer run; in CI (CI=true) they replay a
# fixed sequence, so a submission's result does not depend on the draw (what a developer run finds
# becomes a plain regression test). HYPOTHESIS_PROFILE overrides either.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
SEEDS = EVAL / "seeds"
GOLD = EVAL / "gold" / "seeds.jsonl"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "CLAIMS_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLAIMS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def seed_texts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


def gold_lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAIServer]:
    """A running FAKE OpenAI-compatible server with scripted answers (never a model)."""
    with FakeOpenAIServer().running() as server:
        yield server

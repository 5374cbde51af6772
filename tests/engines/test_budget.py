"""The job's rate budget: requests and tokens per minute, spaced rather than refused."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from claims.backends.protocol import Chunk, ProposalRequest
from claims.cli import main
from claims.engines.budget import (
    PROMPT_OVERHEAD_TOKENS,
    BudgetedBackend,
    LocalBudget,
    RateLimits,
    TokenBucket,
    estimate_tokens,
    open_budgeted_backend,
)
from claims.inputs.documents import Document
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_requests_past_the_burst_wait_their_turn_and_the_bucket_refills() -> None:
    clock = Clock()
    bucket = TokenBucket(RateLimits(requests_per_minute=60, burst_seconds=3), clock)
    assert [bucket.reserve(0) for _ in range(3)] == [0, 0, 0]
    assert [bucket.reserve(0) for _ in range(3)] == pytest.approx([1, 2, 3])
    clock.now = 10.0
    assert bucket.reserve(0) == 0, "ten idle seconds refill the bucket (up to its burst)"


def test_tokens_are_reserved_by_estimate_and_settled_by_the_answer() -> None:
    clock = Clock()
    bucket = TokenBucket(RateLimits(tokens_per_minute=6000, burst_seconds=1), clock)  # 100 tokens/s
    assert bucket.reserve(100) == 0
    bucket.settle(400)  # the answer cost 500, not 100: 4 seconds of debt
    assert bucket.reserve(0) == pytest.approx(4)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="--requests-per-minute"):
        RateLimits(requests_per_minute=0)
    assert not RateLimits().limited and RateLimits(tokens_per_minute=1).limited


def test_the_estimate_counts_the_chunk_and_the_prompt_around_it() -> None:
    document = Document(id="d", text="x" * 350)
    request = ProposalRequest(document, Chunk("d", 0, 0, 350, document.text), feedback=("y" * 35,))
    assert estimate_tokens(request) == PROMPT_OVERHEAD_TOKENS + 110


def test_a_budgeted_backend_spaces_real_requests_and_keeps_the_cache_outside(tmp_path: Path) -> None:
    sent: list[float] = []

    def answer(request: RecordedRequest) -> Reply:
        sent.append(time.monotonic())
        return first_line_meeting(request)

    limits = RateLimits(requests_per_minute=600, burst_seconds=0.1)  # 10 a second, one at once

    async def go() -> None:
        backend, _ = open_budgeted_backend(
            "openai", LocalBudget(limits), base_url=server.url, model=MODEL_ID, cache_dir=str(tmp_path)
        )
        documents = [Document(id=f"d{i}", text=f"Lindqvist traf Tamm {i}.") for i in range(11)]
        requests = [ProposalRequest(d, Chunk(d.id, 0, 0, len(d.text), d.text)) for d in documents]
        try:
            await backend.propose(requests.pop())  # the client's first request is slow to leave: warm up
            sent.clear()
            await asyncio.gather(*(backend.propose(r) for r in requests))
            await asyncio.gather(*(backend.propose(r) for r in requests))  # all cached: no wait, no request
        finally:
            await backend.aclose()
        assert isinstance(getattr(backend, "inner", None), BudgetedBackend)

    with FakeOpenAIServer(default=answer).running() as server:
        asyncio.run(go())
    assert len(sent) == 10
    # 10 a second with a burst of one: 10 requests span at least 0.9 s (a lower bound: a slow
    # machine only stretches it), where unbudgeted they would all arrive at once.
    assert sent[-1] - sent[0] >= 0.8


def test_extract_refuses_a_nonpositive_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--requests-per-minute", "0"]) == 2
    assert "--requests-per-minute" in capsys.readouterr().err

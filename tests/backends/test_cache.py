"""The disk cache around a backend: what keys it, and that a hit asks nobody."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from claims.backends.cache import CachedBackend, cache_key, is_cacheable
from claims.backends.openai.backend import create
from claims.backends.protocol import BackendError, Chunk, Proposal, ProposalRequest
from claims.inputs.documents import Document
from claims.settings import resolve_settings
from tests.fakes.claimdata import meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply

TEXT = "Die Ministerin Lindqvist traf ihren Kollegen Tamm am Montag in Tallinn."
DESCRIBED: dict[str, str | None] = {
    "model": "m",
    "endpoint": "http://x/v1",
    "mode": "tools",
    "prompt_hash": "p",
}


def request(
    text: str = TEXT, published: str | None = "2024-05-06", feedback: tuple[str, ...] = ()
) -> ProposalRequest:
    document = Document(id="doc", text=text, published=published, language="de")
    return ProposalRequest(document, Chunk("doc", 0, 0, len(text), text), feedback)


def test_the_key_changes_with_everything_that_changes_the_answer() -> None:
    base = cache_key(DESCRIBED, request())
    assert cache_key(dict(DESCRIBED), request()) == base
    assert cache_key(DESCRIBED | {"model": "other"}, request()) != base
    assert cache_key(DESCRIBED | {"prompt_hash": "q"}, request()) != base
    assert cache_key(DESCRIBED, request(text=TEXT + " ")) != base
    assert cache_key(DESCRIBED, request(published="2024-05-07")) != base
    assert cache_key(DESCRIBED, request(feedback=("a quote",))) != base


def test_the_key_does_not_depend_on_the_document_id() -> None:
    other = request()
    renamed = ProposalRequest(other.document.model_copy(update={"id": "renamed"}), other.chunk)
    assert cache_key(DESCRIBED, renamed) == cache_key(DESCRIBED, other)


def test_run_facts_never_key_the_cache() -> None:
    """What mode `auto` settled on is found out during a run; the answer was keyed by `auto`."""
    base = cache_key(DESCRIBED | {"mode": "auto"}, request())
    settled = DESCRIBED | {"mode": "auto", "mode_used": "json", "modes_refused": "tools: HTTP 400"}
    assert cache_key(settled, request()) == base


def test_the_cached_backend_describes_the_run_as_it_is_now(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    backend = cached_openai(fake_server, tmp_path, mode="auto")
    assert backend.describe()["mode_used"] is None
    propose_once(backend, request())
    assert backend.describe()["mode_used"] == "tools"


def cached_openai(server: FakeOpenAIServer, cache_dir: Path, **settings: object) -> CachedBackend:
    backend = create(
        resolve_settings(backend="openai", base_url=server.url, model=MODEL_ID, env={}, **settings)  # type: ignore[arg-type]
    )
    assert is_cacheable(backend)
    return CachedBackend(backend, cache_dir)


def propose_once(backend: CachedBackend, req: ProposalRequest) -> Proposal:
    async def run() -> Proposal:
        try:
            return await backend.propose(req)
        finally:
            await backend.aclose()

    return asyncio.run(run())


def test_a_hit_makes_zero_requests_and_counts_as_cached(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.default = lambda _request: Reply.claims(meeting(TEXT))
    first = propose_once(cached_openai(fake_server, tmp_path), request())
    assert len(fake_server.requests) == 1 and first.usage.cached == 0
    again = propose_once(cached_openai(fake_server, tmp_path), request())  # a new client, as a rerun has
    assert len(fake_server.requests) == 1
    assert again.usage.cached == 1 and again.usage.requests == 0
    assert [c.model_dump() for c in again.claims] == [c.model_dump() for c in first.claims]


def test_another_model_or_mode_misses(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    propose_once(cached_openai(fake_server, tmp_path), request())
    propose_once(cached_openai(fake_server, tmp_path, mode="json"), request())
    propose_once(cached_openai(fake_server, tmp_path, temperature=0.5), request())
    assert len(fake_server.requests) == 3


def test_failures_are_not_cached(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    fake_server.script("Lindqvist", Reply.error(400, "no"))
    backend = cached_openai(fake_server, tmp_path)
    with pytest.raises(BackendError):
        propose_once(backend, request())
    propose_once(cached_openai(fake_server, tmp_path), request())
    assert len(fake_server.requests) == 2


def test_the_key_is_never_written_to_the_cache(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    secret = "sk-cache-secret-0815"
    fake_server.default = lambda _request: Reply.claims(meeting(TEXT))
    propose_once(cached_openai(fake_server, tmp_path, api_key=secret), request())
    files = [Path(root) / name for root, _dirs, names in os.walk(tmp_path) for name in names]
    assert files
    for path in files:
        assert secret.encode() not in path.read_bytes()

"""What each request costs: no examples by default, the lean schema, a byte-identical static
prefix, and the provider's prompt-cache tokens counted. Against the scripted FAKE, in process."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from claims.backends.openai.backend import OpenAIBackend
from claims.backends.openai.config import RequestConfig, static_prefix_chars
from claims.backends.openai.prompting import ALL_EXAMPLES, example_count, load_prompts
from claims.backends.openai.request_schema import request_schema
from claims.backends.protocol import Chunk, ProposalRequest, Usage
from claims.inputs.documents import Document
from claims.settings import resolve_settings
from tests.fakes.claimdata import meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply
from tests.fakes.openai_transport import IN_PROCESS_URL, in_process_client

SENTENCE = "Die Ministerin Lindqvist traf ihren Kollegen Tamm am Montag in Tallinn."


def backend(fake: FakeOpenAIServer, **options: Any) -> OpenAIBackend:
    settings = resolve_settings(backend="openai", base_url=IN_PROCESS_URL, model=MODEL_ID, env={})
    return OpenAIBackend(settings, http_client=in_process_client(fake), **options)


def ask(chosen: OpenAIBackend, *texts: str) -> Usage:
    async def run() -> Usage:
        usage = Usage()
        try:
            for number, text in enumerate(texts):
                document = Document(id=f"d{number}", text=text, published="2024-05-06", language="de")
                proposal = await chosen.propose(
                    ProposalRequest(document, Chunk(document.id, 0, 0, len(text), text))
                )
                usage.add(proposal.usage)
        finally:
            await chosen.aclose()
        return usage

    return asyncio.run(run())


def static_part(request: RecordedRequest) -> tuple[str, str]:
    system = request.messages[0]
    assert system["role"] == "system"
    return system["content"], json.dumps(request.body["tools"], sort_keys=True)


def test_the_openai_backend_sends_no_examples_by_default() -> None:
    fake = FakeOpenAIServer()
    ask(backend(fake), SENTENCE)
    (request,) = fake.requests
    system = request.messages[0]["content"]
    assert system == load_prompts(0).system and "# Examples" not in system
    assert backend(fake).describe()["examples"] == "0"


def test_examples_can_be_asked_for() -> None:
    fake = FakeOpenAIServer()
    chosen = backend(fake, examples=ALL_EXAMPLES)
    ask(chosen, SENTENCE)
    assert fake.requests[0].messages[0]["content"].count("## Example ") == example_count()
    assert chosen.describe()["prompt_hash"] != backend(fake).describe()["prompt_hash"]


def test_the_request_carries_the_lean_schema_with_a_short_description() -> None:
    fake = FakeOpenAIServer()
    ask(backend(fake), SENTENCE)
    (tool,) = fake.requests[0].body["tools"]
    expected = {k: v for k, v in request_schema().items() if k != "title"}
    assert tool["function"]["name"] == "ProposedClaims"
    assert tool["function"]["parameters"] == expected
    assert len(tool["function"]["description"]) < 40


def test_the_static_prefix_is_byte_identical_across_requests() -> None:
    fake = FakeOpenAIServer()
    ask(
        backend(fake),
        SENTENCE,
        "Ein ganz anderer Artikel über ein Treffen in Riga, viel länger als der erste.",
    )
    first, second = fake.requests
    assert static_part(first) == static_part(second)
    assert first.messages[1] != second.messages[1]
    described = backend(fake).describe()
    chosen = backend(fake)
    assert described["static_prefix_chars"] == str(static_prefix_chars(chosen.request_config))
    assert int(described["static_prefix_chars"] or 0) < 7000


STATIC_PREFIX_CHARS = 4986
"""The default static prefix (instructions and request schema, no examples) as measured when its
token budget was checked: 1,402 prompt tokens a request on llama.cpp's Qwen2.5 server, chat template
and tool wrapper included, against a goal of at most 1,500 (`benchmarks/tokens.py`)."""


def test_the_static_prefix_cannot_grow_silently() -> None:
    """Every character is paid on every request: growing the prefix by more than 2% (about 25
    tokens) must be a decision — re-measure with `make bench-tokens`, then move this bound."""
    settings = resolve_settings(backend="openai", base_url=IN_PROCESS_URL, model=MODEL_ID, env={})
    chars = static_prefix_chars(RequestConfig.from_settings(settings))
    assert STATIC_PREFIX_CHARS * 0.9 <= chars <= STATIC_PREFIX_CHARS * 1.02, chars


def test_tokens_served_from_the_providers_prompt_cache_are_counted() -> None:
    fake = FakeOpenAIServer()
    fake.default = lambda _request: Reply.claims(
        meeting(SENTENCE), prompt_tokens=1500, cached_prompt_tokens=1280
    )
    usage = ask(backend(fake), SENTENCE, SENTENCE + " ")
    assert (usage.requests, usage.prompt_tokens, usage.cached_prompt_tokens) == (2, 3000, 2560)


def test_no_reported_cache_counts_nothing() -> None:
    fake = FakeOpenAIServer()
    fake.default = lambda _request: Reply.claims(meeting(SENTENCE))
    assert ask(backend(fake), SENTENCE).cached_prompt_tokens == 0


def test_the_manifest_records_the_static_prefix_and_the_providers_cached_tokens() -> None:
    import claims

    with FakeOpenAIServer().running() as fake:
        fake.default = lambda _request: Reply.claims(
            meeting(SENTENCE), prompt_tokens=900, cached_prompt_tokens=640
        )
        documents = [Document(id=f"d{n}", text=f"{SENTENCE} ({n})", published="2024-05-06") for n in range(3)]
        result = claims.extract(
            documents, backend="openai", base_url=fake.url, model=MODEL_ID, api_key="sk-fake", use_cache=False
        )
    manifest = result.manifest
    assert manifest.usage.prompt_tokens == 2700 and manifest.usage.cached_prompt_tokens == 1920
    assert int(manifest.details["static_prefix_chars"] or 0) > 1000
    assert manifest.details["examples"] == "0"

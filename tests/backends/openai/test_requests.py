"""Interface 2: the request body for a chunk is exactly what the online path POSTs, and a
chat.completion JSON parses with the online path's schema, validation and salvage. Answers are
SCRIPTED by the FAKE (never a model), served in process."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from claims.backends.openai.answers import parse_chat_completion
from claims.backends.openai.backend import OpenAIBackend
from claims.backends.openai.config import RequestBounds, RequestConfig
from claims.backends.openai.requests import INSTRUCTOR_MODES, build_chat_request, system_into_user
from claims.backends.protocol import BackendError, Chunk, ProposalRequest, TruncatedAnswer
from claims.inputs.documents import Document
from claims.settings import resolve_settings
from tests.fakes.claimdata import actor, meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply
from tests.fakes.openai_transport import IN_PROCESS_URL, in_process_client

SENTENCE = "Die Ministerin Lindqvist traf ihren Kollegen Tamm am Montag in Tallinn."


def request_for(text: str) -> ProposalRequest:
    document = Document(id="doc", text=text, published="2024-05-06", language="de")
    return ProposalRequest(document, Chunk("doc", 0, 0, len(text), text))


def backend(fake: FakeOpenAIServer, **given: Any) -> OpenAIBackend:
    settings = resolve_settings(backend="openai", base_url=IN_PROCESS_URL, model=MODEL_ID, env={}, **given)
    return OpenAIBackend(settings, http_client=in_process_client(fake))


def sent_online(fake: FakeOpenAIServer, chosen: OpenAIBackend, text: str) -> dict[str, Any]:
    async def run() -> None:
        try:
            await chosen.propose(request_for(text))
        finally:
            await chosen.aclose()

    asyncio.run(run())
    (recorded,) = fake.requests
    return recorded.body


@pytest.mark.parametrize("mode", list(INSTRUCTOR_MODES))
@pytest.mark.parametrize("system_in_user", [False, True])
def test_the_batch_body_is_the_body_the_online_path_posts(mode: str, system_in_user: bool) -> None:
    fake = FakeOpenAIServer()
    chosen = backend(fake, mode=mode, system_in_user=system_in_user, temperature=0.2, max_tokens=900)
    built = build_chat_request(chosen, request_for(SENTENCE))
    assert built == sent_online(fake, chosen, SENTENCE)
    assert built["model"] == MODEL_ID and built["max_tokens"] == 900 and built["temperature"] == 0.2
    assert ("system" in [m["role"] for m in built["messages"]]) is not system_in_user
    json.dumps(built)  # plain JSON, ready for a batch file line


def test_a_request_config_builds_the_same_body_as_its_backend() -> None:
    settings = resolve_settings(
        backend="openai", base_url=IN_PROCESS_URL, model=MODEL_ID, mode="json", env={}
    )
    from_config = build_chat_request(RequestConfig.from_settings(settings), request_for(SENTENCE))
    assert from_config == build_chat_request(OpenAIBackend(settings), request_for(SENTENCE))
    assert from_config["response_format"] == {"type": "json_object"}


def test_the_request_asks_for_bounds_the_data_contract_does_not_have() -> None:
    config = RequestConfig(model=MODEL_ID, mode="tools", bounds=RequestBounds(claims=7, actors=5, weapons=3))
    parameters = build_chat_request(config, request_for(SENTENCE))["tools"][0]["function"]["parameters"]
    assert parameters["properties"]["claims"]["maxItems"] == 7
    claim = parameters["properties"]["claims"]["items"]["properties"]
    assert claim["participants"]["maxItems"] == 5
    assert claim["parties"]["maxItems"] == 5
    assert claim["weapons"]["maxItems"] == 3


def test_mode_auto_has_no_fixed_body_until_it_settles() -> None:
    fake = FakeOpenAIServer()
    chosen = backend(fake, mode="auto")
    with pytest.raises(ValueError, match="fixed mode"):
        build_chat_request(chosen, request_for(SENTENCE))
    sent_online(fake, chosen, SENTENCE)
    assert build_chat_request(chosen, request_for(SENTENCE))["tools"], "settled on tools"


def test_system_into_user_keeps_the_order_of_the_instructions() -> None:
    merged = system_into_user(
        [
            {"role": "system", "content": "A"},
            {"role": "system", "content": "B"},
            {"role": "user", "content": "C"},
        ]
    )
    assert merged == [{"role": "user", "content": "A\n\nB\n\nC"}]


# --- parse_chat_completion --------------------------------------------------------------------


def completion_for(config: RequestConfig, reply: Reply) -> dict[str, Any]:
    """The FAKE's chat.completion for the body `config` builds, as a batch output line holds it."""
    body = build_chat_request(config, request_for(SENTENCE))
    recorded = RecordedRequest("/v1/chat/completions", {}, json.dumps(body).encode(), body)
    return FakeOpenAIServer().completion(recorded, reply)


@pytest.mark.parametrize("mode", list(INSTRUCTOR_MODES))
def test_a_completion_parses_in_every_mode_with_its_tokens(mode: str) -> None:
    config = RequestConfig(model=MODEL_ID, mode=mode)
    other = meeting("Tamm empfing Lindqvist.")
    completion = completion_for(config, Reply.claims(meeting(SENTENCE), other, meeting(SENTENCE)))
    proposal = parse_chat_completion(config, completion)
    assert [c.quote for c in proposal.claims] == [SENTENCE, "Tamm empfing Lindqvist."], "repeats kept once"
    assert (proposal.usage.requests, proposal.usage.prompt_tokens, proposal.usage.completion_tokens) == (
        1,
        100,
        10,
    )


def test_a_completion_over_the_request_bounds_is_kept() -> None:
    config = RequestConfig(model=MODEL_ID, mode="tools", bounds=RequestBounds(claims=2, actors=3))
    summit = meeting(SENTENCE) | {"participants": [actor(f"Gast {n}", None) for n in range(30)]}
    claims = [summit] + [meeting(f"Satz {n} über ein Treffen.") for n in range(5)]
    proposal = parse_chat_completion(config, completion_for(config, Reply.claims(*claims)))
    assert len(proposal.claims) == 6
    assert len(proposal.claims[0].participants) == 30  # type: ignore[union-attr]


def test_a_completion_cut_off_is_truncated_and_a_runaway_one_salvaged() -> None:
    config = RequestConfig(model=MODEL_ID, mode="json", max_tokens=256)
    with pytest.raises(TruncatedAnswer) as caught:
        parse_chat_completion(config, completion_for(config, Reply.truncated(completion_tokens=256)))
    assert caught.value.usage.completion_tokens == 256
    looped = json.dumps({"claims": [meeting(SENTENCE)] * 6}, ensure_ascii=False)[:-40]
    proposal = parse_chat_completion(config, completion_for(config, Reply.raw(looped, completion_tokens=256)))
    assert [c.quote for c in proposal.claims] == [SENTENCE]


def test_a_completion_that_does_not_fit_the_schema_is_a_schema_error() -> None:
    config = RequestConfig(model=MODEL_ID, mode="tools")
    with pytest.raises(BackendError) as caught:
        parse_chat_completion(config, completion_for(config, Reply.raw('{"claims": "not a list"}')))
    assert caught.value.kind == "SchemaError" and "claims" in str(caught.value)
    with pytest.raises(BackendError) as empty:
        parse_chat_completion(config, completion_for(config, Reply.empty()))
    assert empty.value.kind == "EmptyAnswer"


def test_raw_newlines_in_a_completion_still_parse() -> None:
    config = RequestConfig(model=MODEL_ID, mode="json")
    raw = json.dumps({"claims": [meeting("Lindqvist traf\nTamm in Tallinn.")]}, ensure_ascii=False)
    proposal = parse_chat_completion(config, completion_for(config, Reply.raw(raw.replace("\\n", "\n"))))
    assert proposal.claims[0].quote == "Lindqvist traf\nTamm in Tallinn."

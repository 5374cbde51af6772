"""The openai backend against a scripted FAKE (never a model): in process through an
httpx2.MockTransport for answers and errors, and as a real local HTTP server (`live_server`)
where sockets matter: timeouts, dropped connections, unreachable endpoints."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from claims.backends.openai.backend import OpenAIBackend, create
from claims.backends.openai.prompting import load_prompts
from claims.backends.openai.requests import INSTRUCTOR_MODES
from claims.backends.protocol import BackendError, Chunk, Proposal, ProposalRequest, TruncatedAnswer
from claims.inputs.documents import Document
from claims.settings import ConfigError, Settings, resolve_settings
from tests.fakes.claimdata import meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, RecordedRequest, Reply
from tests.fakes.openai_transport import IN_PROCESS_URL, in_process_client

SENTENCE = "Die Ministerin Lindqvist traf ihren Kollegen Tamm am Montag in Tallinn."
KEY = "sk-test-DO-NOT-LEAK-4711"


@pytest.fixture
def fake_server() -> FakeOpenAIServer:
    """The FAKE's scripted answers, served in process (no socket)."""
    return FakeOpenAIServer()


@pytest.fixture
def live_server() -> Iterator[FakeOpenAIServer]:
    """The FAKE as a real HTTP server on 127.0.0.1."""
    with FakeOpenAIServer().running() as server:
        yield server


def live(server: FakeOpenAIServer) -> bool:
    return server._httpd is not None


def backend_for(server: FakeOpenAIServer, **overrides: Any) -> OpenAIBackend:
    url = server.url if live(server) else IN_PROCESS_URL
    settings: dict[str, Any] = {"backend": "openai", "base_url": url, "model": MODEL_ID, "env": {}}
    resolved = resolve_settings(**(settings | overrides))
    if live(server):
        return create(resolved)
    return OpenAIBackend(resolved, http_client=in_process_client(server))


def request_for(text: str, published: str | None = "2024-05-06") -> ProposalRequest:
    document = Document(id="doc", text=text, published=published, language="de")
    return ProposalRequest(document, Chunk("doc", 0, 0, len(text), text))


def propose(backend: OpenAIBackend, text: str) -> Proposal:
    async def run() -> Proposal:
        try:
            return await backend.propose(request_for(text))
        finally:
            await backend.aclose()

    return asyncio.run(run())


@pytest.mark.parametrize("mode", list(INSTRUCTOR_MODES))
def test_every_mode_gets_claims_in_the_shape_its_server_expects(
    fake_server: FakeOpenAIServer, mode: str
) -> None:
    fake_server.script("MODE-TEST", Reply.claims(meeting(SENTENCE)))
    proposal = propose(backend_for(fake_server, mode=mode), f"MODE-TEST {SENTENCE}")
    assert [c.quote for c in proposal.claims] == [SENTENCE]
    (request,) = fake_server.requests
    assert request.mode == mode
    assert request.body["model"] == MODEL_ID
    assert request.body["temperature"] == 0.0
    if mode == "tools":
        assert request.body["tool_choice"]["type"] == "function"
    if mode == "json_schema":
        assert request.body["response_format"]["json_schema"]["schema"]["required"] == ["claims"]
    assert proposal.usage.requests == 1
    assert (proposal.usage.prompt_tokens, proposal.usage.completion_tokens) == (100, 10)


@pytest.mark.parametrize("mode", list(INSTRUCTOR_MODES))
def test_a_schema_invalid_answer_is_reasked_and_every_attempt_is_counted(
    fake_server: FakeOpenAIServer, mode: str
) -> None:
    fake_server.script(
        "REASK",
        Reply.raw('{"claims": [{"type": "meeting", "quote": 3', prompt_tokens=120, completion_tokens=7),
        Reply.claims(meeting(SENTENCE), prompt_tokens=300, completion_tokens=40),
    )
    proposal = propose(backend_for(fake_server, mode=mode), f"REASK {SENTENCE}")
    assert len(proposal.claims) == 1
    first, second = fake_server.requests
    assert len(second.messages) > len(first.messages), "the re-ask carries the bad answer and the error"
    assert (proposal.usage.requests, proposal.usage.prompt_tokens, proposal.usage.completion_tokens) == (
        2,
        420,
        47,
    )


def test_schema_retries_bound_the_reasks(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = lambda _request: Reply.raw('{"claims": "not a list"}')
    with pytest.raises(BackendError) as caught:
        propose(backend_for(fake_server, schema_retries=2), SENTENCE)
    assert len(fake_server.requests) == 3
    assert caught.value.kind == "SchemaError"
    assert "claims" in str(caught.value)
    assert caught.value.usage.requests == 3 and caught.value.usage.prompt_tokens == 300


def test_rate_limit_honours_retry_after_then_succeeds(fake_server: FakeOpenAIServer) -> None:
    fake_server.script(
        "BUSY", Reply.error(429, "slow down", retry_after="0.4"), Reply.claims(meeting(SENTENCE))
    )
    started = time.monotonic()
    proposal = propose(backend_for(fake_server), f"BUSY {SENTENCE}")
    assert len(proposal.claims) == 1
    assert len(fake_server.requests) == 2
    assert time.monotonic() - started >= 0.4, "the client waited as Retry-After asked"


def test_server_errors_are_retried_by_the_openai_client_only(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = lambda _request: Reply.error(500, "boom", retry_after_ms="10")
    with pytest.raises(BackendError) as caught:
        propose(backend_for(fake_server, max_retries=3), SENTENCE)
    assert len(fake_server.requests) == 4, "max_retries=3 means four HTTP attempts, no second retry loop"
    assert caught.value.kind == "InternalServerError"
    assert "HTTP 500" in str(caught.value) and "4 attempts" in str(caught.value)


def test_a_timeout_ends_in_a_backend_error_after_the_clients_retries(live_server: FakeOpenAIServer) -> None:
    live_server.delay = 1.0
    started = time.monotonic()
    with pytest.raises(BackendError) as caught:
        propose(backend_for(live_server, timeout=0.2, max_retries=1), SENTENCE)
    assert caught.value.kind == "APITimeoutError"
    assert "0.2 s" in str(caught.value)
    assert len(live_server.requests) == 2
    assert time.monotonic() - started < 3


def test_a_dropped_connection_is_retried_by_the_client(live_server: FakeOpenAIServer) -> None:
    live_server.script("DROP", Reply.drop(), Reply.claims(meeting(SENTENCE)))
    proposal = propose(backend_for(live_server), f"DROP {SENTENCE}")
    assert len(proposal.claims) == 1
    assert len(live_server.requests) == 2


def test_an_empty_answer_is_asked_again_as_a_fresh_request(fake_server: FakeOpenAIServer) -> None:
    fake_server.script("EMPTY", Reply.empty(), Reply.empty(), Reply.claims(meeting(SENTENCE)))
    proposal = propose(backend_for(fake_server, mode="json"), f"EMPTY {SENTENCE}")
    assert len(proposal.claims) == 1
    first, reask, fresh = fake_server.requests
    assert len(reask.messages) > len(first.messages)
    assert fresh.messages == first.messages, "tenacity re-sends the original request, not the grown one"
    assert proposal.usage.requests == 3


def test_empty_answers_give_up_with_a_named_error(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = lambda _request: Reply.empty()
    with pytest.raises(BackendError) as caught:
        propose(backend_for(fake_server, schema_retries=0), SENTENCE)
    assert caught.value.kind == "EmptyAnswer"
    assert len(fake_server.requests) == 2


def test_a_truncated_answer_raises_truncated_with_its_tokens(fake_server: FakeOpenAIServer) -> None:
    fake_server.script("LONG", Reply.truncated(completion_tokens=4096))
    with pytest.raises(TruncatedAnswer) as caught:
        propose(backend_for(fake_server), f"LONG {SENTENCE}")
    assert caught.value.usage.completion_tokens == 4096
    assert len(fake_server.requests) == 1, "a truncated answer is not re-asked: the chunk gets split"


TEMPLATE_LIKE = (
    "Der Preis: {{ 7*7 }} Euro. {% if true %}ja{% endif %} und {# kein Kommentar\n{{ undefined_thing }}"
)


@pytest.mark.parametrize("mode", list(INSTRUCTOR_MODES))
def test_template_like_article_text_reaches_the_server_byte_for_byte(
    fake_server: FakeOpenAIServer, mode: str
) -> None:
    propose(backend_for(fake_server, mode=mode), TEMPLATE_LIKE)
    (request,) = fake_server.requests
    user_contents = [m["content"] for m in json.loads(request.raw)["messages"] if m["role"] == "user"]
    assert any(TEMPLATE_LIKE in content for content in user_contents)
    assert "49" not in request.article
    assert request.article == TEMPLATE_LIKE


def test_the_publication_date_and_language_are_in_the_prompt(fake_server: FakeOpenAIServer) -> None:
    propose(backend_for(fake_server), SENTENCE)
    assert "Publication date: 2024-05-06" in fake_server.requests[0].user_text
    assert "Language: de" in fake_server.requests[0].user_text


def test_the_key_is_sent_as_a_header_and_never_shown(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = lambda _request: Reply.error(401, f"invalid key {KEY}")
    backend = backend_for(fake_server, api_key=KEY)
    assert KEY not in json.dumps(backend.describe())
    with pytest.raises(BackendError) as caught:
        propose(backend, SENTENCE)
    assert fake_server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in str(caught.value)
    assert "OPENAI_API_KEY" in str(caught.value)


def test_a_refused_request_names_the_servers_reason(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = lambda _request: Reply.error(400, "tools are not supported by this model")
    with pytest.raises(BackendError) as caught:
        propose(backend_for(fake_server), SENTENCE)
    assert "tools are not supported" in str(caught.value) and "--mode" in str(caught.value)


def test_an_unreachable_endpoint_names_the_fix() -> None:
    backend = create(
        resolve_settings(
            backend="openai", base_url="http://127.0.0.1:9/v1", model=MODEL_ID, max_retries=0, env={}
        )
    )
    with pytest.raises(BackendError) as caught:
        propose(backend, SENTENCE)
    assert caught.value.kind == "APIConnectionError"
    assert "--base-url" in str(caught.value)


def test_describe_names_what_changes_the_answer(fake_server: FakeOpenAIServer) -> None:
    described = backend_for(fake_server, mode="json", temperature=0.3).describe()
    assert described["model"] == MODEL_ID
    assert described["endpoint"] == IN_PROCESS_URL
    assert described["mode"] == "json"
    assert described["temperature"] == "0.3"
    assert described["prompt_hash"] and described["schema_hash"]
    other = backend_for(fake_server, mode="json", temperature=0.4).describe()
    assert other != described


def test_a_backend_without_model_fails_naming_the_fix() -> None:
    with pytest.raises(ConfigError, match="--model"):
        OpenAIBackend(Settings(backend="openai", base_url="http://localhost:1/v1"))


# --- real servers: auto mode, template quirks, runaway and truncated answers ------------------

LLAMA_JSON_SCHEMA_500 = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
)
"""llama-cpp-python 0.3.36's answer to response_format json_schema (measured), as HTTP 500."""


def llama_like(request: RecordedRequest) -> Reply:
    """Refuses what llama-cpp-python refuses (json_schema, as a 500) plus, here, tools (a 400)."""
    if request.mode == "tools":
        return Reply.error(400, "this model does not support tools")
    if request.mode == "json_schema":
        return Reply.error(500, LLAMA_JSON_SCHEMA_500)
    return Reply.claims(meeting(SENTENCE))


def propose_twice(backend: OpenAIBackend, text: str) -> list[Proposal]:
    async def run() -> list[Proposal]:
        try:
            return [await backend.propose(request_for(text)), await backend.propose(request_for(text))]
        finally:
            await backend.aclose()

    return asyncio.run(run())


def test_auto_falls_back_past_refused_shapes_and_keeps_the_first_accepted(
    fake_server: FakeOpenAIServer,
) -> None:
    fake_server.default = llama_like
    backend = backend_for(fake_server, mode="auto", max_retries=0)
    first, second = propose_twice(backend, SENTENCE)
    assert [c.quote for c in first.claims] == [c.quote for c in second.claims] == [SENTENCE]
    assert [r.mode for r in fake_server.requests] == ["tools", "json_schema", "json", "json"]
    described = backend.describe()
    assert (described["mode"], described["mode_used"]) == ("auto", "json")
    assert described["modes_refused"] is not None
    assert "tools: HTTP 400: this model does not support tools" in described["modes_refused"]
    assert "json_schema: HTTP 500" in described["modes_refused"]
    assert first.usage.requests == 1, "refusals carry no completion"


def test_auto_keeps_tools_when_the_server_takes_them(fake_server: FakeOpenAIServer) -> None:
    backend = backend_for(fake_server, mode="auto")
    propose_twice(backend, SENTENCE)
    assert [r.mode for r in fake_server.requests] == ["tools", "tools"]
    assert backend.describe()["mode_used"] == "tools"
    assert backend.describe()["modes_refused"] is None


@pytest.mark.parametrize(
    "reply",
    [
        Reply.error(401, "invalid api key"),
        Reply.error(500, "CUDA out of memory"),
        Reply.error(404, "model 'x' not found"),
    ],
)
def test_auto_does_not_mistake_other_failures_for_a_refused_shape(
    fake_server: FakeOpenAIServer, reply: Reply
) -> None:
    fake_server.default = lambda _request: reply
    with pytest.raises(BackendError):
        propose(backend_for(fake_server, mode="auto", max_retries=0), SENTENCE)
    assert {r.mode for r in fake_server.requests} == {"tools"}


def test_auto_names_every_refusal_when_all_shapes_are_refused(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = lambda request: Reply.error(400, f"{request.mode}: response_format unsupported")
    with pytest.raises(BackendError) as caught:
        propose(backend_for(fake_server, mode="auto", max_retries=0), SENTENCE)
    assert caught.value.kind == "ShapesRefused"
    assert [r.mode for r in fake_server.requests] == ["tools", "json_schema", "json", "md_json"]
    assert "md_json: HTTP 400: md_json: response_format unsupported" in str(caught.value)


def test_an_explicit_mode_never_falls_back(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = llama_like
    with pytest.raises(BackendError):
        propose(backend_for(fake_server, mode="json_schema", max_retries=0), SENTENCE)
    assert {r.mode for r in fake_server.requests} == {"json_schema"}


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_system_in_user_leaves_no_system_message(fake_server: FakeOpenAIServer, mode: str) -> None:
    fake_server.script("SYS", Reply.claims(meeting(SENTENCE)))
    propose(backend_for(fake_server, mode=mode, system_in_user=True), f"SYS {SENTENCE}")
    (request,) = fake_server.requests
    roles = [m["role"] for m in request.messages]
    assert "system" not in roles
    first_user = request.messages[roles.index("user")]["content"]
    assert first_user.startswith(load_prompts(0).system)
    assert f"SYS {SENTENCE}" in first_user
    if mode != "tools":
        assert "json_schema" in first_user, "instructor's schema instructions travel in the user message too"


def test_without_system_in_user_the_instructions_stay_a_system_message(fake_server: FakeOpenAIServer) -> None:
    propose(backend_for(fake_server), SENTENCE)
    assert fake_server.requests[0].messages[0]["role"] == "system"


def test_a_forced_tool_call_that_used_every_token_is_truncated_not_reasked(
    fake_server: FakeOpenAIServer,
) -> None:
    """llama.cpp: a forced tool call cut off by max_tokens says finish_reason "tool_calls"."""
    fake_server.script(
        "CUT", Reply.raw('{"claims": [{"type": "meeting", "quote": "Die Minis', completion_tokens=256)
    )
    with pytest.raises(TruncatedAnswer) as caught:
        propose(backend_for(fake_server, max_tokens=256), f"CUT {SENTENCE}")
    assert len(fake_server.requests) == 1
    assert caught.value.usage.completion_tokens == 256


def test_raw_newlines_inside_json_strings_still_parse(fake_server: FakeOpenAIServer) -> None:
    claim = meeting("Die Ministerin Lindqvist traf\nihren Kollegen Tamm.")
    raw = json.dumps({"claims": [claim]}, ensure_ascii=False).replace("\\n", "\n")
    assert "\n" in raw
    for mode in ("tools", "json"):
        fake_server.script(f"RAW-{mode}", Reply.raw(raw))
        proposal = propose(backend_for(fake_server, mode=mode, schema_retries=0), f"RAW-{mode} x")
        assert proposal.claims[0].quote == "Die Ministerin Lindqvist traf\nihren Kollegen Tamm."
    assert len(fake_server.requests) == 2, "no re-ask"


def test_a_claim_repeated_in_one_answer_is_kept_once(fake_server: FakeOpenAIServer) -> None:
    other = meeting("Tamm empfing Lindqvist.")
    fake_server.script("LOOP", Reply.claims(meeting(SENTENCE), other, meeting(SENTENCE), meeting(SENTENCE)))
    proposal = propose(backend_for(fake_server), f"LOOP {SENTENCE}")
    assert [c.quote for c in proposal.claims] == [SENTENCE, "Tamm empfing Lindqvist."]


def test_max_claims_bounds_the_list_the_model_may_write(fake_server: FakeOpenAIServer) -> None:
    settings = resolve_settings(backend="openai", base_url=IN_PROCESS_URL, model=MODEL_ID, env={})
    backend = OpenAIBackend(settings, max_claims=5, http_client=in_process_client(fake_server))
    propose(backend, SENTENCE)
    parameters = fake_server.requests[0].body["tools"][0]["function"]["parameters"]
    assert parameters["properties"]["claims"]["maxItems"] == 5
    assert fake_server.requests[0].body["tools"][0]["function"]["name"] == "ProposedClaims"
    assert backend.describe()["max_claims"] == "5"
    assert "max_claims" not in OpenAIBackend(settings, max_claims=1000).describe()


def test_a_prompt_too_long_for_the_context_is_treated_as_truncated(fake_server: FakeOpenAIServer) -> None:
    fake_server.default = lambda _r: Reply.error(400, "Requested tokens (9000) exceed context window of 8192")
    with pytest.raises(TruncatedAnswer, match="do not fit the model's context"):
        propose(backend_for(fake_server, mode="auto", max_retries=0), SENTENCE)
    assert len(fake_server.requests) == 1, "not a refused shape: no fallback"


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_an_answer_cut_off_while_repeating_a_claim_keeps_its_distinct_claims(
    fake_server: FakeOpenAIServer, mode: str
) -> None:
    """A small model looping on one claim until max_tokens: splitting would loop again, so the
    complete claims are kept, each once; the claim cut in the middle is dropped."""
    other = meeting("Tamm empfing Lindqvist.")
    looped = json.dumps({"claims": [meeting(SENTENCE), other] + [meeting(SENTENCE)] * 5}, ensure_ascii=False)
    fake_server.script("RUNAWAY", Reply.raw(looped[:-40], finish_reason="length", completion_tokens=4096))
    proposal = propose(backend_for(fake_server, mode=mode), f"RUNAWAY {SENTENCE}")
    assert [c.quote for c in proposal.claims] == [SENTENCE, "Tamm empfing Lindqvist."]
    assert len(fake_server.requests) == 1 and proposal.usage.completion_tokens == 4096


def test_an_answer_cut_off_without_repeating_itself_is_still_split(fake_server: FakeOpenAIServer) -> None:
    claims = [meeting(f"Satz Nummer {n} über ein Treffen.") for n in range(6)]
    long_answer = json.dumps({"claims": claims}, ensure_ascii=False)
    fake_server.script(
        "LONGLIST", Reply.raw(long_answer[:-40], finish_reason="length", completion_tokens=4096)
    )
    with pytest.raises(TruncatedAnswer):
        propose(backend_for(fake_server), f"LONGLIST {SENTENCE}")

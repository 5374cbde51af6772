"""The request body of one chunk and the parsing of its answer, as the online path does them.

The online `openai` backend owns both (interface 2: `claims.backends.openai.requests`); until
that module lands this adapter builds the same body from the same pieces (our messages,
instructor's request shape for the mode, the shaper's `system_in_user`) and parses an answer
with the same schema, truncation marking and salvage. Only this module changes when it lands.
"""

from __future__ import annotations

from typing import Any

from instructor.processing.response import handle_response_model
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from claims.backends.openai.backend import (
    INSTRUCTOR_MODES,
    OpenAIBackend,
    escape_control_characters,
    mark_truncated,
    runaway_claims,
    system_into_user,
    unique_claims,
)
from claims.backends.openai.prompting import render_messages
from claims.backends.protocol import BackendError, Proposal, ProposalRequest, TruncatedAnswer, Usage

_SENTINEL = [{"role": "user", "content": "\0"}]
_SHAPES: dict[tuple[int, str], dict[str, Any] | None] = {}


def _shape(backend: OpenAIBackend, mode: Any) -> dict[str, Any] | None:
    """instructor's request keys for the mode (tools, response_format …), made once: building
    them costs milliseconds a request. None for modes that rewrite the messages (json, md_json)."""
    key = (id(backend._answer_model), str(mode))
    if key not in _SHAPES:
        _, kwargs = handle_response_model(backend._answer_model, mode, messages=[dict(m) for m in _SENTINEL])
        same = kwargs.get("messages") == _SENTINEL
        _SHAPES[key] = {k: v for k, v in kwargs.items() if k != "messages"} if same else None
    return _SHAPES[key]


def build_chat_request(backend: OpenAIBackend, request: ProposalRequest) -> dict[str, Any]:
    """The JSON body the online path POSTs to /v1/chat/completions for this chunk (fixed mode)."""
    settings = backend.settings
    mode = INSTRUCTOR_MODES[settings.mode]
    shape = _shape(backend, mode)
    if shape is not None:
        kwargs = {"messages": render_messages(request), **shape}
    else:
        _, kwargs = handle_response_model(backend._answer_model, mode, messages=render_messages(request))
    if settings.system_in_user:
        kwargs["messages"] = system_into_user(kwargs["messages"])
    return {
        "model": backend.model,
        **kwargs,
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
    }


def parse_chat_completion(backend: OpenAIBackend, completion: dict[str, Any]) -> Proposal:
    """Parse a chat.completion JSON like the online path; raise BackendError (TruncatedAnswer for
    an answer cut off at the token limit)."""
    usage = Usage(requests=1)
    try:
        response = ChatCompletion.model_validate(completion)
    except ValidationError:
        raise BackendError(
            "the answer is not a chat.completion object", kind="BadAnswer", usage=usage
        ) from None
    if response.usage is not None:
        usage.prompt_tokens = response.usage.prompt_tokens or 0
        usage.completion_tokens = response.usage.completion_tokens or 0
    mark_truncated(response, backend.settings.max_tokens)
    escape_control_characters(response)
    if not response.choices:
        raise BackendError("the server answered with no choices", kind="EmptyAnswer", usage=usage)
    choice = response.choices[0]
    if choice.finish_reason == "length":
        looped = runaway_claims(response)
        if looped is not None:
            return Proposal(claims=looped, usage=usage)
        raise TruncatedAnswer(
            f"the answer reached the token limit ({backend.settings.max_tokens} tokens)",
            kind="TruncatedAnswer",
            usage=usage,
        )
    message = choice.message
    if not (message.content and message.content.strip()) and not message.tool_calls:
        raise BackendError("the server answered with no content", kind="EmptyAnswer", usage=usage)
    mode = INSTRUCTOR_MODES[backend.settings.mode]
    try:
        answer: Any = backend._answer_model.from_response(response, mode=mode)  # type: ignore[attr-defined]
    except (ValidationError, ValueError, KeyError, AttributeError, TypeError) as error:
        raise BackendError(
            f"the answer did not fit the claim schema ({type(error).__name__}); "
            "try another --mode or a stronger model",
            kind="SchemaError",
            usage=usage,
        ) from None
    return Proposal(claims=unique_claims(list(answer.claims)), usage=usage)

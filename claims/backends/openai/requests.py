"""The request for one chunk, as the JSON body POSTed to `/v1/chat/completions` (interface 2).

`build_chat_request` is the exact body the online path sends for a chunk in a fixed mode, so a
provider batch file holds the same requests as an online run. The shaping applied to every
request lives here too (`shape_request_body`): with `system_in_user`, system messages (ours, and
the schema instructions instructor adds in json and md_json modes) are joined into the first user
message, for chat templates that drop system messages (llama.cpp's `gemma` format does so
silently). The online client applies it through the openai client's `_prepare_options` hook, so
re-asks are shaped too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import instructor
from instructor.v2.core.response import handle_response_model

from claims.backends.openai.config import RequestBounds, RequestConfig, config_of, request_schema
from claims.backends.openai.prompting import render_messages
from claims.backends.protocol import ProposalRequest
from claims.schema import ProposedClaims

INSTRUCTOR_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


TOOL_DESCRIPTION = "The claims of the article."
"""The function's description in tools mode (instructor takes the model's docstring): short, since
the system message says everything else."""


@lru_cache(maxsize=16)
def answer_model(bounds: RequestBounds, style: str = "lean") -> type[ProposedClaims]:
    """The response model given to instructor: it *validates* like ProposedClaims (no upper bounds,
    so an answer over a bound is kept) but *asks* with `request_schema(bounds, style)`. Prepared for
    instructor once per bounds: it would wrap a plain model anew on every call, which defeats its
    own schema cache and costs milliseconds of schema generation per request."""

    def model_json_schema(cls: type[ProposedClaims], *_args: Any, **_kwargs: Any) -> dict[str, Any]:
        return request_schema(bounds, style)

    bounded = type(
        "ProposedClaims",
        (ProposedClaims,),
        {
            "__doc__": TOOL_DESCRIPTION,
            "__module__": __name__,
            "model_json_schema": classmethod(model_json_schema),
        },
    )
    wrapped: type[ProposedClaims] = instructor.response_schema(bounded)
    return wrapped


def chat_arguments(config: RequestConfig, messages: list[dict[str, str]]) -> dict[str, Any]:
    """The chat-completion arguments of ours, before instructor adds the mode's shape."""
    arguments: dict[str, Any] = {
        "messages": messages,
        "model": config.model,
        "temperature": config.temperature,
        "max_tokens": config.max_tokens,
    }
    if config.service_tier is not None:
        arguments["service_tier"] = config.service_tier
    return arguments


def system_into_user(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same conversation with every system message's text put at the top of the first user
    message (in order), for templates that have no system role."""
    system = [str(m.get("content") or "") for m in messages if m.get("role") == "system"]
    rest = [dict(m) for m in messages if m.get("role") != "system"]
    if not system:
        return messages
    for message in rest:
        if message.get("role") == "user" and isinstance(message.get("content"), str):
            message["content"] = "\n\n".join([*system, message["content"]])
            return rest
    return [{"role": "user", "content": "\n\n".join(system)}, *rest]


def shape_request_body(body: dict[str, Any], system_in_user: bool) -> dict[str, Any]:
    """The body as it is sent: with `system_in_user`, no system message left."""
    if system_in_user and isinstance(body.get("messages"), list):
        return body | {"messages": system_into_user(body["messages"])}
    return body


_SENTINEL = [{"role": "user", "content": "\0claims: the messages go here\0"}]


@lru_cache(maxsize=64)
def _request_shape(config: RequestConfig) -> tuple[tuple[str, Any], ...] | None:
    """instructor's body for `config` with placeholder messages, made once per config: building
    it costs milliseconds a request (a batch of 16,000 requests spent most of its time here).
    None for modes whose body depends on the messages (json and md_json add to them)."""
    _model, body = handle_response_model(
        answer_model(config.bounds, config.schema),
        mode=INSTRUCTOR_MODES[config.mode],
        **chat_arguments(config, _SENTINEL),
    )
    if body.get("messages") != _SENTINEL:
        return None
    plain: dict[str, Any] = json.loads(json.dumps(body, ensure_ascii=False))
    return tuple(plain.items())


def build_chat_request(backend_or_config: Any, request: ProposalRequest) -> dict[str, Any]:
    """The exact JSON body the online path POSTs to /v1/chat/completions for this chunk (messages,
    model, tools or response_format, max_tokens, temperature), for a fixed (non-auto) mode.

    `backend_or_config` is an `OpenAIBackend` (its mode must not be `auto`, unless it has settled)
    or a `RequestConfig`.
    """
    config = config_of(backend_or_config)
    shape = _request_shape(config)
    if shape is not None:
        messages = render_messages(request, config.examples)
        body = {key: (messages if key == "messages" else value) for key, value in shape}  # copied below
    else:
        _model, body = handle_response_model(
            answer_model(config.bounds, config.schema),
            mode=INSTRUCTOR_MODES[config.mode],
            **chat_arguments(config, render_messages(request, config.examples)),
        )
    shaped = shape_request_body(body, config.system_in_user)
    plain: dict[str, Any] = json.loads(json.dumps(shaped, ensure_ascii=False))
    return plain

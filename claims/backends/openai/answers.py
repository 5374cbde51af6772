"""Reading an answer: the shaping every answer passes before it is parsed, and the parse of a
chat.completion JSON for batch results (interface 2), with the online path's schema, validation
and salvage.

Shaping, for every server alike (applied online through instructor's `completion:response` hook,
before instructor parses):
- an answer whose completion tokens reached `max_tokens` (or filled the model's context, when
  `context_tokens` is known) is marked `finish_reason: "length"`: llama.cpp reports a forced tool
  call cut off by the limit as "tool_calls" with unterminated JSON, and silently lowers max_tokens
  to what the context has left; such an answer would otherwise be re-asked (and cut off again)
  instead of split;
- JSON with raw control characters inside strings (grammar-constrained llama.cpp output may hold
  literal newlines) is re-serialised with them escaped, so it parses.
"""

from __future__ import annotations

import json
from typing import Any

from instructor.core.exceptions import IncompleteOutputException
from openai.types.chat import ChatCompletion

from claims.backends.openai.config import RequestConfig, config_of
from claims.backends.openai.errors import ErrorContext, empty_answer, first_problem, schema_error, truncated
from claims.backends.openai.requests import INSTRUCTOR_MODES, answer_model
from claims.backends.openai.salvage import runaway_claims
from claims.backends.openai.usage import add_completion, is_empty
from claims.backends.protocol import Proposal, Usage
from claims.merge import unique_claims


def shape_answer(response: Any, max_tokens: object, context_tokens: int | None = None) -> None:
    """Mark a cut-off answer as such and make JSON with raw control characters parse (in place)."""
    mark_truncated(response, max_tokens, context_tokens)
    escape_control_characters(response)


def mark_truncated(response: Any, max_tokens: object, context_tokens: int | None = None) -> None:
    """Mark an answer that used every token it was allowed (or the whole context) as cut off."""
    usage = getattr(response, "usage", None)
    choices = getattr(response, "choices", None)
    if usage is None or not choices:
        return
    completion = int(getattr(usage, "completion_tokens", 0) or 0)
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    if (isinstance(max_tokens, int) and completion >= max_tokens) or (
        context_tokens is not None and prompt + completion >= context_tokens
    ):
        choices[0].finish_reason = "length"


def escape_control_characters(response: Any) -> None:
    """Re-serialise JSON content or tool arguments that parse only with `strict=False`."""
    for choice in getattr(response, "choices", None) or []:
        message = getattr(choice, "message", None)
        if message is None:
            continue
        if isinstance(getattr(message, "content", None), str):
            message.content = _strict_json(message.content)
        for call in getattr(message, "tool_calls", None) or []:
            function = getattr(call, "function", None)
            if function is not None and isinstance(function.arguments, str):
                function.arguments = _strict_json(function.arguments)


def _strict_json(text: str) -> str:
    try:
        json.loads(text)
        return text
    except ValueError:
        pass
    try:
        value = json.loads(text, strict=False)
    except ValueError:
        return text  # not JSON at all (md_json prose, or cut off): leave it to the parser
    return json.dumps(value, ensure_ascii=False)


def parse_chat_completion(backend_or_config: Any, completion: dict[str, Any]) -> Proposal:
    """Parse a chat.completion response JSON (e.g. one line of a batch output file) with the same
    schema, validation and salvage as the online path. Raises `TruncatedAnswer` for an answer cut
    off at the token limit (unless it is a runaway answer, whose distinct claims are kept) and
    `BackendError` (kind SchemaError or EmptyAnswer) for one that cannot be read; there is no
    re-ask here."""
    config = config_of(backend_or_config)
    context = _context_of(backend_or_config, config)
    response = ChatCompletion.model_validate(completion)
    shape_answer(response, config.max_tokens, config.context_tokens)
    usage = Usage()
    add_completion(usage, response)
    if is_empty(response):
        raise empty_answer(context, usage, attempts=1)
    try:
        model: Any = answer_model(config.bounds, config.schema)  # an instructor ResponseSchema
        answer = model.from_response(response, mode=INSTRUCTOR_MODES[config.mode], strict=False)
    except IncompleteOutputException:
        looped = runaway_claims(response)
        if looped is None:
            raise truncated(context, usage) from None
        return Proposal(claims=looped, usage=usage)
    except Exception as error:  # what instructor would re-ask for: JSON or schema errors
        raise schema_error(context, usage, 1, first_problem(error)) from None
    return Proposal(claims=unique_claims(list(answer.claims)), usage=usage)


def _context_of(backend_or_config: Any, config: RequestConfig) -> ErrorContext:
    context = getattr(backend_or_config, "error_context", None)
    if isinstance(context, ErrorContext):
        return context
    return ErrorContext(
        endpoint="batch",
        model=config.model,
        timeout=0.0,
        max_retries=0,
        max_tokens=config.max_tokens,
        schema_retries=0,
    )

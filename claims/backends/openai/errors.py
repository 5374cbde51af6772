"""Error translation: every failure becomes one safe `BackendError` line, never the key, never the
request, naming the fix where there is one. Also tells a refused request *shape* (mode `auto`
moves on) and a full context (the chunk gets split) from other HTTP errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError

from claims.backends.openai.modes import ModeNegotiation, is_refusal
from claims.backends.protocol import BackendError, TruncatedAnswer, Usage
from claims.validation import first_error

CONTEXT_FULL = re.compile(r"context (window|length)|maximum context|too many tokens|exceeds? .*context", re.I)
"""A server's way of saying prompt plus answer do not fit the model's context: a smaller piece of
the chunk would, so it is treated like a truncated answer (the pipeline splits the chunk)."""
EMPTY_ANSWER_ATTEMPTS = 2
"""An empty answer is asked again once, as a fresh request."""


class EmptyAnswer(Exception):
    """The server answered with no content and no tool call."""


class AllShapesRefused(Exception):
    """Mode `auto`: the server refused every request shape."""


@dataclass(frozen=True)
class ErrorContext:
    """What an error message may name: the public endpoint and model, the limits in force."""

    endpoint: str
    model: str
    timeout: float
    max_retries: int
    max_tokens: int
    schema_retries: int
    secret: str | None = None
    negotiation: ModeNegotiation | None = None

    def scrub(self, message: str) -> str:
        message = " ".join(message.split())[:500]
        if self.secret:
            message = message.replace(self.secret, "***")
        return message


def status_cause(error: BaseException) -> openai.APIStatusError | None:
    if isinstance(error, InstructorRetryException) and isinstance(error.__cause__, openai.APIStatusError):
        return error.__cause__
    return error if isinstance(error, openai.APIStatusError) else None


def server_text(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return " ".join(str(body["message"]).split())
    return " ".join(str(error.message).split())


def refusal_of(error: BaseException) -> str | None:
    """The server's message when `error` is the server refusing a request *shape*; else None."""
    cause = status_cause(error)
    if cause is None:
        return None
    said = server_text(cause)
    return f"HTTP {cause.status_code}: {said[:200]}" if is_refusal(cause.status_code, said) else None


def context_overflow(error: BaseException) -> bool:
    """Whether the server refused because prompt and answer do not fit the model's context."""
    cause = status_cause(error)
    return (
        cause is not None
        and cause.status_code in (400, 413, 500)
        and bool(CONTEXT_FULL.search(server_text(cause)))
    )


def truncated(context: ErrorContext, usage: Usage) -> TruncatedAnswer:
    return TruncatedAnswer(
        f"the answer reached the token limit ({context.max_tokens} tokens)",
        kind="TruncatedAnswer",
        usage=usage,
    )


def schema_error(context: ErrorContext, usage: Usage, attempts: int, problem: str) -> BackendError:
    return BackendError(
        context.scrub(
            f"the answer did not fit the claim schema after {attempts} attempts ({problem}); "
            "try another --mode or a stronger model"
        ),
        kind="SchemaError",
        usage=usage,
    )


def empty_answer(context: ErrorContext, usage: Usage, attempts: int = EMPTY_ANSWER_ATTEMPTS) -> BackendError:
    return BackendError(
        f"the server answered with no content {attempts} times; check the model, or try --mode md_json",
        kind="EmptyAnswer",
        usage=usage,
    )


def backend_error(error: Exception, usage: Usage, context: ErrorContext) -> BackendError:
    """The one-line `BackendError` for a failure of the online path."""
    cause: BaseException = error
    if isinstance(error, InstructorRetryException) and isinstance(error.__cause__, openai.OpenAIError):
        cause = error.__cause__
    tries = context.max_retries + 1
    if isinstance(cause, IncompleteOutputException):
        return truncated(context, usage)
    overflow = status_cause(error)
    if overflow is not None and context_overflow(overflow):
        return TruncatedAnswer(
            context.scrub("prompt and answer do not fit the model's context" + server_message(overflow.body)),
            kind="TruncatedAnswer",
            usage=usage,
        )
    if isinstance(cause, AllShapesRefused):
        refusals = context.negotiation.refusals() if context.negotiation else None
        message = (
            f"the server refused every request shape ({refusals}); "
            "check the server's structured-output support"
        )
        kind = "ShapesRefused"
    elif isinstance(cause, EmptyAnswer):
        return empty_answer(context, usage)
    elif isinstance(cause, openai.APITimeoutError):
        message = (
            f"no answer within {context.timeout:g} s, {tries} attempts; "
            "raise --timeout or lower --concurrency"
        )
        kind = type(cause).__name__
    elif isinstance(cause, openai.APIConnectionError):
        message = (
            f"cannot reach {context.endpoint} ({tries} attempts); check --base-url and that the server runs"
        )
        kind = type(cause).__name__
    elif isinstance(cause, openai.APIStatusError):
        message, kind = status_message(cause, tries, context), type(cause).__name__
    elif isinstance(cause, InstructorRetryException):
        return schema_error(context, usage, context.schema_retries + 1, first_problem(cause.__cause__))
    else:
        message, kind = f"{type(cause).__name__} while asking {context.endpoint}", type(cause).__name__
    return BackendError(context.scrub(message), kind=kind, usage=usage)


def status_message(error: openai.APIStatusError, tries: int, context: ErrorContext) -> str:
    status = error.status_code
    said = server_message(error.body)
    if status == 401:
        return "HTTP 401: the endpoint refused the API key; check OPENAI_API_KEY"
    if status == 404:
        return (
            f"HTTP 404 from {context.endpoint}: model {context.model!r} or path not found; "
            "check --model and --base-url (it usually ends in /v1)" + said
        )
    if status == 429:
        return f"HTTP 429 rate limited, {tries} attempts; lower --concurrency or raise --max-retries"
    if status >= 500:
        return f"HTTP {status} from the server, {tries} attempts; check the server's log" + said
    return f"HTTP {status}: the server refused the request; try another --mode" + said


def server_message(body: object) -> str:
    """The server's own one-line explanation of a refusal, if it gave one (shortened)."""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        text = " ".join(str(body["message"]).split())
        return f" (server: {text[:200]})" if text else ""
    return ""


def first_problem(cause: BaseException | None) -> str:
    """The first validation problem of a schema-invalid answer, as `where: what`."""
    if isinstance(cause, ValidationError) and cause.errors():
        return first_error(cause, default="answer")
    return type(cause).__name__ if cause is not None else "no valid answer"

"""The `openai` backend: instructor over the openai client, for any OpenAI-compatible server.

OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server and LM Studio all speak the same
chat-completions protocol; what differs is how a structured answer can be requested, which is
the `mode` setting (see `claims.config.MODES`). The mode is mapped to instructor once, here, and
the call that depends on it lives in one method (`_ask`), so a later auto-fallback mode can be
added without touching anything else. No provider is guessed from a model name.

Who retries what (three layers, none stacked blindly on another):
- the openai client retries HTTP 408, 409, 429 and 5xx answers, connection errors and timeouts,
  `max_retries` times with exponential backoff (0.5 s doubling, at most 8 s, with jitter),
  honouring `Retry-After`/`retry-after-ms` up to 120 s (a longer Retry-After is not retried;
  an `x-should-retry` header overrides the decision);
- instructor re-asks when an answer does not parse or fit the schema, `schema_retries` times,
  each re-ask adding the bad answer and the validation error to the conversation;
- tenacity, here, retries what neither covers: an empty answer (no content, no tool call) is
  asked again as a fresh request once, so a server's hiccup does not grow the prompt further.
A truncated answer (finish_reason == "length") is not retried: it raises `TruncatedAnswer` and
the pipeline splits the chunk. Tokens of every completion (re-asks, empty and truncated answers
included) are counted through a per-call instructor hook.
"""

from __future__ import annotations

import logging
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import ValidationError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from claims.backend import BackendError, Proposal, ProposalRequest, TruncatedAnswer, Usage
from claims.config import ConfigError, Settings, public_url
from claims.prompting import prompt_hash, render_messages, schema_hash
from claims.schema import ProposedClaims

INSTRUCTOR_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
ANSWER_MODEL = instructor.response_schema(ProposedClaims)
"""ProposedClaims prepared for instructor once: it wraps a plain model anew on every call, which
defeats its own schema cache and costs milliseconds of schema generation per request."""
EMPTY_ANSWER_ATTEMPTS = 2
"""An empty answer is asked again once, as a fresh request."""
NO_KEY = "no-key"
"""Sent as the key to servers that need none (Ollama, llama.cpp, vLLM): the client requires one."""

# instructor logs every failed attempt at ERROR level (with the server's error body); without a
# handler Python would print those to stderr. Failures reach the user as one-line error records.
logging.getLogger("instructor").addHandler(logging.NullHandler())


class EmptyAnswer(Exception):
    """The server answered with no content and no tool call."""


class _Attempts:
    """Per-call accounting fed by instructor's `completion:response` hook: every completion
    received, including re-asks and answers that fail to parse."""

    def __init__(self, usage: Usage) -> None:
        self.usage = usage
        self.last_empty = False

    def on_response(self, response: Any) -> None:
        self.usage.requests += 1
        counted = getattr(response, "usage", None)
        if counted is not None:
            self.usage.prompt_tokens += int(getattr(counted, "prompt_tokens", 0) or 0)
            self.usage.completion_tokens += int(getattr(counted, "completion_tokens", 0) or 0)
        self.last_empty = _is_empty(response)


def _is_empty(response: Any) -> bool:
    choices = getattr(response, "choices", None)
    if not choices:
        return True
    choice = choices[0]
    if getattr(choice, "finish_reason", None) == "length":
        return False
    message = getattr(choice, "message", None)
    content = getattr(message, "content", None)
    tool_calls = getattr(message, "tool_calls", None)
    return not (content and content.strip()) and not tool_calls


class OpenAIBackend:
    """Proposes claims for a chunk by asking an OpenAI-compatible chat-completions endpoint."""

    name = "openai"
    cacheable = True

    def __init__(self, settings: Settings) -> None:
        if settings.model is None:
            raise ConfigError("the openai backend needs a model: pass --model or set CLAIMS_MODEL")
        if settings.mode not in INSTRUCTOR_MODES:
            raise ConfigError(f"unknown mode {settings.mode!r}; choose one of {', '.join(INSTRUCTOR_MODES)}")
        self.settings = settings
        self.model: str = settings.model
        self._secret = settings.api_key.get_secret_value() if settings.api_key else None
        self._client = openai.AsyncOpenAI(
            api_key=self._secret or NO_KEY,
            base_url=settings.base_url,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        )
        self._instructor = instructor.from_openai(self._client, mode=INSTRUCTOR_MODES[settings.mode])
        self.endpoint = public_url(str(self._client.base_url)).rstrip("/")

    def describe(self) -> dict[str, str | None]:
        """Everything that changes the answer (so it keys the cache) and nothing secret."""
        return {
            "model": self.model,
            "endpoint": self.endpoint,
            "mode": self.settings.mode,
            "prompt_hash": prompt_hash(),
            "schema_hash": schema_hash(),
            "temperature": repr(self.settings.temperature),
            "max_tokens": str(self.settings.max_tokens),
            "schema_retries": str(self.settings.schema_retries),
        }

    async def propose(self, request: ProposalRequest) -> Proposal:
        messages = render_messages(request)
        usage = Usage()
        try:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(EmptyAnswer),
                stop=stop_after_attempt(EMPTY_ANSWER_ATTEMPTS),
                wait=wait_exponential_jitter(multiplier=0.2, max=2.0, jitter=0.2),
                reraise=True,
            ):
                with attempt:
                    answer = await self._ask(messages, usage)
        except Exception as error:
            raise self._backend_error(error, usage) from None
        return Proposal(claims=list(answer.claims), usage=usage)

    async def _ask(self, messages: list[dict[str, str]], usage: Usage) -> ProposedClaims:
        """One structured request in the configured mode (instructor re-asks on schema errors)."""
        attempts = _Attempts(usage)
        hooks = Hooks()
        hooks.on("completion:response", attempts.on_response)
        try:
            # Never pass `context=`: instructor would render the messages (the article) as Jinja.
            answer: ProposedClaims = await self._instructor.create(
                response_model=ANSWER_MODEL,
                messages=messages,  # type: ignore[arg-type]
                model=self.model,
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
                max_retries=self.settings.schema_retries,
                strict=False,
                hooks=hooks,
            )
        except InstructorRetryException as error:
            if attempts.last_empty and not isinstance(error.__cause__, openai.OpenAIError):
                raise EmptyAnswer() from None
            raise
        return answer

    async def aclose(self) -> None:
        await self._client.close()

    # --- errors: one safe line each, never the key, never the request ------------------------

    def _backend_error(self, error: Exception, usage: Usage) -> BackendError:
        cause: BaseException = error
        if isinstance(error, InstructorRetryException) and isinstance(error.__cause__, openai.OpenAIError):
            cause = error.__cause__
        tries = self.settings.max_retries + 1
        if isinstance(cause, IncompleteOutputException):
            return TruncatedAnswer(
                f"the answer reached the token limit ({self.settings.max_tokens} tokens)",
                kind="TruncatedAnswer",
                usage=usage,
            )
        if isinstance(cause, EmptyAnswer):
            message = (
                f"the server answered with no content {EMPTY_ANSWER_ATTEMPTS} times; "
                "check the model, or try --mode md_json"
            )
            kind = "EmptyAnswer"
        elif isinstance(cause, openai.APITimeoutError):
            message = (
                f"no answer within {self.settings.timeout:g} s, {tries} attempts; "
                "raise --timeout or lower --concurrency"
            )
            kind = type(cause).__name__
        elif isinstance(cause, openai.APIConnectionError):
            message = (
                f"cannot reach {self.endpoint} ({tries} attempts); check --base-url and that the server runs"
            )
            kind = type(cause).__name__
        elif isinstance(cause, openai.APIStatusError):
            message, kind = self._status_message(cause, tries), type(cause).__name__
        elif isinstance(cause, InstructorRetryException):
            message = (
                f"the answer did not fit the claim schema after {self.settings.schema_retries + 1} "
                f"attempts ({_first_problem(cause)}); try another --mode or a stronger model"
            )
            kind = "SchemaError"
        else:
            message, kind = f"{type(cause).__name__} while asking {self.endpoint}", type(cause).__name__
        return BackendError(self._scrub(message), kind=kind, usage=usage)

    def _status_message(self, error: openai.APIStatusError, tries: int) -> str:
        status = error.status_code
        said = _server_message(error.body)
        if status == 401:
            return "HTTP 401: the endpoint refused the API key; check OPENAI_API_KEY"
        if status == 404:
            return (
                f"HTTP 404 from {self.endpoint}: model {self.model!r} or path not found; "
                "check --model and --base-url (it usually ends in /v1)" + said
            )
        if status == 429:
            return f"HTTP 429 rate limited, {tries} attempts; lower --concurrency or raise --max-retries"
        if status >= 500:
            return f"HTTP {status} from the server, {tries} attempts; check the server's log" + said
        return f"HTTP {status}: the server refused the request; try another --mode" + said

    def _scrub(self, message: str) -> str:
        message = " ".join(message.split())[:500]
        if self._secret:
            message = message.replace(self._secret, "***")
        return message


def _server_message(body: object) -> str:
    """The server's own one-line explanation of a refusal, if it gave one (shortened)."""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        text = " ".join(str(body["message"]).split())
        return f" (server: {text[:200]})" if text else ""
    return ""


def _first_problem(error: InstructorRetryException) -> str:
    cause = error.__cause__
    if isinstance(cause, ValidationError) and cause.errors():
        first = cause.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "answer"
        return f"{where}: {first['msg']}"
    return type(cause).__name__ if cause is not None else "no valid answer"


def create(settings: Settings) -> OpenAIBackend:
    """The registry's entry point (`claims.backends.create_backend`)."""
    return OpenAIBackend(settings)

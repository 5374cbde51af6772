"""The `openai` backend: instructor over the openai client, for any OpenAI-compatible server.

OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server and LM Studio all speak the same
chat-completions protocol; what differs is how a structured answer can be requested, which is
the `mode` setting (see `claims.settings.MODES`). The mode is mapped to instructor once, here, and
the call that depends on it lives in one method (`_ask_in`). No provider is guessed from a model
name: mode `auto` asks in the first shape of `AUTO_ORDER`, and when the server refuses that shape
(an HTTP error that names tools, response_format and the like) it moves to the next one and keeps
the first accepted shape for the rest of the run (`describe()["mode_used"]`).

Real servers, small models: every request passes `_Shaper`, the one place that adapts requests
and answers, for every server alike (see its docstring): instructions moved into the user message
when the chat template drops system messages (`system_in_user`), an answer that used up
`max_tokens` treated as truncated whatever its finish_reason, raw control characters in JSON
strings escaped. A bounded answer (`max_tokens`, and optionally fewer claims than the schema's
MAX_CLAIMS) stops a looping model; identical claims repeated in one answer are kept once, and an
answer cut off while repeating a claim keeps its distinct claims instead of being split
(`runaway_claims`).

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

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel, Field, ValidationError, create_model
from pydantic_core import from_json
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from claims.backends.openai.prompting import prompt_hash, render_messages, schema_hash
from claims.backends.protocol import BackendError, Proposal, ProposalRequest, TruncatedAnswer, Usage
from claims.schema import MAX_CLAIMS, PROPOSED_CLAIM_ADAPTER, ProposedClaim, ProposedClaims
from claims.settings import ConfigError, Settings, public_url

INSTRUCTOR_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
AUTO_ORDER = ("tools", "json_schema", "json", "md_json")
"""Mode `auto` tries these in order: a forced tool call is the most widely supported structured
request; md_json needs nothing from the server at all."""
ANSWER_MODEL = instructor.response_schema(ProposedClaims)
"""ProposedClaims prepared for instructor once: it wraps a plain model anew on every call, which
defeats its own schema cache and costs milliseconds of schema generation per request."""
REFUSAL_STATUSES = frozenset({400, 404, 405, 415, 422, 500, 501})
REFUSAL_WORDS = re.compile(
    r"tool|function|response_format|json_schema|json_object|structured output|grammar|not supported"
    r"|unsupported",
    re.IGNORECASE,
)
"""A refused request shape: one of these statuses with one of these words in the server's message
(llama-cpp-python: HTTP 500 "...response_format... Input should be 'text' or 'json_object'";
Ollama: HTTP 400 "... does not support tools"). Anything else is an error, not a refusal."""
CONTEXT_FULL = re.compile(r"context (window|length)|maximum context|too many tokens|exceeds? .*context", re.I)
"""A server's way of saying prompt plus answer do not fit the model's context: a smaller piece of
the chunk would, so it is treated like a truncated answer (the pipeline splits the chunk)."""
EMPTY_ANSWER_ATTEMPTS = 2
"""An empty answer is asked again once, as a fresh request."""
NO_KEY = "no-key"
"""Sent as the key to servers that need none (Ollama, llama.cpp, vLLM): the client requires one."""

# instructor logs every failed attempt at ERROR level (with the server's error body); without a
# handler Python would print those to stderr. Failures reach the user as one-line error records.
logging.getLogger("instructor").addHandler(logging.NullHandler())


class EmptyAnswer(Exception):
    """The server answered with no content and no tool call."""


class AllShapesRefused(Exception):
    """Mode `auto`: the server refused every request shape."""


def answer_model(max_claims: int | None) -> type[BaseModel]:
    """The response model: ProposedClaims, or with fewer claims allowed per answer (`maxItems`),
    which stops a small model repeating claims until the token limit."""
    if max_claims is None or max_claims >= MAX_CLAIMS:
        return ANSWER_MODEL
    bounded = create_model(
        "ProposedClaims",
        __base__=ProposedClaims,
        __doc__=ProposedClaims.__doc__,
        claims=(list[ProposedClaim], Field(default_factory=list, max_length=max_claims)),
    )
    return instructor.response_schema(bounded)


class _Shaper:
    """Wraps the openai client's `chat.completions.create`, under instructor, so that every
    request of every mode (re-asks included) and every answer passes through here:

    - `system_in_user`: system messages (ours, and the schema instructions instructor adds in json
      and md_json modes) are joined into the first user message, for chat templates that drop
      system messages (llama.cpp's `gemma` format does so silently).
    - An answer whose completion tokens reached `max_tokens` (or filled the model's context, when
      `context_tokens` is known) is marked `finish_reason: "length"`: llama.cpp reports a forced
      tool call cut off by the limit as "tool_calls" with unterminated JSON, and silently lowers
      max_tokens to what the context has left; such an answer would otherwise be re-asked (and
      cut off again) instead of split.
    - JSON with raw control characters inside strings (grammar-constrained llama.cpp output may
      hold literal newlines) is re-serialised with them escaped, so it parses.
    """

    def __init__(
        self, create: Callable[..., Awaitable[Any]], system_in_user: bool, context_tokens: int | None
    ) -> None:
        self._create = create
        self.system_in_user = system_in_user
        self.context_tokens = context_tokens

    async def create(self, *args: Any, **kwargs: Any) -> Any:
        if self.system_in_user and "messages" in kwargs:
            kwargs["messages"] = system_into_user(kwargs["messages"])
        response = await self._create(*args, **kwargs)
        mark_truncated(response, kwargs.get("max_tokens"), self.context_tokens)
        escape_control_characters(response)
        return response


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


def refusal_of(error: BaseException) -> str | None:
    """The server's message when `error` is the server refusing a request *shape*; else None."""
    cause = _status_cause(error)
    if cause is None or cause.status_code not in REFUSAL_STATUSES:
        return None
    said = _server_text(cause)
    if not REFUSAL_WORDS.search(said):
        return None
    return f"HTTP {cause.status_code}: {said[:200]}"


def context_overflow(error: BaseException) -> bool:
    """Whether the server refused because prompt and answer do not fit the model's context."""
    cause = _status_cause(error)
    return (
        cause is not None
        and cause.status_code in (400, 413, 500)
        and bool(CONTEXT_FULL.search(_server_text(cause)))
    )


def _status_cause(error: BaseException) -> openai.APIStatusError | None:
    if isinstance(error, InstructorRetryException) and isinstance(error.__cause__, openai.APIStatusError):
        return error.__cause__
    return error if isinstance(error, openai.APIStatusError) else None


def _server_text(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return " ".join(str(body["message"]).split())
    return " ".join(str(error.message).split())


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f]")


def runaway_claims(completion: Any) -> list[Any] | None:
    """The distinct claims of an answer cut off while repeating itself; None for any other cut.

    A small model can write the same claim over and over until the token limit. Splitting the
    chunk does not help (each half loops again, at full length), so such an answer is kept: its
    complete claims, each once (the verifier still checks every quote). An answer cut off with no
    claim repeated was simply long, and is split as usual (None). The last claim of a cut answer
    is never trusted: it may have been cut inside a list or a name.
    """
    text = _answer_text(completion)
    if text is None or "{" not in text:
        return None
    text = text[text.index("{") :].split("```")[0]  # md_json: the JSON inside its fence
    # raw control characters (grammar output, or the cut) as spaces: JSON whitespace outside
    # strings, and inside a quote the verifier counts any whitespace run as one space anyway
    text = CONTROL_CHARACTERS.sub(" ", text)
    try:
        data = from_json(text, allow_partial=True)
    except ValueError:
        return None
    items = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    complete = []
    for item in items[:-1]:
        try:
            complete.append(PROPOSED_CLAIM_ADAPTER.validate_python(item))
        except ValidationError:
            continue
    distinct = unique_claims(complete)
    return distinct if len(distinct) < len(complete) else None


def _answer_text(completion: Any) -> str | None:
    choices = getattr(completion, "choices", None)
    if not choices:
        return None
    message = getattr(choices[0], "message", None)
    for call in getattr(message, "tool_calls", None) or []:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, str):
            return arguments
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None


def unique_claims(claims: list[Any]) -> list[Any]:
    """The claims in order, each identical one kept once (a looping model repeats itself)."""
    seen: set[str] = set()
    kept = []
    for claim in claims:
        key = claim.model_dump_json()
        if key not in seen:
            seen.add(key)
            kept.append(claim)
    return kept


class _Attempts:
    """Per-call accounting fed by instructor's `completion:response` hook: every completion
    received, including re-asks and answers that fail to parse."""

    def __init__(self, usage: Usage) -> None:
        self.usage = usage
        self.last_empty = False
        self.responses = 0

    def on_response(self, response: Any) -> None:
        self.responses += 1
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

    def __init__(
        self, settings: Settings, *, max_claims: int | None = None, context_tokens: int | None = None
    ) -> None:
        """`max_claims` lowers the schema's claims-per-answer limit; `context_tokens` is the model's
        context size, when known (a server claims started itself): both for small local models."""
        if settings.model is None:
            raise ConfigError("the openai backend needs a model: pass --model or set CLAIMS_MODEL")
        if settings.mode not in (*INSTRUCTOR_MODES, "auto"):
            raise ConfigError(
                f"unknown mode {settings.mode!r}; choose one of {', '.join((*INSTRUCTOR_MODES, 'auto'))}"
            )
        self.settings = settings
        self.model: str = settings.model
        self.max_claims = max_claims if max_claims is not None and max_claims < MAX_CLAIMS else None
        self._answer_model = answer_model(self.max_claims)
        self._secret = settings.api_key.get_secret_value() if settings.api_key else None
        self._client = openai.AsyncOpenAI(
            api_key=self._secret or NO_KEY,
            base_url=settings.base_url,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        )
        completions = self._client.chat.completions
        self._shaper = _Shaper(completions.create, settings.system_in_user, context_tokens)
        # instructor binds to `client.chat.completions.create` when a client is made from it, so
        # the shaper goes there first: every request and answer of every mode passes it.
        setattr(completions, "create", self._shaper.create)  # noqa: B010
        self._instructors: dict[str, Any] = {}
        self.mode_used: str | None = None if settings.mode == "auto" else settings.mode
        self.refused: dict[str, str] = {}
        """Mode `auto`: the shapes the server refused, with its message."""
        self.endpoint = public_url(str(self._client.base_url)).rstrip("/")

    def describe(self) -> dict[str, str | None]:
        """Everything that changes the answer (so it keys the cache) and nothing secret; with mode
        `auto`, also the run facts `mode_used` and `modes_refused` (never part of a cache key)."""
        described: dict[str, str | None] = {
            "model": self.model,
            "endpoint": self.endpoint,
            "mode": self.settings.mode,
            "prompt_hash": prompt_hash(),
            "schema_hash": schema_hash(),
            "temperature": repr(self.settings.temperature),
            "max_tokens": str(self.settings.max_tokens),
            "schema_retries": str(self.settings.schema_retries),
        }
        if self.settings.system_in_user:
            described["system_in_user"] = "true"
        if self.max_claims is not None:
            described["max_claims"] = str(self.max_claims)
        if self.settings.mode == "auto":
            described["mode_used"] = self.mode_used
            described["modes_refused"] = "; ".join(f"{m}: {why}" for m, why in self.refused.items()) or None
        return described

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
        except IncompleteOutputException as error:
            looped = runaway_claims(error.last_completion)
            if looped is None:
                raise self._backend_error(error, usage) from None
            return Proposal(claims=looped, usage=usage)
        except Exception as error:
            raise self._backend_error(error, usage) from None
        return Proposal(claims=unique_claims(list(answer.claims)), usage=usage)

    async def _ask(self, messages: list[dict[str, str]], usage: Usage) -> ProposedClaims:
        """One structured request: in the configured mode, or with `auto`, in the first shape the
        server does not refuse (remembered once the server has answered in it)."""
        while True:
            mode = self.mode_used or next((m for m in AUTO_ORDER if m not in self.refused), None)
            if mode is None:
                raise AllShapesRefused()
            attempts = _Attempts(usage)
            try:
                answer = await self._ask_in(mode, messages, attempts)
            except Exception as error:
                refused = (
                    refusal_of(error) if self.settings.mode == "auto" and not attempts.responses else None
                )
                if refused is None:
                    self._settle(mode, attempts)
                    raise
                if self.mode_used is None:  # another request may have settled on a mode meanwhile
                    self.refused[mode] = refused
                continue
            self._settle(mode, attempts)
            return answer

    def _settle(self, mode: str, attempts: _Attempts) -> None:
        """The server answered in `mode`: keep it for the rest of the run."""
        if attempts.responses and self.mode_used is None:
            self.mode_used = mode

    def _instructor_for(self, mode: str) -> Any:
        if mode not in self._instructors:
            self._instructors[mode] = instructor.from_openai(self._client, mode=INSTRUCTOR_MODES[mode])
        return self._instructors[mode]

    async def _ask_in(self, mode: str, messages: list[dict[str, str]], attempts: _Attempts) -> ProposedClaims:
        """One structured request in `mode` (instructor re-asks on schema errors)."""
        hooks = Hooks()
        hooks.on("completion:response", attempts.on_response)
        try:
            # Never pass `context=`: instructor would render the messages (the article) as Jinja.
            answer: ProposedClaims = await self._instructor_for(mode).create(
                response_model=self._answer_model,
                messages=messages,
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
        overflow = _status_cause(error)
        if overflow is not None and context_overflow(overflow):
            return TruncatedAnswer(
                self._scrub(
                    "prompt and answer do not fit the model's context" + _server_message(overflow.body)
                ),
                kind="TruncatedAnswer",
                usage=usage,
            )
        if isinstance(cause, AllShapesRefused):
            message = (
                "the server refused every request shape ("
                + "; ".join(f"{mode}: {why}" for mode, why in self.refused.items())
                + "); check the server's structured-output support"
            )
            kind = "ShapesRefused"
        elif isinstance(cause, EmptyAnswer):
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
    """The registry's entry point (`claims.backends.registry.create_backend`)."""
    return OpenAIBackend(settings)

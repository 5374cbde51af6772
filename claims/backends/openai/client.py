"""The online path: the openai client and instructor, built on the first request that the cache
cannot answer (importing both costs seconds, which a fully cached rerun never pays).

Who retries what (three layers, none stacked blindly on another):
- the openai client retries HTTP 408, 409, 429 and 5xx answers, connection errors and timeouts,
  `max_retries` times with exponential backoff, honouring `Retry-After`/`retry-after-ms`;
- instructor re-asks when an answer does not parse or fit the schema, `schema_retries` times,
  each re-ask adding the bad answer and the validation error to the conversation;
- tenacity, here, retries what neither covers: an empty answer (no content, no tool call) is
  asked again as a fresh request once, so a server's hiccup does not grow the prompt further.
A truncated answer (finish_reason == "length") is not retried: it raises `TruncatedAnswer` and
the pipeline splits the chunk, unless it is a runaway answer (`salvage`). Requests are shaped in
the client's `_prepare_options` hook, answers in instructor's per-call `completion:response`
hook, which also counts the tokens of every completion (re-asks, empty and truncated ones too).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx2
import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from openai._models import FinalRequestOptions
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter

from claims.backends.openai.answers import shape_answer
from claims.backends.openai.config import RequestConfig
from claims.backends.openai.errors import (
    EMPTY_ANSWER_ATTEMPTS,
    AllShapesRefused,
    EmptyAnswer,
    ErrorContext,
    backend_error,
    refusal_of,
)
from claims.backends.openai.modes import ModeNegotiation
from claims.backends.openai.prompting import render_messages
from claims.backends.openai.requests import INSTRUCTOR_MODES, answer_model, chat_arguments, shape_request_body
from claims.backends.openai.salvage import runaway_claims
from claims.backends.openai.usage import Attempts
from claims.backends.protocol import Proposal, ProposalRequest, Usage
from claims.merge import unique_claims
from claims.schema import ProposedClaims

NO_KEY = "no-key"
"""Sent as the key to servers that need none (Ollama, llama.cpp, vLLM): the client requires one."""

# instructor logs every failed attempt at ERROR level (with the server's error body); without a
# handler Python would print those to stderr. Failures reach the user as one-line error records.
logging.getLogger("instructor").addHandler(logging.NullHandler())


class ShapingClient(openai.AsyncOpenAI):
    """The openai client with our request shaping applied to every body it sends (re-asks too),
    through the client's own hook for mutating request options."""

    def __init__(self, *, system_in_user: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._system_in_user = system_in_user

    async def _prepare_options(self, options: FinalRequestOptions) -> FinalRequestOptions:
        options = await super()._prepare_options(options)
        if self._system_in_user and isinstance(options.json_data, Mapping):
            options.json_data = shape_request_body(dict(options.json_data), True)
        return options


class OnlineSession:
    """One run's connection to the server: the client, an instructor per mode, the negotiation."""

    def __init__(
        self,
        config: RequestConfig,
        negotiation: ModeNegotiation,
        context: ErrorContext,
        *,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        schema_retries: int,
        http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        self.config = config
        self.negotiation = negotiation
        self.context = context
        self.schema_retries = schema_retries
        self.client = ShapingClient(
            system_in_user=config.system_in_user,
            api_key=context.secret or NO_KEY,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
        )
        self._instructors: dict[str, Any] = {}

    async def propose(self, request: ProposalRequest) -> Proposal:
        messages = render_messages(request, self.config.examples)
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
                raise backend_error(error, usage, self.context) from None
            return Proposal(claims=looped, usage=usage)
        except Exception as error:
            raise backend_error(error, usage, self.context) from None
        return Proposal(claims=unique_claims(list(answer.claims)), usage=usage)

    async def _ask(self, messages: list[dict[str, str]], usage: Usage) -> ProposedClaims:
        """One structured request: in the configured mode, or with `auto`, in the first shape the
        server does not refuse (remembered once the server has answered in it)."""
        while True:
            mode = self.negotiation.next_mode()
            if mode is None:
                raise AllShapesRefused()
            attempts = Attempts(usage)
            try:
                answer = await self._ask_in(mode, messages, attempts)
            except Exception as error:
                refused = refusal_of(error) if self.negotiation.auto and not attempts.responses else None
                if refused is None:
                    if attempts.responses:
                        self.negotiation.settle(mode)
                    raise
                self.negotiation.refuse(mode, refused)
                continue
            self.negotiation.settle(mode)
            return answer

    def _instructor_for(self, mode: str) -> Any:
        if mode not in self._instructors:
            self._instructors[mode] = instructor.from_openai(self.client, mode=INSTRUCTOR_MODES[mode])
        return self._instructors[mode]

    async def _ask_in(self, mode: str, messages: list[dict[str, str]], attempts: Attempts) -> ProposedClaims:
        """One structured request in `mode` (instructor re-asks on schema errors)."""
        config = self.config

        def on_response(response: Any) -> None:
            shape_answer(response, config.max_tokens, config.context_tokens)
            attempts.on_response(response)

        hooks = Hooks()
        hooks.on("completion:response", on_response)
        try:
            # Never pass `context=`: instructor would render the messages (the article) as Jinja.
            answer: ProposedClaims = await self._instructor_for(mode).create(
                response_model=answer_model(config.bounds, config.schema),
                max_retries=self.schema_retries,
                strict=False,
                hooks=hooks,
                **chat_arguments(config, messages),
            )
        except InstructorRetryException as error:
            if attempts.last_empty and not isinstance(error.__cause__, openai.OpenAIError):
                raise EmptyAnswer() from None
            raise
        return answer

    async def aclose(self) -> None:
        await self.client.close()

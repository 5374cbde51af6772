"""The `openai` backend: instructor over the openai client, for any OpenAI-compatible server.

OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server and LM Studio all speak the same
chat-completions protocol; what differs is how a structured answer can be requested, the `mode`
(`modes.py`: negotiation for `auto`). The package has one module per job: `config` (what a
request is made of, and its bounds), `requests` (the JSON body of a request, and its shaping),
`answers` (shaping and parsing an answer), `salvage` (runaway answers), `usage` (token
accounting), `errors` (one safe line per failure), `client` (the online path: the openai client,
instructor, retries). This module is the Backend itself, and it stays light: neither openai nor
instructor is imported until the first request the cache cannot answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claims.backends.openai.config import (
    DEFAULT_BOUNDS,
    RequestBounds,
    RequestConfig,
    endpoint_of,
    request_schema_hash,
    static_prefix_chars,
)
from claims.backends.openai.modes import ModeNegotiation
from claims.backends.openai.prompting import prompt_hash
from claims.backends.protocol import Proposal, ProposalRequest
from claims.settings import ConfigError, Settings

if TYPE_CHECKING:
    import httpx2

    from claims.backends.openai.client import OnlineSession
    from claims.backends.openai.errors import ErrorContext


class OpenAIBackend:
    """Proposes claims for a chunk by asking an OpenAI-compatible chat-completions endpoint."""

    name = "openai"
    cacheable = True

    def __init__(
        self,
        settings: Settings,
        *,
        bounds: RequestBounds | None = None,
        max_claims: int | None = None,
        context_tokens: int | None = None,
        examples: int | None = None,
        http_client: httpx2.AsyncClient | None = None,
    ) -> None:
        """`bounds` (or just `max_claims`) lowers what the request asks for; `context_tokens` is the
        model's context size, when known (a server claims started itself): both for small local
        models. `examples` overrides `settings.examples` (the few-shot examples shown).
        `http_client` replaces the openai client's own (e.g. an httpx2.MockTransport)."""
        if settings.model is None:
            raise ConfigError("the openai backend needs a model: pass --model or set CLAIMS_MODEL")
        try:
            self.negotiation = ModeNegotiation(settings.mode)
        except ValueError as error:
            raise ConfigError(str(error)) from None
        bounds = bounds or DEFAULT_BOUNDS
        if max_claims is not None and max_claims < bounds.claims:
            bounds = RequestBounds(claims=max_claims, actors=bounds.actors, weapons=bounds.weapons)
        self.settings = settings
        self.model: str = settings.model
        self.bounds = bounds
        self._config = RequestConfig.from_settings(
            settings,
            bounds=bounds,
            context_tokens=context_tokens,
            examples=examples,
        )
        self._secret = settings.api_key.get_secret_value() if settings.api_key else None
        self._http_client = http_client
        self._session: OnlineSession | None = None
        self.endpoint = endpoint_of(settings.base_url)

    @property
    def mode_used(self) -> str | None:
        return self.negotiation.used

    @property
    def request_config(self) -> RequestConfig:
        """The request configuration, in the mode settled on (`auto` until it settles)."""
        return self._config.with_mode(self.negotiation.used or self.negotiation.configured)

    @property
    def error_context(self) -> ErrorContext:
        from claims.backends.openai.errors import ErrorContext

        return ErrorContext(
            endpoint=self.endpoint,
            model=self.model,
            timeout=self.settings.timeout,
            max_retries=self.settings.max_retries,
            max_tokens=self.settings.max_tokens,
            schema_retries=self.settings.schema_retries,
            secret=self._secret,
            negotiation=self.negotiation,
        )

    def describe(self) -> dict[str, str | None]:
        """Everything that changes the answer (so it keys the cache) and nothing secret; with mode
        `auto`, also the run facts `mode_used` and `modes_refused` (never part of a cache key)."""
        described: dict[str, str | None] = {
            "model": self.model,
            "endpoint": self.endpoint,
            "mode": self.settings.mode,
            "prompt_hash": prompt_hash(self._config.examples),
            "examples": str(self._config.examples),
            "static_prefix_chars": str(static_prefix_chars(self._config)),
            "schema_hash": request_schema_hash(self.bounds, self._config.schema),
            "temperature": repr(self.settings.temperature),
            "max_tokens": str(self.settings.max_tokens),
            "schema_retries": str(self.settings.schema_retries),
        }
        if self.settings.system_in_user:
            described["system_in_user"] = "true"
        if self.bounds != DEFAULT_BOUNDS:
            described["request_bounds"] = self.bounds.describe()
        if self.bounds.claims < DEFAULT_BOUNDS.claims:
            described["max_claims"] = str(self.bounds.claims)
        if self.negotiation.auto:
            described["mode_used"] = self.negotiation.used
            described["modes_refused"] = self.negotiation.refusals()
        return described

    def session(self) -> OnlineSession:
        """The online session, built (and openai and instructor imported) on first use."""
        if self._session is None:
            from claims.backends.openai.client import OnlineSession

            self._session = OnlineSession(
                self._config,
                self.negotiation,
                self.error_context,
                base_url=self.settings.base_url,
                timeout=self.settings.timeout,
                max_retries=self.settings.max_retries,
                schema_retries=self.settings.schema_retries,
                http_client=self._http_client,
            )
        return self._session

    async def propose(self, request: ProposalRequest) -> Proposal:
        return await self.session().propose(request)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.aclose()
        elif self._http_client is not None:
            await self._http_client.aclose()


def request_prefix_chars(settings: Settings) -> int:
    """What every request repeats around its article, in characters: the static prefix (system
    message and schema) and the user message's own frame (for `claims extract --dry-run`)."""
    from claims.backends.openai.prompting import render_user
    from claims.backends.protocol import Chunk
    from claims.inputs.documents import Document

    config = RequestConfig.from_settings(settings)
    frame = render_user(
        ProposalRequest(Document(id="x", text="", published="2024-01-01"), Chunk("x", 0, 0, 0, ""))
    )
    return static_prefix_chars(config) + len(frame)


def create(settings: Settings) -> OpenAIBackend:
    """The registry's entry point (`claims.backends.registry.create_backend`)."""
    return OpenAIBackend(settings)

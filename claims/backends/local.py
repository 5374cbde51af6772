"""The `local` backend: a model on this machine, served by llama.cpp, asked through the `openai`
backend — the same requests, parsing, retries and error records as any OpenAI-compatible server.

`create(settings)` assembles and checks the model (`claims.local.models`), starts llama.cpp's
server on 127.0.0.1 (`claims.local.server`) and puts an `OpenAIBackend` in front of it, set up
for a small model on a CPU:
- mode `auto` unless one is given: the server refuses `json_schema` and takes forced tools;
- the model's own bounds: `max_tokens` at most the model's, fewer claims per answer, and the
  context size, so that a looping answer ends soon and is recognised as cut off;
- instructions in the user message where the model's chat template drops system messages;
- one request at a time (the server answers one at a time; a queued request's timeout would
  otherwise run while it waits), a long timeout and no blind HTTP retry of a minutes-long answer.
Those are this backend's defaults (`DEFAULTS`, and the model's own in `local_settings`): a value
the user set, by flag or environment, is kept, except that max_tokens never exceeds the model's
limit (recorded as origin `backend limit`).
`aclose()` stops the server. `settings.model` names the model: `qwen` (default), `gemma`, or
the path of a `.gguf` file.
"""

from __future__ import annotations

import asyncio
from importlib.metadata import PackageNotFoundError, version

from claims.backends.openai.backend import OpenAIBackend
from claims.backends.protocol import BackendError, Proposal, ProposalRequest
from claims.local.models import LocalModel, ModelError, ensure_model, resolve_model
from claims.local.server import LocalServer, ServerError, ServerOptions, engine_missing, local_server
from claims.settings import ConfigError, Settings


def engine_version() -> str:
    try:
        return f"llama-cpp-python {version('llama_cpp_python')}"
    except PackageNotFoundError:  # pragma: no cover - engine_missing() catches this first
        return "llama-cpp-python"


class LocalBackend:
    """An `OpenAIBackend` in front of a llama.cpp server that this backend started and owns."""

    name = "local"
    cacheable = True

    def __init__(self, model: LocalModel, server: LocalServer, inner: OpenAIBackend) -> None:
        self.model = model
        self.server = server
        self.inner = inner
        self._one_at_a_time = asyncio.Lock()

    @property
    def settings(self) -> Settings:
        """The settings this backend runs with (the inner backend's), for the manifest."""
        return self.inner.settings

    def describe(self) -> dict[str, str | None]:
        """The inner backend's description with a stable endpoint: the server's port changes from
        run to run, the model file (by its hash) and the engine do not."""
        return self.inner.describe() | {
            "endpoint": f"local ({engine_version()})",
            "local_model": self.model.name,
            "model_sha256": self.model.sha256,
            "chat_format": self.model.chat_format or "gguf template",
            "n_ctx": str(self.server.options.n_ctx or self.model.n_ctx),
        }

    async def propose(self, request: ProposalRequest) -> Proposal:
        async with self._one_at_a_time:
            if not self.server.running:
                raise self._server_gone()
            try:
                return await self.inner.propose(request)
            except BackendError as error:
                if not self.server.running:
                    raise self._server_gone(error) from None
                raise

    def _server_gone(self, error: BackendError | None = None) -> BackendError:
        last = self.server.log_tail(1).strip()
        return BackendError(
            f"the local llama.cpp server has stopped (log {self.server.log_path}"
            + (f"; last line: {last[:200]}" if last else "")
            + ")",
            kind="ServerStopped",
            usage=error.usage if error is not None else None,
        )

    async def aclose(self) -> None:
        try:
            await self.inner.aclose()
        finally:
            await asyncio.to_thread(self.server.stop)


LOCAL_TIMEOUT = 1800.0
"""Seconds for one answer: a 1.5B model on two cores takes minutes for a long chunk."""
LOCAL_MAX_RETRIES = 0
"""The server keeps computing an answer its client gave up on, so a retry would only queue
behind it; a server that died is reported, not retried."""
LOCAL_EXAMPLES = 5
"""Small local models are shown every few-shot example (prompts/examples/ holds five)."""
LOCAL_REQUEST_SCHEMA = "full"
"""llama.cpp turns the request schema into the grammar it decodes by, so the full schema's patterns,
minimum lengths and per-type fields hold a small model to the contract (the lean one lets it
write a one-participant meeting or a date in any form, refused only after the answer)."""
DEFAULTS = {
    "mode": "auto",
    "timeout": LOCAL_TIMEOUT,
    "max_retries": LOCAL_MAX_RETRIES,
    "examples": LOCAL_EXAMPLES,
    "request_schema": LOCAL_REQUEST_SCHEMA,
}
"""This backend's defaults (`claims.settings.resolve_settings` applies them): a server claims
starts itself is known to refuse some request shapes, so mode `auto` lets it find out; small
models get the few-shot examples and the full request schema."""


def local_settings(settings: Settings, model: LocalModel, server: LocalServer) -> Settings:
    """The settings the inner `openai` backend runs with, against this server (and what the
    manifest records): the model's own max_tokens and system_in_user unless the user set them,
    max_tokens capped at the model's limit, the server's URL and the model's alias."""
    adapted = settings.with_backend_defaults(
        {"max_tokens": model.max_tokens, "system_in_user": model.system_in_user}
    )
    if adapted.max_tokens > model.max_tokens:
        adapted = adapted.with_values("backend limit", max_tokens=model.max_tokens)
    return adapted.with_values("backend default", base_url=server.base_url).model_copy(
        update={"api_key": None, "model": model.alias}
    )


def request_prefix_chars(settings: Settings) -> int:
    """As the openai backend's (the same requests), with this backend's defaults; starts nothing."""
    from claims.backends.openai.backend import request_prefix_chars as openai_prefix_chars

    return openai_prefix_chars(settings if settings.model else settings.model_copy(update={"model": "qwen"}))


def create(settings: Settings) -> LocalBackend:
    """The registry's entry point (`claims.backends.registry.create_backend`): starts the server."""
    missing = engine_missing()
    if missing:
        raise ConfigError(missing)
    try:
        model = resolve_model(settings.model)
        model_file = ensure_model(model, settings.cache_dir)
    except ModelError as error:
        raise ConfigError(str(error)) from None
    server = local_server(model, model_file, settings.cache_dir, ServerOptions())
    try:
        server.start()
    except ServerError as error:
        raise ConfigError(str(error)) from None
    try:
        inner = OpenAIBackend(
            local_settings(settings, model, server),
            max_claims=model.max_claims,
            context_tokens=server.options.n_ctx or model.n_ctx,
        )
    except BaseException:
        server.stop()
        raise
    return LocalBackend(model, server, inner)

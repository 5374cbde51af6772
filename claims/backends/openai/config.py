"""What one request to the model is made of, apart from the chunk: model, mode, generation settings
and the bounds written into the request's schema. Light on purpose (no openai, no instructor):
the backend describes itself from it before any client exists.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from claims.backends.openai.prompting import load_prompts
from claims.backends.openai.request_schema import SCHEMA_STYLES, RequestBounds, request_schema
from claims.settings import Settings, public_url

__all__ = [
    "DEFAULT_BOUNDS",
    "DEFAULT_EXAMPLES",
    "SCHEMA_STYLES",
    "RequestBounds",
    "RequestConfig",
    "config_of",
    "endpoint_of",
    "request_schema",
    "request_schema_hash",
    "static_prefix_chars",
]

OPENAI_URL = "https://api.openai.com/v1"
"""Where the openai client goes when no base URL is set."""


DEFAULT_BOUNDS = RequestBounds()
DEFAULT_EXAMPLES = 0
"""Few-shot examples shown by default: none. Measured on 24 unseen articles, a capable model scored
the same without the five examples (F1 0.946 both ways) that cost ~1,400 tokens a request; the
`local` backend, for small models, shows them (eval/reports/ has both measurements)."""


@dataclass(frozen=True)
class RequestConfig:
    """Everything but the chunk that decides the JSON body sent for it (and how its answer is read)."""

    model: str
    mode: str
    temperature: float = 0.0
    max_tokens: int = 4096
    system_in_user: bool = False
    bounds: RequestBounds = field(default_factory=RequestBounds)
    context_tokens: int | None = None
    """The model's context size when known (a server claims started): an answer that fills it is cut off."""
    service_tier: str | None = None
    """OpenAI's `service_tier` (e.g. `flex`), sent when set."""
    examples: int = DEFAULT_EXAMPLES
    """How many few-shot examples the system message shows (0: none; ALL_EXAMPLES: every one)."""
    schema: str = "lean"
    """The request schema's style (`SCHEMA_STYLES`): `lean`, or `full` for grammar-constrained servers."""

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        bounds: RequestBounds | None = None,
        context_tokens: int | None = None,
        examples: int | None = None,
    ) -> RequestConfig:
        """`examples` overrides `settings.examples` (the few-shot examples shown)."""
        if settings.model is None:
            raise ValueError("a request needs a model")
        return cls(
            model=settings.model,
            mode=settings.mode,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            system_in_user=settings.system_in_user,
            bounds=bounds or DEFAULT_BOUNDS,
            context_tokens=context_tokens,
            service_tier=settings.service_tier,
            examples=settings.examples if examples is None else examples,
            schema=settings.request_schema,
        )

    def with_mode(self, mode: str) -> RequestConfig:
        return RequestConfig(
            self.model,
            mode,
            self.temperature,
            self.max_tokens,
            self.system_in_user,
            self.bounds,
            self.context_tokens,
            self.service_tier,
            self.examples,
            self.schema,
        )


def config_of(backend_or_config: Any) -> RequestConfig:
    """A RequestConfig from itself or from an `OpenAIBackend` (its configured, or settled, mode)."""
    if isinstance(backend_or_config, RequestConfig):
        config = backend_or_config
    else:
        found = getattr(backend_or_config, "request_config", None)
        if not isinstance(found, RequestConfig):
            raise TypeError(f"expected an OpenAIBackend or a RequestConfig, not {type(backend_or_config)}")
        config = found
    if config.mode == "auto":
        raise ValueError("mode auto has not settled on a request shape yet: give a fixed mode (e.g. tools)")
    return config


def endpoint_of(base_url: str | None) -> str:
    """The endpoint as the manifest shows it: without credentials, query or trailing slash."""
    return public_url(base_url or OPENAI_URL).rstrip("/")


@lru_cache(maxsize=16)
def request_schema_hash(bounds: RequestBounds, style: str = "lean") -> str:
    """sha256 of the request schema: part of what changes an answer (`describe()`)."""
    schema = request_schema(bounds, style)
    canonical = json.dumps(schema, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def static_prefix_chars(config: RequestConfig) -> int:
    """Characters of what every request of a run repeats byte for byte before the article: the
    system message (instructions and examples) and the request schema as serialized."""
    return _static_prefix_chars(config.bounds, config.examples, config.schema)


@lru_cache(maxsize=16)
def _static_prefix_chars(bounds: RequestBounds, examples: int, style: str) -> int:
    # Cached: `describe()` reports it for every document, and a schema costs ~20 ms to generate.
    schema = json.dumps(request_schema(bounds, style), ensure_ascii=False)
    return len(load_prompts(examples).system) + len(schema)

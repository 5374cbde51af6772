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

from claims.schema import ProposedClaims
from claims.settings import Settings, public_url

OPENAI_URL = "https://api.openai.com/v1"
"""Where the openai client goes when no base URL is set."""


@dataclass(frozen=True)
class RequestBounds:
    """Upper bounds the *request* asks for (the schema's `maxItems`), so that a small model stops
    instead of listing claims or actors until the token limit. They bound what is asked, never what
    is accepted: an answer over a bound is kept (the data contract has no such limits)."""

    claims: int = 40
    """Claims per answer (one chunk)."""
    actors: int = 12
    """Participants of a meeting, parties of a treaty."""
    weapons: int = 12
    """Weapon phrases of one delivery."""

    def describe(self) -> str:
        return f"claims={self.claims},actors={self.actors},weapons={self.weapons}"


DEFAULT_BOUNDS = RequestBounds()


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

    @classmethod
    def from_settings(
        cls, settings: Settings, *, bounds: RequestBounds | None = None, context_tokens: int | None = None
    ) -> RequestConfig:
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


ACTOR_LISTS = ("participants", "parties")


def request_schema(bounds: RequestBounds) -> dict[str, Any]:
    """The JSON Schema the model is asked to fill: the claim contract plus the request's bounds
    (`maxItems` on claims, actor lists and weapons)."""
    schema = ProposedClaims.model_json_schema()
    schema["properties"]["claims"]["maxItems"] = bounds.claims
    for definition in schema.get("$defs", {}).values():
        properties = definition.get("properties", {})
        for name in ACTOR_LISTS:
            if name in properties:
                properties[name]["maxItems"] = bounds.actors
        if "weapons" in properties:
            properties["weapons"]["maxItems"] = bounds.weapons
    return schema


@lru_cache(maxsize=16)
def request_schema_hash(bounds: RequestBounds) -> str:
    """sha256 of the request schema: part of what changes an answer (`describe()`)."""
    canonical = json.dumps(request_schema(bounds), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()

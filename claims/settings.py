"""The one place settings are resolved: flag → environment → default.

Environment: OPENAI_API_KEY, OPENAI_BASE_URL, CLAIMS_BACKEND, CLAIMS_MODEL, CLAIMS_MODE,
CLAIMS_TEMPERATURE, CLAIMS_MAX_TOKENS, CLAIMS_TIMEOUT, CLAIMS_MAX_RETRIES, CLAIMS_SCHEMA_RETRIES,
CLAIMS_SYSTEM_IN_USER, CLAIMS_SERVICE_TIER, CLAIMS_CACHE_DIR. A missing or malformed setting fails
with a message that names the fix. The API key is held as a SecretStr so that it never shows in a
repr, a log line, a manifest or a cache key; it is read from the environment (or given to the
library), never from a command-line flag.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import SecretStr

BACKEND_NAMES = ("rules", "openai", "local")
MODES = ("tools", "json_schema", "json", "md_json", "auto")
"""How the answer's structure is requested (see the README's table of which server suits which):
tools — a forced function call (OpenAI, Azure, vLLM with tool parsing, recent Ollama);
json_schema — `response_format` with the JSON Schema (OpenAI, vLLM, llama.cpp server, LM Studio);
json — `response_format: json_object` plus the schema in the prompt (Ollama, most servers);
md_json — the schema in the prompt and a ```json block in plain text (any chat server);
auto — tools, then json_schema, json, md_json: the first the server does not refuse is kept for
the rest of the run (the default of the `local` backend)."""

DEFAULT_TEMPERATURE = 0.0
DEFAULT_MAX_TOKENS = 4096
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_SCHEMA_RETRIES = 1

T = TypeVar("T")


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which flag or variable fixes it."""


def default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "claims"


def public_url(url: str) -> str:
    """A URL without user info, query or fragment: safe for manifests, provenance and errors."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one run. Build it with `resolve_settings`."""

    backend: str = "rules"
    base_url: str | None = None
    api_key: SecretStr | None = field(default=None, repr=False)
    model: str | None = None
    mode: str = "tools"
    temperature: float = DEFAULT_TEMPERATURE
    max_tokens: int = DEFAULT_MAX_TOKENS
    timeout: float = DEFAULT_TIMEOUT
    """Seconds to wait for one HTTP answer before the openai client retries or gives up."""
    max_retries: int = DEFAULT_MAX_RETRIES
    """HTTP retries by the openai client (408/409/429/5xx, connection errors, timeouts)."""
    schema_retries: int = DEFAULT_SCHEMA_RETRIES
    """Re-asks by instructor when an answer does not fit the schema (N re-asks = N+1 calls)."""
    system_in_user: bool = False
    """Send the instructions in the user message: for chat templates that drop system messages
    (llama.cpp's `gemma` format, some small models' templates)."""
    service_tier: str | None = None
    """OpenAI's `service_tier` request field, passed through when set: `flex` is batch-priced but
    answers synchronously (slower; give it a longer --timeout). None: the server's default."""
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    backend_reason: str = "default"
    """Why this backend was chosen: 'flag', 'environment', or 'default' (no endpoint configured)."""

    def public(self) -> dict[str, object]:
        """Everything but the secret, for manifests and provenance."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "api_key"}
        return values | {
            "base_url": public_url(self.base_url) if self.base_url else None,
            "cache_dir": str(self.cache_dir),
            "api_key_set": self.api_key is not None,
        }


def _number(
    value: float | int | None, env: Mapping[str, str], variable: str, flag: str, parse: Callable[[str], T]
) -> T | None:
    if value is not None:
        return parse(str(value))
    raw = env.get(variable)
    if raw is None or raw == "":
        return None
    try:
        return parse(raw)
    except ValueError:
        raise ConfigError(f"{variable}={raw!r} is not a number; fix it or pass {flag}") from None


def resolve_settings(
    *,
    backend: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    model: str | None = None,
    mode: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    schema_retries: int | None = None,
    system_in_user: bool | None = None,
    service_tier: str | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve each setting from its flag, then its environment variable, then its default.

    With no backend given anywhere, an OpenAI-compatible endpoint in the environment
    (OPENAI_API_KEY or OPENAI_BASE_URL) selects `openai`; otherwise the offline `rules` backend.
    The backend is never guessed from a model name.
    """
    env = os.environ if env is None else env
    key = api_key or env.get("OPENAI_API_KEY") or None
    url = base_url or env.get("OPENAI_BASE_URL") or None
    if backend:
        chosen, reason = backend, "flag"
    elif env.get("CLAIMS_BACKEND"):
        chosen, reason = env["CLAIMS_BACKEND"], "environment"
    elif key or url:
        chosen, reason = "openai", "environment"
    else:
        chosen, reason = "rules", "default"
    if chosen not in BACKEND_NAMES:
        raise ConfigError(
            f"unknown backend {chosen!r}; choose one of {', '.join(BACKEND_NAMES)} "
            "(--backend or CLAIMS_BACKEND)"
        )
    # A server claims starts itself is known to refuse some request shapes: let it find out.
    default_mode = "auto" if chosen == "local" else "tools"
    chosen_mode = (mode or env.get("CLAIMS_MODE") or default_mode).lower()
    if chosen_mode not in MODES:
        raise ConfigError(
            f"unknown mode {chosen_mode!r}; choose one of {', '.join(MODES)} (--mode or CLAIMS_MODE)"
        )
    if url is not None and urlsplit(url).scheme not in ("http", "https"):
        raise ConfigError(
            f"base URL {public_url(url)!r} is not an http(s) URL; pass e.g. --base-url http://localhost:11434/v1"
        )
    resolved_temperature = _number(temperature, env, "CLAIMS_TEMPERATURE", "--temperature", float)
    resolved_max_tokens = _number(max_tokens, env, "CLAIMS_MAX_TOKENS", "--max-tokens", int)
    resolved_timeout = _number(timeout, env, "CLAIMS_TIMEOUT", "--timeout", float)
    resolved_retries = _number(max_retries, env, "CLAIMS_MAX_RETRIES", "--max-retries", int)
    resolved_schema = _number(schema_retries, env, "CLAIMS_SCHEMA_RETRIES", "--schema-retries", int)
    settings = Settings(
        backend=chosen,
        base_url=url,
        api_key=SecretStr(key) if key else None,
        model=model or env.get("CLAIMS_MODEL") or None,
        mode=chosen_mode,
        temperature=DEFAULT_TEMPERATURE if resolved_temperature is None else resolved_temperature,
        max_tokens=DEFAULT_MAX_TOKENS if resolved_max_tokens is None else resolved_max_tokens,
        timeout=DEFAULT_TIMEOUT if resolved_timeout is None else resolved_timeout,
        max_retries=DEFAULT_MAX_RETRIES if resolved_retries is None else resolved_retries,
        schema_retries=DEFAULT_SCHEMA_RETRIES if resolved_schema is None else resolved_schema,
        system_in_user=_flag(system_in_user, env, "CLAIMS_SYSTEM_IN_USER"),
        service_tier=_service_tier(service_tier, env),
        cache_dir=resolve_cache_dir(cache_dir, env),
        use_cache=True if use_cache is None else use_cache,
        backend_reason=reason,
    )
    _check_ranges(settings)
    if settings.backend == "openai":
        _require_openai(settings)
    return settings


SERVICE_TIERS = ("auto", "default", "flex", "priority")


def _service_tier(value: str | None, env: Mapping[str, str]) -> str | None:
    tier = (value or env.get("CLAIMS_SERVICE_TIER") or "").strip().lower() or None
    if tier is not None and tier not in SERVICE_TIERS:
        raise ConfigError(
            f"unknown service tier {tier!r}; choose one of {', '.join(SERVICE_TIERS)} "
            "(--service-tier or CLAIMS_SERVICE_TIER)"
        )
    return tier


def _flag(value: bool | None, env: Mapping[str, str], variable: str) -> bool:
    if value is not None:
        return value
    raw = env.get(variable, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{variable}={raw!r} is not a yes/no value; use 1 or 0")


def _check_ranges(settings: Settings) -> None:
    if settings.timeout <= 0:
        raise ConfigError("the timeout must be more than 0 seconds (--timeout or CLAIMS_TIMEOUT)")
    if settings.max_retries < 0 or settings.schema_retries < 0:
        raise ConfigError("retries cannot be negative (--max-retries, --schema-retries)")
    if settings.max_tokens < 1:
        raise ConfigError("max tokens must be at least 1 (--max-tokens or CLAIMS_MAX_TOKENS)")
    if not 0.0 <= settings.temperature <= 2.0:
        raise ConfigError("the temperature must be between 0 and 2 (--temperature or CLAIMS_TEMPERATURE)")


def _require_openai(settings: Settings) -> None:
    if settings.model is None:
        raise ConfigError("the openai backend needs a model: pass --model or set CLAIMS_MODEL")
    if settings.api_key is None and settings.base_url is None:
        raise ConfigError(
            "the openai backend needs an endpoint: set OPENAI_API_KEY (for OpenAI) "
            "or pass --base-url / set OPENAI_BASE_URL (for a local or other server)"
        )


def resolve_cache_dir(cache_dir: str | Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The cache directory alone (flag → CLAIMS_CACHE_DIR → default), for commands that need no backend."""
    env = os.environ if env is None else env
    return Path(cache_dir or env.get("CLAIMS_CACHE_DIR") or default_cache_dir())

"""The one place settings are resolved: flag → environment → default.

Environment: OPENAI_API_KEY, OPENAI_BASE_URL, CLAIMS_BACKEND, CLAIMS_MODEL, CLAIMS_MODE,
CLAIMS_CACHE_DIR. A missing setting fails with a message that names the fix. The API key is
held as a SecretStr so that it never shows in a repr, a log line, a manifest or a cache key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from pydantic import SecretStr

BACKEND_NAMES = ("rules", "openai", "local")
MODES = ("tools", "json_schema", "json", "md_json", "auto")


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which flag or variable fixes it."""


def default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "claims"


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one run. Build it with `resolve_settings`."""

    backend: str = "rules"
    base_url: str | None = None
    api_key: SecretStr | None = field(default=None, repr=False)
    model: str | None = None
    mode: str = "tools"
    temperature: float = 0.0
    max_tokens: int = 4096
    timeout: float = 120.0
    max_retries: int = 2
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    backend_reason: str = "default"
    """Why this backend was chosen: 'flag', 'environment', or 'default' (no endpoint configured)."""

    def public(self) -> dict[str, object]:
        """Everything but the secret, for manifests and provenance."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "api_key"} | {
            "cache_dir": str(self.cache_dir),
            "api_key_set": self.api_key is not None,
        }


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
    cache_dir: str | Path | None = None,
    use_cache: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve each setting from its flag, then its environment variable, then its default.

    With no backend given anywhere, an OpenAI-compatible endpoint in the environment
    (OPENAI_API_KEY or OPENAI_BASE_URL) selects `openai`; otherwise the offline `rules` backend.
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
        raise ConfigError(f"unknown backend {chosen!r}; choose one of {', '.join(BACKEND_NAMES)}")
    chosen_mode = (mode or env.get("CLAIMS_MODE") or "tools").lower()
    if chosen_mode not in MODES:
        raise ConfigError(
            f"unknown mode {chosen_mode!r}; choose one of {', '.join(MODES)} (--mode or CLAIMS_MODE)"
        )
    settings = Settings(
        backend=chosen,
        base_url=url,
        api_key=SecretStr(key) if key else None,
        model=model or env.get("CLAIMS_MODEL") or None,
        mode=chosen_mode,
        temperature=0.0 if temperature is None else temperature,
        max_tokens=4096 if max_tokens is None else max_tokens,
        timeout=120.0 if timeout is None else timeout,
        max_retries=2 if max_retries is None else max_retries,
        cache_dir=Path(cache_dir or env.get("CLAIMS_CACHE_DIR") or default_cache_dir()),
        use_cache=True if use_cache is None else use_cache,
        backend_reason=reason,
    )
    if settings.backend == "openai":
        _require_openai(settings)
    return settings


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

"""The one place settings are resolved, each value with its origin:
flag → environment → the backend's default → the general default.

Environment: OPENAI_API_KEY, OPENAI_BASE_URL, CLAIMS_BACKEND, CLAIMS_MODEL, CLAIMS_MODE,
CLAIMS_TEMPERATURE, CLAIMS_MAX_TOKENS, CLAIMS_TIMEOUT, CLAIMS_MAX_RETRIES, CLAIMS_SCHEMA_RETRIES,
CLAIMS_SYSTEM_IN_USER, CLAIMS_SERVICE_TIER, CLAIMS_EXAMPLES, CLAIMS_REQUEST_SCHEMA,
CLAIMS_CACHE_DIR (read with pydantic-settings; an empty variable counts as unset). Each backend
module may declare `DEFAULTS` (the `local` backend: mode auto, a long timeout, no HTTP retries,
all few-shot examples, the full request schema); a value the user set — by flag or variable —
always wins over them. A value equal to a default is still the user's: origins are recorded,
never guessed from values.
`Settings.public()` (the manifest's `settings`) holds every value and its origin, never the key.
A missing or malformed setting fails with a message that names the fix. The API key is held as a
SecretStr, read from the environment (or given to the library), never from a command-line flag.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from claims.urls import public_url as public_url  # re-exported: where settings are, URLs are shown

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
SERVICE_TIERS = ("auto", "default", "flex", "priority")
"""OpenAI's `service_tier` values (`flex`: batch price, answered synchronously)."""
REQUEST_SCHEMAS = ("lean", "full")
"""The request schema's styles (`claims.backends.openai.request_schema`): structure only, or the
claim contract's full schema."""

Origin = Literal["flag", "environment", "backend default", "default", "backend limit"]
"""Where a value came from. `backend limit`: the backend lowered a value to what it can do (the
`local` backend caps max_tokens at the model's own limit)."""

FLAGS = {
    "backend": "--backend",
    "base_url": "--base-url",
    "model": "--model",
    "mode": "--mode",
    "temperature": "--temperature",
    "max_tokens": "--max-tokens",
    "timeout": "--timeout",
    "max_retries": "--max-retries",
    "schema_retries": "--schema-retries",
    "system_in_user": "--system-in-user",
    "service_tier": "--service-tier",
    "examples": "--examples",
    "request_schema": "--request-schema",
    "cache_dir": "--cache-dir",
    "use_cache": "--no-cache",
    "api_key": "api_key=",
}
VARIABLES = {name: f"CLAIMS_{name.upper()}" for name in FLAGS} | {
    "base_url": "OPENAI_BASE_URL",
    "api_key": "OPENAI_API_KEY",
}


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which flag or variable fixes it."""


def default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "claims"


class Settings(BaseModel):
    """Resolved settings of one run, with the origin of every value. Build it with
    `resolve_settings`; a backend that adapts them (the `local` one) exposes what it ran with."""

    model_config = ConfigDict(frozen=True)

    backend: str = "rules"
    base_url: str | None = None
    api_key: SecretStr | None = Field(default=None, repr=False)
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
    service_tier: Literal["auto", "default", "flex", "priority"] | None = None  # SERVICE_TIERS
    """OpenAI's `service_tier` request field, passed through when set: `flex` is batch-priced but
    answers synchronously (slower; give it a longer --timeout). None: the server's default."""
    examples: int = Field(default=0, ge=0)
    """Few-shot examples in the system message (0: none, the default measured for capable models;
    the `local` backend shows them all by default)."""
    request_schema: Literal["lean", "full"] = "lean"  # REQUEST_SCHEMAS
    """The JSON Schema sent with each request: `lean` (structure and enumerations only, the
    default measured for capable models) or `full` (the contract's schema with its descriptions,
    patterns and minimum lengths: the `local` backend's default, since llama.cpp decodes by it)."""
    cache_dir: Path = Field(default_factory=default_cache_dir)
    use_cache: bool = True
    origins: dict[str, Origin] = Field(default_factory=dict)
    """Where each value came from; a setting not named here has its general default."""

    def origin(self, name: str) -> Origin:
        return self.origins.get(name, "default")

    @property
    def backend_reason(self) -> Origin:
        """Why this backend was chosen: 'flag', 'environment', or 'default' (no endpoint configured)."""
        return self.origin("backend")

    def with_values(self, origin: Origin, **values: Any) -> Settings:
        """A copy with these values set, each recorded with `origin`."""
        return self.model_copy(update=values | {"origins": self.origins | dict.fromkeys(values, origin)})

    def with_backend_defaults(self, defaults: Mapping[str, Any]) -> Settings:
        """A copy where every value still at its general default takes the backend's default."""
        unset = {name: value for name, value in defaults.items() if self.origin(name) == "default"}
        return self.with_values("backend default", **unset) if unset else self

    def public(self) -> dict[str, object]:
        """Every value the run used and its origin, for manifests and provenance; never the key."""
        values = self.model_dump(exclude={"api_key", "origins"})
        return values | {
            "base_url": public_url(self.base_url) if self.base_url else None,
            "cache_dir": str(self.cache_dir),
            "api_key_set": self.api_key is not None,
            "origins": {name: self.origin(name) for name in (*values, "api_key")},
        }


class _Environment(BaseSettings):
    """The settings the environment gives (None where a variable is unset or empty)."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", case_sensitive=False, extra="ignore")

    backend: str | None = None
    base_url: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    api_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    model: str | None = None
    mode: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    timeout: float | None = None
    max_retries: int | None = None
    schema_retries: int | None = None
    system_in_user: bool | None = None
    service_tier: str | None = None
    examples: int | None = None
    request_schema: str | None = None
    cache_dir: Path | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)  # the variables come from `_MappingSource`, never a .env file


class _MappingSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping (os.environ, or a test's)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._mapping = env
        super().__init__(_Environment)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name.lower(): value for name, value in self._mapping.items() if value != ""}


def read_environment(env: Mapping[str, str], overridden: Collection[str] = ()) -> dict[str, Any]:
    """The settings set in `env`, by field name; a malformed value names its variable and flag.
    Variables of `overridden` settings (given as flags) are not read: the flag wins anyway."""
    skipped = {VARIABLES[name] for name in overridden if name in VARIABLES}
    try:
        environment = _Environment(**_MappingSource({k: v for k, v in env.items() if k not in skipped})())
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        name = next((field for field, variable in VARIABLES.items() if variable == name), name)
        variable = VARIABLES.get(name, name)
        raw = env.get(variable, "")
        if first["type"] == "bool_parsing":
            raise ConfigError(f"{variable}={raw!r} is not a yes/no value; use 1 or 0") from None
        if first["type"] in ("int_parsing", "float_parsing", "int_from_float"):
            kind = "a whole number" if first["type"] != "float_parsing" else "a number"
            raise ConfigError(
                f"{variable}={raw!r} is not {kind}; fix it or pass {FLAGS.get(name, '')}"
            ) from None
        raise ConfigError(
            f"{variable}={raw!r}: {first['msg']}; fix it or pass {FLAGS.get(name, '')}"
        ) from None
    return {name: getattr(environment, name) for name in environment.model_fields_set}


def _registered_defaults(backend: str) -> Mapping[str, Any]:
    from claims.backends.registry import backend_defaults

    return backend_defaults(backend)


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
    examples: int | None = None,
    request_schema: str | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool | None = None,
    env: Mapping[str, str] | None = None,
    backend_defaults: Callable[[str], Mapping[str, Any]] | None = None,
    need_endpoint: bool = True,
) -> Settings:
    """Resolve each setting from its flag (a keyword here), its environment variable, the chosen
    backend's `DEFAULTS`, then the general default, recording where each value came from.

    With no backend given anywhere, an OpenAI-compatible endpoint (OPENAI_API_KEY or
    OPENAI_BASE_URL) selects `openai`; otherwise the offline `rules` backend. The backend is never
    guessed from a model name. `need_endpoint=False` (pricing a run with `--dry-run`, which asks
    nothing) lets the openai backend resolve without a key or URL.
    """
    env = os.environ if env is None else env
    given = {
        name: value
        for name, value in {
            "base_url": base_url or None,
            "api_key": SecretStr(api_key) if api_key else None,
            "model": model or None,
            "mode": mode.lower() if mode else None,
            "temperature": temperature,
            "max_tokens": max_tokens,
            "timeout": timeout,
            "max_retries": max_retries,
            "schema_retries": schema_retries,
            "system_in_user": system_in_user,
            "service_tier": service_tier.lower() if service_tier else None,
            "examples": examples,
            "request_schema": request_schema.lower() if request_schema else None,
            "cache_dir": cache_dir or None,
            "use_cache": use_cache,
        }.items()
        if value is not None
    }
    from_env = read_environment(env, overridden=given.keys())
    for lowered in ("mode", "service_tier", "request_schema"):
        if lowered in from_env:
            from_env[lowered] = str(from_env[lowered]).lower()
    chosen, reason = _choose_backend(backend, from_env, given)
    defaults = (backend_defaults or _registered_defaults)(chosen)
    values: dict[str, Any] = {"backend": chosen}
    origins: dict[str, Origin] = {"backend": reason}
    for name in (*given.keys() | from_env.keys() | defaults.keys(),):
        if name == "backend":
            continue
        if name in given:
            values[name], origins[name] = given[name], "flag"
        elif name in from_env:
            values[name], origins[name] = from_env[name], "environment"
        else:
            values[name], origins[name] = defaults[name], "backend default"
    if values.get("mode", "tools") not in MODES:
        raise ConfigError(
            f"unknown mode {values['mode']!r}; choose one of {', '.join(MODES)} (--mode or CLAIMS_MODE)"
        )
    url = values.get("base_url")
    if url is not None and urlsplit(url).scheme not in ("http", "https"):
        raise ConfigError(
            f"base URL {public_url(url)!r} is not an http(s) URL; pass e.g. --base-url http://localhost:11434/v1"
        )
    try:
        settings = Settings(origins=origins, **values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        where = FLAGS.get(name, name) + (f" or {VARIABLES[name]}" if name in VARIABLES else "")
        raise ConfigError(f"{where}: {first['msg']}") from None
    _check_ranges(settings)
    if settings.backend == "openai":
        _require_openai(settings, need_endpoint)
    return settings


def _choose_backend(
    backend: str | None, from_env: Mapping[str, Any], given: Mapping[str, Any]
) -> tuple[str, Origin]:
    if backend:
        chosen, reason = backend, "flag"
    elif from_env.get("backend"):
        chosen, reason = str(from_env["backend"]), "environment"
    elif any(name in given for name in ("api_key", "base_url")):
        chosen, reason = "openai", "flag"  # an endpoint given, e.g. --base-url
    elif any(name in from_env for name in ("api_key", "base_url")):
        chosen, reason = "openai", "environment"
    else:
        chosen, reason = "rules", "default"
    if chosen not in BACKEND_NAMES:
        raise ConfigError(
            f"unknown backend {chosen!r}; choose one of {', '.join(BACKEND_NAMES)} "
            "(--backend or CLAIMS_BACKEND)"
        )
    return chosen, reason  # type: ignore[return-value]


def _check_ranges(settings: Settings) -> None:
    if settings.timeout <= 0:
        raise ConfigError("the timeout must be more than 0 seconds (--timeout or CLAIMS_TIMEOUT)")
    if settings.max_retries < 0 or settings.schema_retries < 0:
        raise ConfigError("retries cannot be negative (--max-retries, --schema-retries)")
    if settings.max_tokens < 1:
        raise ConfigError("max tokens must be at least 1 (--max-tokens or CLAIMS_MAX_TOKENS)")
    if not 0.0 <= settings.temperature <= 2.0:
        raise ConfigError("the temperature must be between 0 and 2 (--temperature or CLAIMS_TEMPERATURE)")


def _require_openai(settings: Settings, need_endpoint: bool = True) -> None:
    if settings.model is None:
        raise ConfigError("the openai backend needs a model: pass --model or set CLAIMS_MODEL")
    if need_endpoint and settings.api_key is None and settings.base_url is None:
        raise ConfigError(
            "the openai backend needs an endpoint: set OPENAI_API_KEY (for OpenAI) "
            "or pass --base-url / set OPENAI_BASE_URL (for a local or other server)"
        )


def resolve_cache_dir(cache_dir: str | Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The cache directory alone (flag → CLAIMS_CACHE_DIR → default), for commands that need no backend."""
    env = os.environ if env is None else env
    return Path(cache_dir or env.get("CLAIMS_CACHE_DIR") or default_cache_dir())

"""Settings resolve flag → environment → default, and a missing setting names its fix."""

from __future__ import annotations

import pytest

from claims.settings import MODES, ConfigError, resolve_settings


def test_flag_beats_environment_beats_default() -> None:
    env = {"CLAIMS_MODEL": "env-model", "OPENAI_BASE_URL": "http://env:1/v1", "CLAIMS_TIMEOUT": "9"}
    from_env = resolve_settings(env=env)
    assert (from_env.backend, from_env.model, from_env.timeout) == ("openai", "env-model", 9.0)
    flagged = resolve_settings(model="flag-model", base_url="http://flag:2/v1", timeout=3, env=env)
    assert (flagged.model, flagged.base_url, flagged.timeout) == ("flag-model", "http://flag:2/v1", 3.0)
    default = resolve_settings(env={})
    assert (default.backend, default.backend_reason, default.mode, default.max_retries) == (
        "rules",
        "default",
        "tools",
        2,
    )


def test_the_backend_is_never_guessed_from_a_model_name() -> None:
    assert resolve_settings(model="gpt-4o", env={}).backend == "rules"


def test_missing_model_and_endpoint_name_the_fix() -> None:
    with pytest.raises(ConfigError, match="--model or set CLAIMS_MODEL"):
        resolve_settings(backend="openai", base_url="http://x/v1", env={})
    with pytest.raises(ConfigError, match="OPENAI_BASE_URL"):
        resolve_settings(backend="openai", model="m", env={})


def test_malformed_values_name_the_variable() -> None:
    with pytest.raises(ConfigError, match="CLAIMS_TIMEOUT"):
        resolve_settings(env={"CLAIMS_TIMEOUT": "soon"})
    with pytest.raises(ConfigError, match="--mode or CLAIMS_MODE"):
        resolve_settings(mode="guess", env={})
    with pytest.raises(ConfigError, match="http"):
        resolve_settings(base_url="localhost:11434", model="m", env={})


def test_modes_are_the_four_instructor_modes_and_auto() -> None:
    assert MODES == ("tools", "json_schema", "json", "md_json", "auto")


def test_the_local_backend_finds_its_mode_itself_unless_told() -> None:
    assert resolve_settings(backend="local", env={}).mode == "auto"
    assert resolve_settings(backend="local", mode="json", env={}).mode == "json"
    assert resolve_settings(backend="openai", model="m", base_url="http://h/v1", env={}).mode == "tools"


def test_system_in_user_from_flag_or_environment() -> None:
    assert resolve_settings(env={}).system_in_user is False
    assert resolve_settings(env={"CLAIMS_SYSTEM_IN_USER": "1"}).system_in_user is True
    assert (
        resolve_settings(system_in_user=False, env={"CLAIMS_SYSTEM_IN_USER": "yes"}).system_in_user is False
    )
    with pytest.raises(ConfigError, match="CLAIMS_SYSTEM_IN_USER='maybe' is not a yes/no value"):
        resolve_settings(env={"CLAIMS_SYSTEM_IN_USER": "maybe"})


def test_the_key_is_never_public() -> None:
    settings = resolve_settings(
        model="m", base_url="http://user:pw@host:8/v1?token=t", env={"OPENAI_API_KEY": "sk-x"}
    )
    assert "sk-x" not in repr(settings) and "sk-x" not in str(settings.public())
    assert settings.public()["base_url"] == "http://host:8/v1"
    assert settings.public()["api_key_set"] is True


def test_an_api_key_flag_beats_the_environment() -> None:
    settings = resolve_settings(
        backend="openai", model="m", api_key="sk-flag", env={"OPENAI_API_KEY": "sk-env"}
    )
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-flag"


def test_an_unknown_backend_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="choose one of rules, openai, local"):
        resolve_settings(backend="gpt", env={})

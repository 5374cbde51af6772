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


# --- origins: a value the user set is never mistaken for a default ---------------------------


def test_local_keeps_an_explicit_timeout_equal_to_the_general_default() -> None:
    """`claims extract --backend local --timeout 120` ran with 1800 s when 120 was "the default"."""
    settings = resolve_settings(backend="local", timeout=120, max_retries=2, env={})
    assert (settings.timeout, settings.max_retries) == (120.0, 2)
    assert (settings.origin("timeout"), settings.origin("max_retries")) == ("flag", "flag")


def test_local_keeps_explicit_values_from_the_environment_too() -> None:
    settings = resolve_settings(backend="local", env={"CLAIMS_TIMEOUT": "120", "CLAIMS_MAX_RETRIES": "2"})
    assert (settings.timeout, settings.max_retries) == (120.0, 2)
    assert settings.origin("timeout") == "environment"


def test_the_backend_default_fills_only_what_nobody_set() -> None:
    settings = resolve_settings(backend="local", env={})
    assert (settings.mode, settings.timeout, settings.max_retries) == ("auto", 1800.0, 0)
    assert {settings.origin(name) for name in ("mode", "timeout", "max_retries")} == {"backend default"}
    assert (settings.schema_retries, settings.origin("schema_retries")) == (1, "default")


def test_a_flag_beats_the_environment_and_both_are_recorded() -> None:
    env = {
        "CLAIMS_TIMEOUT": "9",
        "CLAIMS_MODE": "JSON",
        "OPENAI_BASE_URL": "http://env:1/v1",
        "CLAIMS_MODEL": "m",
    }
    settings = resolve_settings(timeout=3, env=env)
    assert (settings.timeout, settings.origin("timeout")) == (3.0, "flag")
    assert (settings.mode, settings.origin("mode")) == ("json", "environment")
    assert (settings.backend, settings.origin("backend")) == ("openai", "environment")
    origins = settings.public()["origins"]
    assert isinstance(origins, dict)
    assert origins["timeout"] == "flag" and origins["base_url"] == "environment"
    assert origins["temperature"] == "default" and origins["api_key"] == "default"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "CLAIMS_MAX_RETRIES",
            "two",
            "CLAIMS_MAX_RETRIES='two' is not a whole number; fix it or pass --max-retries",
        ),
        (
            "CLAIMS_TEMPERATURE",
            "warm",
            "CLAIMS_TEMPERATURE='warm' is not a number; fix it or pass --temperature",
        ),
        ("CLAIMS_MAX_TOKENS", "1.5", "CLAIMS_MAX_TOKENS='1.5' is not a whole number"),
    ],
)
def test_a_bad_environment_value_names_the_variable(variable: str, value: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(env={variable: value})
    assert str(caught.value).startswith(expected)


def test_a_bad_environment_value_is_no_error_when_a_flag_overrides_it() -> None:
    settings = resolve_settings(timeout=5, env={"CLAIMS_TIMEOUT": "soon"})
    assert (settings.timeout, settings.origin("timeout")) == (5.0, "flag")


def test_an_empty_variable_counts_as_unset() -> None:
    settings = resolve_settings(env={"CLAIMS_TIMEOUT": "", "CLAIMS_BACKEND": ""})
    assert (settings.timeout, settings.origin("timeout"), settings.backend) == (120.0, "default", "rules")


def test_public_records_values_and_origins_and_never_the_key() -> None:
    settings = resolve_settings(
        backend="openai", model="m", base_url="http://h/v1", env={"OPENAI_API_KEY": "sk-secret-1"}
    )
    public = settings.public()
    assert "sk-secret-1" not in str(public) and "sk-secret-1" not in settings.model_dump_json()
    assert public["api_key_set"] is True and "api_key" not in public
    origins = public["origins"]
    assert isinstance(origins, dict)
    assert (origins["api_key"], origins["model"], origins["backend"]) == ("environment", "flag", "flag")
    assert public["timeout"] == 120.0 and public["mode"] == "tools"

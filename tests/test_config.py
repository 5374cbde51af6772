"""Settings resolve flag → environment → default, and a missing one names its fix."""

from __future__ import annotations

import pytest

from claims.config import ConfigError, resolve_settings


def test_no_endpoint_means_the_offline_rules_backend() -> None:
    settings = resolve_settings(env={})
    assert (settings.backend, settings.backend_reason) == ("rules", "default")


def test_an_endpoint_in_the_environment_selects_openai() -> None:
    settings = resolve_settings(env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "CLAIMS_MODEL": "m"})
    assert (settings.backend, settings.backend_reason, settings.model) == ("openai", "environment", "m")


def test_flags_beat_the_environment() -> None:
    env = {"CLAIMS_MODEL": "env-model", "CLAIMS_MODE": "json", "OPENAI_API_KEY": "sk-env"}
    settings = resolve_settings(model="flag-model", mode="md_json", api_key="sk-flag", env=env)
    assert (settings.model, settings.mode) == ("flag-model", "md_json")
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "sk-flag"


def test_the_key_never_shows_in_repr_or_public_settings() -> None:
    settings = resolve_settings(env={"OPENAI_API_KEY": "sk-secret-123", "CLAIMS_MODEL": "m"})
    assert "sk-secret-123" not in repr(settings)
    assert "sk-secret-123" not in str(settings.public())
    assert settings.public()["api_key_set"] is True


@pytest.mark.parametrize(
    ("kwargs", "fix"),
    [
        ({"backend": "openai", "env": {"OPENAI_API_KEY": "k"}}, "--model or set CLAIMS_MODEL"),
        ({"backend": "openai", "model": "m", "env": {}}, "OPENAI_BASE_URL"),
        ({"backend": "gpt", "env": {}}, "choose one of rules, openai, local"),
        ({"mode": "xml", "env": {}}, "--mode or CLAIMS_MODE"),
    ],
)
def test_missing_or_wrong_settings_name_the_fix(kwargs: dict[str, object], fix: str) -> None:
    with pytest.raises(ConfigError, match=fix):
        resolve_settings(**kwargs)  # type: ignore[arg-type]

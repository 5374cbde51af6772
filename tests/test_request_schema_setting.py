"""The request schema setting end to end: `--request-schema`, `CLAIMS_REQUEST_SCHEMA`, the backends'
defaults (openai lean, local full), through settings resolution into the tool schema actually sent
(the FAKE server captures it), the cache key, the batch index and the manifest."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from claims.backends.local import LOCAL_REQUEST_SCHEMA
from claims.backends.openai.config import request_schema_hash
from claims.backends.openai.request_schema import RequestBounds, request_schema
from claims.batch.state import BatchDir
from claims.cli import main
from claims.countries import country_codes
from claims.schema import ISO3_PATTERN, ProposedClaims
from claims.settings import ConfigError, resolve_settings
from tests.backends.test_local import SENTENCE, local_for, request_for
from tests.fakes.claimdata import meeting
from tests.fakes.openai_server import MODEL_ID, FakeOpenAIServer, Reply

ENDPOINT: dict[str, Any] = {"base_url": "http://127.0.0.1:9/v1", "model": "m"}


def without_bounds(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with what the request adds taken out again: every `maxItems` of the request
    bounds, and the country codes' enumeration (back to the contract's three-letter pattern)."""
    cleaned: dict[str, Any] = json.loads(json.dumps(schema))

    def strip(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "array":
                node.pop("maxItems", None)
            if node.get("type") == "string" and node.pop("enum", None) == country_codes():
                node["pattern"] = ISO3_PATTERN
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for item in node:
                strip(item)

    strip(cleaned)
    return cleaned


def test_the_full_style_is_the_contracts_schema_with_the_request_bounds() -> None:
    full = request_schema(RequestBounds(claims=7, actors=3, weapons=2), "full")
    assert full["properties"]["claims"]["maxItems"] == 7
    meeting_def, delivery, treaty = (
        full["$defs"][n] for n in ("ProposedMeeting", "ProposedArmsDelivery", "ProposedTreatySigning")
    )
    assert meeting_def["properties"]["participants"]["maxItems"] == 3
    assert meeting_def["properties"]["participants"]["minItems"] == 2, "a meeting needs two sides"
    assert treaty["properties"]["parties"]["maxItems"] == 3
    assert delivery["properties"]["weapons"]["maxItems"] == 2
    contract = ProposedClaims.model_json_schema()
    assert without_bounds(full) == without_bounds(contract), (
        "nothing but the bounds differs from the contract"
    )
    assert "pattern" in json.dumps(full) and "description" in json.dumps(full)


def test_the_full_style_lists_the_country_codes_and_the_lean_style_does_not() -> None:
    def country(schema: dict[str, Any]) -> Any:
        return schema["$defs"]["Actor"]["properties"]["country"]

    full, lean = request_schema(None, "full"), request_schema(None, "lean")
    [code_option] = [option for option in country(full)["anyOf"] if option.get("type") == "string"]
    codes = code_option["enum"]
    assert {"IRN", "PRK", "RUS", "DEU", "XKX"} <= set(codes) and "IRI" not in codes and "GER" not in codes
    assert len(codes) == 250 and "pattern" not in code_option
    assert "enum" not in json.dumps(country(lean)), "the lean request leaves the codes to the prompt"


def test_the_two_styles_differ_in_size_and_hash() -> None:
    lean, full = (json.dumps(request_schema(None, style)) for style in ("lean", "full"))
    assert len(lean) * 3 < len(full)
    assert request_schema_hash(RequestBounds(), "lean") != request_schema_hash(RequestBounds(), "full")


def test_an_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown request schema style 'short'; choose one of lean, full"):
        request_schema(None, "short")


def test_the_defaults_are_lean_for_openai_and_full_for_local() -> None:
    openai = resolve_settings(backend="openai", env={}, **ENDPOINT)
    local = resolve_settings(backend="local", env={})
    assert (openai.request_schema, openai.origin("request_schema")) == ("lean", "default")
    assert (local.request_schema, local.origin("request_schema")) == (LOCAL_REQUEST_SCHEMA, "backend default")
    assert LOCAL_REQUEST_SCHEMA == "full"


@pytest.mark.parametrize("backend", ["openai", "local"])
def test_the_variable_and_the_flag_win_over_the_backends_default(backend: str) -> None:
    common = ENDPOINT if backend == "openai" else {}
    other = "lean" if backend == "local" else "full"
    from_env = resolve_settings(backend=backend, env={"CLAIMS_REQUEST_SCHEMA": other.upper()}, **common)
    assert (from_env.request_schema, from_env.origin("request_schema")) == (other, "environment")
    flag = resolve_settings(
        backend=backend, request_schema="lean", env={"CLAIMS_REQUEST_SCHEMA": "full"}, **common
    )
    assert (flag.request_schema, flag.origin("request_schema")) == ("lean", "flag")


def test_a_wrong_value_names_the_fix() -> None:
    with pytest.raises(ConfigError, match=r"--request-schema or CLAIMS_REQUEST_SCHEMA: .*'lean' or 'full'"):
        resolve_settings(backend="local", env={"CLAIMS_REQUEST_SCHEMA": "short"})


def as_parameters(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema as a tool's parameters: its title is the function's name, its description the
    function's (instructor takes both out)."""
    return {k: v for k, v in schema.items() if k not in ("title", "description")}


def sent_schema(fake: FakeOpenAIServer) -> dict[str, Any]:
    (tool,) = fake.requests[-1].body["tools"]
    parameters: dict[str, Any] = tool["function"]["parameters"]
    return parameters


def test_the_openai_backend_sends_the_chosen_style_and_records_it(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.default = lambda _request: Reply.claims(meeting(SENTENCE))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SENTENCE + "\n", encoding="utf-8")
    manifests = {}
    for style in ("lean", "full"):
        out = tmp_path / style / "claims.jsonl"
        flags = ["--base-url", fake_server.url, "--model", MODEL_ID, "--no-cache", "--request-schema", style]
        assert main(["extract", str(docs), "-o", str(out), *flags]) == 0
        sent = sent_schema(fake_server)
        assert sent == as_parameters(request_schema(None, style))
        assert [json.loads(line)["type"] for line in out.read_text(encoding="utf-8").splitlines()] == [
            "meeting"
        ]
        manifests[style] = json.loads(out.with_name("claims.manifest.json").read_text(encoding="utf-8"))
    assert manifests["full"]["settings"]["request_schema"] == "full"
    assert manifests["full"]["settings"]["origins"]["request_schema"] == "flag"
    lean_details, full_details = manifests["lean"]["details"], manifests["full"]["details"]
    assert lean_details["schema_hash"] != full_details["schema_hash"], "the style keys the answer cache"
    assert int(lean_details["static_prefix_chars"]) < int(full_details["static_prefix_chars"])


def test_the_local_backend_sends_the_full_schema_by_default(
    fake_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    fake_server.default = lambda _request: Reply.claims(meeting(SENTENCE))
    backend = local_for(fake_server, tmp_path)

    async def run() -> None:
        try:
            proposal = await backend.propose(request_for(SENTENCE))
            assert len(proposal.claims) == 1
        finally:
            await backend.aclose()

    asyncio.run(run())
    sent = sent_schema(fake_server)
    assert sent["properties"]["claims"]["maxItems"] == backend.inner.bounds.claims
    assert without_bounds(sent) == without_bounds(as_parameters(ProposedClaims.model_json_schema()))
    public = backend.settings.public()
    assert public["request_schema"] == "full"
    assert isinstance(public["origins"], dict) and public["origins"]["request_schema"] == "backend default"


def test_batch_prepare_records_the_style_in_its_index(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SENTENCE + "\n", encoding="utf-8")
    ids = {}
    for style in ("lean", "full"):
        folder = tmp_path / style
        assert (
            main(
                [
                    "batch",
                    "prepare",
                    str(docs),
                    "-o",
                    str(folder),
                    "--model",
                    MODEL_ID,
                    "--request-schema",
                    style,
                ]
            )
            == 0
        )
        assert BatchDir(folder).load().settings["request_schema"] == style
        (request_file,) = sorted((folder / "requests").glob("*.jsonl"))
        (line,) = [json.loads(text) for text in request_file.read_text(encoding="utf-8").splitlines()]
        (tool,) = line["body"]["tools"]
        assert tool["function"]["parameters"] == as_parameters(request_schema(None, style))
        ids[style] = line["custom_id"]
    assert ids["lean"] != ids["full"]

"""The REAL llama.cpp server with the REAL Gemma 270M: lifecycle and the request shapes the
`openai` backend relies on. Asserts the protocol only (status, shape, usage), never content."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from claims.local.models import LocalModel
from claims.local.server import LocalServer, local_server
from claims.schema import ProposedClaims

pytestmark = pytest.mark.integration

SENTENCE = "Am 3. März 2025 traf Außenministerin Baerbock in Kiew ihren ukrainischen Amtskollegen Sybiha."


@dataclass
class Response:
    status_code: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def _http(url: str, body: dict[str, Any] | None = None) -> Response:
    """A plain HTTP call (stdlib), so these tests see exactly what the server answers."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            return Response(answer.status, answer.read().decode())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read().decode())


def _chat(server: LocalServer, body: dict[str, Any]) -> Response:
    request = {
        "model": server.model.alias,
        "messages": [{"role": "user", "content": f"Extract the meetings as JSON.\n\n{SENTENCE}"}],
        "temperature": 0,
        "max_tokens": 48,
        **body,
    }
    return _http(f"{server.base_url}/chat/completions", request)


def _usage_counted(answer: dict[str, Any]) -> None:
    usage = answer["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_the_server_answers_to_the_models_alias(gemma_server: LocalServer) -> None:
    models = _http(f"{gemma_server.base_url}/models").json()
    assert [entry["id"] for entry in models["data"]] == ["gemma-3-270m-q4_k_m"]


def test_a_forced_tool_call_is_accepted(gemma_server: LocalServer) -> None:
    schema = ProposedClaims.model_json_schema()
    tool = {"type": "function", "function": {"name": "ProposedClaims", "parameters": schema}}
    response = _chat(
        gemma_server,
        {"tools": [tool], "tool_choice": {"type": "function", "function": {"name": "ProposedClaims"}}},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    choice = answer["choices"][0]
    assert choice["message"]["tool_calls"][0]["function"]["name"] == "ProposedClaims"
    # llama.cpp reports a forced call cut off at max_tokens as "tool_calls", not "length": the
    # backend must compare completion_tokens with max_tokens to see the truncation.
    assert choice["finish_reason"] == "tool_calls"
    _usage_counted(answer)


def test_json_object_with_a_schema_is_accepted(gemma_server: LocalServer) -> None:
    schema = ProposedClaims.model_json_schema()
    response = _chat(gemma_server, {"response_format": {"type": "json_object", "schema": schema}})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["choices"][0]["finish_reason"] in ("stop", "length")
    content = answer["choices"][0]["message"]["content"]
    assert content.lstrip().startswith("{")
    _usage_counted(answer)


def test_json_schema_is_refused_with_http_500(gemma_server: LocalServer) -> None:
    """The refusal the `auto` mode falls back from; if llama.cpp ever accepts it, this tells us."""
    schema = {"name": "ProposedClaims", "schema": ProposedClaims.model_json_schema()}
    response = _chat(gemma_server, {"response_format": {"type": "json_schema", "json_schema": schema}})
    assert response.status_code == 500
    message = response.json()["error"]["message"]
    assert "response_format" in message and "json_object" in message


def test_a_second_server_starts_and_stops_beside_the_first(
    gemma: LocalModel, gemma_file: Path, gemma_server: LocalServer, tmp_path: Path
) -> None:
    with local_server(gemma, gemma_file, tmp_path) as second:
        assert second.port != gemma_server.port
        assert _http(f"{second.base_url}/models").status_code == 200
        process = second._process
    assert process is not None and process.returncode is not None
    assert gemma_server.running, "the first one is untouched"

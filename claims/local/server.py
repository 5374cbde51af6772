"""Start and stop llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`) for one model.

The server runs as a child process on 127.0.0.1 (never on a public interface), on a free port,
with the model's context size and chat format and with one thread per CPU (the server's own
default is a single thread, which halves the speed on a 2-core machine). Its log goes to a file
in the cache directory, so a failed start can show its last lines. It counts as started once
`GET /v1/models` answers; it is stopped with SIGTERM, then SIGKILL. `LocalServer` is a context
manager for sync and async code; an interpreter exit stops a server that was left running.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from claims.local.models import LocalModel

HOST = "127.0.0.1"
LAUNCHER: tuple[str, ...] = (sys.executable, "-m", "llama_cpp.server")
SERVER_MODULES = (
    "llama_cpp",
    "uvicorn",
    "fastapi",
    "sse_starlette",
    "starlette_context",
    "pydantic_settings",
)
"""What `python -m llama_cpp.server` needs: llama-cpp-python with its `server` extra."""
LOGS_FOLDER = Path("local") / "logs"
KEEP_LOGS = 10
START_TIMEOUT = 180.0
STOP_TIMEOUT = 15.0
PORT_ATTEMPTS = 3


class ServerError(RuntimeError):
    """The server could not be started; the message names the cause and where the log is."""


def engine_missing() -> str | None:
    """None when the llama.cpp server can run in this Python; otherwise the fix, as one line."""
    missing = [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (
        f"llama.cpp's server is not installed ({', '.join(missing)} missing): "
        "pip install 'claims[local]' (or `make integration`, which builds it once into a wheel cache)"
    )


def default_threads() -> int:
    """One thread per CPU this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class ServerOptions:
    """How to run the server: everything but the model file."""

    port: int | None = None
    """None: a free port is picked (and another one if it was taken in the meantime)."""
    threads: int = field(default_factory=default_threads)
    n_ctx: int | None = None
    """None: the model's own setting."""
    start_timeout: float = START_TIMEOUT
    launcher: tuple[str, ...] = LAUNCHER
    """The command before the server's flags; tests put a fake server script here."""
    extra_args: tuple[str, ...] = ()


def server_command(
    model: LocalModel, model_file: Path, port: int, options: ServerOptions, launcher: Sequence[str]
) -> list[str]:
    """The command line that serves `model_file` as `model.alias` on 127.0.0.1:`port`."""
    command = [
        *launcher,
        "--model",
        str(model_file),
        "--model_alias",
        model.alias,
        "--host",
        HOST,
        "--port",
        str(port),
        "--n_ctx",
        str(options.n_ctx or model.n_ctx),
        "--n_threads",
        str(options.threads),
        "--n_threads_batch",
        str(options.threads),
        # Requests are answered one at a time; do not let a new one cut a running stream short.
        "--interrupt_requests",
        "False",
    ]
    if model.chat_format is not None:
        command += ["--chat_format", model.chat_format]
    return command + list(options.extra_args)


class LocalServer:
    """One running llama.cpp server for one model; `base_url` is what an OpenAI client needs."""

    def __init__(self, model: LocalModel, model_file: Path, log_dir: Path, options: ServerOptions) -> None:
        self.model = model
        self.model_file = model_file
        self.log_dir = log_dir
        self.options = options
        self.port: int | None = None
        self.log_path: Path | None = None
        self.started_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise ServerError("the server has not been started")
        return f"http://{HOST}:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> LocalServer:
        """Start the server and wait until it answers; raises `ServerError` with the log's tail."""
        if self.running:
            return self
        began = time.perf_counter()
        if self.options.port is not None and not _bindable(self.options.port):
            # Checked first: another server on that port would answer our readiness check.
            raise ServerError(f"port {self.options.port} on {HOST} is in use; choose another with --port")
        for attempt in range(1, PORT_ATTEMPTS + 1):
            port = self.options.port or free_port()
            self._launch(port)
            try:
                self._wait_until_ready()
            except _PortTaken:
                if self.options.port is not None or attempt == PORT_ATTEMPTS:
                    raise ServerError(
                        f"port {port} on {HOST} is in use; choose another with --port (log: {self.log_path})"
                    ) from None
                continue
            except BaseException:
                self.stop()
                raise
            self.started_seconds = round(time.perf_counter() - began, 2)
            return self
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after a grace period); safe to call twice."""
        process, self._process = self._process, None
        if process is None:
            return
        atexit.unregister(self.stop)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait(self) -> int | None:
        """Block until the server exits on its own (Ctrl-C interrupts); its exit code."""
        process = self._process
        return process.wait() if process is not None else None

    def log_tail(self, lines: int = 12) -> str:
        if self.log_path is None or not self.log_path.is_file():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])

    # --- context managers --------------------------------------------------------------------

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> LocalServer:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)

    # --- internals ---------------------------------------------------------------------------

    def _launch(self, port: int) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        _prune_logs(self.log_dir, self.model.alias)
        self.port = port
        self.log_path = self.log_dir / f"{self.model.alias}-{port}.log"
        command = server_command(self.model, self.model_file, port, self.options, self.options.launcher)
        with self.log_path.open("wb") as log:
            log.write(("$ " + " ".join(command) + "\n").encode())
            log.flush()
            # A session of its own: Ctrl-C in a terminal reaches `claims`, which then stops the
            # server in order, instead of both dying at once.
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        atexit.register(self.stop)

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.options.start_timeout
        url = f"{self.base_url}/models"
        while True:
            code = self._process.poll()
            if code is not None:
                self._process = None
                atexit.unregister(self.stop)
                tail = self.log_tail()
                if "address already in use" in tail.lower():
                    raise _PortTaken()
                raise ServerError(
                    f"llama.cpp server exited with code {code} while starting; log {self.log_path}:\n{tail}"
                )
            if _answers(url):
                return
            if time.monotonic() > deadline:
                raise ServerError(
                    f"llama.cpp server did not answer {url} within {self.options.start_timeout:g} s; "
                    f"log {self.log_path}:\n{self.log_tail()}"
                )
            time.sleep(0.2)


class _PortTaken(Exception):
    pass


def _bindable(port: int) -> bool:
    """Whether nothing listens on the port. SO_REUSEADDR as uvicorn sets it: connections of a
    previous server left in TIME_WAIT do not make the port unusable."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _prune_logs(log_dir: Path, alias: str) -> None:
    """Keep the newest few logs of a model; one file per port would otherwise pile up."""
    logs = sorted(log_dir.glob(f"{alias}-*.log"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in logs[KEEP_LOGS - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def local_server(
    model: LocalModel, model_file: Path, cache_dir: Path, options: ServerOptions | None = None
) -> LocalServer:
    """A (not yet started) server for `model_file`, logging into `<cache_dir>/local/logs/`."""
    return LocalServer(model, model_file, cache_dir / LOGS_FOLDER, options or ServerOptions())


def _die_with_parent() -> None:
    """In the server's process before it runs (Linux): SIGTERM it when the thread that started it
    ends, so a `claims` killed with SIGKILL (no atexit, no signal handler) leaves no server of a
    few GB behind. `claims` starts its server from the main thread, which ends with the process."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)

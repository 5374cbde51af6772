"""`claims local`: run a real LLM on this machine with no key — `serve` starts llama.cpp's
OpenAI-compatible server for a local model, `models` lists the models and their state."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
from pathlib import Path
from typing import Any

from claims.cli.common import CliError
from claims.local.models import (
    DEFAULT_MODEL,
    MODELS,
    LocalModel,
    ModelError,
    ensure_model,
    is_assembled,
    is_installed,
    model_path,
    resolve_model,
)
from claims.local.server import LocalServer, ServerError, ServerOptions, engine_missing, local_server
from claims.settings import resolve_cache_dir


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "local",
        help="serve a local model through llama.cpp's OpenAI-compatible server (no key, no network)",
        description="A real LLM on this machine: small GGUF models installed from PyPI, served by "
        "llama.cpp. See the README, 'Fully offline with a local model'.",
    )
    commands = parser.add_subparsers(dest="local_command", metavar="COMMAND", required=True)

    serve = commands.add_parser(
        "serve",
        help="start the server for a model and print its base URL; Ctrl-C stops it",
        description="Starts `python -m llama_cpp.server` on 127.0.0.1 with the model's context size, "
        "chat format and one thread per CPU, and prints the base URL to use with --base-url.",
    )
    serve.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help=f"{', '.join(MODELS)}, or the path of any .gguf file (default: {DEFAULT_MODEL})",
    )
    serve.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    serve.add_argument("--threads", type=int, help="CPU threads (default: one per CPU)")
    serve.add_argument("--n-ctx", type=int, help="context size in tokens (default: the model's)")
    serve.add_argument(
        "--cache-dir", help="where models are assembled and logs kept (default: ~/.cache/claims)"
    )
    serve.set_defaults(func=run_serve)

    models = commands.add_parser("models", help="list the local models: installed? assembled? licence")
    models.add_argument("--cache-dir", help="where models are assembled (default: ~/.cache/claims)")
    models.set_defaults(func=run_models)


def prepare(model_name: str | None, cache_dir: Path) -> tuple[LocalModel, Path]:
    """The model and its verified file; assembles it on first use. Fails as one line with the fix."""
    missing = engine_missing()
    if missing:
        raise CliError(missing)
    try:
        model = resolve_model(model_name)
        if not is_assembled(model, cache_dir):
            print(
                f"claims: checking model {model.name!r} in {model_path(model, cache_dir)} …", file=sys.stderr
            )
        return model, ensure_model(model, cache_dir)
    except ModelError as error:
        raise CliError(str(error)) from None


def run_serve(args: argparse.Namespace) -> int:
    cache_dir = resolve_cache_dir(args.cache_dir)
    model, model_file = prepare(args.model, cache_dir)
    options = ServerOptions(port=args.port, n_ctx=args.n_ctx)
    if args.threads:
        options = dataclasses.replace(options, threads=args.threads)
    server = local_server(model, model_file, cache_dir, options)
    print(f"claims: starting llama.cpp server for {model.name!r} …", file=sys.stderr)
    try:
        with server:
            code = _serve_until_stopped(server)
    except ServerError as error:
        raise CliError(str(error), code=1) from None
    return code


def _announce(server: LocalServer) -> None:
    model = server.model
    print(server.base_url, flush=True)
    print(
        f"claims: serving {model.name!r} as model {model.alias!r} at {server.base_url} "
        f"(ready in {server.started_seconds} s; log {server.log_path})\n"
        f"claims: use it with\n"
        f"  claims extract --backend openai --base-url {server.base_url} --model {model.alias} "
        f"--mode auto{' --system-in-user' if model.system_in_user else ''} DOCS\n"
        f"claims: Ctrl-C stops the server.",
        file=sys.stderr,
        flush=True,
    )


def _serve_until_stopped(server: LocalServer) -> int:
    """Announce the server, then block until Ctrl-C or SIGTERM/SIGHUP (exit 0) or until the server
    dies on its own (exit 1).

    The server runs in a session of its own, so a signal that ends `claims` without letting it
    stop the server would leave the server running: every such signal ends the wait instead. The
    handlers are in place before the URL is printed, so a caller that waits for the URL and then
    signals cannot slip in before them."""
    previous = {number: signal.signal(number, _interrupt) for number in STOP_SIGNALS}
    try:
        _announce(server)
        server.wait()
    except KeyboardInterrupt:
        print("claims: stopping the server", file=sys.stderr)
        return 0
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    print(
        f"claims: the server stopped on its own; log {server.log_path}:\n{server.log_tail()}", file=sys.stderr
    )
    return 1


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_models(args: argparse.Namespace) -> int:
    cache_dir = resolve_cache_dir(args.cache_dir)
    missing = engine_missing()
    print(f"engine: {'llama-cpp-python[server] installed' if missing is None else missing}")
    print(f"models folder: {cache_dir / 'models'}")
    for model in MODELS.values():
        installed = is_installed(model)
        assembled = is_assembled(model, cache_dir)
        state = (
            "assembled"
            if assembled
            else ("installed" if installed else f"not installed ({model.install_hint})")
        )
        size = f"{model.size / 1e6:,.0f} MB" if model.size else "?"
        print(f"\n{model.name}{' (default)' if model.name == DEFAULT_MODEL else ''}: {state}")
        print(f"  {model.description}")
        print(f"  served as {model.alias!r}, {size}, context {model.n_ctx} tokens")
        print(f"  licence: {model.licence}")
        print(f"  source: {model.provenance}")
    return 0

"""The `claims` command: a thin layer over the library. Each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence

from claims._version import __version__
from claims.cli.common import CliError

SIGPIPE_EXIT = 128 + signal.SIGPIPE  # 141: what a shell reports for a command ended by SIGPIPE
SUBCOMMANDS = ["extract", "batch", "verify", "eval", "report", "schema", "local", "db"]
"""Each lives in `claims.cli.<name>_cmd`, imported only when it is run or listed (start-up time:
importing every subcommand's library costs about a second)."""


def build_parser(only: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with just those in `only`."""
    parser = argparse.ArgumentParser(
        prog="claims",
        description="Turn news articles into typed claims, each grounded in a verbatim quote of its source.",
    )
    parser.add_argument("--version", action="version", version=f"claims {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS if only is None else only:
        importlib.import_module(f"claims.cli.{name}_cmd").register(subparsers)
    return parser


def _needed(argv: Sequence[str]) -> list[str] | None:
    """The subcommands a command line needs: the one it names first, none for a bare `--version`,
    all (None) otherwise (`claims`, `claims --help`, a mistyped name: the full list is shown)."""
    if argv and argv[0] in SUBCOMMANDS:
        return [argv[0]]
    if list(argv) == ["--version"]:
        return []
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 some input failed, 2 usage or fatal error)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_needed(arguments))
    args = parser.parse_args(arguments)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    # SIGTERM ends the command like Ctrl-C: cleanup runs, and a llama.cpp server it started (in a
    # session of its own, so no signal reaches it) is stopped rather than left running.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # here, so that a reader gone away is seen below and not at exit
    except BrokenPipeError:
        _silence_stdout()
        return SIGPIPE_EXIT
    except CliError as error:
        print(f"claims: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print("claims: interrupted", file=sys.stderr)
        return 130
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return code


def _silence_stdout() -> None:
    """The reader of stdout went away (`claims db events | head -1`): end quietly, as a command
    ended by SIGPIPE does, with stdout pointed at /dev/null so the final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):  # a stdout without a descriptor (captured output)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _terminated(number: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""The `claims` command: a thin layer over the library. Each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from claims._version import __version__
from claims.cli import batch_cmd, eval_cmd, extract_cmd, local_cmd, report_cmd, schema_cmd, verify_cmd
from claims.cli.common import CliError

SUBCOMMANDS = [extract_cmd, batch_cmd, verify_cmd, eval_cmd, report_cmd, schema_cmd, local_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claims",
        description="Turn news articles into typed claims, each grounded in a verbatim quote of its source.",
    )
    parser.add_argument("--version", action="version", version=f"claims {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 some input failed, 2 usage or fatal error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    # SIGTERM ends the command like Ctrl-C: cleanup runs, and a llama.cpp server it started (in a
    # session of its own, so no signal reaches it) is stopped rather than left running.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        code: int = args.func(args)
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


def _terminated(number: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""The `claims` entry point: SIGTERM ends a command like Ctrl-C, so its cleanup runs."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

import pytest

from claims.cli import main, schema_cmd


def test_sigterm_ends_a_command_in_order_and_the_handler_is_restored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cleaned: list[bool] = []

    def long_command(args: argparse.Namespace) -> int:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
            return 0
        finally:
            cleaned.append(True)

    monkeypatch.setattr(schema_cmd, "run", long_command)
    before = signal.getsignal(signal.SIGTERM)
    started = time.monotonic()
    assert main(["schema"]) == 130
    assert time.monotonic() - started < 4
    assert cleaned == [True]
    assert "claims: interrupted" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_subcommand_imports_only_its_own_module_and_help_lists_them_all(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Start-up time (issue 10): `claims verify` must not import extraction, evaluation or report code."""
    code = (
        "import sys; from claims.cli import build_parser; build_parser(['verify']); "
        "print(sorted(m for m in sys.modules if m.startswith('claims.cli.') and m.endswith('_cmd')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['claims.cli.verify_cmd']"
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    for name in ("extract", "verify", "eval", "report", "schema", "local"):
        assert name in listed
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("claims ")

"""The `claims` entry point: SIGTERM ends a command like Ctrl-C, so its cleanup runs."""

from __future__ import annotations

import argparse
import os
import signal
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

"""The README is a contract: its Python examples run as written (the offline ones: no model)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)
OFFLINE_BLOCKS = [block for block in PYTHON_BLOCKS if "base_url" not in block and "OPENAI" not in block]


def test_the_readme_has_runnable_python_examples() -> None:
    assert len(OFFLINE_BLOCKS) >= 2


@pytest.mark.parametrize("block", OFFLINE_BLOCKS, ids=lambda block: block.splitlines()[0][:40])
def test_python_example_runs_as_written(block: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", sorted(set(re.findall(r"bin/claims (\w+)", README))))
def test_every_subcommand_the_readme_shows_exists(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "claims.cli", command, "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr

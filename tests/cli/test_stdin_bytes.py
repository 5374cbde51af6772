"""Standard input that is not UTF-8: decoded like a file, never carried as surrogates into outputs.

The command runs in a real subprocess so that its stdin is a real pipe of bytes (Python's text
`sys.stdin` would otherwise decode them with surrogateescape, and writing the documents file
crashed with a UnicodeEncodeError)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ARTICLE = (
    "Die deutsche Außenministerin traf am Montag in Kiew ihren ukrainischen Amtskollegen – "
    "„Gespräche über Waffenlieferungen“ standen im Mittelpunkt. Grüße aus München.\n"
)


def run_extract(tmp_path: Path, data: bytes, *flags: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path / "out" / "claims.jsonl"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("OPENAI_", "CLAIMS_"))}
    env["CLAIMS_CACHE_DIR"] = str(tmp_path / "cache")
    completed = subprocess.run(
        [sys.executable, "-m", "claims.cli", "extract", "-", "-o", str(out), *flags],
        input=data,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    text = subprocess.CompletedProcess(
        completed.args, completed.returncode, completed.stdout.decode(), completed.stderr.decode()
    )
    return text, out.with_name("claims.documents.jsonl")


def test_cp1252_bytes_on_stdin_give_the_right_text_and_record_the_encoding(tmp_path: Path) -> None:
    completed, documents = run_extract(tmp_path, ARTICLE.encode("cp1252"))
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    (document,) = [json.loads(line) for line in documents.read_text(encoding="utf-8").splitlines()]
    assert document["text"] == ARTICLE
    assert document["origin"]["encoding"] == "cp1252"


def test_a_forced_encoding_applies_to_stdin(tmp_path: Path) -> None:
    completed, documents = run_extract(tmp_path, ARTICLE.encode("cp1252"), "--encoding", "latin-1")
    assert completed.returncode == 0, completed.stderr
    (document,) = [json.loads(line) for line in documents.read_text(encoding="utf-8").splitlines()]
    assert document["origin"]["encoding"] == "iso8859-1"
    assert "Au\xdfenministerin" in document["text"] and "\x84" in document["text"]  # as forced

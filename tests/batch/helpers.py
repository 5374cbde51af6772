"""Shared by the batch tests: the recorded answers behind the fakes, and running the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from claims.cli import main
from tests.fakes.openai_server import RecordedRequest, Reply

RECORDED = Path(__file__).resolve().parents[2] / "eval" / "recorded" / "seeds-answers.jsonl"
"""Real model output for each request chunk of eval/seeds (doc_id, chunk text, answer). It is tied
to TODAY's prompts and chunking (6000 characters, 600 overlap): a request whose chunk text is not
in it fails the test loudly rather than being answered with something made up."""


def recorded_answers() -> dict[str, dict[str, Any]]:
    if not RECORDED.is_file():
        pytest.skip(f"{RECORDED} (the recorded seed answers) is not on this machine")
    answers: dict[str, dict[str, Any]] = {}
    for line in RECORDED.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            answers[record["chunk"]] = record["answer"]
    return answers


def answer_from(answers: dict[str, dict[str, Any]]) -> Callable[[RecordedRequest], Reply]:
    """A scripted fake's `default`: the recorded answer of the request's chunk (re-asks included)."""

    def reply(request: RecordedRequest) -> Reply:
        article = request.article
        if article not in answers:
            raise AssertionError(
                "a chunk with no recorded answer: the fixture is tied to today's prompts and chunking "
                f"(chunk starts {article[:60]!r})"
            )
        return Reply.raw(
            json.dumps(answers[article], ensure_ascii=False), prompt_tokens=1000, completion_tokens=50
        )

    return reply


def cli(*argv: str | Path | int) -> int:
    return main([str(a) for a in argv])


def lines(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def canonical(path: Path) -> list[str]:
    """The records of a JSONL file in a canonical order (documents finish in any order online)."""
    return sorted(json.dumps(record, sort_keys=True, ensure_ascii=False) for record in lines(path))

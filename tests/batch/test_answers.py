"""Reading output and error lines of OpenAI's Batch API and of vLLM's run-batch."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.batch.answers import Outcome, better, parse_outcome

COMPLETION: dict[str, Any] = {
    "id": "c",
    "object": "chat.completion",
    "choices": [],
    "created": 0,
    "model": "m",
}


def test_an_answer_line() -> None:
    line = {
        "id": "r",
        "custom_id": "a.0.x",
        "response": {"status_code": 200, "request_id": "q", "body": COMPLETION},
        "error": None,
    }
    outcome = parse_outcome(line)
    assert outcome is not None and outcome.ok and outcome.completion == COMPLETION and not outcome.retryable


@pytest.mark.parametrize(
    ("line", "retryable", "expired", "said"),
    [
        # OpenAI error file: an HTTP error of the request
        (
            {
                "response": {"status_code": 500, "body": {"error": {"message": "boom  now", "code": None}}},
                "error": None,
            },
            True,
            False,
            "boom now",
        ),
        (
            {"response": {"status_code": 429, "body": {"error": {"message": "slow down"}}}, "error": None},
            True,
            False,
            "slow down",
        ),
        (
            {"response": {"status_code": 400, "body": {"error": {"message": "bad tools"}}}, "error": None},
            False,
            False,
            "bad tools",
        ),
        # OpenAI error file: a request the window closed on
        (
            {"response": None, "error": {"code": "batch_expired", "message": "too late"}},
            True,
            True,
            "too late",
        ),
        # vLLM run-batch: an error as a string, with a 400 response and no body
        (
            {"response": {"status_code": 400, "request_id": "v"}, "error": "prompt too long"},
            False,
            False,
            "prompt too long",
        ),
    ],
)
def test_error_lines(line: dict[str, Any], retryable: bool, expired: bool, said: str) -> None:
    outcome = parse_outcome({"id": "r", "custom_id": "a.0.x", **line})
    assert outcome is not None and not outcome.ok
    assert (outcome.retryable, outcome.expired, outcome.message) == (retryable, expired, said)


def test_a_line_without_custom_id_is_skipped() -> None:
    assert parse_outcome({"id": "r", "response": None}) is None


outcomes = st.builds(
    Outcome,
    custom_id=st.just("a"),
    completion=st.one_of(st.none(), st.just(COMPLETION)),
    status=st.sampled_from([None, 200, 400, 500]),
)


@given(st.lists(outcomes, min_size=1, max_size=6))
def test_an_answer_wins_whatever_the_order(seen: list[Outcome]) -> None:
    kept: Outcome | None = None
    for outcome in seen:
        kept = better(kept, outcome)
    assert kept is not None
    assert kept.ok == any(o.ok for o in seen)
    if not any(o.ok for o in seen):
        assert kept is seen[-1]

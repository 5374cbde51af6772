"""Mode negotiation on its own: order, refusals, settling, and what counts as a refused shape."""

from __future__ import annotations

import pytest

from claims.backends.openai.modes import AUTO_ORDER, ModeNegotiation, is_refusal


def test_auto_walks_the_order_past_refusals_and_keeps_the_first_answered_shape() -> None:
    negotiation = ModeNegotiation("auto")
    assert negotiation.next_mode() == AUTO_ORDER[0] == "tools"
    negotiation.refuse("tools", "HTTP 400: tools not supported")
    assert negotiation.next_mode() == "json_schema"
    negotiation.settle("json_schema")
    negotiation.refuse("json_schema", "late refusal from a request in flight")
    assert negotiation.next_mode() == "json_schema" and negotiation.used == "json_schema"
    assert negotiation.refusals() == "tools: HTTP 400: tools not supported"


def test_every_shape_refused_leaves_no_mode() -> None:
    negotiation = ModeNegotiation("auto")
    for mode in AUTO_ORDER:
        negotiation.refuse(mode, "no")
    assert negotiation.next_mode() is None


def test_a_fixed_mode_is_used_from_the_start() -> None:
    negotiation = ModeNegotiation("md_json")
    assert (negotiation.used, negotiation.next_mode(), negotiation.auto) == ("md_json", "md_json", False)
    with pytest.raises(ValueError, match="unknown mode"):
        ModeNegotiation("guess")


@pytest.mark.parametrize(
    ("status", "said", "refused"),
    [
        (400, "this model does not support tools", True),
        (500, "Input should be 'text' or 'json_object'", True),
        (401, "tools: invalid api key", False),
        (500, "CUDA out of memory", False),
        (429, "response_format rate limited", False),
    ],
)
def test_a_refusal_needs_both_a_refusal_status_and_a_shape_word(
    status: int, said: str, refused: bool
) -> None:
    assert is_refusal(status, said) is refused

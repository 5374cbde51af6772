"""Salvaging a runaway answer: a small model repeating one claim until the token limit.

Splitting the chunk does not help (each half loops again, at full length), so such an answer is
kept: its complete claims, each once (the verifier still checks every quote). An answer cut off
with no claim repeated was simply long, and is split as usual. The last claim of a cut answer is
never trusted: it may have been cut inside a list or a name.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json

from claims.merge import unique_claims
from claims.schema import PROPOSED_CLAIM_ADAPTER, ProposedClaim

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f]")


def runaway_claims(completion: Any) -> list[ProposedClaim] | None:
    """The distinct claims of an answer cut off while repeating itself; None for any other cut."""
    text = answer_text(completion)
    if text is None or "{" not in text:
        return None
    text = text[text.index("{") :].split("```")[0]  # md_json: the JSON inside its fence
    # raw control characters (grammar output, or the cut) as spaces: JSON whitespace outside
    # strings, and inside a quote the verifier counts any whitespace run as one space anyway
    text = CONTROL_CHARACTERS.sub(" ", text)
    try:
        data = from_json(text, allow_partial=True)
    except ValueError:
        return None
    items = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    complete: list[ProposedClaim] = []
    for item in items[:-1]:
        try:
            complete.append(PROPOSED_CLAIM_ADAPTER.validate_python(item))
        except ValidationError:
            continue
    distinct = unique_claims(complete)
    return distinct if len(distinct) < len(complete) else None


def answer_text(completion: Any) -> str | None:
    """The structured part of an answer: the first tool call's arguments, else the content."""
    choices = getattr(completion, "choices", None)
    if not choices:
        return None
    message = getattr(choices[0], "message", None)
    for call in getattr(message, "tool_calls", None) or []:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, str):
            return arguments
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None

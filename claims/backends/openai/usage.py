"""Token accounting: every completion received counts, re-asks and failed answers included."""

from __future__ import annotations

from typing import Any

from claims.backends.protocol import Usage


def add_completion(usage: Usage, response: Any) -> None:
    """Count one completion (a request and its tokens) into `usage`."""
    usage.requests += 1
    counted = getattr(response, "usage", None)
    if counted is not None:
        usage.prompt_tokens += int(getattr(counted, "prompt_tokens", 0) or 0)
        usage.completion_tokens += int(getattr(counted, "completion_tokens", 0) or 0)
        details = getattr(counted, "prompt_tokens_details", None)
        usage.cached_prompt_tokens += int(getattr(details, "cached_tokens", 0) or 0)


def is_empty(response: Any) -> bool:
    """An answer with no content and no tool call (and not cut off)."""
    choices = getattr(response, "choices", None)
    if not choices:
        return True
    choice = choices[0]
    if getattr(choice, "finish_reason", None) == "length":
        return False
    message = getattr(choice, "message", None)
    content = getattr(message, "content", None)
    tool_calls = getattr(message, "tool_calls", None)
    return not (content and content.strip()) and not tool_calls


class Attempts:
    """Per-call accounting, fed by instructor's `completion:response` hook: every completion
    received, including re-asks and answers that fail to parse."""

    def __init__(self, usage: Usage) -> None:
        self.usage = usage
        self.last_empty = False
        self.responses = 0

    def on_response(self, response: Any) -> None:
        self.responses += 1
        add_completion(self.usage, response)
        self.last_empty = is_empty(response)

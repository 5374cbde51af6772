"""Mode negotiation: which request shape (tools, json_schema, json, md_json) a server takes.

No provider is guessed from a model name. With mode `auto` the first shape of `AUTO_ORDER` is
asked; when the server refuses it (an HTTP error whose message names tools, response_format and
the like, see `is_refusal`) the next one is tried, and the first shape the server answers in is
kept for the rest of the run (`mode_used`). A configured mode never falls back.
"""

from __future__ import annotations

import re

FIXED_MODES = ("tools", "json_schema", "json", "md_json")
AUTO_ORDER = FIXED_MODES
"""Mode `auto` tries these in order: a forced tool call is the most widely supported structured
request; md_json needs nothing from the server at all."""
REFUSAL_STATUSES = frozenset({400, 404, 405, 415, 422, 500, 501})
REFUSAL_WORDS = re.compile(
    r"tool|function|response_format|json_schema|json_object|structured output|grammar|not supported"
    r"|unsupported",
    re.IGNORECASE,
)
"""A refused request shape: one of these statuses with one of these words in the server's message
(llama-cpp-python: HTTP 500 "...response_format... Input should be 'text' or 'json_object'";
Ollama: HTTP 400 "... does not support tools"). Anything else is an error, not a refusal."""


def is_refusal(status: int, said: str) -> bool:
    """Whether an HTTP error is the server refusing the request *shape* (not the request)."""
    return status in REFUSAL_STATUSES and bool(REFUSAL_WORDS.search(said))


class ModeNegotiation:
    """The state of one run's negotiation: the configured mode, the shape settled on, refusals."""

    def __init__(self, configured: str) -> None:
        if configured not in (*FIXED_MODES, "auto"):
            raise ValueError(
                f"unknown mode {configured!r}; choose one of {', '.join((*FIXED_MODES, 'auto'))}"
            )
        self.configured = configured
        self.used: str | None = None if configured == "auto" else configured
        self.refused: dict[str, str] = {}
        """Mode `auto`: the shapes the server refused, with its message."""

    @property
    def auto(self) -> bool:
        return self.configured == "auto"

    def next_mode(self) -> str | None:
        """The shape to ask in now; None when every shape was refused."""
        return self.used or next((m for m in AUTO_ORDER if m not in self.refused), None)

    def refuse(self, mode: str, why: str) -> None:
        if self.used is None:  # another request may have settled on a mode meanwhile
            self.refused[mode] = why

    def settle(self, mode: str) -> None:
        """The server answered in `mode`: keep it for the rest of the run."""
        if self.used is None:
            self.used = mode

    def refusals(self) -> str | None:
        return "; ".join(f"{m}: {why}" for m, why in self.refused.items()) or None

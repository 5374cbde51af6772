"""One rate budget (requests and tokens per minute) shared by everything a job sends.

`TokenBucket` is the arithmetic: each request reserves one request and an estimate of its
tokens, and learns how long to wait; the estimate is corrected with the tokens the answer
reports, so an underestimate delays later requests instead of exceeding the limit. A bucket
lives in one place — in-process for the local engine, in one Ray actor for a cluster — and
`BudgetedBackend` asks it before every request. 429s are still honoured by the openai client's
own retries; the budget only keeps them rare. It sits inside the answer cache, so cached
answers cost nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from claims.backends.cache import CachedBackend, is_cacheable
from claims.backends.protocol import Backend, BackendError, Proposal, ProposalRequest
from claims.backends.registry import create_backend
from claims.settings import Settings, resolve_settings

PROMPT_OVERHEAD_TOKENS = 1_500
"""Tokens of our instructions and tool schema around a chunk with the openai default (no
examples): 1,475 (o200k_base) to 1,498 (Qwen2.5) measured by `make bench-tokens` (README "What a
request costs"); an estimate the answer's reported usage corrects."""
CHARS_PER_TOKEN = 3.5


@dataclass(frozen=True)
class RateLimits:
    """Requests and tokens per minute for a whole job; None is unlimited."""

    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    burst_seconds: float = 10.0
    """A bucket holds this many seconds of its rate, so a job's start is not one minute's burst."""

    def __post_init__(self) -> None:
        for value in (self.requests_per_minute, self.tokens_per_minute):
            if value is not None and value <= 0:
                raise ValueError("rate limits must be positive (--requests-per-minute, --tokens-per-minute)")
        if self.burst_seconds <= 0:
            raise ValueError("the burst must be positive")

    @property
    def limited(self) -> bool:
        return self.requests_per_minute is not None or self.tokens_per_minute is not None


def estimate_tokens(request: ProposalRequest) -> int:
    """Tokens a request is expected to cost before it is sent (its answer corrects this)."""
    feedback = sum(len(quote) for quote in request.feedback)
    return PROMPT_OVERHEAD_TOKENS + int((len(request.chunk.text) + feedback) / CHARS_PER_TOKEN)


class TokenBucket:
    """Two continuously refilled buckets; a reservation may drive them below zero (a debt that
    later reservations wait out), so concurrent callers are spaced, never refused."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._rates = (
            (limits.requests_per_minute or 0.0) / 60.0,
            (limits.tokens_per_minute or 0.0) / 60.0,
        )
        self._levels = [rate * limits.burst_seconds for rate in self._rates]
        self._last = clock()

    def _refill(self) -> None:
        now = self.clock()
        elapsed, self._last = now - self._last, now
        for i, rate in enumerate(self._rates):
            self._levels[i] = min(rate * self.limits.burst_seconds, self._levels[i] + rate * elapsed)

    def reserve(self, tokens: int) -> float:
        """Take one request and `tokens`; return the seconds to wait before sending it."""
        self._refill()
        wait = 0.0
        for i, amount in enumerate((1, tokens)):
            rate = self._rates[i]
            if rate == 0.0:
                continue
            self._levels[i] -= amount
            if self._levels[i] < 0:
                wait = max(wait, -self._levels[i] / rate)
        return wait

    def settle(self, tokens: int) -> None:
        """Correct the token level by what a request really cost beyond (or below) its estimate."""
        self._refill()
        if self._rates[1]:
            self._levels[1] -= tokens


class Budget(Protocol):
    """Where a backend asks before sending: in-process or an actor on a cluster."""

    async def acquire(self, tokens: int) -> None: ...

    def settle(self, tokens: int) -> None: ...


class LocalBudget:
    """A bucket in this process (the local engine, or a test)."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.bucket = TokenBucket(limits, clock)

    async def acquire(self, tokens: int) -> None:
        wait = self.bucket.reserve(tokens)
        if wait > 0:
            await asyncio.sleep(wait)

    def settle(self, tokens: int) -> None:
        self.bucket.settle(tokens)


class BudgetedBackend:
    """A backend that asks the budget before each request and reports what the request cost."""

    def __init__(self, backend: Backend, budget: Budget) -> None:
        self.inner = backend
        self.budget = budget
        self.name = backend.name
        self.cacheable = is_cacheable(backend)

    def describe(self) -> dict[str, str | None]:
        return self.inner.describe()

    async def propose(self, request: ProposalRequest) -> Proposal:
        estimate = estimate_tokens(request)
        await self.budget.acquire(estimate)
        try:
            proposal = await self.inner.propose(request)
        except BackendError as error:
            self.budget.settle(error.usage.total_tokens - estimate)
            raise
        self.budget.settle(proposal.usage.total_tokens - estimate)
        return proposal

    async def aclose(self) -> None:
        await self.inner.aclose()


def open_budgeted_backend(
    backend: str | None, budget: Budget | None, **settings: Any
) -> tuple[Backend, Settings]:
    """Like `claims.api.open_backend`, with the budget between the cache and the backend."""
    resolved = resolve_settings(backend=backend, **settings)
    created: Backend = create_backend(resolved)
    ran_with = getattr(created, "settings", None)
    effective = ran_with if isinstance(ran_with, Settings) else resolved  # what the backend runs with
    cacheable = is_cacheable(created)
    if budget is not None:
        created = BudgetedBackend(created, budget)
    if resolved.use_cache and cacheable:
        return CachedBackend(created, resolved.cache_dir), effective
    return created, effective

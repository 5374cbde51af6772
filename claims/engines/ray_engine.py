"""`--engine ray`: the shards of a job run in Ray actors, each building its backend client once.

Each worker asks Ray for `cpus_per_worker` CPUs (default 1) and workers are spread over the
cluster's nodes (`SPREAD`), so more nodes mean more workers in parallel, not more on one node.
Ray does the scheduling and the fault tolerance: actors are restarted (`max_restarts`) and the
shard they were running is retried (`max_task_retries`); `process_shard` resumes a shard from
its own files, so a retry finishes the documents that were missing and never writes one twice.
A shard that fails for good (its input vanished, its actor keeps dying) is reported, and
`--resume` runs it again. One `RateBudgetActor` holds the job's token bucket for every actor.

Workers resolve their settings (API key included) from their own environment: the driver
sends flags only, so no secret travels through Ray's object store or logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ray
from ray.exceptions import RayActorError, RayError, RayTaskError

from claims.backends.protocol import Backend
from claims.engines.budget import LocalBudget, RateLimits, open_budgeted_backend
from claims.engines.shards import DEFAULT_SHARD_SIZE, Shard, ShardStore
from claims.engines.worker import process_shard
from claims.inputs.documents import LoadOptions
from claims.run.options import ExtractOptions


@dataclass(frozen=True)
class RayOptions:
    """How the job runs on Ray (everything else is the run's `ExtractOptions`)."""

    address: str | None = None
    """A running cluster (`ray start --head` prints it); None starts a local one for this job."""
    workers: int = 2
    shard_size: int = DEFAULT_SHARD_SIZE
    limits: RateLimits = field(default_factory=RateLimits)
    max_restarts: int = 3
    max_task_retries: int = 3
    cpus_per_worker: float = 1.0
    """CPUs Ray reserves for each worker (`--worker-cpus`; 0 reserves none, as before)."""

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("at least one worker is needed (--workers)")
        if self.cpus_per_worker < 0:
            raise ValueError("--worker-cpus cannot be negative")
        if self.shard_size < 1:
            raise ValueError("shard size must be at least 1 (--shard-size)")


@dataclass
class ShardFailure:
    """A shard that did not finish: which, where its documents are, and why (one line)."""

    shard: int
    where: str
    error: str


@dataclass
class RayJob:
    """What the job did: done summaries of the shards that finished, and the ones that did not."""

    finished: list[dict[str, Any]] = field(default_factory=list)
    failures: list[ShardFailure] = field(default_factory=list)
    partial: int = 0
    """Documents an earlier run finished in shards it left partial."""
    earlier: list[dict[str, Any]] = field(default_factory=list)
    """Done summaries of the shards an earlier run finished."""
    backend: dict[str, Any] = field(default_factory=dict)
    """The workers' backend: its `name` and `describe()` (for the manifest; no secret by contract)."""

    @property
    def skipped(self) -> int:
        return len(self.earlier)

    @property
    def resumed_documents(self) -> int:
        """Documents earlier runs finished: whole shards, and the finished part of partial ones."""
        whole = sum(int(summary.get("documents", 0)) for summary in self.earlier)
        return whole + self.partial


class RateBudgetActor:
    """The job's one token bucket; actors ask it how long to wait before each request."""

    def __init__(self, limits: RateLimits) -> None:
        self.budget = LocalBudget(limits)

    def reserve(self, tokens: int) -> float:
        return self.budget.bucket.reserve(tokens)

    def settle(self, tokens: int) -> None:
        self.budget.bucket.settle(tokens)


class RayBudget:
    """The `Budget` of a worker: asks the budget actor, then sleeps here."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    async def acquire(self, tokens: int) -> None:
        wait = float(await self.actor.reserve.remote(tokens))
        if wait > 0:
            await asyncio.sleep(wait)

    def settle(self, tokens: int) -> None:
        self.actor.settle.remote(tokens)


class ShardWorker:
    """A Ray actor (async: its event loop keeps the backend's connections) running shards."""

    def __init__(
        self,
        backend_name: str | None,
        settings: dict[str, Any],
        options: ExtractOptions,
        root: str,
        published: str | None,
        budget_name: str | None,
        load_options: LoadOptions | None = None,
    ) -> None:
        # The budget actor goes by name: a handle among the arguments would put them in the object
        # store, where an actor restart could no longer find them (ray-project/ray#53727).
        budget = RayBudget(ray.get_actor(budget_name)) if budget_name is not None else None
        self.backend: Backend = open_budgeted_backend(backend_name, budget, **settings)[0]
        self.options = options
        self.store = ShardStore(Path(root))
        self.published = published
        self.load_options = load_options

    def describe(self) -> dict[str, Any]:
        return {"name": self.backend.name, "described": self.backend.describe()}

    async def run(self, shard: Shard) -> dict[str, Any]:
        return await process_shard(
            shard, self.store, self.backend, self.options, self.published, self.load_options
        )

    async def close(self) -> None:
        await self.backend.aclose()


def run_shards(
    shards: Sequence[Shard],
    store: ShardStore,
    *,
    backend_name: str | None,
    settings: dict[str, Any],
    options: ExtractOptions,
    ray_options: RayOptions,
    published: str | None = None,
    load_options: LoadOptions | None = None,
) -> RayJob:
    """Run every shard not yet done on Ray, at most one per worker at a time; wait for all."""
    job = RayJob()
    todo = [shard for shard in shards if not store.is_done(shard)]
    job.earlier = [store.done_summary(shard) for shard in shards if store.is_done(shard)]
    job.partial = sum(store.finished_documents(shard) for shard in todo)
    if not todo:
        job.backend = store.load_backend()
        return job
    started_here = not ray.is_initialized()
    if started_here:
        _init(ray_options)
    actors: list[Any] = []
    budget: Any = None
    budget_name = f"claims-budget-{uuid.uuid4().hex}" if ray_options.limits.limited else None
    try:
        if budget_name is not None:
            # one budget for the job: restarted whenever it dies (its bucket refills from full)
            budget = (
                ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=-1)(RateBudgetActor)
                .options(name=budget_name)
                .remote(ray_options.limits)
            )
        worker_class = ray.remote(
            num_cpus=ray_options.cpus_per_worker,
            scheduling_strategy="SPREAD",
            max_restarts=ray_options.max_restarts,
            max_task_retries=ray_options.max_task_retries,
        )(ShardWorker)
        root = str(store.root.resolve())
        actors = [
            worker_class.remote(backend_name, settings, options, root, published, budget_name, load_options)
            for _ in range(_worker_count(ray_options, len(todo)))
        ]
        try:
            job.backend = ray.get(actors[0].describe.remote())
        except RayError as error:
            job.failures.extend(
                ShardFailure(s.index, s.describe(), _one_line(error, "worker failed")) for s in todo
            )
            return job
        store.save_backend(job.backend)
        _schedule(todo, actors, job)
    finally:
        for actor in actors:
            with contextlib.suppress(RayError, TimeoutError):
                ray.get(actor.close.remote(), timeout=30)
            ray.kill(actor)
        if budget is not None:
            ray.kill(budget)
        if started_here:
            ray.shutdown()
    job.failures.sort(key=lambda failure: failure.shard)
    return job


def _init(ray_options: RayOptions) -> None:
    if ray_options.address:
        ray.init(address=ray_options.address, logging_level=logging.WARNING, log_to_driver=False)
    else:  # a cluster for this job: room for every worker's CPUs
        wanted = math.ceil(ray_options.workers * ray_options.cpus_per_worker)
        cpus = max(1, wanted or min(ray_options.workers, os.cpu_count() or 1))
        ray.init(num_cpus=cpus, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)


def _worker_count(ray_options: RayOptions, shards: int) -> int:
    """Workers to start: no more than shards, nor than the cluster has CPUs for (a worker that
    cannot be placed would hold its shard forever)."""
    count = min(ray_options.workers, shards)
    if ray_options.cpus_per_worker > 0:
        room = int(ray.cluster_resources().get("CPU", 0) // ray_options.cpus_per_worker)
        count = min(count, max(1, room))
    return count


def _schedule(todo: list[Shard], actors: list[Any], job: RayJob) -> None:
    """Keep every live actor busy with one shard; a dead actor's shard fails, the others go on."""
    queue = list(reversed(todo))
    idle = list(actors)
    running: dict[Any, tuple[Any, Shard]] = {}
    while queue or running:
        while queue and idle:
            actor, shard = idle.pop(), queue.pop()
            running[actor.run.remote(shard)] = (actor, shard)
        if not running:  # every actor is gone: the rest cannot run
            for shard in reversed(queue):
                job.failures.append(
                    ShardFailure(shard.index, shard.describe(), "no live worker left to run it")
                )
            return
        ready, _ = ray.wait(list(running), num_returns=1)
        actor, shard = running.pop(ready[0])
        try:
            job.finished.append(ray.get(ready[0]))
            idle.append(actor)
        except RayActorError as error:
            job.failures.append(ShardFailure(shard.index, shard.describe(), _one_line(error, "worker died")))
        except RayTaskError as error:
            cause = error.cause if error.cause is not None else error
            job.failures.append(
                ShardFailure(shard.index, shard.describe(), _one_line(cause, type(cause).__name__))
            )
            idle.append(actor)


def _one_line(error: BaseException, fallback: str) -> str:
    text = " ".join(str(error).split())
    name = type(error).__name__
    return f"{name}: {text[:300]}" if text else fallback

"""`claims extract --engine ray`: the flags of the engines, and the run of a job on Ray.

The local engine stays in extract_cmd; this module only adds the flags and, for `--engine ray`,
plans shards, runs them on Ray (`claims.engines.ray_engine`, the optional extra `claims[ray]`),
combines their outputs into the usual files (and, with `--db`, into the database) and writes the
manifest and the summary.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from claims.cli.common import CliError, open_database, warn
from claims.cli.summary import format_summary
from claims.engines.budget import RateLimits
from claims.engines.combine import combine_shards
from claims.engines.shards import DEFAULT_SHARD_SIZE, Shard, ShardStore, plan_shards
from claims.inputs.documents import InputError, LoadOptions
from claims.inputs.fetch import is_url
from claims.run.driver import new_run_id
from claims.run.manifest import Manifest, write_manifest
from claims.run.options import ExtractOptions
from claims.run.paths import OutputPaths
from claims.run.sinks import RunInfo
from claims.settings import Settings

if TYPE_CHECKING:  # the database loads only for --db
    from claims.db import Database

ENGINES = ("local", "ray")
MAX_FAILURE_LINES = 20


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("engine")
    group.add_argument("--engine", choices=ENGINES, default="local", help="local (asyncio, default) or ray")
    group.add_argument("--ray-address", help="a running Ray cluster (default: start a local one)")
    group.add_argument("--workers", type=int, default=2, help="ray: shard workers (actors)")
    group.add_argument(
        "--worker-cpus",
        type=float,
        default=1.0,
        help="ray: CPUs reserved per worker (default 1; workers are spread over the nodes)",
    )
    group.add_argument(
        "--shard-size", type=int, default=DEFAULT_SHARD_SIZE, help="ray: documents (JSONL lines) per shard"
    )
    group.add_argument("--requests-per-minute", type=float, help="one request budget for the whole job")
    group.add_argument("--tokens-per-minute", type=float, help="one token budget for the whole job")


def rate_limits(args: argparse.Namespace) -> RateLimits:
    try:
        return RateLimits(args.requests_per_minute, args.tokens_per_minute)
    except ValueError as error:
        raise CliError(str(error)) from None


def run_ray(
    args: argparse.Namespace,
    settings: Settings,
    flags: dict[str, Any],
    options: ExtractOptions,
    paths: OutputPaths,
    load_options: LoadOptions | None = None,
) -> int:
    """Plan, run, combine; exit 1 when a document or a shard failed, or a document is partial
    (the files name them)."""
    if args.urls or any(is_url(path) for path in args.paths):
        raise CliError(
            "--engine ray reads files and folders only, not URLs or --urls: "
            "fetch web pages with the local engine (no --engine), or save them as files first"
        )
    try:
        from claims.engines.ray_engine import RayOptions, run_shards
    except ModuleNotFoundError as error:
        raise CliError(
            f"--engine ray needs Ray ({error.name} is missing): pip install 'claims[ray]'"
        ) from None
    if paths.claims is None:
        raise CliError("--engine ray keeps shard files beside its output: pass -o OUT.jsonl")
    try:
        ray_options = RayOptions(
            address=args.ray_address,
            workers=args.workers,
            shard_size=args.shard_size,
            limits=rate_limits(args),
            cpus_per_worker=args.worker_cpus,
        )
        shards = plan_shards(args.paths or ["-"], ray_options.shard_size)
    except (ValueError, InputError) as error:
        raise CliError(str(error)) from None
    store = ShardStore.beside(paths.claims)
    if args.resume:
        try:
            store.check_plan(shards)
        except InputError as error:
            raise CliError(str(error)) from None
        store.reopen_unfinished(shards)  # failed or partial documents are retried, as locally
    else:
        store.reset()
    store.save_plan(shards)
    database = open_database(args.db)  # a wrong --db fails before any shard runs
    try:
        started = time.perf_counter()
        started_at = datetime.now(UTC)
        job = run_shards(
            shards,
            store,
            backend_name=args.backend,
            settings=flags,
            options=options,
            ray_options=ray_options,
            published=args.published,
            load_options=load_options,
        )
        combined = combine_shards(shards, store, paths)
        resumed = job.resumed_documents
        combined.stats.resumed = resumed  # the manifest's totals count what earlier runs finished
        described = job.backend.get("described") or {}
        run_id = new_run_id(started_at)
        backend_name = str(job.backend.get("name") or settings.backend)
        run_manifest = Manifest.of_run(
            run_id=run_id,
            backend=backend_name,
            described=described,
            settings=settings.public(),
            options=options,
            stats=combined.stats,
            started_at=started_at.isoformat(timespec="seconds"),
            wall_seconds=time.perf_counter() - started,
            engine={
                "name": "ray",
                "workers": ray_options.workers,
                "shard_size": ray_options.shard_size,
                "cpus_per_worker": ray_options.cpus_per_worker,
                "shards": len(shards),
                "shards_resumed": job.skipped,
                "shards_failed": [vars(failure) for failure in job.failures],
                "rate_limits": dataclasses.asdict(ray_options.limits),
                "shard_folder": str(store.root),
            },
        )
        if database is not None:
            _write_database(args, database, shards, store, run_manifest, described, options, resumed)
    finally:
        if database is not None:
            database.close()
    if paths.manifest is not None:
        write_manifest(paths.manifest, run_manifest)
    failed = 0
    for record in combined.records:
        if not record["ok"]:
            failed += 1
            if failed <= MAX_FAILURE_LINES:
                warn(f"{record['doc_id']}: {record.get('error')} (see the errors file)")
    for failure in job.failures:
        warn(f"shard {failure.shard} ({failure.where}) did not finish: {failure.error}; fix it and --resume")
    print(format_summary(combined.records, combined.stats, resumed=resumed), file=sys.stderr)
    if combined.stats.partial:
        warn(
            f"{combined.stats.partial} documents are partial (a chunk failed, the rest was kept); "
            "run again with --resume to retry only the failed chunks"
        )
    return 1 if combined.stats.failed or combined.stats.partial or job.failures else 0


def _write_database(
    args: argparse.Namespace,
    database: Database,
    shards: list[Shard],
    store: ShardStore,
    manifest: Manifest,
    described: dict[str, Any],
    options: ExtractOptions,
    resumed: int,
) -> None:
    """The combined job into `--db`, as one run (joining the earlier run's series on --resume)."""
    from claims.db import DatabaseError
    from claims.engines.database import write_database

    run = RunInfo(
        run_id=manifest.run_id,
        backend=manifest.backend,
        described=described,
        options=options,
        settings=manifest.settings,
        started_at=manifest.started_at,
        resumed=resumed,
    )
    try:
        written = write_database(database, shards, store, run, manifest, resume=args.resume)
    except DatabaseError as error:
        raise CliError(f"{error}; the files are complete: --resume writes the rest into --db") from None
    if written.conflicts:
        warn(f"{written.conflicts} documents are in --db with another text: see their error records there")

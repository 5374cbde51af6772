"""`claims extract`: documents in, verified claims out (JSONL), with rejected claims, error
records, a run manifest and a summary table. A thin layer over the library and the core."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from claims.api import open_backend
from claims.backends.protocol import Backend
from claims.cli.common import CliError, warn
from claims.cli.engine_run import add_engine_arguments, rate_limits, run_ray
from claims.cli.progress import Progress
from claims.cli.summary import format_summary
from claims.engines.budget import LocalBudget, open_budgeted_backend
from claims.inputs.documents import Document, DocumentError, InputError, load_documents
from claims.run.manifest import RunStats, build_manifest, write_manifest
from claims.run.pipeline import ExtractOptions, extract_stream
from claims.run.sinks import DocumentSink, OutputPaths, prepare_resume
from claims.schema import ErrorRecord
from claims.settings import BACKEND_NAMES, MODES, ConfigError, Settings, resolve_settings

MAX_FAILURE_LINES = 20
NO_ENDPOINT = (
    "no LLM endpoint configured (OPENAI_API_KEY / OPENAI_BASE_URL); using the offline rules backend. "
    "Use --backend openai --base-url URL --model NAME for an LLM."
)


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "extract",
        help="extract verified claims from documents with an LLM or the offline rules",
        description=(
            "Read .txt files, folders of them (with an optional documents.jsonl of dates beside) or a "
            "documents JSONL, and write one verified claim per line. With -o FILE, rejected claims, "
            "error records, the manifest and a progress file go beside it unless given."
        ),
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, or - for stdin (default)")
    out = parser.add_argument_group("output")
    out.add_argument("-o", "--output", help="verified claims, JSONL (default: stdout)")
    out.add_argument("--rejected", help="rejected claims with their reasons, JSONL")
    out.add_argument("--errors", help="one error record per failed document, JSONL")
    out.add_argument("--manifest", help="the run manifest, JSON")
    out.add_argument("--resume", action="store_true", help="skip documents an earlier run of -o finished")
    out.add_argument("--published", help="publication date for documents without one (YYYY[-MM[-DD]])")
    model = parser.add_argument_group("backend (flag, then environment, then default)")
    model.add_argument(
        "--backend", choices=BACKEND_NAMES, help="default: openai with an endpoint set, else rules"
    )
    model.add_argument("--base-url", help="OpenAI-compatible endpoint (OPENAI_BASE_URL)")
    model.add_argument("--model", help="model name (CLAIMS_MODEL)")
    model.add_argument(
        "--mode", choices=MODES, help="structured-output mode (CLAIMS_MODE, default tools; local: auto)"
    )
    model.add_argument("--temperature", type=float, help="(CLAIMS_TEMPERATURE, default 0)")
    model.add_argument("--max-tokens", type=int, help="answer token limit (CLAIMS_MAX_TOKENS, default 4096)")
    model.add_argument("--timeout", type=float, help="seconds per HTTP request (CLAIMS_TIMEOUT, default 120)")
    model.add_argument("--max-retries", type=int, help="HTTP retries (CLAIMS_MAX_RETRIES, default 2)")
    model.add_argument(
        "--schema-retries",
        type=int,
        help="re-asks after a schema-invalid answer (CLAIMS_SCHEMA_RETRIES, default 1)",
    )
    model.add_argument(
        "--system-in-user",
        action="store_true",
        default=None,
        help="send the instructions in the user message, for chat templates that drop system messages "
        "(CLAIMS_SYSTEM_IN_USER)",
    )
    model.add_argument("--cache-dir", help="answer cache folder (CLAIMS_CACHE_DIR, default ~/.cache/claims)")
    model.add_argument("--no-cache", action="store_true", help="neither read nor write the answer cache")
    run = parser.add_argument_group("run")
    defaults = ExtractOptions()
    run.add_argument("--concurrency", type=int, default=defaults.concurrency, help="requests in flight")
    run.add_argument("--chunk-chars", type=int, default=defaults.chunk_chars, help="longest chunk")
    run.add_argument("--chunk-overlap", type=int, default=defaults.chunk_overlap, help="chunk overlap")
    run.add_argument("--reask", type=int, default=defaults.reask, help="re-asks for ungrounded quotes")
    run.add_argument("--strict", action="store_true", help="reject claims with actors not near the quote")
    add_engine_arguments(parser)
    parser.set_defaults(func=run_command)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "base_url": args.base_url,
        "model": args.model,
        "mode": args.mode,
        "temperature": args.temperature,
        "max_tokens": args.max_tokens,
        "timeout": args.timeout,
        "max_retries": args.max_retries,
        "schema_retries": args.schema_retries,
        "system_in_user": args.system_in_user,
        "cache_dir": args.cache_dir,
        "use_cache": False if args.no_cache else None,
    }


def run_command(args: argparse.Namespace) -> int:
    try:
        options = ExtractOptions(
            chunk_chars=args.chunk_chars,
            chunk_overlap=args.chunk_overlap,
            concurrency=args.concurrency,
            strict=args.strict,
            reask=args.reask,
        )
    except ValueError as error:
        raise CliError(str(error)) from None
    for path in args.paths:
        if path != "-" and not Path(path).exists():
            raise CliError(f"{path}: no such file or folder; give a .txt file, a folder or a documents JSONL")
    paths = OutputPaths.beside(args.output, args.rejected, args.errors, args.manifest)
    if args.resume and paths.progress is None:
        raise CliError("--resume needs the output file of the earlier run: pass -o OUT.jsonl")
    if args.engine == "ray":
        return _dispatch_ray(args, options, paths)
    try:
        backend, settings = _open_backend(args)
    except ConfigError as error:
        raise CliError(str(error)) from None
    except (OSError, sqlite3.Error) as error:
        raise CliError(
            f"cannot open the cache ({type(error).__name__}); use a writable --cache-dir or --no-cache"
        ) from None
    except ModuleNotFoundError as error:
        raise CliError(
            f"backend {args.backend or 'rules'!r} is not available here ({error.name} is missing); "
            "choose another with --backend"
        ) from None
    if settings is not None and settings.backend_reason == "default":
        warn(NO_ENDPOINT)
    return asyncio.run(_run(args, backend, settings, options, paths))


def _open_backend(args: argparse.Namespace) -> tuple[Backend, Settings | None]:
    """The run's backend; with a rate limit, the job's one budget sits inside the answer cache."""
    limits = rate_limits(args)
    if limits.limited:
        return open_budgeted_backend(args.backend, LocalBudget(limits), **_settings(args))
    return open_backend(args.backend, **_settings(args))


def _dispatch_ray(args: argparse.Namespace, options: ExtractOptions, paths: OutputPaths) -> int:
    """`--engine ray`: settings are checked here; the workers open the backend themselves."""
    try:
        settings = resolve_settings(backend=args.backend, **_settings(args))
    except ConfigError as error:
        raise CliError(str(error)) from None
    if settings.backend_reason == "default":
        warn(NO_ENDPOINT)
    return run_ray(args, settings, _settings(args), options, paths)


async def _run(
    args: argparse.Namespace,
    backend: Backend,
    settings: Settings | None,
    options: ExtractOptions,
    paths: OutputPaths,
) -> int:
    started = time.perf_counter()
    stats = RunStats()
    done = prepare_resume(paths) if args.resume else {}
    for record in done.values():
        stats.add(record)
    records: list[dict[str, Any]] = []
    progress = Progress()
    try:
        items = _skip_done(load_documents(args.paths or ["-"], published=args.published), done)
        with DocumentSink(paths, append=args.resume) as sink:
            async for result in extract_stream(items, backend, options):
                record = sink.write(result)
                records.append(record)
                stats.add(record)
                progress.update(len(result.claims), not result.ok)
                if result.error is not None:
                    _report_failure(result.error, stats.failed)
    except InputError as error:
        raise CliError(str(error)) from None
    finally:
        progress.close()
        await backend.aclose()
    manifest = build_manifest(
        backend_name=backend.name,
        described=backend.describe(),
        stats=stats,
        options=options,
        wall_seconds=time.perf_counter() - started,
        settings=settings.public() if settings else None,
        resumed_documents=len(done),
    )
    if paths.manifest is not None:
        write_manifest(paths.manifest, manifest)
    print(format_summary(records, stats, resumed=len(done)), file=sys.stderr)
    if paths.rejected is None and stats.rejected:
        warn(f"{stats.rejected} rejected claims were not written; pass --rejected FILE (or -o FILE)")
    return 1 if stats.failed else 0


def _report_failure(error: ErrorRecord, failed_so_far: int) -> None:
    """One line on stderr per failed document (the first MAX_FAILURE_LINES; all are in the file)."""
    if failed_so_far <= MAX_FAILURE_LINES:
        where = "" if error.message.startswith(error.source or "\0") else f"{error.doc_id}: "
        warn(where + error.message)
    if failed_so_far == MAX_FAILURE_LINES + 1:
        warn("more documents failed: see the errors file")


def _skip_done(
    items: Iterable[Document | DocumentError], done: dict[str, dict[str, Any]]
) -> Iterator[Document | DocumentError]:
    for item in items:
        if isinstance(item, Document) and item.id in done:
            continue
        yield item

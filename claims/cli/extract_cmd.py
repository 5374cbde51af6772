"""`claims extract`: documents in, verified claims out (JSONL), with rejected claims, error
records, a run manifest and a summary table. A thin layer over the library and the core."""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claims.api import open_backend
from claims.backends.protocol import Backend
from claims.backends.registry import request_prefix_chars
from claims.cli.common import CliError, is_database_error, open_database, warn
from claims.cli.engine_run import add_engine_arguments, rate_limits, run_ray
from claims.cli.progress import Progress
from claims.cli.summary import format_summary
from claims.engines.budget import LocalBudget, open_budgeted_backend
from claims.inputs.count import count_documents
from claims.inputs.documents import (
    INPUT_KINDS,
    Document,
    DocumentError,
    InputError,
    LoadOptions,
    load_documents,
    read_url_list,
)
from claims.inputs.encoding import codec_name
from claims.inputs.fetch import FetchOptions, is_url
from claims.inputs.parquet import is_remote
from claims.run.driver import RunDriver
from claims.run.estimate import estimate_requests, format_estimate
from claims.run.manifest import progress_record
from claims.run.options import ExtractOptions
from claims.run.paths import OutputPaths
from claims.run.resume import ResumeState, prepare_resume
from claims.run.sinks import JsonlSink, Sink
from claims.schema import ErrorRecord
from claims.settings import (
    BACKEND_NAMES,
    MODES,
    REQUEST_SCHEMAS,
    SERVICE_TIERS,
    ConfigError,
    Settings,
    resolve_settings,
)

if TYPE_CHECKING:  # the database (SQLAlchemy, events) loads only for --db: ~0.7 s of start-up
    from claims.db import Database
    from claims.db.sink import DatabaseSink

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
            "Read .txt, .html and .pdf files, folders of them (with an optional documents.jsonl of dates "
            "beside), documents JSONL or Parquet (also s3://, gs://, file://) or web pages (URLs), and "
            "write one verified claim per line. With "
            "-o FILE, rejected claims, error records, the documents' text, the manifest and a progress "
            "file go beside it unless given."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files, folders, http(s) URLs, or - for stdin (default)"
    )
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument(
        "--urls", action="append", default=[], metavar="FILE", help="a file of URLs to fetch, one per line"
    )
    inputs.add_argument("--encoding", help="decode text and HTML files with this encoding (default: detect)")
    fetch_defaults = FetchOptions()
    inputs.add_argument(
        "--fetch-timeout", type=float, default=fetch_defaults.timeout, help="seconds per page (default 30)"
    )
    inputs.add_argument(
        "--fetch-max-bytes", type=int, default=fetch_defaults.max_bytes, help="largest page (default 20 MB)"
    )
    inputs.add_argument(
        "--fetch-concurrency", type=int, default=fetch_defaults.concurrency, help="pages fetched at once"
    )
    inputs.add_argument(
        "--fetch-delay",
        type=float,
        default=fetch_defaults.per_host_delay,
        help="seconds between requests to one host (default 1)",
    )
    out = parser.add_argument_group("output")
    out.add_argument("-o", "--output", help="verified claims, JSONL (default: stdout)")
    out.add_argument("--rejected", help="rejected claims with their reasons, JSONL")
    out.add_argument("--errors", help="one error record per failed document, JSONL")
    out.add_argument("--manifest", help="the run manifest, JSON")
    out.add_argument("--documents", help="the text every span indexes, as documents JSONL")
    out.add_argument(
        "--db",
        metavar="PATH|URL",
        help="also write each finished document to a claims database (SQLite file or postgresql://…)",
    )
    out.add_argument(
        "--resume", action="store_true", help="skip documents an earlier run of -o (or of --db) finished"
    )
    out.add_argument("--published", help="publication date for documents without one (YYYY[-MM[-DD]])")
    model = parser.add_argument_group(
        "backend (flag, then environment, then the backend's default, then default)"
    )
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
    model.add_argument(
        "--timeout", type=float, help="seconds per HTTP request (CLAIMS_TIMEOUT, default 120; local: 1800)"
    )
    model.add_argument(
        "--max-retries", type=int, help="HTTP retries (CLAIMS_MAX_RETRIES, default 2; local: 0)"
    )
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
    model.add_argument(
        "--service-tier",
        choices=SERVICE_TIERS,
        help="OpenAI's service tier, passed through (CLAIMS_SERVICE_TIER); flex: batch price, synchronous, "
        "slower (raise --timeout)",
    )
    model.add_argument(
        "--examples",
        type=int,
        metavar="N",
        help="few-shot examples in the prompt (CLAIMS_EXAMPLES; default 0, local: all 5)",
    )
    model.add_argument(
        "--request-schema",
        choices=REQUEST_SCHEMAS,
        help="the JSON Schema sent with each request (CLAIMS_REQUEST_SCHEMA; default lean: structure only; "
        "local: full, which llama.cpp decodes by)",
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
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="ask no model and write nothing: print the requests and an estimate of the prompt tokens "
        "this run would send (needs no key: with --model and no endpoint it prices the openai backend). "
        "URLs among the inputs are still fetched, to count their text",
    )
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
        "service_tier": args.service_tier,
        "examples": args.examples,
        "request_schema": args.request_schema,
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
        if path != "-" and not is_url(path) and not is_remote(path) and not Path(path).exists():
            raise CliError(f"{path}: no such file or folder; give {INPUT_KINDS}")
    load_options = _load_options(args)
    paths = OutputPaths.beside(args.output, args.rejected, args.errors, args.manifest, args.documents)
    if args.dry_run:
        return _dry_run(args, options, load_options)
    if args.resume and paths.progress is None and not args.db:
        raise CliError("--resume needs the output of the earlier run: pass -o OUT.jsonl or --db FILE")
    if args.engine == "ray":
        return _dispatch_ray(args, options, paths, load_options)
    database = open_database(args.db)
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
    try:
        return asyncio.run(_run(args, backend, settings, options, paths, load_options, database))
    finally:
        if database is not None:
            database.close()


def _load_options(args: argparse.Namespace) -> LoadOptions:
    try:
        encoding = codec_name(args.encoding) if args.encoding else None
        fetch = FetchOptions(
            timeout=args.fetch_timeout,
            max_bytes=args.fetch_max_bytes,
            concurrency=args.fetch_concurrency,
            per_host_delay=args.fetch_delay,
        )
    except ValueError as error:
        raise CliError(str(error)) from None
    return LoadOptions(encoding=encoding, fetch=fetch)


def _dry_run(args: argparse.Namespace, options: ExtractOptions, load_options: LoadOptions) -> int:
    """The requests and prompt tokens of this run, without building a backend or asking anything."""
    try:
        settings = resolve_settings(backend=args.backend, need_endpoint=False, **_settings(args))
        priced_without_endpoint = settings.backend_reason == "default" and settings.model is not None
        if priced_without_endpoint:  # a model named, no key yet: price the model, not the rules
            settings = resolve_settings(backend="openai", need_endpoint=False, **_settings(args))
        prefix = request_prefix_chars(settings)
    except ConfigError as error:
        raise CliError(str(error)) from None
    try:
        estimate = estimate_requests(_inputs(args, load_options, ResumeState()), options, prefix)
    except InputError as error:
        raise CliError(str(error)) from None
    print(f"backend: {settings.backend}" + (f", model {settings.model}" if settings.model else ""))
    if priced_without_endpoint:
        print(
            "(no endpoint configured: priced for the openai backend, since a model is named; "
            "set OPENAI_API_KEY or pass --base-url to run it)"
        )
    print(format_estimate(estimate))
    return 0


def _inputs(
    args: argparse.Namespace, options: LoadOptions, done: ResumeState
) -> Iterator[Document | DocumentError]:
    """Paths and URLs, then the URLs of every --urls file; URLs an earlier run finished are not fetched."""
    urls = [pair for path in args.urls for pair in read_url_list(Path(path))]
    paths = args.paths or ([] if args.urls else ["-"])
    return load_documents(
        paths, published=args.published, options=options, urls=urls, skip_urls=done.finished
    )


def _resume_state(
    args: argparse.Namespace, paths: OutputPaths, backend: Backend, db_sink: DatabaseSink | None
) -> ResumeState:
    """What to skip: what the earlier run finished in its files and, with --db, in the database
    (with both, a document must be finished in both)."""
    if not args.resume:
        return ResumeState()
    from_files = prepare_resume(paths) if paths.progress is not None else None
    if db_sink is None:
        assert from_files is not None
        return from_files
    in_db = db_sink.resume_state(backend.name, backend.describe())
    if from_files is None:
        return ResumeState(finished=in_db)
    from_files.finished = {doc_id: r for doc_id, r in from_files.finished.items() if doc_id in in_db}
    return from_files


def _open_backend(args: argparse.Namespace) -> tuple[Backend, Settings | None]:
    """The run's backend; with a rate limit, the job's one budget sits inside the answer cache."""
    limits = rate_limits(args)
    if limits.limited:
        return open_budgeted_backend(args.backend, LocalBudget(limits), **_settings(args))
    return open_backend(args.backend, **_settings(args))


def _dispatch_ray(
    args: argparse.Namespace, options: ExtractOptions, paths: OutputPaths, load_options: LoadOptions
) -> int:
    """`--engine ray`: settings are checked here; the workers open the backend themselves."""
    try:
        settings = resolve_settings(backend=args.backend, **_settings(args))
    except ConfigError as error:
        raise CliError(str(error)) from None
    if settings.backend_reason == "default":
        warn(NO_ENDPOINT)
    return run_ray(args, settings, _settings(args), options, paths, load_options)


async def _run(
    args: argparse.Namespace,
    backend: Backend,
    settings: Settings | None,
    options: ExtractOptions,
    paths: OutputPaths,
    load_options: LoadOptions,
    database: Database | None = None,
) -> int:
    inputs = args.paths or ["-"]
    db_sink = None
    if database is not None:
        from claims.db.sink import DatabaseSink

        db_sink = DatabaseSink(database, resume=args.resume)
    done = _resume_state(args, paths, backend, db_sink)
    counted = None if args.urls else count_documents(inputs)
    total = None if counted is None else max(0, counted - len(done.finished))
    records: list[dict[str, Any]] = []
    progress = Progress()
    reported = 0
    try:
        items = _inputs(args, load_options, done)
        quiet = db_sink is not None and not args.output  # --db alone: claims go to the database only
        with (
            open(os.devnull, "w", encoding="utf-8") as discard,
            JsonlSink(paths, append=args.resume, stdout=discard if quiet else None) as sink,
        ):
            # the database before the files: what the progress file calls finished is in the database,
            # so --resume (finished in both) never redoes a document whose lines the files keep
            sinks: tuple[Sink, ...] = (sink, progress) if db_sink is None else (db_sink, sink, progress)
            driver = RunDriver(
                items,
                backend,
                options,
                sinks,
                settings=settings.public() if settings else None,
                done=done,
                total=total,
            )
            async for result in driver:
                records.append(progress_record(result))
                for error in result.errors:
                    reported += 1
                    _report_failure(progress, error, reported)
    except InputError as error:
        raise CliError(str(error)) from None
    except Exception as error:
        if database is not None and is_database_error(error):
            raise CliError(str(error)) from None
        raise
    finally:
        progress.close()
        await backend.aclose()
    stats = driver.stats
    print(format_summary(records, stats, resumed=stats.resumed), file=sys.stderr)
    if paths.rejected is None and stats.rejected:
        warn(f"{stats.rejected} rejected claims were not written; pass --rejected FILE (or -o FILE)")
    if stats.partial:
        warn(
            f"{stats.partial} documents are partial (a chunk failed, the rest was kept); "
            "run again with --resume to retry only the failed chunks"
        )
    return 1 if stats.failed or stats.partial else 0


def _report_failure(progress: Progress, error: ErrorRecord, reported: int) -> None:
    """One line on stderr per error record (the first MAX_FAILURE_LINES; all are in the file)."""
    if reported <= MAX_FAILURE_LINES:
        where = "" if error.message.startswith(error.source or "\0") else f"{error.doc_id}: "
        progress.note(f"claims: {where}{error.message}")
    if reported == MAX_FAILURE_LINES + 1:
        progress.note("claims: more documents failed: see the errors file")

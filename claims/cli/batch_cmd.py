"""`claims batch`: the provider Batch API path (half the price, answers within 24 hours).

    claims batch prepare DOCS -o DIR --model M   request files + index in DIR
    claims batch submit DIR                       upload, create the batches
    claims batch status DIR                       what each batch is doing
    claims batch collect DIR -o out/claims.jsonl  download, verify, write the records of `extract`
    claims batch retry DIR                        follow-up batch: failed, expired, split, re-asked

The same request files run offline with `vllm run-batch -i FILE -o OUT --model M`; then
`claims batch collect DIR --results OUT …` reads vLLM's output. A thin layer over claims.batch.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai

from claims.batch import collect as collect_mod
from claims.batch.prepare import MAX_BYTES, MAX_LINES, prepare
from claims.batch.retry import retry
from claims.batch.state import BatchDir, StateError
from claims.batch.submit import download, make_client, refresh, submit
from claims.cli.common import CliError, open_database, warn
from claims.db import DatabaseError
from claims.inputs.documents import InputError, load_documents
from claims.inputs.parquet import is_remote
from claims.run.options import ExtractOptions
from claims.run.sinks import OutputPaths
from claims.settings import REQUEST_SCHEMAS, ConfigError, resolve_settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="run an extraction through a provider's Batch API (prepare, submit, status, collect, retry)",
        description="Provider batch files: prepare → submit → status → collect (→ retry → submit → collect).",
    )
    steps = parser.add_subparsers(dest="step", metavar="STEP")
    defaults = ExtractOptions()

    p = steps.add_parser("prepare", help="write Batch API request files and an index into DIR")
    p.add_argument("paths", nargs="+", metavar="DOCS", help="files, folders or a documents JSONL")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="the batch folder (new)")
    p.add_argument("--model", help="model name (CLAIMS_MODEL; Azure: the deployment)")
    p.add_argument(
        "--mode", choices=("tools", "json_schema", "json", "md_json"), help="(CLAIMS_MODE, default tools)"
    )
    p.add_argument("--temperature", type=float, help="(CLAIMS_TEMPERATURE, default 0)")
    p.add_argument("--max-tokens", type=int, help="answer token limit (CLAIMS_MAX_TOKENS, default 4096)")
    p.add_argument(
        "--system-in-user", action="store_true", default=None, help="instructions in the user message"
    )
    p.add_argument(
        "--examples",
        type=int,
        metavar="N",
        help="few-shot examples in each request (CLAIMS_EXAMPLES; default 0); part of every custom_id",
    )
    p.add_argument(
        "--request-schema",
        choices=REQUEST_SCHEMAS,
        help="the JSON Schema sent with each request (CLAIMS_REQUEST_SCHEMA; default lean)",
    )
    p.add_argument("--published", help="publication date for documents without one")
    p.add_argument("--chunk-chars", type=int, default=defaults.chunk_chars, help="longest chunk")
    p.add_argument("--chunk-overlap", type=int, default=defaults.chunk_overlap, help="chunk overlap")
    p.add_argument("--reask", type=int, default=0, help="re-ask rounds for ungrounded quotes (default 0)")
    p.add_argument("--strict", action="store_true", help="reject claims with actors not near the quote")
    p.add_argument("--max-lines", type=int, default=MAX_LINES, help=argparse.SUPPRESS)
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=argparse.SUPPRESS)
    p.set_defaults(func=_prepare)

    s = steps.add_parser("submit", help="upload the request files and create their batches")
    s.add_argument("dir", metavar="DIR")
    _endpoint_flags(s)
    s.set_defaults(func=_submit)

    t = steps.add_parser("status", help="the status of each batch")
    t.add_argument("dir", metavar="DIR")
    t.add_argument("--offline", action="store_true", help="print the saved state; ask no server")
    _endpoint_flags(t)
    t.set_defaults(func=_status)

    c = steps.add_parser("collect", help="download the results, verify, write claims like `claims extract`")
    c.add_argument("dir", metavar="DIR")
    c.add_argument("-o", "--output", required=True, help="verified claims, JSONL (others go beside it)")
    c.add_argument("--rejected", help="rejected claims, JSONL")
    c.add_argument("--errors", help="error records, JSONL")
    c.add_argument("--manifest", help="the run manifest, JSON")
    c.add_argument(
        "--db",
        metavar="PATH|URL",
        help="also write each document to a claims database (SQLite file or postgresql://…); "
        "give it from the first collect on",
    )
    c.add_argument(
        "--results",
        nargs="+",
        type=Path,
        metavar="OUT",
        help="read these output files (e.g. of `vllm run-batch`) instead of asking a server",
    )
    c.add_argument("--reask", type=int, help="re-ask rounds for ungrounded quotes (default: as prepared)")
    c.add_argument(
        "--final",
        action="store_true",
        help="write documents still missing answers as error records instead of holding them",
    )
    _endpoint_flags(c)
    c.set_defaults(func=_collect)

    r = steps.add_parser("retry", help="a follow-up batch of the requests that failed, expired or are new")
    r.add_argument("dir", metavar="DIR")
    r.add_argument("--no-submit", action="store_true", help="only write the files (e.g. for vllm run-batch)")
    _endpoint_flags(r)
    r.set_defaults(func=_retry)
    parser.set_defaults(func=lambda args: _usage(parser))


def _endpoint_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", help="OpenAI-compatible Files + Batches API (OPENAI_BASE_URL)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per HTTP request")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _guarded(step: Callable[[], int]) -> int:
    """Library errors become one-line CLI errors (never with the key: the client's messages
    hold the server's text only)."""
    try:
        return step()
    except (StateError, ConfigError, InputError, DatabaseError, ValueError) as error:
        raise CliError(str(error)) from None
    except openai.APIStatusError as error:
        raise CliError(f"HTTP {error.status_code} from the batch API: {_said(error)}") from None
    except openai.APIConnectionError:
        raise CliError("cannot reach the batch API; check --base-url and that the server runs") from None


def _said(error: openai.APIStatusError) -> str:
    """The server's own one-line message, with the key masked should the server echo it."""
    body = error.body
    said = "the server refused the request"
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        said = " ".join(str(body["message"]).split())[:200]
    key = os.environ.get("OPENAI_API_KEY")
    if key:
        said = said.replace(key, "***")
    if error.status_code == 401:
        said += "; check OPENAI_API_KEY"
    return said


def _client(args: argparse.Namespace) -> openai.OpenAI:
    return make_client(args.base_url, timeout=args.timeout)


def _prepare(args: argparse.Namespace) -> int:
    def step() -> int:
        for path in args.paths:
            if path != "-" and not is_remote(path) and not Path(path).exists():
                raise CliError(
                    f"{path}: no such file or folder; give a .txt file, a folder or a documents JSONL"
                )
        settings = resolve_settings(
            backend="rules",
            model=args.model,
            mode=args.mode,
            temperature=args.temperature,
            max_tokens=args.max_tokens,
            system_in_user=args.system_in_user,
            examples=args.examples,
            request_schema=args.request_schema,
        )
        settings = settings.model_copy(update={"backend": "openai"})
        options = ExtractOptions(
            chunk_chars=args.chunk_chars,
            chunk_overlap=args.chunk_overlap,
            reask=args.reask,
            strict=args.strict,
        )
        state = BatchDir(args.output)
        items = load_documents(args.paths, published=args.published)
        index = prepare(items, state, settings, options, max_lines=args.max_lines, max_bytes=args.max_bytes)
        lines = sum(f.lines for f in index.files)
        print(
            f"{index.documents} documents, {lines} requests in {len(index.files)} file(s) under "
            f"{state.requests_dir}; next: claims batch submit {state.path}",
            file=sys.stderr,
        )
        if index.load_errors:
            warn(f"{index.load_errors} inputs could not be loaded (they will be error records)")
        return 0

    return _guarded(step)


def _submit(args: argparse.Namespace) -> int:
    def step() -> int:
        state = BatchDir(args.dir)
        state.load()
        done = submit(state, _client(args))
        for file in done:
            print(
                f"{file.name}: {file.lines} requests, batch {file.batch_id} ({file.status})", file=sys.stderr
            )
        if not done:
            print("nothing to submit: every file has its batch", file=sys.stderr)
        return 0

    return _guarded(step)


def _status(args: argparse.Namespace) -> int:
    def step() -> int:
        state = BatchDir(args.dir)
        index = state.load()
        if not args.offline and any(f.batch_id for f in index.files):
            index = refresh(state, _client(args))
        print(f"{'file':<10} {'requests':>8} {'status':<12} {'done':>6} {'failed':>6}  batch")
        for f in index.files:
            counts = f.request_counts
            print(
                f"{f.name:<10} {f.lines:>8} {f.status or 'unsubmitted':<12} "
                f"{counts.get('completed', 0):>6} {counts.get('failed', 0):>6}  {f.batch_id or '-'}"
            )
        pending = state.pending()
        if pending:
            reasons: dict[str, int] = {}
            for entry in pending:
                reasons[str(entry.get("reason"))] = reasons.get(str(entry.get("reason")), 0) + 1
            print(
                "pending after the last collect: " + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
            )
        return 0

    return _guarded(step)


def _collect(args: argparse.Namespace) -> int:
    def step() -> int:
        state = BatchDir(args.dir)
        index = state.load()
        if args.results:
            for path in args.results:
                if not path.is_file():
                    raise CliError(f"{path}: no such results file; give the -o file of `vllm run-batch`")
        else:
            client = _client(args)
            index = refresh(state, client)
            download(state, client, index)
        outcomes = collect_mod.read_outcomes(state, index, args.results or ())
        paths = OutputPaths.beside(args.output, args.rejected, args.errors, args.manifest)
        database = open_database(args.db)
        try:
            report = asyncio.run(
                collect_mod.collect(
                    state,
                    paths,
                    outcomes,
                    reask=args.reask,
                    final=args.final,
                    have_results=bool(args.results),
                    database=database,
                )
            )
        finally:
            if database is not None:
                database.close()
        totals = report.stats.as_dict()
        print(
            f"{report.written} documents written now ({report.stats.resumed} earlier), "
            f"{report.held} held back; "
            f"{totals['claims_verified']} claims, {totals['claims_rejected']} rejected, "
            f"{totals['documents_failed']} failed documents, {totals['usage']['total_tokens']} tokens",
            file=sys.stderr,
        )
        if report.pending:
            reasons = ", ".join(f"{n} {r}" for r, n in sorted(report.pending.items()))
            retryable = sum(n for r, n in report.pending.items() if r in collect_mod.RETRY_REASONS)
            hint = f"; run `claims batch retry {state.path}`" if retryable else ""
            warn(f"requests without an answer: {reasons}{hint}")
        return 1 if report.stats.failed or report.held else 0

    return _guarded(step)


def _retry(args: argparse.Namespace) -> int:
    def step() -> int:
        state = BatchDir(args.dir)
        files = retry(state)
        if not files:
            print("nothing to retry: no request failed, expired or is new", file=sys.stderr)
            return 0
        lines = sum(f.lines for f in files)
        print(f"{lines} requests in {len(files)} follow-up file(s)", file=sys.stderr)
        if not args.no_submit:
            for file in submit(state, _client(args)):
                print(f"{file.name}: batch {file.batch_id} ({file.status})", file=sys.stderr)
        return 0

    return _guarded(step)

"""`claims verify`: check claims from any system against their sources; keep only grounded ones."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from claims.cli.common import CliError, output_stream, warn
from claims.inputs.documents import InputError, load_documents, split_loaded
from claims.jsonl import JsonlError, read_jsonl, write_record
from claims.schema import Provenance, RejectedClaim
from claims.verify.verifier import Verifier


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "verify",
        help="verify proposed claims against their source documents",
        description="Verified records go to stdout; rejected ones, with their reason, to --rejected.",
    )
    parser.add_argument("claims_file", metavar="CLAIMS.jsonl", help="proposed claims, each with a doc_id")
    parser.add_argument(
        "--source", required=True, help="a folder of <doc_id>.txt, one .txt file, or a documents JSONL"
    )
    parser.add_argument("-o", "--output", default="-", help="where verified records go (default: stdout)")
    parser.add_argument("--rejected", help="write rejected claims here (JSONL)")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also reject claims whose actors or weapons are not near the quote",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    claims_path = Path(args.claims_file)
    if not claims_path.is_file():
        raise CliError(f"{claims_path}: no such file; give the JSONL of claims to verify")
    try:
        documents, load_errors = split_loaded(load_documents([args.source]))
    except InputError as error:
        raise CliError(str(error)) from None
    for load_error in load_errors:
        warn(load_error.message)
    verifier = Verifier({d.id: d.text for d in documents}, strict=args.strict)
    reasons: Counter[str] = Counter()
    verified = 0
    bad_lines = 0
    with output_stream(args.output) as out, output_stream(args.rejected) as rejected_out:
        assert out is not None
        for number, raw in read_jsonl(claims_path):
            if isinstance(raw, JsonlError):
                warn(str(raw))
                bad_lines += 1
                outcome: Any = RejectedClaim(doc_id=None, reason="invalid", detail=str(raw), claim={})
            else:
                outcome = verifier.verify_raw(raw, _provenance_of(raw))
            if isinstance(outcome, RejectedClaim):
                reasons[outcome.reason] += 1
                if rejected_out is not None:
                    write_record(rejected_out, outcome)
            else:
                verified += 1
                write_record(out, outcome)
            del number
    summary = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    print(
        f"verified {verified}, rejected {sum(reasons.values())}" + (f" ({summary})" if summary else ""),
        file=sys.stderr,
    )
    return 1 if (load_errors or bad_lines) else 0


def _provenance_of(raw: dict[str, Any]) -> Provenance:
    """Keep the provenance a claim arrived with; claims from other systems are `external`."""
    given = raw.get("provenance")
    if isinstance(given, dict):
        try:
            return Provenance.model_validate(given)
        except ValueError:
            pass
    return Provenance(backend="external")

"""`claims schema`: print, write or check the JSON Schemas generated from the models."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from claims.cli.common import CliError
from claims.schema_files import generated_schemas, stale_schemas, write_schemas


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "schema", help="print, write or check the JSON Schemas of the claim records"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="write the schema files into --dir")
    group.add_argument("--check", action="store_true", help="fail if the files in --dir are stale")
    parser.add_argument("--dir", default="schemas", help="the schema folder (default: schemas)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if args.write:
        for path in write_schemas(folder):
            print(path)
        return 0
    if args.check:
        stale = stale_schemas(folder)
        if stale:
            raise CliError(f"{folder}: stale or missing {', '.join(stale)}; run `claims schema --write`", 1)
        return 0
    print(json.dumps(generated_schemas()["proposed_claims.schema.json"], indent=2, ensure_ascii=False))
    return 0

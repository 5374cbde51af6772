"""A FAKE stand-in for `python -m llama_cpp.server`, for testing the server's lifecycle only.

Run as a script, it takes the real server's flags, prints them (as JSON, to its log), and after
an optional delay answers `GET /v1/models` on the given host and port like the real server —
no model, no completions. Extra `--fake-*` flags script failures: exit during start-up, report
a taken port as uvicorn does, ignore SIGTERM so the caller must escalate to SIGKILL, or die on
its own after a while.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--model_alias", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fake-start-delay", type=float, default=0.0)
    parser.add_argument("--fake-exit-code", type=int)
    parser.add_argument("--fake-address-in-use", action="store_true")
    parser.add_argument("--fake-ignore-sigterm", action="store_true")
    parser.add_argument("--fake-die-after", type=float, help="exit with code 4 this many seconds after start")
    args, rest = parser.parse_known_args()
    print(json.dumps({"argv": sys.argv[1:], "pid": os.getpid()}), flush=True)
    if args.fake_ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(args.fake_start_delay)
    if args.fake_address_in_use:
        print(
            f"ERROR: [Errno 98] error while attempting to bind on address ('{args.host}', {args.port}): "
            "address already in use",
            flush=True,
        )
        raise SystemExit(1)
    if args.fake_exit_code is not None:
        print("fake: failing during start-up as scripted", flush=True)
        raise SystemExit(args.fake_exit_code)
    models = json.dumps(
        {"object": "list", "data": [{"id": args.model_alias, "object": "model", "owned_by": "me"}]}
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/v1/models":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(models)))
            self.end_headers()
            self.wfile.write(models)

        def log_message(self, format: str, *values: Any) -> None:
            print("fake:", format % values, flush=True)

    server = HTTPServer((args.host, args.port), Handler)
    if args.fake_die_after is not None:
        threading.Timer(args.fake_die_after, lambda: os._exit(4)).start()
    print(f"fake: serving on http://{args.host}:{args.port} ({' '.join(rest)})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

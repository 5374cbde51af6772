"""A FAKE OpenAI Files + Batches API on 127.0.0.1, answering every request from a SCRIPT.

A real HTTP server in a thread, so the code under test uses the real `openai` client (multipart
upload, JSON, file download) — but nothing is produced by a model: each chat request in a batch
is answered by the chat fake of `openai_server.py` (its scripts and `default`), whose completion
builder gives the answer the shape the request's mode asks for. It serves:

    POST /v1/files (multipart, purpose=batch)      GET /v1/files/ID/content
    POST /v1/batches                               GET /v1/batches/ID   GET /v1/batches
    POST /v1/batches/ID/cancel

A batch is `validating`, then `in_progress`, for `polls` retrievals, then runs: its output file
holds the answers in REVERSE order (a batch keeps no order), its error file the requests that
`fail(body)` refuses (an HTTP status and message) and, when `expire_after` is set, the requests
past that many (error code `batch_expired`, batch status `expired`). Every HTTP request's path
and headers are recorded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path
from typing import Any

from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest


def _no_failure(_body: dict[str, Any]) -> tuple[int, str] | None:
    return None


@dataclass
class FakeBatchServer:
    """The fake. Use `running()`; script answers on `chat` (a FakeOpenAIServer, never started)."""

    chat: FakeOpenAIServer = field(default_factory=FakeOpenAIServer)
    polls: int = 1
    """Retrievals a batch stays in progress before it runs."""
    expire_after: int | None = None
    """Run only this many requests of each batch, then expire it (None: run them all)."""
    fail: Callable[[dict[str, Any]], tuple[int, str] | None] = _no_failure
    require_key: str | None = None
    """Answer 401 (echoing the key given, as some servers do) unless this key is sent."""
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    """(method, path, headers) of every HTTP request."""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    _polled: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=count)
    _httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None, "the fake batch server is not running"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @contextmanager
    def running(self) -> Iterator[FakeBatchServer]:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        thread.daemon = True
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    # --- the API -----------------------------------------------------------------------------

    def add_file(self, name: str, data: bytes, purpose: str) -> dict[str, Any]:
        with self._lock:
            file_id = f"file-fake-{next(self._ids)}"
            record = {
                "id": file_id,
                "object": "file",
                "bytes": len(data),
                "created_at": int(time.time()),
                "filename": name,
                "purpose": purpose,
                "status": "processed",
            }
            self.files[file_id] = record
            self.contents[file_id] = data
            return record

    def create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            batch_id = f"batch_fake_{next(self._ids)}"
            lines = [
                line for line in self.contents[body["input_file_id"]].decode().splitlines() if line.strip()
            ]
            batch = {
                "id": batch_id,
                "object": "batch",
                "endpoint": body["endpoint"],
                "errors": None,
                "input_file_id": body["input_file_id"],
                "completion_window": body["completion_window"],
                "status": "validating",
                "output_file_id": None,
                "error_file_id": None,
                "created_at": int(time.time()),
                "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
                "metadata": body.get("metadata"),
            }
            self.batches[batch_id] = batch
            self._polled[batch_id] = 0
            return batch

    def retrieve(self, batch_id: str) -> dict[str, Any]:
        with self._lock:
            batch = self.batches[batch_id]
            if batch["status"] in ("validating", "in_progress"):
                self._polled[batch_id] += 1
                if self._polled[batch_id] > self.polls:
                    self._run(batch)
                else:
                    batch["status"] = "in_progress"
            return batch

    def _run(self, batch: dict[str, Any]) -> None:
        lines = [
            json.loads(x) for x in self.contents[batch["input_file_id"]].decode().splitlines() if x.strip()
        ]
        answered: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for number, line in enumerate(lines):
            request_id = f"req_fake_{next(self._ids)}"
            if self.expire_after is not None and number >= self.expire_after:
                errors.append(
                    {
                        "id": f"batch_req_{number}",
                        "custom_id": line["custom_id"],
                        "response": None,
                        "error": {
                            "code": "batch_expired",
                            "message": "This request was not run before the completion window expired.",
                        },
                    }
                )
                continue
            refused = self.fail(line["body"])
            if refused is not None:
                status, message = refused
                errors.append(
                    {
                        "id": f"batch_req_{number}",
                        "custom_id": line["custom_id"],
                        "response": {
                            "status_code": status,
                            "request_id": request_id,
                            "body": {"error": {"message": message, "type": "fake_error", "code": None}},
                        },
                        "error": None,
                    }
                )
                continue
            recorded = RecordedRequest(line["url"], {}, json.dumps(line["body"]).encode(), line["body"])
            if self.chat.record:
                self.chat.requests.append(recorded)
            reply = self.chat._choose(recorded)
            completion = self.chat.completion(recorded, reply)
            answered.append(
                {
                    "id": f"batch_req_{number}",
                    "custom_id": line["custom_id"],
                    "response": {"status_code": 200, "request_id": request_id, "body": completion},
                    "error": None,
                }
            )
        answered.reverse()  # a batch keeps no order: callers must join on custom_id
        if answered:
            data = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answered).encode()
            batch["output_file_id"] = self._store(f"{batch['id']}_output.jsonl", data, "batch_output")
        if errors:
            data = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors).encode()
            batch["error_file_id"] = self._store(f"{batch['id']}_errors.jsonl", data, "batch_output")
        expired = self.expire_after is not None and len(lines) > self.expire_after
        batch["status"] = "expired" if expired else "completed"
        batch["request_counts"] = {"total": len(lines), "completed": len(answered), "failed": len(errors)}

    def _store(self, name: str, data: bytes, purpose: str) -> str:
        file_id = f"file-fake-{next(self._ids)}"
        self.files[file_id] = {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": name,
            "purpose": purpose,
            "status": "processed",
        }
        self.contents[file_id] = data
        return file_id


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Form fields of a multipart/form-data body: name → (filename, bytes)."""
    boundary = content_type.split("boundary=", 1)[1].strip().strip('"').encode()
    fields: dict[str, tuple[str | None, bytes]] = {}
    for part in raw.split(b"--" + boundary):
        if b"\r\n\r\n" not in part:
            continue
        head, _, data = part.partition(b"\r\n\r\n")
        disposition = next(
            (
                h
                for h in head.decode("utf-8", "replace").split("\r\n")
                if h.lower().startswith("content-disposition")
            ),
            "",
        )
        params = dict(p.strip().split("=", 1) for p in disposition.split(";")[1:] if "=" in p)
        name = params.get("name", "").strip('"')
        filename = params["filename"].strip('"') if "filename" in params else None
        fields[name] = (filename, data[:-2] if data.endswith(b"\r\n") else data)
    return fields


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_fake: FakeBatchServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _note(self) -> bool:
        """Record the request; False (after answering 401) when the key is wrong."""
        fake = self.server_fake
        headers = {k.lower(): v for k, v in self.headers.items()}
        with fake._lock:
            fake.seen.append((self.command, self.path, headers))
        given = headers.get("authorization", "").removeprefix("Bearer ")
        if fake.require_key is not None and given != fake.require_key:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            message = f"Incorrect API key provided: {given}"
            self._json(
                401,
                {"error": {"message": message, "type": "invalid_request_error", "code": "invalid_api_key"}},
            )
            return False
        return True

    def do_GET(self) -> None:
        if not self._note():
            return
        fake = self.server_fake
        parts = self.path.split("?", 1)[0].rstrip("/").split("/")
        if parts[-2:-1] == ["batches"] and parts[-1] in fake.batches:
            self._json(200, fake.retrieve(parts[-1]))
        elif parts[-1] == "batches":
            with fake._lock:
                data = list(reversed(fake.batches.values()))
            self._json(200, {"object": "list", "data": data, "has_more": False})
        elif parts[-1] == "content" and parts[-2] in fake.contents:
            self._send(200, fake.contents[parts[-2]], "application/octet-stream")
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        if not self._note():
            return
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.rstrip("/")
        if path.endswith("/files"):
            form = _multipart(self.headers.get("Content-Type", ""), raw)
            filename, data = form["file"]
            purpose = form.get("purpose", (None, b""))[1].decode()
            if purpose != "batch":
                self._json(
                    400, {"error": {"message": f"purpose {purpose!r}", "type": "invalid_request_error"}}
                )
                return
            self._json(200, fake.add_file(filename or "upload.jsonl", data, purpose))
        elif path.endswith("/batches"):
            body = json.loads(raw)
            if body.get("input_file_id") not in fake.contents:
                self._json(404, {"error": {"message": "no such file", "type": "invalid_request_error"}})
                return
            self._json(200, fake.create_batch(body))
        elif path.endswith("/cancel"):
            batch = fake.batches[path.split("/")[-2]]
            batch["status"] = "cancelled"
            self._json(200, batch)
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def fake_vllm_run_batch(input_file: Path, output_file: Path, chat: FakeOpenAIServer) -> None:
    """What `vllm run-batch -i INPUT -o OUTPUT` writes, with SCRIPTED answers from `chat`: one
    line per request, in the same shape as OpenAI's output (`response.status_code`, `body`)."""
    out: list[str] = []
    for number, raw in enumerate(input_file.read_text(encoding="utf-8").splitlines()):
        if not raw.strip():
            continue
        line = json.loads(raw)
        recorded = RecordedRequest(line["url"], {}, raw.encode(), line["body"])
        completion = chat.completion(recorded, chat._choose(recorded))
        out.append(
            json.dumps(
                {
                    "id": f"vllm-{number}",
                    "custom_id": line["custom_id"],
                    "response": {
                        "status_code": 200,
                        "request_id": f"vllm-batch-{number}",
                        "body": completion,
                    },
                    "error": None,
                },
                ensure_ascii=False,
            )
        )
    output_file.write_text("".join(x + "\n" for x in reversed(out)), encoding="utf-8")

"""A FAKE OpenAI-compatible chat-completions server with SCRIPTED answers (model id "fake-scripted").

It is a real HTTP server on 127.0.0.1 (port chosen by the OS) in a background thread, so the code
under test goes through the real openai client, instructor, httpx and sockets — but every answer
is written by a test, never produced by a model. It:
- answers per request from a script keyed by a marker in the request's user text (so concurrent
  tests stay deterministic), falling back to `default(request)`;
- builds a proper `chat.completion` for the mode the request asks for: tool_calls for tools mode,
  JSON content for json / json_schema, a ```json fenced block for md_json; with `usage`;
- can answer any status with headers (429 + Retry-After), malformed JSON, empty content,
  finish_reason "length", or drop the connection without answering;
- records every request's body and headers, and the most requests ever in flight at once;
- waits `delay` seconds (or a reply's own delay) before answering.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any, Literal

MODEL_ID = "fake-scripted"

ReplyKind = Literal["answer", "status", "drop"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Build it with the class methods."""

    kind: ReplyKind = "answer"
    payload: str | None = None
    """The structured answer as text: tool-call arguments or message content (fenced for md_json)."""
    finish_reason: str = "stop"
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    delay: float | None = None
    prompt_tokens: int = 100
    cached_prompt_tokens: int | None = None
    """Reported as usage.prompt_tokens_details.cached_tokens when set (a provider's prompt cache)."""
    completion_tokens: int = 10

    @classmethod
    def claims(cls, *claims: dict[str, Any], **options: Any) -> Reply:
        """A well-formed answer proposing these claims."""
        return cls(payload=json.dumps({"claims": list(claims)}, ensure_ascii=False), **options)

    @classmethod
    def raw(cls, payload: str, **options: Any) -> Reply:
        """An answer whose structured part is exactly `payload` (e.g. malformed JSON)."""
        return cls(payload=payload, **options)

    @classmethod
    def empty(cls, **options: Any) -> Reply:
        """No content and no tool call."""
        return cls(payload=None, **options)

    @classmethod
    def truncated(cls, **options: Any) -> Reply:
        """An answer cut off at the token limit: finish_reason "length", JSON unfinished."""
        return cls(payload='{"claims": [{"type": "meeting", "quote": "Der', finish_reason="length", **options)

    @classmethod
    def error(cls, status: int, message: str = "scripted failure", **headers: str) -> Reply:
        """An HTTP error with an OpenAI-style error body; keyword headers use _ for - (retry_after)."""
        body = json.dumps({"error": {"message": message, "type": "fake_error", "code": status}}).encode()
        pairs = tuple((name.replace("_", "-"), value) for name, value in headers.items())
        return cls(kind="status", status=status, headers=pairs, body=body)

    @classmethod
    def drop(cls) -> Reply:
        """Close the connection without answering."""
        return cls(kind="drop")


@dataclass
class RecordedRequest:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    raw: bytes
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def user_text(self) -> str:
        return "\n".join(str(m.get("content") or "") for m in self.messages if m.get("role") == "user")

    @property
    def article(self) -> str:
        """The article text of the first user message (between our prompt's <<< and >>> lines)."""
        for message in self.messages:
            content = str(message.get("content") or "")
            if message.get("role") == "user" and "<<<\n" in content:
                return content.split("<<<\n", 1)[1].rsplit("\n>>>", 1)[0]
        return self.user_text

    @property
    def mode(self) -> str:
        """Which structured-output mode the request asks for."""
        if self.body.get("tools"):
            return "tools"
        kind = (self.body.get("response_format") or {}).get("type")
        if kind == "json_schema":
            return "json_schema"
        if kind == "json_object":
            return "json"
        return "md_json"


def no_claims(_request: RecordedRequest) -> Reply:
    return Reply.claims()


@dataclass
class FakeOpenAIServer:
    """The fake server. Use `running()` (or the `fake_server` fixture) to start and stop it."""

    delay: float = 0.0
    default: Callable[[RecordedRequest], Reply] = no_claims
    record: bool = True
    """Keep every request (off for long benchmarks, to measure the client, not the fake)."""
    requests: list[RecordedRequest] = field(default_factory=list)
    max_in_flight: int = 0
    served: int = 0
    _in_flight: int = 0
    _scripts: dict[str, deque[Reply]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=count)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # --- scripting ---------------------------------------------------------------------------

    def script(self, marker: str, *replies: Reply) -> None:
        """Answer requests whose user text contains `marker` with `replies`, in order; once they
        are used up, `default` answers."""
        with self._lock:
            self._scripts.setdefault(marker, deque()).extend(replies)

    def requests_with(self, marker: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if marker in r.user_text]

    def _choose(self, request: RecordedRequest) -> Reply:
        with self._lock:
            for marker, queue in self._scripts.items():
                if queue and marker in request.user_text:
                    return queue.popleft()
        return self.default(request)

    # --- life cycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The base URL to give the client (`--base-url`)."""
        assert self._httpd is not None, "the fake server is not running"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeOpenAIServer:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @contextmanager
    def running(self) -> Iterator[FakeOpenAIServer]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    # --- answering ---------------------------------------------------------------------------

    def _enter(self, request: RecordedRequest | None) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            if request is not None and self.record:
                self.requests.append(request)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self.served += 1

    def completion(self, request: RecordedRequest, reply: Reply) -> dict[str, Any]:
        """A chat.completion object in the shape the request's mode expects."""
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish_reason = reply.finish_reason
        if reply.payload is not None:
            if request.mode == "tools":
                name = request.body["tools"][0]["function"]["name"]
                message["tool_calls"] = [
                    {
                        "id": f"call_{next(self._ids)}",
                        "type": "function",
                        "function": {"name": name, "arguments": reply.payload},
                    }
                ]
                if finish_reason == "stop":
                    finish_reason = "tool_calls"
            elif request.mode == "md_json":
                message["content"] = f"Here are the claims:\n```json\n{reply.payload}\n```"
            else:
                message["content"] = reply.payload
        else:
            message["content"] = ""
        usage: dict[str, Any] = {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        }
        if reply.cached_prompt_tokens is not None:
            usage["prompt_tokens_details"] = {"cached_tokens": reply.cached_prompt_tokens}
        return {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": MODEL_ID,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": usage,
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK would add ~40 ms to every answer and the benchmark would measure that.
    disable_nagle_algorithm = True
    server_fake: FakeOpenAIServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._send_json(200, {"object": "list", "data": [{"id": MODEL_ID, "object": "model"}]})
        else:
            self._send_json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            body = {}
        request = RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, raw, body)
        fake._enter(request)
        try:
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send_json(404, {"error": {"message": f"no route {self.path}"}})
                return
            reply = fake._choose(request)
            delay = fake.delay if reply.delay is None else reply.delay
            if delay:
                time.sleep(delay)
            if reply.kind == "drop":
                self.close_connection = True
                return
            if reply.kind == "status":
                self._send(reply.status, reply.body, dict(reply.headers))
                return
            self._send_json(200, fake.completion(request, reply))
        finally:
            fake._leave()

    def _send_json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode())

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout): nothing to answer

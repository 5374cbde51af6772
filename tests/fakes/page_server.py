"""A loopback HTTP server of web pages for the fetcher's tests: pages, redirects, 404s, slow
answers, huge bodies. It records every request (path, User-Agent, start time, requests in flight)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MB = 1024 * 1024


@dataclass
class Route:
    """What the server answers on one path."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a slow server)."""
    huge: int = 0
    """Send this many bytes of filler instead of `body` (streamed 1 MB at a time)."""
    send_length: bool = True
    trickle: float = 0.0
    """Send `body` in 64-byte pieces, this many seconds apart (each read arrives in time, the whole
    download does not)."""


@dataclass
class Seen:
    path: str
    user_agent: str
    started: float
    authorization: str | None


class PageServer:
    """Serves `routes` on 127.0.0.1; `url(path)` names a page on it."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with server._lock:
                    server.seen.append(
                        Seen(
                            self.path,
                            self.headers.get("User-Agent", ""),
                            time.monotonic(),
                            self.headers.get("Authorization"),
                        )
                    )
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer(server.routes.get(path, Route(404, b"<h1>Not Found</h1>")))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (size cap, timeout): what the tests want
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self, route: Route) -> None:
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                size = route.huge or len(route.body)
                if route.send_length:
                    self.send_header("Content-Length", str(size))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                if route.trickle:
                    for start in range(0, len(route.body), 64):
                        self.wfile.write(route.body[start : start + 64])
                        self.wfile.flush()
                        time.sleep(route.trickle)
                    return
                if not route.huge:
                    self.wfile.write(route.body)
                    return
                chunk = b"<p>" + b"x" * (MB - 7) + b"</p>\n"
                for _ in range(route.huge // MB):
                    self.wfile.write(chunk)
                if not route.send_length:
                    self.close_connection = True

        return Handler

    @contextmanager
    def running(self) -> Iterator[PageServer]:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(5)

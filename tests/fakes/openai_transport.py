"""The FAKE OpenAI server's SCRIPTED answers served in process, through an `httpx2.MockTransport`
(no socket, no thread): for tests of answers and errors. Timeouts, dropped connections and
concurrency limits need real sockets: use `FakeOpenAIServer.running()` for those.

The same `FakeOpenAIServer` object scripts, records and builds completions either way.
"""

from __future__ import annotations

import asyncio
import json

import httpx2

from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest

IN_PROCESS_URL = "http://fake-in-process.invalid/v1"
"""The base URL to give the client with `in_process_client` (never resolved: no request leaves)."""


def in_process_client(fake: FakeOpenAIServer) -> httpx2.AsyncClient:
    """An httpx2 client whose every request is answered by `fake`'s script, in this process."""

    async def handle(request: httpx2.Request) -> httpx2.Response:
        raw = await request.aread()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        recorded = RecordedRequest(
            request.url.path, {k.lower(): v for k, v in request.headers.items()}, raw, body
        )
        fake._enter(recorded)
        try:
            if not request.url.path.rstrip("/").endswith("/chat/completions"):
                return httpx2.Response(404, json={"error": {"message": f"no route {request.url.path}"}})
            reply = fake._choose(recorded)
            delay = fake.delay if reply.delay is None else reply.delay
            if delay:
                await asyncio.sleep(delay)
            if reply.kind == "drop":
                raise httpx2.RemoteProtocolError("the FAKE closed the connection", request=request)
            if reply.kind == "status":
                return httpx2.Response(reply.status, content=reply.body, headers=dict(reply.headers))
            return httpx2.Response(200, json=fake.completion(recorded, reply))
        finally:
            fake._leave()

    return httpx2.AsyncClient(transport=httpx2.MockTransport(handle))

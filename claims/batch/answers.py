"""Batch answers as a backend: the online pipeline replays each document against them.

Collect does not re-implement verification, re-asks, splitting or merging: it runs the online
path's per-document function with this backend, which looks each request up by its custom_id
among the collected answers instead of sending it. A request with no usable answer yet (not
submitted, still running, failed or expired, or new: the halves of a split chunk, a re-ask) is
noted as missing and the chunk raises `PENDING`; collect then holds the document back until a
follow-up batch has answered, and replays it from the start. The same answers always give the
same records, so a replay can be repeated at will.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from claims.backends.openai.answers import parse_chat_completion
from claims.backends.openai.backend import OpenAIBackend
from claims.backends.openai.prompting import prompt_hash
from claims.backends.openai.requests import build_chat_request
from claims.backends.protocol import BackendError, Proposal, ProposalRequest

PENDING = "BatchPending"
"""The error kind of a chunk whose answer has not arrived (never written as an error record)."""
RETRYABLE_STATUSES = frozenset({408, 409, 429})
SAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")


def custom_id(request: ProposalRequest, asked: str) -> str:
    """Stable id of one request, from the document, the chunk (index, span, text), the re-ask
    feedback and `asked` (the prompt hash and every request setting), so that a changed prompt or
    setting never matches an old answer; cheap to recompute at collect. At most 64 characters."""
    chunk = request.chunk
    canonical = json.dumps(
        [request.document.id, chunk.index, chunk.start, chunk.end, chunk.text, list(request.feedback), asked],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:20]
    readable = SAFE_ID.sub("_", request.document.id)[:36]
    return f"{readable}.{chunk.index}.{digest}"


def request_line(cid: str, body: Mapping[str, Any], url: str) -> dict[str, Any]:
    """One line of an OpenAI Batch API request file (also what `vllm run-batch` reads)."""
    return {"custom_id": cid, "method": "POST", "url": url, "body": body}


@dataclass(frozen=True)
class Outcome:
    """What a batch returned for one request: a chat.completion, or an error."""

    custom_id: str
    completion: dict[str, Any] | None = None
    status: int | None = None
    code: str | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.completion is not None

    @property
    def retryable(self) -> bool:
        """Worth asking again in a follow-up batch: expired, rate-limited, a server error, or an
        error with no HTTP status at all. A plain 4xx refusal would fail again."""
        if self.ok:
            return False
        if self.status is None or self.code == "batch_expired":
            return True
        return self.status in RETRYABLE_STATUSES or self.status >= 500

    @property
    def expired(self) -> bool:
        return self.code == "batch_expired"


def parse_outcome(line: Mapping[str, Any]) -> Outcome | None:
    """One line of an output or error file: OpenAI's (`response.status_code`/`body`, `error`
    {code, message}) or vLLM run-batch's (the same, with `error` a string). None if no custom_id."""
    cid = line.get("custom_id")
    if not isinstance(cid, str):
        return None
    response = line.get("response") if isinstance(line.get("response"), dict) else None
    error = line.get("error")
    status = response.get("status_code") if response else None
    body = response.get("body") if response else None
    if error is None and status == 200 and isinstance(body, dict) and "choices" in body:
        return Outcome(cid, completion=body, status=200)
    code: str | None = None
    message = ""
    if isinstance(error, dict):
        code = str(error.get("code")) if error.get("code") is not None else None
        message = str(error.get("message") or "")
    elif error is not None:
        message = str(error)
    if not message and isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = str(body["error"].get("message") or "")
        code = code or (str(body["error"]["code"]) if body["error"].get("code") is not None else None)
    return Outcome(
        cid,
        status=status if isinstance(status, int) else None,
        code=code,
        message=" ".join(message.split())[:300],
    )


def better(old: Outcome | None, new: Outcome) -> Outcome:
    """An answer wins over an error; otherwise the later outcome (a retry's) wins."""
    if old is not None and old.ok and not new.ok:
        return old
    return new


@dataclass
class Missing:
    """A request the replay needed and found no usable answer for."""

    custom_id: str
    doc_id: str
    line: dict[str, Any]
    outcome: Outcome | None = None


@dataclass
class DocumentNotes:
    """What the replay of one document ran into: the requests it found no usable answer for."""

    missing: dict[str, Missing] = field(default_factory=dict)


class BatchAnswers:
    """A `Backend` answering from collected batch outcomes (see the module docstring)."""

    name = "openai"

    def __init__(
        self, backend: OpenAIBackend, outcomes: Mapping[str, Outcome], url: str, endpoint: str | None
    ):
        self.backend = backend
        self.outcomes = outcomes
        self.url = url
        self.endpoint = endpoint
        self.notes: dict[str, DocumentNotes] = {}
        self._asked = f"{prompt_hash()}|{backend.request_config!r}"
        """What, besides the chunk, decides a request: prompts, schema bounds, model, settings."""

    def describe(self) -> dict[str, str | None]:
        return {**self.backend.describe(), "endpoint": self.endpoint, "batch": "true"}

    def custom_id(self, request: ProposalRequest) -> str:
        return custom_id(request, self._asked)

    def line_for(self, request: ProposalRequest) -> tuple[str, dict[str, Any]]:
        """The custom_id and the Batch API line of a request (its body as the online path's)."""
        cid = self.custom_id(request)
        return cid, request_line(cid, build_chat_request(self.backend, request), self.url)

    async def propose(self, request: ProposalRequest) -> Proposal:
        cid = self.custom_id(request)
        notes = self.notes.setdefault(request.document.id, DocumentNotes())
        outcome = self.outcomes.get(cid)
        if outcome is None or outcome.retryable:
            _, line = self.line_for(request)
            notes.missing[cid] = Missing(cid, request.document.id, line, outcome)
            raise BackendError("the batch has not answered this request yet", kind=PENDING)
        if outcome.completion is None:
            status = f"HTTP {outcome.status}" if outcome.status else (outcome.code or "error")
            said = f" ({outcome.message})" if outcome.message else ""
            kind = outcome.code or f"HTTP{outcome.status}"
            raise BackendError(f"{status}: the batch refused the request{said}", kind=kind)
        return parse_chat_completion(self.backend, outcome.completion)

    async def aclose(self) -> None:
        await self.backend.aclose()

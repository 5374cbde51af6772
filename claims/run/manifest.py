"""The record of a run: what produced the claims, what it cost, and how it went.

One document's outcome becomes a small `progress record` (written per document by the JSONL
sink, so a resumed run can add up what earlier runs did); `RunStats` adds records up; the
`Manifest` is the whole: run id, endpoint, model, mode, prompt hash, software (git revision,
package versions), options, settings, documents, claims proposed / verified / rejected, errors,
tokens of every attempt, wall time. Nothing secret goes in: the backend's `describe()` and
`Settings.public()` hold no key by contract (and an `api_key` entry is dropped all the same).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from claims.jsonl import write_atomic
from claims.run.document import DocumentResult
from claims.software import Software

USAGE_FIELDS = ("requests", "prompt_tokens", "completion_tokens", "cached", "cached_prompt_tokens")
DESCRIBED_FIELDS = ("model", "endpoint", "mode", "prompt_hash")


def progress_record(result: DocumentResult) -> dict[str, Any]:
    """What the run remembers of one finished document."""
    errors = result.errors
    return {
        "doc_id": result.doc_id,
        "ok": result.ok,
        "partial": result.partial,
        "claims": len(result.claims),
        "by_type": dict(Counter(claim.type for claim in result.claims)),
        "rejected": len(result.rejected),
        "proposed": result.proposed,
        "reasked": result.reasked,
        "regrounded": result.regrounded,
        "error": errors[0].error if errors else None,
        "failed_chunks": [chunk.as_dict() for chunk in result.failed_chunks],
        "usage": {name: getattr(result.usage, name) for name in USAGE_FIELDS},
    }


class UsageTotals(BaseModel):
    """Requests and tokens of every attempt (re-asks, retries and failed documents included)."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: int = Field(default=0, description="Answers read from the cache instead of asked.")
    cached_prompt_tokens: int = Field(
        default=0, description="Prompt tokens the provider served from its prompt cache, where reported."
    )
    total_tokens: int = 0


class Totals(BaseModel):
    """What became of the documents of a run (and of the runs it resumes)."""

    documents: int = 0
    documents_failed: int = Field(default=0, description="Documents with no claims: nothing succeeded.")
    documents_partial: int = Field(default=0, description="Documents with a failed chunk; the rest kept.")
    resumed_documents: int = Field(default=0, description="Finished by an earlier run of the same output.")
    claims_proposed: int = 0
    claims_verified: int = 0
    claims_rejected: int = 0
    claims_reasked: int = 0
    claims_regrounded: int = 0
    claims_by_type: dict[str, int] = Field(default_factory=dict)
    errors: dict[str, int] = Field(default_factory=dict, description="Documents per error type.")


@dataclass
class RunStats:
    """Totals over the documents of a run (and of the runs it resumes)."""

    documents: int = 0
    failed: int = 0
    partial: int = 0
    claims: int = 0
    proposed: int = 0
    rejected: int = 0
    reasked: int = 0
    regrounded: int = 0
    resumed: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    usage: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, record: dict[str, Any]) -> None:
        self.documents += 1
        partial = bool(record.get("partial"))
        self.partial += int(partial)
        self.failed += 0 if record["ok"] or partial else 1
        for name in ("claims", "proposed", "rejected", "reasked", "regrounded"):
            setattr(self, name, getattr(self, name) + int(record.get(name, 0)))
        self.by_type.update(record.get("by_type", {}))
        self.usage.update(record.get("usage", {}))
        if record.get("error"):
            self.errors[record["error"]] += 1

    def add_resumed(self, record: dict[str, Any]) -> None:
        """A document an earlier run finished."""
        self.add(record)
        self.resumed += 1

    def totals(self) -> Totals:
        return Totals(
            documents=self.documents,
            documents_failed=self.failed,
            documents_partial=self.partial,
            resumed_documents=self.resumed,
            claims_proposed=self.proposed,
            claims_verified=self.claims,
            claims_rejected=self.rejected,
            claims_reasked=self.reasked,
            claims_regrounded=self.regrounded,
            claims_by_type=dict(sorted(self.by_type.items())),
            errors=dict(sorted(self.errors.items())),
        )

    def usage_totals(self) -> UsageTotals:
        usage = {name: self.usage.get(name, 0) for name in USAGE_FIELDS}
        return UsageTotals(**usage, total_tokens=usage["prompt_tokens"] + usage["completion_tokens"])

    def as_dict(self) -> dict[str, Any]:
        """The totals and usage as one flat dict (the shape of the manifest before `Manifest`)."""
        return {**self.totals().model_dump(), "usage": self.usage_totals().model_dump()}


class Manifest(BaseModel):
    """The run manifest: what produced a run's claims, what it cost and how it went."""

    run_id: str = Field(description="Unique per run; a resumed run gets its own.")
    backend: str
    model: str | None = None
    endpoint: str | None = None
    mode: str | None = None
    prompt_hash: str | None = None
    details: dict[str, str | None] = Field(
        default_factory=dict, description="The rest of describe() (run facts such as mode_used)."
    )
    settings: dict[str, Any] = Field(default_factory=dict, description="Settings.public(): never a secret.")
    options: dict[str, Any] = Field(default_factory=dict, description="The ExtractOptions of the run.")
    totals: Totals = Field(default_factory=Totals)
    usage: UsageTotals = Field(default_factory=UsageTotals)
    software: Software = Field(default_factory=Software)
    started_at: str = Field(description="ISO 8601, UTC, seconds.")
    wall_seconds: float = 0.0
    engine: dict[str, Any] | None = Field(
        default=None, description="How a distributed run ran (Ray: workers, shards); None: this process."
    )

    @classmethod
    def of_run(
        cls,
        *,
        run_id: str,
        backend: str,
        described: Mapping[str, str | None],
        settings: Mapping[str, Any],
        options: Any,
        stats: RunStats,
        started_at: str,
        wall_seconds: float,
        details: Mapping[str, str | None] | None = None,
        engine: dict[str, Any] | None = None,
    ) -> Manifest:
        """The manifest of a run from the backend's `describe()`, the run's options (a dataclass)
        and statistics: the one way the driver, the Ray engine and the batch path make it."""
        return cls(
            run_id=run_id,
            backend=backend,
            **{name: described.get(name) for name in DESCRIBED_FIELDS},
            details={k: v for k, v in described.items() if k not in DESCRIBED_FIELDS} | dict(details or {}),
            settings=dict(settings),
            options=dataclasses.asdict(options),
            totals=stats.totals(),
            usage=stats.usage_totals(),
            software=Software.current(),
            started_at=started_at,
            wall_seconds=round(wall_seconds, 3),
            engine=engine,
        )


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write atomically, so a killed run never leaves half a manifest."""
    write_atomic(path, manifest.model_dump_json(indent=2) + "\n")

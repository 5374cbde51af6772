"""The record of a run: what produced the claims, what it cost, and how it went.

One document's outcome becomes a small `progress record` (written per document by the sinks, so
a resumed run can add up what earlier runs did); `RunStats` adds records up; `build_manifest`
writes the whole: endpoint, model, mode, prompt hash, package versions, options, documents,
claims proposed / verified / rejected, errors, tokens of every attempt, wall time. Nothing secret
goes in: the backend's `describe()` and `Settings.public()` hold no key by contract.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claims.run.pipeline import DocumentResult, ExtractOptions
from claims.software import git_state, package_versions

USAGE_FIELDS = ("requests", "prompt_tokens", "completion_tokens", "cached")


def progress_record(result: DocumentResult) -> dict[str, Any]:
    """What the run remembers of one finished document."""
    return {
        "doc_id": result.doc_id,
        "ok": result.ok,
        "claims": len(result.claims),
        "by_type": dict(Counter(claim.type for claim in result.claims)),
        "rejected": len(result.rejected),
        "proposed": result.proposed,
        "reasked": result.reasked,
        "regrounded": result.regrounded,
        "error": result.error.error if result.error else None,
        "usage": {name: getattr(result.usage, name) for name in USAGE_FIELDS},
    }


@dataclass
class RunStats:
    """Totals over the documents of a run (and of the runs it resumes)."""

    documents: int = 0
    failed: int = 0
    claims: int = 0
    proposed: int = 0
    rejected: int = 0
    reasked: int = 0
    regrounded: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    usage: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, record: dict[str, Any]) -> None:
        self.documents += 1
        self.failed += 0 if record["ok"] else 1
        for name in ("claims", "proposed", "rejected", "reasked", "regrounded"):
            setattr(self, name, getattr(self, name) + int(record.get(name, 0)))
        self.by_type.update(record.get("by_type", {}))
        self.usage.update(record.get("usage", {}))
        if record.get("error"):
            self.errors[record["error"]] += 1

    def as_dict(self) -> dict[str, Any]:
        usage = {name: self.usage.get(name, 0) for name in USAGE_FIELDS}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        return {
            "documents": self.documents,
            "documents_failed": self.failed,
            "claims_proposed": self.proposed,
            "claims_verified": self.claims,
            "claims_rejected": self.rejected,
            "claims_reasked": self.reasked,
            "claims_regrounded": self.regrounded,
            "claims_by_type": dict(sorted(self.by_type.items())),
            "errors": dict(sorted(self.errors.items())),
            "usage": usage,
        }


def build_manifest(
    *,
    backend_name: str,
    described: dict[str, str | None],
    stats: RunStats,
    options: ExtractOptions,
    wall_seconds: float,
    settings: dict[str, object] | None = None,
    started: datetime | None = None,
    resumed_documents: int = 0,
) -> dict[str, Any]:
    """The run manifest as a JSON-ready dict."""
    return {
        "backend": backend_name,
        **described,
        **stats.as_dict(),
        "resumed_documents": resumed_documents,
        "wall_seconds": round(wall_seconds, 3),
        "started_at": (started or datetime.now(UTC)).isoformat(timespec="seconds"),
        "options": dataclasses.asdict(options),
        "settings": {k: v for k, v in (settings or {}).items() if k != "api_key"},
        "versions": package_versions(),
        "git": git_state(),
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write atomically, so a killed run never leaves half a manifest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
    os.replace(temporary, path)

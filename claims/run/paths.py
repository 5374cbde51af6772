"""Where a run writes its JSONL files, the manifest and the progress file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputPaths:
    """Where a run writes. `claims` None means standard output (then nothing can be resumed)."""

    claims: Path | None
    rejected: Path | None
    errors: Path | None
    manifest: Path | None
    progress: Path | None
    documents: Path | None = None
    """The documents' text (documents JSONL): what every span of the claims indexes."""

    @classmethod
    def beside(
        cls,
        out: str | None,
        rejected: str | None = None,
        errors: str | None = None,
        manifest: str | None = None,
        documents: str | None = None,
    ) -> OutputPaths:
        """Explicit paths win; with an output file, the others default to files beside it
        (`claims.jsonl` → `claims.rejected.jsonl`, `.errors.jsonl`, `.documents.jsonl`,
        `.manifest.json`, `.progress.jsonl`)."""
        target = Path(out) if out and out != "-" else None

        def sibling(given: str | None, suffix: str) -> Path | None:
            if given:
                return Path(given)
            if target is None:
                return None
            stem = target.name[: -len(".jsonl")] if target.name.endswith(".jsonl") else target.name
            return target.with_name(stem + suffix)

        return cls(
            claims=target,
            rejected=sibling(rejected, ".rejected.jsonl"),
            errors=sibling(errors, ".errors.jsonl"),
            manifest=sibling(manifest, ".manifest.json"),
            progress=sibling(None, ".progress.jsonl"),
            documents=sibling(documents, ".documents.jsonl"),
        )

    def record_files(self) -> list[Path]:
        return [p for p in (self.claims, self.rejected, self.errors) if p is not None]

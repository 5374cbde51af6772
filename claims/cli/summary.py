"""The per-document summary table printed on standard error at the end of `claims extract`."""

from __future__ import annotations

from typing import Any

from claims.run.manifest import RunStats

MAX_ROWS = 40
TYPES = (("meeting", "meet"), ("arms_delivery", "arms"), ("treaty_signing", "treaty"))


def format_summary(records: list[dict[str, Any]], stats: RunStats, resumed: int = 0) -> str:
    """A table of the documents of this run (first MAX_ROWS, by id: documents finish in any
    order) and the run's totals."""
    records = sorted(records, key=lambda record: str(record["doc_id"]))
    width = max([len("document"), *(len(str(r["doc_id"])) for r in records[:MAX_ROWS])])
    width = min(width, 48)
    header = f"{'document':<{width}}  " + "  ".join(f"{short:>6}" for _, short in TYPES)
    header += f"  {'reject':>6}  error"
    lines = [header]
    for record in records[:MAX_ROWS]:
        by_type = record.get("by_type", {})
        doc_id = str(record["doc_id"])
        doc_id = doc_id if len(doc_id) <= width else doc_id[: width - 1] + "…"
        row = f"{doc_id:<{width}}  " + "  ".join(f"{by_type.get(name, 0):>6}" for name, _ in TYPES)
        error = record.get("error") or ""
        row += f"  {record.get('rejected', 0):>6}  {'partial: ' + error if record.get('partial') else error}"
        lines.append(row.rstrip())
    if len(records) > MAX_ROWS:
        lines.append(f"… and {len(records) - MAX_ROWS} more documents")
    totals = stats.as_dict()
    usage = totals["usage"]
    lines.append(
        f"total: {stats.documents} documents ({stats.failed} failed"
        + (f", {stats.partial} partial" if stats.partial else "")
        + (f", {resumed} from an earlier run" if resumed else "")
        + f"), {stats.claims} claims "
        + "("
        + ", ".join(f"{stats.by_type.get(name, 0)} {name}" for name, _ in TYPES)
        + f") from {stats.proposed} proposed ({stats.rejected} rejected, "
        + f"{max(0, stats.proposed - stats.rejected - stats.claims)} merged into other claims); "
        + f"{usage['requests']} requests, {usage['total_tokens']} tokens, {usage['cached']} cached answers"
    )
    return "\n".join(lines)

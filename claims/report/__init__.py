"""The review page: verified claims highlighted in their sources, as one self-contained HTML file.

A top layer like the CLI: it reads the core (documents, records, the verifier's quote lookup)
and never a backend. `build` turns documents and records into the page's data, `segments`
cuts a text under overlapping spans, `render` writes the HTML with the files of `static/`,
`evaluation` reads `claims eval --json` output (its contract is in that module's docstring),
`events` turns a claims database's events into the events view's data, and `database` reads
a database for the page (the only module here that imports `claims.db`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from claims.events.summary import EventSummary
from claims.inputs.documents import Document
from claims.report.build import BuiltReport, ReportBuildError, build_report
from claims.report.evaluation import EvalInputError, Evaluation, parse_evaluation, read_evaluation
from claims.report.inputs import RecordInputError, read_rejected, read_verified
from claims.report.render import render_html
from claims.schema import RejectedClaim, VerifiedClaim

__all__ = [
    "BuiltReport",
    "EvalInputError",
    "Evaluation",
    "RecordInputError",
    "ReportBuildError",
    "build_report",
    "make_report",
    "parse_evaluation",
    "read_evaluation",
    "read_rejected",
    "read_verified",
    "render_html",
]


def make_report(
    documents: Sequence[Document],
    claims: Iterable[VerifiedClaim],
    rejected: Iterable[RejectedClaim] = (),
    evaluation: Evaluation | None = None,
    title: str | None = None,
    events: Sequence[EventSummary] | None = None,
) -> tuple[str, list[str]]:
    """The review page as HTML, and the warnings to show the reviewer (see `build_report`);
    `events` (from `claims.db`) adds the events view."""
    built = build_report(documents, claims, rejected, evaluation, title, events)
    return render_html(built.data), built.warnings

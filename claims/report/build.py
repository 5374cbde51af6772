"""Turning documents and records into the review page's data model (plain JSON-ready dicts).

Every document carries its text already cut into segments (see `claims.report.segments`):
a list of `[text, [mark, …]]` pairs that tile the text exactly, where each mark is a span
drawn on the page — a claim's span, one of its alternative spans, a rejected claim's
near-miss, or a missed gold claim (false negative). The page only ever puts segment text into
the DOM as text, and never has to do offset arithmetic (JavaScript counts UTF-16 units where
Python counts code points).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from claims._version import __version__
from claims.events.summary import EventSummary
from claims.inputs.documents import Document
from claims.inputs.origin import Origin, plain_line, safe_url
from claims.report.evaluation import EvalError, Evaluation, Scalar
from claims.report.events import EventsBuildError, EventsData, PageClaim, build_events
from claims.report.segments import segment
from claims.schema import ClaimType, RejectedClaim, Status, VerifiedClaim
from claims.verify.normalize import normalize_string
from claims.verify.verifier import SourceText

MarkKind = Literal["claim", "alt", "near", "fn"]
SAME_SOURCE = "give the --source the claims were verified against"


class ReportBuildError(ValueError):
    """Records that do not fit the documents they claim to come from.

    `records` says which input holds them: "claims" (verified), "rejected", or "events" (the
    database the events come from).
    """

    def __init__(self, message: str, records: Literal["claims", "rejected", "events"] = "claims") -> None:
        super().__init__(message)
        self.records = records


class Mark(TypedDict):
    """A span drawn on the page; `item` indexes the document's claims, rejected or fns list."""

    kind: MarkKind
    item: int


class ClaimItem(TypedDict):
    record: dict[str, Any]
    mark: int
    alt_marks: list[int]
    fp: dict[str, Any] | None


class RejectedItem(TypedDict):
    record: dict[str, Any]
    mark: int | None


class MissedItem(TypedDict):
    fields: dict[str, Any]
    mark: int | None


class OriginData(TypedDict):
    """Where a document came from, as the page shows it: plain text, and a URL only if it is http(s)."""

    title: str | None
    site: str | None
    url: str | None
    encoding: str | None
    extractor: str | None


def origin_data(origin: Origin | None) -> OriginData | None:
    """The page's view of an origin; page metadata is untrusted, so it is cleaned again here."""
    if origin is None:
        return None
    return {
        "title": plain_line(origin.title),
        "site": plain_line(origin.site),
        "url": safe_url(origin.url),
        "encoding": plain_line(origin.encoding),
        "extractor": plain_line(origin.extractor),
    }


class DocumentData(TypedDict):
    id: str
    published: str | None
    language: str | None
    source: str | None
    origin: OriginData | None
    length: int
    counts: dict[str, int]
    eval: dict[str, Scalar] | None
    claims: list[ClaimItem]
    rejected: list[RejectedItem]
    fns: list[MissedItem]
    marks: list[Mark]
    segments: list[tuple[str, list[int]]]


class ReportData(TypedDict):
    title: str
    version: str
    types: list[str]
    statuses: list[str]
    has_eval: bool
    overall: dict[str, Scalar]
    totals: dict[str, int]
    orphans: list[dict[str, Any]]
    documents: list[DocumentData]
    events: EventsData | None
    """The events view (None: the page was made without a database)."""


@dataclass
class BuiltReport:
    """The page's data, and what the reviewer should be told on the console."""

    data: ReportData
    warnings: list[str] = field(default_factory=list)


@dataclass
class _DocumentBuilder:
    document: Document
    claims: list[VerifiedClaim] = field(default_factory=list)
    rejected: list[RejectedClaim] = field(default_factory=list)
    false_positives: dict[int, EvalError] = field(default_factory=dict)
    false_negatives: list[EvalError] = field(default_factory=list)
    _source: SourceText | None = None

    @property
    def source(self) -> SourceText:
        if self._source is None:
            self._source = SourceText(self.document.text)
        return self._source


def build_report(
    documents: Sequence[Document],
    claims: Iterable[VerifiedClaim],
    rejected: Iterable[RejectedClaim] = (),
    evaluation: Evaluation | None = None,
    title: str | None = None,
    events: Sequence[EventSummary] | None = None,
) -> BuiltReport:
    """The review page's data for `documents`, with every claim, rejection and eval error placed,
    and — given `events` (from a claims database) — the events view over them.

    Raises ReportBuildError when a claim names a document that is not given, or when its span
    does not hold its quote (the source is not the one the claims were verified against).
    """
    builders = {document.id: _DocumentBuilder(document) for document in documents}
    warnings: list[str] = []
    _place_claims(builders, claims)
    orphans = _place_rejected(builders, rejected)
    if orphans:
        warnings.append(f"{len(orphans)} rejected claims name no given document; listed apart in the report")
    overall: dict[str, Scalar] = {}
    per_document: dict[str, dict[str, Scalar]] = {}
    if evaluation is not None:
        overall, per_document = evaluation.overall, evaluation.per_document
        warnings.extend(_place_false_positives(builders, evaluation.false_positives))
        warnings.extend(_place_false_negatives(builders, evaluation.false_negatives))
        unknown = sorted(set(per_document) - set(builders))
        if unknown:
            warnings.append(f"the evaluation covers {len(unknown)} documents not given, e.g. {unknown[0]!r}")
    pages = [
        _document_data(builder, per_document.get(doc_id) if evaluation is not None else None)
        for doc_id, builder in builders.items()
    ]
    totals = {
        "documents": len(pages),
        "claims": sum(len(page["claims"]) for page in pages),
        **{kind.value: sum(page["counts"][kind.value] for page in pages) for kind in ClaimType},
        "rejected": sum(len(page["rejected"]) for page in pages) + len(orphans),
        "false_positives": sum(page["counts"]["fp"] for page in pages),
        "false_negatives": sum(page["counts"]["fn"] for page in pages),
    }
    events_data = None
    if events is not None:
        events_data, event_warnings = _events_data(builders, events)
        warnings.extend(event_warnings)
        totals["events"] = events_data["count"]
    default_title = f"claims review — {len(pages)} documents"
    if events_data is not None:
        default_title += f", {events_data['count']} events"
    data: ReportData = {
        "title": title or default_title,
        "version": __version__,
        "types": [kind.value for kind in ClaimType],
        "statuses": [status.value for status in Status],
        "has_eval": evaluation is not None,
        "overall": overall,
        "totals": totals,
        "orphans": orphans,
        "documents": pages,
        "events": events_data,
    }
    return BuiltReport(data, warnings)


def _events_data(
    builders: dict[str, _DocumentBuilder], events: Sequence[EventSummary]
) -> tuple[EventsData, list[str]]:
    claims: dict[tuple[str, str], PageClaim] = {}
    texts: dict[str, tuple[int, str]] = {}
    for index, (doc_id, builder) in enumerate(builders.items()):
        texts[doc_id] = (index, builder.document.text)
        for claim in builder.claims:
            claims.setdefault(
                (doc_id, claim.claim_id),
                {
                    "doc": index,
                    "start": claim.span.start,
                    "end": claim.span.end,
                    "quote": claim.quote,
                    "date": claim.date,
                },
            )
    try:
        return build_events(events, claims, texts)
    except EventsBuildError as error:
        raise ReportBuildError(str(error), records="events") from None


def _place_claims(builders: dict[str, _DocumentBuilder], claims: Iterable[VerifiedClaim]) -> None:
    missing: dict[str, int] = {}
    for claim in claims:
        builder = builders.get(claim.doc_id)
        if builder is None:
            missing[claim.doc_id] = missing.get(claim.doc_id, 0) + 1
            continue
        text = builder.document.text
        for span in [claim.span, *claim.alt_spans]:
            if not 0 <= span.start < span.end <= len(text):
                raise ReportBuildError(
                    f"claim {claim.claim_id}: span {span.start}-{span.end} is outside document "
                    f"{claim.doc_id!r} ({len(text)} characters); {SAME_SOURCE}"
                )
        if text[claim.span.start : claim.span.end] != claim.quote:
            raise ReportBuildError(
                f"claim {claim.claim_id}: document {claim.doc_id!r} does not hold its quote at "
                f"{claim.span.start}-{claim.span.end}; {SAME_SOURCE}"
            )
        builder.claims.append(claim)
    if missing:
        first = next(iter(missing))
        raise ReportBuildError(
            f"{sum(missing.values())} claims name documents not in the source (e.g. {first!r}); {SAME_SOURCE}"
        )
    for builder in builders.values():
        builder.claims.sort(key=lambda claim: (claim.span.start, claim.span.end, claim.type))


def _place_rejected(
    builders: dict[str, _DocumentBuilder], rejected: Iterable[RejectedClaim]
) -> list[dict[str, Any]]:
    orphans: list[dict[str, Any]] = []
    for record in rejected:
        builder = builders.get(record.doc_id) if record.doc_id is not None else None
        if builder is None:
            orphans.append(record.model_dump(mode="json"))
            continue
        near = record.near_miss
        text = builder.document.text
        if near is not None and (
            not 0 <= near.span.start <= near.span.end <= len(text)
            or text[near.span.start : near.span.end] != near.text
        ):
            raise ReportBuildError(
                f"a rejected claim's near miss is not at {near.span.start}-{near.span.end} of document "
                f"{record.doc_id!r}; {SAME_SOURCE}",
                records="rejected",
            )
        builder.rejected.append(record)
    return orphans


def _claim_key(doc_id: str, claim_type: str | None, quote: str) -> tuple[str, str | None, str]:
    return doc_id, claim_type, normalize_string(quote)


def _place_false_positives(builders: dict[str, _DocumentBuilder], errors: list[EvalError]) -> list[str]:
    by_id: dict[str, tuple[_DocumentBuilder, int]] = {}
    by_key: dict[tuple[str, str | None, str], tuple[_DocumentBuilder, int]] = {}
    for builder in builders.values():
        for index, claim in enumerate(builder.claims):
            by_id.setdefault(claim.claim_id, (builder, index))
            by_key.setdefault(_claim_key(claim.doc_id, claim.type, claim.quote), (builder, index))
    unmatched: list[EvalError] = []
    for error in errors:
        found = by_id.get(error.claim_id) if error.claim_id else None
        if found is None and error.quote is not None:
            found = by_key.get(_claim_key(error.doc_id, error.type, error.quote))
        if found is None:
            unmatched.append(error)
            continue
        builder, index = found
        builder.false_positives[index] = error
    if not unmatched:
        return []
    return [
        f"{len(unmatched)} false positives of the evaluation match no claim in the report "
        f"(e.g. in {unmatched[0].doc_id!r}); evaluate the same claims file you report on"
    ]


def _place_false_negatives(builders: dict[str, _DocumentBuilder], errors: list[EvalError]) -> list[str]:
    unknown = [error for error in errors if error.doc_id not in builders]
    for error in errors:
        if error.doc_id in builders:
            builders[error.doc_id].false_negatives.append(error)
    if not unknown:
        return []
    return [f"{len(unknown)} false negatives name documents not given (e.g. {unknown[0].doc_id!r})"]


def _document_data(builder: _DocumentBuilder, evaluation: dict[str, Scalar] | None) -> DocumentData:
    """One document's page: items, the marks drawn for them, and the text cut into segments."""
    marks: list[Mark] = []
    spans: list[tuple[int, int]] = []

    def add_mark(kind: MarkKind, item: int, start: int, end: int) -> int:
        marks.append({"kind": kind, "item": item})
        spans.append((start, end))
        return len(marks) - 1

    claims: list[ClaimItem] = []
    for index, claim in enumerate(builder.claims):
        mark = add_mark("claim", index, claim.span.start, claim.span.end)
        alt_marks = [add_mark("alt", index, span.start, span.end) for span in claim.alt_spans]
        error = builder.false_positives.get(index)
        claims.append(
            {
                "record": claim.model_dump(mode="json"),
                "mark": mark,
                "alt_marks": alt_marks,
                "fp": error.fields if error is not None else None,
            }
        )
    rejected: list[RejectedItem] = []
    for index, record in enumerate(builder.rejected):
        near = record.near_miss
        near_mark = None
        if near is not None and near.span.end > near.span.start:
            near_mark = add_mark("near", index, near.span.start, near.span.end)
        rejected.append({"record": record.model_dump(mode="json"), "mark": near_mark})
    fns: list[MissedItem] = []
    for index, error in enumerate(builder.false_negatives):
        found = builder.source.find(error.quote) if error.quote is not None else None
        fn_mark = add_mark("fn", index, found.start, found.end) if found is not None else None
        fns.append({"fields": error.fields, "mark": fn_mark})
    text = builder.document.text
    counts = {kind.value: sum(1 for c in builder.claims if c.type == kind.value) for kind in ClaimType}
    counts.update(rejected=len(rejected), fp=len(builder.false_positives), fn=len(fns))
    return {
        "id": builder.document.id,
        "published": builder.document.published,
        "language": builder.document.language,
        "source": builder.document.source,
        "origin": origin_data(builder.document.origin),
        "length": len(text),
        "counts": counts,
        "eval": evaluation,
        "claims": claims,
        "rejected": rejected,
        "fns": fns,
        "marks": marks,
        "segments": [(text[s.start : s.end], list(s.covers)) for s in segment(len(text), spans)],
    }

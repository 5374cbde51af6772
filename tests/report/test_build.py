"""The page's data model: claims, rejections and eval errors placed in their documents' text."""

from __future__ import annotations

from typing import Any

import pytest

from claims.inputs.documents import Document
from claims.report.build import DocumentData, ReportBuildError, build_report
from claims.report.evaluation import parse_evaluation
from claims.schema import VerifiedClaim
from tests.report.helpers import seed_claims, seed_documents, seed_rejected


def marked_text(page: DocumentData, mark: int) -> str:
    return "".join(text for text, marks in page["segments"] if mark in marks)


def pages_by_id(data: Any) -> dict[str, DocumentData]:
    return {page["id"]: page for page in data["documents"]}


def test_every_claim_is_marked_over_exactly_its_quote() -> None:
    documents = seed_documents()
    claims = seed_claims()
    built = build_report(documents, claims)
    pages = pages_by_id(built.data)
    assert built.warnings == []
    for document in documents:
        page = pages[document.id]
        assert "".join(text for text, _ in page["segments"]) == document.text
        for item in page["claims"]:
            span = item["record"]["span"]
            assert marked_text(page, item["mark"]) == document.text[span["start"] : span["end"]]
    assert built.data["totals"]["claims"] == len(claims) == sum(len(p["claims"]) for p in pages.values())
    # The seeds state several claims in one sentence: those segments carry several marks.
    assert any(len(marks) > 1 for page in pages.values() for _, marks in page["segments"])


def test_counts_by_type_per_document_and_in_total() -> None:
    built = build_report(seed_documents(), seed_claims())
    totals = built.data["totals"]
    assert totals["meeting"] + totals["arms_delivery"] + totals["treaty_signing"] == totals["claims"]
    page = pages_by_id(built.data)["003_d6d1575a7536b8bc"]
    assert {key: page["counts"][key] for key in ("meeting", "arms_delivery", "treaty_signing")} == {
        "meeting": 2,
        "arms_delivery": 4,
        "treaty_signing": 1,
    }


def test_rejected_claims_are_listed_with_their_near_miss_marked() -> None:
    rejected = seed_rejected()
    built = build_report(seed_documents(), seed_claims(), rejected)
    page = pages_by_id(built.data)["003_d6d1575a7536b8bc"]
    assert [item["record"]["reason"] for item in page["rejected"]] == ["not_found", "not_found", "too_short"]
    for item in page["rejected"]:
        near = item["record"]["near_miss"]
        if near is not None:
            assert item["mark"] is not None
            assert marked_text(page, item["mark"]) == near["text"]
    assert [orphan["doc_id"] for orphan in built.data["orphans"]] == ["999_not_given"]
    assert built.data["totals"]["rejected"] == len(rejected)
    assert built.warnings == ["1 rejected claims name no given document; listed apart in the report"]


def test_false_positives_match_by_claim_id_or_by_type_and_normalised_quote() -> None:
    claims = seed_claims()
    by_id, by_quote = claims[0], claims[-1]
    typographic = by_quote.quote.replace('"', "“") + "  "
    evaluation = parse_evaluation(
        {
            "errors": {
                "false_positives": [
                    {"doc_id": by_id.doc_id, "claim_id": by_id.claim_id, "reason": "no gold"},
                    {"doc_id": by_quote.doc_id, "type": by_quote.type, "quote": typographic},
                    {"doc_id": by_quote.doc_id, "type": "treaty_signing", "quote": by_quote.quote},
                ]
            }
        }
    )
    built = build_report(seed_documents(), claims, evaluation=evaluation)
    flagged = {
        item["record"]["claim_id"]: item["fp"]
        for page in built.data["documents"]
        for item in page["claims"]
        if item["fp"] is not None
    }
    assert set(flagged) == {by_id.claim_id, by_quote.claim_id}
    assert flagged[by_id.claim_id]["reason"] == "no gold"
    assert built.data["totals"]["false_positives"] == 2
    assert built.warnings == [
        "1 false positives of the evaluation match no claim in the report "
        f"(e.g. in {by_quote.doc_id!r}); evaluate the same claims file you report on"
    ]


def test_false_negatives_are_placed_where_their_quote_is_found() -> None:
    document = Document(id="d", text="Erst kam der Gipfel.\nDann trafen sich  Putin und Xi in Astana.")
    evaluation = parse_evaluation(
        {
            "per_document": {"d": {"fn": 2}, "elsewhere": {"fn": 0}},
            "errors": {
                "false_negatives": [
                    {"doc_id": "d", "type": "meeting", "quote": "trafen sich Putin und Xi"},
                    {"doc_id": "d", "type": "meeting", "quote": "not in the text at all"},
                    {"doc_id": "x", "type": "meeting", "quote": "anything"},
                ]
            },
        }
    )
    built = build_report([document], [], evaluation=evaluation)
    page = built.data["documents"][0]
    located, missing = page["fns"]
    assert located["mark"] is not None and marked_text(page, located["mark"]) == "trafen sich  Putin und Xi"
    assert missing["mark"] is None
    assert page["eval"] == {"fn": 2}
    assert page["counts"]["fn"] == 2
    assert built.data["has_eval"] is True
    assert built.warnings == [
        "1 false negatives name documents not given (e.g. 'x')",
        "the evaluation covers 1 documents not given, e.g. 'elsewhere'",
    ]


def test_a_claim_for_a_document_not_given_stops_the_report() -> None:
    claims = seed_claims()
    with pytest.raises(ReportBuildError, match=r"65 claims name documents not in the source .*--source"):
        build_report([], claims)


def _moved(claim: VerifiedClaim, start: int, end: int) -> VerifiedClaim:
    return claim.model_copy(update={"span": claim.span.model_copy(update={"start": start, "end": end})})


def test_a_span_that_does_not_hold_its_quote_stops_the_report() -> None:
    claim = seed_claims()[0]
    with pytest.raises(ReportBuildError, match="does not hold its quote"):
        build_report(seed_documents(), [_moved(claim, claim.span.start + 1, claim.span.end + 1)])
    with pytest.raises(ReportBuildError, match="is outside document"):
        build_report(seed_documents(), [_moved(claim, claim.span.start, 10**6)])


def test_alternative_spans_are_marked_too() -> None:
    claims = seed_claims()
    first, other = claims[0], claims[1]
    merged = first.model_copy(update={"alt_spans": [other.span]})
    page = build_report(seed_documents(), [merged]).data["documents"][0]
    (item,) = page["claims"]
    assert [marked_text(page, mark) for mark in item["alt_marks"]] == [other.quote]


def test_an_empty_document_has_no_segments() -> None:
    page = build_report([Document(id="empty", text="")], []).data["documents"][0]
    assert page["segments"] == [] and page["length"] == 0


def test_the_page_gets_the_origin_cleaned_again_whatever_the_document_holds() -> None:
    from claims.inputs.origin import Origin
    from claims.report.build import origin_data

    planted = Origin.model_construct(
        url="javascript:alert(1)",
        site="Evil\nNews",
        title=" <b>Title</b> ",
        path=None,
        encoding=None,
        extractor=None,
    )
    assert origin_data(planted) == {
        "title": "<b>Title</b>",
        "site": "Evil News",
        "url": None,
        "encoding": None,
        "extractor": None,
    }
    assert origin_data(None) is None
    good = Origin(url="https://example.org/a?session=1", title="T")
    data = origin_data(good)
    assert data is not None and data["url"] == "https://example.org/a"

"""The events view's data: events from a real claims database, each quote tied to the page's
document and claim whose highlight is exactly text[start:end], conflicts flagged."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.events.group import group_claims
from claims.events.summary import EventClaimRef, summarize
from claims.inputs.documents import Document
from claims.report import make_report
from claims.report.build import ReportBuildError, ReportData, build_report
from claims.report.database import ReportDatabaseError, read_database
from claims.report.events import EventData
from claims.schema import Actor, Provenance, Span, VerifiedMeeting, actor_key, claim_id
from tests.report.eventdb import (
    HOSTILE_ACTOR,
    HOSTILE_PLACE,
    HOSTILE_QUOTE,
    conflict_corpus,
    hostile_corpus,
    make_db,
)
from tests.report.test_build import marked_text


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return make_db(tmp_path / "claims.db", conflict_corpus())


def report_from(database: Path, **kwargs: Any) -> tuple[ReportData, list[str]]:
    content = read_database(str(database), everything=True)
    built = build_report(content.documents, content.claims, content.rejected, events=content.events, **kwargs)
    return built.data, built.warnings


def events_of(data: ReportData) -> list[EventData]:
    assert data["events"] is not None
    return data["events"]["items"]


def by_docs(data: ReportData) -> dict[tuple[str, frozenset[str]], EventData]:
    return {
        (item["type"], frozenset(ref["doc_id"] for ref in item["claims"])): item for item in events_of(data)
    }


def test_every_event_quote_opens_its_document_at_a_claim_marked_over_exactly_its_span(database: Path) -> None:
    data, warnings = report_from(database)
    assert warnings == []
    texts = {doc.doc_id: doc.text for doc in _stored(database)}
    refs = [ref for item in events_of(data) for ref in item["claims"]]
    assert len(refs) == 6 and len(events_of(data)) == 4
    for ref in refs:
        assert ref["unlinked"] is None and ref["doc"] is not None
        page = data["documents"][ref["doc"]]
        assert page["id"] == ref["doc_id"]
        (item,) = [it for it in page["claims"] if it["record"]["claim_id"] == ref["claim_id"]]
        expected = texts[ref["doc_id"]][ref["start"] : ref["end"]]
        assert ref["quote"] == expected == marked_text(page, item["mark"])
        assert ref["date"] == item["record"]["date"]


def _stored(database: Path) -> list[Any]:
    import claims.db

    with claims.db.open(database) as db:
        return list(db.iter_documents())


def test_a_date_disagreement_and_mixed_statuses_are_flagged(database: Path) -> None:
    data, _ = report_from(database)
    events = by_docs(data)
    meeting = events[("meeting", frozenset({"c0", "c1"}))]
    assert meeting["flags"] == ["dates"]
    assert meeting["date"] == "2024-06" and meeting["date_conflicts"] == ["2024-06-17", "2024-06-18"]
    assert sorted(ref["date"] or "" for ref in meeting["claims"]) == ["2024-06-17", "2024-06-18"]
    supply = events[("arms_delivery", frozenset({"c0", "c1"}))]
    assert supply["flags"] == ["statuses"] and supply["status_counts"] == {"alleged": 1, "occurred": 1}
    assert sorted(ref["status"] for ref in supply["claims"]) == ["alleged", "occurred"]
    quiet = [item for key, item in events.items() if key[1] in ({"c2"}, {"c3"})]
    assert len(quiet) == 2 and all(item["flags"] == [] for item in quiet)
    assert data["events"] is not None and data["events"]["flagged"] == 2


def test_events_run_by_date_with_the_undated_last_and_carry_their_countries(database: Path) -> None:
    data, _ = report_from(database)
    events = events_of(data)
    assert [item["date"] for item in events] == ["2024-06", "2024-07-05", None, None]
    assert [item["type"] for item in events[2:]] == ["arms_delivery", "meeting"]
    assert events[1]["countries"] == ["BLR", "CHN"]
    assert {a["name"] for a in events[1]["actors"]} == {"Belarus", "China"}
    assert events[0]["documents"] == 2 and events[0]["sources"] == 2 and events[0]["location"] == "Moskau"
    assert data["events"] is not None
    assert data["events"]["countries"] == [("BLR", 1), ("CHN", 1), ("IRN", 2), ("PRK", 1), ("RUS", 3)]
    assert data["totals"]["events"] == 4
    assert data["title"] == "claims review — 5 documents, 4 events"


def test_the_database_alone_gives_the_stored_documents_and_each_claim_once(tmp_path: Path) -> None:
    database = make_db(tmp_path / "claims.db", conflict_corpus())
    import claims.db

    doc, outcome = conflict_corpus()[0]
    with claims.db.open(database) as db:  # the same document again, by another model: one claim is the same
        db.start_run("r2", backend="rules", model="m2", prompt_hash="p1")
        db.write_document("r2", doc, outcome)
    content = read_database(str(database), everything=True)
    assert [d.id for d in content.documents] == ["c0", "c1", "c2", "c3", "c4"]
    assert {d.id: d.text for d in content.documents} == {d.id: d.text for d, _ in conflict_corpus()}
    assert len(content.claims) == 6 == len({(c.doc_id, c.claim_id) for c in content.claims})
    assert content.documents[0].published == "2024-06-18" and content.documents[0].language == "de"


def test_the_database_alone_gives_each_document_the_origin_it_stored(tmp_path: Path) -> None:
    from claims.inputs.origin import Origin

    (doc, outcome), *rest = conflict_corpus()
    origin = Origin(title="Treffen in Moskau", url="https://news.example/a", site="news.example")
    corpus = [(doc.model_copy(update={"origin": origin}), outcome), *rest]
    content = read_database(str(make_db(tmp_path / "claims.db", corpus)), everything=True)
    shown = content.documents[0].origin
    assert shown is not None
    assert (shown.title, shown.url) == ("Treffen in Moskau", "https://news.example/a")
    assert shown.site == "news.example"


def test_with_claim_files_quotes_outside_the_page_are_listed_without_a_link(database: Path) -> None:
    content = read_database(str(database), everything=True)
    kept = [d for d in content.documents if d.id != "c1"]
    claims = [c for c in content.claims if c.doc_id == "c0" and c.type == "meeting"]
    built = build_report(kept, claims, events=content.events)
    refs = {(ref["doc_id"], ref["claim_id"]): ref for item in events_of(built.data) for ref in item["claims"]}
    linked = {key for key, ref in refs.items() if ref["doc"] is not None}
    assert linked == {("c0", claims[0].claim_id)}
    reasons = {key[0]: ref["unlinked"] for key, ref in refs.items() if key not in linked}
    assert reasons["c1"] == "document not in this page"
    assert reasons["c2"] == "claim not among this page's claims"
    assert len(built.warnings) == 2 and "(e.g. 'c1')" in built.warnings[0]
    assert built.data["events"] is not None and built.data["events"]["unlinked"] == 5


def test_a_page_document_with_another_text_than_the_database_stops_the_report(database: Path) -> None:
    content = read_database(str(database), everything=True)
    changed = [d.model_copy(update={"text": "X" + d.text}) if d.id == "c2" else d for d in content.documents]
    with pytest.raises(ReportBuildError, match=r"document 'c2' does not hold the quote") as caught:
        build_report(changed, [], events=content.events)
    assert caught.value.records == "events"


def test_an_event_claim_with_another_span_than_the_pages_claim_is_not_linked(database: Path) -> None:
    content = read_database(str(database), everything=True)
    event = next(e for e in content.events if e.date == "2024-07-05")
    ref = event.claims[0]
    moved = EventClaimRef(**{**ref.model_dump(), "span": Span(start=ref.span.start + 1, end=ref.span.end)})
    shifted = event.model_copy(update={"claims": [moved]})
    with pytest.raises(ReportBuildError, match="does not hold the quote"):
        build_report(content.documents, content.claims, events=[shifted])


def test_hostile_names_and_quotes_stay_data_inside_the_page(tmp_path: Path) -> None:
    database = make_db(tmp_path / "claims.db", hostile_corpus())
    content = read_database(str(database), everything=True)
    page, _ = make_report(content.documents, content.claims, events=content.events)
    assert len(re.findall(r"</script", page, re.I)) == 2
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert match is not None and "<" not in match.group(1)
    (item,) = json.loads(match.group(1))["events"]["items"]
    assert item["claims"][0]["quote"] == HOSTILE_QUOTE and item["location"] == HOSTILE_PLACE
    assert HOSTILE_ACTOR in [actor["name"] for actor in item["actors"]]


def test_a_missing_database_file_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    with pytest.raises(ReportDatabaseError, match=r"nope\.db: no such database file; give --db"):
        read_database(str(missing), everything=True)
    assert not missing.exists()


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.db"
    foreign.write_text("Einkaufsliste\n", encoding="utf-8")
    with pytest.raises(ReportDatabaseError, match="not a SQLite database"):
        read_database(str(foreign), everything=False)
    assert foreign.read_text(encoding="utf-8") == "Einkaufsliste\n"


def test_a_page_made_without_a_database_has_no_events_view() -> None:
    data = build_report([], []).data
    assert data["events"] is None and "events" not in data["totals"]


# --- offsets, planted in random text -------------------------------------------------------------

_FILLER = st.text(max_size=40)  # any Unicode but lone surrogates (hypothesis leaves those out)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_FILLER, _FILLER, st.sampled_from(["RUS", "IRN", "PRK"])), min_size=1, max_size=6),
    st.sampled_from(["2024-06-17", "2024-06", None]),
)
def test_every_event_quote_is_marked_over_its_span_in_random_text(
    parts: list[tuple[str, str, str]], date: str | None
) -> None:
    """Quotes planted between random text: the event's quote, its
    span and the page's mark of its claim all say text[start:end]."""
    documents, claims_ = [], []
    for index, (before, after, state) in enumerate(parts):
        quote = f"Am Montag trafen sich Vertreter von Russland und {state} in Moskau."
        doc = Document(id=f"r{index}", text=before + quote + after)
        span = Span(start=len(before), end=len(before) + len(quote))
        actors = [Actor(name="Russland", country="RUS"), Actor(name=state, country=state)]
        claim = VerifiedMeeting(
            doc_id=doc.id,
            quote=quote,
            status="occurred",
            date=date,
            participants=actors,
            claim_id=claim_id(doc.id, "meeting", span, [actor_key(a) for a in actors]),
            span=span,
            match="exact",
            occurrences=1,
            provenance=Provenance(backend="test"),
        )
        documents.append(doc)
        claims_.append(claim)
    groups = group_claims(claims_)
    events = [summarize(group, {}) for group in groups]
    data = build_report(documents, claims_, events=events).data
    pages = {page["id"]: page for page in data["documents"]}
    refs = [ref for item in events_of(data) for ref in item["claims"]]
    assert len(refs) == len(claims_)
    for ref in refs:
        assert ref["doc"] is not None and ref["unlinked"] is None
        page = data["documents"][ref["doc"]]
        text = next(d.text for d in documents if d.id == ref["doc_id"])
        (item,) = [it for it in pages[ref["doc_id"]]["claims"] if it["record"]["claim_id"] == ref["claim_id"]]
        assert marked_text(page, item["mark"]) == text[ref["start"] : ref["end"]] == ref["quote"]

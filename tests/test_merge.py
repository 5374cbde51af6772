"""One event, one claim: repeated mentions merge; different events stay apart."""

from __future__ import annotations

from typing import Any

from claims.merge import merge_claims
from claims.schema import VERIFIED_CLAIM_ADAPTER, VerifiedClaim


def record(start: int, **change: Any) -> VerifiedClaim:
    base: dict[str, Any] = {
        "doc_id": "d",
        "claim_id": f"id{start}",
        "type": "meeting",
        "quote": "q",
        "status": "occurred",
        "date": None,
        "location": None,
        "participants": [{"name": "Putin", "country": "RUS"}, {"name": "Xi", "country": "CHN"}],
        "span": {"start": start, "end": start + 10},
        "match": "exact",
        "occurrences": 1,
        "provenance": {"backend": "test"},
    }
    return VERIFIED_CLAIM_ADAPTER.validate_python({**base, **change})


def test_headline_and_body_mentions_merge_into_the_first_with_alt_spans() -> None:
    body = record(100, date="2024-05-16", location="Peking")
    headline = record(
        0, participants=[{"name": "Xi Jinping", "country": "CHN"}, {"name": "Putin", "country": "RUS"}]
    )
    [merged] = merge_claims([body, headline])
    assert merged.span.start == 0
    assert [(s.start, s.end) for s in merged.alt_spans] == [(100, 110)]
    assert (merged.date, merged.location) == ("2024-05-16", "Peking")


def test_the_same_claim_from_two_chunks_is_kept_once() -> None:
    assert len(merge_claims([record(5), record(5)])) == 1


def test_meetings_at_different_dates_places_or_statuses_stay_apart() -> None:
    assert len(merge_claims([record(0, date="2024-05"), record(50, date="2024-07")])) == 2
    assert len(merge_claims([record(0, location="Astana"), record(50, location="Peking")])) == 2
    assert len(merge_claims([record(0), record(50, status="planned")])) == 2


def test_a_mention_without_date_joins_the_first_compatible_claim() -> None:
    merged = merge_claims(
        [record(0, date="2024-05"), record(50, date="2024-07"), record(100, location="Astana")]
    )
    assert [(c.date, c.location, len(c.alt_spans)) for c in merged] == [
        ("2024-05", "Astana", 1),
        ("2024-07", None, 0),
    ]


def test_supplier_and_recipient_order_matters_for_deliveries() -> None:
    def delivery(start: int, supplier: str, recipient: str) -> VerifiedClaim:
        return record(
            start,
            type="arms_delivery",
            participants=None,
            supplier={"name": supplier, "country": supplier},
            recipient={"name": recipient, "country": recipient},
        )

    merged = merge_claims([delivery(0, "IRN", "RUS"), delivery(50, "RUS", "IRN"), delivery(90, "IRN", "RUS")])
    assert [(c.supplier.country, c.recipient.country) for c in merged] == [("IRN", "RUS"), ("RUS", "IRN")]  # type: ignore[union-attr]


def delivery(start: int, **change: Any) -> VerifiedClaim:
    return record(
        start,
        type="arms_delivery",
        participants=None,
        supplier={"name": "Iran", "country": "IRN"},
        recipient={"name": "Russland", "country": "RUS"},
        **change,
    )


def test_an_ongoing_supply_relation_and_a_dated_delivery_stay_two_claims() -> None:
    merged = merge_claims([delivery(0), delivery(50, date="2024-09")])
    assert [c.date for c in merged] == [None, "2024-09"]


def test_deliveries_of_different_kinds_of_weapons_stay_apart_and_unknown_kinds_merge() -> None:
    drones, missiles = delivery(0, weapon_categories=["drones"]), delivery(50, weapon_categories=["missiles"])
    assert len(merge_claims([drones, missiles])) == 2
    assert len(merge_claims([drones, delivery(90)])) == 1


def test_dates_agree_at_the_coarser_precision_and_the_finer_one_is_kept() -> None:
    [merged] = merge_claims([record(0, date="2024-11"), record(50, date="2024-11-19")])
    assert merged.date == "2024-11-19"
    assert len(merge_claims([record(0, date="2024-11"), record(50, date="2024-12-01")])) == 2


def test_two_agreements_signed_by_the_same_parties_stay_two_claims() -> None:
    def signing(start: int, agreement: str) -> VerifiedClaim:
        parties = [{"name": "Putin", "country": "RUS"}, {"name": "Xi", "country": "CHN"}]
        return record(start, type="treaty_signing", participants=None, parties=parties, agreement=agreement)

    merged = merge_claims(
        [
            signing(0, "Abkommen über Energie"),
            signing(50, "Memorandum zur Rüstungskooperation"),
            signing(90, "das Energieabkommen"),
            signing(120, "Abkommen über Sicherheit"),
            signing(150, "das Abkommen"),
        ]
    )
    assert [(c.agreement, len(c.alt_spans)) for c in merged] == [  # type: ignore[union-attr]
        ("Abkommen über Energie", 2),  # "das Energieabkommen" and the unnamed "das Abkommen"
        ("Memorandum zur Rüstungskooperation", 0),
        ("Abkommen über Sicherheit", 0),
    ]


def test_merging_compares_a_claim_only_with_claims_of_its_own_actors_and_status(monkeypatch: Any) -> None:
    # n distinct pairs of states meeting: a claim compared with every kept claim would cost n²/2
    # comparisons (a 5 MB chronology took minutes); by bucket it costs none across pairs.
    import claims.merge as merge

    calls = 0
    real = merge.same_event

    def counting(a: VerifiedClaim, b: VerifiedClaim) -> bool:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(merge, "same_event", counting)
    states = ["DEU", "FRA", "ITA", "ESP", "POL", "NLD", "BEL", "AUT", "SWE", "DNK", "FIN", "PRT"]

    def claims_for(n: int) -> list[VerifiedClaim]:
        out = []
        for i in range(n):
            a, b = states[i % len(states)], "Q" + chr(65 + i // 26 % 26) + chr(65 + i % 26)
            out.append(
                record(
                    i * 20,
                    participants=[{"name": f"A{i}", "country": a}, {"name": f"B{i}", "country": b}],
                    date=f"2024-01-{i % 28 + 1:02d}",
                )
            )
        return out

    counts = []
    for n in (100, 400):
        calls = 0
        assert len(merge_claims(claims_for(n))) == n
        counts.append(calls)
    assert counts[1] <= 4.5 * max(counts[0], 1)

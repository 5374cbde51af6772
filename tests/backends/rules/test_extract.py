"""Sentences to claims: bilateral pairs, summits, negation, deliveries, signings, context."""

from __future__ import annotations

from claims.schema import ProposedArmsDelivery, ProposedMeeting, ProposedTreatySigning, Status
from tests.backends.rules.helpers import countries, propose


def test_one_claim_per_bilateral_meeting() -> None:
    text = (
        "Am Rande des Gipfels traf Putin in Astana mit den Staatschefs von Aserbaidschan, Kasachstan, "
        "der Mongolei und Katar zusammen."
    )
    claims = propose(text, "2024-07")
    assert [countries(c) for c in claims] == [["RUS", "AZE"], ["RUS", "KAZ"], ["RUS", "MNG"], ["RUS", "QAT"]]
    assert all(isinstance(c, ProposedMeeting) and c.location == "Astana" for c in claims)


def test_counterparts_from_a_list_of_states() -> None:
    claims = propose("Er führte in Moskau Gespräche mit seinen Amtskollegen aus Kuba und Bolivien.")
    assert claims == []  # no one to be "er"
    text = (
        "Präsident Wladimir Putin war zufrieden. "
        "In Moskau führte er Gespräche mit seinen Amtskollegen aus Kuba und Bolivien."
    )
    assert [countries(c) for c in propose(text)] == [["RUS", "CUB"], ["RUS", "BOL"]]


def test_a_joint_meeting_is_one_claim() -> None:
    claims = propose("Putin, Xi und Modi trafen sich in Kasan.")
    assert [countries(c) for c in claims] == [["RUS", "CHN", "IND"]]


def test_negated_meetings_and_deliveries_are_skipped() -> None:
    assert propose("Ein Treffen zwischen Scholz und Erdogan fand nicht statt.") == []
    assert propose("Iran did not supply missiles to Russia.") == []
    assert propose("Iran bestritt, Raketen an Russland geliefert zu haben.") == []


def test_a_denied_report_is_an_alleged_claim() -> None:
    (claim,) = propose("Der Iran dementierte Berichte, wonach er Raketen an Russland geliefert habe.")
    assert isinstance(claim, ProposedArmsDelivery)
    assert (claim.supplier.country, claim.recipient.country, claim.status) == ("IRN", "RUS", Status.ALLEGED)


def test_delivery_directions() -> None:
    (gives,) = propose("Teheran liefert Drohnen an Russland.")
    (gets,) = propose("Russland erhielt Drohnen aus dem Iran.")
    (buys,) = propose("Neu-Delhi bleibt ein wichtiger Abnehmer russischer Waffen.")
    for claim, pair in [(gives, ("IRN", "RUS")), (gets, ("IRN", "RUS")), (buys, ("RUS", "IND"))]:
        assert isinstance(claim, ProposedArmsDelivery)
        assert (claim.supplier.country, claim.recipient.country) == pair
    assert isinstance(gives, ProposedArmsDelivery) and gives.weapons == ["Drohnen"]


def test_troops_are_no_arms_delivery() -> None:
    assert propose("Nordkorea hat 3000 Soldaten nach Russland geschickt.") == []


def test_status_and_date_of_a_planned_visit() -> None:
    (claim,) = propose("Am Mittwoch reist Putin zu einem Staatsbesuch nach Kasachstan.", "2024-11-26")
    assert countries(claim) == ["RUS", "KAZ"]
    assert (claim.status, claim.date) == (Status.PLANNED, "2024-11-27")


def test_a_signing_by_both_sides_takes_the_meeting_just_reported() -> None:
    text = (
        "Am 23. April kam Patruschew in Moskau mit dem iranischen Sicherheitsratssekretär zusammen. "
        "Beide Seiten unterzeichneten eine Absichtserklärung."
    )
    meeting, signing = propose(text, "2024-05")
    assert countries(meeting) == ["RUS", "IRN"] and meeting.date == "2024-04-23"
    assert isinstance(signing, ProposedTreatySigning)
    assert countries(signing) == ["RUS", "IRN"] and signing.agreement == "Absichtserklärung"


def test_pronouns_refer_to_the_last_person_named() -> None:
    text = "Auslandsreisen von Wladimir Putin sind selten geworden. Nun besuchte er Kasachstan."
    (claim,) = propose(text)
    assert countries(claim) == ["RUS", "KAZ"]


def test_places_topics_and_sources_are_no_participants() -> None:
    assert (
        propose(
            "Putin traf sich in Moskau mit Gouverneuren, laut Tass ging es um den Krieg gegen die Ukraine."
        )
        == []
    )


def test_the_text_decides_a_persons_state() -> None:
    (claim,) = propose("Schoigu traf seinen kasachischen Kollegen Baktybek Bekbolotow.")
    assert countries(claim) == ["RUS", "KAZ"]


def test_quotes_are_whole_sentences_of_the_source() -> None:
    text = "Vorspann ohne Punkt\nPutin traf am Montag Xi in Peking. Danach reiste er ab."
    (claim,) = propose(text)
    assert claim.quote == "Putin traf am Montag Xi in Peking."
    assert claim.quote in text

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


# --- actors named by their office only ----------------------------------------------------------


def test_role_only_actors_by_country_adjective_and_possessive() -> None:
    (german,) = propose(
        "Der armenische Ministerpräsident kam in Paris mit dem französischen Präsidenten zusammen."
    )
    assert isinstance(german, ProposedMeeting)
    assert [(a.country, a.role) for a in german.participants] == [
        ("ARM", "Ministerpräsident"),
        ("FRA", "Präsidenten"),
    ]
    (english,) = propose("Vietnam's defence minister received a delegation from Australia in Hanoi.")
    assert isinstance(english, ProposedMeeting)
    assert [(a.name, a.country, a.role) for a in english.participants] == [
        ("Vietnam's defence minister", "VNM", "defence minister"),
        ("Australia", "AUS", None),
    ]


def test_a_comma_after_an_opening_place_does_not_make_the_subject_a_place() -> None:
    (claim,) = propose("In Dakar, Senegal's foreign minister welcomed his Gambian counterpart on Thursday.")
    assert countries(claim) == ["SEN", "GMB"] and claim.location == "Dakar"


def test_german_war_is_no_war() -> None:
    """ "Milei war in Montevideo" (was in): Montevideo is the place, not the topic of a war."""
    (claim,) = propose("Milei war zuvor in Montevideo mit dem uruguayischen Präsidenten zusammengetroffen.")
    assert countries(claim) == ["ARG", "URY"] and claim.location == "Montevideo"


def test_a_pronoun_refers_to_an_office_holder_named_by_role() -> None:
    text = (
        "On the sidelines, Germany's chancellor held talks with the Canadian prime minister. "
        "He later met Ukraine's president to discuss air defence."
    )
    assert [countries(c) for c in propose(text)] == [["DEU", "CAN"], ["DEU", "UKR"]]


# --- deliveries: clauses, coordination, origins, implicit parties --------------------------------


def _pairs(text: str, published: str | None = None) -> list[tuple[str | None, str | None]]:
    return [
        (c.supplier.country, c.recipient.country)
        for c in propose(text, published)
        if isinstance(c, ProposedArmsDelivery)
    ]


def test_coordinated_suppliers_and_listed_recipients_give_one_claim_each() -> None:
    assert _pairs("Norway and the Netherlands will deliver F-16 fighter jets to Ukraine.") == [
        ("NOR", "UKR"),
        ("NLD", "UKR"),
    ]
    text = "Die Türkei hat Kampfdrohnen an mehrere Staaten verkauft, darunter Indonesien und Malaysia."
    assert _pairs(text) == [("TUR", "IDN"), ("TUR", "MYS")]


def test_two_coordinated_deliveries_keep_their_own_parties_and_dates() -> None:
    text = (
        "Kenya has bought armoured personnel carriers from South Africa in recent years and acquired "
        "six refurbished helicopters from the United States in 2022."
    )
    claims = [c for c in propose(text, "2023-06-16") if isinstance(c, ProposedArmsDelivery)]
    assert [(c.supplier.country, c.recipient.country, c.date) for c in claims] == [
        ("ZAF", "KEN", None),
        ("USA", "KEN", "2022"),
    ]


def test_a_later_clause_borrows_the_missing_party_from_the_earlier_one() -> None:
    text = (
        "Norway said it would deliver jets to Ukraine this summer, and Denmark confirmed that the "
        "first of its jets had already been handed over."
    )
    assert _pairs(text) == [("NOR", "UKR"), ("DNK", "UKR")]
    text = (
        "South Korea sells FA-50 light combat aircraft to Malaysia, and Romania has purchased K9 howitzers."
    )
    assert _pairs(text) == [("KOR", "MYS"), ("KOR", "ROU")]


def test_a_verb_decides_the_direction_before_a_delivery_noun() -> None:
    text = "Serbien hat eine zweite Lieferung chinesischer Kampfdrohnen erhalten."
    assert _pairs(text) == [("CHN", "SRB")]
    assert _pairs("Indonesia took delivery of its first two Rafale fighter jets from France.") == [
        ("FRA", "IDN")
    ]


def test_origin_adjectives_across_type_names_and_of_production() -> None:
    assert _pairs("Burkina Faso has also acquired Turkish Bayraktar TB2 drones.") == [("TUR", "BFA")]
    text = "Die Philippinen haben Marschflugkörper vom Typ BrahMos aus indischer Produktion erhalten."
    assert _pairs(text) == [("IND", "PHL")]


def test_an_unknown_named_recipient_is_not_replaced_by_a_guess() -> None:
    text = "Russia is the country this article is about. Russia has been supplying drones to the juntas."
    assert _pairs(text) == []


def test_states_named_by_reference() -> None:
    text = (
        "Saudi Arabia's crown prince hosted the French president in Riyadh. "
        "France has supplied the kingdom with Caesar howitzers since 2018."
    )
    assert _pairs(text) == [("FRA", "SAU")]
    text = (
        "South Korea has become one of the world's fastest-growing arms exporters. "
        "Its defence industry also sells FA-50 light combat aircraft to Malaysia."
    )
    assert _pairs(text) == [("KOR", "MYS")]


# --- look-alikes ---------------------------------------------------------------------------------


def test_sports_teams_do_not_meet_for_their_states() -> None:
    assert propose("Kuwait's football team met Bahrain in a friendly match in Kuwait City on Saturday.") == []


def test_welcoming_needs_someone_welcomed() -> None:
    text = (
        "Japan's prime minister spoke by phone with the Philippine president. "
        "Both leaders welcomed progress on the new agreement."
    )
    assert [countries(c) for c in propose(text)] == [["JPN", "PHL"]]
    (english,) = propose("Senegal's foreign minister welcomed his Gambian counterpart on Thursday.")
    (german,) = propose("Bundeskanzler Olaf Scholz hat den türkischen Präsidenten in Berlin begrüßt.")
    assert countries(english) == ["SEN", "GMB"]
    assert countries(german) == ["DEU", "TUR"]


# --- relative clauses and references to the last pair --------------------------------------------


def test_a_relative_clause_can_carry_the_event_of_its_antecedent() -> None:
    text = (
        "Hungary's prime minister, who visited Moscow and Beijing last week, did not hold any "
        "bilateral meetings with Western leaders, officials said."
    )
    assert [countries(c) for c in propose(text, "2024-07-12")] == [["HUN", "RUS"], ["HUN", "CHN"]]


def test_both_countries_after_a_delivery_sign_as_its_parties() -> None:
    text = (
        "Frankreich hat Armenien drei Radarsysteme übergeben. "
        "Die Lieferung sei Teil eines Vertrags, den beide Länder im Oktober 2023 unterzeichnet hätten."
    )
    signing = next(c for c in propose(text, "2024-08-30") if isinstance(c, ProposedTreatySigning))
    assert countries(signing) == ["FRA", "ARM"] and signing.date == "2023-10"


# --- dates and statuses from the context ---------------------------------------------------------


def test_dates_carried_from_the_event_just_told() -> None:
    text = (
        "Der türkische Außenminister ist am Dienstag in Tokio mit seinem japanischen Amtskollegen "
        "zusammengekommen. Die beiden Minister unterzeichneten dabei ein Memorandum. "
        "Am Rande des Treffens sprach er auch mit dem indischen Botschafter."
    )
    assert [c.date for c in propose(text, "2024-09-12")] == ["2024-09-10"] * 3


def test_a_date_in_a_relative_clause_belongs_to_another_event() -> None:
    text = (
        "Der serbische Präsident hatte im vergangenen Herbst Peking besucht. "
        "Damals besiegelten beide Länder ein Freihandelsabkommen, das Anfang dieses Jahres in Kraft trat."
    )
    signing = next(c for c in propose(text, "2024-04-05") if isinstance(c, ProposedTreatySigning))
    assert signing.date == "2023"


def test_a_planned_signing_looks_forward_for_its_month() -> None:
    (claim,) = propose(
        "Bangladesh and Nepal agreed on Monday to sign a power-trading accord in April.", "2025-03-06"
    )
    assert isinstance(claim, ProposedTreatySigning)
    assert (claim.status, claim.date) == (Status.PLANNED, "2025-04")


def test_a_report_denied_in_the_next_sentence_is_alleged() -> None:
    text = (
        "Japanische Medien hatten berichtet, die Türkei habe bereits Aufklärungsdrohnen an Japan geliefert. "
        "Das Verteidigungsministerium in Tokio wies diese Berichte am Montag zurück."
    )
    (claim,) = propose(text, "2024-09-12")
    assert isinstance(claim, ProposedArmsDelivery)
    assert (claim.supplier.country, claim.recipient.country, claim.status) == ("TUR", "JPN", Status.ALLEGED)


def test_a_visit_named_as_a_point_in_time_is_no_new_meeting() -> None:
    text = (
        "Der türkische Außenminister ist am Dienstag in Tokio mit seinem japanischen Amtskollegen "
        "zusammengekommen. Japanische Medien hatten vor dem Besuch berichtet, die Türkei habe "
        "Aufklärungsdrohnen an Japan geliefert."
    )
    assert [c.type for c in propose(text, "2024-09-12")] == ["meeting", "arms_delivery"]


def test_a_negation_reaches_across_a_list_of_actors() -> None:
    text = (
        "Ein für Donnerstag geplantes Treffen der Außenminister Ägyptens, Jordaniens und "
        "Saudi-Arabiens in Amman wurde kurzfristig abgesagt."
    )
    assert propose(text, "2023-09-15") == []


def test_a_visited_place_is_the_location() -> None:
    (claim,) = propose("Einen Tag darauf besuchte eine nordkoreanische Delegation den Iran.")
    assert isinstance(claim, ProposedMeeting) and claim.location == "Iran"


# --- what is no actor or no new claim ------------------------------------------------------------


def test_a_dateline_is_no_participant() -> None:
    text = (
        "SEOUL — South Korea's president and the Japanese prime minister met in Seoul on Friday "
        "and agreed to expand security cooperation with the United States."
    )
    assert [countries(c) for c in propose(text, "2024-09-06")] == [["KOR", "JPN"]]


def test_a_trailing_report_clause_is_the_source() -> None:
    text = (
        "North Korea has sent more than 10,000 containers of artillery shells to Russia since last "
        "August, South Korea's defence minister told lawmakers."
    )
    (claim,) = propose(text, "2024-09-06")
    assert isinstance(claim, ProposedArmsDelivery)
    assert (claim.supplier.country, claim.recipient.country) == ("PRK", "RUS")
    assert (claim.attributed_to, claim.date) == ("South Korea's defence minister", None)


def test_a_genitive_attribute_is_a_topic() -> None:
    text = (
        "Der finnische Präsident ist am Mittwoch in Berlin von Bundeskanzler Olaf Scholz empfangen worden. "
        "Bei dem Treffen im Kanzleramt ging es um die Unterstützung der Ukraine."
    )
    assert [countries(c) for c in propose(text, "2024-11-08")] == [["FIN", "DEU"]]


def test_a_possessive_mention_of_the_visit_just_told_is_no_new_claim() -> None:
    text = (
        "Eritrea's president travelled to Cairo on Tuesday for talks with his Egyptian counterpart. "
        "It was his second visit to Egypt this year."
    )
    assert [countries(c) for c in propose(text, "2024-11-22")] == [["ERI", "EGY"]]


def test_a_denial_by_the_parties_makes_the_claim_alleged() -> None:
    text = (
        "Ethiopia has received armed drones from Turkey, Iran and the United Arab Emirates. "
        "The UAE has denied supplying any weapons to Ethiopia."
    )
    claims = [c for c in propose(text) if isinstance(c, ProposedArmsDelivery)]
    assert [(c.supplier.country, c.status) for c in claims] == [
        ("TUR", Status.OCCURRED),
        ("IRN", Status.OCCURRED),
        ("ARE", Status.ALLEGED),
    ]


def test_a_delivery_that_is_only_talked_about_is_none() -> None:
    text = "Die Türkei verhandelt mit Großbritannien über die Lieferung von 40 Eurofighter-Kampfjets."
    assert [c.type for c in propose(text)] == ["meeting"]


def test_where_weapons_were_made_is_their_origin() -> None:
    assert _pairs("Griechenland hat die erste von drei in Frankreich gebauten Fregatten übernommen.") == [
        ("FRA", "GRC")
    ]
    assert _pairs("Indonesia bought Russian-made Sukhoi jets.") == [("RUS", "IDN")]


def test_a_negation_after_but_belongs_to_its_own_clause() -> None:
    text = (
        "Kenya's foreign minister met Somali officials in Nairobi on Thursday but did not sign any agreement."
    )
    assert [countries(c) for c in propose(text, "2024-11-22")] == [["KEN", "SOM"]]


def test_a_condition_tells_no_event() -> None:
    assert propose("If Iran supplied missiles, the EU would impose new sanctions.") == []


def test_the_supplier_of_an_infinitive_is_the_nearest_actor_before_it() -> None:
    assert _pairs("Brazil's president criticised the US decision to send weapons to Ukraine.") == [
        ("USA", "UKR")
    ]


def test_talks_between_two_states_are_theirs_and_welcoming_them_is_no_meeting() -> None:
    text = "China's foreign ministry spokeswoman said Beijing welcomed the talks between Russia and Ukraine."
    assert [countries(c) for c in propose(text)] == [["RUS", "UKR"]]
    text = "In Jakarta, the Kenyan president was welcomed by President Joko Widodo on Monday."
    assert [countries(c) for c in propose(text)] == [["KEN", "IDN"]]


def test_a_dative_after_a_state_is_no_genitive_attribute() -> None:
    text = "Nach Informationen des Spiegel hat Deutschland der Ukraine weitere Marschflugkörper zugesagt."
    (claim,) = propose(text)
    assert isinstance(claim, ProposedArmsDelivery)
    assert (claim.supplier.country, claim.recipient.country, claim.status) == ("DEU", "UKR", Status.PLANNED)


def test_a_delegation_from_a_state_arrives_for_it() -> None:
    (claim,) = propose("Eine Delegation aus Nordkorea ist zu Gesprächen in Moskau eingetroffen.")
    assert countries(claim) == ["PRK", "RUS"] and isinstance(claim, ProposedMeeting)


def test_where_one_buys_is_who_sells() -> None:
    assert _pairs("Polen kauft in Südkorea Panzer und Haubitzen.") == [("KOR", "POL")]


def test_a_signed_joint_declaration_is_a_signing() -> None:
    (claim,) = propose(
        "Die Türkei und Ägypten unterzeichneten am Mittwoch in Kairo eine gemeinsame Erklärung."
    )
    assert isinstance(claim, ProposedTreatySigning) and countries(claim) == ["TUR", "EGY"]


def test_a_denial_of_weapons_leaves_a_treaty_alone() -> None:
    text = (
        "Teheran und Caracas hatten 2022 einen Kooperationsvertrag unterzeichnet. "
        "Die venezolanische Regierung bestreitet, Waffen aus dem Iran zu beziehen."
    )
    (claim,) = propose(text, "2024-05-10")
    assert isinstance(claim, ProposedTreatySigning)
    assert (claim.status, claim.date) == (Status.OCCURRED, "2022")


def test_a_denial_that_tells_its_own_claim_does_not_reach_back() -> None:
    text = (
        "Kazakhstan buys most of its military equipment from Russia. "
        "A Kazakh defence official denied reports that the country had supplied ammunition to Russia."
    )
    claims = [c for c in propose(text) if isinstance(c, ProposedArmsDelivery)]
    assert [(c.supplier.country, c.recipient.country, c.status) for c in claims] == [
        ("RUS", "KAZ", Status.OCCURRED),
        ("KAZ", "RUS", Status.ALLEGED),
    ]


def test_being_somewhere_for_talks_is_a_visit() -> None:
    (claim,) = propose("Der britische Premierminister war im Oktober zu Gesprächen in Ankara.", "2024-12-13")
    assert countries(claim) == ["GBR", "TUR"] and (claim.date, claim.location) == ("2024-10", "Ankara")


def test_a_sentence_initial_it_is_the_state_before() -> None:
    text = "Jakarta has diversified its arms purchases. It bought 42 Rafale jets from France."
    assert _pairs(text) == [("FRA", "IDN")]


def test_a_shelved_purchase_is_none() -> None:
    assert _pairs("A planned purchase of Su-35 jets from Moscow by Indonesia had been shelved.") == []

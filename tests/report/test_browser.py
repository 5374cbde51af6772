"""The review page in a real headless Chromium: highlights, clicks, filters, marks, and no XSS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from claims.cli import main
from claims.schema import RejectedClaim, VerifiedClaim, actors_of
from tests.conftest import SEEDS, gold_lines, seed_texts
from tests.report.helpers import seed_claims, seed_rejected, verify_lines, write_jsonl

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

pytestmark = pytest.mark.browser

DOC_003 = "003_d6d1575a7536b8bc"
DOC_004 = "004_427d236a20c172f4"


@pytest.fixture(scope="module")
def claims() -> list[VerifiedClaim]:
    return seed_claims()


def write_report(
    folder: Path,
    claims: list[VerifiedClaim],
    source: Path = SEEDS,
    rejected: list[RejectedClaim] | None = None,
    evaluation: dict[str, Any] | None = None,
    extra: list[str] | None = None,
) -> Path:
    """Write a report through the CLI, as a user would."""
    argv = ["report", str(write_jsonl(folder / "verified.jsonl", claims)), "--source", str(source)]
    if rejected is not None:
        argv += ["--rejected", str(write_jsonl(folder / "rejected.jsonl", rejected))]
    if evaluation is not None:
        (folder / "eval.json").write_text(json.dumps(evaluation, ensure_ascii=False), encoding="utf-8")
        argv += ["--eval", str(folder / "eval.json")]
    output = folder / "report.html"
    assert main([*argv, *(extra or []), "-o", str(output)]) == 0
    return output


def only_verified(outcomes: list[VerifiedClaim | RejectedClaim]) -> list[VerifiedClaim]:
    verified = [outcome for outcome in outcomes if not isinstance(outcome, RejectedClaim)]
    assert len(verified) == len(outcomes), "every line verifies"
    return verified


def open_report(driver: WebDriver, page: Path, fragment: str = "") -> None:
    driver.get(page.as_uri() + fragment)


def open_document(driver: WebDriver, doc_id: str) -> None:
    button = driver.execute_script(
        "return [...document.querySelectorAll('.doc-item')].find((b) => b.dataset.docId === arguments[0]);",
        doc_id,
    )
    assert button is not None, doc_id
    button.click()
    assert driver.find_element("css selector", ".doc-title").text == doc_id


def highlighted_texts(driver: WebDriver, claim_ids: list[str]) -> dict[str, str]:
    """For each claim id, the text of the highlighted segments that carry it, in page order."""
    result: dict[str, str] = driver.execute_script(
        """
        const marks = [...document.querySelectorAll('#doc-text mark.seg')];
        const out = {};
        for (const id of arguments[0]) {
          out[id] = marks.filter((m) => (m.dataset.claimIds || '').split(' ').includes(id))
                         .map((m) => m.textContent).join('');
        }
        return out;
        """,
        claim_ids,
    )
    return result


def selected_text(driver: WebDriver) -> str:
    text: str = driver.execute_script(
        "return [...document.querySelectorAll('#doc-text mark.seg.selected')]"
        ".map((m) => m.textContent).join('');"
    )
    return text


def first_mark(driver: WebDriver, claim_id: str) -> WebElement:
    element: WebElement | None = driver.execute_script(
        "return [...document.querySelectorAll('#doc-text mark.seg')]"
        ".find((m) => (m.dataset.claimIds || '').split(' ').includes(arguments[0]));",
        claim_id,
    )
    assert element is not None, claim_id
    return element


def click_text(driver: WebDriver, element: WebElement) -> None:
    """A real mouse click on a highlight. WebDriver clicks the centre of the element's first line
    box (its in-view centre point), so a highlight that wraps over lines is clicked on itself."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def no_script_ran(driver: WebDriver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    assert driver.execute_script("return typeof window.__pwned;") == "undefined"
    with pytest.raises(NoAlertPresentException):
        _ = driver.switch_to.alert.text


# --- highlights ---------------------------------------------------------------------------------


def test_every_claims_highlight_is_exactly_its_source_span(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    open_report(driver, write_report(tmp_path, claims))
    texts = seed_texts()
    assert len(driver.find_elements("css selector", ".doc-item")) == len(texts)
    for doc_id, text in texts.items():
        open_document(driver, doc_id)
        assert driver.find_element("id", "doc-text").get_property("textContent") == text
        own = [claim for claim in claims if claim.doc_id == doc_id]
        shown = highlighted_texts(driver, [claim.claim_id for claim in own])
        for claim in own:
            assert shown[claim.claim_id] == text[claim.span.start : claim.span.end], claim.claim_id
    # The page draws only the open document.
    assert driver.execute_script("return document.querySelectorAll('#doc-text').length;") == 1


def test_clicking_a_highlight_shows_the_claims_fields(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    line = dict(gold_lines()[63])
    line["participants"] = [
        line["participants"][0],
        {"name": "Emmanuel Macron", "country": "FRA", "role": None},
    ]
    unsupported = only_verified(verify_lines(seed_texts(), [line]))[0]
    assert unsupported.unsupported_fields
    others = [claim for claim in claims if claim.doc_id != DOC_004]
    open_report(driver, write_report(tmp_path, [*others, unsupported]))

    open_document(driver, DOC_004)
    click_text(driver, first_mark(driver, unsupported.claim_id))
    card = driver.find_element("css selector", f'#details .card[data-claim-id="{unsupported.claim_id}"]')
    text = card.text
    for expected in (
        "Meeting",
        "Wladimir Putin",
        "RUS",
        "Emmanuel Macron",
        "FRA",
        "occurred",
        "2023-11-09",
        "Astana",
    ):
        assert expected in text
    field = card.find_element("css selector", '[data-field="unsupported_fields"]')
    assert field.text == "participants[1].name"
    assert card.find_element("css selector", '[data-field="match"]').text.startswith("exact")
    assert selected_text(driver) == unsupported.quote

    open_document(driver, DOC_003)
    delivery = next(c for c in claims if c.doc_id == DOC_003 and c.type == "arms_delivery" and c.weapons)
    click_text(driver, first_mark(driver, delivery.claim_id))
    card = driver.find_element("css selector", f'#details .card[data-claim-id="{delivery.claim_id}"]')
    for expected in [delivery.supplier.name, delivery.recipient.name, delivery.status, *delivery.weapons]:
        assert expected in card.text
    assert card.find_element("css selector", '[data-field="attributed_to"]').text == (
        delivery.attributed_to or "—"
    )


def test_clicking_overlapping_claims_shows_each_of_them(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    open_report(driver, write_report(tmp_path, claims))
    doc_id = "001_314b5ea057817e7f"
    open_document(driver, doc_id)
    sentence = [
        c for c in claims if c.doc_id == doc_id and c.quote.startswith("In Russland führte er Gespräche")
    ]
    assert len(sentence) == 7
    click_text(driver, first_mark(driver, sentence[0].claim_id))
    cards = driver.find_elements("css selector", "#details .card")
    assert {card.get_attribute("data-claim-id") for card in cards} >= {c.claim_id for c in sentence}
    countries = {actor.country or "" for claim in sentence for actor in actors_of(claim)} - {"RUS", ""}
    details = driver.find_element("id", "details").text
    assert countries and all(country in details for country in countries)


def test_a_link_opens_a_document_at_a_claim(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    claim = next(c for c in claims if c.doc_id == DOC_003 and c.type == "treaty_signing")
    open_report(driver, write_report(tmp_path, claims), f"#doc={DOC_003}&claim={claim.claim_id}")
    assert driver.find_element("css selector", ".doc-title").text == DOC_003
    assert driver.find_element("css selector", "#details .card.current").get_attribute("data-claim-id") == (
        claim.claim_id
    )
    assert selected_text(driver) == claim.quote


# --- filters ------------------------------------------------------------------------------------


def test_filtering_by_type_and_status_hides_the_others(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    open_report(driver, write_report(tmp_path, claims))
    open_document(driver, DOC_003)
    own = [claim for claim in claims if claim.doc_id == DOC_003]
    assert {claim.type for claim in own} == {"meeting", "arms_delivery", "treaty_signing"}

    def shown_types() -> set[str]:
        types: list[str] = driver.execute_script(
            "return [...document.querySelectorAll('#doc-text mark.seg')].map((m) => m.dataset.types);"
        )
        return {t for joined in types for t in joined.split()}

    assert shown_types() == {"meeting", "arms_delivery", "treaty_signing"}
    for claim_type in ("meeting", "treaty_signing"):
        driver.find_element("css selector", f'[data-filter-type="{claim_type}"]').click()
    assert shown_types() == {"arms_delivery"}
    shown = highlighted_texts(driver, [claim.claim_id for claim in own])
    for claim in own:
        assert shown[claim.claim_id] == (claim.quote if claim.type == "arms_delivery" else "")

    driver.find_element("css selector", '[data-filter-status="alleged"]').click()
    shown = highlighted_texts(driver, [claim.claim_id for claim in own])
    for claim in own:
        visible = claim.type == "arms_delivery" and claim.status != "alleged"
        assert shown[claim.claim_id] == (claim.quote if visible else ""), claim.claim_id
    assert any(claim.status == "alleged" for claim in own if claim.type == "arms_delivery")

    for selector in ('[data-filter-type="meeting"]', '[data-filter-type="treaty_signing"]'):
        driver.find_element("css selector", selector).click()
    driver.find_element("css selector", '[data-filter-status="alleged"]').click()
    assert shown_types() == {"meeting", "arms_delivery", "treaty_signing"}


def test_the_document_list_has_counts_and_a_search_box(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    open_report(driver, write_report(tmp_path, claims))
    item = driver.find_element("css selector", f'.doc-item[data-doc-id="{DOC_003}"]')
    counts = {
        chip.get_attribute("data-count"): chip.text for chip in item.find_elements("css selector", ".count")
    }
    assert counts == {"meeting": "2", "arms_delivery": "4", "treaty_signing": "1"}
    search = driver.find_element("id", "search")
    search.send_keys("Turkmenistan")
    visible = driver.find_elements("css selector", "#doc-list li:not([hidden]) .doc-item")
    assert [button.get_attribute("data-doc-id") for button in visible] == [DOC_003]
    assert "Showing 1 of 5" in driver.find_element("id", "doc-count").text


# --- rejected claims and evaluation marks ----------------------------------------------------------


def test_rejected_claims_are_listed_with_reason_and_near_miss(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    rejected = seed_rejected()
    open_report(driver, write_report(tmp_path, claims, rejected=rejected))
    open_document(driver, DOC_003)
    rejected_items = '[data-list="rejected"] .item'
    own = [record for record in rejected if record.doc_id == DOC_003]
    assert len(driver.find_elements("css selector", rejected_items)) == len(own) == 3
    for index, record in enumerate(own):
        driver.find_elements("css selector", rejected_items)[index].click()  # the list is redrawn
        assert "current" in (
            driver.find_elements("css selector", rejected_items)[index].get_attribute("class") or ""
        )
        card = driver.find_element("css selector", "#details .card.kind-rejected")
        assert record.reason in card.text
        assert str(record.claim["quote"]) in card.text
        if record.near_miss is not None:
            assert record.near_miss.text in card.find_element("css selector", '[data-field="near_miss"]').text
            assert selected_text(driver) == record.near_miss.text
    orphans = driver.find_element("css selector", '[data-list="orphans"]').text
    assert "999_not_given" in orphans and "unknown_document" in orphans


def test_evaluation_marks_false_positives_and_negatives(
    driver: WebDriver, claims: list[VerifiedClaim], tmp_path: Path
) -> None:
    own = [claim for claim in claims if claim.doc_id == DOC_003]
    by_id, by_quote, fine = own[0], own[1], own[2]
    missed = (
        "Konkret soll es um Fath-360-Raketen gehen, welche eine Reichweite von knapp 120 Kilometern haben."
    )
    evaluation = {
        "overall": {"precision": 0.9, "recall": 0.8},
        "per_document": {DOC_003: {"tp": 5, "fp": 2, "fn": 1}},
        "errors": {
            "false_positives": [
                {"doc_id": DOC_003, "claim_id": by_id.claim_id, "type": by_id.type, "quote": by_id.quote},
                {"doc_id": DOC_003, "type": by_quote.type, "quote": by_quote.quote},
            ],
            "false_negatives": [
                {
                    "doc_id": DOC_003,
                    "type": "arms_delivery",
                    "quote": missed,
                    "status": "alleged",
                    "supplier": {"name": "Iran", "country": "IRN", "role": None},
                    "recipient": {"name": "Russland", "country": "RUS", "role": None},
                    "weapons": ["Fath-360-Raketen"],
                }
            ],
        },
    }
    open_report(driver, write_report(tmp_path, claims, evaluation=evaluation))
    item = driver.find_element("css selector", f'.doc-item[data-doc-id="{DOC_003}"]')
    assert item.find_element("css selector", '[data-count="fp"]').text == "FP 2"
    assert item.find_element("css selector", '[data-count="fn"]').text == "FN 1"
    assert "precision 0.900" in driver.find_element("id", "summary").text
    open_document(driver, DOC_003)

    def fp_flags(claim_id: str) -> list[bool]:
        flags: list[bool] = driver.execute_script(
            "return [...document.querySelectorAll('#doc-text mark.seg')]"
            ".filter((m) => (m.dataset.claimIds || '').split(' ').includes(arguments[0]))"
            ".map((m) => m.classList.contains('fp'));",
            claim_id,
        )
        return flags

    assert fp_flags(by_id.claim_id) and all(fp_flags(by_id.claim_id))
    assert fp_flags(by_quote.claim_id) and all(fp_flags(by_quote.claim_id))
    assert not any(fp_flags(fine.claim_id))
    fn_text = driver.execute_script(
        "return [...document.querySelectorAll('#doc-text mark.seg.fn')].map((m) => m.textContent).join('');"
    )
    assert fn_text == missed
    click_text(driver, driver.find_element("css selector", "#doc-text mark.seg.fn"))
    card = driver.find_element("css selector", "#details .card.kind-fn")
    assert "missed gold claim" in card.text and "Fath-360-Raketen" in card.text
    click_text(driver, first_mark(driver, by_id.claim_id))
    card = driver.find_element("css selector", f'#details .card[data-claim-id="{by_id.claim_id}"]')
    assert "false positive" in card.find_element("css selector", '[data-field="eval"]').text


# --- escaping ---------------------------------------------------------------------------------------


def test_an_article_with_markup_shows_as_text_and_runs_nothing(driver: WebDriver, tmp_path: Path) -> None:
    doc_id = "<img src=x onerror=\"window.__pwned='id'\">"
    text = (
        "Vorspann. <script>alert(1)</script><script>window.__pwned='text'</script>\n"
        "Putin traf <img src=x onerror=\"window.__pwned='img';alert(1)\"> Xi in Peking am Montag.\n"
        "Ende </script><script>window.__pwned='close'</script> <!-- & --> \u2028 fertig."
    )
    source = tmp_path / "documents.jsonl"
    source.write_text(json.dumps({"id": doc_id, "text": text}) + "\n", encoding="utf-8")
    payload = "<script>window.__pwned='actor'</script>"
    claim_line = {
        "doc_id": doc_id,
        "type": "meeting",
        "quote": "Putin traf <img src=x onerror=\"window.__pwned='img';alert(1)\"> Xi in Peking am Montag.",
        "status": "occurred",
        "location": "<b onmouseover=\"window.__pwned='location'\">Peking</b>",
        "participants": [{"name": payload, "country": "RUS"}, {"name": "Xi", "country": "CHN"}],
    }
    rejected_line = {**claim_line, "quote": "Putin traf <svg onload=window.__pwned='rejected'> Xi in Peking"}
    (claim,) = only_verified(verify_lines({doc_id: text}, [claim_line]))
    (rejected,) = verify_lines({doc_id: text}, [rejected_line])
    assert isinstance(rejected, RejectedClaim)
    evaluation = {
        "errors": {
            "false_negatives": [{"doc_id": doc_id, "type": "meeting", "quote": "<script>alert(1)</script>"}]
        }
    }
    title = "<script>window.__pwned='title'</script>"
    page = write_report(
        tmp_path, [claim], source=source, rejected=[rejected], evaluation=evaluation, extra=["--title", title]
    )
    open_report(driver, page)
    no_script_ran(driver)
    assert driver.title == title
    assert driver.find_element("css selector", ".doc-item").get_attribute("data-doc-id") == doc_id
    assert driver.find_element("id", "doc-text").get_property("textContent") == text
    assert "<script>alert(1)</script>" in driver.find_element("id", "doc-text").text

    click_text(driver, first_mark(driver, claim.claim_id))
    details = driver.find_element("id", "details").text
    assert payload in details and "<b onmouseover=" in details
    driver.find_element("css selector", '[data-list="rejected"] .item').click()
    assert "<svg onload=" in driver.find_element("id", "details").text
    driver.find_element("css selector", '[data-list="fns"] .item').click()
    no_script_ran(driver)
    created = driver.execute_script(
        "return document.querySelectorAll('img, svg, iframe, object, embed').length;"
    )
    assert created == 0
    assert driver.execute_script("return document.scripts.length;") == 2  # the data block and the page's code


def test_the_source_record_shows_and_hostile_page_metadata_stays_inert(
    driver: WebDriver, tmp_path: Path
) -> None:
    text = "Am Montag traf Putin in Peking den Präsidenten Xi Jinping."
    hostile_title = "<img src=x onerror=\"window.__pwned='origin-title'\">Gipfel"
    documents = [
        {
            "id": "good",
            "text": text,
            "origin": {
                "title": "Putin trifft Xi",
                "site": "Tagesblatt",
                "url": "https://reader:pw@www.tagesblatt.example/politik/putin-xi.html?token=SECRET",
                "extractor": "trafilatura 2.3.1",
            },
        },
        {
            "id": "javascript",
            "text": text,
            "origin": {
                "title": hostile_title,
                "site": "<script>window.__pwned='origin-site'</script>",
                "url": "javascript:window.__pwned='origin-url'",
            },
        },
        {"id": "data", "text": text, "origin": {"url": "data:text/html,<script>alert(1)</script>"}},
        {"id": "plain", "text": text},
    ]
    source = tmp_path / "claims.documents.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    page = write_report(tmp_path, [], source=source)
    open_report(driver, page)

    def header() -> WebElement:
        return driver.find_element("id", "doc-header")

    open_document(driver, "good")
    link = header().find_element("css selector", "a[data-field='origin-url']")
    assert link.get_attribute("href") == "https://www.tagesblatt.example/politik/putin-xi.html"
    assert (link.get_attribute("target"), link.get_attribute("rel")) == (
        "_blank",
        "noopener noreferrer nofollow",
    )
    assert "Putin trifft Xi" in header().text and "Tagesblatt" in header().text
    assert "SECRET" not in driver.page_source and "reader:pw" not in driver.page_source
    assert driver.current_url.split("#")[0] == page.as_uri()  # nothing navigates until a click

    open_document(driver, "javascript")
    assert header().find_elements("css selector", "a") == []
    assert header().find_element("css selector", "[data-field='origin-title']").text == hostile_title
    assert "<script>window.__pwned='origin-site'</script>" in header().text
    open_document(driver, "data")
    assert header().find_elements("css selector", "a, [data-role='doc-origin']") == []
    assert "javascript:" not in driver.page_source and "data:text/html" not in driver.page_source
    for doc_id in ("data", "plain"):
        open_document(driver, doc_id)
        assert "null" not in header().text  # no stray "null" under the badges of a document without one
    no_script_ran(driver)
    assert (
        driver.execute_script(
            "return document.querySelectorAll('#doc-header img, #doc-header script').length;"
        )
        == 0
    )


# --- size -------------------------------------------------------------------------------------------


def test_hundreds_of_documents_stay_light(driver: WebDriver, tmp_path: Path) -> None:
    base = seed_texts()[DOC_004]
    texts = {f"doc_{n:03d}": base.replace("Astana", f"Astana-{n:03d}") for n in range(300)}
    source = tmp_path / "docs"
    source.mkdir()
    for doc_id, text in texts.items():
        (source / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    lines = [{**gold_lines()[63], "doc_id": doc_id, "location": None} for doc_id in texts]
    verified = only_verified(verify_lines(texts, lines))
    open_report(driver, write_report(tmp_path, verified, source=source))
    timing = driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0]; return n.domContentLoadedEventEnd;"
    )
    assert timing < 5000
    assert len(driver.find_elements("css selector", "#doc-list li")) == 300
    assert len(driver.find_elements("css selector", "#doc-text mark.seg")) == 1  # one document drawn
    driver.find_element("id", "search").send_keys("astana-123")
    visible = driver.find_elements("css selector", "#doc-list li:not([hidden]) .doc-item")
    assert [button.get_attribute("data-doc-id") for button in visible] == ["doc_123"]
    visible[0].click()
    assert "Astana-123" in driver.find_element("id", "doc-text").text

"""The events view in a real headless Chromium: a database's events listed and filtered, a quote
opened in its document with exactly its span highlighted, conflicts flagged, hostile text inert."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import claims.db
from claims.cli import main
from claims.events.summary import DocumentInfo, summarize
from claims.inputs.documents import Document
from claims.report import make_report
from tests.conftest import SEEDS, seed_texts
from tests.db.builders import meeting
from tests.report.eventdb import (
    HOSTILE_ACTOR,
    HOSTILE_PLACE,
    HOSTILE_QUOTE,
    conflict_corpus,
    hostile_corpus,
    make_db,
)
from tests.report.helpers import seed_claims, write_jsonl
from tests.report.test_browser import no_script_ran, selected_text

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles' verified gold claims, imported with `claims db add` as a user would."""
    folder = tmp_path_factory.mktemp("seeds-db")
    verified = write_jsonl(folder / "verified.jsonl", seed_claims())
    database = folder / "seeds.db"
    assert main(["db", "add", str(verified), "--source", str(SEEDS), "--db", str(database)]) == 0
    return database


def write_page(folder: Path, database: Path) -> Path:
    output = folder / "report.html"
    assert main(["report", "--db", str(database), "-o", str(output)]) == 0
    return output


def open_events(driver: WebDriver, page: Path, fragment: str = "#events") -> None:
    driver.get(page.as_uri() + fragment)
    assert driver.find_element("id", "events-view").is_displayed()


def shown_events(driver: WebDriver) -> list[str]:
    ids: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#event-list .event')].map((e) => e.dataset.eventId);"
    )
    return ids


def card(driver: WebDriver, event_id: str) -> WebElement:
    return driver.find_element("css selector", f'#event-list .event[data-event-id="{event_id}"]')


def test_the_events_view_lists_every_event_of_the_database(
    driver: WebDriver, seeds_db: Path, tmp_path: Path
) -> None:
    with claims.db.open(seeds_db) as db:
        events = db.events()
    page = write_page(tmp_path, seeds_db)
    driver.get(page.as_uri())
    assert driver.find_element("css selector", ".layout").is_displayed()  # documents first
    assert not driver.find_element("id", "events-view").is_displayed()
    driver.find_element("css selector", '.view-tab[data-view="events"]').click()
    assert driver.current_url.endswith("#events")
    assert sorted(shown_events(driver)) == sorted(e.event_id for e in events) and len(events) == 60
    assert f"{len(events)} events" in driver.find_element("id", "events-count").text
    # the Putin–Kim summit, reported by two articles: one card with both quotes
    summit = next(e for e in events if e.type == "meeting" and e.documents == 2)
    text = card(driver, summit.event_id).text
    for expected in [
        "Meeting",
        summit.date or "",
        "Kim Jong Un",
        "PRK",
        "2 documents",
        "2 sources",
        "occurred 2",
    ]:
        assert expected in text, expected
    quotes = card(driver, summit.event_id).find_elements("css selector", ".event-quote .quote-text")
    assert [q.get_property("textContent") for q in quotes] == [ref.quote for ref in summit.claims]
    # the timeline runs by date, the undated apart at the end
    groups: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#event-list .event-group')].map((g) => g.dataset.group);"
    )
    assert groups == sorted(groups, key=lambda g: (g == "", g)) and groups[0] == "2023-11"


def test_the_country_filter_and_the_type_grouping(driver: WebDriver, seeds_db: Path, tmp_path: Path) -> None:
    with claims.db.open(seeds_db) as db:
        iranian = {e.event_id for e in db.events(country=["IRN"])}
        everything = db.events()
    open_events(driver, write_page(tmp_path, seeds_db))
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "event-country")).select_by_value("IRN")
    assert set(shown_events(driver)) == iranian and 0 < len(iranian) < len(everything)
    assert (
        f"Showing {len(iranian)} of {len(everything)} events"
        in driver.find_element("id", "events-count").text
    )
    driver.find_element("css selector", '[data-event-type="meeting"]').click()
    assert set(shown_events(driver)) == {
        e.event_id for e in everything if e.event_id in iranian and e.type != "meeting"
    }
    driver.find_element("css selector", '[data-event-type="meeting"]').click()
    Select(driver.find_element("id", "event-country")).select_by_value("")
    driver.find_element("css selector", '[data-group-by="type"]').click()
    groups: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#event-list .event-group')].map((g) => g.dataset.group);"
    )
    assert groups == ["meeting", "arms_delivery", "treaty_signing"]
    types: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#event-list .event')].map((e) => e.className.split(' ')[1]);"
    )
    assert types == sorted(types, key=lambda t: ["t-meeting", "t-arms_delivery", "t-treaty_signing"].index(t))
    assert len(types) == len(everything)


def test_clicking_a_quote_opens_its_document_with_exactly_its_span_highlighted(
    driver: WebDriver, seeds_db: Path, tmp_path: Path
) -> None:
    with claims.db.open(seeds_db) as db:
        summit = next(e for e in db.events() if e.type == "meeting" and e.documents == 2)
    page = write_page(tmp_path, seeds_db)
    texts = seed_texts()
    open_events(driver, page)
    # the documents view's filters hide meetings: opening a meeting's quote shows it all the same
    driver.find_element("css selector", '.view-tab[data-view="documents"]').click()
    driver.find_element("css selector", '[data-filter-type="meeting"]').click()
    driver.find_element("css selector", '.view-tab[data-view="events"]').click()
    for index, ref in enumerate(summit.claims):
        button = card(driver, summit.event_id).find_elements("css selector", "button.event-quote")[index]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        assert driver.find_element("css selector", ".layout").is_displayed()
        assert driver.find_element("css selector", ".doc-title").text == ref.doc_id
        assert selected_text(driver) == texts[ref.doc_id][ref.span.start : ref.span.end] == ref.quote
        assert driver.current_url.endswith(f"#doc={ref.doc_id}&claim={ref.claim_id}")
        current = driver.find_element("css selector", "#details .card.current")
        assert current.get_attribute("data-claim-id") == ref.claim_id
        driver.find_element("css selector", '[data-action="back-to-event"]').click()
        assert "current" in (card(driver, summit.event_id).get_attribute("class") or "")
        assert driver.current_url.endswith(f"#event={summit.event_id}")


def test_a_date_conflict_and_mixed_statuses_are_flagged(driver: WebDriver, tmp_path: Path) -> None:
    database = make_db(tmp_path / "claims.db", conflict_corpus())
    with claims.db.open(database) as db:
        events = db.events()
    meeting_event = next(e for e in events if e.date_conflicts)
    supply = next(e for e in events if len(e.status_counts) > 1)
    open_events(driver, write_page(tmp_path, database))
    flag = card(driver, meeting_event.event_id).find_element("css selector", '[data-flag="dates"]')
    assert flag.text == "dates disagree: 2024-06-17 · 2024-06-18"
    differing: list[str] = driver.execute_script(
        "return [...arguments[0].querySelectorAll('.quote-date.differs')].map((d) => d.textContent);",
        card(driver, meeting_event.event_id),
    )
    assert sorted(differing) == ["2024-06-17", "2024-06-18"]
    assert card(driver, supply.event_id).find_element("css selector", '[data-flag="statuses"]').text == (
        "mixed statuses"
    )
    quiet = [e.event_id for e in events if e.event_id not in {meeting_event.event_id, supply.event_id}]
    for event_id in quiet:
        assert card(driver, event_id).find_elements("css selector", "[data-flag]") == []
    driver.find_element("css selector", '[data-event-filter="flagged"]').click()
    assert sorted(shown_events(driver)) == sorted([meeting_event.event_id, supply.event_id])
    groups: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('#event-list .event-group')].map((g) => g.textContent);"
    )
    assert groups == ["2024-061", "No date1"]  # the undated supply listed apart


def test_hostile_quotes_actor_names_and_places_stay_inert(driver: WebDriver, tmp_path: Path) -> None:
    database = make_db(tmp_path / "claims.db", hostile_corpus())
    ((doc, _),) = hostile_corpus()
    open_events(driver, write_page(tmp_path, database))
    no_script_ran(driver)
    event = driver.find_element("css selector", "#event-list .event")
    assert HOSTILE_ACTOR in event.find_element("css selector", '[data-field="actors"]').text
    assert event.find_element("css selector", '[data-field="location"]').text == HOSTILE_PLACE
    quote = event.find_element("css selector", ".event-quote")
    assert quote.find_element("css selector", ".quote-text").get_property("textContent") == HOSTILE_QUOTE
    assert quote.get_attribute("data-doc-id") == doc.id
    created = driver.execute_script(
        "return document.querySelectorAll('img, svg, iframe, object, embed').length;"
    )
    assert created == 0
    quote.click()
    no_script_ran(driver)
    assert driver.find_element("id", "doc-text").get_property("textContent") == doc.text
    assert selected_text(driver) == HOSTILE_QUOTE
    assert driver.execute_script("return document.scripts.length;") == 2


def test_thousands_of_events_are_drawn_a_batch_at_a_time(driver: WebDriver, tmp_path: Path) -> None:
    states = ["RUS", "IRN", "PRK", "CHN", "BLR"]
    documents, claims_, events = [], [], []
    for n in range(3000):
        a, b = states[n % 5], states[(n + 1 + n // 5 % 4) % 5]
        day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
        doc = Document(id=f"d{n:04d}", text=f"Am Montag trafen sich Vertreter von {n}. Mehr.")
        claim = meeting(doc, a, b, day if n % 10 else None)
        documents.append(doc)
        claims_.append(claim)
        events.append(summarize([claim], {doc.id: DocumentInfo(published="2024-12-31")}))
    page_text, _ = make_report(documents, claims_, events=events)
    page = tmp_path / "report.html"
    page.write_text(page_text, encoding="utf-8")
    open_events(driver, page)
    assert len(shown_events(driver)) == 100
    assert "3000 events" in driver.find_element("id", "events-count").text
    more = driver.find_element("id", "events-more")
    driver.execute_script("arguments[0].click();", more)
    assert len(shown_events(driver)) >= 200
    assert len(driver.find_elements("css selector", "#event-list .event .event-quote")) == len(
        shown_events(driver)
    )
    driver.find_element("id", "event-search").send_keys("von 2345.")
    assert shown_events(driver) == [events[2345].event_id]
    assert driver.find_elements("css selector", "#events-more")[0].is_displayed() is False

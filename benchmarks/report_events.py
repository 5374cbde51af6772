"""How heavy is the review page's events view? Prints a table; asserts nothing.

    .venv/bin/python -m benchmarks.report_events [--sizes 1000 3000 10000]

Synthetic events: N events between five states, each reported by three documents (one quote
each; every document holds quotes of three events), one in ten undated. Per size:
- build: `make_report` (page data, segments, JSON, HTML), seconds, and the page's size in MB;
- open: in headless Chromium, from navigation to `#events` until the first batch of cards is
  drawn (domContentLoaded + the view's first render, as the browser reports it);
- filter: choosing one country in the view (matching every event, drawing the first batch), ms;
- quote: clicking a quote until its document is drawn with the highlight, ms.
Chromium columns are empty when Debian's chromium/chromedriver or selenium are missing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from claims.events.summary import DocumentInfo, EventSummary, summarize
from claims.inputs.documents import Document
from claims.report import make_report
from claims.schema import Actor, Provenance, Span, VerifiedClaim, VerifiedMeeting, actor_key, claim_id

STATES = [("RUS", "Russland"), ("IRN", "Iran"), ("PRK", "Nordkorea"), ("CHN", "China"), ("BLR", "Belarus")]


def _claim(doc_id: str, text: str, sentence: str, n: int, date: str | None) -> VerifiedClaim:
    a, b = STATES[n % 5], STATES[(n + 1 + n // 5 % 4) % 5]
    start = text.index(sentence)
    span = Span(start=start, end=start + len(sentence))
    actors = [Actor(name=a[1], country=a[0]), Actor(name=b[1], country=b[0])]
    return VerifiedMeeting(
        doc_id=doc_id,
        quote=sentence,
        status="occurred" if n % 7 else "planned",
        date=date,
        location="Moskau",
        participants=actors,
        claim_id=claim_id(doc_id, "meeting", span, [actor_key(x) for x in actors]),
        span=span,
        match="exact",
        occurrences=1,
        provenance=Provenance(backend="benchmark"),
    )


def corpus(events: int) -> tuple[list[Document], list[VerifiedClaim], list[EventSummary]]:
    documents: list[Document] = []
    members: dict[int, list[VerifiedClaim]] = {n: [] for n in range(events)}
    for d in range(events):
        reported = [(d + k * 7919) % events for k in range(3)]
        sentences = [f"Treffen Nummer {n} fand in Moskau statt, berichtet Quelle {d}." for n in reported]
        text = " ".join(sentences) + " Weitere Einzelheiten wurden nicht genannt."
        doc = Document(id=f"doc{d:06d}", text=text, published="2024-12-31")
        documents.append(doc)
        for n, sentence in zip(reported, sentences, strict=True):
            date = None if n % 10 == 0 else f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
            members[n].append(_claim(doc.id, text, sentence, n, date))
    infos = {doc.id: DocumentInfo(published=doc.published) for doc in documents}
    claims = [claim for group in members.values() for claim in group]
    summaries = [summarize(group, infos) for group in members.values() if group]
    return documents, claims, summaries


def chromium_timings(page: Path) -> dict[str, float] | None:
    from tests.report.browser import missing_browser, start_chromium

    if missing_browser() is not None:
        return None
    with contextmanager(start_chromium)() as driver:
        driver.get(page.as_uri() + "#events")
        opened = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return performance.now() - n.startTime;"
        )
        filtered = driver.execute_script(
            "const s = document.getElementById('event-country'); const t = performance.now();"
            "s.value = 'RUS'; s.dispatchEvent(new Event('change')); return performance.now() - t;"
        )
        quote = driver.execute_script(
            "const b = document.querySelector('button.event-quote'); const t = performance.now();"
            "b.click(); return performance.now() - t;"
        )
        return {"open": opened, "filter": filtered, "quote": quote}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    args = parser.parse_args()
    print(
        f"{'events':>7}  {'claims':>7}  {'build s':>8}  {'page MB':>8}  "
        f"{'open ms':>8}  {'filter ms':>9}  {'quote ms':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            documents, claims, events = corpus(size)
            started = time.perf_counter()
            html, _ = make_report(documents, claims, events=events)
            built = time.perf_counter() - started
            page = Path(folder) / f"report-{size}.html"
            page.write_text(html, encoding="utf-8")
            timings = chromium_timings(page)

            def cell(key: str, width: int, timings: dict[str, float] | None = timings) -> str:
                return f"{timings[key]:>{width}.0f}" if timings else f"{'-':>{width}}"

            print(
                f"{len(events):>7}  {len(claims):>7}  {built:>8.2f}  {page.stat().st_size / 1e6:>8.1f}  "
                f"{cell('open', 8)}  {cell('filter', 9)}  {cell('quote', 8)}"
            )


if __name__ == "__main__":
    main()

"""How much web debris the HTML path removes, and how fast it is. Prints tables; asserts nothing.

Run from the repository root:  .venv/bin/python -m benchmarks.inputs   (or: make bench)

For every saved page in tests/inputs/pages (German and English news layouts with cookie banners,
menus, teasers, captions, related-article and most-read lists), two texts of the same page:

- plain: what a naive scrape keeps — every text node outside <script>, <style> and <head>, one
  block per element (what eval/seeds shows a scrape gives);
- html:  what `claims` keeps — trafilatura's main text (claims.inputs.html).

For each, the characters kept and the claims the offline rules backend finds; "debris claims" are
claims of the plain text whose quote is not in the main text at all (teasers, most-read lists,
tickers). Then pages per second of the HTML path (decode + extract) over all pages, repeated.
"""

from __future__ import annotations

import argparse
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also runnable as `python benchmarks/inputs.py`
    sys.path.insert(0, str(ROOT))

from claims.api import extract  # noqa: E402
from claims.inputs.documents import Document  # noqa: E402
from claims.inputs.html import decode_page, main_text, page_text  # noqa: E402

PAGES = ROOT / "tests" / "inputs" / "pages"
BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figcaption",
    "figure",
    "nav",
    "header",
    "footer",
    "section",
    "aside",
    "article",
    "main",
    "tr",
    "br",
    "button",
    "form",
    "span",
}
SKIP = {"script", "style", "head", "noscript", "template"}


class _PlainText(HTMLParser):
    """Every visible text node, one block per block element (a naive scrape)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self.skipping += 1
        elif tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def plain_text(html: str) -> str:
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.blocks)


def rules_quotes(doc_id: str, text: str) -> list[str]:
    result = extract([Document(id=doc_id, text=text)], backend="rules")
    return [claim.quote for claim in result.claims]


def article_pages() -> list[Path]:
    return [path for path in sorted(PAGES.glob("*.html")) if path.stem != "de_index"]


def debris_table() -> None:
    header = f"{'page':<22} {'plain chars':>11} {'html chars':>10} {'kept':>6} {'plain claims':>12} " + (
        f"{'html claims':>11} {'debris claims':>13}"
    )
    print(header)
    print("-" * len(header))
    totals = [0, 0, 0, 0, 0]
    for path in article_pages():
        data = path.read_bytes()
        decoded = decode_page(data, str(path))
        plain = plain_text(decoded.text)
        main = main_text(decoded.text, str(path)).text
        plain_quotes = rules_quotes(path.stem, plain)
        html_quotes = rules_quotes(path.stem, main)
        debris = sum(1 for quote in plain_quotes if quote not in main)
        row = [len(plain), len(main), len(plain_quotes), len(html_quotes), debris]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(
            f"{path.stem:<22} {row[0]:>11,} {row[1]:>10,} {row[1] / row[0]:>6.0%} {row[2]:>12} {row[3]:>11} "
            f"{row[4]:>13}"
        )
    print("-" * len(header))
    print(
        f"{'total':<22} {totals[0]:>11,} {totals[1]:>10,} {totals[1] / totals[0]:>6.0%} {totals[2]:>12} "
        f"{totals[3]:>11} {totals[4]:>13}"
    )


def speed_table(seconds: float) -> None:
    pages = [(path, path.read_bytes()) for path in article_pages()]
    page_text(pages[0][1], "warm-up")  # imports trafilatura
    header = f"{'path':<32} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'MB/s':>6}"
    print(header)
    print("-" * len(header))
    for label, run in (
        ("html (decode + trafilatura)", lambda data, where: page_text(data, where)),
        ("plain (naive scrape, stdlib)", lambda data, where: plain_text(decode_page(data, where).text)),
    ):
        done = 0
        size = 0
        started = time.perf_counter()
        while time.perf_counter() - started < seconds:
            for path, data in pages:
                run(data, str(path))
                done += 1
                size += len(data)
        elapsed = time.perf_counter() - started
        print(f"{label:<32} {done:>6} {elapsed:>8.2f} {done / elapsed:>8.1f} {size / elapsed / 1e6:>6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="how long each speed row runs")
    args = parser.parse_args()
    print("web debris: the same page as a naive scrape (plain) and through the HTML path (html)\n")
    debris_table()
    print(
        "\nextraction speed over the saved pages (average page "
        f"{sum(p.stat().st_size for p in article_pages()) // len(article_pages()):,} bytes)\n"
    )
    speed_table(args.seconds)


if __name__ == "__main__":
    main()

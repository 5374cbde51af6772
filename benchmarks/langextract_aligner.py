"""LangExtract's aligner on the verifier benchmark's 1,000 mixed quotes, for a side-by-side row.

Runs in its own venv (`make bench-langextract-venv` creates benchmarks/.venv-langextract with
`langextract` from PyPI; it is never a dependency of the project):

    benchmarks/.venv-langextract/bin/python benchmarks/langextract_aligner.py

It calls `langextract.resolver.WordAligner.align_extractions` directly, once with fuzzy alignment off
and once with its defaults (fuzzy on), every quote its own extraction group, in one call as the
resolver does for one document, and counts which quotes it grounds (gives a character interval).
An edited or invented quote it grounds is a false acceptance. Prints a table; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.quotes import mixed_quotes  # noqa: E402


def main() -> None:
    from langextract import resolver  # type: ignore[import-not-found]
    from langextract.core import data  # type: ignore[import-not-found]

    text, quotes = mixed_quotes()
    kinds = Counter(q.kind for q in quotes)
    header = (
        f"{'aligner (same 1,000 quotes, 10k text)':<44} {'ms':>9} "
        f"{'verbatim grounded':>18} {'edited accepted':>16} {'invented accepted':>18}"
    )
    print(header)
    print("-" * len(header))
    modes = (("langextract WordAligner, fuzzy off", False), ("langextract WordAligner, fuzzy on", True))
    for label, fuzzy in modes:
        groups = [[data.Extraction(extraction_class="quote", extraction_text=q.text)] for q in quotes]
        started = time.perf_counter()
        aligned = resolver.WordAligner().align_extractions(groups, text, enable_fuzzy_alignment=fuzzy)
        elapsed = (time.perf_counter() - started) * 1000
        grounded: Counter[str] = Counter()
        for quote, group in zip(quotes, aligned, strict=True):
            if any(extraction.char_interval is not None for extraction in group):
                grounded[quote.kind] += 1
        print(
            f"{label:<44} {elapsed:>9.1f} {grounded['verbatim']:>9} of {kinds['verbatim']:<5} "
            f"{grounded['edited']:>7} of {kinds['edited']:<5} "
            f"{grounded['invented']:>8} of {kinds['invented']:<5}"
        )


if __name__ == "__main__":
    main()

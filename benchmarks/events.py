"""How fast is event grouping, and how many pairs does blocking spare? Prints a table; asserts nothing.

    .venv/bin/python -m benchmarks.events

Claims are synthetic (seeded): meetings, signings and deliveries among 40 states, dates spread
over two years, places from the capitals of their states, a share of them repeated across
"documents" (the same event reported again). Rows: grouping N claims at once, and adding them to
an `EventIndex` in batches of 100 (incremental); `compared` counts the `same_event` calls
(`EventIndex.comparisons`), against
the N·(N-1)/2 pairs an all-pairs grouping would compare.
"""

from __future__ import annotations

import random
import time
import tracemalloc

from claims.events.group import EventIndex, VerifiedClaim
from claims.schema import VERIFIED_CLAIM_ADAPTER

STATES = [
    ("RUS", "Moskau"),
    ("CHN", "Peking"),
    ("IRN", "Teheran"),
    ("PRK", "Pjöngjang"),
    ("BLR", "Minsk"),
    ("KAZ", "Astana"),
    ("IND", "Neu-Delhi"),
    ("TUR", "Ankara"),
    ("USA", "Washington"),
    ("GBR", "London"),
    ("FRA", "Paris"),
    ("DEU", "Berlin"),
    ("UKR", "Kiew"),
    ("VNM", "Hanoi"),
    ("HUN", "Budapest"),
    ("SRB", "Belgrad"),
    ("EGY", "Kairo"),
    ("SAU", "Riad"),
    ("QAT", "Doha"),
    ("ARE", "Abu Dhabi"),
    ("BRA", "Brasília"),
    ("ZAF", "Pretoria"),
    ("JPN", "Tokio"),
    ("KOR", "Seoul"),
    ("PAK", "Islamabad"),
    ("AZE", "Baku"),
    ("ARM", "Jerewan"),
    ("UZB", "Taschkent"),
    ("TKM", "Aschgabat"),
    ("MNG", "Ulan Bator"),
    ("CUB", "Havanna"),
    ("VEN", "Caracas"),
    ("SYR", "Damaskus"),
    ("ISR", "Jerusalem"),
    ("POL", "Warschau"),
    ("ITA", "Rom"),
    ("ESP", "Madrid"),
    ("IDN", "Jakarta"),
    ("MYS", "Kuala Lumpur"),
    ("THA", "Bangkok"),
]
CATEGORIES = ["drones", "missiles", "ammunition", "aircraft", "naval", "other"]


def _date(rng: random.Random) -> str | None:
    day = rng.randint(0, 729)
    year, rest = 2023 + day // 365, day % 365
    month, dom = 1 + rest // 31 % 12, 1 + rest % 28
    return rng.choice([None, f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{dom:02d}"])


def synthetic(n: int, seed: int = 7) -> list[VerifiedClaim]:
    rng = random.Random(seed)
    out: list[VerifiedClaim] = []
    for i in range(n):
        if out and rng.random() < 0.3:  # the same event reported again, in another document
            raw = rng.choice(out).model_dump(mode="json")
        else:
            kind = rng.choice(["meeting", "treaty_signing", "arms_delivery"])
            parties = rng.sample(STATES, rng.choice([2, 2, 2, 3, 5]) if kind != "arms_delivery" else 2)
            actors = [{"name": code, "country": code, "role": None} for code, _ in parties]
            raw = {"type": kind, "date": _date(rng), "location": rng.choice([None, parties[0][1]])}
            if kind == "arms_delivery":
                raw |= {"supplier": actors[0], "recipient": actors[1], "weapons": []}
                raw["weapon_categories"] = rng.sample(CATEGORIES, rng.randint(0, 2))
            elif kind == "meeting":
                raw["participants"] = actors
            else:
                raw |= {"parties": actors, "agreement": rng.choice(["Vertrag", "Gasabkommen", "Erklärung"])}
        raw |= {
            "doc_id": f"doc{i // 20}",
            "claim_id": f"c{i:07d}",
            "span": {"start": i, "end": i + 10},
            "match": "exact",
            "occurrences": 1,
            "provenance": {"backend": "bench"},
            "quote": f"quote {i}",
            "status": "occurred",
        }
        out.append(VERIFIED_CLAIM_ADAPTER.validate_python(raw))
    return out


def _batch(claims: list[VerifiedClaim]) -> EventIndex:
    index = EventIndex()
    index.add(claims)
    return index


def _incremental(claims: list[VerifiedClaim]) -> EventIndex:
    index = EventIndex()
    for start in range(0, len(claims), 100):
        index.add(claims[start : start + 100])
    return index


def main() -> None:
    header = ("claims", "mode", "events", "compared", "all pairs", "seconds", "peak MiB")
    print("{:>7} {:<12} {:>7} {:>10} {:>12} {:>8} {:>9}".format(*header))
    for n in (1_000, 5_000, 20_000):
        claims = synthetic(n)
        for mode, run in (("batch", _batch), ("incremental", _incremental)):
            tracemalloc.start()
            started = time.perf_counter()
            index = run(claims)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            events, compared, pairs = len(index.events()), index.comparisons, n * (n - 1) // 2
            print(f"{n:>7} {mode:<12} {events:>7} {compared:>10} {pairs:>12} {seconds:>8.2f} {peak:>9.1f}")


if __name__ == "__main__":
    main()

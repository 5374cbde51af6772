"""Agreement of single fields between a predicted and a gold claim.

Decisions where ANNOTATION.md leaves room:
- Dates agree when equal at the coarser precision of the two ("2024-04" agrees with "2024-04-22",
  not with "2024-05"). Both null agree (both say "unknown" or "ongoing"); one null does not.
- Locations agree when both are null, or both are given and match as names do (fold, inflection,
  transliteration: "Astana" ~ "Astanas", "Minsk" ~ "in Minsk"). One null does not agree.
- Weapon categories: Jaccard overlap of the two sets; two empty sets overlap fully (1.0).
"""

from __future__ import annotations

from collections.abc import Iterable

from claims.scoring.names import names_match


def dates_agree(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    precision = min(len(predicted), len(gold))
    return predicted[:precision] == gold[:precision]


def locations_agree(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return names_match(predicted, gold)


def jaccard(predicted: Iterable[str], gold: Iterable[str]) -> float:
    a, b = set(predicted), set(gold)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)

"""The clause a trigger belongs to: cut at commas, dashes and clause-starting conjunctions, but read
across the commas of a list of actors.
"""

from __future__ import annotations

from claims.backends.rules.actors import ActorMention
from claims.backends.rules.grammar import list_continues
from claims.backends.rules.tokens import Token, clause_bounds
from claims.backends.rules.words import SUBORDINATORS


def clause_of(tokens: list[Token], index: int, actors: list[ActorMention] | None = None) -> tuple[int, int]:
    """The clause of a trigger: cut at commas and dashes (but not at the commas of a list of
    actors), and also at a conjunction that starts a new clause ("…, although France has
    delivered …", "met … but did not sign")."""
    start, end = _list_clause(tokens, index, actors or [])
    for j in range(index - 1, start - 1, -1):
        if tokens[j].key in SUBORDINATORS:
            start = j
            break
    for j in range(index + 1, end):
        if tokens[j].key in SUBORDINATORS:
            end = j
            break
    return start, end


def _list_clause(tokens: list[Token], index: int, actors: list[ActorMention]) -> tuple[int, int]:
    """The clause of a trigger, read across the commas of a list of actors ("ein Treffen der
    Außenminister Ägyptens, Jordaniens und Saudi-Arabiens … wurde abgesagt", "received drones
    from Turkey, Iran and the UAE")."""
    start, end = clause_bounds(tokens, index)
    starts = {a.index for a in actors}
    ends = {a.end for a in actors}
    while end + 1 < len(tokens) and tokens[end].text == "," and end + 1 in starts:
        if not list_continues(tokens, end + 1):
            break
        end = clause_bounds(tokens, end + 1)[1]
    while start >= 2 and tokens[start - 1].text == "," and start - 1 in ends and start in starts:
        if not list_continues(tokens, start):
            break
        start = clause_bounds(tokens, start - 2)[0]
    return start, end

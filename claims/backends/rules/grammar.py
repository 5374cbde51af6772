"""Token-level tests the sentence rules share: adjectives, possessives, war nouns, lists and
relative clauses. They look at words only, never at actors or lexicons.
"""

from __future__ import annotations

from claims.backends.rules.tokens import CLAUSE_BREAKS, Token
from claims.backends.rules.words import (
    ARTICLES,
    COORDINATORS,
    ENGLISH_DETERMINERS,
    MADE_WORDS,
    RELATIVE_PRONOUNS,
    WAR_NOUNS,
)


def is_adjective(token: Token) -> bool:
    text = token.text
    return (
        token.is_word and text[0].islower() and text.endswith(("e", "en", "er", "es", "em")) and len(text) > 3
    )


def is_possessive(token: Token) -> bool:
    """An English possessive ("Japan's") or a German genitive name ("Aserbaidschans")."""
    return token.text.endswith(("'s", "’s")) or (token.is_capitalised and token.text.endswith("s"))


def is_war_word(tokens: list[Token], k: int) -> bool:
    """A noun of war ("Krieg", "Angriffskrieg", "the war"); German "war" (was) is none."""
    key = tokens[k].key
    if key == "war":
        before = tokens[k - 1] if k > 0 else None
        return before is not None and (before.key in ENGLISH_DETERMINERS or is_possessive(before))
    return key.endswith(WAR_NOUNS)


def says_where_made(tokens: list[Token], start: int, end: int) -> bool:
    """A place that says where weapons were made: "in Frankreich gebaute", "built in France"."""
    after = tokens[end].key if end < len(tokens) else ""
    before = tokens[start - 2].key if start >= 2 and tokens[start - 1].key == "in" else ""
    return after in MADE_WORDS or before in MADE_WORDS


def list_continues(tokens: list[Token], index: int) -> bool:
    """Whether a coordinator follows in the same clause: "mit Xi, Erdogan und Modi" is a list, but
    "In Dakar, Senegal's minister welcomed …" starts a new phrase after the comma."""
    for token in tokens[index:]:
        if token.key in COORDINATORS:
            return True
        if token.text in CLAUSE_BREAKS and token.text != ",":
            return False
    return False


def in_relative_clause(tokens: list[Token], index: int) -> bool:
    """Whether token `index` sits in a German relative clause (", das die Beschwerden der USA …
    ignorierte,"): after a comma and a relative pronoun, up to a clause end that is a verb."""
    start = index
    while start > 0 and tokens[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    if start == 0 or tokens[start - 1].text != "," or tokens[start].key not in RELATIVE_PRONOUNS:
        return False
    if tokens[start].key not in {"which", "who", "whose"} and not (
        start >= 2 and tokens[start - 2].is_capitalised
    ):
        return False  # a German relative pronoun follows its noun: "…berichtet, die Türkei habe …" is none
    end = index
    while end + 1 < len(tokens) and tokens[end + 1].text not in CLAUSE_BREAKS:
        end += 1
    last = tokens[end]
    if (
        tokens[start].key in {"der", "die", "das"}
        and start + 1 < len(tokens)
        and tokens[start + 1].is_capitalised
    ):
        # ", der Präsident …" is an apposition, ", das Anfang dieses Jahres in Kraft trat" a relative
        # clause: only the latter ends in a verb
        return last.is_word and not last.is_capitalised and last.key not in ARTICLES and end - start >= 3
    return last.is_word and not last.is_capitalised

"""All mentions of a sentence: the gazetteer's, persons the article introduces (learned for the rest
of the document) and states named only by reference to the sentences before ("the kingdom").
"""

from __future__ import annotations

from claims.backends.rules.actors import role_span
from claims.backends.rules.context import DocumentContext
from claims.backends.rules.gazetteer import Entry, Gazetteer, Mention
from claims.backends.rules.grammar import is_adjective, is_possessive
from claims.backends.rules.lexicon import Lexicon
from claims.backends.rules.tokens import CLAUSE_BREAKS, Token
from claims.backends.rules.words import (
    ARTICLES,
    DEFINITE_ARTICLES,
    NAME_STOPWORDS,
    POSSESSIVE_PRONOUNS,
    STATE_ACTIONS,
    STATE_NOUNS,
)


def find_mentions(
    tokens: list[Token], text: str, context: DocumentContext, gazetteer: Gazetteer, lexicon: Lexicon
) -> list[Mention]:
    mentions = gazetteer.find(tokens, text)
    for mention in mentions:  # "Lloyd Austin" once → "Austin" for the rest of the article
        if mention.kind == "person" and mention.end - mention.start > 1 and mention.country:
            surname = tokens[mention.end - 1].text
            if len(surname) > 3 and not surname.endswith("s"):
                context.learned.add_name(surname, mention.entry)
    covered = {i for m in mentions for i in range(m.start, m.end)}
    for mention in context.learned.find(tokens, text):
        if not covered.intersection(range(mention.start, mention.end)):
            mentions.append(mention)
    mentions.sort(key=lambda m: m.start)
    for learned in _introduced_persons(tokens, text, mentions, lexicon):
        context.learned.add_name(learned[0], learned[1])
        parts = learned[0].split()
        context.learned.add_name(parts[-1], learned[1])
        if len(parts) == 2 and all(len(p) <= 4 for p in parts):  # "Dong Jun" → "Dong" too
            context.learned.add_name(parts[0], learned[1])
    covered = {i for m in mentions for i in range(m.start, m.end)}
    for mention in context.learned.find(tokens, text):
        if not covered.intersection(range(mention.start, mention.end)):
            mentions.append(mention)
    covered = {i for m in mentions for i in range(m.start, m.end)}
    for mention in _anaphors(tokens, text, mentions, context, lexicon):
        if not covered.intersection(range(mention.start, mention.end)):
            mentions.append(mention)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _anaphors(
    tokens: list[Token], text: str, mentions: list[Mention], context: DocumentContext, lexicon: Lexicon
) -> list[Mention]:
    """States a sentence names only by reference to the sentences before it: "the kingdom",
    "das Land" (the state last mentioned that this sentence does not name itself) and "Its
    defence industry", "Seine Regierung" (the subject of the sentence before)."""
    present = {m.country for m in mentions if m.country}
    found: list[Mention] = []
    for i, token in enumerate(tokens):
        if i + 1 >= len(tokens):
            break
        nxt = tokens[i + 1]
        if token.key in DEFINITE_ARTICLES and nxt.key in STATE_NOUNS and not is_possessive(nxt):
            code = next((c for c in reversed(context.recent_states) if c not in present), None)
            if code is not None:
                found.append(_mention_of(tokens, i, i + 2, code, text))
        elif i == 0 and token.text == "It" and nxt.key in STATE_ACTIONS and context.last_subject:
            found.append(_mention_of(tokens, 0, 1, context.last_subject, text))  # "It bought 42 jets"
        elif token.key in POSSESSIVE_PRONOUNS and i == 0:  # mid-sentence, "its" is the subject's
            span = role_span(tokens, i + 1, lexicon)
            subject = context.last_subject
            if span is not None and subject is not None and span[0] - i <= 3:
                found.append(_mention_of(tokens, i, span[1], subject, text))
    return found


def _mention_of(tokens: list[Token], start: int, end: int, code: str, text: str) -> Mention:
    char_start, char_end = tokens[start].start, tokens[end - 1].end
    entry = Entry(code, code, "metonym")
    return Mention(start, end, char_start, char_end, text[char_start:char_end], entry)


def _introduced_persons(
    tokens: list[Token], text: str, mentions: list[Mention], lexicon: Lexicon
) -> list[tuple[str, Entry]]:
    """Persons the article introduces with their state: "<Land> <Amt> <Name>" and
    "<Name>, <Artikel> … <Land> … <Amt>"."""
    covered = {i for m in mentions for i in range(m.start, m.end)}
    learned: list[tuple[str, Entry]] = []
    for mention in mentions:
        if mention.country is None or mention.kind not in {"adjective", "name"} or mention.compound_head:
            continue
        j = mention.end
        roles: list[Token] = []
        while j < len(tokens) and len(roles) < 3 and (lexicon.is_role(tokens[j]) or is_adjective(tokens[j])):
            roles.append(tokens[j])
            j += 1
        if not any(lexicon.is_role(t) for t in roles):
            continue
        name = _name_at(tokens, j, covered)
        if name is not None:
            learned.append((name, Entry(mention.country, mention.country, "person", role=roles[-1].text)))
    for i, token in enumerate(tokens):
        if token.text != "," or i == 0:
            continue
        name = _name_before(tokens, i, covered)
        if name is None:
            continue
        window = tokens[i + 1 : i + 8]
        if not window or window[0].key not in ARTICLES:
            continue
        for mention in mentions:
            if (
                mention.start > i
                and mention.end <= i + 8
                and mention.country
                and mention.kind in {"adjective", "name"}
            ):
                after = [t for t in tokens[mention.end : i + 9] if lexicon.is_role(t)]
                if after or mention.kind == "name":
                    learned.append((name, Entry(mention.country, mention.country, "person")))
                break
    return learned


def _name_at(tokens: list[Token], j: int, covered: set[int]) -> str | None:
    parts: list[str] = []
    while j < len(tokens) and len(parts) < 3 and j not in covered and _looks_like_name(tokens[j]):
        parts.append(tokens[j].text)
        j += 1
    if not parts or (len(parts) == 1 and len(parts[0]) < 4):
        return None
    return " ".join(parts)


def _name_before(tokens: list[Token], comma: int, covered: set[int]) -> str | None:
    parts: list[str] = []
    j = comma - 1
    while j >= 0 and len(parts) < 3 and j not in covered and _looks_like_name(tokens[j]):
        parts.insert(0, tokens[j].text)
        j -= 1
    if len(parts) < 2 or (
        j >= 0 and tokens[j].is_capitalised and tokens[j].text not in CLAUSE_BREAKS and j not in covered
    ):
        return None
    return " ".join(parts)


def _looks_like_name(token: Token) -> bool:
    text = token.text
    return (
        token.is_word
        and text[0].isupper()
        and not text.isupper()
        and token.key not in NAME_STOPWORDS
        and not any(ch.isdigit() for ch in text)
    )

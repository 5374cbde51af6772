"""The source a sentence cites ("laut Tass", "according to", "…, the ministry said"), as written,
with its token span, so that the source is not also read as an actor.
"""

from __future__ import annotations

from claims.backends.rules.cues import Cues
from claims.backends.rules.grammar import is_adjective
from claims.backends.rules.lexicon import Lexicon
from claims.backends.rules.tokens import CLAUSE_BREAKS, Token
from claims.backends.rules.words import ARTICLES, SUBJECT_WORDS


def find_attribution(
    tokens: list[Token], text: str, cues: Cues, lexicon: Lexicon
) -> tuple[str | None, tuple[int, int] | None]:
    """The source a sentence cites, as written, and its token span."""
    keys_ = [t.key for t in tokens]
    for i, key in enumerate(keys_):
        start: int | None = None
        if key in {"laut", "citing"}:
            start = i + 1
        elif (
            (key == "nach" and keys_[i + 1 : i + 2] == ["angaben"])
            or (key == "according" and keys_[i + 1 : i + 2] == ["to"])
            or (key == "berufung" and keys_[i + 1 : i + 2] == ["auf"])
        ):
            start = i + 2
        elif key == "wie" and (i == 0 or tokens[i - 1].text in CLAUSE_BREAKS):
            end = i + 1
            while end < len(tokens) and tokens[end].text not in CLAUSE_BREAKS:
                end += 1
            clause = keys_[i + 1 : end]
            if clause and clause[-1] in cues.report_verbs | {
                "mitteilte",
                "informierte",
                "dokumentierte",
            }:
                return _noun_phrase(tokens, i + 1, text, lexicon), (i, end)
            continue
        elif key in cues.report_verbs and i > 0:
            before = [t for t in tokens[:i] if t.text not in CLAUSE_BREAKS]
            if before and tokens[0].is_capitalised and _is_source_subject(tokens[:i], lexicon):
                return _noun_phrase(tokens, 0, text, lexicon), (0, i)
            trailing = _trailing_source(tokens, i)
            if trailing is not None:  # "…, the Saudi Press Agency said." / "…, X told lawmakers."
                first, last = trailing
                return text[tokens[first].start : tokens[last - 1].end], (first, last)
            if i + 1 < len(tokens) and tokens[i - 1].text in {",", "“", "”", '"'}:
                phrase = _noun_phrase(tokens, i + 1, text, lexicon)
                if phrase is not None:
                    return phrase, (i + 1, len(tokens))
            continue
        if start is not None:
            phrase = _noun_phrase(tokens, start, text, lexicon)
            if phrase is not None:
                end = start
                while end < len(tokens) and end - start < 6 and tokens[end].text not in CLAUSE_BREAKS:
                    if tokens[end].text in phrase.split()[-1:]:
                        end += 1
                        break
                    end += 1
                return phrase, (start, end)
    return None, None


def _is_source_subject(tokens: list[Token], lexicon: Lexicon) -> bool:
    return any(lexicon.is_source(t) for t in tokens) and len(tokens) <= 8


def _trailing_source(tokens: list[Token], verb: int) -> tuple[int, int] | None:
    """The source of an English report clause set off by a comma: "…, the Saudi Press Agency said",
    "…, South Korea's defence minister told lawmakers" → the noun phrase before the verb (without
    its article). None for a pronoun ("…, he said") or a long clause."""
    start = verb
    while start > 0 and tokens[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    if start == 0 or tokens[start - 1].text != "," or verb - start > 7 or verb == start:
        return None
    end = verb + 1
    while end < len(tokens) and tokens[end].text not in CLAUSE_BREAKS:
        end += 1
    if end - verb > 5:
        return None
    while start < verb and tokens[start].key in ARTICLES:
        start += 1
    if start == verb or tokens[start].key in SUBJECT_WORDS:
        return None
    return start, verb


def _noun_phrase(tokens: list[Token], start: int, text: str, lexicon: Lexicon) -> str | None:
    """The source named from `start`: "Tass", "der russischen Zeitung Iswestija" → "Iswestija",
    "seinem Ministerium" → "Ministerium", "Nachrichtenagentur „AFP“" → "AFP"."""
    i = start
    while i < len(tokens) and (
        tokens[i].key in ARTICLES or is_adjective(tokens[i]) or tokens[i].text in {"„", "“", '"'}
    ):
        i += 1
    words: list[Token] = []
    while i < len(tokens) and len(words) < 4:
        token = tokens[i]
        if token.text in {"„", "“", "”", '"'}:
            i += 1
            continue
        if not token.is_word or not token.is_capitalised:
            break
        if words and not (
            lexicon.is_source(words[-1])
            or token.text in lexicon.source_names
            or token.key in {"of", "for", "the"}
        ):
            break
        words.append(token)
        if token.text in lexicon.source_names:
            break
        i += 1
    if not words:
        return None
    if len(words) > 1 and lexicon.is_source(words[0]) and words[0].text not in lexicon.source_names:
        words = words[1:]
    return text[words[0].start : words[-1].end]

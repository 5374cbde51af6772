"""The function words the sentence rules read (prepositions, determiners, pronouns, …), as constants.

They live in `claims/data/words.json` (groups described in its `_format` key), like every other word
list of the rules backend; this module only gives them names. Lists the rules match as word endings
are tuples (for `str.endswith`), the others frozensets.
"""

from __future__ import annotations

from claims.backends.rules import data

_WORDS = data.load("words.json")


def _set(name: str) -> frozenset[str]:
    return frozenset(_WORDS[name])


def _endings(name: str) -> tuple[str, ...]:
    return tuple(_WORDS[name])


def _phrases(name: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(phrase) for phrase in _WORDS[name])


# --- prepositions and conjunctions: the part an actor plays -----------------------------------

PLACE_PREPOSITIONS = _set("place_prepositions")
TOPIC_PREPOSITIONS = _set("topic_prepositions")
ORIGIN_PREPOSITIONS = _set("origin_prepositions")
RECIPIENT_PREPOSITIONS = _set("recipient_prepositions")
COUNTERPART_MARKERS = _set("counterpart_markers")
TEMPORAL_PREPOSITIONS = _set("temporal_prepositions")
COORDINATORS = _set("coordinators")
SUBORDINATORS = _set("subordinators")
"""Conjunctions that start a new clause ("…, although France has delivered …")."""
LIST_MARKERS = _set("list_markers")
"""Words that open a list of examples after a comma ("…, darunter Indonesien und Malaysia")."""

# --- determiners and pronouns ------------------------------------------------------------------

POSSESSIVE_DETERMINERS = _set("possessive_determiners")
ARTICLES = _set("articles") | POSSESSIVE_DETERMINERS
"""Articles and possessive determiners: what may stand before a noun phrase's adjectives."""
DEFINITE_ARTICLES = _set("definite_articles")
DEFINITE_REFERENCES = _set("definite_references") | POSSESSIVE_DETERMINERS
"""Determiners that mark a meeting noun as one the reader knows ("bei dem Treffen", "his visit")."""
DEMONSTRATIVES = _set("demonstratives")
POSSESSIVE_PRONOUNS = _set("possessive_pronouns")
"""Sentence-initial possessives that refer to the last sentence's subject ("Its defence industry")."""
ENGLISH_DETERMINERS = _set("english_determiners")
"""Words before which "war" is the English noun, not German "war" (was)."""
SUBJECT_PRONOUNS = _set("subject_pronouns")
SUBJECT_WORDS = _set("subject_words")
RELATIVE_PRONOUNS = _set("relative_pronouns")
COPULAS = _set("copulas")

# --- nouns and modifiers -----------------------------------------------------------------------

ROLE_MODIFIERS = _set("role_modifiers")
"""Words between a country and its office that are no office themselves ("external affairs minister")."""
NAME_STOPWORDS = _set("name_stopwords")
"""Capitalised words that are no part of a person's name ("Am", "Herr", "The")."""
PLACE_NOUNS = _set("place_nouns")
STATE_NOUNS = _set("state_nouns")
"""Nouns that, after a definite article, refer back to a state named before ("the kingdom")."""
STATE_ACTIONS = _set("state_actions")
"""Verbs after which a sentence-initial "It" is a state acting ("It bought 42 Rafale jets")."""
MADE_HEADS = _set("made_heads")
"""Heads of an "X-made" compound: "Russian-made" names where weapons come from, not an actor."""
MADE_WORDS = _set("made_words")
WAR_NOUNS = _endings("war_noun_endings")
RELATION_NOUNS = _endings("relation_noun_endings")
"""Nouns after which "mit X" / "with X" is a topic, not a counterpart ("cooperation with the US")."""
PRODUCTION_NOUNS = _endings("production_noun_endings")

# --- references to the event just told ---------------------------------------------------------

EVENT_NOUNS = _endings("event_noun_endings")
REFER_BACK = _set("refer_back")
REFER_BACK_PHRASES = _phrases("refer_back_phrases")
"""Words and phrases that place an event at the time of the one just told."""
EVENT_PREPOSITIONS = _phrases("event_preposition_phrases")
"""Phrases that do so before an event noun ("during the visit", "beim Treffen")."""

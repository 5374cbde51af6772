"""Events across documents: claims that describe one real-world event, linked by ANNOTATION.md's rules.

The modules, one job each:
- `data`: the shared data files (gazetteer, persons, agreement words) as read-only lookups.
- `places`: place normalisation (Pjöngjang = Pyongyang, a city inside its country).
- `actors`: who an actor is for grouping (a state, a body or group, a person of a state).
- `agreements`: whether two agreement descriptions name the same agreement.
- `link`: the pairwise rules, one function per rule, and `same_event` / `block_keys`.
- `group`: connected components over blocked candidate pairs (order-independent), `EventIndex`.
- `summary`: what an event says (type, actors, date, place, weapons, counts, every claim).
"""

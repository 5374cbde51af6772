"""Scoring predicted claims against hand-labelled gold, as the "Scoring" section of ANNOTATION.md says.

The modules, one job each:
- `names`: do two actor names denote the same actor (case, diacritics, inflection, transliteration)?
- `records`: gold and predicted claims as read from JSONL or taken from a run.
- `locate`: where a quote sits in its source, and whether two quotes overlap there.
- `compare`: field agreement (dates at the coarser precision, locations, weapon categories).
- `match`: which pairs are eligible, how they are preferred, and the one-to-one assignment.
- `assignment`: a maximum-weight bipartite matching (the Hungarian algorithm).
- `metrics`: TP/FP/FN, precision, recall, F1, and the attributes of matched pairs.
- `grounding`: the share of proposed claims the verifier rejected.
- `evaluate`: the whole evaluation of one prediction set over a set of documents.
- `summary`: its JSON summary, with every false positive and negative and why it is one.
- `run_record`: what produced an evaluation (revision, versions, model, hashes, time).
- `render`: the terminal table and the Markdown report, both drawn from the JSON summary.
"""

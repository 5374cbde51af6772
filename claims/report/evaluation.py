"""What the review page reads from an evaluation result (`claims eval --json`): the contract.

The report marks false positives on the claims it shows and places false negatives (missed
gold claims) in the text. The output of `claims eval --json` is read as what it is, the
`claims.scoring.summary.EvaluationSummary` model (its micro scores head the page). Results of
other tools may follow this lenient contract instead (unknown keys are ignored)::

    {
      "overall":      {"precision": 0.8, "recall": 0.7, "f1": 0.75, ...},   # optional
      "per_document": {DOC_ID: {"tp": 3, "fp": 1, "fn": 0, ...,             # optional
                                "false_positives": [ERROR, ...],            # optional
                                "false_negatives": [ERROR, ...]}},          # optional
      "errors": {"false_positives": [ERROR, ...],                           # optional
                 "false_negatives": [ERROR, ...]}
    }

- `overall` and each `per_document` entry: their scalar values (numbers, strings, booleans)
  are shown as they are — in the page header and the document header respectively.
- An ERROR is an object with `doc_id` (may be left out inside `per_document`, where the key
  gives it), `type`, `quote`, and for a false positive optionally `claim_id`. Every other key
  is kept: a false negative is a gold claim, and its fields (participants, status, …) are
  shown to the reviewer.
- A false positive is matched to a shown claim by `claim_id` when it has one, else by
  (doc_id, type, quote) with the quote compared under the verifier's normalisation.
- A false negative is placed in its document where its quote is found (the verifier's
  lookup, `claims.verify.verifier.SourceText.find`); a quote not found is listed without a span.
- Errors may be given at the top level, per document, or both; the same error given twice
  (equal JSON) counts once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claims.scoring.summary import EvaluationSummary
from claims.validation import first_error

Scalar = str | int | float | bool | None
ERROR_KINDS = ("false_positives", "false_negatives")
CONTRACT = "claims/report/evaluation.py"


class EvalInputError(ValueError):
    """An evaluation file the report cannot read; the message names the file and the fix."""


@dataclass(frozen=True)
class EvalError:
    """One false positive or false negative, with everything the evaluation said about it."""

    doc_id: str
    fields: dict[str, Any]

    @property
    def claim_id(self) -> str | None:
        value = self.fields.get("claim_id")
        return value if isinstance(value, str) and value else None

    @property
    def type(self) -> str | None:
        value = self.fields.get("type")
        return value if isinstance(value, str) else None

    @property
    def quote(self) -> str | None:
        value = self.fields.get("quote")
        return value if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class Evaluation:
    """The parts of an evaluation result the review page shows."""

    overall: dict[str, Scalar] = field(default_factory=dict)
    per_document: dict[str, dict[str, Scalar]] = field(default_factory=dict)
    false_positives: list[EvalError] = field(default_factory=list)
    false_negatives: list[EvalError] = field(default_factory=list)


def read_evaluation(path: Path) -> Evaluation:
    """Read an evaluation JSON file; raise EvalInputError naming the file and the fix."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise EvalInputError(f"{path}: no such file; give the JSON written by `claims eval --json`") from None
    except (OSError, UnicodeDecodeError) as error:
        raise EvalInputError(f"{path}: cannot read ({error}); give a UTF-8 JSON file") from None
    except json.JSONDecodeError as error:
        raise EvalInputError(
            f"{path}: not valid JSON ({error.msg}, line {error.lineno}); "
            "give the output of `claims eval --json`"
        ) from None
    return parse_evaluation(raw, str(path))


def parse_evaluation(raw: object, name: str = "<eval>") -> Evaluation:
    """Build an Evaluation from decoded JSON, following the contract in the module docstring."""
    if not isinstance(raw, dict):
        raise EvalInputError(f"{name}: expected a JSON object; give the output of `claims eval --json`")
    if isinstance(raw.get("systems"), list):
        raise EvalInputError(
            f"{name}: holds {len(raw['systems'])} scored systems; the review page shows one: "
            "write its JSON with a single --pred or --backend"
        )
    if "micro" in raw:
        try:
            summary = EvaluationSummary.model_validate(raw)
        except ValidationError as error:
            raise EvalInputError(
                f"{name}: not an evaluation summary ({first_error(error)}); "
                "give the output of `claims eval --json`"
            ) from None
        return from_summary(summary)
    per_document_raw = _object(raw.get("per_document"), f"{name}: per_document")
    errors: dict[str, list[EvalError]] = {kind: [] for kind in ERROR_KINDS}
    seen: set[tuple[str, str]] = set()

    def add(kind: str, items: object, where: str, doc_id: str | None) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            raise EvalInputError(f"{where}: expected a list of objects with doc_id, type and quote")
        for number, item in enumerate(items):
            error = _error(item, f"{where}[{number}]", doc_id)
            key = (kind, json.dumps(error.fields, sort_keys=True, default=str))
            if key not in seen:
                seen.add(key)
                errors[kind].append(error)

    top = _object(raw.get("errors"), f"{name}: errors")
    for kind in ERROR_KINDS:
        add(kind, top.get(kind), f"{name}: errors.{kind}", None)
    per_document: dict[str, dict[str, Scalar]] = {}
    for doc_id, entry in per_document_raw.items():
        entry_object = _object(entry, f"{name}: per_document.{doc_id}")
        per_document[doc_id] = _scalars(entry_object)
        for kind in ERROR_KINDS:
            add(kind, entry_object.get(kind), f"{name}: per_document.{doc_id}.{kind}", doc_id)
    return Evaluation(
        overall=_scalars(_object(raw.get("overall"), f"{name}: overall")),
        per_document=per_document,
        false_positives=errors["false_positives"],
        false_negatives=errors["false_negatives"],
    )


def from_summary(summary: EvaluationSummary) -> Evaluation:
    """What the review page shows of a `claims eval` summary."""
    return Evaluation(
        overall=_scalars({"label": summary.label, **summary.micro.model_dump()}),
        per_document={doc: _scalars(scores.model_dump()) for doc, scores in summary.per_document.items()},
        false_positives=[_summary_error(e.model_dump()) for e in summary.errors.false_positives],
        false_negatives=[_summary_error(e.model_dump()) for e in summary.errors.false_negatives],
    )


def _summary_error(fields: dict[str, Any]) -> EvalError:
    return EvalError(doc_id=fields["doc_id"], fields=fields)


def _object(value: object, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise EvalInputError(f"{where}: expected a JSON object; see the contract in {CONTRACT}")
    return value


def _scalars(entry: dict[str, Any]) -> dict[str, Scalar]:
    return {key: value for key, value in entry.items() if isinstance(value, str | int | float | bool)}


def _error(item: object, where: str, doc_id: str | None) -> EvalError:
    if not isinstance(item, dict):
        raise EvalInputError(f"{where}: expected an object with doc_id, type and quote")
    given = item.get("doc_id", doc_id)
    if not isinstance(given, str) or not given:
        raise EvalInputError(f"{where}: no doc_id; every false positive and false negative needs one")
    return EvalError(doc_id=given, fields={**item, "doc_id": given})

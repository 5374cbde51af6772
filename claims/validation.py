"""One way to say what is wrong with a record that failed validation: its first problem."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

CLAIM_TAGS = ("meeting", "arms_delivery", "treaty_signing")


def first_error(
    error: ValidationError, default: str = "record", forms: Mapping[str, str] | None = None
) -> str:
    """The first validation problem as `field.path: what is wrong`, plus `(and N more)`.

    The discriminator's tag (a claim type) is left out of the path: it is not a field. A value
    that fails a pattern is named with its documented form when `forms` has one for the field.
    """
    first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    if location and location[0] in CLAIM_TAGS:
        location = location[1:]
    where = ".".join(location) or default
    problem = str(first["msg"])
    if forms is not None and first["type"] == "string_pattern_mismatch":
        form = forms.get(location[-1] if location else "", "the documented form")
        problem = f"{first['input']!r} is not {form}"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {problem}{more}"

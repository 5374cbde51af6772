"""What the subcommands share: errors with one-line messages, output files, warnings."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from claims.db import Database


class CliError(Exception):
    """A fatal error: printed as one line `claims: …`, then the process exits with `code`."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def warn(message: str) -> None:
    print(f"claims: {message}", file=sys.stderr)


@contextmanager
def output_stream(path: str | None, append: bool = False) -> Iterator[IO[str] | None]:
    """Open an output file (None: no file, '-': stdout), creating its folder; line-buffered."""
    if path is None:
        yield None
        return
    if path == "-":
        yield sys.stdout
        return
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stream = target.open("a" if append else "w", encoding="utf-8")
    except OSError as error:
        raise CliError(f"{path}: cannot write ({error.strerror}); choose a writable path") from None
    with stream:
        yield stream


def open_database(target: str | None) -> Database | None:
    """The database of `--db` (None without it); a bad one is a one-line CliError. The database
    code (SQLAlchemy and the event grouping, ~0.7 s) is imported only here, when it is asked for."""
    if not target:
        return None
    import claims.db

    try:
        return claims.db.open(target)
    except claims.db.DatabaseError as error:
        raise CliError(str(error)) from None


def is_database_error(error: BaseException) -> bool:
    """Whether `error` is a database's one-line error (asked only when --db opened one)."""
    from claims.db import DatabaseError

    return isinstance(error, DatabaseError)

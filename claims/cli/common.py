"""What the subcommands share: errors with one-line messages, output files, warnings."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


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

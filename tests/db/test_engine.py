"""Opening a database: SQLite settings, and files that must be refused untouched."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

import claims.db
import claims.db.engine
from claims.db.engine import open_engine, redact, resolve_target, scrub
from claims.db.migrations import MIGRATIONS_TABLE


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    with claims.db.open(tmp_path / "c.db") as db, db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


@contextmanager
def another_writer(path: Path, holds_for: float | None) -> Iterator[None]:
    """A claims database left in rollback mode (as before its first WAL switch) while another
    connection holds its write lock, as a second process creating the same database does."""
    with claims.db.open(path):
        pass
    with sqlite3.connect(path) as setup:
        setup.execute("PRAGMA journal_mode = DELETE")
    setup.close()
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    release = threading.Timer(holds_for, lambda: writer.execute("COMMIT")) if holds_for else None
    if release:
        release.start()
    try:
        yield
    finally:
        if release:
            release.join()
        else:
            writer.execute("ROLLBACK")
        writer.close()


def test_opening_waits_for_another_writer_instead_of_failing_at_once(tmp_path: Path) -> None:
    # SQLite refuses the WAL switch at once here (its deadlock rule skips the busy handler);
    # two processes creating one database met exactly this in CI.
    path = tmp_path / "c.db"
    with another_writer(path, holds_for=0.4):
        started = time.monotonic()
        engine = open_engine(str(path))
        waited = time.monotonic() - started
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()
    assert waited >= 0.3, "it opened only once the other writer had finished"


def test_a_writer_that_never_finishes_gives_a_clear_error_after_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claims.db.engine, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "c.db"
    with another_writer(path, holds_for=None):
        started = time.monotonic()
        with pytest.raises(claims.db.DatabaseError) as caught:
            open_engine(str(path))
        waited = time.monotonic() - started
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "database is locked" in message
    assert 0.2 <= waited < 5


@pytest.mark.parametrize(
    "content",
    [b"not a database at all\n", b"\x00\x01\x02" * 100, b'{"doc_id": "x"}\n', b"SQLite format 2\x00xx"],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_bytes(content)
    with pytest.raises(claims.db.DatabaseError) as caught:
        claims.db.open(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "not a SQLite database" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.jsonl"]


def test_a_corrupt_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    claims.db.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(claims.db.DatabaseError) as caught:
        claims.db.open(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == bytes(data)


def test_a_sqlite_file_of_another_application_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    before = path.read_bytes()
    with pytest.raises(claims.db.DatabaseError, match=r"another application .*photos"):
        claims.db.open(path)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"photos"}


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(claims.db.DatabaseError, match="is a folder"):
        claims.db.open(tmp_path)


def test_a_database_of_a_newer_version_is_refused(db_target: str) -> None:
    claims.db.open(db_target).close()
    with claims.db.open(db_target) as db, db.engine.begin() as connection:
        connection.execute(
            text(f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES ('m999_from_the_future', 'x')")
        )
    with pytest.raises(
        claims.db.DatabaseError, match=r"newer version of claims .*m999_from_the_future.*upgrade"
    ):
        claims.db.open(db_target)


def test_the_target_comes_from_the_flag_then_claims_db_then_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert resolve_target(None) == "claims.db"
    monkeypatch.setenv("CLAIMS_DB", "/data/team.db")
    assert resolve_target(None) == "/data/team.db"
    assert resolve_target("x.db") == "x.db"


def test_passwords_are_hidden_in_what_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://analyst:s3cr3t-pw@db.example:5432/claims"
    assert "s3cr3t-pw" not in redact(url) and "analyst" in redact(url)
    assert "s3cr3t-pw" not in scrub(f"failed for {url} with s3cr3t-pw", url)
    monkeypatch.setenv("PGPASSWORD", "envsecret")
    assert "envsecret" not in scrub("auth envsecret failed", "postgresql://a@h/d")

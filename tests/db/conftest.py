"""The database fixtures: every store and query test runs against SQLite and, with the
`postgres` marker (make test-postgres starts a server and sets TEST_POSTGRES_URL: a name
the autouse fixture, which clears CLAIMS_* and OPENAI_*, leaves alone), against a
fresh database on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import claims.db

POSTGRES_ENV = "TEST_POSTGRES_URL"


def postgres_database() -> Iterator[str]:
    """A new, empty database on the test server; dropped afterwards."""
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        if os.environ.get("TEST_POSTGRES_REQUIRED"):
            pytest.fail(f"{POSTGRES_ENV} is not set")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (make test-postgres does)")
    try:
        import psycopg
    except ModuleNotFoundError:
        pytest.skip("psycopg is not installed (pip install 'claims[postgres]')")
    name = "claims_test_" + uuid.uuid4().hex[:10]
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test database lives: a SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "claims.db")
    else:
        yield from postgres_database()


@pytest.fixture
def db(db_target: str) -> Iterator[claims.db.Database]:
    with claims.db.open(db_target) as database:
        yield database

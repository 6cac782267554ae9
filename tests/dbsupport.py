"""Real databases for tests: a temporary SQLite file always, PostgreSQL when configured.

PostgreSQL runs when SMUP_TEST_DATABASE_URL is set (e.g.
postgresql+asyncpg://postgres@127.0.0.1:5432/test); each test gets a schema of its own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from bench.registry_surge import document
from registry.db import Database
from registry.services import Registry
from rules.register import JstEntry, load_register

POSTGRES_URL = os.environ.get("SMUP_TEST_DATABASE_URL", "")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="SMUP_TEST_DATABASE_URL is not set"),
    ),
]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2022, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def database(backend: str, tmp_path: Path, clock: Clock) -> AsyncIterator[Database]:
    if backend == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'registry.db'}", clock=clock)
        try:
            await db.upgrade()
            yield db
        finally:
            await db.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL))
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    db = Database(
        POSTGRES_URL,
        clock=clock,
        connect_args={"server_settings": {"search_path": schema}},
    )
    try:
        await db.upgrade()
        yield db
    finally:
        await db.dispose()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


@asynccontextmanager
async def registry_on(backend: str, tmp_path: Path, clock: Clock) -> AsyncIterator[Registry]:
    async with database(backend, tmp_path, clock) as db:
        yield Registry(db, load_register())


def document_for(entry: JstEntry, index: int, *, employees: int = 45) -> dict[str, Any]:
    """A valid registration document for one JST of the register (invented people)."""
    doc = document(entry, index)
    doc["employees"] = employees
    return doc


def entries() -> Iterator[JstEntry]:
    return iter(load_register())


async def open_stage(
    registry: Registry,
    clock: Clock,
    capacity: int,
    name: str = "Etap I",
    *,
    days: int = 30,
    reserve_only: bool = False,
) -> int:
    result = await registry.open_stage(
        name,
        opens_at=clock.now,
        closes_at=clock.now + timedelta(days=days),
        capacity=capacity,
        reserve_only=reserve_only,
    )
    assert result.stage is not None, result.violations
    return result.stage.id

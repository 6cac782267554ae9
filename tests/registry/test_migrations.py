"""Migrations: up from empty to head, and the schema matches the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from dbsupport import BACKENDS, Clock, database

from registry.db import alembic_config, current_revision
from registry.models import Base


@pytest.mark.parametrize("backend", BACKENDS)
async def test_upgrade_from_empty_reaches_head_and_matches_models(
    backend: str, tmp_path: Path
) -> None:
    async with database(backend, tmp_path, Clock()) as db:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert await current_revision(db) == head
        await db.upgrade()  # idempotent
        async with db.writer.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
        assert diff == []

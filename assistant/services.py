"""Composition root: builds the registry from settings and prepares the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from assistant.settings import Settings
from registry.db import Database, utcnow
from registry.services import Registry
from registry.views import StageView
from rules.register import load_register


@asynccontextmanager
async def open_registry(settings: Settings, *, prepare: bool = True) -> AsyncIterator[Registry]:
    """A registry on the configured database, migrated and with a first stage."""
    db = Database(settings.effective_database_url())
    try:
        registry = Registry(db, load_register())
        if prepare:
            await db.upgrade()
            await ensure_first_stage(registry, settings)
        yield registry
    finally:
        await db.dispose()


async def ensure_first_stage(registry: Registry, settings: Settings) -> StageView | None:
    return await registry.ensure_first_stage(
        settings.first_stage_name,
        opens_at=settings.first_stage_opens_at or utcnow(),
        days=settings.first_stage_days,
        capacity=settings.first_stage_capacity,
    )

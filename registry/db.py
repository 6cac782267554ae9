"""Engines, the unit of work and migrations.

SQLite (the embedded default) runs in WAL mode; every write transaction starts with
BEGIN IMMEDIATE, so the database's single writer decides the order of submissions, and
inside one process writers queue on an asyncio lock instead of spinning on SQLITE_BUSY.
A write that is a single statement may skip the session (`write_alone`): SQLite commits
it by itself, in one trip to the driver's thread.
PostgreSQL serialises placements on a row lock of the `counters` table.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
from alembic import command
from alembic.config import Config
from sqlalchemy import event, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from registry.models import Counter

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
PLACEMENT_COUNTER = "application"

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


# Every SQLite connection: WAL (readers never block the writer), durable commits without
# a sync per transaction, foreign keys, and a minute's wait for another process's lock.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=60000",
)


def _sqlite_engine(url: str, *, immediate: bool, **kwargs: Any) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": 60}, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN (the documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL; None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database).expanduser()


def ensure_sqlite_directory(url: str) -> None:
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


class Database:
    """The registry's connection to its database: engines, sessions, the write order."""

    def __init__(self, url: str, *, clock: Clock = utcnow, **engine_kwargs: Any) -> None:
        self.url = url
        self.clock = clock
        self.sqlite = is_sqlite(url)
        if self.sqlite:
            ensure_sqlite_directory(url)
            self.writer = _sqlite_engine(
                url, immediate=True, pool_size=1, max_overflow=0, **engine_kwargs
            )
            self.reader = _sqlite_engine(url, immediate=False, **engine_kwargs)
        else:
            self.writer = create_async_engine(url, pool_size=20, max_overflow=10, **engine_kwargs)
            self.reader = self.writer
        self._write_sessions = async_sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = async_sessionmaker(self.reader, expire_on_commit=False)
        self._write_lock = asyncio.Lock() if self.sqlite else None
        # SQLite: the connection of `write_alone`, opened on first use.
        self._alone_file = sqlite_file(url) if self.sqlite else None
        self._alone: aiosqlite.Connection | None = None

    async def dispose(self) -> None:
        if self._alone is not None:
            await self._alone.close()
            self._alone = None
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()

    @property
    def writes_alone(self) -> bool:
        """Whether `write_alone` can be used (an SQLite file)."""
        return self._alone_file is not None

    async def write_alone(self, statement: str, parameters: Sequence[Any]) -> None:
        """One SQL statement, committed by itself, under the same write lock as `write()`.

        SQLite commits a statement made outside any transaction on its own, as durably
        as a COMMIT. On a connection of its own that is one trip to the driver's thread;
        a session's transaction takes about seven (BEGIN IMMEDIATE, the statement's
        cursor, COMMIT), and each trip costs the event loop a thread wake-up."""
        if self._write_lock is None or self._alone_file is None:
            raise RuntimeError("write_alone needs an SQLite file")
        async with self._write_lock:
            if self._alone is None:
                self._alone = await _connect_alone(self._alone_file)
            await self._alone.execute_fetchall(statement, parameters)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed on success, rolled back on any error."""
        if self._write_lock is None:
            async with self._write_sessions() as session, session.begin():
                yield session
            return
        async with self._write_lock, self._write_sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read_sessions() as session, session.begin():
            yield session

    async def lock_placements(self, session: AsyncSession) -> None:
        """Takes the lock that orders submissions and placement changes (pkt 7).

        On SQLite the write transaction already holds the database's only write lock.
        """
        if not self.sqlite:
            await session.execute(
                select(Counter.value).where(Counter.name == PLACEMENT_COUNTER).with_for_update()
            )

    async def upgrade(self) -> None:
        """Creates or migrates the schema to the newest revision (alembic upgrade head)."""
        async with self.writer.connect() as connection:
            await _run_migrations(connection)


async def _connect_alone(path: Path) -> aiosqlite.Connection:
    # isolation_level None: the driver begins no transaction, so each statement commits.
    connection = await aiosqlite.connect(path, timeout=60, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        await connection.execute_fetchall(pragma, ())
    return connection


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def _run_migrations(connection: AsyncConnection) -> None:
    def upgrade(sync_connection: Connection) -> None:
        command.upgrade(alembic_config(sync_connection), "head")

    await connection.run_sync(upgrade)
    await connection.commit()


async def current_revision(db: Database) -> str | None:
    async with db.reader.connect() as connection:
        try:
            result = await connection.execute(text("SELECT version_num FROM alembic_version"))
        except Exception:
            return None
        return result.scalar_one_or_none()

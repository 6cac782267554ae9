"""Where the conversation lives: the registry's database, or Redis when configured.

`SqlStorage` is an aiogram FSM storage over the `conversation_state` table. Every write
is durable before the caller goes on (so before the bot replies): a killed process
loses no answer the user saw acknowledged. Writes arriving together are committed
together — one transaction for all the chats that answered meanwhile (a group commit,
as the registry does for submissions) — so thousands of chats cost a few transactions,
not thousands.

On the embedded default (SQLite, one process) the storage also keeps every record it has
read or written in memory, so reading a chat's state costs no query. With PostgreSQL it
reads through, because several instances may share the database; several instances
should use Redis (aiogram's RedisStorage with its event isolation) anyway.

Reads of records not in memory are grouped the same way: the chats that start talking
at once are read in a few queries.

On an SQLite file a group is written as one statement (a multi-row upsert) committed by
itself (`Database.write_alone`): one trip to the driver's thread per group, where a
session's transaction takes seven.

Keys contain ":<chat_id>:", which `Registry.unlink_chat` relies on for /usun_dane.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy import Table, delete, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import Insert as PgInsert
from sqlalchemy.dialects.postgresql import insert as pg_insert

from registry.db import Database, utcnow
from registry.grouped import GroupedCalls
from registry.models import ConversationState

if TYPE_CHECKING:  # the composition root's settings, for types only
    from assistant.settings import Settings

log = logging.getLogger(__name__)

# (state, data as JSON text): the text is parsed anew for every reader, so no caller
# can change the stored record by mutating what it was given. orjson writes and reads
# it: every update of every chat does both, four times faster than the json module.
Record = tuple[str | None, str]
EMPTY: Record = (None, "{}")
# Keys per query of a group read, and rows per statement of a group write (SQLite
# allows 32,766 bound parameters).
READ_CHUNK = 500
WRITE_CHUNK = 500

# A group's rows, for `Database.write_alone`: one upsert with a VALUES row per chat.
_UPSERT_HEAD = "INSERT INTO conversation_state (key, state, data, updated_at) VALUES "
_UPSERT_ROW = "(?, ?, ?, ?)"
_UPSERT_TAIL = (
    " ON CONFLICT (key) DO UPDATE SET state = excluded.state, data = excluded.data,"
    " updated_at = excluded.updated_at"
)
_DELETE = "DELETE FROM conversation_state WHERE key IN ({keys})"


def _changed(statement: PgInsert) -> dict[str, Any]:
    """What an upsert of a conversation changes in the row already there."""
    return {
        "state": statement.excluded.state,
        "data": statement.excluded.data,
        "updated_at": statement.excluded.updated_at,
    }


@cache
def _sqlite_time(table: Table) -> Callable[[datetime], str]:
    """How SQLAlchemy writes `updated_at` to SQLite, for the statements written as text."""
    processor = table.c.updated_at.type.bind_processor(sqlite.dialect())
    assert processor is not None
    return processor


def _dumps(data: Mapping[str, Any]) -> str:
    # Keys that are not text become text, as the json module makes them.
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()


def storage_key(key: StorageKey) -> str:
    """ "fsm:<chat>:<user>:<thread>:<destiny>" — the chat id between colons."""
    return f"fsm:{key.chat_id}:{key.user_id}:{key.thread_id or 0}:{key.destiny}"


class SqlStorage(BaseStorage):
    def __init__(
        self, db: Database, *, cache: bool | None = None, max_cached: int = 50_000
    ) -> None:
        self.db = db
        self.cache = db.sqlite if cache is None else cache
        self.max_cached = max_cached
        self._records: OrderedDict[str, Record] = OrderedDict()
        # Written but not yet committed: what a reader of the chat gets meanwhile.
        self._unsaved: dict[str, Record] = {}
        # Reads and writes arriving together are done together (registry.grouped).
        self._reads = GroupedCalls(self._read_group)
        self._writes = GroupedCalls(self._write_group)

    # --- reading --------------------------------------------------------------------------

    async def _record(self, key: str) -> Record:
        unsaved = self._unsaved.get(key)
        if unsaved is not None:
            return unsaved
        if self.cache and key in self._records:
            self._records.move_to_end(key)
            return self._records[key]
        record = await self._reads(key)
        unsaved = self._unsaved.get(key)
        if unsaved is not None:  # written while it was read
            return unsaved
        self._remember(key, record)
        return record

    async def _read_group(self, keys: list[str]) -> list[Record]:
        """The records of every chat asked for meanwhile, in a few queries."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Record] = {}
        async with self.db.read() as session:
            for start in range(0, len(wanted), READ_CHUNK):
                rows = await session.execute(
                    select(
                        ConversationState.key,
                        ConversationState.state,
                        ConversationState.data,
                    ).where(ConversationState.key.in_(wanted[start : start + READ_CHUNK]))
                )
                for key, state, data in rows:
                    found[key] = (state, _dumps(data))
        return [found.get(key, EMPTY) for key in keys]

    def _remember(self, key: str, record: Record) -> None:
        if not self.cache:
            return
        self._records[key] = record
        self._records.move_to_end(key)
        while len(self._records) > self.max_cached:
            oldest = next(iter(self._records))
            del self._records[oldest]

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._record(storage_key(key)))[0]

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        data: dict[str, Any] = orjson.loads((await self._record(storage_key(key)))[1])
        return data

    # --- writing --------------------------------------------------------------------------

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        stored = storage_key(key)
        _, data = await self._record(stored)
        await self._write(stored, (name, data))

    async def set_record(self, key: StorageKey, state: str | None, data: Mapping[str, Any]) -> None:
        """State and data at once, in one durable write."""
        await self._write(storage_key(key), (state, _dumps(data)))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        stored = storage_key(key)
        state, _ = await self._record(stored)
        await self._write(stored, (state, _dumps(data)))

    async def _write(self, key: str, record: Record) -> None:
        self._unsaved[key] = record
        self._remember(key, record)
        await self._writes((key, record))

    async def _write_group(self, writes: list[tuple[str, Record]]) -> list[None]:
        """One transaction for every chat written meanwhile: its latest record."""
        batch = dict(writes)
        try:
            await self._commit(batch)
        except Exception:
            log.exception("conversation state not saved (%d chats)", len(batch))
            for key in batch:  # read the truth from the database next time
                self._records.pop(key, None)
            raise
        finally:
            for key, record in batch.items():
                if self._unsaved.get(key) is record:  # not written again meanwhile
                    del self._unsaved[key]
        return [None] * len(writes)

    async def _commit(self, batch: dict[str, Record]) -> None:
        now = utcnow()
        table = ConversationState.__table__
        assert isinstance(table, Table)
        gone = [key for key, record in batch.items() if record == EMPTY]
        kept = [(key, record) for key, record in batch.items() if record != EMPTY]
        if self.db.writes_alone:  # SQLite: its databases are files
            await self._commit_alone(table, kept, gone, now)
            return
        # PostgreSQL: one upsert for the group in the registry's unit of work.
        upsert = pg_insert(table)
        upsert = upsert.on_conflict_do_update(index_elements=[table.c.key], set_=_changed(upsert))
        rows = [
            {"key": key, "state": state, "data": orjson.loads(data), "updated_at": now}
            for key, (state, data) in kept
        ]
        async with self.db.write() as session:
            connection = await session.connection()
            if rows:
                await connection.execute(upsert, rows)
            if gone:
                await connection.execute(delete(table).where(table.c.key.in_(gone)))

    async def _commit_alone(
        self, table: Table, kept: list[tuple[str, Record]], gone: list[str], now: datetime
    ) -> None:
        """The group as one statement (per 500 chats), each committed by itself. Each
        chat's record is written whole by one statement, so a failure midway leaves
        every chat with either its old record or its new one."""
        stamp = _sqlite_time(table)(now)
        for start in range(0, len(kept), WRITE_CHUNK):
            chunk = kept[start : start + WRITE_CHUNK]
            values = ", ".join([_UPSERT_ROW] * len(chunk))
            parameters = [
                value for key, (state, data) in chunk for value in (key, state, data, stamp)
            ]
            await self.db.write_alone(_UPSERT_HEAD + values + _UPSERT_TAIL, parameters)
        for start in range(0, len(gone), WRITE_CHUNK):
            keys = gone[start : start + WRITE_CHUNK]
            await self.db.write_alone(_DELETE.format(keys=", ".join("?" * len(keys))), keys)

    def forget_chat(self, chat_id: int) -> None:
        """Drops what memory holds of a chat whose rows were deleted (/usun_dane)."""
        marker = f":{chat_id}:"
        for key in [key for key in self._records if marker in key]:
            del self._records[key]

    async def close(self) -> None:
        await self._writes.drain()


class ChatIsolation(BaseEventIsolation):
    """One event at a time per chat, as aiogram's SimpleEventIsolation, but a chat's lock
    lives only while an event of the chat holds or awaits it: aiogram's keeps the lock of
    every chat ever seen for the life of the process (its own "unused locks cleaner is
    needed"), a lock per chat of a surge of thousands."""

    def __init__(self) -> None:
        self._locks: dict[StorageKey, _ChatLock] = {}

    def lock(self, key: StorageKey) -> _Turn:  # type: ignore[override]
        return _Turn(self._locks, key)

    async def close(self) -> None:
        self._locks.clear()


class _ChatLock:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0  # events holding or awaiting the lock


class _Turn:
    """`async with isolation.lock(key)`: a class, not a generator, on every update's path."""

    __slots__ = ("_held", "_key", "_locks")

    def __init__(self, locks: dict[StorageKey, _ChatLock], key: StorageKey) -> None:
        self._locks = locks
        self._key = key

    async def __aenter__(self) -> None:
        held = self._locks.get(self._key)
        if held is None:
            held = self._locks[self._key] = _ChatLock()
        held.users += 1
        self._held = held
        try:
            await held.lock.acquire()
        except BaseException:  # cancelled while waiting: it holds nothing
            self._leave()
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._held.lock.release()
        self._leave()

    def _leave(self) -> None:
        self._held.users -= 1
        if not self._held.users:
            del self._locks[self._key]


def build_storage(settings: Settings, db: Database) -> tuple[BaseStorage, BaseEventIsolation]:
    """Redis (with its event isolation, for several instances) when configured; else
    the registry's database with in-process isolation."""
    if settings.redis_url:
        # Imported only when configured: the Redis client is some 6 MB the embedded
        # default does not need.
        from aiogram.fsm.storage.redis import RedisStorage

        redis = RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(prefix="smup", with_destiny=True)
        )
        return redis, redis.create_isolation()
    return SqlStorage(db), ChatIsolation()

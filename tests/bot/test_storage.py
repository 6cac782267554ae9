"""The conversation's storage: the registry's database by default, Redis when set."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from botsupport import NOWY_TARG, fill_office, harness_on, start_and_consent
from dbsupport import BACKENDS, Clock, registry_on
from sqlalchemy import select

from bot.storage import SqlStorage, storage_key
from registry.db import Database
from registry.models import ConversationState

REDIS_URL = os.environ.get("SMUP_TEST_REDIS_URL", "")


def _key(chat: int) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=chat, user_id=chat)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_writes_are_in_the_database_before_the_call_returns(
    backend: str, tmp_path: Path
) -> None:
    async with registry_on(backend, tmp_path, Clock()) as registry:
        storage = SqlStorage(registry.db)
        await storage.set_state(_key(42), "Form:nip")
        await storage.set_data(_key(42), {"draft": {"nip": None}, "rev": 1})
        async with registry.db.read() as session:
            row = await session.get(ConversationState, storage_key(_key(42)))
        assert row is not None and row.state == "Form:nip" and row.data["rev"] == 1
        assert ":42:" in row.key
        fresh = SqlStorage(registry.db)  # another process
        assert await fresh.get_state(_key(42)) == "Form:nip"
        assert await fresh.get_data(_key(42)) == {"draft": {"nip": None}, "rev": 1}
        await storage.set_state(_key(42), None)
        await storage.set_data(_key(42), {})
        async with registry.db.read() as session:
            assert (await session.scalars(select(ConversationState.key))).all() == []


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_caller_cannot_change_the_stored_record(backend: str, tmp_path: Path) -> None:
    async with registry_on(backend, tmp_path, Clock()) as registry:
        storage = SqlStorage(registry.db)
        await storage.set_data(_key(7), {"draft": {"nip": "1"}})
        data = await storage.get_data(_key(7))
        data["draft"]["nip"] = "2"
        assert (await storage.get_data(_key(7)))["draft"]["nip"] == "1"


@pytest.mark.parametrize("backend", BACKENDS)
async def test_many_chats_at_once_are_read_and_written_together(
    backend: str, tmp_path: Path
) -> None:
    import asyncio

    async with registry_on(backend, tmp_path, Clock()) as registry:
        storage = SqlStorage(registry.db)
        await asyncio.gather(*(storage.set_data(_key(n), {"n": n}) for n in range(300)))
        fresh = SqlStorage(registry.db)
        found = await asyncio.gather(*(fresh.get_data(_key(n)) for n in range(300)))
        assert [d["n"] for d in found] == list(range(300))


@pytest.mark.skipif(not REDIS_URL, reason="SMUP_TEST_REDIS_URL is not set")
async def test_redis_keeps_the_conversation_across_a_restart(tmp_path: Path) -> None:
    from redis.asyncio import Redis

    chat = 800_000_000 + uuid.uuid4().int % 100_000_000
    async with harness_on(tmp_path, redis_url=REDIS_URL) as harness:
        from bot.dispatcher import build_dispatcher
        from bot.service import build_bot

        harness.dispatcher = build_dispatcher(harness.registry, harness.settings)
        user = harness.user(chat)
        await start_and_consent(user)
        await fill_office(user, NOWY_TARG)
        before = await user.state()
        assert before[0] == "Form:participant_name"
        await harness.dispatcher.fsm.close()
        await harness.bot.session.close()
        harness.bot = build_bot(harness.settings)
        harness.dispatcher = build_dispatcher(harness.registry, harness.settings)
        assert await user.state() == before
        await user.say("/start")
        assert "Witamy ponownie" in user.last_text and "Uczestnik nr 1 z 1" in user.last_text
        redis = Redis.from_url(REDIS_URL)
        keys = [k.decode() for k in await redis.keys(f"smup:{chat}:*")]
        assert keys and all(f":{chat}:" in k for k in keys)
        await user.say("/usun_dane")
        await user.say("tak")
        assert await redis.keys(f"smup:{chat}:*") == []
        await redis.aclose()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_conversation_survives_a_restart_on_each_backend(
    backend: str, tmp_path: Path
) -> None:
    async with harness_on(tmp_path, backend=backend) as harness:
        user = harness.user(9100)
        await start_and_consent(user)
        await fill_office(user, NOWY_TARG)
        before = await user.state()
        await harness.restart()
        assert await user.state() == before
        await user.say("Jan Lis")
        await user.tap("Szkolenie online")
        await user.tap("Edukacja")
        await user.tap("Wyślij zgłoszenie")
        assert "Zgłoszenie nr 1 zostało przyjęte" in user.last_text


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_write_that_failed_is_not_what_the_chat_reads_next(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with registry_on(backend, tmp_path, Clock()) as registry:
        storage = SqlStorage(registry.db)
        await storage.set_data(_key(5), {"step": "saved"})
        commit = storage._commit

        async def lost(batch: dict[str, tuple[str | None, str]]) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(storage, "_commit", lost)
        with pytest.raises(OSError):
            await storage.set_data(_key(5), {"step": "lost"})
        monkeypatch.setattr(storage, "_commit", commit)
        # The caller was told; what the chat reads is what the database holds.
        assert await storage.get_data(_key(5)) == {"step": "saved"}
        await storage.set_data(_key(5), {"step": "again"})
        assert await SqlStorage(registry.db).get_data(_key(5)) == {"step": "again"}


async def test_a_group_on_sqlite_is_one_statement_per_500_chats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,201 chats written together, then some of them cleared: each group is written
    without a session, in statements of at most 500 rows, and all of it is kept."""
    import asyncio

    async with registry_on("sqlite", tmp_path, Clock()) as registry:
        db = registry.db
        statements: list[str] = []
        alone = db.write_alone

        async def counted(statement: str, parameters: list[object]) -> None:
            statements.append(statement.split()[0])
            await alone(statement, parameters)

        def no_session() -> None:
            raise AssertionError("a session was opened for the conversation's writes")

        monkeypatch.setattr(db, "write_alone", counted)
        monkeypatch.setattr(db, "write", no_session)
        storage = SqlStorage(db)
        await asyncio.gather(
            *(storage.set_data(_key(n), {"n": n, "name": "Łucja"}) for n in range(1201))
        )
        assert statements == ["INSERT"] * 3
        statements.clear()
        await asyncio.gather(
            *(storage.set_data(_key(n), {}) for n in range(0, 1201, 2)),
            *(storage.set_state(_key(n), "Form:nip") for n in range(1, 1201, 2)),
        )
        assert sorted(statements) == ["DELETE", "DELETE", "INSERT", "INSERT"]
        fresh = SqlStorage(db)
        found = await asyncio.gather(*(fresh.get_data(_key(n)) for n in range(1201)))
        assert all(
            found[n] == ({} if n % 2 == 0 else {"n": n, "name": "Łucja"}) for n in range(1201)
        )
        assert (
            await fresh.get_state(_key(1)) == "Form:nip" and await fresh.get_state(_key(0)) is None
        )
        async with db.read() as session:
            row = await session.get(ConversationState, storage_key(_key(1)))
        assert row is not None and row.updated_at.tzinfo is not None


async def test_write_alone_commits_by_itself_under_the_write_lock(tmp_path: Path) -> None:
    import asyncio
    import sqlite3

    async with registry_on("sqlite", tmp_path, Clock()) as registry:
        db = registry.db
        insert = (
            "INSERT INTO conversation_state (key, state, data, updated_at) "
            "VALUES (?, NULL, '{}', '2022-03-01 09:00:00.000000')"
        )
        async with db.write():
            waiting = asyncio.create_task(db.write_alone(insert, ["fsm:1:1:0:default"]))
            await asyncio.sleep(0.05)
            assert not waiting.done()  # the registry's transaction holds the write lock
        await waiting
        path = tmp_path / "registry.db"
        with sqlite3.connect(path) as other:  # another process sees it committed
            assert other.execute("SELECT key FROM conversation_state").fetchall() == [
                ("fsm:1:1:0:default",)
            ]
    server = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")  # never connected
    try:
        assert not server.writes_alone
        with pytest.raises(RuntimeError):
            await server.write_alone("SELECT 1", [])
    finally:
        await server.dispose()


async def test_the_record_is_json_text_with_letters_as_they_are(tmp_path: Path) -> None:
    """The stored text is JSON any reader can parse: Polish letters as they are, keys
    that are not text made text (as the json module makes them)."""
    import json
    import sqlite3

    async with registry_on("sqlite", tmp_path, Clock()) as registry:
        storage = SqlStorage(registry.db)
        await storage.set_data(_key(3), {"imię": "Łucja Żółć", 5: [1, 2.5, None, True]})
        with sqlite3.connect(tmp_path / "registry.db") as other:
            (text,) = other.execute("SELECT data FROM conversation_state").fetchone()
        assert "Łucja Żółć" in text
        assert json.loads(text) == {"imię": "Łucja Żółć", "5": [1, 2.5, None, True]}
        assert await SqlStorage(registry.db).get_data(_key(3)) == json.loads(text)


async def test_one_event_at_a_time_per_chat_and_no_lock_left_behind() -> None:
    import asyncio

    from bot.storage import ChatIsolation

    isolation = ChatIsolation()
    order: list[str] = []

    async def event(chat: int, name: str, hold: float) -> None:
        async with isolation.lock(_key(chat)):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    first = asyncio.create_task(event(1, "a", 0.05))
    await asyncio.sleep(0)
    second = asyncio.create_task(event(1, "b", 0))
    other_chat = asyncio.create_task(event(2, "c", 0))
    waiting = asyncio.create_task(event(1, "cancelled", 0))
    await asyncio.sleep(0.01)
    waiting.cancel()  # gives up while waiting for chat 1: holds nothing
    await asyncio.gather(first, second, other_chat, waiting, return_exceptions=True)
    assert order.index("c in") < order.index("a out")  # another chat is not held up
    assert order.index("a out") < order.index("b in")  # the same chat waits its turn
    assert "cancelled in" not in order
    assert isolation._locks == {}  # every chat's lock went with its last event

"""Benchmark: every JST of the register registers through the bot at the same time.

All 2,791 JST of the register hold full conversations concurrently through the real
dispatcher, routers, engine and the embedded storage (SQLite, the registry's database):
/start, consent, the JST typed by name and chosen from the candidates, NIP, office name
(the suggestion tapped), address, headcount, contact, each participant, the summary,
confirm. Telegram is the in-process Bot API of `bot.transport` (no network, no pacing):
the users' updates wait there as JSON, and the dispatcher polls it as `smup run` polls
Telegram — getUpdates, a task per update, at most `UPDATES_AT_ONCE` in progress — so every
conversation stays open (its draft in the storage) until its user's next update is taken.

Baseline, in the same process and on the same transport and polling: a bare aiogram
3-step FSM (MemoryStorage, StateFilter, one reply per update), after a short warm-up run
(so that neither run pays for building the Telegram types both use).

Both are measured in the same moments. This machine's speed drifts by a quarter and more
within a minute (the same baseline, run twice in a row, has given 1,900 and 2,700
updates/s), so a bot run of a minute and baseline runs before or after it compare
different machines. Every `SLICE` seconds the surge pauses: Telegram stops handing out
updates (the users' next updates wait there), the updates the bot has taken are
handled, the baseline holds `BASELINE_CHATS` conversations, and the surge goes on. The
bot's rate is its updates over its own time (the pauses taken out, the handling of what
it had taken left in); the baseline's, its updates over its time. Every conversation of
the surge stays open, its draft stored, through the pauses.

Checks: first-come order exact — application numbers follow the order in which the
confirm updates reached the registry, the first 577 qualified, the rest on the reserve
list, and every chat told the number the registry holds.

Last line: {"updates_per_s", "baseline_updates_per_s", "ratio", "order_ok", "rss_mb"}
(rss_mb: the process's peak resident set). Targets: ratio >= 0.5, order_ok, rss_mb <= 200.
On stderr, for reading the ratio: the same bare FSM on the bot's durable SQLite storage.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# bot first: it imports aiogram with the Telegram types built on first use (bot.lazy_types)
from bot import lazy_types  # noqa: F401  # isort: skip

from aiogram import Bot, Dispatcher, Router
from aiogram.filters import CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Message, TelegramObject, Update
from stdnum.pl import nip as stdnum_nip

from assistant.settings import Settings
from bot.dispatcher import build_dispatcher
from bot.form import jst_record, jst_title
from bot.i18n import CatalogI18n
from bot.service import UPDATES_AT_ONCE, tune_garbage_collector
from bot.storage import SqlStorage
from bot.transport import LOCAL_TOKEN, LocalBotApi, Outgoing, PendingUpdates, Updates
from registry.db import Database
from registry.services import Registry
from registry.views import SubmitResult
from rules.recruitment import Status
from rules.register import JstEntry, load_register

CAPACITY = 577
WARM_UP = 100  # conversations of the baseline run before anything is measured
SLICE = 3.0  # seconds of the surge between two turns of the baseline
BASELINE_CHATS = 400  # conversations of the baseline in each turn (1,600 updates)
FIRST_CHAT = 10_000
NUMBER = re.compile(r"\b(?:nr|no\.) (\d+)\b")


def nip_for(index: int) -> str:
    """A distinct invented NIP with a valid check digit for each index."""
    for candidate in range(index * 10, index * 10 + 10):
        body = f"{200 + candidate // 1_000_000 % 700}{candidate % 1_000_000:06d}"
        for last in "0123456789":
            if stdnum_nip.is_valid(body + last):
                return body + last
    raise AssertionError(index)


class Chats:
    """What the bot last sent to each chat (the message with buttons, the last text)."""

    def __init__(self) -> None:
        self.buttons: dict[int, tuple[int, str, list[tuple[str, str]]]] = {}
        self.last_text: dict[int, str] = {}
        self.sent = 0

    def deliver(self, outgoing: Outgoing) -> None:
        if outgoing.kind != "message" or outgoing.chat_id is None:
            return
        chat = int(outgoing.chat_id)
        self.sent += 1
        self.last_text[chat] = outgoing.text
        flat = [button for row in outgoing.buttons for button in row]
        if flat:
            assert outgoing.message_id is not None
            self.buttons[chat] = (outgoing.message_id, outgoing.text, flat)

    def tap(self, user: Updates, chat: int, index: int = 0) -> dict[str, Any]:
        message_id, text, flat = self.buttons[chat]
        return user.raw_tap(flat[index][1], message_id, text)


class HeldUpdates(PendingUpdates):
    """The waiting updates, which Telegram can stop handing out for a while; counts the
    updates taken by the bot and not yet handled."""

    def __init__(self) -> None:
        super().__init__()
        self.handing_out = asyncio.Event()
        self.handing_out.set()
        self.not_taking = asyncio.Event()  # no getUpdates is waiting for an update
        self.not_taking.set()
        self.taken = 0

    async def take(self, bot: Bot, limit: int, wait: float) -> list[Update]:
        await self.handing_out.wait()
        self.not_taking.clear()
        try:
            updates = await super().take(bot, limit, wait)
        finally:
            self.not_taking.set()
        self.taken += len(updates)
        return updates

    async def hold(self) -> None:
        """Hands out nothing more; returns once no getUpdates is still waiting (one that
        was gets what has arrived, or nothing, at once)."""
        self.handing_out.clear()
        self._arrived.set()
        await self.not_taking.wait()


class Telegram:
    """Telegram's side: users send updates and wait until the bot has handled each.

    The updates wait in `PendingUpdates` as JSON; the dispatcher takes them by polling.
    A middleware on the dispatcher tells the sender when its update has been handled
    (the load generator's own bookkeeping, the same in both runs)."""

    def __init__(self, dispatcher: Dispatcher, deliver: Callable[[Outgoing], None]) -> None:
        self.dispatcher = dispatcher
        self.pending = HeldUpdates()
        self.bot = Bot(LOCAL_TOKEN, session=LocalBotApi(deliver, self.pending))
        self._handled: dict[int, asyncio.Future[None]] = {}
        self._drained = asyncio.Event()  # set when every update taken has been handled
        dispatcher.update.outer_middleware(self._tell_sender)

    async def _tell_sender(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        try:
            return await handler(event, data)
        finally:
            assert isinstance(event, Update)
            future = self._handled.pop(event.update_id, None)
            if future is not None and not future.done():
                future.set_result(None)
            self.pending.taken -= 1
            if not self.pending.taken:
                self._drained.set()

    async def send(self, update: dict[str, Any]) -> None:
        handled = asyncio.get_running_loop().create_future()
        self._handled[update["update_id"]] = handled
        self.pending.put(update)
        await handled

    async def pause(self) -> None:
        """Telegram stops handing out updates; returns once the bot has handled every
        update it had taken."""
        await self.pending.hold()
        if self.pending.taken:
            self._drained.clear()
            await self._drained.wait()

    async def serve(
        self, conversations: list[Awaitable[int]], turns: Turns | None = None
    ) -> tuple[int, float]:
        """Polls while the conversations run; returns the number of updates they sent and
        the time they took, less the pauses in which `turns` ran the baseline."""
        polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                handle_signals=False,
                close_bot_session=False,
                polling_timeout=1,
                tasks_concurrency_limit=UPDATES_AT_ONCE,
            )
        )
        started = time.perf_counter()
        paused = 0.0
        try:
            talking = asyncio.ensure_future(asyncio.gather(*conversations))
            while turns is not None:
                done, _ = await asyncio.wait([talking], timeout=SLICE)
                if done:
                    break
                await self.pause()
                pause_began = time.perf_counter()
                await turns.take()
                paused += time.perf_counter() - pause_began
                self.pending.handing_out.set()
            updates = sum(await talking)
            return updates, time.perf_counter() - started - paused
        finally:
            await self.dispatcher.stop_polling()
            await polling


class Turns:
    """The baseline's turns during the bot's run: its updates and time, added up."""

    def __init__(self, chats: int) -> None:
        self.chats = chats
        self.updates = 0
        self.seconds = 0.0
        self.count = 0

    async def take(self) -> None:
        updates, seconds = await baseline_run(self.chats)
        self.updates += updates
        self.seconds += seconds
        self.count += 1

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


class RecordingRegistry(Registry):
    """The registry, noting the order in which confirmed applications reach it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrivals: list[str] = []

    async def submit(self, document: Mapping[str, Any], **kwargs: Any) -> SubmitResult:
        self.arrivals.append(document["jst"]["teryt"])
        return await super().submit(document, **kwargs)


async def converse(
    telegram: Telegram, chats: Chats, entry: JstEntry, title: str, nip: str, index: int
) -> int:
    """One JST's whole registration; returns the number of updates it took."""
    chat = FIRST_CHAT + index
    user = Updates(telegram.bot, chat)
    employees = 120 if index % 3 == 0 else 45  # two participants for every third JST
    count = 0

    async def send(update: dict[str, Any]) -> None:
        nonlocal count
        count += 1
        await telegram.send(update)

    await send(user.raw_message("/start"))
    await send(chats.tap(user, chat, index=0))  # consent
    await send(user.raw_message(entry.name))
    labels = [label for label, _data in chats.buttons[chat][2]]
    if title in labels:
        await send(chats.tap(user, chat, index=labels.index(title)))
    else:  # a name shared by more JST than the candidates shown: the TERYT code
        await send(user.raw_message(entry.teryt))
        await send(chats.tap(user, chat, index=0))
    await send(user.raw_message(nip))
    await send(chats.tap(user, chat, index=0))  # the suggested office name
    await send(user.raw_message("ul. Testowa 1, 00-950 Testowo"))
    await send(user.raw_message(str(employees)))
    await send(user.raw_message("Krystyna Testowa"))
    await send(user.raw_message("601 234 567"))
    await send(user.raw_message(f"kontakt{index}@jst.example.pl"))
    for number, name in enumerate(("Anna Nowak", "Piotr Wiśniewski")[: 2 if employees > 50 else 1]):
        await send(user.raw_message(name))
        if number == 0:
            await send(chats.tap(user, chat, index=0))  # online (the second follows, pkt 12.1)
        await send(chats.tap(user, chat, index=index % 9))  # an area
    await send(chats.tap(user, chat, index=0))  # Wyślij zgłoszenie
    return count


def candidate_titles(entries: list[JstEntry]) -> list[str]:
    """How the bot labels each JST among the candidates (to tap the right one)."""
    i18n = CatalogI18n()
    with i18n.context(), i18n.use_locale("pl"):
        return [jst_title(jst_record(entry)) for entry in entries]


async def bot_run(
    tmp: Path, limit: int | None = None, capacity: int = CAPACITY, turns: Turns | None = None
) -> tuple[float, bool, int, int]:
    db = Database(f"sqlite+aiosqlite:///{tmp / 'bot_surge.db'}")
    register = load_register()
    registry = RecordingRegistry(db, register)
    try:
        await db.upgrade()
        now = datetime.now(UTC)
        opened = await registry.open_stage(
            "Etap I",
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(days=30),
            capacity=capacity,
        )
        assert opened.stage is not None
        chats = Chats()
        dispatcher = build_dispatcher(registry, Settings(_env_file=None), register=register)
        telegram = Telegram(dispatcher, chats.deliver)
        entries = list(register)[:limit]
        # What the users will type or tap, made before the clock starts.
        titles = candidate_titles(entries)
        nips = [nip_for(i) for i in range(len(entries))]
        updates, elapsed = await telegram.serve(
            [
                converse(telegram, chats, entry, titles[i], nips[i], i)
                for i, entry in enumerate(entries)
            ],
            turns,
        )
        await dispatcher.fsm.close()
        order_ok = await _order_ok(registry, chats, entries, capacity)
        return updates / elapsed, order_ok, updates, len(entries)
    finally:
        await db.dispose()


async def _order_ok(
    registry: RecordingRegistry, chats: Chats, entries: list[JstEntry], capacity: int
) -> bool:
    applications = await registry.list_applications()
    n = len(entries)
    by_teryt = {app.teryt: app for app in applications}
    numbers = [by_teryt[teryt].number for teryt in registry.arrivals if teryt in by_teryt]
    statuses = [app.status for app in applications]
    expected = [Status.QUALIFIED] * capacity + [Status.RESERVE] * (n - capacity)
    told = {}
    for i, entry in enumerate(entries):
        match = NUMBER.search(chats.last_text.get(FIRST_CHAT + i, ""))
        told[entry.teryt] = int(match.group(1)) if match else None
    return (
        len(applications) == n
        and len(registry.arrivals) == n
        and numbers == list(range(1, n + 1))
        and statuses == expected
        and all(told[app.teryt] == app.number for app in applications)
    )


# --- the baseline: a bare aiogram 3-step FSM ----------------------------------------------


class Bare(StatesGroup):
    first = State()
    second = State()
    third = State()


def bare_router() -> Router:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message, state: FSMContext) -> None:
        await state.set_state(Bare.first)
        await message.answer("first?")

    @router.message(StateFilter(Bare.first))
    async def first(message: Message, state: FSMContext) -> None:
        await state.update_data(first=message.text)
        await state.set_state(Bare.second)
        await message.answer("second?")

    @router.message(StateFilter(Bare.second))
    async def second(message: Message, state: FSMContext) -> None:
        await state.update_data(second=message.text)
        await state.set_state(Bare.third)
        await message.answer("third?")

    @router.message(StateFilter(Bare.third))
    async def third(message: Message, state: FSMContext) -> None:
        await state.clear()
        await message.answer("done")

    return router


async def baseline_run(n: int, storage: BaseStorage | None = None) -> tuple[int, float]:
    """`n` conversations of the bare FSM at once: their updates and the time they took."""
    chats = Chats()
    dispatcher = Dispatcher(storage=storage or MemoryStorage())
    dispatcher.include_router(bare_router())
    telegram = Telegram(dispatcher, chats.deliver)

    async def converse_bare(index: int) -> int:
        user = Updates(telegram.bot, FIRST_CHAT + index)
        for text in ("/start", "one", "two", "three"):
            await telegram.send(user.raw_message(text))
        return 4

    return await telegram.serve([converse_bare(i) for i in range(n)])


def rss_mb() -> float:
    """The process's peak resident set (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main() -> int:
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    # What the imports alone hold (aiogram's Telegram types are built on first use).
    print(f"rss after imports: {rss_mb():.0f} MB", file=sys.stderr)
    # The process as `smup run` sets it up; the baseline runs under the same settings.
    tune_garbage_collector()
    # A short warm-up first: aiogram's Telegram types are built on first use, and the
    # baseline's first turn would otherwise pay for building those both runs use.
    await baseline_run(WARM_UP)
    turns = Turns(BASELINE_CHATS)
    with tempfile.TemporaryDirectory() as tmp:
        rate, order_ok, updates, n = await bot_run(Path(tmp), turns=turns)
        peak = rss_mb()
        if not turns.count:  # a surge shorter than a slice: one turn after it
            await turns.take()
        baseline = turns.rate
        ratio = rate / baseline
        print(f"bot: {n} conversations, {updates} updates, {rate:.0f} updates/s", file=sys.stderr)
        print(
            f"baseline: {turns.count} turns of {turns.chats} conversations, "
            f"{turns.updates} updates, {baseline:.0f} updates/s",
            file=sys.stderr,
        )
        # For reading the ratio: the same bare FSM on the bot's durable storage (every
        # answer committed to SQLite before the reply), run after the peak was taken.
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'bare.db'}")
        try:
            await db.upgrade()
            durable_updates, durable_seconds = await baseline_run(n, SqlStorage(db))
        finally:
            await db.dispose()
        plain_updates, plain_seconds = await baseline_run(n)
    durable = durable_updates / durable_seconds
    print(
        f"baseline on the bot's SQLite storage: {durable:.0f} updates/s "
        f"(in memory, run next to it: {plain_updates / plain_seconds:.0f})",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {
                "updates_per_s": round(rate, 1),
                "baseline_updates_per_s": round(baseline, 1),
                "ratio": round(ratio, 3),
                "order_ok": order_ok,
                "rss_mb": round(peak, 1),
            }
        )
    )
    return 0 if order_ok and ratio >= 0.5 and peak <= 200 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))

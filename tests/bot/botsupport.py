"""Support for the bot's tests: a fake Telegram Bot API on loopback, and users who talk
to the bot through it (imported by the tests as `botsupport`).

The bot under test is the real one (`bot.service.build_bot`, its aiohttp session pointed
at the fake server with TelegramAPIServer, so every request is real HTTP with real
serialisation) and the real dispatcher on a registry in a temporary SQLite database.
Updates are fed with `Dispatcher.feed_update`, built from the JSON Telegram would send.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiohttp import web
from dbsupport import Clock, open_stage, registry_on

from assistant.settings import Settings
from bot.dispatcher import build_dispatcher
from bot.service import build_bot
from bot.storage import SqlStorage
from registry.services import Registry

TOKEN = "123456:TEST-token-for-the-fake-server"
BOT_ID = 123456
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "SMUP", "username": "smup_test_bot"}
SENDING = {"sendMessage", "sendDocument"}
ADMIN_ID = 900


@dataclass
class Call:
    """One request the bot made to the Bot API."""

    method: str
    params: dict[str, Any]
    at: float
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


class FakeTelegram:
    """Answers the methods the bot uses and records every request.

    With `limits`, it enforces Telegram's flood limits the way Telegram does: a second
    message to one chat within `chat_interval` seconds, or more than `per_second`
    messages in any second, is answered 429 with `retry_after`."""

    def __init__(
        self,
        *,
        limits: bool = False,
        per_second: int = 30,
        chat_interval: float = 1.0,
        retry_after: int = 1,
    ) -> None:
        self.calls: list[Call] = []
        self.refused: list[Call] = []
        self.limits = limits
        self.per_second = per_second
        self.chat_interval = chat_interval
        self.retry_after = retry_after
        self.fail_next: int = 0  # answer this many sends with 429 whatever the pace
        self.updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what the tests read ---------------------------------------------------------------

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.chat_id == chat_id)
        ]

    def last(self, chat_id: int) -> Call:
        return self.sent(chat_id)[-1]

    async def wait_for(self, predicate: Callable[[Call], bool], within: float = 10.0) -> Call:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for call in self.calls:
                if predicate(call):
                    return call
            await asyncio.sleep(0.02)
        raise AssertionError("the bot never made the expected request")

    # --- the server --------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.filename:  # type: ignore[union-attr]
                    files[part.name or "file"] = await part.read()  # type: ignore[union-attr]
                else:
                    params[part.name or ""] = await part.text()  # type: ignore[union-attr]
        else:
            params = dict(await request.post())
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    pass
        return params, files

    def _over_limit(self, call: Call) -> bool:
        if call.method not in SENDING:
            return False
        if self.fail_next:
            self.fail_next -= 1
            return True
        if not self.limits:
            return False
        window = [c for c in self.calls if c.method in SENDING and call.at - c.at < 1.0]
        if len(window) >= self.per_second:
            return True
        same_chat = [c for c in window if c.chat_id == call.chat_id]
        return any(call.at - c.at < self.chat_interval for c in same_chat)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await self._params(request)
        call = Call(method, params, time.monotonic(), files)
        if self._over_limit(call):
            self.refused.append(call)
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {self.retry_after}",
                    "parameters": {"retry_after": self.retry_after},
                },
                status=429,
            )
        self.calls.append(call)
        if method == "getUpdates":
            return await self._get_updates(params)
        return web.json_response({"ok": True, "result": self._result(call)})

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        timeout = float(params.get("timeout") or 0)
        found = []
        try:
            found.append(await asyncio.wait_for(self.updates.get(), timeout=min(timeout, 1.0)))
        except TimeoutError:
            pass
        while not self.updates.empty():
            found.append(self.updates.get_nowait())
        return web.json_response({"ok": True, "result": found})

    def _message(self, call: Call, **extra: Any) -> dict[str, Any]:
        chat_id = call.chat_id or 0
        message = {
            "message_id": next(self._ids),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            **extra,
        }
        if "text" in call.params:
            message["text"] = call.params["text"]
        if isinstance(call.params.get("reply_markup"), dict):
            message["reply_markup"] = call.params["reply_markup"]
        return message

    def _result(self, call: Call) -> Any:
        if call.method == "getMe":
            return BOT_USER
        if call.method in {"sendMessage", "editMessageText"}:
            return self._message(call)
        if call.method == "sendDocument":
            name = next(iter(call.files), "document")
            document = {"file_id": name, "file_unique_id": name, "file_name": name}
            return self._message(call, document=document, caption=call.params.get("caption"))
        return True


class User:
    """A Telegram user in a private chat with the bot."""

    _update_ids = itertools.count(1)
    _message_ids = itertools.count(10_000)

    def __init__(self, harness: Harness, chat_id: int, language: str = "pl") -> None:
        self.harness = harness
        self.chat_id = chat_id
        self.language = language

    @property
    def server(self) -> FakeTelegram:
        return self.harness.server

    def _who(self) -> dict[str, Any]:
        return {
            "id": self.chat_id,
            "is_bot": False,
            "first_name": "Testowy",
            "language_code": self.language,
        }

    def _chat(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": "private", "first_name": "Testowy"}

    async def _feed(self, raw: dict[str, Any]) -> list[Call]:
        before = len(self.server.calls)
        update = Update.model_validate(raw, context={"bot": self.harness.bot})
        await self.harness.dispatcher.feed_update(self.harness.bot, update)
        return self.server.calls[before:]

    def message_update(self, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": self._chat(),
            "from": self._who(),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return {"update_id": next(self._update_ids), "message": message}

    async def say(self, text: str) -> list[Call]:
        return await self._feed(self.message_update(text))

    async def send_photo(self) -> list[Call]:
        raw = self.message_update("")
        del raw["message"]["text"]
        raw["message"]["photo"] = [
            {"file_id": "p", "file_unique_id": "p", "width": 10, "height": 10}
        ]
        return await self._feed(raw)

    def keyboard_message(self) -> Call:
        for call in reversed(self.server.sent(self.chat_id)):
            if call.buttons:
                return call
        raise AssertionError("no message with buttons in this chat")

    def tap_update(self, label: str, message: Call | None = None) -> dict[str, Any]:
        message = message or self.keyboard_message()
        data = next(
            (d for text, d in message.buttons if text == label),
            next((d for text, d in message.buttons if text.startswith(label)), None),
        )
        assert data is not None, f"no button {label!r} in {[t for t, _ in message.buttons]}"
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self._who(),
                "chat_instance": str(self.chat_id),
                "data": data,
                "message": {
                    "message_id": 1,
                    "date": int(datetime.now(UTC).timestamp()),
                    "chat": self._chat(),
                    "from": BOT_USER,
                    "text": message.text,
                },
            },
        }

    async def tap(self, label: str, message: Call | None = None) -> list[Call]:
        return await self._feed(self.tap_update(label, message))

    @property
    def last_text(self) -> str:
        return self.server.last(self.chat_id).text

    @property
    def transcript(self) -> str:
        """Everything the bot said in this chat."""
        return "\n".join(call.text for call in self.server.sent(self.chat_id))

    @property
    def labels(self) -> list[str]:
        return [text for text, _ in self.server.last(self.chat_id).buttons]

    async def state(self) -> tuple[str | None, dict[str, Any]]:
        key = self.harness.storage_key(self.chat_id)
        storage = self.harness.dispatcher.storage
        return await storage.get_state(key), await storage.get_data(key)


@dataclass
class Harness:
    registry: Registry
    settings: Settings
    server: FakeTelegram
    bot: Bot
    dispatcher: Dispatcher
    clock: Clock

    def user(self, chat_id: int, language: str = "pl") -> User:
        return User(self, chat_id, language)

    def storage_key(self, chat_id: int) -> Any:
        from aiogram.fsm.storage.base import StorageKey

        return StorageKey(bot_id=BOT_ID, chat_id=chat_id, user_id=chat_id)

    async def restart(self) -> None:
        """A new process: a new bot session, dispatcher and storage on the same database."""
        await self.dispatcher.fsm.close()
        await self.bot.session.close()
        self.bot = build_bot(self.settings)
        self.dispatcher = build_dispatcher(
            self.registry, self.settings, storage=SqlStorage(self.registry.db)
        )


def settings_for(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_token": TOKEN,
        "telegram_api_url": url,
        # Pacing is tested on its own; here it must not slow the conversations down.
        "bot_messages_per_second": 10_000,
        "chat_messages_per_second": 10_000,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


HarnessFactory = Callable[..., Awaitable[Harness]]


@asynccontextmanager
async def harness_on(
    tmp_path: Path,
    *,
    capacity: int | None = 577,
    server: FakeTelegram | None = None,
    backend: str = "sqlite",
    **overrides: Any,
) -> AsyncIterator[Harness]:
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    server = server or FakeTelegram()
    await server.start()
    async with registry_on(backend, tmp_path, clock) as registry:
        if capacity is not None:
            await open_stage(registry, clock, capacity)
        settings = settings_for(server.url, **overrides)
        bot = build_bot(settings)
        dispatcher = build_dispatcher(registry, settings, storage=SqlStorage(registry.db))
        harness = Harness(registry, settings, server, bot, dispatcher, clock)
        try:
            yield harness
        finally:
            await harness.dispatcher.fsm.close()
            await harness.bot.session.close()
            await server.stop()


# --- conversations the tests share -----------------------------------------------------------


@dataclass
class Office:
    """The answers for one JST's application up to its participants."""

    query: str
    candidate: str  # the beginning of the candidate button to tap
    employees: int
    nip: str = "1234563218"
    address: str = "ul. Rynek 1, 34-400 Nowy Targ"
    contact: str = "Krystyna Testowa"
    phone: str = "601 234 567"
    email: str = "sekretariat@jst.example.pl"


async def start_and_consent(user: User) -> None:
    await user.say("/start")
    await user.tap("Zgadzam się" if user.language != "en" else "I agree")


async def fill_office(user: User, office: Office) -> None:
    """From the JST question to the first participant's name."""
    await user.say(office.query)
    await user.tap(office.candidate)
    await user.say(office.nip)
    await user.tap(user.labels[0])  # the suggested office name
    await user.say(office.address)
    await user.say(str(office.employees))
    await user.say(office.contact)
    await user.say(office.phone)
    await user.say(office.email)


NOWY_TARG = Office("nowy targ", "Nowy Targ (gmina wiejska", 45)

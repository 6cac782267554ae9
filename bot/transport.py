"""An in-process Bot API for the console chat and the benchmark.

`LocalBotApi` is an aiogram session that answers the methods the bot uses without any
network and hands every outgoing message to a callback; `Updates` makes the updates a
Telegram client would send. The dispatcher and its handlers are the real ones.

With `PendingUpdates` it also answers getUpdates, so the dispatcher can poll it as it
polls Telegram: the users' updates wait there, as JSON, until the bot takes them.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    GetUpdates,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    BufferedInputFile,
    Chat,
    Document,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)

LOCAL_TOKEN = "4242:local-in-process-bot"
BOT_USER = {"id": 4242, "is_bot": True, "first_name": "SMUP", "username": "smup_bot"}


@dataclass
class Outgoing:
    """Something the bot sent: a message, an edit, a notice (callback answer) or a file."""

    kind: str
    chat_id: int | str | None
    text: str = ""
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)  # (label, data)
    message_id: int | None = None
    filename: str | None = None
    content: bytes = b""


def _buttons(markup: Any) -> list[list[tuple[str, str]]]:
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [[(b.text, b.callback_data or "") for b in row] for row in markup.inline_keyboard]


class PendingUpdates:
    """Updates waiting for the bot's getUpdates, in the order they were sent."""

    def __init__(self) -> None:
        self._waiting: deque[dict[str, Any]] = deque()
        self._arrived = asyncio.Event()

    def put(self, update: dict[str, Any]) -> None:
        self._waiting.append(update)
        self._arrived.set()

    async def take(self, bot: Bot, limit: int, wait: float) -> list[Update]:
        """At most `limit` updates; waits up to `wait` seconds for the first one (the
        long poll)."""
        if not self._waiting:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), wait)
            except TimeoutError:
                return []
        batch = [self._waiting.popleft() for _ in range(min(limit, len(self._waiting)))]
        return [Update.model_validate(raw, context={"bot": bot}) for raw in batch]


class LocalBotApi(BaseSession):
    def __init__(
        self,
        deliver: Callable[[Outgoing], None] | None = None,
        updates: PendingUpdates | None = None,
    ) -> None:
        super().__init__()
        self.deliver = deliver or (lambda outgoing: None)
        self.updates = updates
        self._ids = itertools.count(1)
        self.me = User.model_validate(BOT_USER)

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - aiogram's session interface
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:  # pragma: no cover
        raise NotImplementedError("the in-process Bot API has no files to download")
        yield b""

    def _message(self, chat_id: Any, text: str | None, markup: Any, **extra: Any) -> Message:
        return Message(
            message_id=next(self._ids),
            date=datetime.now(UTC),
            chat=Chat(id=int(chat_id), type="private"),
            from_user=self.me,
            text=text,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            **extra,
        )

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's session interface
    ) -> Any:
        if isinstance(method, SendMessage):
            message = self._message(method.chat_id, method.text, method.reply_markup)
            self.deliver(
                Outgoing(
                    "message",
                    method.chat_id,
                    method.text,
                    _buttons(method.reply_markup),
                    message.message_id,
                )
            )
            return message
        if isinstance(method, EditMessageText):
            self.deliver(
                Outgoing(
                    "edit",
                    method.chat_id,
                    method.text or "",
                    _buttons(method.reply_markup),
                    method.message_id,
                )
            )
            return True  # as Telegram answers for inline messages; nothing reads it
        if isinstance(method, EditMessageReplyMarkup):
            self.deliver(Outgoing("edit", method.chat_id, "", _buttons(method.reply_markup)))
            return True
        if isinstance(method, AnswerCallbackQuery):
            if method.text:
                self.deliver(Outgoing("notice", None, method.text))
            return True
        if isinstance(method, SendDocument):
            document = method.document
            content = document.data if isinstance(document, BufferedInputFile) else b""
            filename = getattr(document, "filename", None) or "document"
            self.deliver(
                Outgoing(
                    "document",
                    method.chat_id,
                    method.caption or "",
                    filename=filename,
                    content=content,
                )
            )
            return self._message(
                method.chat_id,
                None,
                None,
                caption=method.caption,
                document=Document(file_id=filename, file_unique_id=filename, file_name=filename),
            )
        if isinstance(method, GetMe):
            return self.me
        if isinstance(method, GetUpdates) and self.updates is not None:
            return await self.updates.take(bot, method.limit or 100, method.timeout or 0)
        return True


class Updates:
    """Updates from one user in their private chat, numbered as Telegram numbers them."""

    _update_ids = itertools.count(1)
    _message_ids = itertools.count(1_000_000)

    def __init__(
        self, bot: Bot, chat_id: int, *, first_name: str = "Użytkownik", language: str = "pl"
    ) -> None:
        self.bot = bot
        self.chat = {"id": chat_id, "type": "private", "first_name": first_name}
        self.user = {
            "id": chat_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language,
        }

    def message(self, text: str) -> Update:
        return Update.model_validate(self.raw_message(text), context={"bot": self.bot})

    def tap(self, data: str, message_id: int, text: str = "") -> Update:
        return Update.model_validate(
            self.raw_tap(data, message_id, text), context={"bot": self.bot}
        )

    def raw_message(self, text: str) -> dict[str, Any]:
        """The JSON of a text message, as Telegram sends it."""
        return {
            "update_id": next(self._update_ids),
            "message": {
                "message_id": next(self._message_ids),
                "date": int(datetime.now(UTC).timestamp()),
                "chat": self.chat,
                "from": self.user,
                "text": text,
                **self._entities(text),
            },
        }

    def raw_tap(self, data: str, message_id: int, text: str = "") -> dict[str, Any]:
        """The JSON of a tap on a button of the bot's message `message_id`."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self.user,
                "chat_instance": str(self.chat["id"]),
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(datetime.now(UTC).timestamp()),
                    "chat": self.chat,
                    "from": BOT_USER,
                    "text": text,
                },
            },
        }

    @staticmethod
    def _entities(text: str) -> dict[str, Any]:
        if not text.startswith("/"):
            return {}
        length = len(text.split()[0])
        return {"entities": [{"type": "bot_command", "offset": 0, "length": length}]}

"""Sending what the engine answered: one message per turn, buttons on it.

The Bot API methods are built with the fields they use (`await bot(SendMessage(...))`),
not through aiogram's shortcuts (`bot.send_message`, `message.edit_text`): those pass
every one of a method's twenty-odd fields for validation, which doubles the cost of
building it, on the path every update takes.
"""

from __future__ import annotations

from contextlib import suppress

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Message

from bot.engine import Reply
from bot.keyboards import inline_keyboard

# Telegram's limit of one message's text.
MAX_TEXT = 4096


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph or line ends when possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return pieces


async def send(bot: Bot, chat_id: int, reply: Reply) -> None:
    *first, last = split_text(reply.text)
    for piece in first:
        await bot(SendMessage(chat_id=chat_id, text=piece))
    await bot(SendMessage(chat_id=chat_id, text=last, reply_markup=inline_keyboard(reply.buttons)))


async def answer(message: Message, reply: Reply) -> None:
    if message.bot is None:  # pragma: no cover - aiogram always mounts the bot
        raise RuntimeError("message without a bot")
    await send(message.bot, message.chat.id, reply)


async def answer_tap(query: CallbackQuery, reply: Reply) -> None:
    """A tapped button: a stale one only gets a notice; otherwise the tapped message is
    marked with the choice (its buttons go) and the next question is sent."""
    bot = query.bot
    if bot is None:  # pragma: no cover - aiogram always mounts the bot
        raise RuntimeError("callback query without a bot")
    if reply.stale:
        await bot(AnswerCallbackQuery(callback_query_id=query.id, text=reply.text))
        return
    await bot(AnswerCallbackQuery(callback_query_id=query.id))
    message = query.message
    if message is None:  # pragma: no cover
        return
    if reply.chosen and isinstance(message, Message) and message.text:
        with suppress(TelegramBadRequest):
            await bot(
                EditMessageText(
                    chat_id=message.chat.id,
                    message_id=message.message_id,
                    text=f"{message.text}\n\n→ {reply.chosen}",
                )
            )
    await send(bot, message.chat.id, reply)

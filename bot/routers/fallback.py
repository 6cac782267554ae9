"""The catch-all, included last: what no other router took."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.conversation import Conversation
from bot.engine import FormEngine, Reply
from bot.filters import IsCommand, NotText
from bot.replies import answer


def build_router() -> Router:
    router = Router(name="fallback")

    @router.message(IsCommand())
    async def unknown_command(message: Message) -> None:
        await answer(message, Reply(texts.unknown_command()))

    @router.message(NotText())
    async def not_text(message: Message, conversation: Conversation, engine: FormEngine) -> None:
        await answer(message, engine.prompt(conversation, [texts.text_only()]))

    @router.message()
    async def anything_else(
        message: Message, conversation: Conversation, engine: FormEngine
    ) -> None:
        await answer(message, engine.prompt(conversation))

    @router.callback_query()
    async def unknown_button(query: CallbackQuery) -> None:
        await query.answer(texts.stale_button())

    return router

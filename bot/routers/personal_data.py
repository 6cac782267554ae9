"""Personal data: /moje_dane shows what is stored, /usun_dane deletes it.

What the organiser must keep — a submitted application — stays, and the user is told so
plainly; its link to this chat is removed.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.callbacks import EraseAnswer
from bot.conversation import Conversation
from bot.engine import AsideAction, FormEngine, Reply
from bot.filters import PlainText
from bot.form import Option
from bot.replies import answer, answer_tap
from bot.routers.status import chat_applications
from bot.states import Aside
from bot.storage import SqlStorage
from registry.services import Registry

log = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router(name="personal_data")

    @router.message(Command("moje_dane", "my_data"))
    async def my_data(
        message: Message, conversation: Conversation, engine: FormEngine, registry: Registry
    ) -> None:
        applications = await chat_applications(registry, conversation)
        text = texts.my_data(
            consent_at=conversation.data.get("consent_at"),
            lang=conversation.data.get("lang"),
            draft_lines=engine.draft_summary_lines(conversation),
            applications=applications,
        )
        await answer(message, Reply(text))

    @router.message(Command("usun_dane", "delete_data"))
    async def erase(message: Message, conversation: Conversation, engine: FormEngine) -> None:
        await answer(message, await engine.enter_aside(conversation, "erase"))

    def erasing(
        engine: FormEngine, registry: Registry, storage: BaseStorage, chat_id: int, actor: str
    ) -> AsideAction:
        async def act(conversation: Conversation, option: Option) -> Reply:
            if option.value != "yes":
                return await engine.leave_aside(conversation, [texts.erase_kept()])
            kept = [int(n) for n in conversation.data.get("applications", [])]
            await conversation.ctx.clear()
            unlinked = await registry.unlink_chat(chat_id, actor=actor)
            if isinstance(storage, SqlStorage):
                storage.forget_chat(chat_id)
            log.info("personal data erased on request (%d applications kept)", len(kept))
            return Reply(texts.erased(sorted({*kept, *unlinked})))

        return act

    @router.message(StateFilter(Aside.erase), PlainText())
    async def erase_typed(
        message: Message,
        text: str,
        conversation: Conversation,
        engine: FormEngine,
        registry: Registry,
        fsm_storage: BaseStorage,
    ) -> None:
        actor = f"telegram:{message.from_user.id if message.from_user else 0}"
        act = erasing(engine, registry, fsm_storage, message.chat.id, actor)
        await answer(message, await engine.aside(conversation, "erase", act, text=text))

    @router.callback_query(EraseAnswer.filter())
    async def erase_tapped(
        query: CallbackQuery,
        callback_data: EraseAnswer,
        conversation: Conversation,
        engine: FormEngine,
        registry: Registry,
        fsm_storage: BaseStorage,
    ) -> None:
        chat_id = query.message.chat.id if query.message else query.from_user.id
        act = erasing(engine, registry, fsm_storage, chat_id, f"telegram:{query.from_user.id}")
        await answer_tap(query, await engine.aside(conversation, "erase", act, pick=callback_data))

    return router

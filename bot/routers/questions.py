"""Questions about the rules, at any step: answered, then the same step asked again.

The answers come from the FAQ (registry.faq), told what the draft already says about
the asker's case. A question it cannot answer goes to the organisers' chat when one is
configured, and the asker is told so by the FAQ's own hand-over text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import I18n

from bot import texts
from bot.conversation import Conversation
from bot.engine import FormEngine, Reply
from bot.filters import LooksLikeQuestion
from bot.form import planned_count
from bot.replies import answer
from registry.faq import FaqContext, answer_question
from rules.jst import JstKind

if TYPE_CHECKING:  # the composition root's settings, for types only
    from assistant.settings import Settings

log = logging.getLogger(__name__)


def faq_context(conversation: Conversation) -> FaqContext:
    """What the draft says of the asker's case: headcount, kind of JST, participants."""
    if not conversation.has_draft:
        return FaqContext()
    draft = conversation.draft
    jst = draft.get("jst")
    return FaqContext(
        employees=draft.get("employees"),
        jst_kind=JstKind(jst["kind"]) if jst else None,
        participants=planned_count(draft) or None,
    )


async def _reply_to(
    question: str,
    message: Message,
    conversation: Conversation,
    engine: FormEngine,
    settings: Settings,
    lang: str,
    i18n: I18n,
    bot: Bot,
) -> Reply:
    found = answer_question(question, lang=lang, context=faq_context(conversation))
    if found.handed_over and settings.admin_chat_id:
        # The organisers read Polish; the asker's chat id lets them answer.
        with i18n.use_locale("pl"):
            note = texts.question_for_organiser(question, engine.draft_jst(conversation))
        await bot.send_message(settings.admin_chat_id, f"{note}\n(chat {message.chat.id})")
        log.info("question handed over to the organisers")
    if conversation.state is None:
        return Reply(found.answer)
    return engine.prompt(conversation, [found.answer, texts.back_to_question()])


def build_router() -> Router:
    router = Router(name="questions")

    @router.message(Command("pytanie", "question"))
    async def ask(
        message: Message,
        command: CommandObject,
        conversation: Conversation,
        engine: FormEngine,
        settings: Settings,
        lang: str,
        i18n: I18n,
        bot: Bot,
    ) -> None:
        question = (command.args or "").strip()
        if not question:
            await answer(message, Reply(texts.question_prompt()))
            return
        reply = await _reply_to(question, message, conversation, engine, settings, lang, i18n, bot)
        await answer(message, reply)

    @router.message(LooksLikeQuestion())
    async def typed_question(
        message: Message,
        question: str,
        conversation: Conversation,
        engine: FormEngine,
        settings: Settings,
        lang: str,
        i18n: I18n,
        bot: Bot,
    ) -> None:
        reply = await _reply_to(question, message, conversation, engine, settings, lang, i18n, bot)
        await answer(message, reply)

    return router

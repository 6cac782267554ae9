"""Start and consent, help, and the language of the conversation."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n

from bot import texts
from bot.callbacks import ConsentAnswer, LanguageAnswer
from bot.conversation import Conversation
from bot.engine import AsideAction, FormEngine, Reply
from bot.filters import PlainText
from bot.form import Option
from bot.i18n import LANG_KEY
from bot.replies import answer, answer_tap
from bot.states import Aside, Start
from locales import LANGUAGES


def build_router() -> Router:
    router = Router(name="start")

    @router.message(CommandStart())
    async def start(message: Message, conversation: Conversation, engine: FormEngine) -> None:
        await answer(message, await engine.start(conversation))

    @router.message(Command("pomoc", "help"))
    async def help_(message: Message) -> None:
        await answer(message, Reply(texts.help_text()))

    # --- consent to the processing of personal data ---------------------------------

    def consent(engine: FormEngine) -> AsideAction:
        async def act(conversation: Conversation, option: Option) -> Reply:
            if option.value == "yes":
                return await engine.give_consent(conversation)
            return await engine.decline_consent(conversation)

        return act

    @router.message(StateFilter(Start.consent), PlainText())
    async def consent_typed(
        message: Message, text: str, conversation: Conversation, engine: FormEngine
    ) -> None:
        await answer(
            message, await engine.aside(conversation, "consent", consent(engine), text=text)
        )

    @router.callback_query(ConsentAnswer.filter())
    async def consent_tapped(
        query: CallbackQuery,
        callback_data: ConsentAnswer,
        conversation: Conversation,
        engine: FormEngine,
    ) -> None:
        reply = await engine.aside(conversation, "consent", consent(engine), pick=callback_data)
        await answer_tap(query, reply)

    # --- the language ----------------------------------------------------------------

    def language_of(engine: FormEngine, i18n: I18n) -> AsideAction:
        async def act(conversation: Conversation, option: Option) -> Reply:
            conversation.data[LANG_KEY] = option.value
            with i18n.use_locale(option.value):
                return await engine.leave_aside(conversation, [texts.language_set()])

        return act

    @router.message(Command("jezyk", "language"))
    async def language(
        message: Message,
        command: CommandObject,
        conversation: Conversation,
        engine: FormEngine,
        i18n: I18n,
    ) -> None:
        reply = await engine.enter_aside(conversation, "language")
        wanted = (command.args or "").strip().lower()[:2]
        if wanted in LANGUAGES:
            reply = await engine.aside(
                conversation, "language", language_of(engine, i18n), text=wanted
            )
        await answer(message, reply)

    @router.message(StateFilter(Aside.language), PlainText())
    async def language_typed(
        message: Message, text: str, conversation: Conversation, engine: FormEngine, i18n: I18n
    ) -> None:
        reply = await engine.aside(conversation, "language", language_of(engine, i18n), text=text)
        await answer(message, reply)

    @router.callback_query(LanguageAnswer.filter())
    async def language_tapped(
        query: CallbackQuery,
        callback_data: LanguageAnswer,
        conversation: Conversation,
        engine: FormEngine,
        i18n: I18n,
    ) -> None:
        act = language_of(engine, i18n)
        await answer_tap(
            query, await engine.aside(conversation, "language", act, pick=callback_data)
        )

    return router

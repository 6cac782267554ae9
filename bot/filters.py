"""Asynchronous filters (aiogram runs synchronous filters in a worker thread)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from rules.areas import fold

if TYPE_CHECKING:  # the composition root's settings, for types only
    from assistant.settings import Settings


def _plain_text(message: Message) -> str | None:
    """The text of a message that has text and is not a command."""
    text = message.text
    return text if text and not text.startswith("/") else None


class PlainText(Filter):
    """A text message that is not a command; gives handlers `text`."""

    async def __call__(self, message: Message) -> bool | dict[str, Any]:
        text = _plain_text(message)
        return {"text": text} if text is not None else False


class AnswerText(Filter):
    """Plain text that is not a question about the rules: an answer to what was asked.

    The form's router comes first (most updates are its answers), so its handlers take
    only this; a question typed at any step goes on to the questions router."""

    async def __call__(self, message: Message) -> bool | dict[str, Any]:
        text = _plain_text(message)
        if text is None or looks_like_question(text):
            return False
        return {"text": text}


class NotText(Filter):
    """A message without text (a photo, a sticker, a file…)."""

    async def __call__(self, message: Message) -> bool:
        return message.text is None


class IsCommand(Filter):
    async def __call__(self, message: Message) -> bool:
        return bool(message.text and message.text.startswith("/"))


class IsOrganiser(Filter):
    """The sender is on the organisers' list (settings.admin_ids)."""

    async def __call__(self, event: Message | CallbackQuery, settings: Settings) -> bool:
        user = event.from_user
        return user is not None and user.id in settings.admin_ids


# Words a question starts with, folded (no diacritics), Polish and English.
_QUESTION_WORDS = frozenset(
    """czy jak jaki jaka jakie jakiego jakich jakim ile ilu kiedy gdzie dlaczego czemu
    co kto komu kogo czego czym skad dokad ktory ktora ktore ktorych
    what how when where why who which can could may is are do does should""".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def looks_like_question(text: str) -> bool:
    """A question mark, or three words or more that start with a question word.

    No JST name, person's name or address in the register starts with such a word,
    so an answer to the form is not mistaken for a question."""
    stripped = text.strip()
    if stripped.endswith("?"):
        return len(_WORD.findall(stripped)) >= 1
    words = _WORD.findall(fold(stripped))
    return len(words) >= 3 and words[0] in _QUESTION_WORDS


class LooksLikeQuestion(Filter):
    """Text that reads as a question about the rules; gives handlers `question`."""

    async def __call__(self, message: Message) -> bool | dict[str, Any]:
        text = _plain_text(message)
        if text is None or not looks_like_question(text):
            return False
        return {"question": text.strip()}

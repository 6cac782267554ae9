"""Typed callback data of every inline button (at most 64 bytes each).

Buttons carry the revision of the conversation they were shown in: a tap on a button
of an older message (a double tap, a message before an edit, a keyboard left from a
conversation that moved on) is recognised as stale and changes nothing.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class FormAnswer(CallbackData, prefix="f"):
    step: str  # the field's code, or "summary"
    index: int  # the participant the step is about (0 for the other fields)
    option: int  # the option's position in the step's list
    rev: int  # the conversation's revision when the button was shown

    @classmethod
    def encode(cls, step: str, index: int, option: int, rev: int) -> str:
        """The same text as FormAnswer(...).pack(), without building a model per button."""
        return f"{cls.__prefix__}:{step}:{index}:{option}:{rev}"


class AsideAnswer(CallbackData, prefix="aside"):
    """An answer to a short question asked aside; one subclass per question."""

    option: int
    rev: int


class ConsentAnswer(AsideAnswer, prefix="c"):
    pass


class CancelAnswer(AsideAnswer, prefix="x"):
    pass


class EraseAnswer(AsideAnswer, prefix="e"):
    pass


class LanguageAnswer(AsideAnswer, prefix="l"):
    pass


ASIDE_ANSWERS: dict[str, type[AsideAnswer]] = {
    "consent": ConsentAnswer,
    "cancel": CancelAnswer,
    "erase": EraseAnswer,
    "language": LanguageAnswer,
}

"""Inline keyboards as pure functions of data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from aiogram.types import InlineKeyboardMarkup


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # packed callback data


def inline_keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The markup of `rows` of buttons; None when there are none."""
    if not rows:
        return None
    return _markup(tuple(tuple(row) for row in rows))


# Chats at the same point of the form are shown the same buttons (the same labels and
# callback data, revision included): a markup is made once and shared. Nothing changes
# a markup once made; it is only serialised into the requests that carry it.
@lru_cache(maxsize=1024)
def _markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    # Validated from plain data in one pass (much cheaper than a model per button).
    return InlineKeyboardMarkup.model_validate(
        {
            "inline_keyboard": [
                [{"text": button.label, "callback_data": button.data} for button in row]
                for row in rows
            ]
        }
    )


def rows_of(buttons: Sequence[Button], *, short: int = 22) -> list[list[Button]]:
    """Short labels two to a row, long ones one per row (phones are narrow)."""
    if all(len(button.label) <= short for button in buttons):
        return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    return [[button] for button in buttons]

"""What the conversation already knows about the asker (their own case)."""

from __future__ import annotations

from dataclasses import dataclass

from rules.jst import JstKind


@dataclass(frozen=True)
class FaqContext:
    """Facts the user entered earlier, used when a question leaves them out.

    `employees`: the office's headcount (pkt 10); `jst_kind`: their kind of JST, which
    decides the organiser (Słownik pojęć pkt 10–11); `participants`: how many people
    they plan to register (pkt 12).
    """

    employees: int | None = None
    jst_kind: JstKind | None = None
    participants: int | None = None

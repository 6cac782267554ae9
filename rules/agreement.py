"""The participation agreement and the declarations (Umowa uczestnictwa pkt 1–5).

Pure: deadlines and which reminder is due are functions of dates; the registry stores the
dates and queues what these functions say is due.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

# Organiser's default: an agreement is signed within 14 days of qualification.
DEFAULT_AGREEMENT_DAYS = 14
DEFAULT_REMINDER_DAYS = (14, 7, 3, 1)
# Umowa pkt 2: three declarations per participant, at the latest on the first day.
DECLARATIONS = 3
DEFAULT_DECLARATIONS_REMINDER_DAYS = 3


class AgreementStatus(StrEnum):
    NONE = "none"  # not received yet
    RECEIVED = "received"  # a signed copy came in; the organiser checks it
    SIGNED = "signed"  # the organiser confirmed the agreement (Umowa pkt 1)
    MISSING = "missing"  # not signed in time (Umowa pkt 4)

    @property
    def settled(self) -> bool:
        """No more reminders: the JST did its part, or the place is gone."""
        return self is not AgreementStatus.NONE


def agreement_deadline(
    qualified_at: datetime, first_training: datetime | None, days: int = DEFAULT_AGREEMENT_DAYS
) -> datetime:
    """Umowa pkt 3: in time to take part — `days` after qualification, and never later than
    the day before the first training the JST registered for."""
    deadline = qualified_at + timedelta(days=days)
    if first_training is not None:
        deadline = min(deadline, first_training - timedelta(days=1))
    return max(deadline, qualified_at)


def due_reminder(
    deadline: datetime, now: datetime, days_before: Iterable[int] = DEFAULT_REMINDER_DAYS
) -> int | None:
    """The reminder whose window `now` is in: the smallest n with now ≥ deadline − n days,
    before the deadline. Reminders missed while the service was down are not sent late in
    a burst: only the current one is."""
    if now >= deadline:
        return None
    due = [n for n in days_before if now >= deadline - timedelta(days=n)]
    return min(due) if due else None


def declarations_due(
    first_training: datetime, now: datetime, days_before: int = DEFAULT_DECLARATIONS_REMINDER_DAYS
) -> bool:
    """Umowa pkt 2: remind of the three declarations shortly before the first day."""
    return first_training - timedelta(days=days_before) <= now < first_training

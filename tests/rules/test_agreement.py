"""Umowa uczestnictwa pkt 2–4: deadlines and reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rules.agreement import AgreementStatus, agreement_deadline, declarations_due, due_reminder

T0 = datetime(2022, 3, 1, 9, tzinfo=UTC)


def test_3_deadline_is_days_after_qualification_but_before_the_first_training() -> None:
    assert agreement_deadline(T0, None, 14) == T0 + timedelta(days=14)
    first = T0 + timedelta(days=10)
    assert agreement_deadline(T0, first, 14) == first - timedelta(days=1)
    assert agreement_deadline(T0, T0, 14) == T0  # never before the qualification itself


@pytest.mark.parametrize(
    ("days_left", "due"),
    [
        (20, None),
        (14, 14),
        (10, 14),
        (7, 7),
        (4, 7),
        (3, 3),
        (2, 3),
        (1, 1),
        (0.5, 1),
        (0, None),
        (-1, None),
    ],
)
def test_reminder_windows(days_left: float, due: int | None) -> None:
    deadline = T0 + timedelta(days=30)
    assert due_reminder(deadline, deadline - timedelta(days=days_left)) == due


def test_2_declarations_reminder_before_the_first_day() -> None:
    first = T0 + timedelta(days=10)
    assert not declarations_due(first, first - timedelta(days=4))
    assert declarations_due(first, first - timedelta(days=3))
    assert not declarations_due(first, first)


def test_settled_statuses_stop_reminders() -> None:
    assert not AgreementStatus.NONE.settled
    assert all(s.settled for s in AgreementStatus if s is not AgreementStatus.NONE)

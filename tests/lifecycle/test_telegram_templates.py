"""Every notification kind that can reach a Telegram chat renders with real data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.notifications import TEMPLATES, render_telegram

APPLICANT_KINDS = [
    "promoted",
    "contact_undeliverable",
    "agreement_request",
    "agreement_reminder",
    "agreement_signed",
    "agreement_missing",
    "declarations_reminder",
    "reserve_position",
    "stationary_confirmed",
    "stationary_cancelled",
]
ORGANIZER_KINDS = [
    "forward_question",
    "forward_other",
    "forward_unverified",
    "agreement_to_check",
    "agreement_overdue",
    "delivery_failed",
    "contact_undeliverable",
]
WHEN = (datetime(2022, 3, 15, 9, tzinfo=UTC) + timedelta(days=1)).isoformat()
CONTEXT = {
    "number": 12,
    "jst_name": "Przykładowo",
    "organizer": "ZMP",
    "stage": "Etap I",
    "reserve_position": 3,
    "deadline": WHEN,
    "first_training": WHEN,
    "next_stage": "Etap II",
    "next_opens": WHEN,
    "area": "geodezja_kartografia",
    "jst_count": 4,
    "address": "sekretariat@przykladowo.example.pl",
    "sender": "ktos@example.pl",
    "text": "Treść.",
    "intent": "other",
    "files": ["umowa.pdf"],
    "failed_kind": "promoted",
    "channel": "email",
    "error": "550",
    "outbox_id": 5,
}


@pytest.mark.parametrize("kind", APPLICANT_KINDS)
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_applicant_kinds_render_in_both_languages(kind: str, lang: str) -> None:
    assert (TEMPLATES / lang / f"{kind}.j2").exists()
    text = render_telegram(kind, CONTEXT, lang)
    assert text and "{{" not in text and "None" not in text


@pytest.mark.parametrize("kind", ORGANIZER_KINDS)
def test_organiser_kinds_render_in_polish(kind: str) -> None:
    text = render_telegram(kind, CONTEXT, "pl")
    assert text and "{{" not in text


def test_dates_and_areas_read_in_polish() -> None:
    text = render_telegram("agreement_reminder", CONTEXT, "pl")
    assert "16 marca 2022 r." in text
    assert "Geodezja i kartografia" in render_telegram("stationary_cancelled", CONTEXT, "pl")

"""Outbound e-mail: templates render with real data; delivery at least once, no duplicates."""

from __future__ import annotations

import asyncio
import mailbox
import socket
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP
from mailsupport import Setup
from sqlalchemy import select

from mail_gateway.outbound import TEMPLATES, EmailSender, RelayConfig, render
from registry.models import OutboxMessage
from registry.outbox import Channel, Outbox, enqueue

CONTACT_KINDS = [
    "submission_confirmation",
    "promoted",
    "confirmation_received",
    "withdrawal_confirmed",
    "agreement_received",
    "faq_answer",
    "handover_ack",
]
ORGANIZER_KINDS = [
    "delivery_failed",
    "forward_question",
    "forward_other",
    "forward_unverified",
    "agreement_to_check",
    "contact_undeliverable",
]


def context_for(setup: Setup, number: int = 1) -> dict[str, Any]:
    from registry.notify import summary

    return {
        **summary(setup.applications[number - 1]),
        "reply_address": setup.reply_address(number),
        "question": "Czy szkolenie jest płatne?",
        "answer": "Udział w szkoleniach jest bezpłatny.",
        "files": ["umowa.pdf"],
        "sender": "sekretariat@gmina.example.pl",
        "subject": "Pytanie",
        "text": "Treść wiadomości.",
        "intent": "other",
        "address": "sekretariat@gmina.example.pl",
        "thread_subject": "",
        "channel": "email",
        "failed_kind": "agreement_reminder",
        "recipient": "sekretariat@gmina.example.pl",
        "error": "550 mailbox unavailable",
        "outbox_id": 7,
    }


def test_every_kind_has_a_polish_template() -> None:
    for kind in CONTACT_KINDS + ORGANIZER_KINDS:
        assert (TEMPLATES / "pl" / f"{kind}.j2").exists(), kind
    for kind in CONTACT_KINDS:
        assert (TEMPLATES / "en" / f"{kind}.j2").exists(), kind


@pytest.mark.parametrize("lang", ["pl", "en"])
async def test_templates_render_with_real_data(setup: Setup, lang: str) -> None:
    for number in (1, 3):  # qualified and reserve
        for kind in CONTACT_KINDS + ORGANIZER_KINDS:
            mail = render(kind, context_for(setup, number), lang)
            assert mail.subject and mail.text.strip(), kind
            assert "<script" not in mail.html and "style=" in mail.html
            assert "{{" not in mail.text and "None" not in mail.subject, kind
    confirmation = render("submission_confirmation", context_for(setup, 3), "pl")
    assert "lista rezerwow" in confirmation.text or "liście rezerwowej" in confirmation.text
    assert "pozycji 1" in confirmation.text
    english = render("submission_confirmation", context_for(setup, 1), "en")
    assert "has qualified" in english.text


class Relay:
    """A capturing SMTP relay on loopback that can be switched off and on."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.server: asyncio.Server | None = None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(lambda: SMTP(self), "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def queue_mails(setup: Setup, n: int) -> None:
    now = setup.registry.now()
    async with setup.registry.db.write() as session:
        for i in range(n):
            await enqueue(
                session,
                channel=Channel.EMAIL,
                kind="faq_answer",
                recipient=f"odbiorca{i}@example.pl",
                idempotency_key=f"test:{i}",
                now=now,
                context={"answer": f"Odpowiedź {i}.", "question": "?"},
                message_id=f"<test{i}@smup.test>",
            )


async def test_relay_down_then_up_delivers_each_exactly_once(setup: Setup) -> None:
    relay = Relay()
    await queue_mails(setup, 500)
    sender = EmailSender(
        Outbox(setup.registry.db),
        sender="pytania@smup.test",
        relay=RelayConfig(host="127.0.0.1", port=relay.port, starttls=False),
        give_up_after=timedelta(hours=48),
    )
    assert await sender.send_due() == 0  # relay down: everything waits for a retry
    await relay.start()
    try:
        # The first batch (100) failed and waits for its backoff; the rest were never tried.
        assert await sender.send_due() == 503 - 100
        setup_clock = setup.registry.db.clock
        setup_clock.advance(minutes=5)  # type: ignore[attr-defined]
        delivered = 403
        for _ in range(20):
            delivered += await sender.send_due()
            if delivered >= 500 + 3:
                break
            setup_clock.advance(minutes=5)  # type: ignore[attr-defined]
        ids = [m["Message-ID"] for m in relay.received if m["Message-ID"].startswith("<test")]
        assert len(ids) == 500 and len(set(ids)) == 500
        assert await sender.send_due() == 0
        counts = await Outbox(setup.registry.db).counts()
        assert counts.get("email:pending", 0) == 0
    finally:
        await relay.stop()


async def test_crash_mid_send_retries_with_the_same_message_id(setup: Setup) -> None:
    relay = Relay()
    await relay.start()
    try:
        await queue_mails(setup, 1)
        outbox = Outbox(setup.registry.db)
        claimed = await outbox.claim(Channel.EMAIL)
        assert len(claimed) == 4  # 3 confirmations + ours
        # The sender dies here: claimed, never marked. After the lease, a new one sends.
        assert await outbox.claim(Channel.EMAIL) == []
        setup.registry.db.clock.advance(minutes=3)  # type: ignore[attr-defined]
        sender = EmailSender(
            outbox,
            sender="pytania@smup.test",
            relay=RelayConfig(host="127.0.0.1", port=relay.port, starttls=False),
        )
        assert await sender.send_due() == 4
        assert {m["Message-ID"] for m in relay.received} >= {"<test0@smup.test>"}
        assert await sender.send_due() == 0
    finally:
        await relay.stop()


async def test_without_a_relay_mail_goes_to_the_maildir(setup: Setup, tmp_path: Path) -> None:
    sender = EmailSender(
        Outbox(setup.registry.db), sender="pytania@smup.test", maildir=tmp_path / "maildir"
    )
    assert await sender.send_due() == 3
    box = mailbox.Maildir(str(tmp_path / "maildir"))
    messages = [message_from_bytes(bytes(m), policy=policy.default) for m in box]  # type: ignore[arg-type]
    assert {m["To"] for m in messages} == {a.contact_email for a in setup.applications}
    first = messages[0]
    assert first["Reply-To"].startswith("zgloszenia+")
    assert first["Auto-Submitted"] == "auto-generated"
    assert first.get_body(("plain",)) is not None and first.get_body(("html",)) is not None


async def test_a_notification_given_up_is_reported_to_the_organiser(setup: Setup) -> None:
    relay = Relay()  # never started: the relay stays down
    outbox = Outbox(setup.registry.db, setup.registry.notifier)
    sender = EmailSender(
        outbox,
        sender="pytania@smup.test",
        give_up_after=timedelta(hours=1),
        relay=RelayConfig(host="127.0.0.1", port=relay.port, starttls=False),
    )
    for _ in range(8):
        await sender.send_due()
        setup.registry.db.clock.advance(minutes=20)  # type: ignore[attr-defined]
    async with setup.registry.db.read() as session:
        rows = (
            await session.execute(
                select(OutboxMessage.kind, OutboxMessage.channel, OutboxMessage.status)
            )
        ).all()
    failed = sorted(kind for kind, channel, status in rows if status == "failed")
    # The three confirmations, then the organiser's e-mails about them (the relay is down
    # for those too), which are not reported again.
    assert failed == ["delivery_failed"] * 3 + ["submission_confirmation"] * 3
    reports = [n for n in await outbox.pending() if n.kind == "delivery_failed"]
    assert len(reports) == 3 and {n.channel.value for n in reports} == {"telegram"}
    assert all(n.context["failed_kind"] == "submission_confirmation" for n in reports)


async def test_two_senders_share_the_outbox_without_sending_twice(setup: Setup) -> None:
    relay = Relay()
    await relay.start()
    try:
        await queue_mails(setup, 300)
        senders = [
            EmailSender(
                Outbox(setup.registry.db),
                sender="pytania@smup.test",
                batch=40,
                relay=RelayConfig(host="127.0.0.1", port=relay.port, starttls=False),
            )
            for _ in range(2)
        ]
        delivered = await asyncio.gather(*(s.send_due() for s in senders))
        assert sum(delivered) == 303
        ids = [m["Message-ID"] for m in relay.received]
        assert len(ids) == 303 and len(set(ids)) == 303
    finally:
        await relay.stop()

"""Issue 6's loop on a simulated clock, with a capturing relay and the gateway on loopback:
submit → confirmation with its token → "Potwierdzam" → reminders on their days → deadline
→ the organiser withdraws → the first reserve JST is promoted and mailed."""

from __future__ import annotations

import asyncio
import re
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from itertools import islice
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.smtp import SMTP
from dbsupport import BACKENDS, Clock, document_for, entries, open_stage, registry_on
from mailsupport import reply

from mail_gateway.outbound import EmailSender, RelayConfig
from mail_gateway.server import Gateway
from registry.lifecycle import Lifecycle, LifecycleConfig
from registry.mail import Inbox
from registry.notify import MailAddressing, Notifier
from registry.outbox import Outbox
from rules.recruitment import Status

DOMAIN = "smup.test"


class Relay:
    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_from_submission_to_promotion(backend: str, tmp_path: Path) -> None:
    clock = Clock()
    relay = Relay()
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(relay), "127.0.0.1", relay.port
    )
    async with registry_on(backend, tmp_path, clock) as registry:
        registry.notifier = Notifier(
            addressing=MailAddressing(domain=DOMAIN),
            organizer_emails={"ZMP": "zmp@org.test", "ZPP": "zpp@org.test"},
        )
        sender = EmailSender(
            Outbox(registry.db),
            sender=f"pytania@{DOMAIN}",
            relay=RelayConfig(host="127.0.0.1", port=relay.port, starttls=False),
        )
        gateway = Gateway(Inbox(registry), host="127.0.0.1", port=0)
        await gateway.start()
        lifecycle = Lifecycle(registry, LifecycleConfig(agreement_days=14))
        try:
            await open_stage(registry, clock, capacity=1)
            first, second = islice(entries(), 2)
            a = (await registry.submit(document_for(first, 0))).application
            b = (await registry.submit(document_for(second, 1))).application
            assert a.status is Status.QUALIFIED and b.status is Status.RESERVE
            await sender.send_due()

            # The confirmation arrives with its reply address.
            (confirmation,) = relay.to(a.contact_email)
            assert f"nr {a.number}" in confirmation["Subject"]
            reply_to = confirmation["Reply-To"]
            assert re.fullmatch(rf"zgloszenia\+[\w-]+@{DOMAIN}", reply_to)

            # The contact person answers "Potwierdzam" through the gateway.
            raw = reply(
                a.contact_email,
                reply_to,
                "Potwierdzam.\n\n> "
                + confirmation.get_body(("plain",)).get_content().replace("\n", "\n> "),
            )
            async with aiosmtplib.SMTP(hostname="127.0.0.1", port=gateway.port) as smtp:
                await smtp.sendmail(a.contact_email, [reply_to], raw)
            (outcome,) = await gateway.process_pending()
            assert outcome.action == "confirmed"

            # Day 0: the agreement request with its deadline (14 days).
            await lifecycle.tick()
            await sender.send_due()
            subjects = [m["Subject"] for m in relay.to(a.contact_email)]
            assert any("Umowa uczestnictwa do podpisania" in s for s in subjects)

            # Reminders 14, 7, 3 and 1 days before, each once, on their days.
            reminders: list[int] = []
            for day in range(1, 15):
                clock.advance(days=1)
                report = await lifecycle.tick()
                await lifecycle.tick()  # a second pass (restart, other instance): nothing new
                await sender.send_due()
                if report.reminders:
                    reminders.append(day)
            texts = [
                m.get_body(("plain",)).get_content()
                for m in relay.to(a.contact_email)
                if m["Subject"].startswith("Przypomnienie")
            ]
            # 7, 3 and 1 days before; the 14-day one would repeat day 0's request.
            assert reminders == [7, 11, 13]
            assert len(texts) == 3 and "czyli jutro" in texts[-1] and "za 7 dni" in texts[0]

            # The deadline passed: the organiser is asked, once.
            overdue = [m for m in relay.received if "Minął termin umowy" in m["Subject"]]
            assert len(overdue) == 1

            # The organiser withdraws; the reserve JST is promoted and mailed at once.
            result = await lifecycle.mark_missing(a.number, actor="organizer:test")
            assert result.promoted is not None and result.promoted.number == b.number
            await sender.send_due()
            promoted_mail = [
                m
                for m in relay.to(b.contact_email)
                if "Zakwalifikowanie z listy rezerwowej" in m["Subject"]
            ]
            assert len(promoted_mail) == 1
            assert (await registry.get(a.number)).status is Status.WITHDRAWN
            ids = [m["Message-ID"] for m in relay.received]
            assert len(ids) == len(set(ids))  # nothing sent twice
        finally:
            await gateway.stop()
            server.close()
            await server.wait_closed()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_stage_close_tells_reserve_and_stationary_groups(
    backend: str, tmp_path: Path
) -> None:
    clock = Clock()
    async with registry_on(backend, tmp_path, clock) as registry:
        await open_stage(registry, clock, capacity=6)
        for i, entry in enumerate(islice(entries(), 8)):
            doc = document_for(entry, i)
            area = "geodezja_kartografia" if i < 5 else "edukacja"
            doc["participants"] = [{"name": "Anna Nowak", "training": "stationary", "area": area}]
            assert (await registry.submit(doc)).accepted
        clock.advance(days=31)
        lifecycle = Lifecycle(registry)
        report = await lifecycle.tick()
        assert report.stages_closed == 1
        again = await lifecycle.tick()
        assert again.stages_closed == 0
        kinds = [k.split(":")[0] for k in report.queued]
        assert kinds.count("stationary_confirmed") == 5  # geodezja: 5 JST (pkt 6)
        assert kinds.count("stationary_cancelled") == 1  # edukacja: 1 qualified JST
        assert kinds.count("reserve_position") == 2

"""Benchmark: 10,000 queued e-mails through the outbox sender to a capturing relay.

The sender claims, renders (Jinja2, plain text and HTML), delivers over SMTP on loopback
and marks each notification sent. The baseline, in the same process and to the same
relay, is a bare aiosmtplib loop sending the same rendered messages over one connection.
`duplicates` and `missing` compare the Message-IDs the relay received with those queued.

Last line: {"mails_per_s": …, "baseline_mails_per_s": …, "ratio": …, "duplicates": 0,
"missing": 0}
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosmtplib
from aiosmtpd.smtp import SMTP
from sqlalchemy import insert

from mail_gateway.outbound import EmailSender, RelayConfig, build_message, render
from registry.db import Database
from registry.models import OutboxMessage
from registry.outbox import Channel, Notification, Outbox, outbox_row

MAILS = 10_000


class Capture:
    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.content
        start = content.find(b"Message-ID: ")
        end = content.find(b"\n", start)
        self.ids[content[start + 12 : end].strip().decode()] += 1
        return "250 OK"


def context(i: int) -> dict[str, Any]:
    return {"answer": f"Udział w szkoleniach jest bezpłatny ({i}).", "question": "Czy płatne?"}


async def queue(db: Database, n: int) -> list[str]:
    now = datetime.now(UTC)
    ids = [f"<bench-{i}@smup.bench>" for i in range(n)]
    async with db.write() as session:
        for start in range(0, n, 1000):
            await session.execute(
                insert(OutboxMessage),
                [
                    outbox_row(
                        channel=Channel.EMAIL,
                        kind="faq_answer",
                        recipient=f"odbiorca{i}@example.pl",
                        idempotency_key=f"bench:{i}",
                        now=now,
                        context=context(i),
                        message_id=ids[i],
                    )
                    for i in range(start, min(n, start + 1000))
                ],
            )
    return ids


async def main() -> int:
    capture = Capture()
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(capture), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'outbox.db'}")
        await db.upgrade()
        queued = await queue(db, MAILS)
        sender = EmailSender(
            Outbox(db),
            sender="pytania@smup.bench",
            batch=500,
            relay=RelayConfig(host="127.0.0.1", port=port, starttls=False),
        )
        started = time.perf_counter()
        sent = await sender.send_due()
        rate = sent / (time.perf_counter() - started)
        await db.dispose()
    duplicates = sum(count - 1 for count in capture.ids.values() if count > 1)
    missing = sum(1 for message_id in queued if message_id not in capture.ids)

    # Baseline: the same messages, already rendered, through one bare connection.
    now = datetime.now(UTC)
    messages: list[tuple[str, bytes]] = []
    for i in range(MAILS):
        notification = Notification(
            i,
            Channel.EMAIL,
            "faq_answer",
            f"odbiorca{i}@example.pl",
            "pl",
            context(i),
            f"<base-{i}@smup.bench>",
            {},
            1,
            now,
            None,
        )
        rendered = render("faq_answer", {**context(i), "thread_subject": ""}, "pl")
        messages.append(
            (
                notification.recipient,
                build_message(
                    notification,
                    rendered,
                    sender="pytania@smup.bench",
                    sender_name="SMUP Assistant",
                ),
            )
        )
    started = time.perf_counter()
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False) as smtp:
        for recipient, message in messages:
            await smtp.sendmail("pytania@smup.bench", [recipient], message)
    base = MAILS / (time.perf_counter() - started)
    server.close()
    await server.wait_closed()
    print(f"outbox sender {rate:.0f} mails/s, bare aiosmtplib {base:.0f} mails/s", file=sys.stderr)
    print(
        json.dumps(
            {
                "mails_per_s": round(rate, 1),
                "baseline_mails_per_s": round(base, 1),
                "ratio": round(rate / base, 3),
                "duplicates": duplicates,
                "missing": missing,
            }
        )
    )
    return 0 if duplicates == 0 and missing == 0 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))

"""Benchmark: inbound SMTP ingest with the durability guarantee.

Concurrent clients send 2,000 messages of about 8 KB to the gateway (each to an
application's reply address, so RCPT checks a token; each stored durably before 250,
several per commit). The baseline, in the same process and with the same clients, is a
bare aiosmtpd server whose handler does nothing. `lost` counts messages acknowledged with
250 but not in the store.

Last line: {"msgs_per_s": …, "baseline_msgs_per_s": …, "ratio": …, "lost": 0}
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from itertools import islice
from pathlib import Path
from typing import Any

import aiosmtplib
from aiosmtpd.smtp import SMTP
from sqlalchemy import func, select

from bench.registry_surge import document
from mail_gateway.server import Gateway, GatewayLimits
from registry.db import Database
from registry.mail import Inbox
from registry.models import InboundMessage, ReplyToken
from registry.notify import MailAddressing, Notifier
from registry.services import Registry
from rules.register import load_register

MESSAGES = 2000
CLIENTS = 16
DOMAIN = "smup.bench"


def message(i: int, sender: str, rcpt: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = rcpt
    mail["Subject"] = f"Re: Zgłoszenie nr {i}"
    mail["Message-ID"] = f"<bench-{i}@gmina.example.pl>"
    body = "Potwierdzamy udział w szkoleniach.\n\n" + (
        "> Dzień dobry, prosimy o potwierdzenie udziału w szkoleniach SMUP.\n" * 110
    )
    mail.set_content(body)
    return mail.as_bytes()


async def send_all(port: int, mails: list[tuple[str, str, bytes]]) -> int:
    """Sends every message; returns how many got 250."""
    queue: asyncio.Queue[tuple[str, str, bytes]] = asyncio.Queue()
    for item in mails:
        queue.put_nowait(item)
    accepted = 0

    async def client() -> None:
        nonlocal accepted
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=60) as smtp:
            while not queue.empty():
                sender, rcpt, raw = queue.get_nowait()
                errors, _ = await smtp.sendmail(sender, [rcpt], raw)
                if not errors:
                    accepted += 1

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return accepted


class NoOp:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


async def baseline(mails: list[tuple[str, str, bytes]]) -> float:
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(NoOp()), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    started = time.perf_counter()
    await send_all(port, mails)
    elapsed = time.perf_counter() - started
    server.close()
    await server.wait_closed()
    return len(mails) / elapsed


async def gateway_run(tmp: Path) -> tuple[float, int, list[tuple[str, str, bytes]]]:
    db = Database(f"sqlite+aiosqlite:///{tmp / 'ingest.db'}")
    await db.upgrade()
    registry = Registry(db, load_register(), Notifier(addressing=MailAddressing(domain=DOMAIN)))
    now = datetime.now(UTC)
    await registry.open_stage(
        "Etap I",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=30),
        capacity=577,
    )
    jst = list(islice(load_register(), 100))
    for i, entry in enumerate(jst):
        await registry.submit(document(entry, i))
    async with db.read() as session:
        tokens = list(await session.scalars(select(ReplyToken.token)))
    mails = []
    for i in range(MESSAGES):
        rcpt = f"zgloszenia+{tokens[i % len(tokens)]}@{DOMAIN}"
        sender = f"kontakt{i % len(tokens)}@jst.example.pl"
        mails.append((sender, rcpt, message(i, sender, rcpt)))
    gateway = Gateway(
        Inbox(registry), host="127.0.0.1", port=0, limits=GatewayLimits(max_connections=CLIENTS * 2)
    )
    await gateway.start()
    started = time.perf_counter()
    accepted = await send_all(gateway.port, mails)
    elapsed = time.perf_counter() - started
    await gateway.stop()
    async with db.read() as session:
        stored = await session.scalar(select(func.count()).select_from(InboundMessage))
    await db.dispose()
    return len(mails) / elapsed, accepted - int(stored or 0), mails


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        rate, lost, mails = await gateway_run(Path(tmp))
    base = await baseline(mails)
    print(f"gateway {rate:.0f} msgs/s, bare aiosmtpd {base:.0f} msgs/s", file=sys.stderr)
    print(
        json.dumps(
            {
                "msgs_per_s": round(rate, 1),
                "baseline_msgs_per_s": round(base, 1),
                "ratio": round(rate / base, 3),
                "lost": lost,
            }
        )
    )
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))

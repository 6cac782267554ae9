"""The outbox: notifications written with the change that causes them, sent at least once.

A sender claims due rows (PostgreSQL: FOR UPDATE SKIP LOCKED, so several instances share
the work; SQLite: one writer at a time anyway) and moves their next attempt past a lease
before sending. A sender that dies mid-send leaves the row to be claimed again after the
lease: at least once, with the same Message-ID, so the receiver can drop the repeat.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry.db import Database
from registry.models import OutboxMessage

if TYPE_CHECKING:
    from registry.notify import Notifier

LEASE = timedelta(minutes=2)
# Backoff after the n-th failed attempt: 30 s, 1, 2, 4 … minutes, at most an hour apart.
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)


class Channel(StrEnum):
    EMAIL = "email"
    TELEGRAM = "telegram"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class Notification:
    """One notification as a sender sees it."""

    id: int
    channel: Channel
    kind: str
    recipient: str
    lang: str
    context: dict[str, Any]
    message_id: str
    thread: dict[str, Any]
    attempts: int
    created_at: datetime
    application_id: int | None


def new_message_id(domain: str) -> str:
    return f"<{secrets.token_hex(16)}@{domain}>"


def outbox_row(
    *,
    channel: Channel,
    kind: str,
    recipient: str,
    idempotency_key: str,
    now: datetime,
    context: dict[str, Any] | None = None,
    lang: str = "pl",
    application_id: int | None = None,
    message_id: str = "",
    thread: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The values of one outbox row (for a bulk insert of rows known to be new)."""
    return {
        "channel": channel.value,
        "idempotency_key": idempotency_key,
        "recipient": recipient,
        "kind": kind,
        "lang": lang,
        "context": context or {},
        "application_id": application_id,
        "message_id": message_id,
        "thread": thread or {},
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "sent_at": None,
        "last_error": "",
    }


async def enqueue(session: AsyncSession, **values: Any) -> bool:
    """Adds a notification in the caller's transaction; False when its idempotency key
    was queued before (the same change seen twice queues it once)."""
    row = outbox_row(**values)
    existing = await session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.idempotency_key == row["idempotency_key"])
    )
    if existing is not None:
        return False
    await session.execute(insert(OutboxMessage), [row])
    return True


def _notification(row: OutboxMessage) -> Notification:
    return Notification(
        id=row.id,
        channel=Channel(row.channel),
        kind=row.kind,
        recipient=row.recipient,
        lang=row.lang,
        context=dict(row.context),
        message_id=row.message_id,
        thread=dict(row.thread),
        attempts=row.attempts,
        created_at=row.created_at,
        application_id=row.application_id,
    )


class Outbox:
    def __init__(self, db: Database, notifier: Notifier | None = None) -> None:
        self.db = db
        # Tells the organiser about a notification given up (none: only the log says so).
        self.notifier = notifier

    async def claim(self, channel: Channel, limit: int = 50) -> list[Notification]:
        """Due notifications of one channel, leased to this sender."""
        now = self.db.clock()
        async with self.db.write() as session:
            rows = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(
                        OutboxMessage.channel == channel.value,
                        OutboxMessage.status == OutboxStatus.PENDING.value,
                        OutboxMessage.next_attempt_at <= now,
                    )
                    .order_by(OutboxMessage.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                row.attempts += 1
                row.next_attempt_at = now + LEASE
            return [_notification(row) for row in rows]

    async def mark_sent(self, ids: list[int]) -> None:
        if not ids:
            return
        now = self.db.clock()
        async with self.db.write() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(status=OutboxStatus.SENT.value, sent_at=now, last_error="")
            )

    async def mark_failed(
        self, notification: Notification, error: str, *, give_up_after: timedelta
    ) -> bool:
        """Schedules a retry with backoff; True when the notification was given up."""
        now = self.db.clock()
        delay = min(MAX_RETRY, FIRST_RETRY * 2 ** max(0, notification.attempts - 1))
        give_up = now - notification.created_at >= give_up_after
        async with self.db.write() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == notification.id)
                .values(
                    status=(OutboxStatus.FAILED if give_up else OutboxStatus.PENDING).value,
                    next_attempt_at=now + delay,
                    last_error=error[:2000],
                )
            )
            # A notice about a failed delivery is never itself reported: no loop.
            if give_up and self.notifier is not None and notification.kind != "delivery_failed":
                await self.notifier.to_organizer(
                    session,
                    notification.context.get("organizer"),
                    "delivery_failed",
                    f"gave_up:{notification.id}",
                    now,
                    application_id=notification.application_id,
                    channel=notification.channel.value,
                    failed_kind=notification.kind,
                    recipient=notification.recipient,
                    number=notification.context.get("number"),
                    jst_name=notification.context.get("jst_name"),
                    error=error[:500],
                    outbox_id=notification.id,
                )
        return give_up

    async def retry(self, ids: list[int] | None = None) -> int:
        """Puts failed (or the given) notifications back in line at once."""
        now = self.db.clock()
        async with self.db.write() as session:
            query = update(OutboxMessage).values(
                status=OutboxStatus.PENDING.value, next_attempt_at=now
            )
            if ids:
                query = query.where(OutboxMessage.id.in_(ids))
            else:
                query = query.where(OutboxMessage.status == OutboxStatus.FAILED.value)
            result = await session.execute(query)
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def counts(self) -> dict[str, int]:
        async with self.db.read() as session:
            rows = await session.execute(
                select(OutboxMessage.channel, OutboxMessage.status, func.count()).group_by(
                    OutboxMessage.channel, OutboxMessage.status
                )
            )
            return {f"{channel}:{status}": count for channel, status, count in rows}

    async def pending(self, channel: Channel | None = None) -> list[Notification]:
        async with self.db.read() as session:
            query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING.value)
            if channel is not None:
                query = query.where(OutboxMessage.channel == channel.value)
            rows = (await session.scalars(query.order_by(OutboxMessage.id))).all()
            return [_notification(row) for row in rows]

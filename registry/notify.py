"""Which notifications a change causes, queued in the outbox in the change's transaction.

The registry decides who is told what (a kind and its data); each channel's sender
renders the kind with its own templates (mail_gateway for e-mail, bot for Telegram).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import Application, OutboxMessage, ReplyToken
from registry.outbox import Channel, enqueue, new_message_id, outbox_row
from registry.views import ApplicationView


@dataclass(frozen=True)
class MailAddressing:
    """Our addresses: <reply>+<token>@domain per application, <questions>@domain."""

    domain: str = "smup.localhost"
    reply_local_part: str = "zgloszenia"
    questions_local_part: str = "pytania"

    def reply_address(self, token: str) -> str:
        return f"{self.reply_local_part}+{token}@{self.domain}"

    @property
    def questions_address(self) -> str:
        return f"{self.questions_local_part}@{self.domain}"

    def recipient(self, address: str) -> tuple[str, str | None] | None:
        """("reply", token) or ("questions", None) for our addresses, None for others."""
        local, _, domain = address.strip().strip("<>").rpartition("@")
        if domain.lower() != self.domain.lower() or not local:
            return None
        base, plus, token = local.partition("+")
        if base.lower() == self.reply_local_part.lower() and plus and token:
            return ("reply", token)
        if base.lower() == self.questions_local_part.lower() and not plus:
            return ("questions", None)
        return None

    def is_ours(self, address: str) -> bool:
        return address.strip().strip("<>").lower().endswith("@" + self.domain.lower())


def summary(view: ApplicationView) -> dict[str, Any]:
    """What templates need to know of an application."""
    return {
        "number": view.number,
        "jst_name": view.jst_name,
        "kind": view.kind,
        "teryt": view.teryt,
        "organizer": view.organizer,
        "status": view.status.value,
        "reserve_position": view.reserve_position,
        "stage": view.stage_name,
        "submitted_at": view.submitted_at.isoformat(),
        "document": view.document,
    }


@dataclass
class Notifier:
    addressing: MailAddressing = field(default_factory=MailAddressing)
    # The organisers' mailboxes ("ZMP"/"ZPP" → address); empty: Telegram admin chat only.
    organizer_emails: dict[str, str] = field(default_factory=dict)
    admin_chat_id: int = 0

    async def token_for(self, session: AsyncSession, application_id: int) -> str | None:
        token: str | None = await session.scalar(
            select(ReplyToken.token)
            .where(ReplyToken.application_id == application_id, ReplyToken.revoked_at.is_(None))
            .order_by(ReplyToken.created_at.desc())
            .limit(1)
        )
        return token

    async def submitted(
        self, session: AsyncSession, placed: list[tuple[int, ApplicationView]], now: datetime
    ) -> None:
        """Zasady rekrutacji pkt 15: the contact person learns the result by e-mail.

        Each application gets its reply token; a batch of submissions is written with one
        statement per table."""
        tokens: list[dict[str, Any]] = []
        mails: list[dict[str, Any]] = []
        for application_id, view in placed:
            token = secrets.token_urlsafe(18)
            tokens.append(
                {
                    "token": token,
                    "application_id": application_id,
                    "email": view.contact_email,
                    "created_at": now,
                }
            )
            mails.append(
                outbox_row(
                    channel=Channel.EMAIL,
                    kind="submission_confirmation",
                    recipient=view.contact_email,
                    idempotency_key=f"submitted:{view.number}",
                    now=now,
                    lang=view.lang,
                    application_id=application_id,
                    context={
                        **summary(view),
                        "reply_address": self.addressing.reply_address(token),
                    },
                    message_id=new_message_id(self.addressing.domain),
                )
            )
        await session.execute(insert(ReplyToken), tokens)
        await session.execute(insert(OutboxMessage), mails)

    async def promoted(self, session: AsyncSession, view: ApplicationView, now: datetime) -> None:
        """Zasady rekrutacji pkt 5, Umowa pkt 5: a place from the reserve list."""
        key = f"promoted:{view.number}:{now.isoformat()}"
        await self.to_contact(session, view, "promoted", key, now)
        if view.telegram_chat_id:
            await enqueue(
                session,
                channel=Channel.TELEGRAM,
                kind="promoted",
                recipient=str(view.telegram_chat_id),
                idempotency_key=f"chat:{key}",
                now=now,
                context=summary(view),
                lang=view.lang,
                application_id=None,
            )

    async def reply_ack(
        self,
        session: AsyncSession,
        view: ApplicationView,
        kind: str,
        key: str,
        now: datetime,
        thread: dict[str, Any],
        **extra: Any,
    ) -> None:
        """A reply to a message the contact person sent us, in the same thread."""
        await self.to_contact(session, view, kind, key, now, thread=thread, **extra)

    async def answer_sender(
        self,
        session: AsyncSession,
        recipient: str,
        kind: str,
        key: str,
        now: datetime,
        thread: dict[str, Any],
        lang: str = "pl",
        **context: Any,
    ) -> None:
        """A reply to someone without an application (the general questions address)."""
        await enqueue(
            session,
            channel=Channel.EMAIL,
            kind=kind,
            recipient=recipient,
            idempotency_key=key,
            now=now,
            context=context,
            lang=lang,
            message_id=new_message_id(self.addressing.domain),
            thread=thread,
        )

    async def to_organizer(
        self,
        session: AsyncSession,
        organizer: str | None,
        kind: str,
        key: str,
        now: datetime,
        application_id: int | None = None,
        **context: Any,
    ) -> int:
        """Tells organiser staff: by e-mail to ZMP/ZPP (both when unknown) and in the admin
        chat. Returns how many notifications were queued."""
        queued = 0
        wanted = [organizer] if organizer in self.organizer_emails else list(self.organizer_emails)
        for name in wanted:
            address = self.organizer_emails.get(name or "")
            if address:
                queued += await enqueue(
                    session,
                    channel=Channel.EMAIL,
                    kind=kind,
                    recipient=address,
                    idempotency_key=f"{key}:{name}",
                    now=now,
                    context=context,
                    application_id=application_id,
                    message_id=new_message_id(self.addressing.domain),
                )
        if self.admin_chat_id:
            queued += await enqueue(
                session,
                channel=Channel.TELEGRAM,
                kind=kind,
                recipient=str(self.admin_chat_id),
                idempotency_key=f"tg:{key}",
                now=now,
                context=context,
                application_id=application_id,
            )
        return queued

    async def to_chat(
        self,
        session: AsyncSession,
        view: ApplicationView,
        kind: str,
        key: str,
        now: datetime,
        **extra: Any,
    ) -> None:
        if view.telegram_chat_id:
            await enqueue(
                session,
                channel=Channel.TELEGRAM,
                kind=kind,
                recipient=str(view.telegram_chat_id),
                idempotency_key=f"chat:{key}",
                now=now,
                context={**summary(view), **extra},
                lang=view.lang,
            )

    async def to_contact(
        self,
        session: AsyncSession,
        view: ApplicationView,
        kind: str,
        key: str,
        now: datetime,
        *,
        thread: dict[str, Any] | None = None,
        reply_address: str | None = None,
        application_id: int | None = None,
        **extra: Any,
    ) -> int:
        """Queues an e-mail to the application's contact person (1 when queued now)."""
        if application_id is None:
            application_id = await session.scalar(
                select(Application.id).where(Application.number == view.number)
            )
            assert application_id is not None
        if reply_address is None:
            token = await self.token_for(session, application_id)
            reply_address = self.addressing.reply_address(token) if token else None
        return await enqueue(
            session,
            channel=Channel.EMAIL,
            kind=kind,
            recipient=view.contact_email,
            idempotency_key=key,
            now=now,
            lang=view.lang,
            application_id=application_id,
            context={**summary(view), "reply_address": reply_address, **extra},
            message_id=new_message_id(self.addressing.domain),
            thread=thread or {},
        )

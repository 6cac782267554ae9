"""The registry's side of the mail gateway: our addresses, the durable store of every
accepted message, and what a reply does to an application.

The gateway (mail_gateway/) reads a message into `ReplyFacts`; everything it causes —
a status change, the history, the notifications — happens here in one transaction,
and only when the reply is verified: a valid token and the From of the application's
contact person. Anything else goes to the organiser, marked unverified.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry.faq import FaqContext, answer_question
from registry.grouped import GroupedCalls
from registry.models import Application, InboundMessage, ReplyToken, StoredAttachment
from registry.services import Registry
from registry.views import ApplicationView, RegistryError
from rules.jst import JstKind
from rules.recruitment import Status

# What a signed agreement or its scan comes as (Umowa uczestnictwa pkt 1).
AGREEMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "image/heic",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_STORE_BATCH = 64


class Intent(StrEnum):
    """E-mail intents (DESIGN.md)."""

    CONFIRM = "confirm"
    WITHDRAW = "withdraw"
    AGREEMENT = "agreement"
    QUESTION = "question"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    OTHER = "other"


@dataclass(frozen=True)
class AttachmentData:
    filename: str
    content_type: str
    payload: bytes = field(repr=False)


@dataclass(frozen=True)
class ReplyFacts:
    """What the gateway read from one message."""

    intent: Intent
    token: str | None
    from_address: str | None
    subject: str = ""
    reply_text: str = ""
    message_id: str | None = None
    references: tuple[str, ...] = ()
    attachments: tuple[AttachmentData, ...] = ()
    # Delivery status notifications: the addresses that failed.
    failed_recipients: tuple[str, ...] = ()
    to_questions_address: bool = False


@dataclass(frozen=True)
class Stored:
    id: int
    duplicate: bool


@dataclass(frozen=True)
class Outcome:
    """What a message did: `action` is a stable code for logs, tests and the admin."""

    action: str
    verified: bool
    application_number: int | None = None
    promoted_number: int | None = None


@dataclass(frozen=True)
class _Arrival:
    raw: bytes
    mail_from: str
    rcpt_to: tuple[str, ...]


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header, read cheaply from the header block (for dedup at store)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    for index, line in enumerate(lines):
        if line[:11].lower() == b"message-id:":
            value = line[11:]
            for following in lines[index + 1 :]:
                if following[:1] not in (b" ", b"\t"):
                    break
                value += following
            text = value.decode("ascii", "replace").strip()
            return text[:998] or None
    return None


def thread_of(facts: ReplyFacts) -> dict[str, Any]:
    """Threading headers for our reply to `facts` (RFC 5322 In-Reply-To, References)."""
    if not facts.message_id:
        return {"subject": facts.subject}
    return {
        "in_reply_to": facts.message_id,
        "references": [*facts.references, facts.message_id][-20:],
        "subject": facts.subject,
    }


class Inbox:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.db = registry.db
        self.notifier = registry.notifier
        self.addressing = registry.notifier.addressing
        # Messages arriving together are committed together (see `store`).
        self._arrivals = GroupedCalls(self._store_batch, most=MAX_STORE_BATCH)
        # Tokens seen to exist. A token, once issued, is accepted at RCPT for good (a
        # revoked one too: its mail goes to the organiser), so a hit never goes stale.
        self._known_tokens: set[str] = set()

    # --- receiving ----------------------------------------------------------------------

    async def recipient_allowed(self, address: str) -> bool:
        """RCPT: the general questions address, or a reply address whose token we issued
        (revoked ones included: such mail is kept and handed to the organiser)."""
        kind = self.addressing.recipient(address)
        if kind is None:
            return False
        if kind[0] == "questions":
            return True
        token = kind[1]
        assert token is not None
        if token in self._known_tokens:
            return True
        async with self.db.read() as session:
            exists = await session.get(ReplyToken, token) is not None
        if exists and len(self._known_tokens) < 100_000:
            self._known_tokens.add(token)
        return exists

    async def store(self, raw: bytes, mail_from: str, rcpt_to: Sequence[str]) -> Stored:
        """Stores the raw message durably; returns once it is committed (then: 250).

        Messages arriving together are committed together. The same bytes, or the same
        Message-ID from the same sender, are stored once and acted on once."""
        return await self._arrivals(_Arrival(raw, mail_from, tuple(rcpt_to)))

    async def _store_batch(self, batch: list[_Arrival]) -> list[Stored]:
        now = self.db.clock()
        digests = [hashlib.sha256(a.raw).hexdigest() for a in batch]
        ids = [message_id_of(a.raw) for a in batch]
        async with self.db.write() as session:
            known: dict[str, int] = {}
            rows = await session.execute(
                select(
                    InboundMessage.sha256,
                    InboundMessage.message_id,
                    InboundMessage.mail_from,
                    InboundMessage.id,
                ).where(
                    or_(
                        InboundMessage.sha256.in_(digests),
                        InboundMessage.message_id.in_([i for i in ids if i]),
                    )
                )
            )
            for digest, message_id, mail_from, row_id in rows:
                known[digest] = row_id
                if message_id:
                    known[f"{mail_from.lower()}|{message_id}"] = row_id
            results: list[Stored] = []
            new_rows: list[InboundMessage] = []
            for arrival, digest, message_id in zip(batch, digests, ids, strict=True):
                key = f"{arrival.mail_from.lower()}|{message_id}" if message_id else None
                seen = known.get(digest) or (known.get(key) if key else None)
                if seen is not None:
                    results.append(Stored(seen, duplicate=True))
                    continue
                row = InboundMessage(
                    received_at=now,
                    mail_from=arrival.mail_from[:320],
                    rcpt_to=list(arrival.rcpt_to),
                    sha256=digest,
                    message_id=message_id,
                    size=len(arrival.raw),
                    raw=arrival.raw,
                    status="received",
                )
                new_rows.append(row)
                results.append(Stored(-1, duplicate=False))
                known[digest] = -1
                if key:
                    known[key] = -1
            session.add_all(new_rows)
            await session.flush()
        fresh = iter(new_rows)
        return [r if r.duplicate else Stored(next(fresh).id, False) for r in results]

    async def unprocessed(self, limit: int = 100) -> list[int]:
        async with self.db.read() as session:
            return list(
                await session.scalars(
                    select(InboundMessage.id)
                    .where(InboundMessage.status == "received")
                    .order_by(InboundMessage.id)
                    .limit(limit)
                )
            )

    async def envelope(self, message_id: int) -> tuple[bytes, str, list[str]]:
        async with self.db.read() as session:
            row = await session.get(InboundMessage, message_id)
            if row is None:
                raise RegistryError("message_unknown", id=message_id)
            return row.raw, row.mail_from, list(row.rcpt_to)

    async def mark_failed(self, message_id: int, error: str) -> None:
        async with self.db.write() as session:
            await session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == message_id, InboundMessage.status == "received")
                .values(status="failed", outcome=error[:2000], processed_at=self.db.clock())
            )

    # --- acting -------------------------------------------------------------------------

    async def act(self, message_id: int, facts: ReplyFacts) -> Outcome:
        """Acts on a stored message once: a message already processed does nothing."""
        now = self.db.clock()
        async with self.db.write() as session:
            row = await session.get(InboundMessage, message_id)
            if row is None or row.status != "received":
                return Outcome("already_processed", verified=bool(row and row.verified))
            outcome = await self._act(session, row, facts, now)
            row.status = "processed"
            row.processed_at = now
            row.intent = facts.intent.value
            row.verified = outcome.verified
            row.outcome = outcome.action
            if outcome.application_number is not None:
                # An application's id is its number (registry.services._place).
                row.application_id = outcome.application_number
            return outcome

    async def _act(
        self, session: AsyncSession, row: InboundMessage, facts: ReplyFacts, now: datetime
    ) -> Outcome:
        sender = (facts.from_address or "").lower()
        # Loop guard: never answer ourselves, nor automatic mail.
        if sender and self.addressing.is_ours(sender):
            return Outcome("ignored_own_address", verified=False)
        if facts.intent is Intent.AUTO_REPLY:
            return Outcome("ignored_auto_reply", verified=False)
        application, token_email = await self._by_token(session, facts.token)
        if facts.intent is Intent.BOUNCE:
            return await self._bounce(session, row, facts, application, now)
        verified = (
            application is not None
            and token_email is not None
            and sender == token_email.lower() == application.contact_email.lower()
        )
        if facts.token is None and facts.to_questions_address:
            if facts.intent is Intent.QUESTION or facts.reply_text.strip():
                return await self._question(session, row, facts, None, now)
            return Outcome("ignored_empty", verified=False)
        if not verified:
            await self.notifier.to_organizer(
                session,
                application.organizer if application else None,
                "forward_unverified",
                f"unverified:{row.id}",
                now,
                application_id=application.id if application else None,
                sender=facts.from_address,
                subject=facts.subject,
                text=facts.reply_text[:5000],
                intent=facts.intent.value,
                number=application.number if application else None,
            )
            return Outcome(
                "forwarded_unverified",
                verified=False,
                application_number=application.number if application else None,
            )
        assert application is not None
        view = await self.registry.view_in(session, application)
        thread = thread_of(facts)
        key = f"inbound:{row.id}"
        if facts.intent is Intent.CONFIRM:
            if application.confirmed_at is None:
                application.confirmed_at = now
                self.registry.note(application, now, "email", "confirmed_by_email")
            await self.notifier.reply_ack(session, view, "confirmation_received", key, now, thread)
            return Outcome("confirmed", True, application.number)
        if facts.intent is Intent.WITHDRAW:
            if not view.status.active:
                await self.notifier.reply_ack(
                    session, view, "withdrawal_confirmed", key, now, thread
                )
                return Outcome("already_withdrawn", True, application.number)
            result = await self.registry.withdraw_in(
                session, application.number, actor="email", reason="withdrawn_by_reply"
            )
            await self.notifier.reply_ack(
                session, result.application, "withdrawal_confirmed", key, now, thread
            )
            return Outcome(
                "withdrawn",
                True,
                application.number,
                result.promoted.number if result.promoted else None,
            )
        if facts.intent is Intent.AGREEMENT:
            return await self._agreement(session, row, facts, application, view, now)
        if facts.intent is Intent.QUESTION:
            return await self._question(session, row, facts, view, now)
        await self._forward(session, row, facts, application, now)
        return Outcome("forwarded_other", True, application.number)

    async def _forward(
        self,
        session: AsyncSession,
        row: InboundMessage,
        facts: ReplyFacts,
        application: Application,
        now: datetime,
    ) -> None:
        """A verified message the assistant cannot act on goes to the organiser as it is."""
        await self.notifier.to_organizer(
            session,
            application.organizer,
            "forward_other",
            f"inbound:{row.id}",
            now,
            application_id=application.id,
            sender=facts.from_address,
            subject=facts.subject,
            text=facts.reply_text[:5000],
            number=application.number,
            jst_name=application.jst_name,
        )

    async def _by_token(
        self, session: AsyncSession, token: str | None
    ) -> tuple[Application | None, str | None]:
        if not token:
            return None, None
        issued = await session.get(ReplyToken, token)
        if issued is None:
            return None, None
        application = await session.get(Application, issued.application_id)
        if issued.revoked_at is not None:
            return application, None  # known, but no longer acts: forwarded unverified
        return application, issued.email

    async def _bounce(
        self,
        session: AsyncSession,
        row: InboundMessage,
        facts: ReplyFacts,
        application: Application | None,
        now: datetime,
    ) -> Outcome:
        """A delivery failure report: the contact address is marked undeliverable; the
        organiser, and the applicant's Telegram chat if linked, are told."""
        targets: list[Application] = [application] if application else []
        failed = [address.lower() for address in facts.failed_recipients]
        if failed:
            targets += (
                await session.scalars(
                    select(Application).where(Application.contact_email.in_(failed))
                )
            ).all()
        unique = {a.id: a for a in targets}.values()
        for target in unique:
            if not target.contact_undeliverable:
                target.contact_undeliverable = True
                self.registry.note(target, now, "email", "contact_undeliverable")
            view = await self.registry.view_in(session, target)
            await self.notifier.to_organizer(
                session,
                target.organizer,
                "contact_undeliverable",
                f"bounce:{row.id}:{target.id}",
                now,
                application_id=target.id,
                number=target.number,
                jst_name=target.jst_name,
                address=target.contact_email,
            )
            await self.notifier.to_chat(
                session,
                view,
                "contact_undeliverable",
                f"bounce:{row.id}:{target.id}",
                now,
                address=target.contact_email,
            )
        first = next(iter(unique), None)
        return Outcome(
            "contact_undeliverable" if first else "bounce_unmatched",
            verified=False,
            application_number=first.number if first else None,
        )

    async def _agreement(
        self,
        session: AsyncSession,
        row: InboundMessage,
        facts: ReplyFacts,
        application: Application,
        view: ApplicationView,
        now: datetime,
    ) -> Outcome:
        """Umowa uczestnictwa: a signed copy is kept for the organiser to check."""
        kept = [
            a
            for a in facts.attachments
            if a.content_type.lower() in AGREEMENT_TYPES
            and 0 < len(a.payload) <= MAX_ATTACHMENT_BYTES
        ]
        if not kept:
            await self._forward(session, row, facts, application, now)
            return Outcome("agreement_without_document", True, application.number)
        for attachment in kept:
            session.add(
                StoredAttachment(
                    inbound_message_id=row.id,
                    application_id=application.id,
                    filename=attachment.filename[:255] or "zalacznik",
                    content_type=attachment.content_type.lower(),
                    size=len(attachment.payload),
                    data=attachment.payload,
                    stored_at=now,
                )
            )
        if application.agreement_status in ("none", "missing"):
            application.agreement_status = "received"
        application.agreement_received_at = now
        self.registry.note(application, now, "email", "agreement_received")
        key = f"inbound:{row.id}"
        files = [a.filename for a in kept]
        await self.notifier.reply_ack(
            session, view, "agreement_received", key, now, thread_of(facts), files=files
        )
        await self.notifier.to_organizer(
            session,
            application.organizer,
            "agreement_to_check",
            key,
            now,
            application_id=application.id,
            number=application.number,
            jst_name=application.jst_name,
            files=files,
        )
        return Outcome("agreement_received", True, application.number)

    async def _question(
        self,
        session: AsyncSession,
        row: InboundMessage,
        facts: ReplyFacts,
        view: ApplicationView | None,
        now: datetime,
    ) -> Outcome:
        """Answered from the FAQ in the same thread, or handed over to the organiser."""
        lang = view.lang if view else "pl"
        context = None
        if view is not None:
            context = FaqContext(
                employees=view.document.get("employees"),
                jst_kind=JstKind(view.kind),
                participants=len(view.document.get("participants", [])),
            )
        answer = answer_question(facts.reply_text or facts.subject, lang=lang, context=context)
        key = f"inbound:{row.id}"
        thread = thread_of(facts)
        number = view.number if view else None
        if answer.matched:
            if view is not None:
                await self.notifier.reply_ack(
                    session,
                    view,
                    "faq_answer",
                    key,
                    now,
                    thread,
                    question=facts.reply_text,
                    answer=answer.answer,
                )
            elif facts.from_address:
                await self.notifier.answer_sender(
                    session,
                    facts.from_address,
                    "faq_answer",
                    key,
                    now,
                    thread,
                    lang=lang,
                    question=facts.reply_text,
                    answer=answer.answer,
                )
            return Outcome("question_answered", view is not None, number)
        await self.notifier.to_organizer(
            session,
            view.organizer if view else None,
            "forward_question",
            key,
            now,
            sender=facts.from_address,
            subject=facts.subject,
            text=facts.reply_text[:5000],
            number=number,
            jst_name=view.jst_name if view else None,
        )
        if view is not None:
            await self.notifier.reply_ack(session, view, "handover_ack", f"{key}:ack", now, thread)
        elif facts.from_address:
            await self.notifier.answer_sender(
                session,
                facts.from_address,
                "handover_ack",
                f"{key}:ack",
                now,
                thread,
                lang=lang,
            )
        return Outcome("question_handed_over", view is not None, number)

    async def revoke_tokens(self, number: int) -> int:
        now = self.db.clock()
        async with self.db.write() as session:
            application = await self.registry.by_number_in(session, number)
            result = await session.execute(
                update(ReplyToken)
                .where(ReplyToken.application_id == application.id, ReplyToken.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]


__all__ = [
    "AGREEMENT_TYPES",
    "AttachmentData",
    "Inbox",
    "Intent",
    "Outcome",
    "ReplyFacts",
    "Status",
    "Stored",
]

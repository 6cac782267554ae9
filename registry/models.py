"""The registry's tables. ORM rows stay inside registry/: services return views."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the registry; use aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, dict[str, Any]: JSON}


class Counter(Base):
    """Named counters; the `application` row is also the lock that orders submissions."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Stage(Base):
    """A recruitment stage (Zasady rekrutacji pkt 3–6)."""

    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(Integer)
    reserve_only: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None]
    # When the reserve list of earlier stages was moved into this one (pkt 5: priority).
    activated_at: Mapped[datetime | None]
    # When the JST were told the stage's outcome (reserve positions, stationary groups).
    close_notified_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class PilotJst(Base):
    """JST of the pilot, excluded from the trainings (Informacje podstawowe pkt 3)."""

    __tablename__ = "pilot_jst"

    teryt: Mapped[str] = mapped_column(String(7), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime]


class Application(Base):
    """One JST's application: its document, its place in the order, its status."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The submission order (Zasady rekrutacji pkt 7), assigned under the placement lock.
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    teryt: Mapped[str] = mapped_column(String(7), unique=True)
    nip: Mapped[str] = mapped_column(String(10), unique=True)
    jst_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    organizer: Mapped[str] = mapped_column(String(3))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    status: Mapped[str] = mapped_column(String(16))
    document: Mapped[dict[str, Any]]
    contact_email: Mapped[str] = mapped_column(String(254), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    lang: Mapped[str] = mapped_column(String(5), default="pl")
    # Participants beyond pkt 10's number await the organiser's consent (pkt 11).
    consent_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Read from the contact person's replies (the mail gateway).
    confirmed_at: Mapped[datetime | None]
    # Umowa uczestnictwa: none → received (a signed copy came in, to be checked) → signed,
    # or missing when the deadline passed (Umowa pkt 3–4).
    agreement_status: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    agreement_received_at: Mapped[datetime | None]
    agreement_signed_at: Mapped[datetime | None]
    # When the application got its place, and by when the agreement must be signed
    # (Umowa uczestnictwa pkt 3: in time to take part in the trainings).
    qualified_at: Mapped[datetime | None]
    agreement_deadline: Mapped[datetime | None]
    # A delivery failure report came back for the contact address.
    contact_undeliverable: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )

    stage: Mapped[Stage] = relationship(lazy="joined")
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="application", order_by="StatusChange.id", lazy="selectin"
    )

    __table_args__ = (
        Index("ix_applications_stage_status_number", "stage_id", "status", "number"),
        Index("ix_applications_status_number", "status", "number"),
    )


class StatusChange(Base):
    """The history of an application: every status change, who made it and why."""

    __tablename__ = "status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    at: Mapped[datetime]
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))

    application: Mapped[Application] = relationship(back_populates="history")
    stage: Mapped[Stage | None] = relationship(lazy="joined")


class ConversationState(Base):
    """The bot's conversation state (aiogram FSM) on the embedded default: a restart loses
    no half-filled application. With Redis configured, aiogram's RedisStorage is used."""

    __tablename__ = "conversation_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class ReplyToken(Base):
    """The secret part of an application's reply address <local>+<token>@<domain>.

    Bound to one application and to the contact e-mail it was issued for; revocable."""

    __tablename__ = "reply_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class InboundMessage(Base):
    """Every message the gateway accepted, stored raw before the SMTP 250 reply."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime]
    mail_from: Mapped[str] = mapped_column(String(320))
    rcpt_to: Mapped[list[str]] = mapped_column(JSON)
    # The same bytes delivered twice are stored once (sha256), and acted on once.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    # received → processed | duplicate | failed
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    processed_at: Mapped[datetime | None]
    intent: Mapped[str | None] = mapped_column(String(16))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    outcome: Mapped[str] = mapped_column(Text, default="")


class StoredAttachment(Base):
    """An allowed attachment of a verified reply (a signed agreement, a scan)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inbound_message_id: Mapped[int] = mapped_column(ForeignKey("inbound_messages.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime]


class OutboxMessage(Base):
    """A notification to send, written in the transaction of the change that causes it.

    Senders deliver at least once; `idempotency_key` keeps one row per notification, and
    the stable `message_id` lets a receiver drop a repeated delivery. A claimed row has its
    `next_attempt_at` moved past a lease, so a sender that dies mid-send is retried."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | telegram
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    # What to say: the channel's sender renders the template `kind` with `context`.
    kind: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(5), default="pl")
    context: Mapped[dict[str, Any]]
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    # The stable Message-ID of the e-mail, and its threading (In-Reply-To, References).
    message_id: Mapped[str] = mapped_column(String(998), default="")
    thread: Mapped[dict[str, Any]]
    # pending → sent | failed (given up after the configured time)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)


class TrainingDate(Base):
    """The training schedule (Informacje podstawowe pkt 5): when a kind of training in an
    area starts. An online date without an area applies to every area."""

    __tablename__ = "training_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    training: Mapped[str] = mapped_column(String(16))
    area: Mapped[str | None] = mapped_column(String(40))
    starts_on: Mapped[datetime]
    ends_on: Mapped[datetime | None]
    description: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime]

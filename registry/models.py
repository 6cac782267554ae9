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
    MetaData,
    String,
    Text,
    TypeDecorator,
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

"""Composition root: builds the registry and the channels from settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from assistant.settings import Settings
from mail_gateway.outbound import EmailSender, RelayConfig
from mail_gateway.server import Gateway, GatewayLimits, tls_context
from registry.db import Database, utcnow
from registry.lifecycle import LifecycleConfig
from registry.mail import Inbox
from registry.notify import MailAddressing, Notifier
from registry.outbox import Outbox
from registry.services import Registry
from registry.views import StageView
from rules.register import load_register


def notifier_from(settings: Settings) -> Notifier:
    emails = {"ZMP": settings.zmp_email, "ZPP": settings.zpp_email}
    return Notifier(
        addressing=MailAddressing(
            domain=settings.mail_domain,
            reply_local_part=settings.reply_local_part,
            questions_local_part=settings.questions_local_part,
        ),
        organizer_emails={name: address for name, address in emails.items() if address},
        admin_chat_id=settings.admin_chat_id,
    )


@asynccontextmanager
async def open_registry(settings: Settings, *, prepare: bool = True) -> AsyncIterator[Registry]:
    """A registry on the configured database, migrated and with a first stage."""
    db = Database(settings.effective_database_url())
    try:
        registry = Registry(db, load_register(), notifier_from(settings))
        if prepare:
            await db.upgrade()
            await ensure_first_stage(registry, settings)
        yield registry
    finally:
        await db.dispose()


async def ensure_first_stage(registry: Registry, settings: Settings) -> StageView | None:
    return await registry.ensure_first_stage(
        settings.first_stage_name,
        opens_at=settings.first_stage_opens_at or utcnow(),
        days=settings.first_stage_days,
        capacity=settings.first_stage_capacity,
    )


def email_sender(registry: Registry, settings: Settings) -> EmailSender:
    return EmailSender(
        Outbox(registry.db, registry.notifier),
        sender=registry.notifier.addressing.questions_address,
        sender_name=settings.mail_from_name,
        relay=RelayConfig(
            host=settings.relay_host,
            port=settings.relay_port,
            starttls=settings.relay_starttls,
            tls=settings.relay_tls,
            username=settings.relay_username,
            password=settings.relay_password,
        ),
        maildir=settings.maildir,
        give_up_after=timedelta(hours=settings.outbox_give_up_hours),
    )


def gateway(registry: Registry, settings: Settings) -> Gateway:
    return Gateway(
        Inbox(registry),
        host=settings.smtp_host,
        port=settings.smtp_port,
        limits=GatewayLimits(
            max_message_bytes=settings.max_message_bytes,
            max_connections=settings.max_smtp_connections,
        ),
        tls=tls_context(settings.smtp_tls_cert, settings.smtp_tls_key)
        if settings.smtp_tls_cert and settings.smtp_tls_key
        else None,
        require_tls=settings.smtp_require_tls,
    )


def lifecycle_config(settings: Settings) -> LifecycleConfig:
    return LifecycleConfig(
        agreement_days=settings.agreement_days,
        reminder_days=tuple(settings.agreement_reminder_days),
        declarations_reminder_days=settings.declarations_reminder_days,
    )

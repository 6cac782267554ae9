"""Outbound e-mail: the outbox's e-mail notifications rendered and delivered.

Each kind has one template per language (`templates/email/<lang>/<kind>.j2`, blocks
`subject` and `body`); the plain-text part is the body, the HTML part the same text in a
layout with inline styles (what mail clients show; no scripts). Delivery goes to the
configured relay with aiosmtplib, or to a local maildir when there is none.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import mailbox
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

import aiosmtplib
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)

from locales import format_when, gettext
from registry.outbox import Channel, Notification, Outbox
from rules.areas import parse_area
from rules.fields import format_nip, format_phone
from rules.jst import JstKind, Organizer
from rules.participants import group_for, parse_training

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates" / "email"
# Replies to mail we received are "auto-replied", the rest "auto-generated" (RFC 3834):
# other robots then know not to answer us, which keeps mail loops from starting.
REPLY_KINDS = frozenset(
    {
        "confirmation_received",
        "withdrawal_confirmed",
        "agreement_received",
        "faq_answer",
        "handover_ack",
    }
)


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=False,
    )

    def t(msgid: str) -> str:
        return gettext(msgid, lang)

    env.filters.update(
        when=lambda iso: format_when(
            iso if isinstance(iso, datetime) else datetime.fromisoformat(iso), lang
        ),
        kind_label=lambda kind: t(JstKind(kind).label),
        organizer_name=lambda org: f"{t(Organizer(org).label)} ({org})" if org else "",
        training_label=lambda value: (
            t(training.label) if (training := parse_training(value)) else value
        ),
        area_label=lambda value: t(area.label) if (area := parse_area(value)) else value,
        group=lambda employees: group_for(int(employees)).numeral,
        nip=format_nip,
        phone=format_phone,
    )
    return env


_ENVIRONMENTS: dict[str, Environment] = {}


def environment(lang: str) -> Environment:
    if lang not in _ENVIRONMENTS:
        _ENVIRONMENTS[lang] = _environment(lang)
    return _ENVIRONMENTS[lang]


def render(kind: str, context: dict[str, Any], lang: str = "pl") -> RenderedMail:
    """Renders an e-mail kind in the language (Polish when no template in it)."""
    lang = lang if (TEMPLATES / lang / f"{kind}.j2").exists() else "pl"
    env = environment(lang)
    try:
        template = env.get_template(f"{lang}/{kind}.j2")
    except TemplateNotFound:
        raise ValueError(f"no e-mail template for {kind!r}") from None
    values = {"thread_subject": context.get("thread_subject", ""), "organizer": None, **context}
    run = template.new_context(values)
    subject = " ".join("".join(template.blocks["subject"](run)).split())
    text = _tidy("".join(template.blocks["body"](run)))
    html = env.get_template("_layout.html.j2").render(
        lang=lang, subject=subject, blocks=_blocks(text)
    )
    return RenderedMail(subject=subject, text=text, html=html)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _blocks(text: str) -> list[dict[str, Any]]:
    """Paragraphs and bullet lists of the plain text, for the HTML part."""
    blocks: list[dict[str, Any]] = []
    for paragraph in text.strip().split("\n\n"):
        lines = paragraph.splitlines()
        items = [line[2:] for line in lines if line.startswith("- ")]
        if items and len(items) == len(lines) - 1 and not lines[0].startswith("- "):
            blocks.append({"lines": [lines[0]], "items": []})
            blocks.append({"lines": [], "items": items})
        elif items and len(items) == len(lines):
            blocks.append({"lines": [], "items": items})
        else:
            blocks.append({"lines": lines, "items": []})
    return blocks


def build_message(
    notification: Notification, rendered: RenderedMail, *, sender: str, sender_name: str
) -> bytes:
    """The message as bytes: multipart/alternative with a plain-text and an HTML part.

    Assembled directly rather than through `email.message`: the shape never varies, and
    the stdlib generator's header handling costs most of a millisecond a message, which a
    bulk send cannot afford. Headers are RFC 2047-encoded by `email.header`, bodies are
    base64, lines end in CRLF; the tests read every message back with the stdlib parser.
    """
    boundary = f"=_smup_{secrets.token_hex(12)}"  # "=_" never occurs in base64 text
    headers = [
        ("From", formataddr((_encoded(sender_name), sender))),
        ("To", notification.recipient),
        ("Subject", _encoded(rendered.subject)),
        ("Date", format_datetime(notification.created_at)),
        ("Message-ID", notification.message_id),
    ]
    reply_address = notification.context.get("reply_address")
    if reply_address:
        headers.append(("Reply-To", reply_address))
    thread = notification.thread
    if thread.get("in_reply_to"):
        headers.append(("In-Reply-To", thread["in_reply_to"]))
        headers.append(("References", "\r\n ".join(thread.get("references", []))))
    headers += [
        (
            "Auto-Submitted",
            "auto-replied" if notification.kind in REPLY_KINDS else "auto-generated",
        ),
        ("Content-Language", notification.lang),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
    ]
    parts = [f"{name}: {value}" for name, value in headers]
    for subtype, body in (("plain", rendered.text), ("html", rendered.html)):
        parts += [
            "",
            f"--{boundary}",
            f'Content-Type: text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding: base64",
            "",
            base64.encodebytes(body.encode("utf-8"))
            .decode("ascii")
            .rstrip("\n")
            .replace("\n", "\r\n"),
        ]
    parts += [f"--{boundary}--", ""]
    return "\r\n".join(parts).encode("ascii")


def _encoded(value: str) -> str:
    """A header value, RFC 2047-encoded only when it is not plain ASCII."""
    return value if value.isascii() else Header(value, "utf-8").encode(linesep="\r\n")


@dataclass(frozen=True)
class RelayConfig:
    host: str = ""
    port: int = 587
    starttls: bool = True
    tls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = 30.0


class TransientError(Exception):
    """Delivery may work later (relay down, 4xx)."""


class EmailSender:
    """Delivers the outbox's e-mail notifications; run several with PostgreSQL."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        sender: str,
        sender_name: str = "SMUP Assistant",
        relay: RelayConfig | None = None,
        maildir: Path | None = None,
        give_up_after: timedelta = timedelta(hours=48),
        batch: int = 100,
    ) -> None:
        self.outbox = outbox
        self.sender = sender
        self.sender_name = sender_name
        self.relay = relay if relay and relay.host else None
        self.maildir = maildir
        self.give_up_after = give_up_after
        self.batch = batch

    async def send_due(self) -> int:
        """Sends what is due now; returns how many were delivered."""
        delivered = 0
        while notifications := await self.outbox.claim(Channel.EMAIL, self.batch):
            messages: list[tuple[Notification, bytes | None, str]] = []
            for notification in notifications:
                try:
                    context = {
                        **notification.context,
                        "thread_subject": notification.thread.get("subject", ""),
                    }
                    rendered = render(notification.kind, context, notification.lang)
                    messages.append(
                        (
                            notification,
                            build_message(
                                notification,
                                rendered,
                                sender=self.sender,
                                sender_name=self.sender_name,
                            ),
                            "",
                        )
                    )
                except Exception as exc:  # a template error must not block the others
                    log.exception("rendering notification %s failed", notification.id)
                    messages.append((notification, None, f"render: {exc}"))
            sent = await self._deliver([(n, m) for n, m, _ in messages if m is not None])
            await self.outbox.mark_sent(sent)
            delivered += len(sent)
            failed = [(n, e) for n, m, e in messages if m is None]
            failed += [
                (n, "delivery failed") for n, m, _ in messages if m is not None and n.id not in sent
            ]
            for notification, error in failed:
                if await self.outbox.mark_failed(
                    notification, error, give_up_after=self.give_up_after
                ):
                    log.error(
                        "gave up notification %s to %s",
                        notification.id,
                        _masked(notification.recipient),
                    )
            if failed and len(failed) == len(messages):
                break  # the relay is down: wait for the next round
        return delivered

    async def _deliver(self, messages: Sequence[tuple[Notification, bytes]]) -> list[int]:
        if not messages:
            return []
        if self.relay is None:
            return await asyncio.to_thread(self._to_maildir, messages)
        sent: list[int] = []
        relay = self.relay
        try:
            client = aiosmtplib.SMTP(
                hostname=relay.host,
                port=relay.port,
                use_tls=relay.tls,
                start_tls=relay.starttls and not relay.tls,
                timeout=relay.timeout,
            )
            async with client:
                if relay.username:
                    await client.login(relay.username, relay.password)
                for notification, message in messages:
                    try:
                        await client.sendmail(self.sender, [notification.recipient], message)
                        sent.append(notification.id)
                    except aiosmtplib.SMTPRecipientsRefused:
                        log.warning("relay refused recipient %s", _masked(notification.recipient))
                    except aiosmtplib.SMTPResponseException as exc:
                        log.warning(
                            "relay answered %s for notification %s", exc.code, notification.id
                        )
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.warning("relay unavailable: %s", exc)
        return sent

    def _to_maildir(self, messages: Sequence[tuple[Notification, bytes]]) -> list[int]:
        assert self.maildir is not None
        box = mailbox.Maildir(str(self.maildir), create=True)
        for _, message in messages:
            box.add(message)
        box.close()
        return [n.id for n, _ in messages]

    async def run(self, poll_seconds: float = 2.0) -> None:
        while True:
            try:
                await self.send_due()
            except Exception:
                log.exception("sending e-mail notifications failed")
            await asyncio.sleep(poll_seconds)


def _masked(address: str) -> str:
    """An address for logs: enough to recognise it, not the whole of it."""
    local, _, domain = address.partition("@")
    return f"{local[:2]}***@{domain}"

"""The inbound SMTP gateway (aiosmtpd) and the processor of stored messages.

receive → store durably (then 250) → parse → extract the reply → classify → act through
the registry. Storing and acting are separate steps joined by the store: a crash between
them loses nothing, since the processor picks up every stored message not yet acted on.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from mail_gateway.pipeline import ReadMessage, read_message
from registry.mail import AttachmentData, Inbox, Outcome, ReplyFacts

log = logging.getLogger(__name__)

TEMPORARY_FAILURE = "451 4.3.0 Temporary failure, please try again later"


@dataclass(frozen=True)
class GatewayLimits:
    max_message_bytes: int = 15 * 1024 * 1024
    max_connections: int = 100
    command_timeout: float = 300.0  # RFC 5321 4.5.3.2: at least 5 minutes


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """A server context for STARTTLS (TLS 1.2 or newer)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert), str(key))
    return context


class GatewayHandler:
    """aiosmtpd handler: our recipients only; 250 only once the message is stored."""

    def __init__(self, inbox: Inbox, wake: asyncio.Event) -> None:
        self.inbox = inbox
        self.wake = wake

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        try:
            allowed = await self.inbox.recipient_allowed(address)
        except Exception:
            log.exception("recipient check failed")
            return TEMPORARY_FAILURE
        if not allowed:
            return "550 5.1.1 Recipient address rejected: no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw or "").encode("utf-8", "surrogateescape")
        try:
            stored = await self.inbox.store(raw, envelope.mail_from or "", envelope.rcpt_tos)
        except Exception:
            # Never a 5xx for our own failure, and never internals: the sender retries.
            log.exception("storing an inbound message failed")
            return TEMPORARY_FAILURE
        self.wake.set()
        log.info(
            "stored inbound message %s%s (%d bytes)",
            stored.id,
            " (duplicate)" if stored.duplicate else "",
            len(raw),
        )
        return "250 2.0.0 OK: queued"


class CappedSMTP(SMTP):
    """Refuses connections over the cap with 421 instead of queueing them without end."""

    def __init__(self, *args: Any, counter: list[int], cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._counter = counter
        self._cap = cap
        self._counted = False

    def connection_made(self, transport: Any) -> None:
        if self._counter[0] >= self._cap:
            transport.write(b"421 4.7.0 Too many connections, try again later\r\n")
            transport.close()
            return
        self._counter[0] += 1
        self._counted = True
        super().connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._counted:
            self._counter[0] -= 1
            self._counted = False
        super().connection_lost(exc)


def facts_from(read: ReadMessage, to_questions_address: bool) -> ReplyFacts:
    parsed = read.parsed
    return ReplyFacts(
        intent=read.intent.intent,
        token=read.token,
        from_address=parsed.from_address,
        subject=parsed.subject,
        reply_text=read.reply_text,
        message_id=parsed.message_id,
        references=parsed.references,
        attachments=tuple(
            AttachmentData(a.filename or "", a.content_type, a.payload)
            for a in parsed.attachments
            if not a.inline
        ),
        failed_recipients=tuple(r.address for r in parsed.dsn_recipients),
        to_questions_address=to_questions_address,
    )


class Gateway:
    """The SMTP server and the processor, on the running event loop."""

    def __init__(
        self,
        inbox: Inbox,
        *,
        host: str = "127.0.0.1",
        port: int = 8025,
        hostname: str | None = None,
        limits: GatewayLimits | None = None,
        tls: ssl.SSLContext | None = None,
        require_tls: bool = False,
    ) -> None:
        self.inbox = inbox
        self.host = host
        self.port = port
        self.hostname = hostname or inbox.addressing.domain
        self.limits = limits or GatewayLimits()
        self.tls = tls
        self.require_tls = require_tls and tls is not None
        self.wake = asyncio.Event()
        self.handler = GatewayHandler(inbox, self.wake)
        self._server: asyncio.Server | None = None
        self._connections = [0]

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: CappedSMTP(
                self.handler,
                counter=self._connections,
                cap=self.limits.max_connections,
                hostname=self.hostname,
                data_size_limit=self.limits.max_message_bytes,
                enable_SMTPUTF8=True,
                decode_data=False,
                timeout=self.limits.command_timeout,
                ident="SMUP Assistant",
                tls_context=self.tls,
                require_starttls=self.require_tls,
            ),
            self.host,
            self.port,
        )
        sockets: tuple[Any, ...] = tuple(self._server.sockets or ())
        if sockets:
            self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def process_pending(self) -> list[Outcome]:
        """Acts on every stored message not acted on yet, oldest first."""
        outcomes: list[Outcome] = []
        addressing = self.inbox.addressing
        while ids := await self.inbox.unprocessed():
            for message_id in ids:
                try:
                    raw, _mail_from, rcpt_to = await self.inbox.envelope(message_id)
                    read = await asyncio.to_thread(
                        read_message,
                        raw,
                        envelope_recipients=rcpt_to,
                        local_part=addressing.reply_local_part,
                        domain=addressing.domain,
                    )
                    to_questions = _any_questions_address(rcpt_to, addressing)
                    outcome = await self.inbox.act(message_id, facts_from(read, to_questions))
                    log.info("inbound message %s: %s", message_id, outcome.action)
                    outcomes.append(outcome)
                except Exception as exc:
                    log.exception("acting on inbound message %s failed", message_id)
                    await self.inbox.mark_failed(message_id, f"{type(exc).__name__}: {exc}")
        return outcomes

    async def run_processor(self, poll_seconds: float = 5.0) -> None:
        """Runs until cancelled: acts on new messages as they are stored."""
        while True:
            await self.process_pending()
            try:
                await asyncio.wait_for(self.wake.wait(), poll_seconds)
            except TimeoutError:
                pass
            self.wake.clear()


def _any_questions_address(addresses: Sequence[str], addressing: Any) -> bool:
    return any(addressing.recipient(a) == ("questions", None) for a in addresses)

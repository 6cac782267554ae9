from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import islice
from pathlib import Path

import pytest
from dbsupport import BACKENDS, Clock, document_for, entries, open_stage, registry_on
from mailsupport import DOMAIN, Setup

from mail_gateway.server import Gateway, GatewayLimits
from registry.mail import Inbox
from registry.notify import MailAddressing, Notifier


@pytest.fixture(params=BACKENDS)
async def setup(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Setup]:
    clock = Clock()
    async with registry_on(request.param, tmp_path, clock) as registry:
        registry.notifier = Notifier(
            addressing=MailAddressing(domain=DOMAIN),
            organizer_emails={"ZMP": "zmp@organizator.test", "ZPP": "zpp@organizator.test"},
            admin_chat_id=-100123,
        )
        await open_stage(registry, clock, capacity=2)
        applications = []
        for i, entry in enumerate(islice(entries(), 3)):
            result = await registry.submit(
                document_for(entry, i), channel="telegram", telegram_chat_id=1000 + i
            )
            assert result.application is not None
            applications.append(result.application)
        tokens = {}
        async with registry.db.read() as session:
            for i, application in enumerate(applications, start=1):
                token = await registry.notifier.token_for(session, i)
                assert token is not None
                tokens[application.number] = token
        inbox = Inbox(registry)
        gateway = Gateway(
            inbox,
            host="127.0.0.1",
            port=0,
            limits=GatewayLimits(max_message_bytes=200_000, max_connections=20),
        )
        await gateway.start()
        try:
            yield Setup(registry, gateway, inbox, applications, tokens)
        finally:
            await gateway.stop()

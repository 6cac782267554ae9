"""The inbound gateway over real SMTP on loopback: every intent acted on once, verified."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import aiosmtplib
import pytest
from mailsupport import DOMAIN, QUOTE, Setup, dsn, reply
from sqlalchemy import select, text

from mail_gateway.server import Gateway, tls_context
from registry.mail import Inbox
from registry.models import InboundMessage, OutboxMessage, StoredAttachment
from rules.recruitment import Status


async def send(setup: Setup, raw: bytes, sender: str, rcpt: str) -> tuple[int, str]:
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=setup.gateway.port, timeout=10) as smtp:
        _, response = await smtp.sendmail(sender, [rcpt], raw)
        return 250, response


async def outbox(setup: Setup) -> list[tuple[str, str, dict]]:
    async with setup.registry.db.read() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        return [(r.kind, r.recipient, dict(r.thread)) for r in rows]


def contact(setup: Setup, number: int) -> str:
    return setup.applications[number - 1].contact_email


def organizer_mailbox(setup: Setup, number: int) -> str:
    return f"{setup.applications[number - 1].organizer.lower()}@organizator.test"


async def test_confirm_reply_from_the_contact_is_acted_on(setup: Setup) -> None:
    raw = reply(contact(setup, 1), setup.reply_address(1), "Potwierdzam udział." + QUOTE)
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert (outcome.action, outcome.verified, outcome.application_number) == ("confirmed", True, 1)
    app = await setup.registry.get(1)
    assert app.history[-1].reason == "confirmed_by_email"
    kinds = [k for k, _, _ in await outbox(setup)]
    assert "confirmation_received" in kinds


@pytest.mark.parametrize(
    "body", ["Nie możemy potwierdzić udziału w tym terminie.", "nie potwierdzam"]
)
async def test_negated_confirmation_is_not_a_confirmation(setup: Setup, body: str) -> None:
    raw = reply(contact(setup, 1), setup.reply_address(1), body + QUOTE)
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action != "confirmed"


async def test_withdraw_gives_the_place_to_the_reserve(setup: Setup) -> None:
    raw = reply(contact(setup, 2), setup.reply_address(2), "Rezygnujemy z udzialu w szkoleniach.")
    await send(setup, raw, contact(setup, 2), setup.reply_address(2))
    (outcome,) = await setup.gateway.process_pending()
    assert (outcome.action, outcome.promoted_number) == ("withdrawn", 3)
    assert (await setup.registry.get(2)).status is Status.WITHDRAWN
    assert (await setup.registry.get(3)).status is Status.QUALIFIED
    kinds = [(k, r) for k, r, _ in await outbox(setup)]
    assert ("promoted", contact(setup, 3)) in kinds
    assert ("withdrawal_confirmed", contact(setup, 2)) in kinds


async def test_signed_agreement_is_stored_for_the_organiser(setup: Setup) -> None:
    pdf = b"%PDF-1.4\n" + b"0" * 2000
    raw = reply(
        contact(setup, 1),
        setup.reply_address(1),
        "W załączeniu podpisana umowa.",
        attachment=("umowa_podpisana.pdf", "application/pdf", pdf),
    )
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action == "agreement_received"
    async with setup.registry.db.read() as session:
        (stored,) = (await session.scalars(select(StoredAttachment))).all()
        assert (stored.filename, stored.size, stored.data) == ("umowa_podpisana.pdf", len(pdf), pdf)
    kinds = [(k, r) for k, r, _ in await outbox(setup)]
    assert ("agreement_to_check", organizer_mailbox(setup, 1)) in kinds
    assert ("agreement_to_check", "-100123") in kinds  # the organisers' Telegram chat


async def test_question_is_answered_in_the_same_thread(setup: Setup) -> None:
    raw = reply(contact(setup, 1), setup.reply_address(1), "Czy szkolenie jest płatne?" + QUOTE)
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action == "question_answered"
    (faq,) = [t for k, _, t in await outbox(setup) if k == "faq_answer"]
    assert faq["in_reply_to"].endswith("@gmina.example.pl>")


async def test_unknown_question_to_the_questions_address_is_handed_over(setup: Setup) -> None:
    raw = reply("ktos@example.pl", f"pytania@{DOMAIN}", "Jaka jest stawka VAT na usługi?")
    await send(setup, raw, "ktos@example.pl", f"pytania@{DOMAIN}")
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action == "question_handed_over"
    sent = [(k, r) for k, r, _ in await outbox(setup)]
    assert ("handover_ack", "ktos@example.pl") in sent
    assert ("forward_question", "zmp@organizator.test") in sent


async def test_spoofed_sender_triggers_nothing(setup: Setup) -> None:
    raw = reply("intruz@example.com", setup.reply_address(1), "Rezygnujemy.")
    await send(setup, raw, "intruz@example.com", setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert (outcome.action, outcome.verified) == ("forwarded_unverified", False)
    assert (await setup.registry.get(1)).status is Status.QUALIFIED
    forwarded = [r for k, r, _ in await outbox(setup) if k == "forward_unverified"]
    assert sorted(forwarded) == sorted([organizer_mailbox(setup, 1), "-100123"])


async def test_revoked_token_is_kept_but_not_acted_on(setup: Setup) -> None:
    assert await setup.inbox.revoke_tokens(1) == 1
    raw = reply(contact(setup, 1), setup.reply_address(1), "Rezygnujemy.")
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action == "forwarded_unverified"
    assert (await setup.registry.get(1)).status is Status.QUALIFIED


@pytest.mark.parametrize(
    "rcpt", [f"ktos@{DOMAIN}", "zgloszenia+nieistniejacy@smup.test", "zgloszenia@inna.test"]
)
async def test_other_recipients_are_refused_at_rcpt(setup: Setup, rcpt: str) -> None:
    raw = reply("a@example.pl", rcpt, "Potwierdzam")
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as info:
        await send(setup, raw, "a@example.pl", rcpt)
    assert info.value.recipients[0].code == 550
    assert await setup.inbox.unprocessed() == []


async def test_oversize_message_gets_552_and_nothing_is_stored(setup: Setup) -> None:
    raw = reply(contact(setup, 1), setup.reply_address(1), "x" * 300_000)
    with pytest.raises(aiosmtplib.SMTPResponseException) as info:
        await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    assert info.value.code == 552
    assert await setup.inbox.unprocessed() == []


@pytest.mark.parametrize(
    "headers",
    [{"Auto-Submitted": "auto-replied"}, {"X-Autoreply": "yes"}, {"Precedence": "auto_reply"}],
)
async def test_automatic_replies_are_never_answered(setup: Setup, headers: dict[str, str]) -> None:
    raw = reply(
        contact(setup, 1),
        setup.reply_address(1),
        "Jestem na urlopie. Czy to pilne?",
        subject="Automatyczna odpowiedź: Zgłoszenie",
        headers=headers,
    )
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action == "ignored_auto_reply"
    assert [k for k, _, _ in await outbox(setup)].count("faq_answer") == 0


async def test_bounce_marks_the_contact_undeliverable(setup: Setup) -> None:
    raw = dsn(contact(setup, 1), setup.reply_address(1))
    await send(setup, raw, "", setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action == "contact_undeliverable"
    sent = [(k, r) for k, r, _ in await outbox(setup)]
    assert ("contact_undeliverable", organizer_mailbox(setup, 1)) in sent
    assert ("contact_undeliverable", "1000") in sent  # the applicant's linked chat


async def test_the_same_message_delivered_twice_is_acted_on_once(setup: Setup) -> None:
    raw = reply(contact(setup, 2), setup.reply_address(2), "Rezygnujemy.")
    await send(setup, raw, contact(setup, 2), setup.reply_address(2))
    await send(setup, raw, contact(setup, 2), setup.reply_address(2))
    outcomes = await setup.gateway.process_pending()
    assert [o.action for o in outcomes] == ["withdrawn"]


async def test_stored_but_not_acted_on_survives_a_restart(setup: Setup) -> None:
    raw = reply(contact(setup, 1), setup.reply_address(1), "Potwierdzam")
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    await setup.gateway.stop()  # "crash" before the processor ran
    restarted = Gateway(Inbox(setup.registry), host="127.0.0.1", port=0)
    (outcome,) = await restarted.process_pending()
    assert outcome.action == "confirmed"
    assert await restarted.process_pending() == []


async def test_windows_1250_reply_is_read(setup: Setup) -> None:
    raw = reply(
        contact(setup, 1),
        setup.reply_address(1),
        "Potwierdzamy udział, dziękujemy.",
        charset="cp1250",
    )
    await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    (outcome,) = await setup.gateway.process_pending()
    assert outcome.action == "confirmed"


async def test_own_failure_answers_451_not_5xx(setup: Setup) -> None:
    async with setup.registry.db.write() as session:
        await session.execute(text("DROP TABLE attachments"))
        await session.execute(text("DROP TABLE inbound_messages"))
    raw = reply(contact(setup, 1), setup.reply_address(1), "Potwierdzam")
    with pytest.raises(aiosmtplib.SMTPDataError) as info:
        await send(setup, raw, contact(setup, 1), setup.reply_address(1))
    assert info.value.code == 451
    assert "Traceback" not in info.value.message and "inbound" not in info.value.message


async def test_concurrent_senders_none_lost(setup: Setup) -> None:
    async def one(i: int) -> None:
        raw = reply(f"x{i}@example.pl", f"pytania@{DOMAIN}", f"Czy szkolenie jest płatne? {i}")
        await send(setup, raw, f"x{i}@example.pl", f"pytania@{DOMAIN}")

    limit = asyncio.Semaphore(15)  # under the gateway's connection cap of 20

    async def paced(i: int) -> None:
        async with limit:
            await one(i)

    await asyncio.gather(*(paced(i) for i in range(40)))
    async with setup.registry.db.read() as session:
        assert len((await session.scalars(select(InboundMessage.id))).all()) == 40


async def test_connections_over_the_cap_get_421(setup: Setup) -> None:
    clients = [
        aiosmtplib.SMTP(hostname="127.0.0.1", port=setup.gateway.port, timeout=10)
        for _ in range(20)
    ]
    for client in clients:
        await client.connect()
    try:
        with pytest.raises(aiosmtplib.SMTPConnectResponseError) as info:
            await aiosmtplib.SMTP(hostname="127.0.0.1", port=setup.gateway.port).connect()
        assert info.value.code == 421
    finally:
        for client in clients:
            await client.quit()


async def test_restart_in_the_middle_of_a_load_loses_nothing(setup: Setup) -> None:
    """Every message answered 250 is stored and acted on exactly once, across a restart
    of the gateway while clients are sending; refused ones are retried by the client."""
    acknowledged: list[str] = []
    port = setup.gateway.port

    async def client(i: int) -> None:
        sender = f"pyta{i}@example.pl"
        raw = reply(sender, f"pytania@{DOMAIN}", f"Czy szkolenie jest płatne? ({i})")
        for _ in range(50):
            try:
                async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=5) as smtp:
                    await smtp.sendmail(sender, [f"pytania@{DOMAIN}"], raw)
                acknowledged.append(sender)
                return
            except (aiosmtplib.SMTPException, OSError):
                await asyncio.sleep(0.05)  # what an MTA does: try again later

    async def restart() -> None:
        await asyncio.sleep(0.15)
        await setup.gateway.stop()
        await asyncio.sleep(0.2)
        restarted = Gateway(setup.inbox, host="127.0.0.1", port=port)
        await restarted.start()
        setup.gateway = restarted

    limit = asyncio.Semaphore(10)

    async def paced(i: int) -> None:
        async with limit:
            await client(i)

    await asyncio.gather(restart(), *(paced(i) for i in range(120)))
    assert len(acknowledged) == 120
    fresh = Gateway(Inbox(setup.registry), host="127.0.0.1", port=0)
    outcomes = await fresh.process_pending()
    assert len(outcomes) == 120
    assert await fresh.process_pending() == []
    async with setup.registry.db.read() as session:
        rows = (await session.scalars(select(InboundMessage))).all()
        assert len(rows) == 120 and all(r.status == "processed" for r in rows)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_starttls_required_when_configured(
    setup: Setup, certificate: tuple[Path, Path]
) -> None:
    gateway = Gateway(
        setup.inbox, host="127.0.0.1", port=0, tls=tls_context(*certificate), require_tls=True
    )
    await gateway.start()
    try:
        raw = reply(contact(setup, 1), setup.reply_address(1), "Potwierdzam")
        plain = aiosmtplib.SMTP(hostname="127.0.0.1", port=gateway.port, start_tls=False)
        async with plain:
            with pytest.raises(aiosmtplib.SMTPResponseException) as info:
                await plain.sendmail(contact(setup, 1), [setup.reply_address(1)], raw)
            assert info.value.code == 530
        secure = aiosmtplib.SMTP(
            hostname="127.0.0.1", port=gateway.port, start_tls=True, validate_certs=False
        )
        async with secure:
            await secure.sendmail(contact(setup, 1), [setup.reply_address(1)], raw)
        (outcome,) = await gateway.process_pending()
        assert outcome.action == "confirmed"
    finally:
        await gateway.stop()

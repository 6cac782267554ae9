"""Issue 6 item 5: the outbox's Telegram notifications over real HTTP to a fake Bot API,
paced by the bot's session, each sent once; a chat that blocked the bot is given up."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from botsupport import harness_on
from dbsupport import document_for, entries

from bot.notifications import TelegramSender
from registry.notify import Notifier
from registry.outbox import Outbox


async def test_promotion_reaches_the_applicants_chat_once(tmp_path: Path) -> None:
    async with harness_on(tmp_path, capacity=1) as harness:
        registry = harness.registry
        first, second = islice(entries(), 2)
        assert (
            await registry.submit(document_for(first, 0), channel="telegram", telegram_chat_id=501)
        ).accepted
        reserve = (
            await registry.submit(document_for(second, 1), channel="telegram", telegram_chat_id=502)
        ).application
        assert reserve is not None and reserve.reserve_position == 1
        result = await registry.withdraw(1, actor="organizer:test")
        assert result.promoted is not None and result.promoted.number == 2

        sender = TelegramSender(Outbox(registry.db), harness.bot)
        assert await sender.send_due() == 1
        assert await sender.send_due() == 0
        (message,) = harness.server.sent(502)
        assert "zgłoszenie nr 2" in message.text.lower()
        assert "listy rezerwowej" in message.text
        assert harness.server.sent(501) == []


async def test_the_organisers_chat_gets_hand_overs(tmp_path: Path) -> None:
    async with harness_on(tmp_path) as harness:
        registry = harness.registry
        registry.notifier = Notifier(admin_chat_id=-100777)
        (jst,) = islice(entries(), 1)
        application = (await registry.submit(document_for(jst, 0))).application
        assert application is not None
        now = registry.now()
        async with registry.db.write() as session:
            queued = await registry.notifier.to_organizer(
                session,
                application.organizer,
                "forward_question",
                "test:q",
                now,
                sender="ktos@example.pl",
                subject="Pytanie",
                text="Gdzie odbędzie się zjazd?",
                number=application.number,
                jst_name=application.jst_name,
            )
        assert queued == 1  # no organiser mailbox configured: the chat only
        assert await TelegramSender(Outbox(registry.db), harness.bot).send_due() == 1
        (message,) = harness.server.sent(-100777)
        assert "Gdzie odbędzie się zjazd?" in message.text


async def test_an_unanswerable_question_goes_to_the_organiser_by_mail_and_chat(
    tmp_path: Path,
) -> None:
    async with harness_on(tmp_path) as harness:
        harness.registry.notifier = Notifier(
            organizer_emails={"ZMP": "zmp@org.test", "ZPP": "zpp@org.test"},
            admin_chat_id=-100777,
        )
        user = harness.user(7001)
        await user.say("/pytanie Jaka jest stawka VAT na usługi pocztowe?")
        pending = await Outbox(harness.registry.db).pending()
        handed = [(n.channel.value, n.recipient) for n in pending if n.kind == "forward_question"]
        # No JST chosen yet: both organisers' mailboxes and the organisers' chat.
        assert sorted(handed) == [
            ("email", "zmp@org.test"),
            ("email", "zpp@org.test"),
            ("telegram", "-100777"),
        ]
        assert pending[0].context["contact"]["telegram_chat"] == 7001
        assert "organizator" in user.last_text.lower()

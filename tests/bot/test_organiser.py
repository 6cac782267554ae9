"""The organisers' commands, and everyone else refused without learning anything."""

from __future__ import annotations

import io

import pytest
from botsupport import ADMIN_ID, Harness
from dbsupport import document_for
from openpyxl import load_workbook

from rules.register import load_register


async def _two_applications(harness: Harness) -> None:
    register = load_register()
    for index, teryt in enumerate(("1211092", "1219")):
        entry = register.get(teryt)
        assert entry is not None
        document = document_for(entry, index)
        if teryt == "1219":
            document["participants"][0]["training"] = "stationary"
        assert (await harness.registry.submit(document, channel="cli")).accepted


async def test_statistics_for_an_organiser(harness: Harness) -> None:
    await _two_applications(harness)
    admin = harness.user(ADMIN_ID)
    await admin.say("/statystyki")
    text = admin.last_text
    assert "Zgłoszenia: 2 zgłoszenia." in text
    assert "• zakwalifikowana: 2" in text
    assert "• gmina wiejska: 1" in text and "• powiat: 1" in text
    assert "• ZMP: 1" in text and "• ZPP: 1" in text
    assert "• Edukacja: 1 / 1; 1" in text


async def test_export_sends_an_xlsx_document(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.say("/eksport")
    assert "Nie ma jeszcze zgłoszeń" in admin.last_text
    await _two_applications(harness)
    calls = await admin.say("/eksport")
    [document] = [c for c in calls if c.method == "sendDocument"]
    assert "Eksport zgłoszeń: 2 zgłoszenia" in document.text
    [content] = document.files.values()
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None and sheet.max_row == 3  # a header and one row per JST


async def test_stage_for_an_organiser(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID)
    await admin.say("/etap")
    assert "Etap „Etap I”" in admin.last_text
    assert "Miejsca: 577; zakwalifikowane: 0; lista rezerwowa: 0; wolne: 577." in admin.last_text


@pytest.mark.parametrize("command", ["/statystyki", "/eksport", "/etap", "/stats", "/export"])
async def test_anyone_else_is_refused_and_learns_nothing(harness: Harness, command: str) -> None:
    await _two_applications(harness)
    stranger = harness.user(5555)
    calls = await stranger.say(command)
    assert [c.method for c in calls] == ["sendMessage"]
    assert calls[0].text == "Ta komenda jest dostępna tylko dla organizatorów szkoleń."


async def test_withdrawal_by_the_organiser_promotes_the_reserve(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from itertools import islice

    from botsupport import harness_on
    from dbsupport import entries

    from registry.outbox import Outbox

    async with harness_on(tmp_path, capacity=1, admin_ids=[ADMIN_ID]) as harness:
        first, second = islice(entries(), 2)
        assert (await harness.registry.submit(document_for(first, 0))).accepted
        assert (
            await harness.registry.submit(document_for(second, 1), telegram_chat_id=8123)
        ).accepted
        stranger = harness.user(4242)
        await stranger.say("/odstap 1")
        assert (await harness.registry.get(1)).status.value == "qualified"
        admin = harness.user(ADMIN_ID)
        await admin.say("/odstap")
        assert "numer zgłoszenia" in admin.last_text
        await admin.say("/odstap 1")
        assert "Miejsce otrzymało zgłoszenie nr 2" in admin.last_text
        assert (await harness.registry.get(2)).status.value == "qualified"
        kinds = {(n.kind, n.recipient) for n in await Outbox(harness.registry.db).pending()}
        assert ("promoted", "8123") in kinds  # the promoted JST's chat, told at once
        await admin.say("/umowa 2")
        assert "oznaczona jako zawarta" in admin.last_text
        await admin.say("/umowa 1")
        assert "nie jest zakwalifikowane" in admin.last_text

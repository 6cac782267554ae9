"""Every rule a step checks: a Polish message naming the fix, and the step stays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from botsupport import NOWY_TARG, Harness, Office, User, fill_office, harness_on, start_and_consent
from dbsupport import document_for

from rules.register import load_register


async def _at(user: User, step: str) -> None:
    """Walks a new conversation up to the question about `step`."""
    await start_and_consent(user)
    answers = {
        "jst": [],
        "nip": ["nowy targ", ("tap", "Nowy Targ (gmina wiejska")],
        "office_address": [
            "nowy targ",
            ("tap", "Nowy Targ (gmina wiejska"),
            "1234563218",
            ("tap", "Urząd Gminy Nowy Targ"),
        ],
    }
    sequence = answers.get(step)
    if sequence is None:
        sequence = [*answers["office_address"], "ul. Rynek 1, 34-400 Nowy Targ"]
        later = ["45", "Anna Nowak", "601 234 567", "a@jst.example.pl", "Jan Lis"]
        order = ["employees", "contact_name", "contact_phone", "contact_email", "p_name"]
        sequence += later[: order.index(step)]
    for answer in sequence:
        if isinstance(answer, tuple):
            await user.tap(answer[1])
        else:
            await user.say(answer)


@pytest.mark.parametrize(
    ("step", "bad", "expected", "good"),
    [
        ("nip", "123-456-78-90", "NIP „123-456-78-90” jest nieprawidłowy", "1234563218"),
        (
            "office_address",
            "Rynek 1, Nowy Targ",
            "kod pocztowy w formacie NN-NNN",
            "ul. A 1, 34-400 X",
        ),
        ("employees", "dużo", "liczbą osób zatrudnionych, a nie etatów", "45"),
        ("employees", "12,5", "liczbą osób zatrudnionych, a nie etatów", "45 osób"),
        ("employees", "0", "większą od zera", "45"),
        ("contact_name", "Anna", "nie wygląda na imię i nazwisko", "Anna Nowak"),
        ("contact_phone", "12345", "Numer telefonu „12345” jest nieprawidłowy", "601234567"),
        ("contact_email", "sekretariat(at)gmina", "Adres e-mail", "a@jst.example.pl"),
        ("p_name", "X1", "nie wygląda na imię i nazwisko", "Ewa Lis"),
    ],
)
async def test_an_invalid_answer_names_the_fix_and_the_step_stays(
    harness: Harness, step: str, bad: str, expected: str, good: str
) -> None:
    user = harness.user(3000 + hash((step, bad)) % 1000)
    await _at(user, step)
    state_before = await user.state()
    await user.say(bad)
    assert expected in user.last_text
    assert await user.state() == state_before
    await user.say(good)
    assert (await user.state())[0] != state_before[0] or step == "p_name"


async def test_an_office_phone_with_its_extension_is_kept(harness: Harness) -> None:
    user = harness.user(3102)
    await start_and_consent(user)
    await fill_office(
        user, Office("Zakopane", "Zakopane (gmina miejska", 45, phone="18 202 04 00 wew. 113")
    )
    assert "Numer telefonu" not in user.transcript  # taken at once
    await user.say("Anna Nowak")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")
    assert "Telefon: 18 202 04 00 wew. 113" in user.last_text  # the summary
    await user.tap("Wyślij zgłoszenie")
    [application] = await harness.registry.list_applications()
    assert application.document["contact"]["phone"] == "+48182020400 wew. 113"


async def test_a_participant_named_twice_is_refused(harness: Harness) -> None:
    user = harness.user(3101)
    await start_and_consent(user)
    await fill_office(user, Office("Zakopane", "Zakopane (gmina miejska", 120))
    await user.say("Anna Nowak")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")
    await user.say("anna nowak")
    assert "powtarza się w zgłoszeniu" in user.last_text
    assert "Proszę podać inną osobę." in user.last_text


async def test_unknown_training_and_area_typed(harness: Harness) -> None:
    user = harness.user(3102)
    await start_and_consent(user)
    await fill_office(user, NOWY_TARG)
    await user.say("Jan Lis")
    await user.say("hybrydowe")
    assert "nieznany rodzaj szkolenia „hybrydowe”" in user.last_text
    await user.say("online")
    await user.say("astronomia")
    assert "nie ma obszaru tematycznego „astronomia”" in user.last_text
    assert "Edukacja" in user.last_text  # the areas are listed
    await user.say("Geodezja i kartografia")
    assert user.last_text.startswith("Podsumowanie")


async def test_a_jst_that_is_not_in_the_register(harness: Harness) -> None:
    user = harness.user(3103)
    await start_and_consent(user)
    await user.say("Xyzzyqwerty")
    assert "Nie znaleźliśmy jst o nazwie „Xyzzyqwerty”" in user.last_text
    assert (await user.state())[0] == "Form:jst"


async def test_a_pilot_jst_is_told_at_once_and_whom_to_ask(harness: Harness) -> None:
    result = await harness.registry.import_pilot("1211092\n", source="test")
    assert result.ok
    user = harness.user(3104)
    await start_and_consent(user)
    await user.say("nowy targ")
    await user.tap("Nowy Targ (gmina wiejska")
    assert "brała udział w pilotażu" in user.last_text
    assert "(ZMP)" in user.last_text
    assert "proszę wybrać inną z listy" in user.last_text
    assert (await user.state())[0] == "Form:jst"
    await user.tap("Nowy Targ (gmina miejska")  # another JST of the list is fine
    assert (await user.state())[0] == "Form:nip"


async def test_an_already_registered_jst_is_told_its_number(harness: Harness) -> None:
    entry = load_register().get("1211092")
    assert entry is not None
    done = await harness.registry.submit(document_for(entry, 7), channel="cli")
    assert done.application is not None
    user = harness.user(3105)
    await start_and_consent(user)
    await user.say("nowy targ")
    await user.tap("Nowy Targ (gmina wiejska")
    assert "jest już zgłoszona na szkolenia (zgłoszenie nr 1)" in user.last_text


async def test_a_nip_already_used_is_refused_when_submitting(harness: Harness) -> None:
    entry = load_register().get("1211011")
    assert entry is not None
    document = document_for(entry, 3)
    document["jst"]["nip"] = "1234563218"
    assert (await harness.registry.submit(document, channel="cli")).application is not None
    user = harness.user(3106)
    await start_and_consent(user)
    await fill_office(user, NOWY_TARG)  # the same NIP
    await user.say("Jan Lis")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")
    await user.tap("Wyślij zgłoszenie")
    assert "Zgłoszenie nie zostało wysłane" in user.last_text
    assert "jest już zgłoszona" in user.last_text
    assert (await user.state())[0] == "Form:summary"  # every answer kept, fix and resend
    assert len(await harness.registry.list_applications()) == 1


async def test_recruitment_closed_says_when_the_next_stage_opens(tmp_path: Path) -> None:
    async with harness_on(tmp_path, capacity=None) as harness:
        await harness.registry.open_stage(
            "Etap II",
            opens_at=harness.clock.now + timedelta(days=10),
            closes_at=harness.clock.now + timedelta(days=40),
            capacity=10,
        )
        user = harness.user(3107)
        await start_and_consent(user)
        await user.say("nowy targ")
        await user.tap("Nowy Targ (gmina wiejska")
        assert "Rekrutacja jest teraz zamknięta. Kolejny etap rozpocznie się" in user.last_text
        await user.say("/status")
        assert "Żaden etap rekrutacji nie jest teraz otwarty. Kolejny rozpocznie się" in (
            user.last_text
        )


async def test_a_reserve_only_stage_turns_new_jst_away(tmp_path: Path) -> None:
    async with harness_on(tmp_path, capacity=None) as harness:
        await harness.registry.open_stage(
            "Etap R",
            opens_at=harness.clock.now,
            closes_at=harness.clock.now + timedelta(days=30),
            capacity=10,
            reserve_only=True,
        )
        user = harness.user(3108)
        await start_and_consent(user)
        await user.say("nowy targ")
        await user.tap("Nowy Targ (gmina wiejska")
        assert "wyłącznie dla jst z listy rezerwowej" in user.last_text

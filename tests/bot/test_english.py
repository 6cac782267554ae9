"""English for users whose Telegram speaks English, and /jezyk."""

from __future__ import annotations

from botsupport import NOWY_TARG, Harness, fill_office, start_and_consent


async def test_an_english_telegram_gets_english(harness: Harness) -> None:
    user = harness.user(6001, language="en-GB")
    await user.say("/start")
    assert "Information on the processing of personal data" in user.last_text
    assert user.labels == ["I agree", "I do not agree"]
    await user.tap("I agree")
    assert "Which local government unit" in user.last_text
    await user.say("nowy targ")
    await user.tap("Nowy Targ (rural gmina")
    await user.say("12")
    assert "NIP “12”" in user.last_text or "12" in user.last_text
    assert "Proszę" not in user.last_text


async def test_language_command_switches_and_returns_to_the_question(harness: Harness) -> None:
    user = harness.user(6002)
    await start_and_consent(user)
    await fill_office(user, NOWY_TARG)
    await user.say("/jezyk")
    assert user.labels == ["Polski", "English"]
    await user.tap("English")
    assert "Language of the conversation: English." in user.last_text
    assert "Participant no. 1 of 1" in user.last_text
    await user.say("Jan Lis")
    assert "Online training" in user.labels
    await user.say("/jezyk pl")
    assert "Język rozmowy: polski." in user.last_text
    assert "jaki rodzaj szkolenia wybiera Jan Lis" in user.last_text


async def test_plural_forms_follow_polish_grammar(harness: Harness) -> None:
    from bot.form import headcount_note
    from bot.i18n import CatalogI18n

    i18n = CatalogI18n()
    with i18n.context(), i18n.use_locale("pl"):
        assert "zatrudnia 1 osobę" in headcount_note(1)
        assert "zatrudnia 22 osoby" in headcount_note(22)
        assert "zatrudnia 45 osób" in headcount_note(45)
        assert "zgłasza się 1 uczestnik " in headcount_note(45)
        assert "zgłasza się 2 uczestników" in headcount_note(120)
        assert "zgłasza się 5 uczestników" in headcount_note(700)
    with i18n.context(), i18n.use_locale("en"):
        assert "employs 1 person" in headcount_note(1)
        assert "1 participant is registered" in headcount_note(45)
        assert "2 participants are registered" in headcount_note(120)

"""Moving around the form: edit from the summary, back, cancel, questions, restarts,
stale buttons, typed choices."""

from __future__ import annotations

import asyncio

from botsupport import NOWY_TARG, Harness, Office, User, fill_office, start_and_consent


async def _to_summary(user: User, office: Office = NOWY_TARG) -> None:
    await start_and_consent(user)
    await fill_office(user, office)
    await user.say("Jan Lis")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")
    assert user.last_text.startswith("Podsumowanie")


async def test_edit_one_field_from_the_summary_and_return(harness: Harness) -> None:
    user = harness.user(4001)
    await _to_summary(user)
    await user.tap("NIP")
    assert "Obecna odpowiedź: 123-456-32-18" in user.last_text
    assert "Bez zmian" in user.labels
    await user.say("526-025-02-74")
    assert user.last_text.startswith("Podsumowanie")
    assert "NIP: 526-025-02-74" in user.last_text
    await user.tap("Adres urzędu")
    await user.tap("Bez zmian")
    assert "Adres urzędu: ul. Rynek 1, 34-400 Nowy Targ" in user.last_text


async def test_a_larger_headcount_asks_only_for_the_new_participant(harness: Harness) -> None:
    user = harness.user(4002)
    await _to_summary(user)
    await user.tap("Liczba osób zatrudnionych")
    await user.say("120")
    # Pkt 12.1: two participants, one kind: the second follows the first (online).
    assert "Uczestnik nr 2: szkolenie online, ponieważ" in user.last_text
    assert "Uczestnik nr 2 z 2" in user.last_text
    await user.say("Ewa Zając")
    await user.tap("Kultura i rekreacja")
    assert user.last_text.startswith("Podsumowanie")
    assert "Uczestnicy (2 osoby):" in user.last_text
    assert "Jan Lis — szkolenie online, obszar: Edukacja" in user.last_text


async def test_a_smaller_headcount_keeps_the_extra_participant_with_consent(
    harness: Harness,
) -> None:
    user = harness.user(4003)
    await start_and_consent(user)
    await fill_office(user, Office("Zakopane", "Zakopane (gmina miejska", 120))
    for name in ("Jan Lis", "Ewa Zając"):
        await user.say(name)
        if name == "Jan Lis":
            await user.tap("Szkolenie online")
        await user.tap("Edukacja")
    await user.tap("Liczba osób zatrudnionych")
    await user.say("45")
    assert "1 uczestnik jest ponad wymaganą liczbę" in user.last_text
    await user.tap("Usuń uczestnika nr 2")
    assert "Uczestnicy (1 osoba):" in user.last_text


async def test_changing_the_first_kind_re_asks_what_no_longer_fits(harness: Harness) -> None:
    user = harness.user(4004)
    await start_and_consent(user)
    await fill_office(user, Office("Zakopane", "Zakopane (gmina miejska", 120))
    await user.say("Jan Lis")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")
    await user.say("Ewa Zając")
    await user.tap("Edukacja")
    await user.tap("Uczestnik 1: szkolenie")
    await user.tap("Szkolenie stacjonarne")
    await user.tap("Kultura i rekreacja")
    # The second must follow the first (pkt 12.1): kind and area set, and said why.
    assert "Uczestnik nr 2: szkolenie stacjonarne, ponieważ" in user.last_text
    assert "nie jest już dozwolony" not in user.last_text
    assert "Podsumowanie zgłoszenia" in user.last_text
    assert "Ewa Zając — szkolenie stacjonarne, obszar: Kultura i rekreacja" in user.last_text


async def test_back_goes_one_question_back_and_keeps_the_answer(harness: Harness) -> None:
    user = harness.user(4005)
    await start_and_consent(user)
    await user.say("nowy targ")
    await user.tap("Nowy Targ (gmina wiejska")
    await user.say("1234563218")
    await user.say("/wstecz")
    assert "Proszę podać NIP jst" in user.last_text
    assert "Obecna odpowiedź: 123-456-32-18" in user.last_text
    await user.tap("Bez zmian")
    assert "pełną nazwę urzędu" in user.last_text
    await user.say("/wstecz")
    await user.say("/wstecz")
    assert "Proszę wybrać swoją jst" in user.last_text or "Jakiej jednostki" in user.last_text
    await user.say("/wstecz")
    assert "To jest pierwsze pytanie formularza." in user.last_text


async def test_back_from_the_summary_and_outside_the_form(harness: Harness) -> None:
    user = harness.user(4006)
    await user.say("/wstecz")
    assert "Nie ma zgłoszenia w toku" in user.last_text
    await _to_summary(user)
    await user.say("/wstecz")
    assert "obszar tematyczny" in user.last_text


async def test_cancel_asks_first_then_forgets_the_draft(harness: Harness) -> None:
    user = harness.user(4007)
    await start_and_consent(user)
    await fill_office(user, NOWY_TARG)
    await user.say("/anuluj")
    assert "Czy na pewno anulować" in user.last_text
    await user.tap("Nie, wracam do zgłoszenia")
    assert "Uczestnik nr 1 z 1" in user.last_text
    await user.say("/anuluj")
    await user.say("tak")
    assert "Zgłoszenie anulowano" in user.last_text
    state, data = await user.state()
    assert state is None and "draft" not in data and data.get("consent_at")
    await user.say("/anuluj")
    assert "Nie ma zgłoszenia w toku" in user.last_text
    await user.say("/start")
    assert "Rozpoczynamy nowe zgłoszenie" in user.last_text


async def test_a_question_mid_form_is_answered_and_the_step_asked_again(
    harness: Harness,
) -> None:
    user = harness.user(4008)
    await start_and_consent(user)
    await user.say("nowy targ")
    await user.tap("Nowy Targ (gmina wiejska")
    await user.say("1234563218")
    await user.tap("Urząd Gminy Nowy Targ")
    await user.say("ul. Rynek 1, 34-400 Nowy Targ")
    state = await user.state()
    await user.say("Ile osób musimy zgłosić na szkolenia?")
    reply = user.last_text
    assert "grupa" in reply.lower() and "Wracamy do formularza:" in reply
    assert reply.rstrip().endswith("(zasady rekrutacji, pkt 10).")  # the headcount question
    assert await user.state() == state
    await user.say("/pytanie Kto organizuje szkolenia dla powiatów?")
    assert "ZPP" in user.last_text or "Związek Powiatów Polskich" in user.last_text
    await user.say("45")
    assert "grupa I" in user.last_text


async def test_a_question_at_the_cancel_confirmation_is_answered_not_taken(
    harness: Harness,
) -> None:
    """The form's router comes first; a question is still no answer to its asides."""
    user = harness.user(4012)
    await start_and_consent(user)
    await user.say("nowy targ")
    await user.say("/anuluj")
    state = await user.state()
    await user.say("Czy szkolenia są bezpłatne?")
    reply = user.last_text
    assert "Wracamy do formularza:" in reply and "Czy na pewno anulować" in reply
    assert "Proszę wybrać jedną z opcji" not in reply
    assert await user.state() == state
    await user.say("nie")
    assert "Proszę wybrać swoją jst z listy" in user.last_text


async def test_a_question_before_any_application(harness: Harness) -> None:
    user = harness.user(4009)
    await user.say("/pytanie")
    assert "Proszę napisać pytanie" in user.last_text
    await user.say("Czy szkolenia są bezpłatne?")
    assert user.last_text and "Wracamy" not in user.last_text


async def test_typed_numbers_and_labels_choose_buttons(harness: Harness) -> None:
    user = harness.user(4010)
    await user.say("/start")
    await user.say("1")  # Zgadzam się
    await user.say("nowy targ")
    await user.say("2")  # the second candidate: the gmina wiejska
    assert "kod TERYT 1211092" in user.last_text
    await user.say("1234563218")
    await user.say("1")  # the suggested office name
    assert "Urząd Gminy Nowy Targ" in user.transcript
    _state, data = await user.state()
    assert data["draft"]["office_name"] == "Urząd Gminy Nowy Targ"
    await user.say("ul. Rynek 1, 34-400 Nowy Targ")
    await user.say("1")  # a headcount of one person, not a button
    _state, data = await user.state()
    assert data["draft"]["employees"] == 1


async def test_restart_mid_conversation_continues_at_the_same_step(harness: Harness) -> None:
    user = harness.user(4011)
    await start_and_consent(user)
    await user.say("nowy targ")
    await user.tap("Nowy Targ (gmina wiejska")
    await user.say("1234563218")
    await user.tap("Urząd Gminy Nowy Targ")
    await user.say("ul. Rynek 1, 34-400 Nowy Targ")
    before = await user.state()
    await harness.restart()
    assert await user.state() == before
    await user.say("/start")
    assert "Witamy ponownie" in user.last_text and "Ile osób zatrudnia urząd" in user.last_text
    await user.say("45")
    await user.say("Anna Nowak")
    await user.say("601 234 567")
    await user.say("a@jst.example.pl")
    await user.say("Jan Lis")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")
    assert "NIP: 123-456-32-18" in user.last_text
    assert "Adres urzędu: ul. Rynek 1, 34-400 Nowy Targ" in user.last_text


async def test_a_button_from_before_a_restart_still_works_when_nothing_changed(
    harness: Harness,
) -> None:
    user = harness.user(4012)
    await start_and_consent(user)
    await user.say("nowy targ")
    candidates = user.keyboard_message()
    await harness.restart()
    await user.tap("Nowy Targ (gmina wiejska", candidates)
    assert "kod TERYT 1211092" in user.last_text


async def test_stale_and_double_tapped_buttons_change_nothing(harness: Harness) -> None:
    user = harness.user(4013)
    await start_and_consent(user)
    await user.say("nowy targ")
    candidates = user.keyboard_message()
    calls = await user.tap("Nowy Targ (gmina wiejska", candidates)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert "→ Nowy Targ (gmina wiejska" in calls[1].text
    state = await user.state()
    again = await user.tap("Nowy Targ (gmina miejska", candidates)  # the same message
    assert [c.method for c in again] == ["answerCallbackQuery"]
    assert "nieaktualny" in again[0].params["text"]
    assert await user.state() == state
    await user.tap("Zgadzam się", harness.server.sent(4013)[0])  # consent asked long ago
    assert await user.state() == state


async def test_sending_twice_makes_one_application(harness: Harness) -> None:
    user = harness.user(4014)
    await _to_summary(user)
    summary = user.keyboard_message()
    first = user.tap_update("Wyślij zgłoszenie", summary)
    second = user.tap_update("Wyślij zgłoszenie", summary)
    await asyncio.gather(user._feed(first), user._feed(second))
    assert len(await harness.registry.list_applications()) == 1
    notices = [c for c in harness.server.calls if c.method == "answerCallbackQuery"]
    assert any("nieaktualny" in str(c.params.get("text")) for c in notices)


async def test_photos_and_unknown_commands(harness: Harness) -> None:
    user = harness.user(4015)
    await start_and_consent(user)
    await user.send_photo()
    assert "Proszę odpowiedzieć tekstem." in user.last_text
    assert "Jakiej jednostki" in user.last_text
    await user.say("/nieznana")
    assert "Nie znam tej komendy" in user.last_text
    await user.say("/pomoc")
    assert "/usun_dane" in user.last_text
    assert (await user.state())[0] == "Form:jst"


async def test_declining_consent_stores_nothing(harness: Harness) -> None:
    user = harness.user(4016)
    await user.say("/start")
    await user.tap("Nie zgadzam się")
    assert "niczego nie zapisaliśmy" in user.last_text
    assert await user.state() == (None, {})
    await user.say("nowy targ")
    assert "/start" in user.last_text

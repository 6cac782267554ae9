"""Two chats racing for one JST; personal data shown and erased."""

from __future__ import annotations

import asyncio

from botsupport import NOWY_TARG, Harness, Office, User, fill_office, start_and_consent
from sqlalchemy import select

from registry.models import ConversationState


async def _to_summary(user: User, office: Office) -> None:
    await start_and_consent(user)
    await fill_office(user, office)
    await user.say("Jan Lis")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")


async def test_two_chats_racing_for_one_jst_make_one_application(harness: Harness) -> None:
    first, second = harness.user(5001), harness.user(5002)
    await _to_summary(first, NOWY_TARG)
    await _to_summary(second, Office("nowy targ", "Nowy Targ (gmina wiejska", 45, nip="5260250274"))
    await asyncio.gather(first.tap("Wyślij zgłoszenie"), second.tap("Wyślij zgłoszenie"))
    [application] = await harness.registry.list_applications()
    winner, loser = (first, second) if application.telegram_chat_id == 5001 else (second, first)
    assert "Zgłoszenie nr 1 zostało przyjęte" in winner.last_text
    assert "Zgłoszenie nie zostało wysłane" in loser.last_text
    assert "jest już zgłoszona na szkolenia (zgłoszenie nr 1)" in loser.last_text
    assert "Każda jst może zgłosić swoich pracowników tylko raz" in loser.last_text


async def test_my_data_shows_what_is_stored(harness: Harness) -> None:
    user = harness.user(5003)
    await user.say("/moje_dane")
    assert "Nie przechowujemy żadnych danych" in user.last_text
    await start_and_consent(user)
    await fill_office(user, NOWY_TARG)
    await user.say("/moje_dane")
    text = user.last_text
    assert "Zgoda na przetwarzanie danych: udzielona" in text
    assert "Osoba do kontaktu: Krystyna Testowa" in text
    assert "E-mail: sekretariat@jst.example.pl" in text


async def test_erase_deletes_the_conversation_and_keeps_the_application(
    harness: Harness,
) -> None:
    user = harness.user(5004)
    await _to_summary(user, NOWY_TARG)
    await user.tap("Wyślij zgłoszenie")
    await user.say("/usun_dane")
    assert "Złożone zgłoszenie (nr 1) pozostaje u organizatora" in user.last_text
    await user.tap("Nie usuwaj")
    assert "Nic nie usunęliśmy." in user.last_text
    assert (await user.state())[1].get("consent_at")
    await user.say("/usun_dane")
    await user.tap("Tak, usuń moje dane")
    assert "Usunęliśmy dane zapisane w tej rozmowie" in user.last_text
    assert "nie jest już powiązane z tą rozmową" in user.last_text
    assert await user.state() == (None, {})
    async with harness.registry.db.read() as session:
        rows = (await session.scalars(select(ConversationState.key))).all()
    assert not [key for key in rows if ":5004:" in key]
    [application] = await harness.registry.list_applications()
    assert application.telegram_chat_id is None  # kept, unlinked from the chat
    await user.say("/moje_dane")
    assert "Nie przechowujemy żadnych danych" in user.last_text


async def test_erase_mid_form_then_start_again_asks_consent(harness: Harness) -> None:
    user = harness.user(5005)
    await start_and_consent(user)
    await user.say("nowy targ")
    await user.say("/usun_dane")
    await user.say("tak")
    await user.say("/start")
    assert "Informacja o przetwarzaniu danych osobowych" in user.last_text


async def test_places_left_is_read_once_for_the_chats_asking_together(harness: Harness) -> None:
    """The free places shown at the JST step: one registry read for a surge of chats."""
    engine = harness.dispatcher["engine"]
    registry = harness.registry
    reads = 0
    current_stage = registry.current_stage

    async def counted():  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return await current_stage()

    registry.current_stage = counted  # type: ignore[method-assign]
    try:
        places = await asyncio.gather(*(engine.places_left() for _ in range(50)))
    finally:
        registry.current_stage = current_stage  # type: ignore[method-assign]
    assert reads == 1
    assert set(places) == {(await current_stage()).places_left}

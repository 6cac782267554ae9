"""A full registration for each kind of JST, over the fake Bot API."""

from __future__ import annotations

from botsupport import NOWY_TARG, Harness, Office, fill_office, start_and_consent

from rules.recruitment import Status


async def test_45_person_gmina_registers_one_online_participant_in_about_a_dozen_answers(
    harness: Harness,
) -> None:
    user = harness.user(1001)
    answers = 0

    async def say(text: str) -> None:
        nonlocal answers
        answers += 1
        await user.say(text)

    async def tap(label: str) -> None:
        nonlocal answers
        answers += 1
        await user.tap(label)

    await say("/start")
    assert "Informacja o przetwarzaniu danych osobowych" in user.last_text
    assert "PUODO" in user.last_text and "/usun_dane" in user.last_text
    await tap("Zgadzam się")
    await say("nowy targ")
    assert user.labels == [
        "Nowy Targ (gmina miejska, powiat nowotarski)",
        "Nowy Targ (gmina wiejska, powiat nowotarski)",
        "powiat nowotarski (województwo małopolskie)",
    ]
    await tap("Nowy Targ (gmina wiejska")
    assert "Organizator szkoleń: Związek Miast Polskich (ZMP)" in user.last_text
    assert "kod TERYT 1211092" in user.last_text
    await say("123-456-32-18")
    assert user.labels == ["Urząd Gminy Nowy Targ"]
    await tap("Urząd Gminy Nowy Targ")
    await say("ul. Rynek 1, 34-400 Nowy Targ")
    await say("45")
    assert "Urząd zatrudnia 45 osób — grupa I." in user.last_text
    assert "Na szkolenia zgłasza się 1 uczestnik" in user.last_text
    await say("Anna Przykładowa")
    await say("601 234 567")
    await say("sekretariat@nowytarg.example.pl")
    await say("Jan Próbny")
    await tap("Szkolenie online")
    await tap("Edukacja")
    assert user.last_text.startswith("Podsumowanie zgłoszenia")
    assert "Uczestnicy (1 osoba):" in user.last_text
    await tap("Wyślij zgłoszenie")
    assert "Zgłoszenie nr 1 zostało przyjęte" in user.last_text
    assert "sekretariat@nowytarg.example.pl" in user.last_text
    assert "umowę uczestnictwa" in user.last_text
    assert answers <= 15

    [application] = await harness.registry.list_applications()
    assert application.status is Status.QUALIFIED
    assert application.telegram_chat_id == 1001 and application.channel == "telegram"
    assert application.document == {
        "jst": {
            "name": "Nowy Targ",
            "kind": "gmina_wiejska",
            "teryt": "1211092",
            "nip": "1234563218",
            "powiat": "nowotarski",
            "office_name": "Urząd Gminy Nowy Targ",
            "office_address": "ul. Rynek 1, 34-400 Nowy Targ",
        },
        "employees": 45,
        "contact": {
            "name": "Anna Przykładowa",
            "phone": "+48601234567",
            "email": "sekretariat@nowytarg.example.pl",
        },
        "participants": [{"name": "Jan Próbny", "training": "online", "area": "edukacja"}],
        "organizer_consent": False,
    }


async def test_gmina_miejska_of_120_sends_two_to_one_stationary_area(harness: Harness) -> None:
    user = harness.user(1002)
    await start_and_consent(user)
    await fill_office(user, Office("Zakopane", "Zakopane (gmina miejska", 120, nip="5260250274"))
    assert "Na szkolenia zgłasza się 2 uczestników" in user.transcript
    await user.say("Anna Nowak")
    assert user.labels == ["Szkolenie online", "Szkolenie stacjonarne"]
    assert "Przy 1 lub 2 uczestnikach" in user.last_text
    await user.tap("Szkolenie stacjonarne")
    assert "wspólny dla wszystkich uczestników szkoleń stacjonarnych" in user.last_text
    await user.tap("Kultura i rekreacja")
    # Pkt 12.1: the second follows the first, in the same area; nothing left to ask but
    # the name, and the message says why.
    assert "Uczestnik nr 2: szkolenie stacjonarne, ponieważ przy 1 lub 2" in user.last_text
    assert "Uczestnik nr 2: obszar „Kultura i rekreacja”" in user.last_text
    await user.say("Piotr Wiśniewski")
    assert user.last_text.startswith("Podsumowanie")
    await user.tap("Wyślij zgłoszenie")
    [application] = await harness.registry.list_applications()
    assert application.kind == "gmina_miejska" and application.organizer == "ZMP"
    assert [p["training"] for p in application.document["participants"]] == ["stationary"] * 2
    assert {p["area"] for p in application.document["participants"]} == {"kultura_rekreacja"}


async def test_gmina_miejsko_wiejska_of_250_at_most_two_stationary(harness: Harness) -> None:
    user = harness.user(1003)
    await start_and_consent(user)
    await fill_office(
        user, Office("Wieliczka", "Wieliczka (gmina miejsko-wiejska", 250, nip="7251801126")
    )
    assert "Na szkolenia zgłasza się 3 uczestników" in user.transcript
    await user.say("Anna Nowak")
    assert "najwyżej 2 osoby" in user.last_text
    await user.tap("Szkolenie stacjonarne")
    await user.tap("Ochrona środowiska")
    await user.say("Piotr Wiśniewski")
    await user.tap("Szkolenie stacjonarne")
    assert "Uczestnik nr 2: obszar „Ochrona środowiska”" in user.last_text
    await user.say("Ewa Zając")
    assert "Uczestnik nr 3: szkolenie online, ponieważ na szkolenia stacjonarne" in (
        user.transcript
    )
    assert "Geodezja i kartografia" in user.labels  # online: any area
    await user.tap("Geodezja i kartografia")
    await user.tap("Wyślij zgłoszenie")
    [application] = await harness.registry.list_applications()
    trainings = [(p["training"], p["area"]) for p in application.document["participants"]]
    assert trainings == [
        ("stationary", "ochrona_srodowiska"),
        ("stationary", "ochrona_srodowiska"),
        ("online", "geodezja_kartografia"),
    ]


async def test_miasto_na_prawach_powiatu_of_700_registers_five_with_zpp(harness: Harness) -> None:
    user = harness.user(1004)
    await start_and_consent(user)
    await fill_office(
        user, Office("Kraków", "Kraków (miasto na prawach powiatu", 700, nip="5272525995")
    )
    assert "grupa V" in user.transcript and "5 uczestników" in user.transcript
    for number, name in enumerate(
        ["Anna Nowak", "Jan Lis", "Ewa Zając", "Adam Wójcik", "Zofia Maj"]
    ):
        await user.say(name)
        if number < 2:
            await user.tap("Szkolenie online")
            await user.tap("Edukacja")
        elif number == 2:
            await user.say("stacjonarne")  # a button's word, typed
            await user.say("4")  # a button's number: Drogownictwo i transport
        elif number == 3:
            await user.tap("Szkolenie stacjonarne")  # its area follows the first
        else:
            await user.tap("Podatki i opłaty lokalne")  # online follows from pkt 12.2
    assert "Uczestnicy (5 osób):" in user.last_text
    await user.tap("Wyślij zgłoszenie")
    [application] = await harness.registry.list_applications()
    assert application.organizer == "ZPP" and application.kind == "miasto_na_prawach_powiatu"
    assert [p["area"] for p in application.document["participants"]] == [
        "edukacja",
        "edukacja",
        "drogownictwo_transport",
        "drogownictwo_transport",
        "podatki_oplaty",
    ]


async def test_powiat_adds_a_participant_with_the_organisers_consent(harness: Harness) -> None:
    user = harness.user(1005)
    await start_and_consent(user)
    await fill_office(user, Office("powiat wielicki", "powiat wielicki", 400, nip="6793108059"))
    # The office of a powiat is named after its seat, in the locative.
    assert "Proponujemy: „Starostwo Powiatowe w Wieliczce”" in user.transcript
    for name in ["Anna Nowak", "Jan Lis", "Ewa Zając", "Adam Wójcik"]:
        await user.say(name)
        await user.tap("Szkolenie online")
        await user.tap("Edukacja")
    await user.tap("Dodaj uczestnika")
    assert "Uczestnik nr 5 (dodatkowy, za zgodą organizatora)" in user.last_text
    await user.say("Zofia Maj")
    await user.tap("Szkolenie online")
    await user.tap("Edukacja")
    assert "(za zgodą organizatora)" in user.last_text
    assert "Usuń uczestnika nr 5" in user.labels
    await user.tap("Wyślij zgłoszenie")
    assert "1 dodatkowy uczestnik czeka na zgodę organizatora" in user.last_text
    [application] = await harness.registry.list_applications()
    assert application.consent_pending and application.document["organizer_consent"] is True
    assert len(application.document["participants"]) == 5
    assert application.organizer == "ZPP" and application.teryt == "1219"
    assert application.document["jst"]["office_name"] == "Starostwo Powiatowe w Wieliczce"


async def test_reserve_list_when_the_stage_is_full(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from botsupport import harness_on

    async with harness_on(tmp_path, capacity=1) as harness:
        first, second = harness.user(2001), harness.user(2002)
        for user, office in (
            (first, NOWY_TARG),
            (second, Office("Zakopane", "Zakopane (gmina miejska", 45, nip="5260250274")),
        ):
            await start_and_consent(user)
            await fill_office(user, office)
            await user.say("Anna Nowak")
            await user.tap("Szkolenie online")
            await user.tap("Edukacja")
            await user.tap("Wyślij zgłoszenie")
        assert "zakwalifikowana" in first.last_text
        assert "na liście rezerwowej na pozycji 1" in second.last_text
        await second.say("/status")
        assert "lista rezerwowa" in second.last_text
        assert "Pozycja na liście rezerwowej: 1." in second.last_text


def test_the_suggested_office_names() -> None:
    from bot.form import jst_record, office_suggestion
    from rules.register import JstKind, load_register

    register = load_register()

    def suggested(teryt: str) -> str | None:
        entry = register.get(teryt)
        assert entry is not None
        return office_suggestion(jst_record(entry))

    assert suggested("1211011") == "Urząd Miasta Nowy Targ"
    assert suggested("1211092") == "Urząd Gminy Nowy Targ"
    assert suggested("1219043") == "Urząd Miasta i Gminy Niepołomice"
    assert suggested("1261011") == "Urząd Miasta Kraków"
    # A powiat's office by the town it is in, two-word powiaty too (not "Starostwo
    # Powiatu Łódzki wschodniego", as it once was).
    assert suggested("1217") == "Starostwo Powiatowe w Zakopanem"
    assert suggested("1006") == "Starostwo Powiatowe w Łodzi"
    assert suggested("1432") == "Starostwo Powiatowe w Ożarowie Mazowieckim"
    for powiat in (e for e in register if e.kind is JstKind.POWIAT):
        assert suggested(powiat.teryt) == f"Starostwo Powiatowe {powiat.in_seat}"

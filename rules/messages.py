"""Polish message ids for every violation code (Polish is the source language).

Pure data: the edge (`locales.describe`) translates an id through the catalogs in
`locales/` and fills in the violation's parameters. A message is keyed by its code, or by
"code:variant" when the violation carries a `variant` parameter.
"""

from __future__ import annotations

from rules._marker import N_, Np_

MESSAGES: dict[str, str] = {
    "nip_invalid": N_(
        "NIP „{value}” jest nieprawidłowy. Proszę wpisać 10 cyfr NIP urzędu "
        "(myślniki i spacje są dozwolone) i sprawdzić, czy nie ma w nim literówki."
    ),
    "employees_invalid": N_(
        "Liczba pracowników urzędu musi być liczbą całkowitą większą od zera: liczbą osób "
        "zatrudnionych, a nie etatów (np. 120)."
    ),
    "participants_too_few": N_(
        "Liczba pracowników urzędu: {employees} (grupa {group}). Wymagana liczba "
        "uczestników: {required}, w zgłoszeniu: {given}. Proszę dodać brakujących "
        "uczestników (zasady rekrutacji, pkt 10)."
    ),
    "participants_too_many": N_(
        "Liczba pracowników urzędu: {employees} (grupa {group}). Wymagana liczba "
        "uczestników: {required}, w zgłoszeniu: {given}. Więcej uczestników można zgłosić "
        "tylko w uzasadnionych przypadkach, za zgodą organizatora szkoleń (pkt 11). Proszę "
        "usunąć nadmiarowe osoby albo zaznaczyć zgodę organizatora."
    ),
    "participants_too_many:employees": N_(
        "W zgłoszeniu jest więcej uczestników ({given}) niż pracowników urzędu "
        "({employees}). Proszę sprawdzić liczbę pracowników i listę uczestników."
    ),
    "mixed_training_small": N_(
        "Jeśli zgłaszają Państwo 1 lub 2 uczestników, wszyscy muszą być zgłoszeni na ten sam "
        "rodzaj szkolenia: wszyscy online albo wszyscy stacjonarnie w jednym obszarze "
        "tematycznym (zasady rekrutacji, pkt 12 ppkt 1). Proszę zmienić rodzaj szkolenia "
        "jednego z uczestników."
    ),
    "stationary_too_many": N_(
        "Na szkolenia stacjonarne jst może zgłosić najwyżej {allowed} osoby, a w zgłoszeniu "
        "jest ich {given}. Pozostałych uczestników proszę zgłosić na szkolenia online "
        "(zasady rekrutacji, pkt 12 ppkt 2)."
    ),
    "stationary_areas_differ": N_(
        "Wszyscy uczestnicy szkoleń stacjonarnych z jednej jst muszą mieć ten sam obszar "
        "tematyczny (zasady rekrutacji, pkt 12 i pkt 13 ppkt 4). Proszę wybrać jeden obszar "
        "dla szkoleń stacjonarnych."
    ),
    "area_missing": N_(
        "Uczestnik nr {index}: proszę wybrać obszar tematyczny szkolenia (jeden z dziewięciu "
        "obszarów SMUP)."
    ),
    "area_unknown": N_(
        "Uczestnik nr {index}: nie ma obszaru tematycznego „{value}”. Proszę wybrać jeden z "
        "obszarów SMUP: {areas}."
    ),
    "training_unknown": N_(
        "Uczestnik nr {index}: nieznany rodzaj szkolenia „{value}”. Proszę wybrać szkolenie "
        "online albo stacjonarne."
    ),
    "pilot_jst": N_(
        "Ta jst brała udział w pilotażu projektu, dlatego nie może zgłosić się na szkolenia "
        "(informacje podstawowe, pkt 3). W razie pytań prosimy o kontakt z organizatorem "
        "({organizer})."
    ),
    "already_registered": N_(
        "Ta jst jest już zgłoszona na szkolenia. Każda jst może zgłosić swoich pracowników "
        "tylko raz (informacje podstawowe, pkt 2). W sprawie zmian prosimy o kontakt "
        "z organizatorem ({organizer})."
    ),
    "already_registered:number": N_(
        "Ta jst jest już zgłoszona na szkolenia (zgłoszenie nr {number}). Każda jst może "
        "zgłosić swoich pracowników tylko raz (informacje podstawowe, pkt 2). W sprawie "
        "zmian prosimy o kontakt z organizatorem ({organizer})."
    ),
    "recruitment_closed": N_(
        "Rekrutacja jest teraz zamknięta. Kolejne etapy ogłaszają organizatorzy na stronie "
        "projektu; prosimy wtedy wrócić do zgłoszenia."
    ),
    "recruitment_closed:next": N_(
        "Rekrutacja jest teraz zamknięta. Kolejny etap rozpocznie się {opens}; prosimy wtedy "
        "wrócić do zgłoszenia."
    ),
    "recruitment_closed:reserve_only": N_(
        "Trwający etap rekrutacji jest przeznaczony wyłącznie dla jst z listy rezerwowej "
        "(zasady rekrutacji, pkt 6). Nowe zgłoszenia będzie można złożyć w kolejnym etapie."
    ),
    "field_missing": N_("Brak wymaganej informacji: {field}. Proszę ją uzupełnić."),
    "jst_kind_unknown": N_(
        "Nieznany rodzaj jst „{value}”. Proszę wybrać: gmina miejska, gmina wiejska, gmina "
        "miejsko-wiejska, miasto na prawach powiatu albo powiat."
    ),
    "teryt_invalid": N_(
        "Kod TERYT „{value}” jest nieprawidłowy: gmina i miasto na prawach powiatu mają kod "
        "7-cyfrowy, powiat 4-cyfrowy."
    ),
    "teryt_invalid:unknown": N_(
        "Kodu TERYT „{value}” nie ma w rejestrze jednostek. Proszę sprawdzić kod albo wybrać "
        "jst z listy."
    ),
    "teryt_invalid:kind_mismatch": N_(
        "Kod TERYT „{value}” należy do jst innego rodzaju niż podany. Proszę sprawdzić rodzaj "
        "jst albo kod."
    ),
    "postal_code_invalid": N_(
        "Adres urzędu musi zawierać kod pocztowy w formacie NN-NNN i miejscowość, "
        "np. „ul. Rynek 1, 00-950 Warszawa”."
    ),
    "phone_invalid": N_(
        "Numer telefonu „{value}” jest nieprawidłowy. Proszę podać 9-cyfrowy numer "
        "komórkowy albo stacjonarny (z numerem kierunkowym); numer wewnętrzny można dopisać "
        "po „wew.”, np. 12 345 67 89 wew. 21."
    ),
    "email_invalid": N_(
        "Adres e-mail „{value}” jest nieprawidłowy. Proszę sprawdzić, czy ma znak @ "
        "i domenę, np. sekretariat@gmina.pl."
    ),
    "person_name_invalid": N_(
        "„{value}” nie wygląda na imię i nazwisko. Proszę wpisać imię i nazwisko, "
        "np. Anna Kowalska."
    ),
    "participant_duplicate": N_(
        "Uczestnik nr {index} („{value}”) powtarza się w zgłoszeniu. Każdą osobę zgłasza się "
        "tylko raz."
    ),
    "stage_capacity_invalid": N_("Liczba miejsc w etapie musi być dodatnia (podano: {value})."),
    "stage_overlap": N_(
        "Etap nakłada się na inny etap rekrutacji ({opens} – {closes}). Etapy nie mogą "
        "trwać jednocześnie."
    ),
}

# Messages whose wording depends on a number: (singular, plural, the parameter counted).
# Polish has three forms; the catalog in locales/pl holds all of them.
PLURAL_MESSAGES: dict[str, tuple[tuple[str, str], str]] = {
    "stage_too_short": (
        Np_(
            "Nabór w etapie rekrutacji trwa co najmniej 30 dni (zasady rekrutacji, pkt 3), "
            "a podany etap trwałby {days} dzień.",
            "Nabór w etapie rekrutacji trwa co najmniej 30 dni (zasady rekrutacji, pkt 3), "
            "a podany etap trwałby {days} dni.",
        ),
        "days",
    ),
}

# The document fields, named the way the form (pkt 13) names them.
FIELD_LABELS: dict[str, str] = {
    "jst": N_("dane jst"),
    "jst.name": N_("nazwa jst"),
    "jst.kind": N_("rodzaj jst"),
    "jst.teryt": N_("kod TERYT jst"),
    "jst.nip": N_("NIP jst"),
    "jst.powiat": N_("powiat"),
    "jst.office_name": N_("nazwa urzędu"),
    "jst.office_address": N_("adres urzędu"),
    "employees": N_("liczba osób zatrudnionych w urzędzie"),
    "contact": N_("osoba do kontaktu"),
    "contact.name": N_("imię i nazwisko osoby do kontaktu"),
    "contact.phone": N_("numer telefonu osoby do kontaktu"),
    "contact.email": N_("adres e-mail osoby do kontaktu"),
    "participants": N_("uczestnicy szkoleń"),
    "participant.name": N_("imię i nazwisko uczestnika"),
    "participant.training": N_("rodzaj szkolenia uczestnika"),
}


# How dates in messages are written (a Babel pattern, itself translated).
DATETIME_PATTERN = N_("d MMMM y 'r., godz.' HH:mm")


def message_key(code: str, variant: str | None) -> str:
    key = f"{code}:{variant}" if variant else code
    return key if key in MESSAGES or key in PLURAL_MESSAGES else code

"""Reply extraction for every Polish client style, line by line."""

from __future__ import annotations

import pytest

from mail_gateway.reply import LineKind, classify_lines, extract_reply

REPLY = "Potwierdzamy udział.\nAnna Nowakowska"
HISTORY = "Dzień dobry,\nprosimy o potwierdzenie udziału.\nCzy potwierdzają Państwo udział?"
QUOTED = "\n".join(f"> {line}" for line in HISTORY.splitlines())
ADDRESS = "SMUP – zgłoszenia <zgloszenia+k7q2m9x4@smup.example.pl>"

# (client, what the client puts between the reply and the history)
MARKERS = {
    "gmail_web": f"pt., 11 mar 2022 o 10:15 {ADDRESS} napisał(a):\n\n{QUOTED}",
    "gmail_web_wrapped": (
        f"pt., 11 mar 2022 o 10:15 SMUP – zgłoszenia <\nzgloszenia+k7q2m9x4@smup.example.pl>"
        f" napisał(a):\n\n{QUOTED}"
    ),
    "gmail_web_wrapped_verb": f"pt., 11 mar 2022 o 10:15 {ADDRESS}\nnapisał(a):\n\n{QUOTED}",
    "gmail_android": f"sob., 12 mar 2022, 09:41 użytkownik {ADDRESS} napisał:\n\n{QUOTED}",
    "gmail_old": f"W dniu 12 marca 2022 10:15 użytkownik {ADDRESS} napisał:\n{QUOTED}",
    "outlook_pl": (
        f"Od: {ADDRESS}\nWysłano: piątek, 11 marca 2022 10:15\nDo: Anna Nowakowska\n"
        f"Temat: Potwierdzenie udziału\n\n{HISTORY}"
    ),
    "outlook_new_pl": (
        f"Od: {ADDRESS}\nWysłane: piątek, 11 marca 2022 10:15\nDo: Anna Nowakowska\n"
        f"DW: Sekretariat\nTemat: Potwierdzenie udziału\n\n{HISTORY}"
    ),
    "outlook_en": (
        f"From: {ADDRESS}\nSent: Friday, March 11, 2022 10:15 AM\nTo: Anna Nowakowska\n"
        f"Subject: Potwierdzenie udziału\n\n{HISTORY}"
    ),
    "outlook_html_bold": (
        f"*Od:* {ADDRESS}\n*Wysłano:* piątek, 11 marca 2022 10:15\n*Temat:* Potwierdzenie\n\n"
        f"{HISTORY}"
    ),
    "wiadomosc_oryginalna": (
        f"-----Wiadomość oryginalna-----\nOd: {ADDRESS}\nWysłano: piątek\n\n{HISTORY}"
    ),
    "original_message": f"-----Original Message-----\nFrom: {ADDRESS}\nSent: Friday\n\n{HISTORY}",
    "zimbra": f"----- Oryginalna wiadomość -----\nOd: {ADDRESS}\n\n{HISTORY}",
    "underscore": f"________________________________\nOd: {ADDRESS}\nWysłane: piątek\n\n{HISTORY}",
    "html_hr": f"* * *\n\nOd: {ADDRESS}\nWysłane: piątek\n\n{HISTORY}",
    "thunderbird": f"W dniu 12.03.2022 o 10:15, SMUP – zgłoszenia pisze:\n{QUOTED}",
    "thunderbird_address": f"W dniu 12.03.2022 o 10:15, {ADDRESS} pisze:\n{QUOTED}",
    "apple_mail": (
        f"Wiadomość napisana przez {ADDRESS} w dniu 12.03.2022, o godz. 10:15:\n\n{QUOTED}"
    ),
    "ios": f"Dnia 12 mar 2022 o godz. 10:15 {ADDRESS} napisał(a):\n\n{QUOTED}",
    "onet": f"Dnia 12 marca 2022 10:15 {ADDRESS} napisał(a):\n\n{QUOTED}",
    "wp": (
        f"Temat: Potwierdzenie\nNadawca: {ADDRESS}\nAdresat: ug@zielonka.example.pl\n"
        f"Data: Sob, 12 Mar 2022 10:15\n\n{HISTORY}"
    ),
    "iphone_footer": (
        f"Wysłane z iPhone'a\n\nDnia 12 mar 2022 o godz. 10:15 {ADDRESS} napisał(a):\n\n{QUOTED}"
    ),
    "windows_mail_footer": (
        f"Wysłano z aplikacji Poczta dla Windows\n\nOd: {ADDRESS}\nWysłano: piątek\n"
        f"Do: ug@zielonka.example.pl\nTemat: Potwierdzenie\n\n{HISTORY}"
    ),
    "samsung_footer": (
        f"Wysłane z mojego smartfona Samsung Galaxy\n\n-------- Oryginalna wiadomość --------\n"
        f"Od: {ADDRESS}\nData: 12.03.2022 10:15 (GMT+01:00)\n\n{HISTORY}"
    ),
    "sent_from_my_iphone": (
        f"Sent from my iPhone\n\nOn 12 Mar 2022, at 10:15, {ADDRESS} wrote:\n\n{QUOTED}"
    ),
    "signature": (
        f"-- \nAnna Nowakowska\nUrząd Gminy Zielonka Dolna\n\n"
        f"W dniu 12.03.2022 o 10:15, SMUP pisze:\n{QUOTED}"
    ),
}


@pytest.mark.parametrize("client", sorted(MARKERS))
def test_reply_above_history_of_each_client(client: str) -> None:
    assert extract_reply(f"{REPLY}\n\n{MARKERS[client]}\n") == REPLY


@pytest.mark.parametrize("client", sorted(MARKERS))
def test_reply_right_above_history_without_blank_line(client: str) -> None:
    assert extract_reply(f"{REPLY}\n{MARKERS[client]}\n") == REPLY


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"pt., 11 mar 2022 o 10:15 {ADDRESS} napisał(a):", LineKind.ATTRIBUTION),
        ("W dniu 12.03.2022 o 10:15, Jan Kowalski pisze:", LineKind.ATTRIBUTION),
        (
            "Wiadomość napisana przez Jan Kowalski <jan@x.pl> w dniu 12.03.2022, o godz. 10:15:",
            LineKind.ATTRIBUTION,
        ),
        (
            "Dnia 12 mar 2022 o godz. 10:15 Jan Kowalski <jan@x.pl> napisał(a):",
            LineKind.ATTRIBUTION,
        ),
        ("-----Wiadomość oryginalna-----", LineKind.DELIMITER),
        ("-----Original Message-----", LineKind.DELIMITER),
        ("________________________________", LineKind.DELIMITER),
        ("---------- Forwarded message ---------", LineKind.FORWARD),
        ("-------- Przekazana wiadomość --------", LineKind.FORWARD),
        ("Wysłane z iPhone'a", LineKind.FOOTER),
        ("Wysłano z aplikacji Poczta dla Windows", LineKind.FOOTER),
        ("Wysłane z mojego smartfona Samsung Galaxy", LineKind.FOOTER),
        ("Sent from my iPhone", LineKind.FOOTER),
        ("-- ", LineKind.SIGNATURE),
        ("> cytat", LineKind.QUOTE),
        ("", LineKind.EMPTY),
    ],
)
def test_line_kinds(line: str, kind: LineKind) -> None:
    assert classify_lines(line)[0].kind is kind


@pytest.mark.parametrize(
    "line",
    [
        "Wysłano z urzędu pismo w dniu 12 marca.",  # "Wysłano z" without a device
        "Do: piątku odeślemy umowę.",  # one header-like line is not a header block
        "W dniu 12 marca będziemy w Warszawie.",  # a date, but no "pisze:"
        "Jak Pan napisał, prześlemy umowę.",  # "napisał" mid-sentence
        "Umowa - podpisana - w załączeniu",  # dashes inside text
    ],
)
def test_ordinary_sentences_stay_text(line: str) -> None:
    assert classify_lines(line)[0].kind is LineKind.TEXT
    assert extract_reply(f"{line}\nDalszy ciąg odpowiedzi.") == f"{line}\nDalszy ciąg odpowiedzi."


def test_wrapped_attribution_is_one_block() -> None:
    kinds = [
        line.kind
        for line in classify_lines(
            "Tak.\n\npt., 11 mar 2022 o 10:15 SMUP <\nzgloszenia+k@smup.example.pl> napisał(a):\n"
        )
    ]
    assert kinds == [
        LineKind.TEXT,
        LineKind.EMPTY,
        LineKind.ATTRIBUTION,
        LineKind.ATTRIBUTION,
        LineKind.EMPTY,
    ]


def test_text_line_above_wrapped_attribution_is_not_swallowed() -> None:
    text = (
        "Do 12 marca prześlemy umowę\n"
        "pt., 11 mar 2022 o 10:15 SMUP <zgloszenia+k@smup.example.pl>\nnapisał(a):\n> Historia"
    )
    assert extract_reply(text) == "Do 12 marca prześlemy umowę"


def test_our_history_is_never_the_reply_when_the_reply_is_empty() -> None:
    assert extract_reply(f"Wysłane z iPhone'a\n\n{MARKERS['outlook_pl']}") == ""
    assert extract_reply(f"Dnia 12 mar 2022 o godz. 10:15 {ADDRESS} napisał(a):\n\n{HISTORY}") == ""


def test_bottom_posted_reply_under_thunderbird_quote() -> None:
    text = f"W dniu 12.03.2022 o 10:15, SMUP pisze:\n{QUOTED}\n\nPotwierdzam.\n"
    assert extract_reply(text) == "Potwierdzam."


def test_inline_answers_keep_the_quote_for_context() -> None:
    text = (
        "Dzień dobry,\n\nW dniu 12.03.2022 o 10:15, SMUP pisze:\n> Forma szkolenia?\n"
        "Online.\n> Liczba osób?\nTrzy.\n"
    )
    assert (
        extract_reply(text) == "Dzień dobry,\n\n> Forma szkolenia?\nOnline.\n> Liczba osób?\nTrzy."
    )


def test_signature_after_sign_off_and_name_is_dropped() -> None:
    text = (
        "Potwierdzamy.\n\nZ poważaniem\nJan Kowalski\n\nKlauzula RODO: administratorem danych "
        "jest Wójt Gminy. Czy musisz drukować tę wiadomość?"
    )
    assert extract_reply(text) == "Potwierdzamy.\n\nZ poważaniem\nJan Kowalski"


def test_crlf_line_endings() -> None:
    assert extract_reply("Tak.\r\n\r\n-----Original Message-----\r\nFrom: x\r\n") == "Tak."

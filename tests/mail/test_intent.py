"""Intents of incoming mail, read from the extracted reply only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mail_gateway.intent import Intent, classify
from mail_gateway.parse import Attachment, ParsedMessage, parse_message
from mail_gateway.pipeline import read_body, read_message

QUOTED_OURS = (
    "\n\npt., 11 mar 2022 o 10:15 SMUP – zgłoszenia <zgloszenia+k7q2m9x4@smup.example.pl> "
    "napisał(a):\n> Prosimy potwierdzić udział albo napisać „rezygnujemy”.\n"
    "> Czy potwierdzają Państwo udział? Potwierdzam / rezygnujemy.\n"
)


def intent_of(text: str) -> Intent:
    return read_body(text + QUOTED_OURS).intent.intent


@pytest.mark.parametrize(
    "text",
    [
        "Potwierdzam.",
        "Potwierdzamy udział.",
        "Tak, potwierdzam",
        "ok potwierdzam",
        "OK, potwierdzamy udzial",  # without Polish letters
        "POTWIERDZAMY UDZIAL GMINY",
        "Dzień dobry, niniejszym potwierdzam udział trzech pracowników.",
        "Uprzejmie potwierdzam",
        "Chcielibyśmy potwierdzić udział w szkoleniu.",
        "Chcielibysmy potwierdzic udzial.",
        "Weźmiemy udział.",
        "Wezmiemy udzial",
        "Nie, nie mamy pytań – potwierdzamy.",
        "Potwierdzenie udziału.",
        "Potwierdziłam już w poprzednim mailu.",
    ],
)
def test_confirm(text: str) -> None:
    assert intent_of(text) is Intent.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "Nie potwierdzam.",
        "Nie możemy potwierdzić udziału.",
        "Nie mozemy potwierdzic udzialu",
        "Jeszcze nie potwierdzamy, decyzja w piątek.",
        "jeszcze nie potwierdzamy",
        "Niestety nie jesteśmy w stanie potwierdzić.",
        "Potwierdzimy w przyszłym tygodniu.",
        "Potwierdzę do piątku.",
        "Nie chcemy jeszcze potwierdzać.",
    ],
)
def test_negated_or_future_confirmation_is_not_confirm(text: str) -> None:
    assert intent_of(text) is not Intent.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "Rezygnujemy.",
        "Rezygnujemy z udziału w szkoleniu.",
        "Gmina rezygnuje ze szkolenia.",
        "Rezygnacja.",
        "Niestety rezygnujemy.",
        "Wycofujemy zgłoszenie.",
        "Wycofujemy zgloszenie",  # without Polish letters
        "Nie weźmiemy udziału.",
        "Nie wezmiemy udzialu",
        "Niestety nie będziemy uczestniczyć w szkoleniu.",
        "Nie możemy wziąć udziału w szkoleniu.",
        "Prosimy o anulowanie naszego zgłoszenia.",
        "Nie, rezygnujemy.",
        "Potwierdzam rezygnację z udziału.",
        "REZYGNUJEMY",
    ],
)
def test_withdraw(text: str) -> None:
    assert intent_of(text) is Intent.WITHDRAW


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Nie rezygnujemy, potwierdzamy udział.", Intent.CONFIRM),
        ("Czy możemy jeszcze zrezygnować?", Intent.QUESTION),
        ("Rezygnujemy z udziału jednego pracownika, w jego miejsce zgłosimy innego.", Intent.OTHER),
        ("Pani Ewa rezygnuje, zgłaszamy zamiast niej pana Jana.", Intent.OTHER),
    ],
)
def test_withdraw_look_alikes(text: str, intent: Intent) -> None:
    assert intent_of(text) is intent


@pytest.mark.parametrize(
    "text",
    [
        "Czy szkolenie będzie online?",
        "Do kiedy trzeba odesłać umowę",
        "Jak mamy podpisać umowę",
        "Kiedy rozpocznie się szkolenie",
        "Gdzie odbędzie się szkolenie stacjonarne",
        "Ile osób może wziąć udział",
        "Dlaczego nie ma nas na liście",
        "czy mozna zmienic forme szkolenia",  # without Polish letters
        "Proszę o informację, jaki jest termin szkolenia.",
        "Mam pytanie dotyczące umowy.",
        "A jaki termin?",
    ],
)
def test_question(text: str) -> None:
    assert intent_of(text) is Intent.QUESTION


@pytest.mark.parametrize(
    "text", ["Dziękuję za informację.", "Przyjęłam.", "Nie mamy pytania.", "Tak", ""]
)
def test_other(text: str) -> None:
    assert intent_of(text) is Intent.OTHER


def test_confirmation_with_a_question_reports_both() -> None:
    result = read_body("Potwierdzamy udział. Czy szkolenie będzie online?").intent
    assert result.intent is Intent.CONFIRM
    assert result.also == (Intent.QUESTION,)


def test_quoted_history_is_never_read() -> None:
    # Our e-mail says "potwierdzam" and "rezygnujemy" and asks a question; the reply is empty.
    assert intent_of("") is Intent.OTHER
    assert read_body(QUOTED_OURS.strip()).intent.intent is Intent.OTHER


def test_inline_quote_inside_the_reply_is_not_read() -> None:
    text = "Dzień dobry,\n\nW dniu 12.03.2022 o 10:15, SMUP pisze:\n> Czy rezygnujecie?\nNie.\n"
    result = read_body(text)
    assert "> Czy rezygnujecie?" in result.reply_text
    assert result.intent.intent is Intent.OTHER


def test_url_query_is_not_a_question() -> None:
    assert intent_of("Formularz: https://gmina.example.pl/form?id=12") is Intent.OTHER


# --- attachments -----------------------------------------------------------------------------

PDF = ("skan.pdf", "application/pdf", b"%PDF-1.4 " + b"0" * 1000)


@pytest.mark.parametrize(
    ("body", "attachment"),
    [
        ("W załączeniu podpisana umowa.", PDF),
        ("W zalaczeniu podpisana umowa", PDF),
        ("Przesyłam skan.", ("dokument.pdf", "application/pdf", b"%PDF")),
        ("Umowa", ("scan0001.jpg", "image/jpeg", b"\xff\xd8" + b"0" * 50_000)),
        ("", ("umowa_gmina_zielonka.pdf", "application/pdf", b"%PDF")),
        (
            "",
            (
                "Umowa uczestnictwa.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                b"PK",
            ),
        ),
        (
            "Odsyłamy podpisaną umowę.",
            ("umowa.odt", "application/vnd.oasis.opendocument.text", b"PK"),
        ),
        ("", ("skan_umowy.pdf", "application/pdf", b"%PDF")),
    ],
)
def test_agreement(
    make_message: Callable[..., bytes], body: str, attachment: tuple[str, str, bytes]
) -> None:
    read = read_message(make_message(body or "\n", attachments=[attachment]))
    assert read.intent.intent is Intent.AGREEMENT


def test_agreement_from_subject_when_body_is_empty(make_message: Callable[..., bytes]) -> None:
    raw = make_message(
        "\n",
        subject="RE: Umowa uczestnictwa – szkolenie SMUP",
        attachments=[("dokument.pdf", "application/pdf", b"%PDF")],
    )
    assert read_message(raw).intent.intent is Intent.AGREEMENT


def test_agreement_from_html_outlook_with_scan(fixtures: Path) -> None:
    raw = (fixtures / "messages" / "outlook_html_agreement.eml").read_bytes()
    read = read_message(raw)
    assert read.intent.intent is Intent.AGREEMENT
    assert read.token == "b3n8r2w1"
    assert read.reply_text.startswith("Dzień dobry,\n\nw załączeniu przesyłam skan")
    assert "Od:" not in read.reply_text


def test_small_inline_logo_is_not_a_scan() -> None:
    logo = Attachment("logo.png", "image/png", 4_000, inline=True)
    message = ParsedMessage(subject="Re: Umowa", attachments=(logo,))
    assert classify(message, "Potwierdzamy, umowę wyślemy jutro.").intent is Intent.CONFIRM


def test_withdrawal_letter_attached_is_a_withdrawal(make_message: Callable[..., bytes]) -> None:
    raw = make_message(
        "W załączeniu pismo – rezygnujemy z udziału.",
        attachments=[("pismo.pdf", "application/pdf", b"%PDF")],
    )
    assert read_message(raw).intent.intent is Intent.WITHDRAW


def test_document_without_any_agreement_word_is_not_an_agreement(
    make_message: Callable[..., bytes],
) -> None:
    raw = make_message(
        "Czy to właściwy formularz?",
        subject="Re: Szkolenie",
        attachments=[("formularz.pdf", "application/pdf", b"%PDF")],
    )
    assert read_message(raw).intent.intent is Intent.QUESTION


# --- automatic mail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "Jestem na urlopie"},
        {"Precedence": "auto_reply"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"Precedence": "list"},
        {"Return-Path": "<>"},
    ],
)
def test_auto_reply_headers(make_message: Callable[..., bytes], headers: dict[str, str]) -> None:
    raw = make_message("Potwierdzam. Czy coś jeszcze?", headers=headers)
    assert read_message(raw).intent.intent is Intent.AUTO_REPLY


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "no"},
        {"X-Auto-Response-Suppress": "All"},  # Outlook sets it on ordinary mail too
        {"Precedence": "first-class"},
    ],
)
def test_not_auto_reply_headers(
    make_message: Callable[..., bytes], headers: dict[str, str]
) -> None:
    assert read_message(make_message("Potwierdzam.", headers=headers)).intent.intent is (
        Intent.CONFIRM
    )


@pytest.mark.parametrize(
    "subject",
    [
        "Automatyczna odpowiedź: Potwierdzenie udziału",
        "Odpowiedź automatyczna: Potwierdzenie udziału",
        "Odpowiedz automatyczna: Potwierdzenie udzialu",
        "Poza biurem: Potwierdzenie udziału",
        "Nieobecność w biurze",
        "Nieobecnosc do 21.03",
        "Out of Office: Potwierdzenie udziału",
        "Automatic reply: Potwierdzenie udziału",
        "Autoreply: Potwierdzenie udziału",
        "[Urząd Gminy] Automatyczna odpowiedź",
    ],
)
def test_auto_reply_subjects(make_message: Callable[..., bytes], subject: str) -> None:
    raw = make_message("Jestem nieobecna. Potwierdzam odbiór.", subject=subject)
    assert read_message(raw).intent.intent is Intent.AUTO_REPLY


def test_outlook_out_of_office_fixture(fixtures: Path) -> None:
    read = read_message((fixtures / "messages" / "outlook_out_of_office.eml").read_bytes())
    assert read.intent.intent is Intent.AUTO_REPLY
    assert read.intent.reason == "auto_submitted"


def test_bounce_dsn(fixtures: Path) -> None:
    read = read_message((fixtures / "messages" / "postfix_bounce.eml").read_bytes())
    assert read.intent.intent is Intent.BOUNCE
    assert read.intent.reason == "dsn"
    assert read.intent.evidence == "sekretariat@zielonka-dolna.example.pl"


def test_bounce_from_mailer_daemon_without_report(fixtures: Path) -> None:
    read = read_message((fixtures / "messages" / "exim_bounce.eml").read_bytes())
    assert read.intent.intent is Intent.BOUNCE
    assert read.intent.evidence == "ug@kozlowice.example.pl"


def test_delay_report_is_not_a_bounce(fixtures: Path) -> None:
    read = read_message((fixtures / "messages" / "delayed_dsn.eml").read_bytes())
    assert read.intent.intent is Intent.AUTO_REPLY


def test_mailer_daemon_subject_bounce(make_message: Callable[..., bytes]) -> None:
    raw = make_message(
        "Wiadomość nie mogła zostać dostarczona.",
        subject="Niedostarczona wiadomość: Potwierdzenie",
        sender="postmaster@gmina.example.pl",
    )
    assert read_message(raw).intent.intent is Intent.BOUNCE


def test_bounce_beats_auto_submitted(fixtures: Path) -> None:
    parsed = parse_message((fixtures / "messages" / "postfix_bounce.eml").read_bytes())
    assert parsed.auto_headers.get("auto-submitted") == "auto-replied"
    assert classify(parsed, "").intent is Intent.BOUNCE


def test_auto_reply_beats_the_words_it_contains(make_message: Callable[..., bytes]) -> None:
    raw = make_message("Rezygnujemy. Potwierdzam.", headers={"Auto-Submitted": "auto-replied"})
    assert read_message(raw).intent.intent is Intent.AUTO_REPLY


def test_result_is_frozen_with_reason() -> None:
    result = read_body("Potwierdzam.").intent
    assert (result.intent, result.reason, result.evidence) == (
        Intent.CONFIRM,
        "confirm_phrase",
        "potwierdzam",
    )
    with pytest.raises(AttributeError):
        result.intent = Intent.OTHER  # type: ignore[misc]

"""Parsing raw messages of real clients: charsets, headers, HTML-only, attachments, reports."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from mail_gateway.parse import decode_header_value, decode_text, parse_message, token_from_address

POLISH = "Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ. Potwierdzamy udział."


@pytest.mark.parametrize("charset", ["utf-8", "iso-8859-2", "windows-1250"])
def test_body_in_each_polish_charset(make_message: Callable[..., bytes], charset: str) -> None:
    parsed = parse_message(make_message(POLISH, charset=charset))
    assert parsed.text.strip() == POLISH


def test_us_ascii_body(make_message: Callable[..., bytes]) -> None:
    parsed = parse_message(make_message("Potwierdzam udzial.", charset="us-ascii"))
    assert parsed.text.strip() == "Potwierdzam udzial."


def _raw(charset: str, body: bytes, transfer: str = "8bit") -> bytes:
    head = (
        "From: Jan Kowalski <jan@borowkowo.example.pl>\r\n"
        "To: zgloszenia+b3n8r2w1@smup.example.pl\r\n"
        "Subject: Re: szkolenie\r\n"
        f"Content-Type: text/plain; charset={charset}\r\n"
        f"Content-Transfer-Encoding: {transfer}\r\n\r\n"
    )
    return head.encode("ascii") + body


@pytest.mark.parametrize(
    ("declared", "actual"),
    [
        ("iso-8859-1", "cp1250"),  # Outlook's classic: windows-1250 labelled latin-1
        ("windows-1250x", "cp1250"),  # a charset name that does not exist
        ("x-unknown", "cp1250"),
        ('"utf-8"', "cp1250"),  # labelled UTF-8, bytes are windows-1250
        ("iso-8859-1", "utf-8"),  # UTF-8 labelled latin-1
        ("windows-1250", "iso-8859-2"),  # the two Polish tables swapped
        ("iso-8859-2", "cp1250"),
        ("us-ascii", "utf-8"),  # 8-bit bytes under an ASCII label
    ],
)
def test_mislabelled_charsets_give_no_mojibake(declared: str, actual: str) -> None:
    parsed = parse_message(_raw(declared, f"{POLISH}\r\n".encode(actual)))
    assert parsed.text.strip() == POLISH


def test_declared_charset_wins_when_it_reads_cleanly() -> None:
    # "Müller" is valid in latin-1 and in cp1250 alike: the label is trusted.
    assert decode_text("Müller café".encode("latin-1"), "iso-8859-1") == "Müller café"


def test_undecodable_bytes_do_not_raise() -> None:
    assert isinstance(decode_text(b"\x81\x83\x88\x90\x98 ok", "utf-8"), str)


def test_encoded_words_in_headers_are_decoded() -> None:
    raw = (
        b"From: =?iso-8859-2?Q?Pawe=B3_Wi=B6niewski?= <Pawel.W@Jodlow.example.pl>\r\n"
        b"To: =?utf-8?B?U01VUA==?= <zgloszenia+x1@smup.example.pl>, ug@jodlow.example.pl\r\n"
        b"Subject: =?windows-1250?Q?Re:_Potwierdzenie_udzia=B3u?=\r\n"
        b"\r\nTak.\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.from_name == "Paweł Wiśniewski"
    assert parsed.from_address == "pawel.w@jodlow.example.pl"
    assert parsed.to == ("zgloszenia+x1@smup.example.pl", "ug@jodlow.example.pl")
    assert parsed.subject == "Re: Potwierdzenie udziału"


def test_utf8_letter_split_across_two_encoded_words() -> None:
    # "ł" is C5 82; some mailers cut it between two encoded words.
    assert decode_header_value("=?utf-8?B?dWR6aWHF?= =?utf-8?B?gg==?=") == "udział"


def test_raw_8bit_and_bogus_charset_in_headers() -> None:
    raw = (
        b"From: \xa3ukasz Zaj\xb9c <lukasz@x.example.pl>\r\n"
        b"Subject: Odp: umowa =?x-bogus?Q?podpisana?= \xbfe\r\n"
        b"Date: not a date\r\n\r\nTak.\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.from_name == "Łukasz Zając"
    assert parsed.subject == "Odp: umowa podpisana że"
    assert parsed.date is None


def test_ids_and_date() -> None:
    raw = (
        b"From: a@b.example.pl\r\nMessage-ID: <m1@b.example.pl>\r\n"
        b"In-Reply-To: <ours.2@smup.example.pl>\r\n"
        b"References: <ours.1@smup.example.pl>\r\n <ours.2@smup.example.pl>\r\n"
        b"Date: Fri, 11 Mar 2022 10:15:00 +0100\r\n\r\nTak.\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.message_id == "<m1@b.example.pl>"
    assert parsed.in_reply_to == "<ours.2@smup.example.pl>"
    assert parsed.references == ("<ours.1@smup.example.pl>", "<ours.2@smup.example.pl>")
    assert parsed.date is not None and parsed.date.isoformat() == "2022-03-11T10:15:00+01:00"


def test_plain_part_preferred_over_html() -> None:
    message = EmailMessage()
    message["From"] = "a@b.example.pl"
    message.set_content("Wersja tekstowa.")
    message.add_alternative("<p>Wersja <b>HTML</b>.</p>", subtype="html")
    parsed = parse_message(message.as_bytes())
    assert parsed.text.strip() == "Wersja tekstowa."
    assert not parsed.text_from_html


def test_html_only_is_converted_and_never_run() -> None:
    message = EmailMessage()
    message["From"] = "a@b.example.pl"
    message.set_content(
        "<html><head><style>p{color:red}</style></head><body>"
        "<p>Potwierdzamy udzia&#322; &ndash; Gmina &Oacute;w.</p>"
        "<script>alert('x')</script><img src='http://tracker.example/p.gif'>"
        "<blockquote>Czy potwierdzaj&#261; Pa&#324;stwo?</blockquote></body></html>",
        subtype="html",
        charset="utf-8",
    )
    parsed = parse_message(message.as_bytes())
    assert parsed.text_from_html
    assert "Potwierdzamy udział – Gmina Ów." in parsed.text
    assert "> Czy potwierdzają Państwo?" in parsed.text
    assert "alert" not in parsed.text and "color" not in parsed.text
    assert "tracker" not in parsed.text


def test_outlook_html_windows1250_with_scan(fixtures: Path) -> None:
    raw = (fixtures / "messages" / "outlook_html_agreement.eml").read_bytes()
    parsed = parse_message(raw)
    assert parsed.text_from_html
    assert "w załączeniu przesyłam skan podpisanej umowy" in parsed.text
    assert "evil.example" not in parsed.text
    assert "Od: SMUP – zgłoszenia" in parsed.text
    assert parsed.from_name == "Barbara Kamińska"
    assert parsed.subject == "RE: Umowa uczestnictwa – szkolenie SMUP"
    (scan,) = parsed.attachments
    assert scan.filename == "skan umowy żołądź.jpg"
    assert scan.content_type == "image/jpeg"
    assert scan.size == len(scan.payload) > 30_000


def test_attachments_keep_bytes_out_of_repr(make_message: Callable[..., bytes]) -> None:
    pdf = b"%PDF-1.4 secret contents"
    parsed = parse_message(
        make_message("W załączeniu umowa.", attachments=[("umowa_ąę.pdf", "application/pdf", pdf)])
    )
    (attachment,) = parsed.attachments
    assert attachment.filename == "umowa_ąę.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(pdf)
    assert attachment.payload == pdf
    assert "secret" not in repr(attachment) and "secret" not in repr(parsed)
    assert parsed.text.strip() == "W załączeniu umowa."


def test_forwarded_message_attachment_is_not_our_text() -> None:
    inner = EmailMessage()
    inner["From"] = "x@y.example.pl"
    inner["Subject"] = "Stara wiadomość"
    inner.set_content("Rezygnujemy.")
    outer = EmailMessage()
    outer["From"] = "a@b.example.pl"
    outer.set_content("Przekazuję do wiadomości.")
    outer.add_attachment(inner)
    parsed = parse_message(outer.as_bytes())
    assert "Rezygnujemy" not in parsed.text
    assert [a.content_type for a in parsed.attachments] == ["message/rfc822"]


def test_broken_base64_does_not_lose_the_message() -> None:
    raw = _raw("utf-8", b"!!!not base64 at all", transfer="base64")
    parsed = parse_message(raw)
    assert parsed.from_address == "jan@borowkowo.example.pl"


def test_garbage_bytes_parse_to_an_empty_message() -> None:
    parsed = parse_message(b"\x00\xff\xfe garbage without headers")
    assert parsed.from_address is None


def test_dsn_report(fixtures: Path) -> None:
    parsed = parse_message((fixtures / "messages" / "postfix_bounce.eml").read_bytes())
    assert parsed.is_dsn
    assert parsed.content_type == "multipart/report"
    assert parsed.report_type == "delivery-status"
    assert parsed.return_path_empty
    (recipient,) = parsed.dsn_recipients
    assert recipient.address == "sekretariat@zielonka-dolna.example.pl"
    assert recipient.action == "failed"
    assert recipient.status == "5.1.1"
    assert recipient.diagnostic is not None and "User unknown" in recipient.diagnostic
    assert parsed.dsn_original_message_id == "<smup.2022.0147.confirm@smup.example.pl>"
    assert parsed.attachments == ()


def test_auto_reply_headers_are_kept(fixtures: Path) -> None:
    parsed = parse_message((fixtures / "messages" / "outlook_out_of_office.eml").read_bytes())
    assert parsed.auto_headers["auto-submitted"] == "auto-generated"
    assert parsed.auto_headers["x-auto-response-suppress"] == "All"
    assert parsed.subject.startswith("Odpowiedź automatyczna:")
    assert "jestem na urlopie" in parsed.text


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("zgloszenia+k7q2m9x4@smup.example.pl", "k7q2m9x4"),
        ("SMUP <Zgloszenia+k7Q2@SMUP.example.pl>", "k7Q2"),
        ("zgloszenia@smup.example.pl", None),
        ("pytania+k7q2m9x4@smup.example.pl", None),
        ("zgloszenia+@smup.example.pl", None),
        ("nonsense", None),
    ],
)
def test_token_from_address(address: str, expected: str | None) -> None:
    assert token_from_address(address) == expected


def test_token_from_address_with_other_local_part_and_domain() -> None:
    assert token_from_address("odp+abc@gmina.example.pl", local_part="odp") == "abc"
    assert token_from_address("odp+abc@gmina.example.pl", "odp", domain="smup.example.pl") is None
    assert token_from_address("odp+abc@GMINA.example.pl", "odp", domain="gmina.example.pl") == "abc"


def test_encoded_display_name_with_comma_stays_one_address() -> None:
    raw = (
        b"From: =?utf-8?Q?Kowalski,_Jan?= <Jan@X.example.pl>\r\n"
        b'To: "Nowak, Anna" <a@b.example.pl>, c@d.example.pl\r\n'
        b"Delivered-To: zgloszenia+abc@smup.example.pl\r\n"
        b"X-Original-To: <Zgloszenia+abc@smup.example.pl>\r\n\r\nTak.\r\n"
    )
    parsed = parse_message(raw)
    assert (parsed.from_name, parsed.from_address) == ("Kowalski, Jan", "jan@x.example.pl")
    assert parsed.to == ("a@b.example.pl", "c@d.example.pl")
    assert parsed.delivered_to == ("zgloszenia+abc@smup.example.pl",)


def test_multipart_without_its_boundary_is_read_as_text() -> None:
    raw = (
        b"From: a@b.example.pl\r\nContent-Type: multipart/mixed; boundary=NOWHERE\r\n\r\n"
        b"Potwierdzamy udzia\xb3.\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.text.strip() == "Potwierdzamy udział."
    assert parsed.attachments == ()

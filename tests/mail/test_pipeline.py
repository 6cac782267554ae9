"""The pipeline chained on raw bytes and on bare bodies, as the CLI and the gateway use it."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest

from mail_gateway.intent import Intent
from mail_gateway.pipeline import read_body, read_message


def test_read_message_chains_parse_reply_and_intent(make_message: Callable[..., bytes]) -> None:
    raw = make_message(
        "Potwierdzamy udział.\n\nW dniu 12.03.2022 o 10:15, SMUP pisze:\n> Rezygnujecie?\n",
        charset="iso-8859-2",
    )
    read = read_message(raw)
    assert read.reply_text == "Potwierdzamy udział."
    assert read.intent.intent is Intent.CONFIRM
    assert read.token == "k7q2m9x4"
    assert read.parsed.from_address == "a.nowakowska@zielonka-dolna.example.pl"
    with pytest.raises(AttributeError):
        read.token = "x"  # type: ignore[misc]


def test_token_from_envelope_first(make_message: Callable[..., bytes]) -> None:
    read = read_message(
        make_message("Tak."), envelope_recipients=["zgloszenia+envelope1@smup.example.pl"]
    )
    assert read.token == "envelope1"


def test_token_from_delivered_to_when_we_were_bcc(make_message: Callable[..., bytes]) -> None:
    raw = make_message(
        "Tak.", headers={"Delivered-To": "zgloszenia+bcc42@smup.example.pl"}
    ).replace(b"zgloszenia+k7q2m9x4@", b"sekretariat@")
    assert read_message(raw).token == "bcc42"


def test_token_with_configured_local_part_and_domain(make_message: Callable[..., bytes]) -> None:
    raw = make_message("Tak.").replace(b"zgloszenia+k7q2m9x4@", b"odp+t0k3n@")
    assert read_message(raw).token is None
    assert read_message(raw, local_part="odp").token == "t0k3n"
    assert read_message(raw, local_part="odp", domain="other.example.pl").token is None


def test_no_token_without_plus_address(make_message: Callable[..., bytes]) -> None:
    raw = make_message("Tak.").replace(b"zgloszenia+k7q2m9x4@", b"pytania@")
    assert read_message(raw).token is None


def test_read_body() -> None:
    read = read_body("Rezygnujemy.\n\n-----Original Message-----\nFrom: SMUP\nSent: x\n\nPotwierdź")
    assert read.reply_text == "Rezygnujemy."
    assert read.intent.intent is Intent.WITHDRAW
    assert read.token is None
    assert read.parsed.attachments == ()


GMAIL_HTML = (
    '<div dir="ltr">Potwierdzam udział.<div><br></div><div>Pozdrawiam<br>Jan</div></div><br>'
    '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">pt., 11 mar 2022 o 10:15&nbsp;'
    'SMUP – zgłoszenia &lt;<a href="mailto:zgloszenia+k7q2m9x4@smup.example.pl">'
    "zgloszenia+k7q2m9x4@smup.example.pl</a>&gt; napisał(a):<br></div>"
    '<blockquote class="gmail_quote"><div dir="ltr">Czy potwierdzają Państwo udział?<br>'
    "Rezygnujemy?</div></blockquote></div>"
)
OUTLOOK_HTML = (
    '<html><body><div class="WordSection1"><p class="MsoNormal">Rezygnujemy z udziału.</p>'
    '<p class="MsoNormal">&nbsp;</p><div style="border:none;border-top:solid #E1E1E1 1.0pt">'
    '<p class="MsoNormal"><b>Od:</b> SMUP &lt;zgloszenia+k7q2m9x4@smup.example.pl&gt;<br>'
    "<b>Wysłano:</b> piątek, 11 marca 2022 10:15<br><b>Do:</b> Jan<br>"
    "<b>Temat:</b> Potwierdzenie</p></div><p>Czy potwierdzają Państwo udział?</p></div>"
    "</body></html>"
)


@pytest.mark.parametrize(
    ("html", "reply", "intent"),
    [
        (GMAIL_HTML, "Potwierdzam udział.\n\nPozdrawiam\nJan", Intent.CONFIRM),
        (OUTLOOK_HTML, "Rezygnujemy z udziału.", Intent.WITHDRAW),
    ],
)
def test_html_only_replies(html: str, reply: str, intent: Intent) -> None:
    message = EmailMessage()
    message["From"] = "jan@zielonka-dolna.example.pl"
    message["To"] = "zgloszenia+k7q2m9x4@smup.example.pl"
    message.set_content(html, subtype="html", charset="windows-1250")
    read = read_message(message.as_bytes())
    assert read.parsed.text_from_html
    assert (read.reply_text, read.intent.intent) == (reply, intent)

"""Support for the mail tests: the gateway fixture's pieces and messages as clients write them
(invented people and places)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from mail_gateway.server import Gateway
from registry.mail import Inbox
from registry.services import Registry
from registry.views import ApplicationView

DOMAIN = "smup.test"


@dataclass
class Setup:
    registry: Registry
    gateway: Gateway
    inbox: Inbox
    applications: list[ApplicationView]
    tokens: dict[int, str]

    def reply_address(self, number: int) -> str:
        return f"zgloszenia+{self.tokens[number]}@{DOMAIN}"


def reply(
    sender: str,
    to: str,
    text: str,
    *,
    subject: str = "Re: Zgłoszenie nr 1 na szkolenia SMUP",
    charset: str = "utf-8",
    headers: dict[str, str] | None = None,
    attachment: tuple[str, str, bytes] | None = None,
    html: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Krystyna Testowa <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="gmina.example.pl")
    message["In-Reply-To"] = "<abc@smup.test>"
    for name, value in (headers or {}).items():
        message[name] = value
    if html is not None:
        message.set_content(html, subtype="html", charset=charset)
    else:
        message.set_content(text, charset=charset)
    if attachment is not None:
        filename, content_type, data = attachment
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


QUOTE = """

W dniu 1.03.2022 o 10:15, SMUP Assistant pisze:
> Dzień dobry,
> prosimy potwierdzić udział albo zrezygnować.
> „Potwierdzam” – potwierdzenie udziału
"""


def dsn(failed: str, to: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.pl>\r\n"
        f"To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-1@mx.example.pl>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.pl\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        "--B--\r\n"
    ).encode()

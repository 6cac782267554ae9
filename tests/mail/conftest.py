"""Shared fixtures of the mail pipeline tests: corpus locations and a message builder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# The public corpora live next to the repository: ../shared/corpora/email_replies.
CORPORA = HERE.parents[1].parent / "shared" / "corpora" / "email_replies"

OUR_ADDRESS = "SMUP – zgłoszenia <zgloszenia+k7q2m9x4@smup.example.pl>"
APPLICANT = "Anna Nowakowska <a.nowakowska@zielonka-dolna.example.pl>"

MessageBuilder = Callable[..., bytes]


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip("the e-mail reply corpora (../shared/corpora/email_replies) are absent")
    return CORPORA


@pytest.fixture
def fixtures() -> Path:
    return HERE / "fixtures"


@pytest.fixture
def make_message() -> MessageBuilder:
    """Raw bytes of a plain-text reply from the applicant to our reply address."""

    def build(
        body: str = "Potwierdzamy udział.",
        *,
        subject: str = "Re: Potwierdzenie udziału w szkoleniu SMUP",
        charset: str = "utf-8",
        headers: dict[str, str] | None = None,
        attachments: Sequence[tuple[str, str, bytes]] = (),
        sender: str = APPLICANT,
    ) -> bytes:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = OUR_ADDRESS
        message["Subject"] = subject
        message["Message-ID"] = "<reply.1@zielonka-dolna.example.pl>"
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(body, charset=charset)
        for filename, content_type, payload in attachments:
            maintype, subtype = content_type.split("/", 1)
            message.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
        return message.as_bytes()

    return build

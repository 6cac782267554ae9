"""The mail pipeline's pure steps chained: parse → extract the reply → classify the intent.

Used on a file by `smup mail parse` and on each stored message by the SMTP gateway, so both
read a message the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mail_gateway.intent import IntentResult, classify
from mail_gateway.parse import ParsedMessage, parse_message, parsed_from_text, token_from_address
from mail_gateway.reply import extract_reply

DEFAULT_LOCAL_PART = "zgloszenia"


@dataclass(frozen=True)
class ReadMessage:
    parsed: ParsedMessage
    reply_text: str
    intent: IntentResult
    # The application token of the reply address the message was sent to, if any.
    token: str | None


def find_token(
    addresses: Iterable[str], local_part: str = DEFAULT_LOCAL_PART, domain: str | None = None
) -> str | None:
    """The first reply-address token among `addresses`."""
    for address in addresses:
        token = token_from_address(address, local_part, domain)
        if token is not None:
            return token
    return None


def read_message(
    raw: bytes,
    *,
    envelope_recipients: Iterable[str] = (),
    local_part: str = DEFAULT_LOCAL_PART,
    domain: str | None = None,
) -> ReadMessage:
    """Read a raw message. The token is looked for first in the SMTP envelope recipients (what
    the gateway accepted at RCPT), then in Delivered-To-like headers, To and Cc."""
    parsed = parse_message(raw)
    reply_text = extract_reply(parsed.text)
    token = find_token(
        (*envelope_recipients, *parsed.delivered_to, *parsed.to, *parsed.cc), local_part, domain
    )
    return ReadMessage(parsed, reply_text, classify(parsed, reply_text), token)


def read_body(text: str) -> ReadMessage:
    """Read a bare text body (no headers, so no token, attachments or automatic-mail signs)."""
    parsed = parsed_from_text(text)
    reply_text = extract_reply(parsed.text)
    return ReadMessage(parsed, reply_text, classify(parsed, reply_text), None)

"""Raw message bytes → a plain, immutable `ParsedMessage`.

Real mail is messy: windows-1250 bodies labelled iso-8859-1, 8-bit bytes in headers, charset
names that do not exist, HTML-only Outlook replies, delivery reports. Nothing here raises on
bad input; whatever cannot be read cleanly is read as well as possible and the rest dropped.
HTML is only ever converted to text (html2text), never rendered or executed.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import email.policy
import email.quoprimime
import email.utils
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from types import MappingProxyType

import html2text

# --- charsets -------------------------------------------------------------------------------

_POLISH_LETTERS = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# Characters that a Polish text shows only when it was decoded with the wrong table: cp1250
# read as latin-1 (¹ ³ ¿ ¥ £ ¯), iso-8859-2 read as latin-1 or cp1250 (± ¶ ¼ ¡ ¦ ¬ ˇ Ľ),
# cp1250 read as iso-8859-2 (š for ą, Ľ for Ą).
_MOJIBAKE_LETTERS = frozenset("¹³¿¥£¯±¶¼¡¦¬ˇĽľš¤")
# UTF-8 read as a single-byte table: a lead byte shown as one of these, then another
# non-ASCII character ("Ä…" for ą, "Ĺ‚" for ł, "Ã³" for ó).
_UTF8_AS_SINGLE_BYTE = re.compile(r"[ÃÄÅĂĹÂ][^\x00-\x7f]")
_C1_CONTROLS = re.compile(r"[\x80-\x9f]")

# Tried after the declared charset, in this order; ties go to the earlier one.
_FALLBACK_CHARSETS = ("utf-8", "cp1250", "iso-8859-2")
# Names seen in the wild that Python's codec registry does not know.
_CHARSET_ALIASES = {
    "cp-1250": "cp1250",
    "x-cp1250": "cp1250",
    "windows1250": "cp1250",
    "win-1250": "cp1250",
    "iso-8859-2i": "iso-8859-2",
    "x-unknown": "",
    "unknown-8bit": "",
}


def _codec_name(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or None when it is unknown or absent."""
    if not charset:
        return None
    name = charset.strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    if not name:
        return None
    for candidate in (name, name.removeprefix("x-")):
        try:
            return codecs.lookup(candidate).name
        except LookupError:
            continue
    return None


def _mojibake_score(text: str) -> int:
    """Higher is better: Polish letters count for a decoding, mojibake signs against it."""
    polish = sum(1 for ch in text if ch in _POLISH_LETTERS)
    suspect = sum(1 for ch in text if ch in _MOJIBAKE_LETTERS)
    broken = len(_C1_CONTROLS.findall(text)) + text.count("\ufffd")
    utf8_pairs = len(_UTF8_AS_SINGLE_BYTE.findall(text))
    return polish - 3 * suspect - 5 * broken - 5 * utf8_pairs


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes of unknown reliability: the declared charset, UTF-8, cp1250 or latin-2.

    Each candidate that decodes strictly is scored by the Polish letters it yields against
    the mojibake signs it shows; the best wins and ties go to the declared charset. When
    nothing decodes strictly, UTF-8 with replacement characters is the last resort.
    """
    if data.isascii():
        return data.decode("ascii")
    candidates: list[str] = []
    for name in (_codec_name(declared), *_FALLBACK_CHARSETS):
        if name and codecs.lookup(name).name not in candidates:
            candidates.append(codecs.lookup(name).name)
    best: tuple[int, str] | None = None
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _mojibake_score(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best is not None:
        return best[1]
    return data.decode("utf-8", errors="replace")


# --- headers --------------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([qQbB])\?([^?\s]*)\?=")


def _encoded_word_bytes(encoding: str, payload: str) -> bytes:
    if encoding.lower() == "q":
        return email.quoprimime.header_decode(payload).encode("latin-1", errors="replace")
    padded = payload + "=" * (-len(payload) % 4)
    try:
        return base64.b64decode(padded)
    except (binascii.Error, ValueError):
        return payload.encode("ascii", errors="replace")


def decode_header_value(raw: str) -> str:
    """A header value with RFC 2047 encoded words decoded, tolerating every usual breakage.

    8-bit bytes sent raw (no encoded words) are recovered from the parser's surrogate escapes
    and decoded like a body. Adjacent encoded words in one charset are joined before decoding,
    because some mailers split a multi-byte UTF-8 letter across two words.
    """
    text = re.sub(r"\r?\n[ \t]+", " ", raw)
    if _has_surrogates(text):
        text = decode_text(text.encode("ascii", errors="surrogateescape"))
    parts: list[str] = []
    pending: tuple[str | None, bytearray] | None = None
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        charset = match.group(1).split("*", 1)[0]
        data = _encoded_word_bytes(match.group(2), match.group(3))
        if pending is not None and not gap.strip():
            if pending[0] == charset.lower():
                pending[1].extend(data)
            else:
                parts.append(decode_text(bytes(pending[1]), pending[0]))
                pending = (charset.lower(), bytearray(data))
        else:
            if pending is not None:
                parts.append(decode_text(bytes(pending[1]), pending[0]))
            parts.append(gap)
            pending = (charset.lower(), bytearray(data))
        position = match.end()
    if pending is not None:
        parts.append(decode_text(bytes(pending[1]), pending[0]))
    parts.append(text[position:])
    return "".join(parts).strip()


def _raw_headers(message: Message) -> dict[str, list[str]]:
    """Header name (lowercase) → raw values, read without the header registry (which raises
    or mangles on malformed values)."""
    headers: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), []).append(str(value))
    return headers


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _split_addresses(values: list[str]) -> list[tuple[str, str]]:
    unfolded = [re.sub(r"\r?\n[ \t]+", " ", value) for value in values]
    return [
        (decode_header_value(display), address.strip().strip("<>").lower())
        for display, address in email.utils.getaddresses(unfolded)
    ]


def _addresses(message: Message, name: str) -> tuple[tuple[str, str], ...]:
    """(display name, lowercased addr-spec) pairs of one address header; entries without an
    '@' are dropped.

    The header registry parses the structure (an encoded "Kowalski, Jan" stays one name);
    raw 8-bit names it leaves as surrogates are decoded here. If it fails, a plain split of
    the raw value is the fallback.
    """
    pairs: list[tuple[str, str]] = []
    try:
        for header in message.get_all(name) or []:
            if not hasattr(header, "addresses"):  # Delivered-To & co. are unstructured
                pairs.extend(_split_addresses([str(header)]))
                continue
            for address in header.addresses:
                display = str(address.display_name)
                if _has_surrogates(display):
                    display = decode_text(display.encode("ascii", errors="surrogateescape"))
                pairs.append((display.strip(), str(address.addr_spec).lower()))
    except Exception:  # a header the registry cannot parse: split the raw text instead
        pairs = _split_addresses(_raw_headers(message).get(name, []))
    return tuple((display, address) for display, address in pairs if "@" in address)


def _message_ids(values: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        found.extend(re.findall(r"<[^<>\s]+>", value))
    return tuple(found)


def _date(values: list[str]) -> datetime | None:
    if not values:
        return None
    try:
        return email.utils.parsedate_to_datetime(values[0].strip())
    except (TypeError, ValueError, IndexError):
        return None


# --- attachments, bodies, delivery reports --------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str | None
    content_type: str
    size: int
    inline: bool = False
    # The bytes are kept for the registry to store, but never printed with the message.
    payload: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class DsnRecipient:
    """One recipient block of a delivery-status report (RFC 3464)."""

    address: str
    action: str | None = None
    status: str | None = None
    diagnostic: str | None = None


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    from_address: str | None = None
    from_name: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    # Delivered-To / X-Original-To / Envelope-To: where the message really arrived.
    delivered_to: tuple[str, ...] = ()
    subject: str = ""
    date: datetime | None = None
    # Header name (lowercase) → decoded value, only those the intent classifier reads.
    auto_headers: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    return_path_empty: bool = False
    content_type: str = "text/plain"
    report_type: str | None = None
    text: str = ""
    text_from_html: bool = False
    attachments: tuple[Attachment, ...] = ()
    is_dsn: bool = False
    dsn_recipients: tuple[DsnRecipient, ...] = ()
    dsn_original_message_id: str | None = None


# Headers that mark automatic mail (RFC 3834 and the vendor ones seen in practice).
AUTO_REPLY_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "x-autogenerated",
    "x-auto-response-suppress",
    "precedence",
    "x-failed-recipients",
)


def _html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.body_width = 0  # the reply trimmer needs the original lines, not re-wrapped ones
    converter.ignore_links = True
    converter.ignore_images = True
    converter.ignore_emphasis = True  # "**Od:**" would hide Outlook's header block
    converter.unicode_snob = True  # keep "ó", not "o", for &oacute;
    text = converter.handle(html)
    # html2text escapes list-like line starts ("\- ", "1\. ") and ends <br> with two spaces.
    text = re.sub(r"(?m)^(\s*)\\([-+*#>])", r"\1\2", text)
    text = re.sub(r"(?m)^(\s*\d+)\\\.", r"\1.", text)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    # Empty <div>&nbsp;</div> paragraphs (Outlook) leave runs of blank lines.
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _part_bytes(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding must not lose the whole message
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    return raw.encode("utf-8", errors="replace") if isinstance(raw, str) else b""


def _attached_message_bytes(part: Message) -> bytes:
    """A forwarded message (message/rfc822) as the bytes of the inner message."""
    payload = part.get_payload()
    try:
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return payload[0].as_bytes()
    except Exception:  # an inner message the generator cannot write back: keep what we can
        pass
    return _part_bytes(part)


def _part_text(part: Message) -> str:
    return decode_text(_part_bytes(part), part.get_content_charset())


def _part_filename(part: Message) -> str | None:
    raw = part.get_param("filename", header="content-disposition") or part.get_param("name")
    if raw is None:
        return None
    if isinstance(raw, tuple):  # RFC 2231: (charset, language, value)
        charset, _language, value = raw
        data = value.encode("latin-1", errors="surrogateescape")
        name = decode_text(data.replace(b"\\", b""), charset or None)
    else:
        name = decode_header_value(email.utils.unquote(str(raw)))
    return name or None


def _disposition(part: Message) -> str | None:
    value = part.get("content-disposition")
    return str(value).split(";", 1)[0].strip().lower() if value else None


def _walk(part: Message) -> Iterator[Message]:
    """Every leaf part, not descending into attached messages (a forwarded mail's body is an
    attachment here, not our text)."""
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _walk(sub)
    else:
        yield part


def _delivery_status(part: Message) -> tuple[DsnRecipient, ...]:
    """Recipient blocks of a message/delivery-status part: the first block is per-message,
    the others per recipient."""
    payload = part.get_payload()
    blocks: list[Message] = []
    if isinstance(payload, list):
        blocks = [block for block in payload if isinstance(block, Message)]
    elif isinstance(payload, str):
        for chunk in re.split(r"\r?\n\s*\r?\n", payload):
            blocks.append(email.message_from_string(chunk.strip() + "\n"))
    recipients = []
    for block in blocks:
        final = block.get("final-recipient") or block.get("original-recipient")
        if not final:
            continue
        address = str(final).split(";", 1)[-1].strip().strip("<>").lower()
        diagnostic = block.get("diagnostic-code")
        recipients.append(
            DsnRecipient(
                address=address,
                action=str(block["action"]).strip().lower() if block.get("action") else None,
                status=str(block["status"]).strip() if block.get("status") else None,
                diagnostic=(
                    " ".join(str(diagnostic).split(";", 1)[-1].split()) if diagnostic else None
                ),
            )
        )
    return tuple(recipients)


def _original_message_id(part: Message) -> str | None:
    """The Message-ID of the message a report returns (message/rfc822 or text/rfc822-headers)."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            ids = _message_ids([str(inner[0].get("message-id", ""))])
            return ids[0] if ids else None
        return None
    headers = email.message_from_bytes(_part_bytes(part))
    ids = _message_ids([str(headers.get("message-id", ""))])
    return ids[0] if ids else None


def _is_attachment(part: Message, disposition: str | None) -> bool:
    if disposition == "attachment":
        return True
    # Inline text/plain and text/html are the body, and so is a multipart whose boundary is
    # missing (left as one leaf by the parser); any other leaf is a file sent along.
    return (
        part.get_content_type() not in ("text/plain", "text/html")
        and part.get_content_maintype() != "multipart"
    )


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse raw RFC 5322 bytes. Never raises on malformed input."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = _raw_headers(message)

    def first(name: str) -> str | None:
        values = headers.get(name)
        return decode_header_value(values[0]) if values else None

    sender = _addresses(message, "from")
    content_type = message.get_content_type()
    report_type = message.get_param("report-type") if content_type == "multipart/report" else None

    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    dsn_recipients: tuple[DsnRecipient, ...] = ()
    original_id: str | None = None
    has_status_part = False
    for part in _walk(message):
        part_type = part.get_content_type()
        disposition = _disposition(part)
        if part_type == "message/delivery-status":
            has_status_part = True
            dsn_recipients = _delivery_status(part)
            continue
        if content_type == "multipart/report" and part_type in (
            "message/rfc822",
            "text/rfc822-headers",
        ):
            original_id = _original_message_id(part)
            continue
        if _is_attachment(part, disposition):
            data = (
                _attached_message_bytes(part)
                if part_type == "message/rfc822"
                else _part_bytes(part)
            )
            attachments.append(
                Attachment(
                    filename=_part_filename(part),
                    content_type=part_type,
                    size=len(data),
                    inline=disposition != "attachment",
                    payload=data,
                )
            )
        elif part_type == "text/plain" or part.get_content_maintype() == "multipart":
            plain.append(_part_text(part))
        elif part_type == "text/html":
            html.append(_part_text(part))

    if plain:
        text, from_html = "\n\n".join(plain), False
    elif html:
        text, from_html = "\n\n".join(_html_to_text(body) for body in html), True
    else:
        text, from_html = "", False

    is_dsn = has_status_part or (
        content_type == "multipart/report" and str(report_type).lower() == "delivery-status"
    )
    return_path = headers.get("return-path", [])
    in_reply_to = _message_ids(headers.get("in-reply-to", []))
    message_id = _message_ids(headers.get("message-id", []))
    return ParsedMessage(
        message_id=message_id[0] if message_id else None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=_message_ids(headers.get("references", [])),
        from_address=sender[0][1] if sender else None,
        from_name=(sender[0][0] or None) if sender else None,
        to=tuple(address for _name, address in _addresses(message, "to")),
        cc=tuple(address for _name, address in _addresses(message, "cc")),
        delivered_to=tuple(
            dict.fromkeys(
                address
                for name in ("delivered-to", "x-original-to", "envelope-to")
                for _name, address in _addresses(message, name)
            )
        ),
        subject=first("subject") or "",
        date=_date(headers.get("date", [])),
        auto_headers=MappingProxyType(
            {name: value for name in AUTO_REPLY_HEADERS if (value := first(name)) is not None}
        ),
        return_path_empty=bool(return_path) and return_path[0].strip() in ("<>", ""),
        content_type=content_type,
        report_type=str(report_type).lower() if report_type else None,
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        text_from_html=from_html,
        attachments=tuple(attachments),
        is_dsn=is_dsn,
        dsn_recipients=dsn_recipients,
        dsn_original_message_id=original_id,
    )


def parsed_from_text(text: str) -> ParsedMessage:
    """A bare body (no headers), for `smup mail parse --body` and tests."""
    return ParsedMessage(text=text.replace("\r\n", "\n").replace("\r", "\n"))


_PLUS_ADDRESS = re.compile(r"^(?P<local>[^+@\s]+)\+(?P<token>[^@\s]+)@(?P<domain>[^@\s]+)$")


def token_from_address(
    address: str, local_part: str = "zgloszenia", domain: str | None = None
) -> str | None:
    """The token of a reply address `<local>+<token>@<domain>`, or None for any other address.

    The local part and domain compare case-insensitively (mail systems treat them so); the
    token is returned as written.
    """
    _name, addr_spec = email.utils.parseaddr(address)
    match = _PLUS_ADDRESS.match((addr_spec or address).strip().strip("<>"))
    if match is None or match["local"].lower() != local_part.lower():
        return None
    if domain is not None and match["domain"].lower() != domain.lower():
        return None
    return match["token"]

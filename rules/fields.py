"""Validation of the form fields of Zasady rekrutacji pkt 13.

Each parser returns the normalised value to store, or None when the input cannot be one.
Libraries do the hard parts: python-stdnum (NIP), phonenumbers, email-validator.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip as stdnum_nip

_POSTAL_CODE = re.compile(r"\b(\d{2})[-‐‑–]?(\d{3})\b")
_POSTAL_CODE_EXACT = re.compile(r"^\s*(\d{2})[-‐‑–](\d{3})\s*$")


def parse_nip(value: object) -> str | None:
    """Pkt 13.1: the JST's NIP. Dashes, spaces and a "PL" prefix are accepted; 10 digits
    with a valid check digit are stored."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:010d}"
    if not isinstance(value, str):
        return None
    try:
        nip = str(stdnum_nip.validate(value))
    except StdnumError:
        return None
    # The first three digits are the issuing tax office's code, which never starts with 0;
    # this also refuses "0000000000", whose check digit happens to be right.
    return None if nip.startswith("0") else nip


def format_nip(nip: str) -> str:
    """The usual written form of a NIP: 123-456-32-18."""
    return str(stdnum_nip.format(nip))


# How a Polish office writes an extension: "12 284 11 00 wew. 21" (numer wewnętrzny).
# libphonenumber knows "ext.", "x" and "#", but reads the letters of "wew" as the digits
# of a vanity number, so the Polish marks are made "ext." first.
_POLISH_EXTENSION = re.compile(r"(?<![^\W\d_])(?:wewn?\.?|w\.)\s*(?=\d)", re.IGNORECASE)
_EXTENSION_MARK = "wew."


def _parsed_phone(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(_POLISH_EXTENSION.sub(" ext. ", value), "PL")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def parse_phone(value: object) -> str | None:
    """Pkt 13.3: the contact person's phone, a Polish number unless written with another
    country prefix; stored as E.164 (+48…), and an office's extension after it as
    offices write it: "+48122841100 wew. 21"."""
    if not isinstance(value, str) or not value.strip():
        return None
    number = _parsed_phone(value)
    if number is None:
        return None
    e164 = str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return f"{e164} {_EXTENSION_MARK} {number.extension}" if number.extension else e164


@lru_cache(maxsize=4096)
def format_phone(stored: str) -> str:
    """The number as people write it (national for Poland), with its extension; a pure
    function of the number, kept for the numbers shown most recently (a summary shows it
    every turn)."""
    number = _parsed_phone(stored)
    if number is None:  # not a stored number: shown as it is
        return stored
    extension = number.extension
    number.extension = None
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 48
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    text = str(phonenumbers.format_number(number, fmt))
    return f"{text} {_EXTENSION_MARK} {extension}" if extension else text


def parse_email(value: object) -> str | None:
    """Pkt 13.3 and 15: the contact e-mail, checked for syntax only (no DNS look-ups);
    stored with the domain lowercased."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError:
        return None
    return str(result.normalized)


def parse_postal_code(value: object) -> str | None:
    """A Polish postal code NN-NNN (a typed "00950" is accepted and formatted)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _POSTAL_CODE_EXACT.match(text) or re.fullmatch(r"(\d{2})(\d{3})", text)
    if not match:
        return None
    return f"{match.group(1)}-{match.group(2)}"


def find_postal_code(address: str) -> str | None:
    """The postal code inside a whole office address, if it has one."""
    match = _POSTAL_CODE.search(address)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def parse_office_address(value: object) -> str | None:
    """Pkt 13.1: the office address, which must contain a postal code NN-NNN and a place.

    Whitespace is tidied and the postal code written with its dash.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    match = _POSTAL_CODE.search(text)
    if match is None:
        return None
    text = text[: match.start()] + f"{match.group(1)}-{match.group(2)}" + text[match.end() :]
    letters = sum(ch.isalpha() for ch in text)
    return text if letters >= 3 else None


_NAME_PART = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?$")


def parse_person_name(value: object) -> str | None:
    """Pkt 13.3–13.4: a person's first name and surname, at least two words of letters
    (hyphens and apostrophes allowed: "Anna Nowak-Kowalska", "D'Arc"). Spacing is tidied
    and a name typed in one case gets capitals."""
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    parts = text.split(" ")
    if len(parts) < 2 or len(text) > 120:
        return None
    if not all(_NAME_PART.match(part) for part in parts):
        return None
    if text.islower() or text.isupper():
        text = " ".join(_capitalise(part) for part in parts)
    return text


def _capitalise(word: str) -> str:
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word)


def parse_text(value: object, *, min_letters: int = 2, max_length: int = 300) -> str | None:
    """A free-text field (JST name, office name): tidied, with some letters in it."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if len(text) > max_length or sum(ch.isalpha() for ch in text) < min_letters:
        return None
    return text


def parse_teryt(value: object) -> str | None:
    """A TERYT (TERC) code of a JST: 7 digits for a gmina or a miasto na prawach powiatu
    (WWPPGGR), 4 digits for a powiat (WWPP; "WWPP00", "WWPP000" accepted)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    code = value.strip().replace(" ", "")
    if not code.isdigit():
        return None
    if len(code) == 6 and code.endswith("00"):
        code = code[:4]
    if len(code) == 7 and code.endswith("000"):
        code = code[:4]
    if len(code) == 7 and code[6] in "123" and code[4:6] != "00":
        return code
    if len(code) == 4 and code[2:4] != "00":
        return code
    return None

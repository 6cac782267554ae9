"""Gettext catalogs of SMUP Assistant and the helpers that read them.

Polish is the source language: message ids in the code are Polish, `pl` supplies the
plural forms, `en` the translation. Catalogs are kept as .po files; they are compiled
into .mo on build (`smup i18n compile`, the build hook) and, when no fresh .mo is at
hand, compiled in memory here, so a source checkout works as it is.
"""

from __future__ import annotations

import gettext as _gettext
import io
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from rules.areas import Area
from rules.messages import DATETIME_PATTERN, FIELD_LABELS, MESSAGES, PLURAL_MESSAGES, message_key
from rules.violations import Violation

DOMAIN = "smup"
LOCALES_DIR = Path(__file__).resolve().parent
LANGUAGES = ("pl", "en")
DEFAULT_LANGUAGE = "pl"
TIMEZONE = ZoneInfo("Europe/Warsaw")


def _po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(po: Path) -> bytes:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parent.parent.name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def compile_catalogs(directory: Path = LOCALES_DIR) -> list[Path]:
    """Writes <lang>/LC_MESSAGES/smup.mo beside every .po (for aiogram's I18n, the build)."""
    written = []
    for po in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_po(po))
        written.append(mo)
    return written


def normalise_language(lang: str | None) -> str:
    code = (lang or DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(lang: str = DEFAULT_LANGUAGE) -> _gettext.NullTranslations:
    po = _po_path(normalise_language(lang))
    if not po.exists():
        return _gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:
        data = compile_po(po)
    return _gettext.GNUTranslations(io.BytesIO(data))


def gettext(msgid: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return translations(lang).gettext(msgid)


def ngettext(singular: str, plural: str, n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    return translations(lang).ngettext(singular, plural, n)


def format_when(moment: datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    """A date and time as people in Poland read it: Europe/Warsaw, the language's month."""
    lang = normalise_language(lang)
    return format_datetime(moment, gettext(DATETIME_PATTERN, lang), tzinfo=TIMEZONE, locale=lang)


def _shown_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            value = format_when(value, lang)
        elif key == "field" and isinstance(value, str):
            value = gettext(FIELD_LABELS.get(value, value), lang)
        elif key == "areas":
            value = ", ".join(gettext(area.label, lang) for area in Area)
        shown[key] = value
    return shown


def describe(violation: Violation, lang: str = DEFAULT_LANGUAGE) -> str:
    """The violation as a sentence in the user's language that says how to fix it."""
    lang = normalise_language(lang)
    params = _shown_params(violation.params, lang)
    key = message_key(violation.code.value, violation.params.get("variant"))
    if key in PLURAL_MESSAGES:
        (singular, plural), counted = PLURAL_MESSAGES[key]
        template = ngettext(singular, plural, int(violation.params.get(counted, 0)), lang)
    else:
        template = gettext(MESSAGES[key], lang)
    return template.format_map(_Missing(params))


class _Missing(dict[str, Any]):
    """Leaves an unknown placeholder visible rather than failing on it."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"

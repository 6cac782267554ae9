"""aiogram's gettext over the project's catalogs, and the user's language.

`CatalogI18n` reads `locales.translations(lang)`, which compiles a .po in memory when no
fresh .mo is at hand, so a source checkout needs no build step. Polish is the source
language; English is used when the user's Telegram language is English or they chose
it with /jezyk (kept in the conversation data).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager

from aiogram.types import User
from aiogram.utils.i18n import I18n, get_i18n

from locales import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR, translations

LANG_KEY = "lang"


class CatalogI18n(I18n):
    def __init__(self) -> None:
        super().__init__(path=LOCALES_DIR, default_locale=DEFAULT_LANGUAGE, domain="smup")

    def find_locales(self) -> dict[str, _gettext.GNUTranslations]:
        return {lang: translations(lang) for lang in LANGUAGES}  # type: ignore[misc]

    @contextmanager
    def context(self) -> Iterator[I18n]:
        # aiogram's gettext() looks the instance up as I18n's, not this subclass's.
        token = I18n.set_current(self)
        try:
            yield self
        finally:
            I18n.reset_current(token)


def telegram_language(user: User | None) -> str:
    """English for users whose Telegram speaks English; Polish for everyone else."""
    code = (user.language_code or "") if user is not None else ""
    return "en" if code.lower().startswith("en") else DEFAULT_LANGUAGE


def current_language() -> str:
    return get_i18n().current_locale


def gettext(message: str) -> str:
    """aiogram's `gettext(message)` in fewer steps: the current locale's catalog.

    The same result (a locale without a catalog leaves the message as it is); a dozen
    of these run for every update, so the layers of I18n.gettext are skipped."""
    i18n = get_i18n()
    catalog = i18n.locales.get(i18n.ctx_locale.get())
    return message if catalog is None else catalog.gettext(message)

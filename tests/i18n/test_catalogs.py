"""The gettext catalogs: every message of the code is in them, English is complete, Polish
has its three plural forms (1 uczestnik, 2 uczestników, 5 uczestników)."""

from __future__ import annotations

import gettext
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import LOCALES_DIR, ngettext, translations

ROOT = LOCALES_DIR.parent


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "smup.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_every_message_in_the_code_is_in_the_catalogs(tmp_path: Path) -> None:
    pot = tmp_path / "smup.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "Np_:1,2",
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "-k",
            "__",
            "--no-location",
            "-o",
            str(pot),
            "rules",
            "registry",
            "bot",
            "mail_gateway",
            "assistant",
            "locales",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        code = {m.id for m in read_po(handle) if m.id}
    for lang in ("pl", "en"):
        known = {m.id for m in catalog(lang) if m.id}
        assert code <= known, (lang, sorted(map(str, code - known))[:5])


def test_english_is_complete() -> None:
    missing = [
        m.id
        for m in catalog("en")
        if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert missing == []


def test_polish_plural_forms() -> None:
    for message in catalog("pl"):
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == 3 and all(message.string), message.id


@pytest.mark.parametrize(("n", "form"), [(1, 0), (2, 1), (4, 1), (5, 2), (12, 2), (22, 1), (25, 2)])
def test_polish_plural_rule(n: int, form: int) -> None:
    plural = translations("pl").plural  # type: ignore[attr-defined]
    assert plural(n) == form
    assert ngettext("{n} dzień", "{n} dni", n, "pl")  # the lookup itself works


def test_the_build_compiles_the_catalogs(tmp_path: Path) -> None:
    """setup.py's build hook: the built package carries a .mo beside every .po."""
    subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    one = "Na szkolenia zgłasza się {n} uczestnik (zasady rekrutacji, pkt 10)."
    many = "Na szkolenia zgłasza się {n} uczestników (zasady rekrutacji, pkt 10)."
    built = {}
    for lang in ("pl", "en"):
        mo = tmp_path / "locales" / lang / "LC_MESSAGES" / "smup.mo"
        with mo.open("rb") as handle:
            built[lang] = gettext.GNUTranslations(handle)
    assert built["pl"].ngettext(one, many, 2) == (
        "Na szkolenia zgłasza się {n} uczestników (zasady rekrutacji, pkt 10)."
    )
    assert built["pl"].ngettext(one, many, 3) == built["pl"].ngettext(one, many, 2)
    assert built["en"].ngettext(one, many, 1) == (
        "{n} participant is registered for the trainings (recruitment rules, point 10)."
    )


@pytest.mark.parametrize("lang", ["pl", "en", "de"])
def test_the_bots_gettext_says_what_aiograms_says(lang: str) -> None:
    """bot.i18n.gettext takes a shorter way to the same catalog as aiogram's gettext,
    for every message of the catalogs and a locale without one ("de")."""
    from aiogram.utils.i18n import gettext as aiogram_gettext

    from bot.i18n import CatalogI18n
    from bot.i18n import gettext as bot_gettext

    i18n = CatalogI18n()
    messages = [message.id for message in catalog("en") if message.id and not message.pluralizable]
    assert len(messages) > 100
    with i18n.context(), i18n.use_locale(lang):
        for message in [*messages, "Nie ma takiego komunikatu w katalogu."]:
            assert bot_gettext(message) == aiogram_gettext(message)
        if lang == "en":
            assert bot_gettext("Zgadzam się") == "I agree"

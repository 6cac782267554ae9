"""Marks text for gettext extraction without translating it.

rules/ stays pure: it declares the message ids (Polish is the source language) and the
edge (`locales.translate`) turns them into the user's language.
"""


def N_(msgid: str) -> str:  # noqa: N802 - the conventional gettext marker name
    return msgid

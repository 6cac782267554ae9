"""Marks text for gettext extraction without translating it.

rules/ stays pure: it declares the message ids (Polish is the source language) and the
edge (`locales.translate`) turns them into the user's language.
"""


def N_(msgid: str) -> str:
    return msgid


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with a plural form (extracted with the keyword Np_:1,2)."""
    return singular, plural

"""The Telegram channel on aiogram 3: the registration conversation, questions, status,
personal data and the organisers' commands; the same dispatcher serves `smup chat`.

Entry points: `bot.service.run_bot` (polling or webhook) and
`bot.console.run_console_chat` (the terminal as the chat).

aiogram is imported here first, with its Telegram types built on first use
(see `bot.lazy_types`): about 100 MB less for the process.
"""

from bot.lazy_types import import_aiogram

import_aiogram()

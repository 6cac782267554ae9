"""aiogram's Telegram types are built on first use (bot.lazy_types), and every one can be.

Run in a fresh interpreter: in the test process aiogram is long imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import bot  # imports aiogram through bot.lazy_types
import aiogram.types as types
from aiogram.methods import SendMessage, StopPoll
from bot.lazy_types import aiogram_models

report = {"unbuilt_at_import": sorted(
    name for name in ("Update", "Message", "Gift", "ChatFullInfo", "Checklist")
    if not getattr(types, name).__pydantic_complete__
)}
update = types.Update.model_validate({
    "update_id": 7,
    "callback_query": {
        "id": "q1", "chat_instance": "c", "data": "form:1:nip",
        "from": {"id": 5, "is_bot": False, "first_name": "Krystyna", "language_code": "pl"},
        "message": {"message_id": 3, "date": 0, "chat": {"id": 5, "type": "private"},
                    "text": "Proszę podać NIP."},
    },
})
report["callback"] = [update.callback_query.data, update.callback_query.message.text]
request = SendMessage(chat_id=5, text="Dziękujemy.", reply_markup=types.InlineKeyboardMarkup(
    inline_keyboard=[[types.InlineKeyboardButton(text="Tak", callback_data="t")]]))
report["sent"] = request.model_dump(exclude_none=True)["reply_markup"]["inline_keyboard"][0][0]
report["poll"] = StopPoll(chat_id=5, message_id=3).message_id
failed = []
models = list(aiogram_models())
for model in models:
    try:
        if model.model_rebuild(raise_errors=True) is False:
            failed.append(model.__qualname__)
    except Exception as exc:
        failed.append(f"{model.__qualname__}: {exc}")
report["models"] = len(models)
report["failed"] = failed
print(json.dumps(report))
"""


def test_types_wait_for_first_use_and_every_one_builds() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # Deferred: not even Update was built by the import.
    assert report["unbuilt_at_import"] == ["ChatFullInfo", "Checklist", "Gift", "Message", "Update"]
    # Built on first use, validating and serialising as usual.
    assert report["callback"] == ["form:1:nip", "Proszę podać NIP."]
    assert report["sent"] == {"text": "Tak", "callback_data": "t"}
    assert report["poll"] == 3
    # And every model aiogram defines still builds: what the eager import guaranteed.
    assert report["models"] > 400
    assert report["failed"] == []


def test_the_bot_does_not_hold_openpyxl_until_an_export_is_made() -> None:
    """openpyxl (some 4 MB) is imported by the first XLSX export, not with the bot."""
    probe = (
        "import sys\n"
        "import bot.dispatcher, bot.service\n"
        "before = 'openpyxl' in sys.modules\n"
        "from registry.export import Granularity, to_xlsx\n"
        "to_xlsx([], Granularity.JST, 'pl')\n"
        "print(before, 'openpyxl' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]

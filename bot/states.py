"""Every FSM state of the conversation, in one place.

The registration form has one state per field (`Form`); which participant a participant
state is about is kept in the conversation data. `Aside` states are short questions asked
in the middle of anything else (cancel? erase? language?) that return to where the user
was.
"""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Start(StatesGroup):
    consent = State()  # the personal-data information clause was shown; yes or no


class Form(StatesGroup):
    jst = State()
    nip = State()
    office_name = State()
    office_address = State()
    employees = State()
    contact_name = State()
    contact_phone = State()
    contact_email = State()
    participant_name = State()
    participant_training = State()
    participant_area = State()
    summary = State()


class Aside(StatesGroup):
    cancel = State()  # "cancel the application in progress?"
    erase = State()  # "delete my data?"
    language = State()  # "which language?"

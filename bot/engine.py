"""The small engine that runs the declared form (bot.form) over an FSM context.

It asks the current step, reads an answer (typed, or a button, or a button's number or
label typed), stores it, keeps the draft consistent, and moves to the first step still
unanswered — the summary when there is none. The same rule serves going back, jumping
from the summary to any field and returning: nothing typed is ever thrown away.

Every change bumps the conversation's revision; buttons carry the revision they were
shown with, so a tap on an older message is recognised and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiogram.fsm.state import State

from bot import texts
from bot.callbacks import ASIDE_ANSWERS, AsideAnswer, FormAnswer
from bot.conversation import Conversation
from bot.form import (
    KEEP,
    Draft,
    Field,
    Option,
    Outcome,
    Step,
    build_fields,
    document,
    may_add_participant,
    new_draft,
    normalise,
    participant_line,
    participants,
    planned_count,
    required_count,
)
from bot.i18n import LANG_KEY, current_language
from bot.i18n import gettext as _
from bot.keyboards import Button, rows_of
from bot.states import Aside, Form, Start
from locales import describe
from registry.services import Registry
from rules.areas import fold
from rules.register import Register
from rules.violations import Code, Violation

log = logging.getLogger(__name__)

SUMMARY = "summary"
# How long the number of free places shown at the JST step may be reused (seconds).
STAGE_TTL = 1.0
# The steps of forms of up to this many participants are made once and kept.
STEPS_KEPT = 20
# Keys of the conversation data that survive a finished or cancelled application.
KEPT_KEYS = (LANG_KEY, "consent_at", "applications")

# What to do with the option chosen in an aside.
AsideAction = Callable[[Conversation, Option], Awaitable["Reply"]]

ASIDES: dict[str, State] = {
    "consent": Start.consent,
    "cancel": Aside.cancel,
    "erase": Aside.erase,
    "language": Aside.language,
}


@dataclass
class Reply:
    """One message to send: text and buttons (rows)."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    # When a button was tapped: its label, to mark the tapped message as answered.
    chosen: str | None = None
    stale: bool = False  # a button of an older message: nothing was changed
    refused: bool = False  # the answer was refused; the step stays


@dataclass(frozen=True)
class Sender:
    """Who is talking: the chat that gets the application's news, and the channel."""

    chat_id: int
    user_id: int
    channel: str = "telegram"


def _option_for(options: list[Option], text: str, *, numbers: bool) -> Option | None:
    """The option a typed answer names: its number (when allowed), label or alias."""
    wanted = fold(text).rstrip(".")
    if numbers and wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1]
    for option in options:
        if fold(option.label) == wanted or wanted in (fold(a) for a in option.aliases):
            return option
    return None


class FormEngine:
    """Asks, validates, stores, moves on, goes back and jumps from the summary."""

    def __init__(self, registry: Registry, register: Register) -> None:
        self.registry = registry
        self.register = register
        # The free places shown at the JST step: (when read, places), and the read running.
        self._stage: tuple[float, int | None] | None = None
        self._stage_read: asyncio.Future[int | None] | None = None
        self.once, self.each = build_fields(self)
        fields = (*self.once, *self.each)
        self.by_state: dict[str, Field] = {str(f.state.state): f for f in fields}
        self.by_code: dict[str, Field] = {f.code: f for f in fields}
        self._steps: dict[int, tuple[Step, ...]] = {}

    # --- what the fields ask of the registry ---------------------------------------------

    async def eligibility(self, teryt: str) -> list[Violation]:
        # The registry reads the checks of the chats asking at once together.
        return await self.registry.eligibility(teryt)

    async def places_left(self) -> int | None:
        """Free places in the stage open now (a second old at most: it is only shown).

        One read at a time refreshes it; chats asking meanwhile wait for that read."""
        if self._stage is not None and time.monotonic() - self._stage[0] <= STAGE_TTL:
            return self._stage[1]
        if self._stage_read is None or self._stage_read.done():
            self._stage_read = asyncio.create_task(self._read_places_left())
        return await asyncio.shield(self._stage_read)

    async def _read_places_left(self) -> int | None:
        stage = await self.registry.current_stage()
        places = stage.places_left if stage is not None else None
        self._stage = (time.monotonic(), places)
        return places

    # --- the steps ----------------------------------------------------------------------

    def steps(self, draft: Draft) -> tuple[Step, ...]:
        """Every step of the form for the draft's number of participants (the same steps
        for the same number: made once for the usual few)."""
        count = planned_count(draft)
        found = self._steps.get(count)
        if found is None:
            found = (
                *(Step(f) for f in self.once),
                *(Step(f, index) for index in range(count) for f in self.each),
            )
            if count <= STEPS_KEPT:
                self._steps[count] = found
        return found

    def first_missing(self, draft: Draft) -> Step | None:
        for step in self.steps(draft):
            if step.value_in(draft) is None and step.applies(draft):
                return step
        return None

    def current_step(self, conv: Conversation) -> Step | None:
        form_field = self.by_state.get(conv.state or "")
        if form_field is None:
            return None
        return Step(form_field, conv.index if form_field.per_participant else 0)

    def in_form(self, conv: Conversation) -> bool:
        return conv.state == Form.summary.state or conv.state in self.by_state

    # --- asking -------------------------------------------------------------------------

    def _options(self, conv: Conversation, step: Step) -> list[Option]:
        draft = conv.draft
        options = list(step.field.options(draft, step.index))
        if step.value_in(draft) is not None:
            options.append(Option(texts.keep_label(), KEEP, ("bez zmian", "keep")))
        return options

    def _buttons(
        self, options: list[Option], code: str, index: int, rev: int
    ) -> list[list[Button]]:
        return rows_of(
            [
                Button(option.label, FormAnswer.encode(code, index, n, rev))
                for n, option in enumerate(options)
            ]
        )

    def ask(self, conv: Conversation, step: Step, notes: list[str] | None = None) -> Reply:
        draft = conv.draft
        parts = [*(notes or []), step.field.prompt(draft, step.index)]
        if step.value_in(draft) is not None:
            parts.append(texts.current_value(step.field.shown(draft, step.index)))
        options = self._options(conv, step)
        return Reply(
            "\n\n".join(parts), self._buttons(options, step.field.code, step.index, conv.rev)
        )

    def prompt(self, conv: Conversation, notes: list[str] | None = None) -> Reply:
        """The question the conversation is waiting for, asked again."""
        notes = notes or []
        if conv.state == Form.summary.state:
            return self.summary(conv, notes)
        step = self.current_step(conv)
        if step is not None:
            return self.ask(conv, step, notes)
        for topic, state in ASIDES.items():
            if conv.state == state.state:
                return self.ask_aside(conv, topic, notes)
        return Reply("\n\n".join([*notes, texts.idle_hint()]))

    # --- starting -----------------------------------------------------------------------

    async def start(self, conv: Conversation) -> Reply:
        """/start: the consent first; then the draft in progress, or a new one."""
        if not conv.data.get("consent_at"):
            await conv.save(Start.consent)
            return self.ask_aside(conv, "consent", [texts.intro()])
        if conv.state is None:
            submitted = [int(n) for n in conv.data.get("applications", [])]
            return await self._new_form(conv, [texts.new_application(submitted)])
        # A form step, the summary or a question asked aside: continue where it was.
        return self.prompt(conv, [texts.welcome_back()])

    async def give_consent(self, conv: Conversation) -> Reply:
        conv.data["consent_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        return await self._new_form(conv, [])

    async def decline_consent(self, conv: Conversation) -> Reply:
        await conv.ctx.clear()
        return Reply(texts.consent_declined())

    async def _new_form(self, conv: Conversation, notes: list[str]) -> Reply:
        conv.data["draft"] = new_draft()
        step = self.first_missing(conv.draft)
        assert step is not None
        await conv.save(step.field.state, step.index)
        return self.ask(conv, step, notes)

    # --- answering ----------------------------------------------------------------------

    async def answer(self, conv: Conversation, text: str, sender: Sender) -> Reply:
        """A typed answer to the current step (or to the summary)."""
        text = text.strip()
        if conv.state == Form.summary.state:
            options = self._summary_options(conv)
            option = _option_for(options, text, numbers=True)
            if option is None:
                return self.summary(conv, [texts.choose_option()], full=False)
            return await self._summary_action(conv, option.value, sender)
        step = self.current_step(conv)
        if step is None:
            return self.prompt(conv)
        options = self._options(conv, step)
        option = _option_for(options, text, numbers=step.field.closed)
        if option is not None:
            return await self._take(conv, step, option.value)
        reply = await self._take(conv, step, text)
        if reply.refused and text.isdigit():
            # An open field: a number that is no valid answer picks that button.
            numbered = _option_for(options, text, numbers=True)
            if numbered is not None:
                return await self._take(conv, step, numbered.value)
        return reply

    async def choose(self, conv: Conversation, pick: FormAnswer, sender: Sender) -> Reply:
        """A tapped form button; a button of an older message changes nothing."""
        if pick.rev != conv.rev:
            return Reply(texts.stale_button(), stale=True)
        if pick.step == SUMMARY and conv.state == Form.summary.state:
            options = self._summary_options(conv)
            if not 0 <= pick.option < len(options):
                return Reply(texts.stale_button(), stale=True)
            reply = await self._summary_action(conv, options[pick.option].value, sender)
            reply.chosen = options[pick.option].label
            return reply
        step = self.current_step(conv)
        if step is None or step.field.code != pick.step or step.index != pick.index:
            return Reply(texts.stale_button(), stale=True)
        options = self._options(conv, step)
        if not 0 <= pick.option < len(options):
            return Reply(texts.stale_button(), stale=True)
        reply = await self._take(conv, step, options[pick.option].value)
        if not reply.refused:
            reply.chosen = options[pick.option].label
        return reply

    async def _take(self, conv: Conversation, step: Step, raw: str) -> Reply:
        """Reads one answer to `step`; a refused answer leaves everything as it was."""
        draft = conv.draft
        keep = raw == KEEP and step.value_in(draft) is not None
        outcome = Outcome(value=step.value_in(draft)) if keep else None
        if outcome is None:
            outcome = await step.field.parse(self, draft, step.index, raw)
        if outcome.error is not None:
            options = self._options(conv, step)
            return Reply(
                outcome.error,
                self._buttons(options, step.field.code, step.index, conv.rev),
                refused=True,
            )
        notes = [outcome.note] if outcome.note else []
        if outcome.stay:
            await conv.save(step.field.state, step.index)
            return self.ask(conv, step, notes)
        if not keep:
            step.field.put(draft, step.index, outcome.value)
        notes.extend(normalise(draft))
        return await self._advance(conv, notes)

    async def _advance(self, conv: Conversation, notes: list[str]) -> Reply:
        following = self.first_missing(conv.draft)
        if following is None:
            await conv.save(Form.summary)
            return self.summary(conv, notes)
        await conv.save(following.field.state, following.index)
        return self.ask(conv, following, notes)

    async def back(self, conv: Conversation) -> Reply:
        """/wstecz: the previous question, with the answer given kept as the default."""
        if not self.in_form(conv):
            if conv.state is not None:
                return self.prompt(conv)
            return Reply(texts.no_form())
        draft = conv.draft
        steps = [s for s in self.steps(draft) if s.applies(draft)]
        current = self.current_step(conv)
        if current is None:  # the summary
            previous = steps[-1] if steps else None
        else:
            position = next((n for n, s in enumerate(steps) if s == current), len(steps))
            previous = steps[position - 1] if position > 0 else None
        if previous is None:
            return self.prompt(conv, [texts.first_step()])
        await conv.save(previous.field.state, previous.index)
        return self.ask(conv, previous)

    # --- the summary --------------------------------------------------------------------

    def _summary_options(self, conv: Conversation) -> list[Option]:
        draft = conv.draft
        options = [Option(texts.send_label(), "send", ("wyślij", "wyslij", "send", "tak"))]
        for step in self.steps(draft):
            if step.applies(draft):
                label = step.field.label(draft, step.index)
                action = f"edit:{step.field.code}:{step.index}"
                options.append(Option(label, action, (texts.edit_label(label),)))
        if may_add_participant(draft):
            options.append(Option(texts.add_participant_label(), "add"))
        required = required_count(draft) or 0
        for index in range(required, planned_count(draft)):
            options.append(Option(texts.remove_participant_label(index + 1), f"del:{index}"))
        options.append(Option(texts.cancel_label(), "cancel"))
        return options

    def summary(
        self, conv: Conversation, notes: list[str] | None = None, *, full: bool = True
    ) -> Reply:
        draft = conv.draft
        parts = list(notes or [])
        if full:
            lines = [texts.summary_heading(), ""]
            for form_field in self.once:
                lines.append(
                    texts.field_line(form_field.label(draft, 0), form_field.shown(draft, 0))
                )
            people = participants(draft)
            required = required_count(draft) or 0
            lines += ["", texts.summary_participants(len(people))]
            for index in range(len(people)):
                line = f"{index + 1}. {participant_line(draft, index)}"
                if index >= required:
                    line += " " + texts.summary_extra_marker()
                lines.append(line)
            lines += ["", texts.summary_footer(int(draft.get("extra") or 0))]
            parts.append("\n".join(lines))
        options = self._summary_options(conv)
        send, *edits = options
        buttons = [[Button(send.label, self._summary_data(0, conv.rev))]]
        buttons += rows_of(
            [Button(o.label, self._summary_data(n, conv.rev)) for n, o in enumerate(edits, 1)],
            short=30,
        )
        return Reply("\n\n".join(parts), buttons)

    @staticmethod
    def _summary_data(option: int, rev: int) -> str:
        return FormAnswer.encode(SUMMARY, 0, option, rev)

    async def _summary_action(self, conv: Conversation, action: str, sender: Sender) -> Reply:
        draft = conv.draft
        if action == "send":
            return await self._submit(conv, sender)
        if action == "cancel":
            return await self._enter_aside(conv, "cancel")
        if action == "add" and may_add_participant(draft):
            # Pkt 11: beyond the required number only with the organiser's consent.
            draft["extra"] = int(draft.get("extra") or 0) + 1
            return await self._advance(conv, normalise(draft))
        if action.startswith("del:"):
            index = int(action.split(":")[1])
            required = required_count(draft) or 0
            people = participants(draft)
            if required <= index < len(people):
                del people[index]
                draft["extra"] = max(0, int(draft.get("extra") or 0) - 1)
            return await self._advance(conv, normalise(draft))
        if action.startswith("edit:"):
            _prefix, code, number = action.split(":")
            target = Step(self.by_code[code], int(number))
            await conv.save(target.field.state, target.index)
            return self.ask(conv, target)
        return self.summary(conv)

    async def _submit(self, conv: Conversation, sender: Sender) -> Reply:
        draft = conv.draft
        if self.first_missing(draft) is not None:
            return await self._advance(conv, [])
        lang = current_language()
        result = await self.registry.submit(
            document(draft),
            channel=sender.channel,
            actor=f"{sender.channel}:{sender.user_id}",
            telegram_chat_id=sender.chat_id if sender.channel == "telegram" else None,
            lang=lang,
        )
        if result.application is None:
            violations = [await self._with_number(v, draft) for v in result.violations]
            problems = [describe(v, lang) for v in violations]
            log.info("application refused: %s", ",".join(v.code.value for v in result.violations))
            await conv.save(Form.summary)
            return self.summary(conv, [texts.not_submitted(problems)], full=False)
        application = result.application
        log.info("application %d submitted (%s)", application.number, application.status.value)
        kept = {key: conv.data[key] for key in KEPT_KEYS if key in conv.data}
        kept["applications"] = [*kept.get("applications", []), application.number]
        extra = int(draft.get("extra") or 0)
        email = str(draft.get("contact_email"))
        conv.data = kept
        await conv.save(None)
        return Reply(texts.submitted(application, email, extra))

    async def _with_number(self, violation: Violation, draft: Draft) -> Violation:
        """The number of the application that took the JST, when the registry could only
        say "taken in the same batch" (it reports -1 then)."""
        number = violation.params.get("number")
        if violation.code is not Code.ALREADY_REGISTERED or not isinstance(number, int):
            return violation
        if number >= 0:
            return violation
        found = await self.registry.find(teryt=draft["jst"]["teryt"])
        if not found:
            return Violation(Code.ALREADY_REGISTERED, organizer=violation.params.get("organizer"))
        params = {**violation.params, "number": found[0].number}
        return Violation(Code.ALREADY_REGISTERED, path=violation.path, **params)

    # --- asides: short questions that return to where the user was ---------------------

    def aside_options(self, topic: str, conv: Conversation) -> list[Option]:
        if topic == "consent":
            return [
                Option(texts.consent_yes(), "yes", ("tak", "zgadzam", "zgoda", "yes", "agree")),
                Option(texts.consent_no(), "no", ("nie", "no")),
            ]
        if topic == "cancel":
            return [
                Option(texts.cancel_yes(), "yes", ("tak", "yes", "anuluj")),
                Option(texts.cancel_no(), "no", ("nie", "no")),
            ]
        if topic == "erase":
            return [
                Option(texts.erase_yes(), "yes", ("tak", "yes", "usuń", "usun")),
                Option(texts.erase_no(), "no", ("nie", "no")),
            ]
        return [
            Option("Polski", "pl", ("pl", "polski", "polish", "po polsku")),
            Option("English", "en", ("en", "english", "angielski", "po angielsku")),
        ]

    def ask_aside(self, conv: Conversation, topic: str, notes: list[str] | None = None) -> Reply:
        prompts = {
            "consent": texts.privacy_clause,
            "cancel": texts.cancel_prompt,
            "language": texts.language_prompt,
        }
        text = (
            texts.erase_prompt(conv.data.get("applications", []))
            if topic == "erase"
            else prompts[topic]()
        )
        options = self.aside_options(topic, conv)
        buttons = rows_of(
            [
                Button(o.label, ASIDE_ANSWERS[topic](option=n, rev=conv.rev).pack())
                for n, o in enumerate(options)
            ]
        )
        return Reply("\n\n".join([*(notes or []), text]), buttons)

    async def enter_aside(self, conv: Conversation, topic: str) -> Reply:
        return await self._enter_aside(conv, topic)

    async def _enter_aside(self, conv: Conversation, topic: str) -> Reply:
        if conv.state != ASIDES[topic].state:
            if conv.state not in (s.state for s in ASIDES.values()):
                conv.data["resume"] = {"state": conv.state, "index": conv.index}
            await conv.save(ASIDES[topic])
        return self.ask_aside(conv, topic)

    async def aside(
        self,
        conv: Conversation,
        topic: str,
        act: AsideAction,
        *,
        text: str | None = None,
        pick: AsideAnswer | None = None,
    ) -> Reply:
        """Reads the answer to an aside (typed, or a tapped button) and lets `act` carry
        it out; a stale tap or an answer that names no option changes nothing."""
        options = self.aside_options(topic, conv)
        if pick is not None:
            if pick.rev != conv.rev or conv.state != ASIDES[topic].state:
                return Reply(texts.stale_button(), stale=True)
            if not 0 <= pick.option < len(options):
                return Reply(texts.stale_button(), stale=True)
            option = options[pick.option]
        else:
            found = _option_for(options, text or "", numbers=True)
            if found is None:
                return self.ask_aside(conv, topic, [texts.choose_option()])
            option = found
        reply = await act(conv, option)
        if pick is not None:
            reply.chosen = option.label
        return reply

    async def leave_aside(self, conv: Conversation, notes: list[str] | None = None) -> Reply:
        """Back to where the user was before the aside, asking that question again."""
        resume = conv.data.pop("resume", None) or {}
        state_name = resume.get("state")
        state = self._state_named(state_name)
        await conv.save(state, int(resume.get("index", 0)))
        return self.prompt(conv, notes)

    def _state_named(self, name: str | None) -> State | None:
        if name is None:
            return None
        if name == Form.summary.state:
            return Form.summary
        if name in self.by_state:
            return self.by_state[name].state
        for state in ASIDES.values():
            if state.state == name:
                return state
        return None

    async def cancel_form(self, conv: Conversation) -> Reply:
        conv.data = {key: conv.data[key] for key in KEPT_KEYS if key in conv.data}
        await conv.save(None)
        return Reply(texts.cancelled())

    # --- what the other features need to know ------------------------------------------

    def draft_summary_lines(self, conv: Conversation) -> list[str]:
        """The answers of the draft in progress, one line per field (for /moje_dane)."""
        if not conv.has_draft:
            return []
        draft = conv.draft
        lines = [
            texts.field_line(
                step.field.label(draft, step.index), step.field.shown(draft, step.index)
            )
            for step in self.steps(draft)
            if step.value_in(draft) is not None
        ]
        return lines

    def next_question_label(self, conv: Conversation) -> str | None:
        step = self.first_missing(conv.draft) if conv.has_draft else None
        return step.field.label(conv.draft, step.index) if step is not None else None

    def draft_jst(self, conv: Conversation) -> str:
        jst = conv.draft.get("jst") if conv.has_draft else None
        return str(jst["name"]) if jst else _("jst jeszcze nie wybrana")

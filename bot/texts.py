"""What the assistant says outside the form's own questions, through gettext.

Polish is the source language (msgids); locales/en holds the English. Handlers never
hold user-facing literals: they call these functions, which translate in the locale of
the current event (set by bot.middlewares.ConversationMiddleware).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from aiogram.utils.i18n import ngettext

from bot.i18n import current_language
from bot.i18n import gettext as _
from locales import format_when
from registry.views import ApplicationView, StageView
from rules.areas import Area
from rules.fields import format_phone
from rules.jst import JstKind, Organizer
from rules.recruitment import Status

# --- start, consent, help ---------------------------------------------------------------


def intro() -> str:
    return _(
        "Dzień dobry! Jestem asystentem rekrutacji jst na bezpłatne szkolenia z Systemu "
        "Monitorowania Usług Publicznych (SMUP). Pomogę Państwu wypełnić zgłoszenie krok po "
        "kroku i od razu sprawdzę, czy spełnia zasady rekrutacji.\n\n"
        "W każdej chwili można zadać pytanie, wrócić do poprzedniego pytania (/wstecz) albo "
        "przerwać i wrócić później: odpowiedzi są zapisywane. Pomoc: /pomoc."
    )


def privacy_clause() -> str:
    return _(
        "Informacja o przetwarzaniu danych osobowych\n\n"
        "• Administrator danych: organizator szkoleń właściwy dla Państwa jst, czyli "
        "Związek Miast Polskich (ZMP) dla gmin wiejskich, miejsko-wiejskich i miejskich "
        "niebędących miastami na prawach powiatu albo Związek Powiatów Polskich (ZPP) dla "
        "powiatów i miast na prawach powiatu.\n"
        "• Cel: rekrutacja jst na szkolenia w projekcie „System Monitorowania Usług "
        "Publicznych – wdrożenie SMUP”.\n"
        "• Zakres: dane z formularza zgłoszeniowego (imię i nazwisko, telefon i e-mail osoby "
        "do kontaktu, imiona i nazwiska uczestników) oraz identyfikator tej rozmowy.\n"
        "• Okres przechowywania: przez czas trwania projektu oraz tak długo, jak organizator "
        "musi przechowywać jego dokumentację.\n"
        "• Prawa: dostęp do danych (/moje_dane), ich sprostowanie (w podsumowaniu zgłoszenia "
        "albo u organizatora), usunięcie (/usun_dane) oraz skarga do Prezesa Urzędu Ochrony "
        "Danych Osobowych (PUODO).\n\n"
        "Czy zgadzają się Państwo na przetwarzanie tych danych w celu rekrutacji?"
    )


def consent_yes() -> str:
    return _("Zgadzam się")


def consent_no() -> str:
    return _("Nie zgadzam się")


def consent_declined() -> str:
    return _(
        "Rozumiemy. Bez tej zgody nie możemy przyjąć zgłoszenia w tej rozmowie, dlatego "
        "niczego nie zapisaliśmy. Jeśli zmienią Państwo zdanie, wystarczy wpisać /start. "
        "Na pytania o zasady rekrutacji odpowiadamy także bez zgody: /pytanie."
    )


def welcome_back() -> str:
    return _("Witamy ponownie! Kontynuujemy zgłoszenie od miejsca, w którym Państwo skończyli.")


def new_application(submitted: Sequence[int] = ()) -> str:
    if submitted:
        return ngettext(
            "W tej rozmowie złożono już zgłoszenie nr {numbers} (/status). Rozpoczynamy nowe "
            "zgłoszenie, dla innej jst.",
            "W tej rozmowie złożono już zgłoszenia nr {numbers} (/status). Rozpoczynamy nowe "
            "zgłoszenie, dla innej jst.",
            len(submitted),
        ).format(numbers=", ".join(str(n) for n in submitted))
    return _("Rozpoczynamy nowe zgłoszenie.")


def help_text() -> str:
    return _(
        "Jak to działa: odpowiadają Państwo na kolejne pytania formularza zgłoszeniowego. "
        "Odpowiedź można wpisać albo wybrać przyciskiem (także wpisując numer albo nazwę "
        "przycisku). Na końcu jest podsumowanie, w którym można poprawić każde pole; dopiero "
        "potem zgłoszenie zostaje wysłane.\n\n"
        "Komendy:\n"
        "/start — rozpoczęcie albo kontynuacja zgłoszenia\n"
        "/wstecz — powrót do poprzedniego pytania\n"
        "/anuluj — anulowanie zgłoszenia w toku\n"
        "/status — stan zgłoszeń i etapu rekrutacji\n"
        "/pytanie — pytanie o zasady rekrutacji (można też po prostu je napisać)\n"
        "/moje_dane — dane zapisane o Państwu\n"
        "/usun_dane — usunięcie tych danych\n"
        "/jezyk — język rozmowy (polski, English)\n"
        "/pomoc — ta wiadomość"
    )


# --- conversation mechanics -----------------------------------------------------------


def no_form() -> str:
    return _("Nie ma zgłoszenia w toku. Aby je rozpocząć, proszę wpisać /start.")


def idle_hint() -> str:
    return _(
        "Aby rozpocząć albo kontynuować zgłoszenie, proszę wpisać /start. Pytanie o zasady "
        "rekrutacji można po prostu napisać. Pomoc: /pomoc."
    )


def first_step() -> str:
    return _("To jest pierwsze pytanie formularza.")


def stale_button() -> str:
    return _("Ten przycisk jest już nieaktualny. Aktualne pytanie jest w ostatniej wiadomości.")


def choose_option() -> str:
    return _("Proszę wybrać jedną z opcji przyciskiem albo wpisać jej numer.")


def text_only() -> str:
    return _("Proszę odpowiedzieć tekstem.")


def unknown_command() -> str:
    return _("Nie znam tej komendy. Listę komend wyświetla /pomoc.")


def keep_label() -> str:
    return _("Bez zmian")


def current_value(shown: str) -> str:
    return _("Obecna odpowiedź: {value}. Aby ją zostawić, wystarczy wybrać „Bez zmian”.").format(
        value=shown
    )


def back_to_question() -> str:
    return _("Wracamy do formularza:")


# --- cancel, erase, language ------------------------------------------------------------


def cancel_prompt() -> str:
    return _("Czy na pewno anulować zgłoszenie w toku? Wpisane odpowiedzi zostaną usunięte.")


def cancel_yes() -> str:
    return _("Tak, anuluj zgłoszenie")


def cancel_no() -> str:
    return _("Nie, wracam do zgłoszenia")


def cancelled() -> str:
    return _(
        "Zgłoszenie anulowano, a wpisane odpowiedzi usunięto. Aby zacząć od nowa, proszę "
        "wpisać /start."
    )


def erase_prompt(applications: Sequence[int]) -> str:
    text = _(
        "Czy usunąć dane zapisane o Państwu w tej rozmowie: zgłoszenie w toku, zgodę, "
        "ustawienia i powiązanie rozmowy ze złożonymi zgłoszeniami?"
    )
    if applications:
        text += "\n\n" + kept_applications(applications)
    return text


def erase_yes() -> str:
    return _("Tak, usuń moje dane")


def erase_no() -> str:
    return _("Nie usuwaj")


def kept_applications(numbers: Sequence[int]) -> str:
    return ngettext(
        "Złożone zgłoszenie (nr {numbers}) pozostaje u organizatora: organizator musi je "
        "przechowywać przez czas trwania projektu i tak długo, jak wymaga tego "
        "dokumentacja projektu. W sprawie tych danych prosimy o kontakt z organizatorem.",
        "Złożone zgłoszenia (nr {numbers}) pozostają u organizatora: organizator musi je "
        "przechowywać przez czas trwania projektu i tak długo, jak wymaga tego "
        "dokumentacja projektu. W sprawie tych danych prosimy o kontakt z organizatorem.",
        len(numbers),
    ).format(numbers=", ".join(str(n) for n in numbers))


def erased(numbers: Sequence[int]) -> str:
    text = _(
        "Usunęliśmy dane zapisane w tej rozmowie: zgłoszenie w toku, zgodę i ustawienia. "
        "Aby znów złożyć zgłoszenie, wystarczy wpisać /start."
    )
    if numbers:
        text += (
            "\n\n"
            + kept_applications(numbers)
            + " "
            + _("Zgłoszenie nie jest już powiązane z tą rozmową.")
        )
    return text


def erase_kept() -> str:
    return _("Nic nie usunęliśmy.")


def language_prompt() -> str:
    return _("Proszę wybrać język rozmowy.")


def language_set() -> str:
    return _("Język rozmowy: polski.")


# --- personal data ----------------------------------------------------------------------


def my_data(
    *,
    consent_at: str | None,
    lang: str | None,
    draft_lines: Sequence[str],
    applications: Sequence[ApplicationView],
) -> str:
    if not consent_at and not draft_lines and not applications and not lang:
        return _("Nie przechowujemy żadnych danych z tej rozmowy.")
    lines = [_("Dane zapisane o Państwu w tej rozmowie:")]
    if lang:
        lines.append(_("• Wybrany język: {language}.").format(language=language_name(lang)))
    if consent_at:
        when = format_when(datetime.fromisoformat(consent_at), current_language())
        lines.append(_("• Zgoda na przetwarzanie danych: udzielona {when}.").format(when=when))
    if draft_lines:
        lines.append(_("• Zgłoszenie w toku:"))
        lines.extend(f"  {line}" for line in draft_lines)
    for app in applications:
        lines.append(
            _("• Zgłoszenie nr {number} ({jst}), przechowywane przez organizatora:").format(
                number=app.number, jst=app.jst_name
            )
        )
        contact = app.document.get("contact", {})
        lines.append(
            "  "
            + _("osoba do kontaktu: {name}, {phone}, {email}").format(
                name=contact.get("name", "—"),
                phone=format_phone(contact["phone"]) if contact.get("phone") else "—",
                email=contact.get("email", "—"),
            )
        )
        names = ", ".join(p.get("name", "—") for p in app.document.get("participants", []))
        lines.append("  " + _("uczestnicy: {names}").format(names=names or "—"))
    lines.append(
        _("Aby usunąć dane: /usun_dane. Aby poprawić zgłoszenie w toku: podsumowanie albo /wstecz.")
    )
    return "\n".join(lines)


def language_name(lang: str) -> str:
    return _("angielski") if lang == "en" else _("polski")


# --- status -----------------------------------------------------------------------------


def application_line(app: ApplicationView) -> str:
    text = _("Zgłoszenie nr {number} — {jst}: {status}. Etap: „{stage}”, złożone {when}.").format(
        number=app.number,
        jst=app.jst_name,
        status=_(app.status.label),
        stage=app.stage_name,
        when=format_when(app.submitted_at, current_language()),
    )
    if app.status is Status.RESERVE and app.reserve_position:
        text += " " + _("Pozycja na liście rezerwowej: {position}.").format(
            position=app.reserve_position
        )
    if app.consent_pending:
        text += " " + _("Dodatkowi uczestnicy czekają na zgodę organizatora (pkt 11).")
    return text


def no_applications() -> str:
    return _("W tej rozmowie nie złożono jeszcze żadnego zgłoszenia.")


def draft_status(jst: str, next_field: str) -> str:
    return _(
        "Zgłoszenie w toku: {jst}. Następne pytanie: {field}. Aby kontynuować, proszę wpisać "
        "/start."
    ).format(jst=jst, field=next_field)


def draft_status_summary(jst: str) -> str:
    return _(
        "Zgłoszenie w toku: {jst}. Wszystkie pola są wypełnione; zgłoszenie czeka na "
        "wysłanie w podsumowaniu (/start)."
    ).format(jst=jst)


def stage_line(stage: StageView | None, next_opening: StageView | None = None) -> str:
    lang = current_language()
    if stage is None:
        if next_opening is not None:
            return _(
                "Żaden etap rekrutacji nie jest teraz otwarty. Kolejny rozpocznie się {opens}."
            ).format(opens=format_when(next_opening.opens_at, lang))
        return _("Żaden etap rekrutacji nie jest teraz otwarty.")
    return ngettext(
        "Trwa etap „{name}” (do {closes}): {n} wolne miejsce.",
        "Trwa etap „{name}” (do {closes}): {n} wolnych miejsc.",
        stage.places_left,
    ).format(name=stage.name, closes=format_when(stage.closes_at, lang), n=stage.places_left)


# --- the result of submitting -------------------------------------------------------------


def submitted(app: ApplicationView, contact_email: str, extra: int) -> str:
    organizer = Organizer(app.organizer)
    jst_kind = JstKind(app.kind)
    if app.status is Status.QUALIFIED:
        head = _(
            "Dziękujemy! Zgłoszenie nr {number} zostało przyjęte. Jst „{jst}” ({kind}) "
            "została zakwalifikowana do szkoleń w etapie „{stage}”."
        )
    else:
        head = _(
            "Dziękujemy! Zgłoszenie nr {number} zostało przyjęte. W etapie „{stage}” nie ma "
            "już wolnych miejsc, dlatego jst „{jst}” ({kind}) jest na liście rezerwowej na "
            "pozycji {position}. Jst z listy rezerwowej mają pierwszeństwo w kolejnym etapie "
            "rekrutacji, a zwolnione miejsce przechodzi na pierwszą jst z listy (zasady "
            "rekrutacji, pkt 5)."
        )
    lines = [
        head.format(
            number=app.number,
            jst=app.jst_name,
            kind=_(jst_kind.label),
            stage=app.stage_name,
            position=app.reserve_position or "—",
        ),
        _("Co dalej:"),
        _(
            "• Na adres {email} wyślemy potwierdzenie zgłoszenia, a potem wynik rekrutacji "
            "(zasady rekrutacji, pkt 15)."
        ).format(email=contact_email),
    ]
    if app.status is Status.QUALIFIED:
        lines.append(
            _(
                "• {organizer} prześle umowę uczestnictwa. Trzeba ją podpisać na czas, aby "
                "uczestnicy mogli wziąć udział w szkoleniach; uczestnicy wypełniają trzy "
                "oświadczenia najpóźniej pierwszego dnia szkolenia."
            ).format(organizer=f"{_(organizer.label)} ({organizer.value})")
        )
    if extra:
        lines.append(
            ngettext(
                "• {n} dodatkowy uczestnik czeka na zgodę organizatora (zasady rekrutacji, "
                "pkt 11).",
                "• {n} dodatkowych uczestników czeka na zgodę organizatora (zasady "
                "rekrutacji, pkt 11).",
                extra,
            ).format(n=extra)
        )
    lines.append(_("• Stan zgłoszenia można sprawdzić w każdej chwili: /status."))
    return "\n".join(lines)


def not_submitted(problems: Sequence[str]) -> str:
    return "\n\n".join(
        [
            _("Zgłoszenie nie zostało wysłane:"),
            *problems,
            _(
                "Wpisane odpowiedzi są zapisane. Można je poprawić w podsumowaniu albo wrócić "
                "później; w razie pytań prosimy o kontakt z organizatorem."
            ),
        ]
    )


# --- the summary --------------------------------------------------------------------------


def summary_heading() -> str:
    return _("Podsumowanie zgłoszenia — proszę sprawdzić dane:")


def summary_participants(count: int) -> str:
    return ngettext("Uczestnicy ({n} osoba):", "Uczestnicy ({n} osób):", count).format(n=count)


def summary_extra_marker() -> str:
    return _("(za zgodą organizatora)")


def summary_footer(extra: int) -> str:
    lines = []
    if extra:
        lines.append(
            _(
                "Uczestnicy ponad wymaganą liczbę będą zgłoszeni za zgodą organizatora i do "
                "czasu jej udzielenia czekają na nią (zasady rekrutacji, pkt 11)."
            )
        )
    lines.append(
        _(
            "Wysłanie zgłoszenia oznacza akceptację zasad uczestnictwa (zasady rekrutacji, "
            "pkt 8). Aby coś zmienić, proszę wybrać pole."
        )
    )
    return "\n".join(lines)


def send_label() -> str:
    return _("Wyślij zgłoszenie")


def edit_label(field: str) -> str:
    return _("Zmień: {field}").format(field=field)


def add_participant_label() -> str:
    return _("Dodaj uczestnika (za zgodą organizatora)")


def remove_participant_label(number: int) -> str:
    return _("Usuń uczestnika nr {number}").format(number=number)


def cancel_label() -> str:
    return _("Anuluj zgłoszenie")


def field_line(label: str, value: str) -> str:
    return _("{label}: {value}").format(label=label, value=value)


# --- questions ----------------------------------------------------------------------------


def question_prompt() -> str:
    return _(
        "Proszę napisać pytanie o zasady rekrutacji, np. „Ile osób możemy zgłosić?”. Pytanie "
        "można zadać na każdym etapie rozmowy, także w środku formularza."
    )


def question_for_organiser(question: str, jst: str) -> str:
    return _("Pytanie bez gotowej odpowiedzi (jst: {jst}):\n{question}").format(
        jst=jst, question=question
    )


def faq_unavailable() -> str:
    return _(
        "Nie możemy teraz odpowiedzieć na to pytanie. Prosimy o kontakt z organizatorem "
        "szkoleń: ZMP (gminy) albo ZPP (powiaty i miasta na prawach powiatu)."
    )


# --- organisers ---------------------------------------------------------------------------


def organisers_only() -> str:
    return _("Ta komenda jest dostępna tylko dla organizatorów szkoleń.")


def statistics(
    *,
    total: int,
    by_status: Mapping[Status, int],
    by_kind: Mapping[JstKind, int],
    by_organizer: Mapping[Organizer, int],
    by_area: Mapping[Area, tuple[int, int, int]],
) -> str:
    lines = [
        ngettext("Zgłoszenia: {n} zgłoszenie.", "Zgłoszenia: {n} zgłoszeń.", total).format(n=total),
        "",
        _("Według statusu:"),
        *(f"• {_(status.label)}: {count}" for status, count in by_status.items()),
        "",
        _("Według rodzaju jst:"),
        *(f"• {_(kind.label)}: {count}" for kind, count in by_kind.items()),
        "",
        _("Według organizatora:"),
        *(f"• {organizer.value}: {count}" for organizer, count in by_organizer.items()),
        "",
        _(
            "Uczestnicy według obszaru (online / stacjonarnie; jst ze szkoleniem "
            "stacjonarnym — potrzeba co najmniej 5):"
        ),
        *(
            f"• {_(area.label)}: {online} / {stationary}; {jst}"
            for area, (online, stationary, jst) in by_area.items()
        ),
    ]
    return "\n".join(lines)


def export_caption(count: int) -> str:
    return ngettext(
        "Eksport zgłoszeń: {n} zgłoszenie, jeden wiersz na jst.",
        "Eksport zgłoszeń: {n} zgłoszeń, jeden wiersz na jst.",
        count,
    ).format(n=count)


def export_empty() -> str:
    return _("Nie ma jeszcze zgłoszeń do wyeksportowania.")


def stage_details(stage: StageView) -> str:
    lang = current_language()
    lines = [
        _("Etap „{name}”: od {opens} do {closes}.").format(
            name=stage.name,
            opens=format_when(stage.opens_at, lang),
            closes=format_when(stage.closed_at or stage.closes_at, lang),
        ),
        _(
            "Miejsca: {capacity}; zakwalifikowane: {qualified}; lista rezerwowa: {reserve}; "
            "wolne: {left}."
        ).format(
            capacity=stage.capacity,
            qualified=stage.qualified,
            reserve=stage.reserve,
            left=stage.places_left,
        ),
    ]
    if stage.reserve_only:
        lines.append(_("Etap tylko dla jst z listy rezerwowej (zasady rekrutacji, pkt 6)."))
    if stage.propose_reserve_only_next:
        lines.append(
            _(
                "Zgłoszeń jest ponad 577: kolejny etap może być tylko dla jst z listy "
                "rezerwowej (zasady rekrutacji, pkt 6) — decyzja należy do organizatorów."
            )
        )
    return "\n".join(lines)


def organiser_number_needed(command: str) -> str:
    return _("Proszę podać numer zgłoszenia, np. {command} 12.").format(command=command)


def organiser_refused(code: str, number: int) -> str:
    if code == "application_unknown":
        return _("Nie ma zgłoszenia nr {number}.").format(number=number)
    return _(
        "Zgłoszenie nr {number} nie jest zakwalifikowane, więc nie ma umowy do zmiany."
    ).format(number=number)


def agreement_withdrawn(number: int, promoted: int | None, promoted_jst: str | None) -> str:
    text = _("Odstąpiono od umowy ze zgłoszeniem nr {number}.").format(number=number)
    if promoted is not None:
        text += " " + _(
            "Miejsce otrzymało zgłoszenie nr {promoted} ({jst}); jst dostanie wiadomość."
        ).format(promoted=promoted, jst=promoted_jst)
    else:
        text += " " + _("Lista rezerwowa jest pusta.")
    return text


def agreement_marked_signed(number: int, jst: str) -> str:
    return _("Umowa zgłoszenia nr {number} ({jst}) oznaczona jako zawarta.").format(
        number=number, jst=jst
    )

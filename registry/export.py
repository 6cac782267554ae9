"""Exports of the applications for organiser staff: CSV, XLSX (openpyxl) and JSON.

One row per JST or one row per participant; Polish headers (gettext), times in
Europe/Warsaw, so the file opens in a spreadsheet ready to sort and filter.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from locales import TIMEZONE, gettext
from registry.views import ApplicationView
from rules._marker import N_
from rules.areas import Area, parse_area
from rules.jst import JstKind
from rules.participants import Training, group_for, parse_training


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class Granularity(StrEnum):
    JST = "jst"
    PARTICIPANT = "participant"


Column = tuple[str, Callable[[ApplicationView, dict[str, Any] | None], Any]]


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE).replace(tzinfo=None)


def _participants(app: ApplicationView, training: Training) -> str:
    return "; ".join(
        p["name"]
        for p in app.document.get("participants", [])
        if parse_training(p.get("training")) is training
    )


def _stationary_area(app: ApplicationView, lang: str) -> str:
    for p in app.document.get("participants", []):
        if parse_training(p.get("training")) is Training.STATIONARY:
            return _area_label(p.get("area"), lang)
    return ""


def _training_label(value: Any, lang: str) -> str:
    training = parse_training(value)
    return gettext(training.label, lang) if training else str(value or "")


def _area_label(value: Any, lang: str) -> str:
    area = parse_area(value)
    return gettext(area.label, lang) if isinstance(area, Area) else str(value or "")


def _columns(granularity: Granularity, lang: str) -> list[Column]:
    def t(msgid: str) -> str:
        return gettext(msgid, lang)

    common: list[Column] = [
        (t(N_("Nr zgłoszenia")), lambda a, p: a.number),
        (t(N_("Status")), lambda a, p: t(a.status.label)),
        (t(N_("Pozycja na liście rezerwowej")), lambda a, p: a.reserve_position),
        (t(N_("Etap")), lambda a, p: a.stage_name),
        (t(N_("Data zgłoszenia")), lambda a, p: _local(a.submitted_at)),
        (t(N_("JST")), lambda a, p: a.jst_name),
        (t(N_("Rodzaj JST")), lambda a, p: t(JstKind(a.kind).label)),
        (t(N_("TERYT")), lambda a, p: a.teryt),
        (t(N_("Organizator")), lambda a, p: a.organizer),
    ]
    if granularity is Granularity.PARTICIPANT:
        return [
            *common,
            (t(N_("Uczestnik")), lambda a, p: (p or {}).get("name", "")),
            (
                t(N_("Rodzaj szkolenia")),
                lambda a, p: _training_label((p or {}).get("training"), lang),
            ),
            (t(N_("Obszar tematyczny")), lambda a, p: _area_label((p or {}).get("area"), lang)),
            (t(N_("Osoba do kontaktu")), lambda a, p: a.document["contact"]["name"]),
            (t(N_("E-mail osoby do kontaktu")), lambda a, p: a.contact_email),
        ]
    return [
        *common,
        (t(N_("NIP")), lambda a, p: a.nip),
        (t(N_("Powiat")), lambda a, p: a.document["jst"].get("powiat", "")),
        (t(N_("Nazwa urzędu")), lambda a, p: a.document["jst"].get("office_name", "")),
        (t(N_("Adres urzędu")), lambda a, p: a.document["jst"].get("office_address", "")),
        (t(N_("Liczba pracowników")), lambda a, p: a.document["employees"]),
        (t(N_("Grupa")), lambda a, p: group_for(a.document["employees"]).numeral),
        (
            t(N_("Wymagana liczba uczestników")),
            lambda a, p: group_for(a.document["employees"]).required,
        ),
        (t(N_("Liczba uczestników")), lambda a, p: len(a.document.get("participants", []))),
        (
            t(N_("Dodatkowi uczestnicy czekają na zgodę organizatora")),
            lambda a, p: t(N_("tak")) if a.consent_pending else t(N_("nie")),
        ),
        (t(N_("Osoba do kontaktu")), lambda a, p: a.document["contact"]["name"]),
        (t(N_("Telefon")), lambda a, p: a.document["contact"]["phone"]),
        (t(N_("E-mail")), lambda a, p: a.contact_email),
        (t(N_("Obszar szkolenia stacjonarnego")), lambda a, p: _stationary_area(a, lang)),
        (t(N_("Uczestnicy szkoleń online")), lambda a, p: _participants(a, Training.ONLINE)),
        (
            t(N_("Uczestnicy szkoleń stacjonarnych")),
            lambda a, p: _participants(a, Training.STATIONARY),
        ),
    ]


def rows(
    applications: Sequence[ApplicationView], granularity: Granularity, lang: str = "pl"
) -> tuple[list[str], list[list[Any]]]:
    columns = _columns(granularity, lang)
    header = [name for name, _ in columns]
    body: list[list[Any]] = []
    for app in applications:
        if granularity is Granularity.PARTICIPANT:
            for participant in app.document.get("participants", []):
                body.append([value(app, participant) for _, value in columns])
        else:
            body.append([value(app, None) for _, value in columns])
    return header, body


def to_csv(applications: Sequence[ApplicationView], granularity: Granularity, lang: str) -> str:
    header, body = rows(applications, granularity, lang)
    buffer = io.StringIO()
    # A semicolon and a BOM: what a spreadsheet set to Polish opens without an import wizard.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in body:
        writer.writerow(
            [v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else v for v in row]
        )
    return "\ufeff" + buffer.getvalue()


def to_xlsx(applications: Sequence[ApplicationView], granularity: Granularity, lang: str) -> bytes:
    header, body = rows(applications, granularity, lang)
    # openpyxl is imported when a workbook is made: some 4 MB the bot and the mail
    # gateway would otherwise hold from start-up for an export asked now and then.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = gettext(
        N_("Uczestnicy") if granularity is Granularity.PARTICIPANT else N_("Zgłoszenia"), lang
    )
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in body:
        sheet.append(row)
    for column, name in enumerate(header, start=1):
        values = [str(name)] + [str(r[column - 1] or "") for r in body[:500]]
        width = min(60, max(10, *(len(v) for v in values)) + 2)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(applications: Sequence[ApplicationView]) -> str:
    """The registration documents (DESIGN.md), each with its application's data."""
    documents = [{**app.document, "application": app.to_json()} for app in applications]
    return json.dumps(documents, ensure_ascii=False, indent=2)


def export(
    applications: Sequence[ApplicationView],
    fmt: ExportFormat,
    granularity: Granularity = Granularity.JST,
    lang: str = "pl",
) -> bytes:
    if fmt is ExportFormat.XLSX:
        return to_xlsx(applications, granularity, lang)
    if fmt is ExportFormat.CSV:
        return to_csv(applications, granularity, lang).encode("utf-8")
    return to_json(applications).encode("utf-8")

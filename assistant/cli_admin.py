"""`smup admin …`: recruitment stages, the pilot list and the applications."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from assistant.cli_common import (
    _,
    default_close,
    emit,
    err,
    fail,
    out,
    parse_when,
    print_violations,
    read_documents,
    read_input,
    run_async,
    settings,
    stage_table,
)
from assistant.services import open_registry
from locales import describe, format_when
from registry.db import utcnow
from registry.export import ExportFormat, Granularity, export
from registry.lifecycle import Lifecycle
from registry.outbox import Outbox
from registry.views import ApplicationView
from rules._marker import N_
from rules.jst import JstKind
from rules.recruitment import Status

ACTOR = "cli"

admin_app = typer.Typer(help="Narzędzia organizatora.", no_args_is_help=True)
stage_app = typer.Typer(help="Etapy rekrutacji.", no_args_is_help=True)
pilot_app = typer.Typer(help="Lista jst z pilotażu.", no_args_is_help=True)
apps_app = typer.Typer(help="Zgłoszenia.", no_args_is_help=True)
admin_app.add_typer(stage_app, name="stage")
admin_app.add_typer(pilot_app, name="pilot")
admin_app.add_typer(apps_app, name="applications")


# --- stages -------------------------------------------------------------------------------


@stage_app.command("list")
def stage_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Etapy rekrutacji z liczbą miejsc, zakwalifikowanych i rezerwy."""

    async def work() -> list[Any]:
        async with open_registry(settings()) as registry:
            return await registry.list_stages()

    stages = run_async(work)
    if as_json:
        for stage in stages:
            emit(stage.to_json())
        return
    out.print(stage_table(stages))


@stage_app.command("open")
def stage_open(
    name: str = typer.Argument(..., help="Nazwa etapu, np. „Etap II”."),
    opens: str | None = typer.Option(None, "--opens", help="Początek (domyślnie teraz)."),
    closes: str | None = typer.Option(None, "--closes", help="Koniec (domyślnie +30 dni)."),
    capacity: int = typer.Option(577, "--capacity", help="Liczba miejsc (jst)."),
    reserve_only: bool = typer.Option(
        False, "--reserve-only", help="Etap tylko dla jst z listy rezerwowej (pkt 6)."
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Ogłasza etap rekrutacji (co najmniej 30 dni, pkt 3)."""
    opens_at = parse_when(opens, utcnow())
    closes_at = parse_when(closes, default_close(opens_at))

    async def work() -> Any:
        async with open_registry(settings(), prepare=False) as registry:
            await registry.db.upgrade()
            return await registry.open_stage(
                name,
                opens_at=opens_at,
                closes_at=closes_at,
                capacity=capacity,
                reserve_only=reserve_only,
                actor=ACTOR,
            )

    result = run_async(work)
    if result.stage is None:
        err.print(_(N_("Nie można ogłosić etapu:")))
        print_violations(result.violations)
        raise typer.Exit(1)
    if as_json:
        emit({**result.stage.to_json(), "carried_over": list(result.carried_over)})
        return
    out.print(stage_table([result.stage]))
    if result.carried_over:
        out.print(
            _(N_("Jst z listy rezerwowej przeniesione z pierwszeństwem (pkt 5): {n}.")).format(
                n=len(result.carried_over)
            )
        )


@stage_app.command("close")
def stage_close(
    stage_id: int = typer.Argument(..., help="Numer etapu (smup admin stage list)."),
    force: bool = typer.Option(False, "--force", help="Zamknij przed upływem 30 dni."),
) -> None:
    """Zamyka etap rekrutacji."""

    async def work() -> Any:
        async with open_registry(settings()) as registry:
            return await registry.close_stage(stage_id, force=force, actor=ACTOR)

    out.print(stage_table([run_async(work)]))


@stage_app.command("reserve-only")
def stage_reserve_only(
    stage_id: int = typer.Argument(...),
    off: bool = typer.Option(False, "--off", help="Wyłącz ograniczenie."),
) -> None:
    """Decyzja organizatora: etap tylko dla jst z listy rezerwowej (pkt 6)."""

    async def work() -> Any:
        async with open_registry(settings()) as registry:
            return await registry.set_reserve_only(stage_id, not off)

    out.print(stage_table([run_async(work)]))


# --- pilot list ---------------------------------------------------------------------------


@pilot_app.command("import")
def pilot_import(
    source: str = typer.Argument(..., metavar="FILE|-", help="CSV: kody TERYT lub nazwy jst."),
    replace: bool = typer.Option(False, "--replace", help="Zastąp całą listę."),
) -> None:
    """Wczytuje listę jst z pilotażu (wyłączonych ze szkoleń, informacje podstawowe pkt 3)."""
    text = read_input(source)

    async def work() -> Any:
        async with open_registry(settings()) as registry:
            return await registry.import_pilot(
                text, source=Path(source).name if source != "-" else "stdin", replace=replace
            )

    result = run_async(work)
    if not result.ok:
        err.print(_(N_("Nic nie zaimportowano. Popraw wiersze:")))
        for row in result.problems:
            reason = (
                _(N_("nie znaleziono jst"))
                if row.problem == "unknown"
                else _(
                    N_("nazwa niejednoznaczna; podaj kod TERYT albo rodzaj jst w drugiej kolumnie")
                )
            )
            err.print(f"  {_(N_('wiersz'))} {row.line}: „{row.text}” – {reason}", highlight=False)
            for candidate in row.candidates:
                err.print(f"      {candidate}", highlight=False)
        raise typer.Exit(1)
    out.print(
        _(N_("Zaimportowano nowych jst z pilotażu: {n} (wierszy: {rows}).")).format(
            n=result.imported, rows=len(result.rows)
        )
    )
    if result.affected_applications:
        out.print(
            _(N_("Uwaga: zgłoszenia jst z pilotażu już w rejestrze: {numbers}.")).format(
                numbers=", ".join(map(str, result.affected_applications))
            )
        )


@pilot_app.command("list")
def pilot_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Lista jst z pilotażu."""

    async def work() -> list[tuple[str, str]]:
        async with open_registry(settings()) as registry:
            return await registry.pilot_list()

    for teryt, name in run_async(work):
        if as_json:
            emit({"teryt": teryt, "name": name})
        else:
            out.print(f"{teryt}  {name}", highlight=False)


# --- applications -------------------------------------------------------------------------


def _status(value: str | None) -> Status | None:
    if value is None:
        return None
    try:
        return Status(value)
    except ValueError:
        fail(
            _(N_("nieznany status „{value}”; dozwolone: {allowed}")).format(
                value=value, allowed=", ".join(s.value for s in Status)
            )
        )


def application_table(applications: list[ApplicationView]) -> Table:
    table = Table()
    for header in (
        N_("Nr"),
        N_("JST"),
        N_("Rodzaj"),
        N_("TERYT"),
        N_("Org."),
        N_("Status"),
        N_("Etap"),
        N_("Zgłoszono"),
    ):
        table.add_column(_(header))
    for a in applications:
        status = _(a.status.label)
        if a.reserve_position:
            status += f" ({a.reserve_position})"
        table.add_row(
            str(a.number),
            a.jst_name,
            _(JstKind(a.kind).label),
            a.teryt,
            a.organizer,
            status,
            a.stage_name,
            format_when(a.submitted_at),
        )
    return table


@apps_app.command("list")
def applications_list(
    status: str | None = typer.Option(None, "--status", help="qualified, reserve, withdrawn…"),
    stage: int | None = typer.Option(None, "--stage"),
    organizer: str | None = typer.Option(None, "--organizer", help="ZMP albo ZPP."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Zgłoszenia w kolejności wpływu."""
    wanted = _status(status)

    async def work() -> list[ApplicationView]:
        async with open_registry(settings()) as registry:
            return await registry.list_applications(
                status=wanted, stage_id=stage, organizer=organizer.upper() if organizer else None
            )

    applications = run_async(work)
    if as_json:
        for application in applications:
            emit(application.to_json())
        return
    out.print(application_table(applications))


@apps_app.command("show")
def applications_show(number: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """Jedno zgłoszenie z dokumentem i historią zmian."""

    async def work() -> ApplicationView:
        async with open_registry(settings()) as registry:
            return await registry.get(number)

    a = run_async(work)
    history = [
        {
            "at": h.at.isoformat(),
            "from": h.from_status,
            "to": h.to_status,
            "actor": h.actor,
            "reason": h.reason,
            "stage": h.stage,
        }
        for h in a.history
    ]
    if as_json:
        emit({**a.to_json(), "document": a.document, "history": history})
        return
    out.print(application_table([a]))
    out.print_json(json.dumps(a.document, ensure_ascii=False))
    for h in a.history:
        out.print(
            f"{format_when(h.at)}  {h.from_status or '—'} → {h.to_status}  "
            f"{h.actor}  {h.reason}  {h.stage or ''}",
            highlight=False,
        )


@apps_app.command("export")
def applications_export(
    fmt: ExportFormat = typer.Option(ExportFormat.XLSX, "--format"),
    per: Granularity = typer.Option(Granularity.JST, "--per", help="Wiersz na jst lub uczestnika."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Plik (domyślnie stdout)."),
    status: str | None = typer.Option(None, "--status"),
    organizer: str | None = typer.Option(None, "--organizer"),
    lang: str = typer.Option("pl", "--lang"),
) -> None:
    """Eksport zgłoszeń: CSV, XLSX lub JSON."""
    wanted = _status(status)
    if fmt is ExportFormat.XLSX and output is None and sys.stdout.isatty():
        fail(_(N_("plik XLSX zapisz do pliku: --output zgloszenia.xlsx")))

    async def work() -> list[ApplicationView]:
        async with open_registry(settings()) as registry:
            return await registry.list_applications(
                status=wanted, organizer=organizer.upper() if organizer else None
            )

    data = export(run_async(work), fmt, per, lang)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        fail(str(exc))
    err.print(_(N_("Zapisano {path}.")).format(path=output))


@apps_app.command("submit")
def applications_submit(
    source: str = typer.Argument(..., metavar="FILE|-", help="Dokument(y) zgłoszenia (JSON)."),
    as_json: bool = typer.Option(False, "--json"),
    lang: str = typer.Option("pl", "--lang"),
) -> None:
    """Przyjmuje zgłoszenie z dokumentu JSON (jeden dokument lub lista)."""
    documents = read_documents(source)

    async def work() -> list[Any]:
        async with open_registry(settings()) as registry:
            return [await registry.submit(d, channel="cli", actor=ACTOR) for d in documents]

    refused = 0
    for result in run_async(work):
        if result.accepted:
            a = result.application
            if as_json:
                emit({"accepted": True, **a.to_json(), "errors": []})
            else:
                out.print(
                    _(N_("Przyjęto zgłoszenie nr {number}: {jst} – {status}.")).format(
                        number=a.number, jst=a.jst_name, status=_(a.status.label)
                    ),
                    highlight=False,
                )
            continue
        refused += 1
        errors = [
            {"code": v.code.value, "message": describe(v, lang), "path": v.path}
            for v in result.violations
        ]
        if as_json:
            emit({"accepted": False, "errors": errors})
        else:
            err.print(_(N_("Zgłoszenie nieprzyjęte:")))
            print_violations(result.violations)
    raise typer.Exit(1 if refused else 0)


@apps_app.command("promote")
def applications_promote(
    stage: int | None = typer.Option(None, "--stage", help="Etap z wolnym miejscem."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Daje wolne miejsce pierwszej jst z listy rezerwowej (pkt 5, umowa pkt 5)."""

    async def work() -> ApplicationView:
        async with open_registry(settings()) as registry:
            return await registry.promote(stage_id=stage, actor=ACTOR)

    a = run_async(work)
    if as_json:
        emit(a.to_json())
        return
    out.print(
        _(N_("Zakwalifikowano z listy rezerwowej: nr {number}, {jst}.")).format(
            number=a.number, jst=a.jst_name
        ),
        highlight=False,
    )


@apps_app.command("withdraw")
def applications_withdraw(
    number: int,
    reason: str = typer.Option("", "--reason", help="Powód (zapisywany w historii)."),
    no_promote: bool = typer.Option(False, "--no-promote", help="Nie przesuwaj rezerwy."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Wycofuje zgłoszenie; zwolnione miejsce dostaje pierwsza jst z listy rezerwowej."""

    async def work() -> Any:
        async with open_registry(settings()) as registry:
            return await registry.withdraw(
                number, actor=ACTOR, reason=reason, promote=not no_promote
            )

    result = run_async(work)
    promoted = result.promoted
    if as_json:
        emit({**result.application.to_json(), "promoted": promoted.to_json() if promoted else None})
        return
    out.print(_(N_("Wycofano zgłoszenie nr {number}.")).format(number=number))
    if promoted:
        out.print(
            _(N_("Zakwalifikowano z listy rezerwowej: nr {number}, {jst}.")).format(
                number=promoted.number, jst=promoted.jst_name
            ),
            highlight=False,
        )


# --- agreements, schedule, outbox (Umowa uczestnictwa pkt 1–5) --------------------------

agreement_app = typer.Typer(help="Umowy uczestnictwa.", no_args_is_help=True)
schedule_app = typer.Typer(help="Harmonogram szkoleń.", no_args_is_help=True)
outbox_app = typer.Typer(help="Kolejka powiadomień.", no_args_is_help=True)
admin_app.add_typer(agreement_app, name="agreement")
admin_app.add_typer(schedule_app, name="schedule")
admin_app.add_typer(outbox_app, name="outbox")


@agreement_app.command("mark-signed")
def agreement_mark_signed(number: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """Potwierdza zawarcie umowy uczestnictwa (przypomnienia ustają)."""

    async def work() -> ApplicationView:
        async with open_registry(settings()) as registry:
            return await Lifecycle(registry).mark_signed(number, actor=ACTOR)

    a = run_async(work)
    if as_json:
        emit({**a.to_json(), "agreement": "signed"})
        return
    out.print(
        _(N_("Umowa zgłoszenia nr {number} ({jst}) oznaczona jako zawarta.")).format(
            number=a.number, jst=a.jst_name
        ),
        highlight=False,
    )


@agreement_app.command("mark-missing")
def agreement_mark_missing(
    number: int,
    no_promote: bool = typer.Option(False, "--no-promote", help="Nie przesuwaj rezerwy."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Umowa niepodpisana w terminie: odstąpienie, miejsce dla listy rezerwowej (pkt 4–5)."""

    async def work() -> Any:
        async with open_registry(settings()) as registry:
            return await Lifecycle(registry).mark_missing(
                number, actor=ACTOR, promote=not no_promote
            )

    result = run_async(work)
    promoted = result.promoted
    if as_json:
        emit({**result.application.to_json(), "promoted": promoted.to_json() if promoted else None})
        return
    out.print(_(N_("Odstąpiono od umowy ze zgłoszeniem nr {number}.")).format(number=number))
    if promoted:
        out.print(
            _(N_("Zakwalifikowano z listy rezerwowej: nr {number}, {jst}.")).format(
                number=promoted.number, jst=promoted.jst_name
            ),
            highlight=False,
        )


@admin_app.command("deadlines")
def deadlines(as_json: bool = typer.Option(False, "--json")) -> None:
    """Zbliżające się terminy umów (najbliższe najpierw)."""

    async def work() -> list[ApplicationView]:
        async with open_registry(settings()) as registry:
            lifecycle = Lifecycle(registry)
            await lifecycle.tick()
            return await lifecycle.deadlines()

    rows = run_async(work)
    if as_json:
        for a in rows:
            emit(
                {
                    **a.to_json(),
                    "agreement_deadline": a.agreement_deadline.isoformat()
                    if a.agreement_deadline
                    else None,
                    "agreement": a.agreement_status,
                }
            )
        return
    table = Table()
    for header in (N_("Nr"), N_("JST"), N_("Org."), N_("Termin umowy"), N_("Umowa")):
        table.add_column(_(header))
    for a in rows:
        table.add_row(
            str(a.number),
            a.jst_name,
            a.organizer,
            format_when(a.agreement_deadline) if a.agreement_deadline else "—",
            a.agreement_status,
        )
    out.print(table)


@schedule_app.command("import")
def schedule_import(
    source: str = typer.Argument(
        ..., metavar="FILE|-", help="CSV: rodzaj; obszar; od (RRRR-MM-DD); do; opis."
    ),
) -> None:
    """Wczytuje harmonogram szkoleń (zastępuje poprzedni; wszystko albo nic)."""
    text = read_input(source)

    async def work() -> Any:
        async with open_registry(settings()) as registry:
            return await Lifecycle(registry).import_schedule(text)

    rows = run_async(work)
    problems = [row for row in rows if row.problem]
    if problems:
        err.print(_(N_("Nic nie zaimportowano. Popraw wiersze:")))
        reasons = {
            "training": N_("nieznany rodzaj szkolenia (online albo stacjonarne)"),
            "area": N_("nieznany obszar tematyczny (szkolenie stacjonarne wymaga obszaru)"),
            "date": N_("nieprawidłowa data (RRRR-MM-DD)"),
        }
        for row in problems:
            err.print(f"  {_(N_('wiersz'))} {row.line}: {_(reasons[row.problem or 'date'])}")
        raise typer.Exit(1)
    out.print(_(N_("Zaimportowano terminów szkoleń: {n}.")).format(n=len(rows)))


@schedule_app.command("list")
def schedule_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Harmonogram szkoleń."""

    async def work() -> Any:
        async with open_registry(settings()) as registry:
            return await Lifecycle(registry).schedule()

    for training, area, starts, ends, description in run_async(work):
        if as_json:
            emit(
                {
                    "training": training,
                    "area": area,
                    "starts_on": starts.isoformat(),
                    "ends_on": ends.isoformat() if ends else None,
                    "description": description,
                }
            )
        else:
            out.print(
                f"{format_when(starts)}  {training}  {area or '—'}  {description}", highlight=False
            )


@outbox_app.command("status")
def outbox_status(as_json: bool = typer.Option(False, "--json")) -> None:
    """Liczba powiadomień według kanału i stanu."""

    async def work() -> dict[str, int]:
        async with open_registry(settings()) as registry:
            return await Outbox(registry.db).counts()

    counts = run_async(work)
    if as_json:
        emit(counts)
        return
    for key, count in sorted(counts.items()):
        out.print(f"{key}: {count}")


@outbox_app.command("retry")
def outbox_retry(
    ids: list[int] = typer.Argument(None, help="Numery; bez nich: wszystkie nieudane."),
) -> None:
    """Ponawia wysyłkę nieudanych powiadomień."""

    async def work() -> int:
        async with open_registry(settings()) as registry:
            return await Outbox(registry.db).retry(ids or None)

    out.print(_(N_("Ponownie w kolejce: {n}.")).format(n=run_async(work)))

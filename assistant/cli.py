"""The `smup` command: the service, the rules, the register and the organiser's tools.

Output meant for machines is one JSON object per line wherever --json is given
(DESIGN.md). Bad input gets a clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from assistant.settings import Settings
from locales import DEFAULT_LANGUAGE, TIMEZONE, compile_catalogs, describe, format_when, gettext
from rules._marker import N_
from rules.document import check_document
from rules.register import load_register
from rules.violations import Violation

T = TypeVar("T")

app = typer.Typer(
    name="smup",
    help="SMUP Assistant: zgłoszenia jst na szkolenia SMUP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="Zasady rekrutacji.", no_args_is_help=True)
db_app = typer.Typer(help="Baza danych.", no_args_is_help=True)
admin_app = typer.Typer(help="Narzędzia organizatora.", no_args_is_help=True)
stage_app = typer.Typer(help="Etapy rekrutacji.", no_args_is_help=True)
pilot_app = typer.Typer(help="Lista jst z pilotażu.", no_args_is_help=True)
apps_app = typer.Typer(help="Zgłoszenia.", no_args_is_help=True)
i18n_app = typer.Typer(help="Katalogi tłumaczeń.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
app.add_typer(i18n_app, name="i18n")
admin_app.add_typer(stage_app, name="stage")
admin_app.add_typer(pilot_app, name="pilot")
admin_app.add_typer(apps_app, name="applications")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _(msgid: str) -> str:
    return gettext(msgid, DEFAULT_LANGUAGE)


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]{_(N_('Błąd'))}:[/] {message}", highlight=False)
    raise typer.Exit(code)


def emit(obj: dict[str, Any]) -> None:
    """One JSON object per line (DESIGN.md)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def read_input(source: str) -> str:
    """A file's text, or standard input for "-"."""
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        fail(
            _(N_("nie można odczytać pliku {path}: {reason}")).format(
                path=source, reason=exc.strerror or exc
            )
        )
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    fail(_(N_("plik {path} nie jest plikiem tekstowym")).format(path=source))


def settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError: say which setting is wrong
        fail(_(N_("nieprawidłowe ustawienia: {reason}")).format(reason=exc))


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    from registry.views import RegistryError

    try:
        return asyncio.run(make())  # type: ignore[arg-type]
    except RegistryError as exc:
        fail(registry_error_text(exc), 1)
    except OSError as exc:
        fail(str(exc))
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError):
            fail(_(N_("błąd bazy danych: {reason}")).format(reason=exc.__class__.__name__))
        raise


REGISTRY_ERRORS: dict[str, str] = {
    "stage_unknown": N_("nie ma etapu {stage}."),
    "stage_already_closed": N_("etap „{stage}” jest już zamknięty."),
    "stage_too_young": N_(
        "nabór w etapie „{stage}” trwa co najmniej 30 dni (zasady rekrutacji, pkt 3); "
        "etap można zamknąć od {earliest}, a wcześniej tylko z opcją --force."
    ),
    "not_active": N_("zgłoszenie nr {number} nie jest aktywne (status: {status})."),
    "no_free_place": N_("w etapie „{stage}” nie ma wolnego miejsca (miejsc: {capacity})."),
    "reserve_empty": N_("lista rezerwowa jest pusta."),
    "application_unknown": N_("nie ma zgłoszenia nr {number}."),
}


def registry_error_text(exc: Any) -> str:
    params = {k: format_when(v) if isinstance(v, datetime) else v for k, v in exc.params.items()}
    return _(REGISTRY_ERRORS.get(exc.code, exc.code)).format(**params)


def parse_when(value: str | None, default: datetime | None = None) -> datetime:
    """An ISO date or date-time; without a zone it is Warsaw time."""
    if value is None:
        if default is None:
            raise typer.BadParameter(_(N_("podaj datę")))
        return default
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            _(N_("„{value}” nie jest datą (RRRR-MM-DD lub RRRR-MM-DDTGG:MM)")).format(value=value)
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIMEZONE)
    return moment.astimezone(UTC)


# --- smup run ---------------------------------------------------------------------------


@app.command()
def run() -> None:
    """Uruchamia asystenta: baza danych, etap rekrutacji, kanały."""
    from assistant.runtime import serve

    config = settings()
    try:
        asyncio.run(serve(config, out))
    except KeyboardInterrupt:
        out.print(_(N_("Zatrzymano.")))


# --- smup rules ---------------------------------------------------------------------------


def check_result_json(document: Any, lang: str) -> dict[str, Any]:
    result = check_document(document, load_register())
    return {
        "valid": result.valid,
        "errors": [
            {"code": v.code.value, "message": describe(v, lang), "path": v.path}
            for v in result.violations
        ],
        "required_participants": result.required_participants,
        "group": result.group,
        "organizer": result.organizer.value if result.organizer else None,
    }


@rules_app.command("check")
def rules_check(
    source: str = typer.Argument(..., metavar="FILE|-", help="Dokument zgłoszenia (JSON)."),
    as_json: bool = typer.Option(False, "--json", help="Wynik jako JSON."),
    lang: str = typer.Option(DEFAULT_LANGUAGE, "--lang", help="Język komunikatów: pl lub en."),
) -> None:
    """Sprawdza dokument zgłoszenia ze wszystkimi zasadami naraz."""
    text = read_input(source)
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(
            _(N_("to nie jest poprawny JSON (wiersz {line}, kolumna {column})")).format(
                line=exc.lineno, column=exc.colno
            )
        )
    documents = loaded if isinstance(loaded, list) else [loaded]
    all_valid = True
    for document in documents:
        result = check_result_json(document, lang)
        all_valid = all_valid and result["valid"]
        if as_json:
            emit(result)
            continue
        if result["valid"]:
            out.print(f"[green]✔[/] {_(N_('Zgłoszenie spełnia zasady.'))}")
        else:
            out.print(f"[red]✘[/] {_(N_('Zgłoszenie wymaga poprawek:'))}")
            for error in result["errors"]:
                out.print(f"  • {error['message']} [dim]({error['code']})[/]", highlight=False)
        if result["required_participants"] is not None:
            out.print(
                _(N_("Grupa {group}, wymagana liczba uczestników: {required}.")).format(
                    group=result["group"], required=result["required_participants"]
                )
            )
        if result["organizer"]:
            out.print(_(N_("Organizator: {organizer}.")).format(organizer=result["organizer"]))
    raise typer.Exit(0 if all_valid else 1)


# --- smup db ------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Tworzy bazę danych lub aktualizuje jej schemat."""
    from registry.db import Database, current_revision

    config = settings()

    async def upgrade() -> str | None:
        db = Database(config.effective_database_url())
        try:
            await db.upgrade()
            return await current_revision(db)
        finally:
            await db.dispose()

    revision = run_async(upgrade)
    out.print(
        _(N_("Schemat bazy danych jest aktualny (wersja {revision}).")).format(revision=revision)
    )


# --- smup i18n ----------------------------------------------------------------------------


@i18n_app.command("compile")
def i18n_compile() -> None:
    """Kompiluje katalogi .po do .mo."""
    for path in compile_catalogs():
        out.print(str(path))


def print_violations(violations: tuple[Violation, ...] | list[Violation]) -> None:
    for violation in violations:
        err.print(f"  • {describe(violation)} [dim]({violation.code.value})[/]", highlight=False)


def stage_table(stages: list[Any]) -> Table:
    table = Table(show_lines=False)
    for header in (
        N_("Nr"),
        N_("Etap"),
        N_("Otwarcie"),
        N_("Zamknięcie"),
        N_("Miejsca"),
        N_("Zakwalifikowane"),
        N_("Rezerwa"),
        N_("Stan"),
    ):
        table.add_column(_(header))
    for stage in stages:
        state = _(N_("otwarty")) if stage.is_open else _(N_("zamknięty"))
        if stage.reserve_only:
            state += " · " + _(N_("tylko lista rezerwowa"))
        if stage.propose_reserve_only_next:
            state += " · " + _(N_("proponowany kolejny etap tylko dla listy rezerwowej (pkt 6)"))
        table.add_row(
            str(stage.id),
            stage.name,
            format_when(stage.opens_at),
            format_when(stage.closed_at or stage.closes_at),
            str(stage.capacity),
            str(stage.qualified),
            str(stage.reserve),
            state,
        )
    return table


def default_close(opens: datetime) -> datetime:
    return opens + timedelta(days=30)


from assistant import cli_admin as _cli_admin  # noqa: E402,F401 - registers the admin commands

for _module, _attr, _name in (
    ("assistant.cli_jst", "jst_app", "jst"),
    ("assistant.cli_faq", "faq_app", "faq"),
    ("assistant.cli_mail", "mail_app", "mail"),
):
    try:
        _sub = __import__(_module, fromlist=[_attr])
    except ModuleNotFoundError as _missing:
        if _missing.name != _module:
            raise
        continue
    app.add_typer(getattr(_sub, _attr), name=_name)


def main() -> None:
    app()

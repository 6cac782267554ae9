"""What every `smup` command shares: output, errors, input, settings, the event loop."""

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
from locales import DEFAULT_LANGUAGE, TIMEZONE, describe, format_when, gettext
from registry.views import RegistryError
from rules._marker import N_
from rules.violations import Violation

T = TypeVar("T")

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


def read_documents(source: str) -> list[Any]:
    """Registration documents from a JSON file or "-": one document, or a list of them."""
    text = read_input(source)
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(
            _(N_("to nie jest poprawny JSON (wiersz {line}, kolumna {column})")).format(
                line=exc.lineno, column=exc.colno
            )
        )
    return loaded if isinstance(loaded, list) else [loaded]


def settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError: say which setting is wrong
        fail(_(N_("nieprawidłowe ustawienia: {reason}")).format(reason=exc))


def run_async(make: Callable[[], Awaitable[T]]) -> T:
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
    "not_qualified": N_("zgłoszenie nr {number} nie jest zakwalifikowane (status: {status})."),
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

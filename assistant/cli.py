"""The `smup` command: the service, the rules, the register and the organiser's tools.

Output meant for machines is one JSON object per line wherever --json is given
(DESIGN.md). Bad input gets a clear message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import asyncio
from typing import Any

import typer

from assistant.cli_admin import admin_app
from assistant.cli_chat import chat
from assistant.cli_common import _, emit, out, read_documents, run_async, settings
from assistant.cli_faq import faq_app
from assistant.cli_jst import jst_app
from assistant.cli_mail import mail_app
from locales import DEFAULT_LANGUAGE, compile_catalogs, describe
from rules._marker import N_
from rules.document import check_document
from rules.register import load_register

app = typer.Typer(
    name="smup",
    help="SMUP Assistant: zgłoszenia jst na szkolenia SMUP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="Zasady rekrutacji.", no_args_is_help=True)
db_app = typer.Typer(help="Baza danych.", no_args_is_help=True)
i18n_app = typer.Typer(help="Katalogi tłumaczeń.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(db_app, name="db")
app.add_typer(i18n_app, name="i18n")

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
    documents = read_documents(source)
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


app.command("chat")(chat)
app.add_typer(admin_app, name="admin")
app.add_typer(jst_app, name="jst")
app.add_typer(faq_app, name="faq")
app.add_typer(mail_app, name="mail")


def main() -> None:
    app()

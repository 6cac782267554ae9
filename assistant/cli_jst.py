"""`smup jst find`: the JST register's search from the command line (DESIGN.md contracts).

With --json one object per candidate line, best first:
{"teryt", "name", "kind", "powiat", "wojewodztwo", "organizer"}. No candidate: a message
on stderr and exit code 1, so a script can tell "not found" from a found JST.
"""

from __future__ import annotations

import typer
from rich.table import Table

from assistant.cli_common import _, emit, err, out
from rules._marker import N_
from rules.register import Match, load_register

jst_app = typer.Typer(
    help="Rejestr jst (TERYT): wyszukiwanie gmin, powiatów i miast na prawach powiatu.",
    no_args_is_help=True,
)


@jst_app.callback()
def _group() -> None:
    """Rejestr jst (TERYT): wyszukiwanie gmin, powiatów i miast na prawach powiatu."""
    # A callback keeps `find` a sub-command even while it is the only one.


@jst_app.command("find")
def find(
    query: list[str] = typer.Argument(
        ..., help="Nazwa jst, np. „Nowy Targ”, „gmina wiejska Nowy Targ”, „powiat wielicki”."
    ),
    as_json: bool = typer.Option(False, "--json", help="Jeden obiekt JSON na wiersz."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="Najwięcej kandydatów."),
) -> None:
    """Znajduje jst po nazwie, także bez polskich liter, z literówką lub z „Urząd Gminy”."""
    # Several words without quotes (`smup jst find Nowy Targ`) are one query.
    text = " ".join(query).strip()
    matches = load_register().search(text, limit=limit) if text else []
    if not matches:
        err.print(
            _(N_("Nie znaleziono jst pasującej do „{query}”.")).format(query=text), highlight=False
        )
        raise typer.Exit(1)
    if as_json:
        for match in matches:
            emit(match.entry.to_json())
        return
    out.print(_table(matches))


def _table(matches: list[Match]) -> Table:
    table = Table(show_lines=False)
    for header in (
        N_("TERYT"),
        N_("Nazwa"),
        N_("Rodzaj"),
        N_("Powiat"),
        N_("Województwo"),
        N_("Organizator"),
        N_("Trafność"),
    ):
        table.add_column(_(header))
    for match in matches:
        entry = match.entry
        table.add_row(
            entry.teryt,
            entry.name,
            _(entry.kind.label),
            entry.powiat,
            entry.wojewodztwo,
            entry.organizer.value,
            f"{match.score:.0f}",
        )
    return table

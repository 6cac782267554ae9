"""The pilot list import (all or nothing) and the organiser's exports."""

from __future__ import annotations

import csv
import io
import json
from itertools import islice

from dbsupport import Clock, document_for, entries, open_stage
from openpyxl import load_workbook

from registry.export import ExportFormat, Granularity, export
from registry.services import Registry
from rules.register import load_register


async def test_3_pilot_import_by_code_and_name_all_or_nothing(
    registry: Registry, clock: Clock
) -> None:
    register = load_register()
    wieliczka = next(e for e in register if e.name == "Wieliczka")
    text = f"nazwa;rodzaj\n{wieliczka.teryt}\nZakopane\nNowy Targ;gmina wiejska\n"
    result = await registry.import_pilot(text, source="pilot.csv")
    assert result.ok, result.problems
    assert result.imported == 3
    names = dict(await registry.pilot_list())
    assert names[wieliczka.teryt] == "Wieliczka"
    bad = await registry.import_pilot("1261011\nNowy Targ\nNieistniejąca Gmina\n")
    assert not bad.ok
    assert {row.problem for row in bad.problems} == {"ambiguous", "unknown"}
    assert len(await registry.pilot_list()) == 3  # nothing half-imported


async def test_exports_for_a_spreadsheet(registry: Registry, clock: Clock) -> None:
    await open_stage(registry, clock, capacity=1)
    jst = list(islice(entries(), 2))
    docs = [document_for(e, i, employees=120) for i, e in enumerate(jst)]
    for doc in docs:
        doc["participants"] = [
            {"name": "Anna Nowak", "training": "stationary", "area": "geodezja_kartografia"},
            {"name": "Ewa Zając", "training": "stationary", "area": "geodezja_kartografia"},
        ]
        assert (await registry.submit(doc)).accepted
    apps = await registry.list_applications()

    book = load_workbook(io.BytesIO(export(apps, ExportFormat.XLSX, Granularity.JST)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Nr zgłoszenia", "Status", "Pozycja na liście rezerwowej"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["zakwalifikowana", "lista rezerwowa"]
    assert rows[1][2] == 1
    column = header.index("Obszar szkolenia stacjonarnego")
    assert rows[0][column] == "Geodezja i kartografia"

    per_participant = export(apps, ExportFormat.CSV, Granularity.PARTICIPANT).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(per_participant), delimiter=";"))
    assert len(table) == 1 + 4 and "Uczestnik" in table[0]

    english = export(apps, ExportFormat.CSV, Granularity.JST, lang="en").decode("utf-8-sig")
    assert english.startswith("Application no.;Status")

    documents = json.loads(export(apps, ExportFormat.JSON))
    assert documents[0]["jst"]["teryt"] == jst[0].teryt
    assert documents[1]["application"]["status"] == "reserve"

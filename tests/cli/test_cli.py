"""The `smup` command: JSON contracts of DESIGN.md, organiser tools, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from dbsupport import document_for, entries
from openpyxl import load_workbook
from typer.testing import CliRunner

from assistant.cli import app
from registry.db import alembic_config

Doc = Callable[..., dict[str, Any]]


@pytest.fixture
def smup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    monkeypatch.setenv("SMUP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SMUP_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Any:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


def lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_rules_check_json_contract(smup: Callable[..., Any], document: Doc, tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(document(employees=45)), encoding="utf-8")
    result = smup("rules", "check", "--json", str(path))
    assert result.exit_code == 0, result.output
    (verdict,) = lines(result.stdout)
    assert verdict == {
        "valid": True,
        "errors": [],
        "required_participants": 1,
        "group": "I",
        "organizer": "ZMP",
    }


def test_rules_check_reports_every_breach_in_polish(
    smup: Callable[..., Any], document: Doc
) -> None:
    doc = document(employees=151, participants=[("stationary", "edukacja"), ("online", "edukacja")])
    doc["jst"]["nip"] = "111"
    result = smup("rules", "check", "--json", "-", input=json.dumps(doc))
    assert result.exit_code == 1
    (verdict,) = lines(result.stdout)
    assert verdict["valid"] is False
    assert {e["code"] for e in verdict["errors"]} == {"nip_invalid", "participants_too_few"}
    too_few = next(e for e in verdict["errors"] if e["code"] == "participants_too_few")
    assert "Wymagana liczba uczestników: 3, w zgłoszeniu: 2" in too_few["message"]
    assert (verdict["required_participants"], verdict["group"]) == (3, "III")


def test_rules_check_in_english(smup: Callable[..., Any], document: Doc) -> None:
    doc = document(participants=[("online", "sport")])
    result = smup("rules", "check", "--json", "--lang", "en", "-", input=json.dumps(doc))
    (verdict,) = lines(result.stdout)
    assert verdict["errors"][0]["message"].startswith(
        "Participant no. 1: there is no thematic area"
    )


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (("rules", "check", "-"), "{not json", "to nie jest poprawny JSON"),
        (("rules", "check", "brak.json"), None, "nie można odczytać pliku brak.json"),
        (("admin", "applications", "show", "999"), None, "nie ma zgłoszenia nr 999"),
        (("admin", "applications", "list", "--status", "zla"), None, "nieznany status"),
    ],
)
def test_bad_input_gets_a_message_and_no_traceback(
    smup: Callable[..., Any], args: tuple[str, ...], stdin: str | None, needle: str
) -> None:
    result = smup(*args, input=stdin)
    assert result.exit_code != 0
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_first_use_creates_database_and_first_stage(
    smup: Callable[..., Any], tmp_path: Path
) -> None:
    result = smup("admin", "stage", "list", "--json")
    assert result.exit_code == 0, result.output
    (stage,) = lines(result.stdout)
    assert (stage["name"], stage["capacity"], stage["open"]) == ("Etap I", 577, True)
    assert (tmp_path / "data" / "smup.db").exists()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert f"wersja {head}" in smup("db", "upgrade").stdout


def test_applications_submit_list_show_export_withdraw(
    smup: Callable[..., Any], tmp_path: Path
) -> None:
    jst = [e for e, _ in zip(entries(), range(2), strict=False)]
    docs = [document_for(e, i) for i, e in enumerate(jst)]
    submitted = smup("admin", "applications", "submit", "--json", "-", input=json.dumps(docs))
    assert submitted.exit_code == 0, submitted.output
    assert [r["number"] for r in lines(submitted.stdout)] == [1, 2]
    again = smup("admin", "applications", "submit", "--json", "-", input=json.dumps(docs[0]))
    assert again.exit_code == 1
    assert lines(again.stdout)[0]["errors"][0]["code"] == "already_registered"

    listed = lines(smup("admin", "applications", "list", "--json").stdout)
    assert [(a["number"], a["teryt"], a["status"]) for a in listed] == [
        (1, jst[0].teryt, "qualified"),
        (2, jst[1].teryt, "qualified"),
    ]

    shown = lines(smup("admin", "applications", "show", "1", "--json").stdout)[0]
    assert shown["document"]["jst"]["teryt"] == jst[0].teryt
    assert shown["history"][0]["reason"] == "submitted"

    out = tmp_path / "zgloszenia.xlsx"
    exported = smup(
        "admin",
        "applications",
        "export",
        "--format",
        "xlsx",
        "--per",
        "participant",
        "--output",
        str(out),
    )
    assert exported.exit_code == 0, exported.output
    sheet = load_workbook(out).active
    assert sheet.max_row == 3 and sheet["A1"].value == "Nr zgłoszenia"

    withdrawn = smup("admin", "applications", "withdraw", "1", "--reason", "rezygnacja", "--json")
    assert lines(withdrawn.stdout)[0]["status"] == "withdrawn"
    promote = smup("admin", "applications", "promote")
    assert promote.exit_code == 1 and "lista rezerwowa jest pusta" in promote.stderr


def test_pilot_import_reports_rows_and_imports_nothing(
    smup: Callable[..., Any], tmp_path: Path
) -> None:
    bad = tmp_path / "pilot.csv"
    bad.write_text("Nowy Targ\nZakopane\nGmina Nieistniejąca\n", encoding="utf-8")
    result = smup("admin", "pilot", "import", str(bad))
    assert result.exit_code == 1
    assert "wiersz 1" in result.stderr and "niejednoznaczna" in result.stderr
    assert "wiersz 3" in result.stderr and "nie znaleziono" in result.stderr
    assert smup("admin", "pilot", "list", "--json").stdout.strip() == ""
    good = tmp_path / "ok.csv"
    good.write_text("Zakopane\n1211011\n", encoding="cp1250")
    ok = smup("admin", "pilot", "import", str(good))
    assert ok.exit_code == 0, ok.output
    assert len(lines(smup("admin", "pilot", "list", "--json").stdout)) == 2


def test_stage_open_refuses_a_short_stage(smup: Callable[..., Any]) -> None:
    result = smup(
        "admin", "stage", "open", "Etap II", "--opens", "2030-01-01", "--closes", "2030-01-20"
    )
    assert result.exit_code == 1
    assert "co najmniej 30 dni" in result.stderr and "19 dni" in result.stderr


def test_agreement_schedule_outbox_commands(smup: Callable[..., Any], tmp_path: Path) -> None:
    jst = [e for e, _ in zip(entries(), range(2), strict=False)]
    docs = [document_for(e, i) for i, e in enumerate(jst)]
    assert smup("admin", "applications", "submit", "-", input=json.dumps(docs)).exit_code == 0
    schedule = tmp_path / "harmonogram.csv"
    schedule.write_text(
        "rodzaj;obszar;od;do;opis\nonline;;2030-04-04;;Szkolenie online\n"
        "stacjonarne;edukacja;2030-05-10;2030-05-11;Zjazd 1\n",
        encoding="utf-8",
    )
    assert smup("admin", "schedule", "import", str(schedule)).exit_code == 0
    assert len(lines(smup("admin", "schedule", "list", "--json").stdout)) == 2
    bad = tmp_path / "zly.csv"
    bad.write_text("stacjonarne;;2030-05-10\n", encoding="utf-8")
    refused = smup("admin", "schedule", "import", str(bad))
    assert refused.exit_code == 1 and "wiersz 1" in refused.stderr

    upcoming = lines(smup("admin", "deadlines", "--json").stdout)
    assert [a["number"] for a in upcoming] == [1, 2] and upcoming[0]["agreement_deadline"]
    signed = lines(smup("admin", "agreement", "mark-signed", "1", "--json").stdout)[0]
    assert signed["agreement"] == "signed"
    missing = lines(smup("admin", "agreement", "mark-missing", "2", "--json").stdout)[0]
    assert missing["status"] == "withdrawn"
    status = lines(smup("admin", "outbox", "status", "--json").stdout)[0]
    assert status["email:pending"] >= 4  # confirmations, agreement requests, outcomes
    assert "Ponownie w kolejce: 0" in smup("admin", "outbox", "retry").stdout

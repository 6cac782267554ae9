"""`smup jst find` (assistant/cli_jst.py): the DESIGN.md JSON lines, the table, exit codes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant.cli_jst import jst_app
from rules.register import load_register

runner = CliRunner()
KEYS = {"teryt", "name", "kind", "powiat", "wojewodztwo", "organizer"}


def test_find_json_lines_best_first() -> None:
    result = runner.invoke(jst_app, ["find", "--json", "Nowy Targ"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(row) == KEYS for row in rows)
    expected = [m.entry.to_json() for m in load_register().search("Nowy Targ")]
    assert rows == expected
    assert [(r["kind"], r["organizer"]) for r in rows[:3]] == [
        ("gmina_miejska", "ZMP"),
        ("gmina_wiejska", "ZMP"),
        ("powiat", "ZPP"),
    ]
    # Polish letters as they are, not \\u escapes (ensure_ascii=False).
    assert "małopolskie" in result.stdout


def test_find_joins_unquoted_words() -> None:
    quoted = runner.invoke(jst_app, ["find", "--json", "gmina wiejska Nowy Targ"])
    unquoted = runner.invoke(jst_app, ["find", "--json", "gmina", "wiejska", "Nowy", "Targ"])
    assert quoted.exit_code == unquoted.exit_code == 0
    assert quoted.stdout == unquoted.stdout
    assert json.loads(quoted.stdout.splitlines()[0])["teryt"] == "1211092"


def test_find_limit() -> None:
    result = runner.invoke(jst_app, ["find", "--json", "--limit", "2", "Nowy"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_find_table_has_polish_headers() -> None:
    result = runner.invoke(jst_app, ["find", "Urząd Gminy w Kłodzku"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for header in ("TERYT", "Nazwa", "Rodzaj", "Powiat", "Organizator"):
        assert header in result.stdout
    assert "0208021" in result.stdout and "Kłodzko" in result.stdout


def test_no_candidates_exit_1_with_a_message_on_stderr() -> None:
    result = runner.invoke(jst_app, ["find", "--json", "qqqq xxxx"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "qqqq xxxx" in result.stderr

"""`smup faq ask` through typer's CliRunner (the lead mounts faq_app under `smup`)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant.cli_faq import faq_app

runner = CliRunner()


def test_one_question_readable() -> None:
    result = runner.invoke(faq_app, ["ask", "czy szkolenie jest platne"])
    assert result.exit_code == 0, result.output
    assert "Udział w szkoleniach jest bezpłatny" in result.output
    assert "bezplatne" in result.output


def test_one_question_json() -> None:
    result = runner.invoke(faq_app, ["ask", "--json", "mamy 45 pracowników"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output)
    assert set(row) == {"question", "matched", "answer", "entry", "score"}
    assert row["matched"] is True
    assert row["entry"] == "liczba_uczestnikow"
    assert row["answer"].startswith("Przy 45 pracownikach urzędu (grupa I)")


def test_questions_from_stdin_one_json_object_per_line() -> None:
    stdin = "ile kosztuje szkolenie\n\nstawka VAT\nkto organizuje szkolenia dla powiatu\n"
    result = runner.invoke(faq_app, ["ask", "--json", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [row["question"] for row in rows] == [
        "ile kosztuje szkolenie",
        "stawka VAT",
        "kto organizuje szkolenia dla powiatu",
    ]
    assert [row["matched"] for row in rows] == [True, False, True]
    assert rows[1]["entry"] is None
    assert "ZPP" in rows[2]["answer"]
    assert "ł" in result.output  # ensure_ascii=False


def test_stdin_readable_and_english() -> None:
    result = runner.invoke(faq_app, ["ask", "--lang", "en", "-"], input="is the training free\n")
    assert result.exit_code == 0, result.output
    assert "free of charge" in result.output


def test_bad_input_exits_with_2() -> None:
    assert runner.invoke(faq_app, ["ask", "--lang", "de", "pytanie"]).exit_code == 2
    assert runner.invoke(faq_app, ["ask"]).exit_code == 2

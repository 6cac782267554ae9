"""`smup mail parse` on files, through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli_mail import mail_app

runner = CliRunner()


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_parse_json_one_object_per_file(fixtures: Path) -> None:
    messages = fixtures / "messages"
    files = [messages / "outlook_html_agreement.eml", messages / "postfix_bounce.eml"]
    result = runner.invoke(mail_app, ["parse", "--json", *map(str, files)])
    assert result.exit_code == 0, result.output
    agreement, bounce = _lines(result.stdout)
    assert agreement == {
        "file": str(files[0]),
        "intent": "agreement",
        "reply_text": (
            "Dzień dobry,\n\nw załączeniu przesyłam skan podpisanej umowy uczestnictwa.\n\n"
            "Z poważaniem\nBarbara Kamińska\nUrząd Gminy Borówkowo"
        ),
        "attachments": [
            {"filename": "skan umowy żołądź.jpg", "content_type": "image/jpeg", "size": 40964}
        ],
        "from": "b.kaminska@borowkowo.example.pl",
        "token": "b3n8r2w1",
    }
    assert bounce["intent"] == "bounce"
    assert bounce["token"] == "k7q2m9x4"
    assert "żołądź" in result.stdout  # ensure_ascii=False


def test_parse_body_files(tmp_path: Path, fixtures: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text("Tak, potwierdzam.\n\n-----Wiadomość oryginalna-----\nOd: SMUP\n")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Rezygnujemy z udziału.\n".encode("cp1250"))
    polish = fixtures / "polish" / "emails" / "thunderbird_bottom_posted.txt"
    result = runner.invoke(
        mail_app, ["parse", "--json", "--body", str(body), str(legacy), str(polish)]
    )
    assert result.exit_code == 0, result.output
    first, second, third = _lines(result.stdout)
    assert first == {
        "file": str(body),
        "intent": "confirm",
        "reply_text": "Tak, potwierdzam.",
        "attachments": [],
        "from": None,
        "token": None,
    }
    assert (second["intent"], second["reply_text"]) == ("withdraw", "Rezygnujemy z udziału.")
    assert third["intent"] == "question"


def test_missing_file_reported_others_processed_exit_1(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Potwierdzam.")
    missing = tmp_path / "missing.eml"
    result = runner.invoke(mail_app, ["parse", "--json", "--body", str(missing), str(good)])
    assert result.exit_code == 1
    (only,) = _lines(result.stdout)
    assert only["file"] == str(good) and only["intent"] == "confirm"
    assert str(missing) in result.stderr


def test_directory_is_an_unreadable_file(tmp_path: Path) -> None:
    result = runner.invoke(mail_app, ["parse", str(tmp_path)])
    assert result.exit_code == 1
    assert str(tmp_path) in result.stderr


def test_readable_output(fixtures: Path) -> None:
    path = fixtures / "messages" / "outlook_out_of_office.eml"
    result = runner.invoke(mail_app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "auto_reply" in result.stdout
    assert "a.wojcik@zielonka-dolna.example.pl" in result.stdout
    assert "k7q2m9x4" in result.stdout
    assert "jestem na urlopie" in result.stdout


def test_readable_output_keeps_brackets(tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text("[b]Potwierdzam[/b] [SMUP]")
    result = runner.invoke(mail_app, ["parse", "--body", str(body)])
    assert result.exit_code == 0, result.output
    assert "[b]Potwierdzam[/b] [SMUP]" in result.stdout

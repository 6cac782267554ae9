"""Reply extraction measured on the public corpora and on our Polish fixtures.

The floors only go up: raise them when the trimmer gets better, never lower them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mail_gateway.reply import extract_reply

DISCOURSE_FLOOR = 0.95  # 62 of 64 at the time of writing
EDGETIER_FLOOR = 0.90  # 83 of 90 checks at the time of writing

POLISH = Path(__file__).parent / "fixtures" / "polish"


def normalise(text: str) -> str:
    """The corpus comparison: LF line endings, no trailing blanks on lines, no blank lines
    around (the trimmed files end with a newline, `strip` cases start with blank lines)."""
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def test_discourse_corpus_exact_matches_above_floor(corpora: Path) -> None:
    root = corpora / "discourse_email_reply_trimmer" / "test"
    emails = sorted((root / "emails").glob("*.txt"))
    assert len(emails) == 64
    misses = [
        email.name
        for email in emails
        if normalise(extract_reply(email.read_text(encoding="utf-8")))
        != normalise((root / "trimmed" / email.name).read_text(encoding="utf-8"))
    ]
    share = 1 - len(misses) / len(emails)
    assert share >= DISCOURSE_FLOOR, f"{share:.3f}; misses: {misses}"


def _check(got: str, check: str, value: str) -> bool:
    if check == "equals":
        return got == value
    if check == "equals_stripped":
        return got.strip() == value.strip()
    if check == "startswith":
        return got.startswith(value)
    if check == "endswith":
        return got.rstrip().endswith(value)
    if check == "contains":
        return value in got
    if check == "not_contains":
        return value not in got
    raise AssertionError(f"unknown check {check}")


def test_edgetier_checks_above_floor(corpora: Path) -> None:
    root = corpora / "edgetier_email_reply_parser"
    checks = [
        json.loads(line)
        for line in (root / "expected_checks.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(checks) == 90
    misses = []
    for check in checks:
        email = root / "test" / "emails" / f"{check['fixture']}.txt"
        got = extract_reply(email.read_text(encoding="utf-8"))
        if not _check(got, check["check"], check["value"]):
            misses.append(f"{check['fixture']}:{check['check']}")
    share = 1 - len(misses) / len(checks)
    assert share >= EDGETIER_FLOOR, f"{share:.3f}; misses: {misses}"


@pytest.mark.parametrize(
    "fixture",
    ["email_polish_1", "email_polish_2", "email_polish_3", "email_polish_4"],
)
def test_edgetier_polish_headers_right_under_the_reply(corpora: Path, fixture: str) -> None:
    email = corpora / "edgetier_email_reply_parser" / "test" / "emails" / f"{fixture}.txt"
    assert extract_reply(email.read_text(encoding="utf-8")) == (
        "Ten tekst powinien pojawić się w treści"
    )


@pytest.mark.parametrize("fixture", ["embedded_email_polish_1", "embedded_email_polish_2"])
def test_discourse_polish_replies_exact(corpora: Path, fixture: str) -> None:
    root = corpora / "discourse_email_reply_trimmer" / "test"
    email = (root / "emails" / f"{fixture}.txt").read_text(encoding="utf-8")
    expected = (root / "trimmed" / f"{fixture}.txt").read_text(encoding="utf-8")
    assert normalise(extract_reply(email)) == normalise(expected)


POLISH_FIXTURES = sorted(path.stem for path in (POLISH / "emails").glob("*.txt"))


def test_at_least_fifteen_polish_fixtures() -> None:
    assert len(POLISH_FIXTURES) >= 15
    assert all((POLISH / "trimmed" / f"{name}.txt").is_file() for name in POLISH_FIXTURES)


@pytest.mark.parametrize("fixture", POLISH_FIXTURES)
def test_polish_fixture_trimmed_exactly(fixture: str) -> None:
    email = (POLISH / "emails" / f"{fixture}.txt").read_text(encoding="utf-8")
    expected = (POLISH / "trimmed" / f"{fixture}.txt").read_text(encoding="utf-8")
    assert normalise(extract_reply(email)) == normalise(expected)

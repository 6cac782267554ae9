"""`smup mail …`: the mail pipeline on files, the same code path as the SMTP gateway."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from mail_gateway.parse import decode_text
from mail_gateway.pipeline import ReadMessage, read_body, read_message

mail_app = typer.Typer(help="Read e-mail messages the way the gateway does.", no_args_is_help=True)


@mail_app.callback()
def _mail() -> None:
    """Mail gateway tools."""  # a callback keeps `parse` a sub-command while it is the only one


def _as_json(file: str, read: ReadMessage) -> dict[str, Any]:
    return {
        "file": file,
        "intent": read.intent.intent.value,
        "reply_text": read.reply_text,
        "attachments": [
            {
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
            }
            for attachment in read.parsed.attachments
        ],
        "from": read.parsed.from_address,
        "token": read.token,
    }


def _show(console: Console, file: str, read: ReadMessage) -> None:
    evidence = f" ({read.intent.evidence})" if read.intent.evidence else ""
    rows = [
        ("file", file),
        ("from", read.parsed.from_address or "—"),
        ("subject", read.parsed.subject or "—"),
        ("token", read.token or "—"),
        ("intent", f"{read.intent.intent.value} · {read.intent.reason}{evidence}"),
    ]
    if read.intent.also:
        rows.append(("also", ", ".join(intent.value for intent in read.intent.also)))
    rows.extend(
        (
            "attachment",
            f"{attachment.filename or '(no name)'} · {attachment.content_type} · "
            f"{attachment.size} B",
        )
        for attachment in read.parsed.attachments
    )
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for label, value in rows:
        # Text, not a markup string: a subject like "[SMUP] …" must print as it is.
        table.add_row(label, Text(value))
    console.print(table)
    console.print(Panel(Text(read.reply_text or "(empty)"), title="reply", expand=False))


@mail_app.command("parse")
def parse(
    files: Annotated[
        list[Path], typer.Argument(help="Raw messages (.eml), or bodies with --body.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    body: Annotated[
        bool, typer.Option("--body", help="The files are bare text bodies, not messages.")
    ] = False,
) -> None:
    """Parse each file: intent, reply text, attachments, sender and token."""
    console = Console()
    errors = Console(stderr=True)
    failed = False
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as error:
            errors.print(f"{path}: cannot read: {error.strerror or error}", markup=False)
            failed = True
            continue
        read = read_body(decode_text(data)) if body else read_message(data)
        if as_json:
            typer.echo(json.dumps(_as_json(str(path), read), ensure_ascii=False))
        else:
            _show(console, str(path), read)
    if failed:
        raise typer.Exit(code=1)

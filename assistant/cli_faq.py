"""`smup faq ask [--json] [--lang pl|en] QUESTION|-`: questions about the SMUP rules.

A question argument gives one answer; "-" reads one question per input line. With
--json every answer is one JSON object per line (DESIGN.md):
{"question", "matched", "answer", "entry", "score"} — `matched` false when the question
is handed over to a human. Self-contained (no import of `assistant.cli`), so the main
CLI can mount `faq_app` without an import cycle.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from registry.faq import FaqAnswer, answer_question, normalize_lang, warm
from registry.faq.kb import Lang, load_kb

faq_app = typer.Typer(
    help="Pytania o zasady rekrutacji na szkolenia SMUP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

LANGS = ("pl", "en")


@faq_app.callback()
def faq() -> None:
    """Pytania o zasady rekrutacji na szkolenia SMUP."""
    # A callback keeps `faq` a group of commands even while `ask` is its only one.


def _text(key: str, lang: Lang) -> str:
    return str(load_kb().text(key, lang))


def _emit_json(answer: FaqAnswer) -> None:
    sys.stdout.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")


def _emit_readable(answer: FaqAnswer, lang: Lang, *, show_question: bool) -> None:
    if show_question:
        typer.echo(f"? {answer.question}")
    typer.echo(answer.answer)
    if answer.matched:
        details = (
            f"{_text('cli_entry', lang)}: {answer.entry}"
            + (f" ({answer.ref})" if answer.ref else "")
            + f" · {_text('cli_score', lang)}: {answer.score:.2f}"
        )
    else:
        score = f"{_text('cli_score', lang)}: {answer.score:.2f}"
        details = f"{_text('cli_handed_over', lang)} · {score}"
    typer.echo(f"[{details}]")


@faq_app.command("ask")
def ask(
    question: Annotated[
        str | None,
        typer.Argument(
            help="Pytanie albo „-”: po jednym pytaniu w wierszu ze standardowego wejścia."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Jeden obiekt JSON w wierszu na każde pytanie.")
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help="Język odpowiedzi: pl albo en.")] = "pl",
) -> None:
    """Odpowiada na pytanie o zasady rekrutacji (albo przekazuje je organizatorowi)."""
    if lang.strip().lower() not in LANGS:
        typer.echo(_text("cli_bad_lang", normalize_lang(lang)).format(lang=lang), err=True)
        raise typer.Exit(2)
    language = normalize_lang(lang)
    if question is None or not question.strip():
        typer.echo(_text("cli_no_input", language), err=True)
        raise typer.Exit(2)
    if question.strip() != "-":
        answer = answer_question(question, lang=language)
        if as_json:
            _emit_json(answer)
        else:
            _emit_readable(answer, language, show_question=False)
        return
    warm()
    first = True
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue  # a blank line is no question; never forward it to a human
        answer = answer_question(text, lang=language)
        if as_json:
            _emit_json(answer)
            sys.stdout.flush()
            continue
        if not first:
            typer.echo("")
        _emit_readable(answer, language, show_question=True)
        first = False

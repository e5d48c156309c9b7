"""``litcheck judge list|use|remove``: the judges a user has and which one is the default.

Nothing here imports torch or transformers at import time; ``judge use`` loads the judge it is
given once, to check that it works, before recording it as the default.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

#: Help text naming every kind of reference a ``--judge`` option takes.
JUDGE_HELP = (
    "Judge: a name from `litcheck judge list`, 'shipped' (the packaged judge), 'fallback' "
    "(lexical cues), a judge folder, or a Hugging Face NLI / cross-encoder id such as "
    "cross-encoder/nli-deberta-v3-small or MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli (needs "
    "the hub or a local HF cache). Default: `litcheck judge use`'s choice, else shipped."
)

judge_app = typer.Typer(
    help="The judges that decide verdicts: list them, choose the default, remove one.\n\n"
    "Example: [bold]litcheck judge list[/]\n\n"
    "Example: [bold]litcheck judge use fallback[/]",
    no_args_is_help=True,
)


@judge_app.command("list")
def judge_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """List the judges: name, source, figures (SciFact dev), date, and which is the default.

    The default is what `verify`, `audit` and `report` use without --judge (the setting
    LITCHECK_VERIFIER_MODEL overrides it).

    Example: [bold]litcheck judge list --json[/]
    """
    from rich.table import Table

    from litcheck.cli_helpers import settings
    from litcheck.console import err_console, out_console, print_json_line
    from litcheck.verify.judges import default_judge, headline, list_judges

    cfg = settings()
    default, note = default_judge(cfg)
    entries = list_judges(cfg)
    if as_json:
        for entry in entries:
            print_json_line(entry.to_dict(default.ref))
        return
    table = Table(title=f"{len(entries)} judges")
    table.add_column("", no_wrap=True)
    table.add_column("name", style="cyan", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("source")
    table.add_column("figures")
    table.add_column("date", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for entry in entries:
        row = entry.to_dict(default.ref)
        table.add_row(
            "*" if row["default"] else "",
            entry.ref,
            entry.kind,
            entry.source,
            headline(entry.figures()),
            entry.date or "",
            entry.status,
        )
    out_console.print(table)
    err_console.print(f"* default: {escape(default.ref)}", highlight=False)
    if cfg.verifier_model:
        err_console.print(
            f"LITCHECK_VERIFIER_MODEL={escape(cfg.verifier_model)} overrides the default.",
            highlight=False,
        )
    if note:
        err_console.print(escape(note), highlight=False)


@judge_app.command("use")
def judge_use(
    ref: Annotated[
        str,
        typer.Argument(
            metavar="NAME|PATH|HF-ID",
            help="A judge name, 'shipped', 'fallback', a judge folder, or a Hugging Face NLI / "
            "cross-encoder id (owner/model).",
        ),
    ],
) -> None:
    """Make a judge the default, after checking that it loads and judges a test pair.

    Example: [bold]litcheck judge use fallback[/]

    Example: [bold]litcheck judge use shipped[/]
    """
    from litcheck.cli_helpers import settings
    from litcheck.console import err_console
    from litcheck.verify.judges import headline, use_judge

    cfg = settings()
    entry = use_judge(cfg, ref)
    figures = headline(entry.figures())
    err_console.print(
        f"The default judge is now {escape(entry.ref)} ({escape(entry.source)}"
        + (f"; {figures}" if figures else "")
        + ").",
        highlight=False,
    )
    if cfg.verifier_model:
        err_console.print(
            f"note: LITCHECK_VERIFIER_MODEL={escape(cfg.verifier_model)} still overrides it.",
            highlight=False,
        )


@judge_app.command("remove")
def judge_remove(
    name: Annotated[str, typer.Argument(help="A judge name from `litcheck judge list`.")],
) -> None:
    """Delete a named judge (the shipped judge and the fallback cannot be removed).

    Removing the default judge makes the shipped judge the default again.

    Example: [bold]litcheck judge remove smoke-test[/]
    """
    from litcheck.cli_helpers import settings
    from litcheck.console import err_console
    from litcheck.verify.judges import default_judge, remove_judge

    cfg = settings()
    was_default = remove_judge(cfg, name)
    now = default_judge(cfg)[0].ref
    tail = f"; it was the default, so the default is now {now}." if was_default else "."
    err_console.print(f"Removed the judge {escape(name)}{escape(tail)}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``litcheck judge ...`` to the CLI."""
    app.add_typer(judge_app, name="judge")

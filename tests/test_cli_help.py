"""Every command's --help: flags read as switches, and every Example: runs as written.

The walk covers `litcheck --help`, each group and each subcommand. Examples are taken from each
command's help text (the ``[bold]...[/]`` commands of its ``Example:`` paragraphs) and parsed
by that command's own parser without running it; the input files they name must exist in the
repository, so that they run from a fresh clone.
"""

from __future__ import annotations

import re
import shlex
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from typer.core import TyperOption
from typer.main import get_command
from typer.testing import CliRunner

from litcheck.cli import app

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Parameters that name files a command writes (or creates), not files it reads.
OUTPUTS = {"output", "cite_output", "publish", "runs_dir"}
# Path arguments that also take a name, documented in their help.
NAMES = {("experiment", "show"): {"run"}}


def _walk(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, cmd)]
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        if not sub.hidden:
            found += _walk(sub, (*path, name))
    return found


COMMANDS = _walk(get_command(app))
IDS = [" ".join(path) or "litcheck" for path, _ in COMMANDS]


def _help(path: tuple[str, ...]) -> str:
    # Wide enough that no "[default: ...]" is wrapped across lines.
    res = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    return ANSI.sub("", res.output)


def test_walk_reaches_every_group_and_subcommand() -> None:
    names = set(IDS)
    assert {"litcheck", "verify", "reverify", "library", "library check", "claims show"} <= names
    assert {"judge use", "experiment", "experiment grid", "experiment show"} <= names


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=IDS)
def test_help_has_no_bool_metavar_and_on_off_defaults(path: tuple[str, ...], cmd: Any) -> None:
    text = _help(path)
    assert "<bool>" not in text
    assert "BOOLEAN" not in text
    assert not re.search(r"\[default: no-", text), text
    # an on/off pair shows its default as a state, beside both of its names
    pairs = [
        p
        for p in cmd.params
        if isinstance(p, TyperOption) and p.is_bool_flag and p.secondary_opts and not p.hidden
    ]
    for param in pairs:
        row = next(line for line in text.splitlines() if param.secondary_opts[0] in line)
        assert param.opts[-1] in row
        if isinstance(param.default, bool) and param.show_default is not False:
            assert f"[default: {'on' if param.default else 'off'}]" in text


def _examples(cmd: Any) -> list[str]:
    """The commands of a help text's Example: paragraphs, as a user would type them."""
    found = []
    for paragraph in re.split(r"\n\s*\n", cmd.help or ""):
        paragraph = " ".join(paragraph.split())
        if not paragraph.startswith("Example:"):
            continue
        bold = re.findall(r"\[bold\](.+?)\[/(?:bold)?\]", paragraph)
        found += bold or [paragraph.removeprefix("Example:").strip()]
    return found


def _argv(example: str) -> list[str]:
    """The arguments after `litcheck` (a pipe or redirection ends them; `nice -n 10` goes)."""
    words = shlex.split(example)
    assert "litcheck" in words, f"not a litcheck command: {example}"
    words = words[words.index("litcheck") + 1 :]
    for i, word in enumerate(words):
        if word in {"|", ">", ">>", "&&", ";"}:
            return words[:i]
    return words


EXAMPLES = [
    (path, example)
    for path, cmd in COMMANDS
    for example in _examples(cmd)
    if path  # root: none
]


def test_every_command_and_group_has_an_example() -> None:
    without = [" ".join(path) for path, cmd in COMMANDS if path and not _examples(cmd)]
    assert without == []


def _parse(argv: list[str], stack: ExitStack) -> tuple[tuple[str, ...], Any, Any]:
    """Parse ``litcheck ARGV`` down to its command as click would, without invoking anything."""
    cmd = get_command(app)
    ctx = stack.enter_context(cmd.make_context("litcheck", list(argv)))
    path: tuple[str, ...] = ()
    while hasattr(cmd, "resolve_command"):
        rest = [*ctx._protected_args, *ctx.args]
        assert rest, f"litcheck {' '.join(argv)}: no command"
        name, cmd, rest = cmd.resolve_command(ctx, rest)
        path = (*path, name)
        ctx = stack.enter_context(cmd.make_context(name, rest, parent=ctx))
    return path, cmd, ctx


@pytest.mark.parametrize(("path", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_example_parses_and_names_files_that_exist(path: tuple[str, ...], example: str) -> None:
    argv = _argv(example)
    with ExitStack() as stack:
        parsed, _, ctx = _parse(argv, stack)
        # a group's example runs one of its subcommands
        assert parsed[: len(path)] == path, f"{example!r} is in the help of {' '.join(path)}"
        given = {}
        c = ctx
        while c is not None:
            for param in c.command.params:
                source = c.get_parameter_source(param.name)
                if source is not None and source.name == "COMMANDLINE":
                    given[param.name] = c.params[param.name]
            c = c.parent
    inputs = {
        name: value
        for name, value in given.items()
        if name not in OUTPUTS and name not in NAMES.get(parsed, set())
    }
    missing = [
        f"{name}={p}"
        for name, value in inputs.items()
        for p in (value if isinstance(value, (list, tuple)) else [value])
        if isinstance(p, Path) and not (REPO / p).exists()
    ]
    # a str argument that looks like a repository path is checked too
    missing += [
        w
        for w in argv
        if w.startswith(("data/", "reports/", "../"))
        and w not in {str(v) for k, v in given.items() if k in OUTPUTS}
        and not (REPO / w).exists()
    ]
    assert missing == [], f"{example}: no such file in the repository"


# Examples cheap enough to run here, offline, on the example papers: each must succeed.
RUNNABLE = {
    ("extract",),
    ("library", "list"),
    ("library", "show"),
    ("library", "check"),
    ("library", "export"),
    ("claims", "list"),
    ("claims", "show"),
    ("judge", "list"),
    ("experiment", "list"),
    ("experiment", "show"),
}


def _in_clone(tmp_path: Path) -> None:
    """Make the (temporary) working directory look like a fresh clone: data/ and reports/."""
    for folder in ("data", "reports"):
        (tmp_path / folder).symlink_to(REPO / folder)


def test_cheap_examples_run_as_written_on_the_example_papers(tmp_path: Path) -> None:
    """After `library import data/examples/papers.jsonl` and `extract --all` (offline)."""
    from conftest import run_cli

    _in_clone(tmp_path)
    for setup in (["library", "import", "data/examples/papers.jsonl"], ["extract", "--all"]):
        res = run_cli(*setup)
        assert res.code == 0, res.stderr
    ran = set()
    for _, example in EXAMPLES:
        argv = _argv(example)
        with ExitStack() as stack:
            parsed = _parse(argv, stack)[0]
        if parsed not in RUNNABLE:
            continue
        res = run_cli(*argv)
        assert res.code == 0, f"{example}: {res.stderr}"
        assert " 0 claim(s)" not in res.stdout + res.stderr, example
        ran.add(parsed)
    assert ran == RUNNABLE


@pytest.mark.slow  # reads 96 results files and 788 claims (about 10 s)
@pytest.mark.skipif(
    not (REPO / "reports" / "runs" / "cpu-grid").is_dir(), reason="published runs absent"
)
def test_reverify_example_confirms_the_published_report(tmp_path: Path) -> None:
    """The reverify example as written: one grid's runs, no REFUTED figure."""
    from conftest import run_cli

    _in_clone(tmp_path)
    (example,) = [e for path, e in EXAMPLES if path == ("reverify",)]
    res = run_cli(*_argv(example))
    assert res.code == 0, res.stderr
    assert "different grids" not in res.stderr
    assert " 0 refuted" in res.stderr
    assert (tmp_path / "reverify.md").is_file()

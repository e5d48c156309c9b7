"""`litcheck report --help` says how a claim is judged today."""

from __future__ import annotations

import re

from tests.conftest import run_cli

from litcheck.report.models import DECISIVE_MIN


def test_report_help_describes_corroboration_by_the_other_papers() -> None:
    res = run_cli("report", "--help")
    assert res.code == 0, res.stderr
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", res.stdout).split())
    assert "agree or disagree" not in text
    assert "judged only by the report's other papers" in text
    for standing in ("corroborated", "contradicted", "single source"):
        assert standing in text
    assert f"at least {DECISIVE_MIN}" in text  # the decisive threshold, as the code has it
    assert "fill the same slot" in text
    assert 'Example: litcheck report "How does robust training' in text

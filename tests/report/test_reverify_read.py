"""Reading a free-form report into units: sentences come from the project's one splitter."""

from __future__ import annotations

from litcheck.report.reverify_read import prose_units

REPORT = """# Results

Robust training follows Huang et al. (2021) and gains 2.1 points
on PAWS-X (Fig. 2). mBERT lags by 7.5 points on XNLI.
XLM-R reaches 79.2% on XNLI
with e.g. randomized smoothing.
"""


def test_paragraph_sentences_keep_abbreviations_and_the_line_they_start_on() -> None:
    units = prose_units(REPORT)
    assert [(u.text, u.line) for u in units] == [
        ("Robust training follows Huang et al. (2021) and gains 2.1 points on PAWS-X (Fig. 2).", 3),
        ("mBERT lags by 7.5 points on XNLI.", 4),
        # starts at the beginning of line 5, so it is on line 5, not on the line before
        ("XLM-R reaches 79.2% on XNLI with e.g. randomized smoothing.", 5),
    ]
    assert all(u.context == "Results" for u in units)


def test_budget_and_data_columns_of_a_table_are_not_run_results() -> None:
    text = (
        "### Learning and budget\n\n"
        "| task | method | English accuracy (%) | majority | target | s/step | core-h spent |"
        " time (hours) |\n|---|---|---|---|---|---|---|---|\n"
        "| xnli | plain | 66.5 | 33.5 | 65 | 2.12 | 1.0 | 0.5 |\n"
    )
    units = prose_units(text)
    assert [u.text.rsplit(": ", 1)[1] for u in units] == ["66.5"]

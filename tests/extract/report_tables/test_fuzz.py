"""Property tests of the report-table readers (issue 18 item 9).

Arbitrary text, near-table text built from the pieces every dialect keys on (pipes, rules,
box characters, AsciiDoc and org markers, HTML and LaTeX tags, JSON and ClaimReview keys,
marks, confidences, huge numbers), and arbitrary ClaimReview-shaped JSON never raise anything
but litcheck's own errors, and whatever is read is a valid, JSON-serialisable report. Examples
are bounded so the suite stays fast.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from litcheck.errors import LitcheckError
from litcheck.extract.report_table import ParsedReport, parse_mark, parse_report
from litcheck.extract.report_tables.marks import split_mark

BOUNDED = settings(max_examples=50, deadline=None)

_PIECES = [
    "|",
    "||",
    "\\|",
    " | ",
    "|---|---|",
    "|:--|--:|",
    "|---+---|",
    "|-",
    "+---+---+",
    "+===+",
    "┃",
    "│",
    "━",
    "┏━┳━┓",
    "┡━╇━┩",
    "╞═╪═╡",
    "└─┴─┘",
    "|===",
    '[cols="3*",options="header"]',
    "[%header]",
    "2+|",
    ".2+|",
    "3*|",
    "a|",
    "[separator=¦]",
    "¦",
    ".Title",
    "= Doc",
    "== Sec",
    "#+TITLE: t",
    "#+CAPTION: c",
    "* Heading",
    "| <l> |",
    "| / |",
    "[[https://arxiv.org/abs/2104.08645][p]]",
    "\\vert",
    "<table>",
    "<tr>",
    "<td colspan=99999999>",
    "<th>",
    "</td>",
    "</table>",
    "<title>",
    '<script type="application/ld+json">',
    "</script>",
    "\\begin{tabular}{ll}",
    "\\end{tabular}",
    "&",
    "\\\\",
    "{",
    "}",
    "\\multicolumn{999}{c}{",
    '{"claim": "',
    '"}',
    "[",
    "]",
    ",",
    ";",
    '{"@type": "ClaimReview", "claimReviewed": "x", "reviewRating": {"ratingValue": ',
    '"@graph": [',
    "-----  -----",
    "=====  =====",
    "\t",
    "\n",
    "\n\n",
    "Claim",
    "Verdict",
    "Confidence",
    "Status",
    "#",
    "✓",
    "×",
    "✅",
    "VERIFIED, HIGH",
    "Supported (weak)",
    "× (0.9)",
    "Refuted - low confidence",
    "0.5",
    "95%",
    "1e999",
    "-1e308",
    "nan",
    "9" * 400,
    "arXiv:2104.08645v2",
    "2104.08645v" + "9" * 30,
    " ",
    "a claim holds on XNLI",
]
_NEAR_TABLE = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


def _check(text: str) -> None:
    try:
        report = parse_report(text, "fuzz.txt")
    except LitcheckError as exc:
        assert "\n" not in str(exc)  # one line for the CLI
        return
    assert isinstance(report, ParsedReport)
    json.loads(report.model_dump_json())  # standard JSON: no Infinity, no NaN
    for row in report.rows:
        assert row.text
        assert row.confidence is None or 0.0 <= row.confidence <= 1.0


@BOUNDED
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str) -> None:
    _check(text)


@BOUNDED
@given(_NEAR_TABLE)
def test_near_table_text(text: str) -> None:
    _check(text)


@BOUNDED
@given(
    st.lists(
        st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=30)), min_size=1, max_size=6),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["markdown", "org", "asciidoc"]),
)
def test_pipe_tables_with_ragged_rows(rows: list[list[str]], dialect: str) -> None:
    header = "| # | Claim | Verdict | Confidence |"
    rule = {"markdown": "|---|---|---|---|", "org": "|---+---+---+---|", "asciidoc": ""}[dialect]
    body = ["| " + " | ".join(cells) + " |" for cells in rows]
    if dialect == "asciidoc":
        text = "\n".join(['[options="header"]', "|===", header, "", *body, "|==="])
    else:
        text = "\n".join([header, rule, *body])
    _check(text)


_JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["1e999", "nan", "inf", "-0", "5", "1", "0.5", "False", "Half True", "✓"]),
)
_KEYS = st.sampled_from(
    [
        "@type",
        "@graph",
        "@context",
        "claimReviewed",
        "reviewRating",
        "ratingValue",
        "bestRating",
        "worstRating",
        "alternateName",
        "name",
        "itemReviewed",
        "appearance",
        "firstAppearance",
        "author",
        "url",
        "sameAs",
        "@id",
        "datePublished",
        "text",
        "claim",
    ]
)


def _json() -> st.SearchStrategy[Any]:
    return st.recursive(
        st.one_of(_JSON_SCALAR, st.just("ClaimReview"), st.just(["ClaimReview"])),
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=6)
        ),
        max_leaves=30,
    )


@BOUNDED
@given(_json(), st.booleans())
def test_claim_review_shaped_json(value: Any, in_html: bool) -> None:
    text = json.dumps(value)
    if in_html:
        text = f'<html><script type="application/ld+json">{text}</script></html>'
    _check(text)


_RATING_VALUE = st.one_of(
    _JSON_SCALAR,
    st.sampled_from([1.7e308, -1.7e308, 5e-324, 10**400, -(10**400), "1,5", " 3 ", "1e308"]),
)


@BOUNDED
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "ratingValue": _RATING_VALUE,
            "bestRating": _RATING_VALUE,
            "worstRating": _RATING_VALUE,
            "alternateName": st.one_of(_JSON_SCALAR, st.lists(_JSON_SCALAR, max_size=3)),
        },
    ),
    _json(),
)
# A scale whose span overflows a float (found by this test): no confidence, no crash.
@example(
    rating={
        "ratingValue": 1e308,
        "bestRating": 1.7e308,
        "worstRating": -1.7e308,
        "alternateName": "True",
    },
    item=None,
)
def test_claim_review_ratings(rating: dict[str, Any], item: Any) -> None:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Robust training helps on XNLI.",
        "reviewRating": rating,
        "itemReviewed": item,
    }
    _check(json.dumps(review))


@BOUNDED
@given(st.text(max_size=200))
def test_marks_never_raise(cell: str) -> None:
    verdict, confidence = split_mark(cell)
    assert parse_mark(verdict) in (None, "verified", "refuted", "partial", "blocked", "unknown")
    assert confidence is None or confidence.strip()

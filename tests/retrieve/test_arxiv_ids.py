"""arXiv id parsing: every form users type, and one-line errors for malformed input."""

from __future__ import annotations

import pytest

from litcheck.errors import BadInputError
from litcheck.retrieve.ids import ArxivId, parse_arxiv_id


@pytest.mark.parametrize(
    ("text", "base", "version"),
    [
        ("2104.08645", "2104.08645", None),
        ("2104.08645v2", "2104.08645", 2),
        ("0704.0001", "0704.0001", None),  # first new-style id (4 digits)
        ("1501.00001v12", "1501.00001", 12),  # 5 digits since 2015
        ("arXiv:2104.08645", "2104.08645", None),
        ("ARXIV: 2104.08645v1", "2104.08645", 1),
        ("  2104.08645v2\n", "2104.08645", 2),
        ("hep-th/9901001", "hep-th/9901001", None),
        ("hep-th/9901001v3", "hep-th/9901001", 3),
        ("cond-mat/0102536v1", "cond-mat/0102536", 1),
        ("math.GT/0309136", "math/0309136", None),  # subject class is not part of the id
        ("arXiv:quant-ph/0201082v1", "quant-ph/0201082", 1),
        ("http://arxiv.org/abs/2104.08645v2", "2104.08645", 2),
        ("https://arxiv.org/abs/2104.08645", "2104.08645", None),
        ("https://www.arxiv.org/abs/2104.08645/", "2104.08645", None),
        ("https://arxiv.org/abs/2104.08645v2?context=cs#S1", "2104.08645", 2),
        ("https://arxiv.org/pdf/2104.08645v2", "2104.08645", 2),
        ("https://arxiv.org/pdf/2104.08645v2.pdf", "2104.08645", 2),
        ("https://arxiv.org/pdf/hep-th/9901001.pdf", "hep-th/9901001", None),
        ("http://export.arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001", 1),
        ("https://arxiv.org/html/2104.08645v2", "2104.08645", 2),
        ("https://ar5iv.labs.arxiv.org/html/2104.08645", "2104.08645", None),
        ("https://ar5iv.org/abs/2104.08645", "2104.08645", None),
        ("arxiv.org/abs/2104.08645", "2104.08645", None),
    ],
)
def test_valid_ids(text: str, base: str, version: int | None) -> None:
    parsed = parse_arxiv_id(text)
    assert parsed == ArxivId(base, version)
    assert parsed.versioned == (f"{base}v{version}" if version else base)
    assert str(parsed) == parsed.versioned


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not in a known arXiv id form"),
        ("2104", "not in a known arXiv id form"),
        ("2104.086", "not in a known arXiv id form"),
        ("2104.086451", "not in a known arXiv id form"),
        ("2104.08645v", "not in a known arXiv id form"),
        ("2104.08645v0", "versions start at v1"),
        ("2113.08645", "month 13 does not exist"),
        ("0000.0000", "month 00 does not exist"),
        ("hep-th/990100", "not in a known arXiv id form"),
        ("hep-th/9913001", "month 13 does not exist"),
        ("hep th/9901001", "not in a known arXiv id form"),
        ("https://example.com/abs/2104.08645", "not an arXiv URL"),
        ("https://arxiv.org/list/cs.CL/recent", "not an arXiv URL"),
        ("doi:10.1000/xyz", "not in a known arXiv id form"),
        ("2104.08645 2104.08646", "not in a known arXiv id form"),
    ],
)
def test_malformed_ids_raise_one_line_errors(text: str, why: str) -> None:
    with pytest.raises(BadInputError) as info:
        parse_arxiv_id(text)
    message = str(info.value)
    assert "\n" not in message
    assert repr(text) in message  # names the bad input
    assert why in message
    assert "2104.08645" in message  # shows the expected form


def test_ids_are_hashable_and_ordered() -> None:
    ids = {parse_arxiv_id("2104.08645"), parse_arxiv_id("arXiv:2104.08645")}
    assert len(ids) == 1
    assert parse_arxiv_id("hep-th/9901001").is_old_style
    assert not parse_arxiv_id("2104.08645").is_old_style


@pytest.mark.parametrize(
    "text",
    [
        "2104.08645v" + "9" * 5000,  # past Python's int-from-text limit
        "2104.08645v99999999999999999999",  # past SQLite's 64-bit integers
        "hep-th/9901001v10000",
    ],
)
def test_versions_out_of_range_are_bad_input_in_one_short_line(text: str) -> None:
    with pytest.raises(BadInputError) as info:
        parse_arxiv_id(text)
    message = str(info.value)
    assert "version out of range" in message
    assert "\n" not in message
    assert len(message) < 400  # a 5,000-digit id is quoted by its start, not in full


def test_highest_version_is_accepted() -> None:
    from litcheck.retrieve.ids import MAX_VERSION

    assert parse_arxiv_id(f"2104.08645v{MAX_VERSION}").version == MAX_VERSION
    assert parse_arxiv_id("2104.08645v007").version == 7


def test_non_ascii_digits_are_not_an_id() -> None:
    with pytest.raises(BadInputError, match="not in a known arXiv id form"):
        parse_arxiv_id("\u0662\u0661\u0660\u0664.\u0660\u0668\u0666\u0664\u0665")  # Arabic-Indic
    with pytest.raises(BadInputError):
        parse_arxiv_id("2104.08645v\u0663")


# -- properties: any text is an id or a one-line BadInputError, and ids round-trip ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ID_PIECES = st.sampled_from(
    [
        "2104.",
        "08645",
        "v",
        "9",
        "0",
        "hep-th/",
        "99",
        "01001",
        "arXiv:",
        "https://arxiv.org/abs/",
        ".pdf",
        "/",
        " ",
        "\u0663",
        "#x",
        "?y",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_ID_PIECES, max_size=8).map("".join)))
def test_any_text_parses_or_is_one_line_bad_input(text: str) -> None:
    try:
        parsed = parse_arxiv_id(text)
    except BadInputError as exc:
        assert "\n" not in str(exc)
        return
    assert parsed.base.isascii()
    assert parsed.version is None or 1 <= parsed.version <= 9999
    assert parse_arxiv_id(parsed.versioned) == parsed  # the canonical form parses to itself


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=7, max_value=99).map(lambda y: f"{y:02d}"),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=99999),
    st.none() | st.integers(min_value=1, max_value=9999),
)
def test_well_formed_new_style_ids_round_trip(
    yy: str, month: int, number: int, version: int | None
) -> None:
    base = f"{yy}{month:02d}.{number:05d}"
    text = f"{base}v{version}" if version else base
    assert parse_arxiv_id(text) == ArxivId(base, version)
    assert parse_arxiv_id(f"https://arxiv.org/abs/{text}") == ArxivId(base, version)

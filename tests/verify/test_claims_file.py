"""Claims files: empty claims rejected, non-claims flagged not judged, long claims cut in echo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litcheck.errors import BadInputError
from litcheck.models import Claim, Label, Verdict
from litcheck.verify.claims_file import (
    ECHO_CHARS,
    echo,
    in_file_order,
    not_checkable,
    read_claims_file,
    split_checkable,
)


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("claim", ["", "   ", "\n\t"])
def test_an_empty_claim_is_rejected_naming_the_line(tmp_path: Path, claim: str) -> None:
    path = _write(
        tmp_path / "c.jsonl", [{"id": "a", "claim": "XLM-R beats mBERT."}, {"claim": claim}]
    )
    with pytest.raises(BadInputError, match=r"c.jsonl:2: the claim is empty"):
        read_claims_file(path)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (") OR 1=1 --", "a single word"),
        ("accuracy", "a single word"),
        ("74.4 -> 76.1 (+1.7)", "no words"),
        ("; -- ' \" */", "no words"),
        ("x" * 1_000_000, "characters long"),
    ],
)
def test_non_claims_are_flagged_with_a_reason(text: str, why: str) -> None:
    reason = not_checkable(text)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "text",
    [
        "XLM-R beats mBERT.",
        "It fell on MLQA.",
        "Robust training improves accuracy by 2.1 points on PAWS-X.",
        "鲁棒训练提高了准确率",  # no spaces between words, still a sentence
    ],
)
def test_claims_are_not_flagged(text: str) -> None:
    assert not_checkable(text) is None


def test_split_and_reorder_keep_file_order_and_cut_the_echo() -> None:
    huge = "word " * 200_000  # a 1 MB claim
    claims = [
        Claim(id="a", text="XLM-R beats mBERT."),
        Claim(id="b", text=") OR 1=1 --"),
        Claim(id="c", text=huge),
        Claim(id="d", text="It fell on MLQA."),
    ]
    to_judge, flagged = split_checkable(claims)
    assert [c.id for c in to_judge] == ["a", "d"]
    assert set(flagged) == {"b", "c"}
    assert all(v.verdict is Label.NOT_ENOUGH_INFO and not v.checked for v in flagged.values())
    assert "not a claim" in (flagged["b"].reason or "")
    assert len(flagged["c"].claim) < ECHO_CHARS + 60
    assert "[cut: 1,000,000 characters in all]" in flagged["c"].claim
    judged = [
        Verdict(id=c.id, claim=c.text, verdict=Label.SUPPORTED, confidence=0.9, judge="j")
        for c in to_judge
    ]
    out = in_file_order(claims, judged, flagged, "j")
    assert [v.id for v in out] == ["a", "b", "c", "d"]
    assert {v.judge for v in out} == {"j"}


def test_echo_leaves_short_claims_alone() -> None:
    assert echo("short") == "short"


def test_a_line_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "claims.jsonl",
        [{"id": "c1", "claim": "XLM-R beats mBERT."}, {"claim": "It fell on MLQA.", "id": None}],
    )
    assert [c.id for c in read_claims_file(path)] == ["c1", "claims.jsonl:2"]


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ({"id": "", "claim": "XLM-R beats mBERT."}, '"id" is empty'),
        ({"id": ["x"], "claim": "XLM-R beats mBERT."}, '"id" must be a string or a number'),
        ({"id": True, "claim": "XLM-R beats mBERT."}, '"id" must be a string or a number'),
        ({"id": "x" * 500, "claim": "XLM-R beats mBERT."}, '"id" is 500 characters'),
        ({"claim": "XLM-R beats mBERT.", "cites": [True]}, '"cites" must be a list'),
    ],
)
def test_bad_ids_and_cites_are_named(tmp_path: Path, row: dict[str, object], needle: str) -> None:
    with pytest.raises(BadInputError, match=needle):
        read_claims_file(_write(tmp_path / "c.jsonl", [row]))


def test_a_number_too_long_to_read_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": ' + "9" * 5000 + ', "claim": "XLM-R beats mBERT."}\n')
    with pytest.raises(BadInputError, match=r"c\.jsonl:1"):
        read_claims_file(path)
    path.write_text("[" + "9" * 5000 + "]")
    with pytest.raises(BadInputError):
        read_claims_file(path)


def test_a_directory_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="is a directory"):
        read_claims_file(tmp_path)


# -- properties: whatever the file holds, only the project's own error escapes ---------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
_records = st.dictionaries(
    st.sampled_from(["id", "claim", "text", "cites", "other"]), _json_values, max_size=5
)
_FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_give_claims_or_bad_input(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    try:
        claims = read_claims_file(path)
    except BadInputError as exc:
        assert "\n" not in str(exc).strip()
        return
    assert claims and all(c.text.strip() for c in claims)


@settings(_FUZZ, max_examples=30)
@given(st.lists(_records | _json_values, min_size=1, max_size=5), st.booleans())
def test_any_json_records_give_claims_or_bad_input(
    tmp_path: Path, rows: list[object], as_array: bool
) -> None:
    path = tmp_path / "fuzz.jsonl"
    if as_array:
        path.write_text(json.dumps(rows))
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    try:
        claims = read_claims_file(path)
    except BadInputError:
        return
    assert len({c.id for c in claims}) == len(claims)  # ids are unique
    to_judge, flagged = split_checkable(claims)
    assert len(to_judge) + len(flagged) == len(claims)
    for verdict in flagged.values():
        assert verdict.reason and len(verdict.claim) <= ECHO_CHARS + 60


@_FUZZ
@given(st.text(max_size=300))
def test_not_checkable_never_fails(text: str) -> None:
    reason = not_checkable(text)
    assert reason is None or reason.strip()

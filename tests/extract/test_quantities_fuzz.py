"""Property tests of the quantity parser and the numeric checker (issue 18 items 1 and 9).

Arbitrary text, and text built from the pieces that used to break the parser (huge exponents,
long digit runs, signs, units, ranges, change words, slot names), never raises anything but
litcheck's own errors, and every quantity serialises to standard JSON (no Infinity, no NaN).
Examples are bounded so the suite stays fast.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from litcheck.errors import LitcheckError
from litcheck.extract.quantities import parse_quantities, read_number
from litcheck.models import Label
from litcheck.verify.numeric import apply_numeric, check_numbers

BOUNDED = settings(max_examples=100, deadline=None)

_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=600)
_NUMBER = st.one_of(
    _DIGITS,
    st.builds(lambda a, b: f"{a}.{b}", _DIGITS, _DIGITS),
    st.builds(
        lambda m, s, e: f"{m}e{s}{e}",
        _DIGITS,
        st.sampled_from(["", "+", "-", "−"]),
        st.text(alphabet="0123456789", min_size=1, max_size=5000),
    ),
    st.builds(lambda m, k: f"{m}{k}", _DIGITS, st.sampled_from("kKMB")),
    st.sampled_from(["1e999", "-1e999", "1e-999", "1.7976931348623157e308", "0.0", "00000"]),
)
_PIECE = st.one_of(
    _NUMBER,
    st.sampled_from(
        [
            " ",
            "%",
            " points",
            " pp",
            "x",
            "±",
            " - ",
            "–",
            " to ",
            " and ",
            "between ",
            "from ",
            "within ",
            "more than ",
            "by ",
            " relative improvement",
            " absolute gain",
            " improves ",
            " drops ",
            " outperforms mBERT by ",
            " on PAWS-X",
            " on XNLI",
            " for Urdu",
            " accuracy",
            " F1",
            ", respectively",
            "(",
            ")",
            "[",
            "]",
            "Table ",
            "$",
            "\\%",
            ".",
            ";",
        ]
    ),
)
_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(_PIECE, max_size=25).map("".join),
)


def _serialise(obj: object) -> None:
    json.dumps(obj, allow_nan=False)


@BOUNDED
@given(_TEXT, st.one_of(st.none(), _TEXT))
def test_parse_quantities_never_raises_and_always_serialises(
    text: str, context: str | None
) -> None:
    try:
        quantities = parse_quantities(text, context)
    except LitcheckError:
        return
    for q in quantities:
        _serialise(q.model_dump(mode="json"))
        assert q.numeric or (q.value is None and q.delta is None and q.note)


@BOUNDED
@given(_DIGITS, st.one_of(st.none(), st.text(alphabet="+-−0123456789", max_size=5000)))
def test_read_number_is_finite_or_text(mantissa: str, exponent: str | None) -> None:
    reading = read_number(mantissa, exponent)
    if reading.value is None:
        assert reading.note and len(reading.note) < 200
    else:
        _serialise(reading.value)


@BOUNDED
@given(_TEXT, st.lists(_TEXT, max_size=3), st.sampled_from([None, *Label]))
def test_check_numbers_never_raises_and_reasons_are_short(
    claim: str, evidence: list[str], text_label: Label | None
) -> None:
    try:
        result = check_numbers(claim, evidence, text_label=text_label)
    except LitcheckError:
        return
    # Reasons quote the evidence around a figure, never a whole 5,000-digit token.
    assert len(result.reason) < 3000
    for check in result.checks:
        if check.evidence_value is not None:
            _serialise(check.evidence_value)
    if result.abstained:
        assert result.label is not Label.CONTRADICTED and result.label is not Label.SUPPORTED
    label, _ = apply_numeric(text_label or Label.NOT_ENOUGH_INFO, result)
    assert isinstance(label, Label)

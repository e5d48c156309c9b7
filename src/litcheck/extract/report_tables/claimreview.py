"""schema.org ``ClaimReview`` JSON-LD, the exchange format of fact-checkers.

Read from a JSON or JSON-LD file (a single object, a list of them, or a ``@graph``) or from the
``<script type="application/ld+json">`` blocks of an HTML page, as fact-checkers publish them.
Every object whose ``@type`` is ``ClaimReview`` (at any depth: a page's ``NewsArticle`` may
hold its reviews) is one row:

- ``claimReviewed`` is the claim (else the reviewed item's ``text`` or ``name``);
- ``reviewRating.alternateName`` is the report's verdict (else the rating's ``name``), read as
  any verdict mark (``False`` -> refuted, ``Half True`` -> partial, ...);
- ``reviewRating.ratingValue`` on its scale (``worstRating`` .. ``bestRating``; schema.org's
  defaults 1 and 5 where only the value is given) is the report's confidence in its verdict:
  the position of the value towards the true end of the scale for a verified verdict, towards
  the false end for a refuted one (rating 1 of 1-5 on ``False`` is 1.0; 2 of 1-5 is 0.75), none
  for a verdict between the two; the rating is kept as the extra cell ``Rating``
  (``2 of 1-5``);
- the reviewed claim's ``appearance`` / ``firstAppearance`` (URLs, or works with a ``url``) and
  its ``author`` (``name``, ``url``, ``sameAs``) are the row's sources: the arXiv ids they name
  are its cites.

The review's own ``url``, ``author`` and ``datePublished`` are kept as extra cells. Each row's
line is that of its ``"@type": "ClaimReview"``. A rating outside its scale gives no confidence
and a warning on the row.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from typing import Any

from litcheck.extract.report_tables.base import Dialect, Mark, Source, Table
from litcheck.extract.report_tables.cells import clean_cell
from litcheck.extract.report_tables.marks import parse_mark

_HEADER = ["Claim", "Verdict", "Confidence", "Rating", "Appearance", "Claim author", "Review"]
_HEADER += ["Reviewed by", "Date"]
_LD_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_TYPE_AT = re.compile(
    r'"@type"\s*:\s*(?:\[[^\]]*?)?"(?:schema:|https?://schema\.org/)?ClaimReview"'
)
_HTML_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_MAX_DEPTH = 20


def _is_claim_review(value: dict[str, Any]) -> bool:
    kind = value.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(
        isinstance(k, str) and re.sub(r"^(?:schema:|https?://schema\.org/)", "", k) == "ClaimReview"
        for k in kinds
    )


def _reviews(value: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every ClaimReview object in ``value``, in document order."""
    if depth > _MAX_DEPTH:
        return []
    if isinstance(value, list):
        return [r for item in value for r in _reviews(item, depth + 1)]
    if not isinstance(value, dict):
        return []
    if _is_claim_review(value):
        return [value]
    return [r for item in value.values() for r in _reviews(item, depth + 1)]


def _text(value: Any) -> str:
    """A string property, or the first string of a list, or ``@value`` of a typed literal."""
    if isinstance(value, list):
        return next((t for t in map(_text, value) if t), "")
    if isinstance(value, dict):
        return _text(value.get("@value", ""))
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _urls(value: Any) -> list[str]:
    """URLs of an appearance / author: strings, or objects with ``url`` / ``sameAs`` / ``@id``."""
    if isinstance(value, list):
        return [u for item in value for u in _urls(item)]
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        found: list[str] = []
        for key in ("url", "sameAs", "@id"):
            found += [u for u in _urls(value.get(key)) if u not in found]
        return found
    return []


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    if isinstance(value, dict):
        name = _text(value.get("name")) or _text(value.get("Name"))
        return [name] if name else []
    return [value.strip()] if isinstance(value, str) and value.strip() else []


def _number(value: Any) -> float | None:
    text = _text(value).replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _figure(x: float) -> str:
    """A rating figure as written for a reader: 2, 0.75, 1.7e+308."""
    if not math.isfinite(x) or abs(x) >= 1e6:
        return f"{x:.4g}"
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def rating_confidence(rating: dict[str, Any], mark: Mark | None) -> tuple[str, str, str | None]:
    """The confidence a rating gives the verdict, the rating as written, and a warning.

    Args:
        rating: the ``reviewRating`` object.
        mark: the verdict its ``alternateName`` reads as.

    Returns:
        The confidence in [0, 1] as text (``"0.75"``; "" when the rating has no numeric value
        or the verdict is neither verified nor refuted), the rating (``"2 of 1-5"``), and a
        warning saying why a rating gives no confidence, or None.
    """
    value = _number(rating.get("ratingValue"))
    if value is None:
        return "", "", None
    given_best, given_worst = _number(rating.get("bestRating")), _number(rating.get("worstRating"))
    best = 5.0 if given_best is None else given_best
    worst = 1.0 if given_worst is None else given_worst
    scale = f"{_figure(worst)}-{_figure(best)}"
    written = f"{_figure(value)} of {scale}"
    if given_best is None or given_worst is None:
        written += " (schema.org's default scale)"
    if not worst < best or not worst <= value <= best:
        return (
            "",
            written,
            f"the rating {_figure(value)} is outside its scale {scale}: no confidence",
        )
    position = (value - worst) / (best - worst)
    if not math.isfinite(position):  # a scale so wide its span overflows a float
        return "", written, f"the rating scale {scale} is too wide to read: no confidence"
    if mark == "verified":
        return _figure(round(position, 2)), written, None
    if mark == "refuted":
        return _figure(round(1 - position, 2)), written, None
    return "", written, None


def _row(review: dict[str, Any]) -> tuple[list[str], list[str]]:
    item = review.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    claim = _text(review.get("claimReviewed")) or _text(item.get("text")) or _text(item.get("name"))
    rating = review.get("reviewRating")
    rating = rating[0] if isinstance(rating, list) and rating else rating
    rating = rating if isinstance(rating, dict) else {}
    verdict = _text(rating.get("alternateName")) or _text(rating.get("name"))
    mark = parse_mark(verdict) if verdict else None
    confidence, written, warning = rating_confidence(rating, mark)
    appearance = _urls(item.get("appearance")) + _urls(item.get("firstAppearance"))
    author = item.get("author")
    author_cell = " ".join(dict.fromkeys(_names(author) + _urls(author)))
    reviewer = " ".join(_names(review.get("author")))
    cells = [
        claim,
        verdict,
        confidence,
        written,
        " ".join(dict.fromkeys(appearance)),
        author_cell,
        " ".join(_urls(review.get("url"))),
        reviewer,
        _text(review.get("datePublished")),
    ]
    return cells, [warning] if warning else []


def _documents(source: Source) -> list[tuple[int, str]]:
    """The JSON-LD texts of the source with their offsets: the whole file, or HTML scripts."""
    stripped = source.text.lstrip()
    if stripped.startswith(("{", "[")):
        return [(len(source.text) - len(stripped), stripped)]
    if "ld+json" not in source.text.lower():
        return []
    return [(m.start(1), m.group(1)) for m in _LD_SCRIPT.finditer(source.text)]


def _claimreview_tables(source: Source) -> list[Table]:
    starts = [0] + [m.end() for m in re.finditer("\n", source.text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    table = Table(header=list(_HEADER), header_line=0, format="claimreview", title="")
    for offset, document in _documents(source):
        try:
            reviews = _reviews(
                json.loads(document.strip().removeprefix("<!--").removesuffix("-->"))
            )
        except (ValueError, RecursionError):
            continue  # not JSON: the other readers may still find a table
        at = [offset + m.start() for m in _TYPE_AT.finditer(document)]
        for k, review in enumerate(reviews):
            cells, warnings = _row(review)
            if not cells[0]:
                continue  # a review without a claim: nothing to check
            line = line_of(at[k] if len(at) == len(reviews) else offset)
            if warnings:
                table.row_warnings[len(table.rows)] = warnings
            table.rows.append((line, cells))
    if not table.rows:
        return []
    table.header_line = table.rows[0][0]
    html_title = _HTML_TITLE.search(source.text)
    if html_title is not None:
        table.title = clean_cell(html_title.group(1))
    return [table]


def read(source: Source) -> list[Table]:
    """The ClaimReview objects of the source as one table (see the module's docstring)."""
    return _claimreview_tables(source)


DIALECT = Dialect("claimreview", read)

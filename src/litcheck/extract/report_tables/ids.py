"""arXiv ids named anywhere in a report: URLs, ``arXiv:`` ids and bare new-style ids."""

from __future__ import annotations

import re

from litcheck.errors import LitcheckError

_ID_URL = re.compile(
    r"(?:https?://)?(?:www\.|export\.|ar5iv\.labs\.|ar5iv\.)?arxiv\.org/"
    r"(?:abs|pdf|html|format|ps)/[A-Za-z0-9.\-/]+",
    re.IGNORECASE,
)
_ID_PREFIXED = re.compile(
    r"arxiv\s*:\s*`?((?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z-]+)?/\d{7})(?:v\d+)?)",
    re.IGNORECASE,
)
# A bare new-style id: not part of a longer number (2104.086451) or a decimal (1.2104.08645).
_ID_BARE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5}(?:v\d+)?)(?![\d])")


def _normalise_id(raw: str) -> tuple[str, int | None] | None:
    try:
        from litcheck.retrieve.ids import parse_arxiv_id
    except ImportError:  # pragma: no cover - the retrieve stage ships with the package
        return None
    candidate = raw.rstrip(".,;:)>]}'\"`")
    try:
        parsed = parse_arxiv_id(candidate)
    except LitcheckError:
        return None
    return parsed.base, parsed.version


def find_arxiv_ids(text: str) -> list[str]:
    """Every arXiv id mentioned in ``text``, in order of first mention, without duplicates.

    Reads abs/pdf/html/ar5iv URLs, ``arXiv:`` ids and bare new-style ids (``2104.08645v2``,
    also inside file names such as ``gpqa_2311.12022v1.pdf``). An id seen both with and without
    version keeps the version.

    Args:
        text: any text.

    Returns:
        Ids such as ``['2104.08645v2', '2505.15090']``.

    Example:
        >>> find_arxiv_ids("see <http://arxiv.org/abs/2104.08645v2> and arXiv:2505.15090")
        ['2104.08645v2', '2505.15090']
    """
    found: list[tuple[int, str, int | None]] = []
    taken: list[tuple[int, int]] = []
    for pattern, group in ((_ID_URL, 0), (_ID_PREFIXED, 1), (_ID_BARE, 1)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s <= start < e for s, e in taken):
                continue
            parsed = _normalise_id(match.group(group))
            if parsed is None:
                continue
            taken.append((start, end))
            found.append((start, parsed[0], parsed[1]))
    found.sort()
    order: dict[str, int | None] = {}
    for _, base, version in found:
        if base not in order or (order[base] is None and version is not None):
            order[base] = version
    return [f"{base}v{v}" if v is not None else base for base, v in order.items()]

"""Read ``verify``'s CLAIMS_FILE: JSON Lines of ``{"id", "claim", "cites"}``.

Two kinds of problem are told apart. A line that cannot be a claim record (not JSON, a wrong
field type, an empty claim, a duplicate id) stops the file before anything is verified, naming
the line. A record that is well formed but not a checkable statement (a bare word such as
"accuracy", a SQL fragment such as ``) OR 1=1 --``, a claim longer than the judge reads) is not
judged: it gets NOT_ENOUGH_INFO with ``checked`` False and the reason (see
:func:`split_checkable`), and a claim too long to echo is shown cut, with a note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from litcheck.errors import BadInputError
from litcheck.models import Claim, Label, Verdict

#: Longer claims are not judged (the same limit as the verify pipeline's): no claim is a page
#: long, and the judge reads about 128 tokens.
MAX_CLAIM_CHARS = 2000
#: How much of an unjudged claim is echoed back in a verdict; the rest is cut, with a note.
ECHO_CHARS = 300
#: Longest id accepted (an id is a label, not a document).
MAX_ID_CHARS = 200

# Runs of letters (any script), e.g. "XLM", "R", "accuracy"; digits and symbols split them.
_WORD = re.compile(r"[^\W\d_]+")
# Scripts written without spaces between words: one "word" there may be a whole sentence.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def read_claims_file(path: Path) -> list[Claim]:
    """Parse a claims file, validating every line before anything is verified.

    Args:
        path: JSON Lines, one ``{"id": "c1", "claim": "...", "cites": ["2104.08645"]}`` per
            line; ``cites`` defaults to ``[]`` (search the whole library); a line without an
            ``id`` is named by its place, ``FILE:LINE`` (e.g. ``claims.jsonl:3``). Blank lines
            are skipped. A file holding one JSON array of such objects (pretty-printed or not)
            is read too; its "line numbers" are then the objects' positions.

    Returns:
        The claims, in file order.

    Raises:
        BadInputError: missing file, invalid JSON, a wrong field type, an empty claim or a
            duplicate id, with the line number.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInputError(f"Claims file {path} does not exist.") from None
    except IsADirectoryError:
        raise BadInputError(f"Claims file {path} is a directory, not a file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"Cannot read the claims file {path}: {exc}.") from None
    text = text.lstrip("\ufeff")
    claims: list[Claim] = []
    seen: set[str] = set()
    for n, obj in _records(path, text):
        where = f"{path}:{n}"
        if not isinstance(obj, dict):
            raise BadInputError(f"{where}: expected a JSON object, got {type(obj).__name__}.")
        claim = obj.get("claim", obj.get("text"))
        if not isinstance(claim, str):
            raise BadInputError(f'{where}: "claim" must be a string (the claim\'s text).')
        if not claim.strip():
            raise BadInputError(
                f'{where}: the claim is empty; write the statement to check in "claim", or '
                "remove the line."
            )
        cites = obj.get("cites") or []
        if isinstance(cites, str):
            cites = [cites]
        if not isinstance(cites, list) or not all(
            isinstance(c, str | int) and not isinstance(c, bool) for c in cites
        ):
            raise BadInputError(f'{where}: "cites" must be a list of arXiv ids.')
        cid = _claim_id(obj.get("id"), path, n, where)
        if cid in seen:
            raise BadInputError(f"{where}: duplicate id {cid!r}; ids must be unique.")
        seen.add(cid)
        claims.append(Claim(id=cid, text=claim, cites=[str(c).strip() for c in cites]))
    if not claims:
        raise BadInputError(f"Claims file {path} holds no claims.")
    return claims


def _claim_id(raw: object, path: Path, n: int, where: str) -> str:
    if raw is None:  # absent or null: named by its place, which the user can find
        return f"{path.name}:{n}"
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise BadInputError(f'{where}: "id" must be a string or a number.')
    cid = str(raw).strip()
    if not cid:
        raise BadInputError(f'{where}: "id" is empty; give the claim a name, or leave "id" out.')
    if len(cid) > MAX_ID_CHARS:
        raise BadInputError(f'{where}: "id" is {len(cid):,} characters; keep it under 200.')
    return cid


def _records(path: Path, text: str) -> list[tuple[int, object]]:
    """(line number, parsed value) per non-blank line, or per element of a top-level array."""
    if text.lstrip().startswith("["):
        try:
            whole = json.loads(text)
        except ValueError:  # JSONDecodeError, or a number too long for Python to read
            whole = None
        if isinstance(whole, list):
            return list(enumerate(whole, start=1))
    out: list[tuple[int, object]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise BadInputError(
                f"{path}:{n}: not valid JSON ({exc.msg} at column {exc.colno}); each line must be "
                'an object like {"id": "c1", "claim": "...", "cites": []}.'
            ) from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise BadInputError(f"{path}:{n}: unreadable JSON value ({exc}).") from None
    return out


def not_checkable(text: str) -> str | None:
    """Why ``text`` is no statement a judge can check, or None when it may be one.

    Args:
        text: a claim's text.

    Returns:
        The reason, e.g. ``"not a claim: a single word, nothing is stated about it"``.

    Example:
        >>> not_checkable("accuracy").startswith("not a claim: a single word")
        True
        >>> not_checkable("Robust training improves PAWS-X accuracy by 2.1 points.") is None
        True
    """
    stripped = text.strip()
    if len(stripped) > MAX_CLAIM_CHARS:
        return (
            f"the claim is {len(stripped):,} characters long (limit {MAX_CLAIM_CHARS:,}); "
            "split it into checkable claims"
        )
    words = _WORD.findall(stripped)
    hint = 'write what is claimed, e.g. "X improves accuracy on Y by 2 points"'
    if not words:
        return f"not a claim: it has no words, only numbers or symbols; {hint}"
    if len(words) < 2 and not _UNSPACED.search(stripped):
        return f"not a claim: a single word, nothing is stated about it; {hint}"
    return None


def echo(text: str) -> str:
    """The claim as a verdict shows it: cut after :data:`ECHO_CHARS` with a note when longer."""
    if len(text) <= ECHO_CHARS:
        return text
    return f"{text[:ECHO_CHARS]}… [cut: {len(text):,} characters in all]"


def split_checkable(claims: Sequence[Claim]) -> tuple[list[Claim], dict[str, Verdict]]:
    """Set apart the claims no judge should see.

    Args:
        claims: the claims read from a file.

    Returns:
        (claims to judge, verdicts by claim id for the others: NOT_ENOUGH_INFO, ``checked``
        False, the reason, and the claim echoed cut when it is long).
    """
    to_judge: list[Claim] = []
    flagged: dict[str, Verdict] = {}
    for claim in claims:
        reason = not_checkable(claim.text)
        if reason is None:
            to_judge.append(claim)
            continue
        flagged[claim.id] = Verdict(
            id=claim.id,
            claim=echo(claim.text),
            verdict=Label.NOT_ENOUGH_INFO,
            confidence=0.0,
            reason=f"not judged: {reason}",
            checked=False,
        )
    return to_judge, flagged


def in_file_order(
    claims: Sequence[Claim], judged: Sequence[Verdict], flagged: dict[str, Verdict], judge: str
) -> list[Verdict]:
    """Put the judged verdicts and the flagged ones back in the claims' order.

    Args:
        claims: all the claims, in file order.
        judged: the verdicts of the claims that were judged, in their order.
        flagged: the verdicts from :func:`split_checkable`.
        judge: the judge's name, recorded on every verdict (the report names one judge).

    Returns:
        One verdict per claim, in file order.
    """
    by_id = {v.id: v for v in judged}
    out: list[Verdict] = []
    for claim in claims:
        if claim.id in flagged:
            out.append(flagged[claim.id].model_copy(update={"judge": judge}))
        else:
            out.append(by_id[claim.id])
    return out

"""Read ``verify``'s CLAIMS_FILE: JSON Lines of ``{"id", "claim", "cites"}``."""

from __future__ import annotations

import json
from pathlib import Path

from litcheck.errors import BadInputError
from litcheck.models import Claim


def read_claims_file(path: Path) -> list[Claim]:
    """Parse a claims file, validating every line before anything is verified.

    Args:
        path: JSON Lines, one ``{"id": "c1", "claim": "...", "cites": ["2104.08645"]}`` per
            line; ``id`` defaults to ``line<N>``, ``cites`` to ``[]`` (search the whole library).
            Blank lines are skipped. A file holding one JSON array of such objects
            (pretty-printed or not) is read too; its "line numbers" are then the objects'
            positions. Empty or overlong claims are kept: they get a NOT_ENOUGH_INFO verdict
            with the reason.

    Returns:
        The claims, in file order.

    Raises:
        BadInputError: missing file, invalid JSON or a wrong field type, with the line number.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInputError(f"Claims file {path} does not exist.") from None
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
        cites = obj.get("cites") or []
        if isinstance(cites, str):
            cites = [cites]
        if not isinstance(cites, list) or not all(isinstance(c, str | int) for c in cites):
            raise BadInputError(f'{where}: "cites" must be a list of arXiv ids.')
        cid = str(obj.get("id", f"line{n}"))
        if cid in seen:
            raise BadInputError(f"{where}: duplicate id {cid!r}; ids must be unique.")
        seen.add(cid)
        claims.append(Claim(id=cid, text=claim, cites=[str(c) for c in cites]))
    if not claims:
        raise BadInputError(f"Claims file {path} holds no claims.")
    return claims


def _records(path: Path, text: str) -> list[tuple[int, object]]:
    """(line number, parsed value) per non-blank line, or per element of a top-level array."""
    if text.lstrip().startswith("["):
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
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
    return out

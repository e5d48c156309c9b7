"""The judge registry: which judges a user has, which one is the default, and loading one.

A judge is named by a *reference*, resolved in this order:

- ``fallback`` — the lexical/numeric :class:`~litcheck.verify.judge.FallbackJudge`;
- ``shipped`` — the judge inside the package (:data:`~litcheck.verify.onnx_judge.SHIPPED_DIR`);
- a *name*: a folder ``<models_dir>/judges/<name>/`` holding an ONNX judge folder
  (``model.onnx`` + ``tokenizer.json``) or a transformers model (``config.json``, directly or in
  ``model/`` as ``litcheck train-verifier --name`` writes it), each with its ``card.json``;
- a path to such a folder;
- a Hugging Face NLI / cross-encoder id (``owner/model``), loaded where the hub is reachable
  (or from the local Hugging Face cache); its ``id2label`` is mapped onto our three labels.

The default is recorded in ``<models_dir>/judges/default.json`` (written atomically by
``litcheck judge use``); without one it is ``shipped``, or ``fallback`` (with a note) in an
install that has no shipped judge. :func:`load_judge` picks, first match wins: the explicit
reference (``--judge``), the ``verifier_model`` setting (``LITCHECK_VERIFIER_MODEL``), the
recorded default, the shipped judge, the fallback.

Example:
    >>> from litcheck.settings import load_settings
    >>> judge = load_judge(load_settings(), judge="fallback")
    >>> judge.name.startswith("fallback")
    True
"""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litcheck.errors import VerificationError
from litcheck.settings import Settings
from litcheck.verify.judge import FallbackJudge, Judge
from litcheck.verify.onnx_judge import SHIPPED_DIR, is_onnx_judge

SHIPPED = "shipped"
FALLBACK = "fallback"
DEFAULT_FILE = "default.json"
CARD_FILE = "card.json"
#: Names a user may give a judge: a folder name that is safe on every platform.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_RESERVED = {SHIPPED, FALLBACK, "default"}
#: ``owner/model`` (optionally ``@revision``): the shape of a Hugging Face model id.
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")


@dataclass(frozen=True)
class JudgeEntry:
    """One judge a reference resolves to (nothing loaded yet).

    Attributes:
        ref: what the user writes to choose it (``shipped``, ``fallback``, a name, a path, an id).
        kind: ``onnx``, ``transformers``, ``hub`` or ``fallback``.
        source: where it comes from, for people (``package``, a folder, ``Hugging Face hub``).
        path: the folder to load (``None`` for the fallback and hub ids).
        card: its ``card.json`` (empty when it has none).
        removable: whether ``litcheck judge remove`` may delete it (named judges only).
        status: ``ready``, or why it cannot be used yet (``training, step 150``).
    """

    ref: str
    kind: str
    source: str
    path: Path | None = None
    card: dict[str, Any] = field(default_factory=dict)
    removable: bool = False
    status: str = "ready"

    @property
    def version(self) -> str | None:
        """The card's ``version``, else its date and steps (``2025-12-02, 600 steps``)."""
        if self.card.get("version"):
            return str(self.card["version"])
        smoke = "smoke run" if self.card.get("smoke") else None
        parts = [p for p in (self.date, _steps(self.card), smoke) if p]
        return ", ".join(parts) or None

    @property
    def date(self) -> str | None:
        """The day it was made (card ``created``/``date``, or ``built`` for a built judge)."""
        value = self.card.get("created") or self.card.get("date") or self.card.get("built")
        return str(value)[:10] if value else None

    @property
    def display_name(self) -> str:
        """What verdicts name it by: the card's name (or the reference) and its version."""
        if self.kind == "fallback":
            return FallbackJudge().name
        name = str(self.card.get("name") or self.ref)
        version = self.version
        return f"{name} ({version})" if version else name

    def figures(self) -> dict[str, float]:
        """Its dev figures from the card: ``scifact_dev_macro_f1``, ``scifact_dev_ece``, ...

        Returns:
            Metric name -> value; empty when the card states none.
        """
        return card_figures(self.card)

    def to_dict(self, default: str | None = None) -> dict[str, Any]:
        """JSON-ready fields, for ``litcheck judge list --json``.

        Args:
            default: the reference of the default judge, to mark this one.

        Returns:
            ``{"name", "kind", "source", "path", "version", "date", "figures", "status",
            "default"}``.
        """
        return {
            "name": self.ref,
            "kind": self.kind,
            "source": self.source,
            "path": str(self.path) if self.path else None,
            "version": self.version,
            "date": self.date,
            "figures": self.figures(),
            "status": self.status,
            "default": default is not None and _same(self.ref, default),
        }


def _same(a: str, b: str) -> bool:
    return a == b or (Path(a).expanduser().resolve() == Path(b).expanduser().resolve())


def _steps(card: dict[str, Any]) -> str | None:
    steps = card.get("steps")
    return f"{steps} steps" if isinstance(steps, int) and steps > 0 else None


#: Where cards keep the SciFact dev scores, best first: the judge as it runs (a built ONNX
#: judge's ``scifact_dev_gold``, its lexical cues included), the combination with lexical cues
#: when fitted, else the calibrated judge alone; older cards used ``test_*``.
_GOLD_KEYS = (
    "scifact_dev_gold",
    "scifact_dev_gold_combined",
    "scifact_dev_gold_calibrated",
    "test_combined",
    "test_calibrated",
)
_OPEN_KEYS = ("scifact_dev_open", "scifact_dev_open_retrieval", "open_retrieval")


def card_figures(card: dict[str, Any]) -> dict[str, float]:
    """Figures a card states, flattened to ``name -> value``.

    Reads a ``figures`` mapping (nested one level: ``{"scifact_dev_gold": {"macro_f1": ..}}``
    becomes ``scifact_dev_gold.macro_f1``), else the ``metrics`` that ``train-verifier`` writes
    (its best SciFact dev scores with gold evidence: combined with lexical cues when fitted).

    Args:
        card: a judge's card.

    Returns:
        Metric name -> value (rounded to 4 places).
    """
    out: dict[str, float] = {}
    figures = card.get("figures")
    if isinstance(figures, dict):
        for key, value in figures.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[str(key)] = round(float(value), 4)
            elif isinstance(value, dict):
                for sub, inner in value.items():
                    if isinstance(inner, int | float) and not isinstance(inner, bool):
                        out[f"{key}.{sub}"] = round(float(inner), 4)
        if out:
            return out
    metrics = card.get("metrics")
    if isinstance(metrics, dict):
        for prefix, keys in (("scifact_dev", _GOLD_KEYS), ("scifact_dev_open", _OPEN_KEYS)):
            best = next((metrics[k] for k in keys if isinstance(metrics.get(k), dict)), None)
            if best is None:
                continue
            for key in ("macro_f1", "ece"):
                if isinstance(best.get(key), int | float):
                    out[f"{prefix}_{key}"] = round(float(best[key]), 4)
    return out


def headline(figures: dict[str, float]) -> str:
    """The figures a person reads first: SciFact dev macro-F1 and ECE (gold evidence).

    Args:
        figures: from :func:`card_figures`.

    Returns:
        ``"SciFact dev F1 0.712, ECE 0.031"``, the first two figures, or ``""``.
    """
    f1 = next((v for k, v in figures.items() if "scifact" in k and k.endswith("macro_f1")), None)
    ece = next((v for k, v in figures.items() if "scifact" in k and k.endswith("ece")), None)
    if f1 is not None:
        return f"SciFact dev F1 {f1:.3f}" + (f", ECE {ece:.3f}" if ece is not None else "")
    return ", ".join(f"{k} {v:g}" for k, v in list(figures.items())[:2])


def judges_dir(settings: Settings) -> Path:
    """The folder of named judges: ``<models_dir>/judges``.

    Args:
        settings: source of ``models_dir``.

    Returns:
        The folder (it may not exist yet).
    """
    return settings.models_dir / "judges"


def check_name(name: str) -> str:
    """Check a new judge's name.

    Args:
        name: the name asked for.

    Returns:
        The name.

    Raises:
        VerificationError: when it is reserved or not a plain folder name.
    """
    if name in _RESERVED:
        raise VerificationError(f"{name!r} is reserved; give the judge another name.")
    if not NAME_PATTERN.fullmatch(name):
        raise VerificationError(
            f"{name!r} is not a judge name; use letters, digits, '.', '_' and '-' (at most 64, "
            "starting with a letter or digit)."
        )
    return name


def _read_card(folder: Path) -> dict[str, Any]:
    for path in (folder / CARD_FILE, folder.parent / CARD_FILE):
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def _folder_entry(ref: str, folder: Path, removable: bool) -> JudgeEntry | None:
    """The judge a folder holds, or None when it holds none (an ONNX folder wins)."""
    if is_onnx_judge(folder):
        return JudgeEntry(ref, "onnx", str(folder), folder, _read_card(folder), removable)
    for model in (folder, folder / "model"):
        if (model / "config.json").is_file():
            return JudgeEntry(
                ref, "transformers", str(folder), model, _read_card(folder), removable
            )
    state = folder / "checkpoint" / "state.json"
    if state.is_file():
        try:
            step = json.loads(state.read_text(encoding="utf-8")).get("step", "?")
        except (OSError, ValueError):
            step = "?"
        return JudgeEntry(
            ref, "transformers", str(folder), None, {}, removable, f"training, step {step}"
        )
    return None


def shipped_entry() -> JudgeEntry | None:
    """The judge inside the package, or None in an install without one."""
    if not is_onnx_judge(SHIPPED_DIR):
        return None
    return JudgeEntry(SHIPPED, "onnx", "package", SHIPPED_DIR, _read_card(SHIPPED_DIR))


def fallback_entry() -> JudgeEntry:
    """The lexical/numeric fallback judge."""
    return JudgeEntry(FALLBACK, "fallback", "built in")


def list_judges(settings: Settings) -> list[JudgeEntry]:
    """Every judge this install has: the shipped one, the fallback, then the named ones.

    Args:
        settings: source of ``models_dir``.

    Returns:
        Entries, named judges sorted by name (folders holding no judge are left out).
    """
    shipped = shipped_entry() or JudgeEntry(
        SHIPPED, "onnx", "package", status="not in this install"
    )
    out = [shipped, fallback_entry()]
    folder = judges_dir(settings)
    if folder.is_dir():
        for sub in sorted(folder.iterdir()):
            if sub.is_dir() and NAME_PATTERN.fullmatch(sub.name) and sub.name not in _RESERVED:
                entry = _folder_entry(sub.name, sub, removable=True)
                if entry is not None:
                    out.append(entry)
    return out


def resolve_judge(ref: str, settings: Settings) -> JudgeEntry:
    """What a reference names, without loading it.

    Args:
        ref: ``shipped``, ``fallback``, a judge name, a folder path or a Hugging Face id.
        settings: source of ``models_dir``.

    Returns:
        The entry.

    Raises:
        VerificationError: when nothing answers to ``ref``, or it is not finished training.
    """
    ref = ref.strip()
    if ref == FALLBACK:
        return fallback_entry()
    if ref == SHIPPED:
        entry = shipped_entry()
        if entry is None:
            raise VerificationError(
                "This install of litcheck has no shipped judge; use `--judge fallback`, a "
                "judge you trained (`litcheck judge list`) or a Hugging Face NLI model id."
            )
        return entry
    entry = None
    if NAME_PATTERN.fullmatch(ref) and (judges_dir(settings) / ref).is_dir():
        entry = _folder_entry(ref, judges_dir(settings) / ref, removable=True)
    elif Path(ref).expanduser().exists():
        path = Path(ref).expanduser().resolve()
        entry = _folder_entry(str(path), path, removable=False) if path.is_dir() else None
        if entry is None:
            raise VerificationError(
                f"{path} holds no judge: it needs model.onnx + tokenizer.json (ONNX) or "
                "config.json (a transformers model), directly or in model/."
            )
    elif _HUB_ID.fullmatch(ref):
        return JudgeEntry(ref, "hub", "Hugging Face hub")
    if entry is None:
        raise VerificationError(
            f"No judge named {ref!r}; `litcheck judge list` shows the judges you have, and a "
            "Hugging Face model is named owner/model (e.g. cross-encoder/nli-deberta-v3-small)."
        )
    if entry.status != "ready":
        raise VerificationError(
            f"Judge {ref!r} is not finished ({entry.status}); resume it with "
            f"`litcheck train-verifier --name {ref} --resume`."
        )
    return entry


def read_default(settings: Settings) -> str | None:
    """The recorded default reference (``default.json``), or None when none is recorded.

    Args:
        settings: source of ``models_dir``.

    Returns:
        The reference, or None (also when the file is unreadable).
    """
    path = judges_dir(settings) / DEFAULT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ref = data.get("judge") if isinstance(data, dict) else None
    return str(ref) if ref else None


def write_default(settings: Settings, ref: str | None) -> None:
    """Record ``ref`` as the default judge (atomically); ``None`` forgets the record.

    Args:
        settings: source of ``models_dir``.
        ref: a reference :func:`resolve_judge` accepts, or None to reset to the shipped one.
    """
    from litcheck.console import atomic_write_text

    path = judges_dir(settings) / DEFAULT_FILE
    if ref is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"judge": ref, "set": time.strftime("%Y-%m-%dT%H:%M:%S")}
    atomic_write_text(path, json.dumps(record, indent=1) + "\n")


def default_judge(settings: Settings) -> tuple[JudgeEntry, str | None]:
    """The default judge and, when it is not what was recorded or expected, why.

    Args:
        settings: source of ``models_dir``.

    Returns:
        ``(entry, note)``; the note is None when the recorded default (or, without a record,
        the shipped judge) is what is used.
    """
    recorded = read_default(settings)
    note = None
    if recorded is not None:
        try:
            return resolve_judge(recorded, settings), None
        except VerificationError as exc:
            note = f"the default judge {recorded!r} cannot be used ({exc})"
    shipped = shipped_entry()
    if shipped is not None:
        return shipped, (note + "; using the shipped judge.") if note else None
    why = note + "; and" if note else "note:"
    return fallback_entry(), (
        f"{why} this install has no shipped judge, so verdicts come from the lexical fallback "
        "(`litcheck judge list` shows other judges)."
    )


def effective_ref(settings: Settings, judge: str | None = None) -> str:
    """The reference :func:`load_judge` will use (explicit > setting > default).

    Args:
        settings: source of ``verifier_model`` and ``models_dir``.
        judge: the explicit reference (``--judge``), if any.

    Returns:
        A reference.
    """
    return judge or settings.verifier_model or default_judge(settings)[0].ref


def open_judge(entry: JudgeEntry, device: str = "cpu") -> Judge:
    """Build the judge an entry names (models load on first use).

    Args:
        entry: from :func:`resolve_judge`, :func:`default_judge` or :func:`list_judges`.
        device: ``cpu`` or ``cuda`` (transformers judges; ONNX judges run on the CPU).

    Returns:
        A :class:`~litcheck.verify.judge.Judge` whose ``name`` names the judge and its version.
    """
    if entry.kind == "fallback":
        return FallbackJudge()
    if entry.kind == "onnx" and entry.path is not None:
        from litcheck.verify.onnx_judge import OnnxJudge

        onnx_judge = OnnxJudge(entry.path)
        if not onnx_judge.card.get("version"):
            # OnnxJudge names itself "name version"; without a version, the date and steps.
            onnx_judge.name = entry.display_name
        return onnx_judge
    from litcheck.verify.judge import CrossEncoderJudge

    judge = CrossEncoderJudge(str(entry.path) if entry.path else entry.ref, device=device)
    if entry.kind == "transformers":
        cues = " + lexical cues" if judge.combiner is not None else ""
        judge.name = f"{entry.display_name}{cues}"
    return judge


def load_judge(
    settings: Settings,
    device: str = "cpu",
    fallback: bool = False,
    judge: str | None = None,
    quiet: bool = False,
) -> Judge:
    """The judge in effect: ``judge`` > ``verifier_model`` setting > default > shipped > fallback.

    Args:
        settings: litcheck settings.
        device: ``cpu`` or ``cuda``.
        fallback: force the fallback judge (the old ``--fallback`` flag).
        judge: an explicit reference (``--judge``): a name, ``shipped``, ``fallback``, a path or
            a Hugging Face id.
        quiet: do not print the note when the default cannot be used.

    Returns:
        A :class:`~litcheck.verify.judge.Judge`.

    Raises:
        VerificationError: when an explicit reference or the setting names no judge.
    """
    if fallback:
        return FallbackJudge()
    ref = judge or settings.verifier_model
    if ref:
        return open_judge(resolve_judge(ref, settings), device)
    entry, note = default_judge(settings)
    if note and not quiet:
        from litcheck.console import warn

        warn(note)
    return open_judge(entry, device)


def probe(judge: Judge) -> None:
    """Run a judge once on one pair, so that a judge that cannot load fails now.

    Args:
        judge: the judge.

    Raises:
        VerificationError: when it cannot load or answers with something other than 3 labels.
    """
    try:
        probs = judge.probabilities(
            ["Aspirin lowers the risk of heart attack."],
            ["Daily aspirin reduced the rate of myocardial infarction by 44%."],
        )
    except VerificationError:
        raise
    except Exception as exc:  # a model that loads but cannot run: say which, not a traceback
        raise VerificationError(
            f"The judge {judge.name} failed on a test pair ({type(exc).__name__}: {exc})."
        ) from None
    if getattr(probs, "shape", None) != (1, 3):
        raise VerificationError(
            f"The judge {judge.name} did not give three label probabilities for a test pair."
        )


def use_judge(settings: Settings, ref: str, device: str = "cpu") -> JudgeEntry:
    """Make ``ref`` the default judge, after checking that it loads and judges a pair.

    Args:
        settings: source of ``models_dir``.
        ref: a name, ``shipped``, ``fallback``, a path or a Hugging Face id.
        device: where to try it.

    Returns:
        The entry now the default.

    Raises:
        VerificationError: when it names no judge or the judge fails to load.
    """
    entry = resolve_judge(ref, settings)
    probe(open_judge(entry, device))
    # A path's reference is already resolved, so the default does not depend on the cwd.
    write_default(settings, entry.ref)
    return entry


def remove_judge(settings: Settings, name: str) -> bool:
    """Delete a named judge; when it was the default, the default goes back to the shipped one.

    Args:
        settings: source of ``models_dir``.
        name: a judge name (``litcheck judge list``).

    Returns:
        Whether it was the default (and the default was reset).

    Raises:
        VerificationError: for ``shipped`` or ``fallback``, or when no judge has that name.
    """
    if name in (SHIPPED, FALLBACK):
        raise VerificationError(
            f"The {name} judge is part of litcheck and cannot be removed; `litcheck judge use` "
            "another judge instead."
        )
    folder = judges_dir(settings) / name
    if not NAME_PATTERN.fullmatch(name) or not folder.is_dir() or name in _RESERVED:
        raise VerificationError(f"No judge named {name!r}; `litcheck judge list` shows them.")
    was_default = read_default(settings) == name
    if was_default:
        write_default(settings, None)
    # Rename first: a kill during the delete leaves a hidden folder, never half a judge.
    trash = folder.with_name(f".removing-{name}-{time.time_ns()}")
    folder.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)
    return was_default

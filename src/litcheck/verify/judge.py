"""The judge: claim + evidence text -> calibrated probabilities of the three labels.

Two implementations behind one small interface:

- :class:`CrossEncoderJudge` — the model ``litcheck train-verifier`` saved under
  ``<models_dir>/verifier`` (or any Hugging Face NLI/cross-encoder id or path named by the
  ``verifier_model`` setting; its ``id2label`` is mapped through the one label map), with the
  temperature and NOT_ENOUGH_INFO bias fitted on the calibration split;
- :class:`FallbackJudge` — used when no trained model exists, and says so in every verdict's
  ``judge`` field. It scores lexical coverage of the claim by the evidence (IDF-free stem
  overlap), and contradiction cues: a negation in one text but not the other, or opposite
  change verbs (increase/decrease). The numeric checker runs after either judge.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from litcheck import __version__
from litcheck.errors import VerificationError
from litcheck.settings import Settings
from litcheck.verify.aggregate import Aggregator
from litcheck.verify.calibration import Calibration
from litcheck.verify.labels import LABELS, map_label
from litcheck.verify.selective import Thresholds
from litcheck.verify.text import (
    NEGATION_CUES,
    negation_count,
    overlap,
    register_cache,
    split_sentences,
    stems,
)

FALLBACK_NAME = (
    f"fallback (litcheck {__version__}): lexical overlap + negation/direction/opposite cues + "
    "numeric checker (no trained model)"
)

#: Fallback post-processing, fitted (not hand-set) by ``fit_calibration`` on the fallback's
#: logits of the SciFact calibration split; ``tests/verify/test_fallback_negation.py`` refits it
#: and fails when these constants are not the fit.
FALLBACK_CALIBRATION = Calibration(temperature=2.15, nei_bias=-0.8)
#: NOT_ENOUGH_INFO log-factor for retrieved evidence: the value
#: ``fit_open_retrieval(FallbackJudge(), lib, index, data_dir, with_aggregator=False)`` finds on
#: the SciFact calibration claims (open, cited and mis-cited retrieval; refit 2026-12-04).
FALLBACK_RETRIEVAL_NEI_BIAS = 0.1

_UP = re.compile(
    r"\b(increas\w*|higher|more|improv\w*|promot\w*|enhanc\w*|rais\w*|up-?regulat\w*|"
    r"activat\w*|gain\w*|elevat\w*|positive\w*|outperform\w*|surpass\w*|boost\w*|"
    r"larger|greater|bigger|stronger)\b",
    re.I,
)
_DOWN = re.compile(
    r"\b(decreas\w*|lower|less|reduc\w*|inhibit\w*|suppress\w*|worse\w*|down-?regulat\w*|"
    r"impair\w*|declin\w*|drop\w*|negative\w*|prevent\w*|poor\w*|underperform\w*|"
    r"hurt\w*|harm\w*|degrad\w*|deteriorat\w*|smaller|fewer|weaker)\b",
    re.I,
)


def directions(text: str) -> tuple[bool, bool]:
    """Whether ``text`` says a direction up ("increases", "outperforms") and one down."""
    return bool(_UP.search(text)), bool(_DOWN.search(text))


# Opposites that are not directions: a claim that evidence restates with one word turned into
# its opposite ("parallel corpora, which are cheap to obtain" / "... expensive to be obtained").
_OPPOSITES: tuple[tuple[str, str], ...] = (
    (r"cheap\w*|inexpensive", r"expensive|costly"),
    (r"easy|easier|easily|simple|simpler", r"difficult|hard|harder|challenging|complex"),
    (r"robust\w*", r"fragile|brittle|vulnerab\w*"),
    (r"effective", r"ineffective"),
    (r"efficient", r"inefficient"),
    (r"accurate", r"inaccurate"),
    (r"consistent\w*", r"inconsistent\w*"),
    (r"stable", r"unstable"),
    (r"sufficient", r"insufficient"),
    (r"necessary|required", r"unnecessary|not required"),
    (r"possible|feasible", r"impossible|infeasible"),
    (r"likely", r"unlikely"),
    (r"significant\w*", r"insignificant\w*|negligibl\w*"),
    (r"success\w*", r"fail\w*|unsuccessful"),
    (r"superior", r"inferior"),
    (r"best", r"worst"),
    (r"better", r"worse"),
    (r"safe|safety", r"unsafe|dangerous|toxic\w*"),
    (r"presen(?:t|ce)", r"absen(?:t|ce)"),
    (r"correlated|associated", r"uncorrelated|unrelated|not associated"),
    (
        r"smaller|weaker|fewer|narrower|less\s+(?:significant|pronounced)",
        r"larger|bigger|greater|stronger|wider|more\s+(?:significant|pronounced)",
    ),
    (r"well", r"poorly"),
    (r"strong|strongly", r"weak|weakly"),
    (r"common|frequent", r"rare|uncommon|infrequent"),
    (r"major", r"minor"),
)
# Opposites too common to count anywhere in a sentence ("high", "low"), read only where one
# word of the claim stands in place of the other in the same sentence.
# So are pairs a text often names side by side ("from high-resource to low-resource languages",
# "similar and different scripts", "monolingual and multilingual models").
_ALIGNED_OPPOSITES = (
    (r"high|upper", r"low"),
    (r"small", r"large"),
    (r"long", r"short"),
    (r"many", r"few"),
    (r"early|earlier", r"late|later"),
    (r"similar\w*|same", r"different|dissimilar\w*"),
    (r"dependent", r"independent"),
    (r"supervised", r"unsupervised"),
    (r"monolingual", r"multilingual|cross-lingual"),
    (r"high-resource", r"low-resource"),
)
_ALIGNED_RES = tuple(
    (re.compile(rf"(?:{a})", re.I), re.compile(rf"(?:{b})", re.I))
    for a, b in (*_OPPOSITES, *_ALIGNED_OPPOSITES)
)
_PREFIXES = ("un", "in", "im", "ir", "il", "non", "non-", "dis")


def _opposite_pair(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    if any(b == p + a or a == p + b for p in _PREFIXES):
        return True
    if (_UP.fullmatch(a) and _DOWN.fullmatch(b)) or (_DOWN.fullmatch(a) and _UP.fullmatch(b)):
        return True  # a direction turned over in place ("increases" for "decreases")
    return any(
        (x.fullmatch(a) and y.fullmatch(b)) or (y.fullmatch(a) and x.fullmatch(b))
        for x, y in _ALIGNED_RES
    )


def aligned_opposite(claim: str, evidence: str) -> bool:
    """Whether the claim is the evidence sentence with one word turned into its opposite in
    place ("low-resource transfer language" for "high-resource transfer language", "better"
    for "worse", "similar" for "different", "decreases" for "increases"), the rest matching
    word for word.

    Args:
        claim: the claim.
        evidence: one evidence sentence.

    Returns:
        True when the word sequences match but for replaced words, one pair of which (or of
        their hyphen parts) are opposites.
    """
    from difflib import SequenceMatcher

    cw = re.findall(r"[\w'-]+", claim.lower())
    ew = re.findall(r"[\w'-]+", evidence.lower())
    if len(cw) < 4 or not ew:
        return False
    matcher = SequenceMatcher(None, cw, ew, autojunk=False)
    # The cheap upper bounds first: most evidence sentences are nowhere near the claim.
    if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8 or matcher.ratio() < 0.8:
        return False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 != j2 - j1:
            continue
        for a, b in zip(cw[i1:i2], ew[j1:j2], strict=True):
            parts = list(zip(a.split("-"), b.split("-"), strict=False))
            if _opposite_pair(a, b) or any(_opposite_pair(x, y) for x, y in parts if x != y):
                return True
    return False


# A hyphen may open the word ("Rad53-independent"), not close it ("small-molecule").
_ANY_OPPOSITE = re.compile(
    r"(?<!\w)(?:" + "|".join(f"(?:{a})|(?:{b})" for a, b in _OPPOSITES) + r")(?![\w-])", re.I
)
_OPPOSITE_WORDS = tuple((re.compile(a, re.I), re.compile(b, re.I)) for a, b in _OPPOSITES)


@lru_cache(maxsize=16384)
def _opposite_sides(text: str) -> frozenset[tuple[int, int]]:
    """(pair, side) for every word of :data:`_OPPOSITES` that ``text`` says; one scan of the
    text (the same claim meets every evidence sentence of its candidates)."""
    found: set[tuple[int, int]] = set()
    for m in _ANY_OPPOSITE.finditer(text):
        word = m.group(0)
        for i, (a, b) in enumerate(_OPPOSITE_WORDS):
            if a.fullmatch(word):
                found.add((i, 0))
            if b.fullmatch(word):
                found.add((i, 1))
    return frozenset(found)


register_cache(_opposite_sides)


def opposite_words(claim: str, evidence: str) -> bool:
    """Whether one text says a word of a pair of opposites where the other says its opposite
    (and neither says both): "cheap" against "expensive", "stable" against "unstable"."""
    sc, se = _opposite_sides(claim), _opposite_sides(evidence)
    for i in {i for i, _ in sc | se}:
        ca, cb = (i, 0) in sc, (i, 1) in sc
        ea, eb = (i, 0) in se, (i, 1) in se
        if ca != cb and ea != eb and ca != ea:
            return True
    return False


# Where a negation's reach ends: clause punctuation and the conjunctions that start a new
# statement ("Patients without diabetes were excluded, but aspirin lowered mortality").
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]]|\b(?:but|whereas|although|though|however|while|yet|unlike|except)\b", re.I
)
_CUE_STEMS = frozenset(stems(" ".join(NEGATION_CUES)))


def negation_about(text: str, other: str) -> bool:
    """Whether ``text`` negates something ``other`` is about.

    A negation cue counts only inside a clause that shares content with ``other``: at least
    two of its content stems (or all of them, when it has fewer), so that "in patients with
    no history of stroke" does not turn a restatement of a blood-pressure result into a
    contradiction.

    Args:
        text: the text whose negations are looked at (a claim or an evidence sentence).
        other: the text it is compared with.

    Returns:
        True when some negated clause of ``text`` is about what ``other`` is about.
    """
    if not negation_count(text):
        return False
    topic = stems(other) - _CUE_STEMS
    if not topic:
        return False
    need = min(2, len(topic))
    for clause in _CLAUSE_BREAK.split(text):
        if negation_count(clause) and _shared(stems(clause), topic) >= need:
            return True
    return False


def _shared(words: set[str], topic: set[str]) -> int:
    """Stems of ``topic`` found in ``words``, a prefix of 4+ letters matching ("worse" and
    "worsen"), which the crude stemmer leaves apart."""
    return sum(
        1
        for t in topic
        if t in words
        or any(len(a) >= 4 and b.startswith(a) for w in words for a, b in ((w, t), (t, w)))
    )


class Judge(Protocol):
    """Anything that turns (claim, evidence) pairs into calibrated label probabilities."""

    name: str

    def probabilities(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
        """Calibrated probabilities, shape (n, 3), columns in :data:`LABELS` order."""
        ...


class FallbackJudge:
    """Lexical and cue-based judge for machines without a trained model.

    Args:
        calibration: post-processing of its scores (defaults to the fitted constants).
    """

    def __init__(self, calibration: Calibration | None = None) -> None:
        self.name = FALLBACK_NAME
        self.calibration = calibration or FALLBACK_CALIBRATION
        self.retrieval_nei_bias = FALLBACK_RETRIEVAL_NEI_BIAS
        self.aggregator: Aggregator | None = None

    def logits(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
        """Scores before calibration, shape (n, 3)."""
        out = np.zeros((len(claims), 3), dtype=np.float64)
        for i, (claim, passage) in enumerate(zip(claims, evidence, strict=True)):
            # Evidence often joins several sentences; the one sharing most words with the
            # claim speaks, so a "not" in a neighbouring sentence cannot flip a restatement.
            sentences = split_sentences(passage) or [passage]
            ev = max(sentences, key=lambda t: overlap(claim, t))
            cover = overlap(claim, ev)
            # A negation clashes only when it negates what the other text is about.
            neg = negation_about(claim, ev) != negation_about(ev, claim)
            c_up, c_down = directions(claim)
            e_up, e_down = directions(ev)
            flipped = (c_up and not c_down and e_down and not e_up) or (
                c_down and not c_up and e_up and not e_down
            )
            turned = opposite_words(claim, ev) or aligned_opposite(claim, ev)
            clash = 1.0 if (neg or flipped or turned) else 0.0
            related = 6.0 * (cover - 0.45)
            out[i] = [related - 2.0 * clash, related + 2.5 * clash - 1.5, 0.0]
        return out

    def probabilities(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
        """Calibrated probabilities, shape (n, 3)."""
        return self.calibration.probabilities(self.logits(claims, evidence))


class CrossEncoderJudge:
    """A sequence-classification model over (evidence, claim) pairs.

    Args:
        model: a directory (``litcheck train-verifier`` output) or a Hugging Face id.
        calibration: fitted post-processing; read from ``calibration.json`` beside or inside
            the model directory when not given.
        device: ``cpu`` or ``cuda``.
        max_length: token limit per pair (evidence truncated first).
        batch_size: pairs per forward pass.
        combine: use the fitted combination with the fallback's lexical cues when the model
            has one (``combiner`` in ``calibration.json``); False keeps the plain calibration.
    """

    def __init__(
        self,
        model: str,
        calibration: Calibration | None = None,
        device: str = "cpu",
        max_length: int | None = None,
        batch_size: int = 32,
        combine: bool = True,
    ) -> None:
        self.model_ref = model
        self.device = device
        self.batch_size = batch_size
        self._model: Any = None
        self._tokenizer: Any = None
        self._order: list[int] = [0, 1, 2]
        cal_data = _read_calibration(Path(model))
        self.calibration = calibration or Calibration.from_dict(cal_data)
        self.retrieval_nei_bias = float(cal_data.get("retrieval_nei_bias", 0.0))
        #: Fitted verdict aggregation over retrieved passages (None: most decisive passage).
        self.aggregator: Aggregator | None = Aggregator.from_dict(cal_data.get("aggregator"))
        #: Fitted logistic regression over [judge logits, fallback logits] (gold evidence).
        self.combiner: Aggregator | None = (
            Aggregator.from_dict(cal_data.get("combiner"), n_features=COMBINER_FEATURES)
            if combine and calibration is None
            else None
        )
        self.max_length = max_length or int(cal_data.get("max_length", 128))
        #: Bearing gate and abstention threshold fitted on the calibration split.
        self.thresholds = Thresholds.from_dict(cal_data.get("thresholds"))
        card = _read_card(Path(model))
        steps = f", {card['steps']} steps" if card.get("steps") else ""
        cues = " + lexical cues" if self.combiner is not None else ""
        self.name = f"cross-encoder {model}{steps}{cues}"

    def _load(self) -> None:
        if self._model is not None:
            return
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        if self.device == "cpu":
            torch.set_num_threads(max(1, min(torch.get_num_threads(), 4)))
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(self.model_ref)
            self._model = AutoModelForSequenceClassification.from_pretrained(self.model_ref)
        except (OSError, ValueError) as exc:
            raise VerificationError(
                f"Could not load the judge model {self.model_ref} ({exc}); train one with "
                "`litcheck train-verifier` or unset LITCHECK_VERIFIER_MODEL."
            ) from None
        self._model.to(self.device).eval()
        id2label = getattr(self._model.config, "id2label", {}) or {}
        try:
            # Hub NLI models order labels differently; map each output to our order.
            mapped = [LABELS.index(map_label(str(id2label[i]))) for i in range(len(id2label))]
            if sorted(mapped) == [0, 1, 2]:
                self._order = [mapped.index(j) for j in range(3)]
        except (KeyError, ValueError):
            self._order = [0, 1, 2]

    def logits(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
        """Raw logits in :data:`LABELS` order, shape (n, 3)."""
        import torch

        self._load()
        out = np.zeros((len(claims), 3), dtype=np.float64)
        order = sorted(range(len(claims)), key=lambda i: len(claims[i]) + len(evidence[i]))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                enc = self._tokenizer(
                    [evidence[i] for i in idx],
                    [claims[i] for i in idx],
                    truncation="longest_first",
                    max_length=self.max_length,
                    padding=True,
                    return_tensors="pt",
                ).to(self.device)
                z = self._model(**enc).logits.float().cpu().numpy()
                out[idx] = z[:, self._order]
        return out

    def probabilities(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
        """Calibrated probabilities, shape (n, 3)."""
        if not claims:
            return np.zeros((0, 3), dtype=np.float64)
        z = self.logits(claims, evidence)
        if self.combiner is not None:
            return self.combiner.probabilities(combiner_features(z, claims, evidence))
        return self.calibration.probabilities(z)


#: Features of the judge/fallback combination: the judge's 3 logits, the fallback's 3.
COMBINER_FEATURES = 6


def combiner_features(
    judge_logits: NDArray[np.float64], claims: list[str], evidence: list[str]
) -> NDArray[np.float64]:
    """[judge logits, fallback logits] per pair: the fallback adds negation, direction and
    coverage cues that a small cross-encoder trained on a fraction of an epoch misses."""
    fallback = FallbackJudge().logits(claims, evidence)
    return np.hstack([np.asarray(judge_logits, dtype=np.float64), fallback])


def _read_calibration(model: Path) -> dict[str, Any]:
    for path in (model / "calibration.json", model.parent / "calibration.json"):
        if path.is_file():
            data: dict[str, Any] = json.loads(path.read_text())
            return data
    return {}


def _read_card(model: Path) -> dict[str, Any]:
    for path in (model / "card.json", model.parent / "card.json"):
        if path.is_file():
            data: dict[str, Any] = json.loads(path.read_text())
            return data
    return {}


def trained_model_dir(settings: Settings) -> Path:
    """Where ``litcheck train-verifier`` saves the judge: ``<models_dir>/verifier/model``."""
    return settings.models_dir / "verifier" / "model"


def load_judge(settings: Settings, device: str = "cpu", fallback: bool = False) -> Judge:
    """The judge in effect: the ``verifier_model`` setting, else the trained one, else fallback.

    Args:
        settings: litcheck settings.
        device: ``cpu`` or ``cuda``.
        fallback: force the fallback judge.

    Returns:
        A :class:`Judge`.
    """
    if fallback:
        return FallbackJudge()
    if settings.verifier_model:
        return CrossEncoderJudge(settings.verifier_model, device=device)
    trained = trained_model_dir(settings)
    if (trained / "config.json").is_file():
        return CrossEncoderJudge(str(trained), device=device)
    return FallbackJudge()

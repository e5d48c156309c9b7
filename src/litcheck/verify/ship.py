"""Turn a trained cross-encoder into a judge folder: ONNX int8 weights, calibration, card.

Every fitted part is fitted on the *quantised* model's outputs, since that is the model that
judges: the temperature and NOT_ENOUGH_INFO bias, the combination with the fallback's cues
(gold-evidence SciFact calibration pairs), and, with ``retrieval=True``, the aggregation over
retrieved passages, the bearing gate and the abstention threshold (SciFact calibration claims
with open retrieval; this encodes the SciFact corpus once, cached under ``home``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.console import atomic_write_text, err_console
from litcheck.verify.calibration import Calibration, fit_calibration, score
from litcheck.verify.data import calibration_pairs, test_pairs
from litcheck.verify.labels import label_index
from litcheck.verify.onnx_judge import OnnxJudge, export_onnx
from litcheck.verify.vocab import (
    DEFAULT_TOP,
    PRUNE_ABOVE,
    judge_vocabulary_texts,
    prune_vocabulary,
)

CALIBRATION_NAME = "calibration.json"
CARD_NAME = "card.json"


def _update_json(path: Path, updates: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text()) if path.is_file() else {}
    data.update(updates)
    atomic_write_text(path, json.dumps(data, indent=2))
    return data


def build_judge(
    model_dir: Path,
    out_dir: Path,
    data_dir: Path,
    card: dict[str, Any],
    max_length: int = 128,
) -> dict[str, Any]:
    """Export ``model_dir`` to ``out_dir`` and fit its calibration and cue combination.

    Args:
        model_dir: a transformers sequence-classification model (3 labels, LABELS order).
        out_dir: the judge folder (created; other files in it are kept).
        data_dir: the data folder (SciFact for calibration and the dev figures).
        card: what the card should say besides the figures (name, version, base, data, ...).
        max_length: token limit per pair.

    Returns:
        The card written to ``out_dir/card.json``, its ``metrics`` holding the SciFact dev
        figures (gold evidence) of the quantised judge and its agreement with ``model_dir``.
    """
    from litcheck.verify.fit_open import fit_combiner, save_combiner

    t0 = time.monotonic()
    card = {**card}
    source = model_dir
    vocabulary = _vocabulary_size(model_dir)
    if vocabulary > PRUNE_ABOVE:
        # A multilingual word table alone outweighs the package limit: keep the pieces the
        # judge meets (its training, calibration and corpus text) plus the common ones.
        source = model_dir.with_name(model_dir.name + ".pruned")
        info = prune_vocabulary(
            model_dir, judge_vocabulary_texts(data_dir), source, top=DEFAULT_TOP
        )
        card["vocabulary"] = {k: v for k, v in info.items() if k != "scripts"}
        err_console.print(f"Vocabulary cut from {info['vocab_before']:,} to {info['kept']:,}.")
    exported = export_onnx(source, out_dir)
    cal = calibration_pairs(data_dir)
    raw = OnnxJudge(out_dir, combine=False)
    raw.max_length = max_length
    cal_logits = raw.logits([p.claim for p in cal], [p.evidence for p in cal])
    cal_gold = np.array([label_index(p.label) for p in cal], dtype=np.int64)
    calibration = fit_calibration(cal_logits, cal_gold)
    _update_json(out_dir / CALIBRATION_NAME, {**calibration.to_dict(), "max_length": max_length})
    # The raw judge's logits do not depend on its calibration: one session serves every fit.
    combiner = fit_combiner(raw, data_dir)
    save_combiner(out_dir / CALIBRATION_NAME, combiner)
    test = test_pairs(data_dir)
    gold = np.array([label_index(p.label) for p in test], dtype=np.int64)
    claims, evidence = [p.claim for p in test], [p.evidence for p in test]
    logits = raw.logits(claims, evidence)
    metrics: dict[str, Any] = {
        "calibration_pairs": len(cal),
        "test_pairs": len(test),
        "scifact_dev_gold_raw": score(Calibration().probabilities(logits), gold),
        "scifact_dev_gold_calibrated": score(calibration.probabilities(logits), gold),
        "onnx_bytes": exported["onnx_bytes"],
    }
    if combiner is not None:
        metrics["scifact_dev_gold"] = score(
            OnnxJudge(out_dir).probabilities(claims, evidence), gold
        )
    metrics["agreement_with_fp32"] = fp32_agreement(
        model_dir, out_dir, claims, evidence, int8_logits=logits
    )
    full = {
        **card,
        "calibration": calibration.to_dict(),
        "metrics": metrics,
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "build_s": round(time.monotonic() - t0, 1),
    }
    atomic_write_text(out_dir / CARD_NAME, json.dumps(full, indent=2))
    best = metrics.get("scifact_dev_gold", metrics["scifact_dev_gold_calibrated"])
    err_console.print(
        f"Judge {card.get('name', out_dir.name)}: SciFact dev (gold evidence) macro-F1 "
        f"{best['macro_f1']:.3f}, ECE {best['ece']:.3f}; int8 agrees with fp32 on "
        f"{metrics['agreement_with_fp32']['label_agreement']:.1%} of labels."
    )
    return full


def _vocabulary_size(model_dir: Path) -> int:
    config = model_dir / "config.json"
    if not config.is_file():
        return 0
    return int(json.loads(config.read_text()).get("vocab_size", 0))


def fp32_agreement(
    model_dir: Path,
    judge_dir: Path,
    claims: list[str],
    evidence: list[str],
    int8_logits: NDArray[np.float64] | None = None,
) -> dict[str, Any]:
    """How often the quantised judge's raw label equals the full-precision model's.

    Args:
        model_dir: the fp32 transformers model.
        judge_dir: the ONNX judge folder exported from it.
        claims: claim texts.
        evidence: evidence texts.
        int8_logits: the quantised judge's logits on these pairs, when already computed.

    Returns:
        ``{"pairs", "label_agreement", "max_abs_logit_diff"}``.
    """
    from litcheck.verify.judge import CrossEncoderJudge

    int8 = OnnxJudge(judge_dir, combine=False)
    fp32 = CrossEncoderJudge(str(model_dir), calibration=Calibration(), combine=False)
    fp32.max_length = int8.max_length
    a = fp32.logits(claims, evidence)
    b = int8.logits(claims, evidence) if int8_logits is None else int8_logits
    return {
        "pairs": len(claims),
        "label_agreement": round(float(np.mean(a.argmax(1) == b.argmax(1))), 4),
        "max_abs_logit_diff": round(float(np.abs(a - b).max()), 4) if len(a) else 0.0,
    }


def refit_combiner(judge_dir: Path, data_dir: Path) -> dict[str, Any]:
    """Refit a judge folder's combination with the lexical cues and rescore SciFact dev.

    The weights stay as they are; the combination (``combiner`` in ``calibration.json``) and
    the card's gold-evidence figures (``metrics.scifact_dev_gold``) are rewritten atomically.
    Refit the retrieval fits after it (:func:`fit_retrieval`): they read its probabilities.

    Args:
        judge_dir: an ONNX judge folder.
        data_dir: the data folder (SciFact calibration and dev claims).

    Returns:
        The combiner's fit summary and the new SciFact dev figures (gold evidence).
    """
    from litcheck.verify.fit_open import fit_combiner, save_combiner

    combiner = fit_combiner(OnnxJudge(judge_dir, combine=False), data_dir)
    save_combiner(judge_dir / CALIBRATION_NAME, combiner)
    test = test_pairs(data_dir)
    gold = np.array([label_index(p.label) for p in test], dtype=np.int64)
    dev = score(
        OnnxJudge(judge_dir).probabilities([p.claim for p in test], [p.evidence for p in test]),
        gold,
    )
    card = json.loads((judge_dir / CARD_NAME).read_text())
    card.setdefault("metrics", {})["scifact_dev_gold"] = dev
    atomic_write_text(judge_dir / CARD_NAME, json.dumps(card, indent=2))
    summary = {"combiner": combiner.info if combiner is not None else None, "dev_gold": dev}
    err_console.print(
        f"Refitted the cue combination: SciFact dev (gold evidence) macro-F1 "
        f"{dev['macro_f1']:.3f}, ECE {dev['ece']:.3f}."
    )
    return summary


def fit_retrieval(judge_dir: Path, data_dir: Path, home: Path) -> dict[str, Any]:
    """Fit the judge's aggregation, retrieval shift, bearing gate and abstention threshold.

    Args:
        judge_dir: an ONNX judge folder (its combination with cues already fitted).
        data_dir: the data folder (SciFact corpus and calibration claims).
        home: where the SciFact library and its embeddings are cached.

    Returns:
        A summary of what was fitted.
    """
    from litcheck.verify.embed import Embedder
    from litcheck.verify.fit_open import fit_open_retrieval, save_open_fit, scifact_library
    from litcheck.verify.index import PassageIndex

    lib = scifact_library(home, data_dir)
    index = PassageIndex.open(lib, Embedder("all-MiniLM-L6-v2"), home / "cache")
    fit = fit_open_retrieval(OnnxJudge(judge_dir), lib, index, data_dir)
    save_open_fit(judge_dir / CALIBRATION_NAME, fit)
    th = fit.thresholds
    summary = {
        "retrieval_nei_bias": fit.retrieval_nei_bias,
        "aggregator_cv_macro_f1": round(fit.aggregator.cv_macro_f1, 4) if fit.aggregator else None,
        "bearing_min": th.bearing_min,
        "abstain_below": th.abstain_below,
        "claims": fit.claims,
    }
    card_path = judge_dir / CARD_NAME
    _update_json(card_path, {"retrieval_fit": summary})
    err_console.print(
        f"Fitted retrieval aggregation on {fit.claims} calibration claims: abstain below "
        f"{th.abstain_below}, bearing gate {th.bearing_min}."
    )
    return summary


#: Where each training set comes from, its licence, and the part of it that trains.
TRAINING_SETS: tuple[tuple[str, str, str, str], ...] = (
    (
        "SciFact (Wadden et al. 2020)",
        "claims CC BY 4.0, corpus ODC-By 1.0",
        "train claims minus a hashed 20 % calibration split; rationale sentences as evidence, "
        "non-rationale sentences of evidence abstracts as NOT_ENOUGH_INFO",
        "dev (300 claims): the test set of every figure",
    ),
    (
        "HealthVer (Sarrouti et al. 2021)",
        "no licence stated: research use",
        "official dev file",
        "official test file: held out",
    ),
    (
        "CLIMATE-FEVER (Diggelmann et al. 2020)",
        "no licence stated: research use",
        "claims outside a hashed 20 % (by claim id)",
        "the hashed 20 %: held out",
    ),
    (
        "COVID-Fact (Saakyan et al. 2021)",
        "no licence stated: research use",
        "RTE train file",
        "RTE dev file: held out (the test file has no labels)",
    ),
    (
        "SciTab (Lu et al. 2023)",
        "MIT",
        "tables outside a hashed 20 % (by paper and table)",
        "the hashed 20 %: held out",
    ),
    (
        "SEM-TAB-FACTS (Wang et al. 2021)",
        "no licence stated: research use",
        "train statements",
        "dev statements: unused",
    ),
    ("FEVER 1.0 (Thorne et al. 2018), RTE form", "CC BY-SA 3.0", "dev pairs (40 %)", "—"),
    ("SNLI (Bowman et al. 2015)", "CC BY-SA 4.0", "dev pairs (50 %)", "test: unused"),
    ("SICK (Marelli et al. 2014)", "CC BY-NC-SA 3.0", "TRAIN + TRIAL (50 %)", "TEST: unused"),
)

HARD_NEGATIVES = (
    "Built from the training pairs themselves (`litcheck.verify.data.hard_negatives`): a "
    "changed figure, a flipped direction word or an inserted / removed negation in a "
    "SUPPORTED claim -> CONTRADICTED; a swapped dataset, language, metric, model or "
    "population name, or a sentence of another claim's evidence -> NOT_ENOUGH_INFO; "
    "NOT_ENOUGH_INFO evidence with a negation put in or taken out -> still NOT_ENOUGH_INFO; "
    "claims asked as yes/no questions with their label kept."
)


#: What the model card says of each base encoder it knows (licence, size).
BASE_DESCRIPTIONS = {
    "all-MiniLM-L6-v2": "sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, 6 layers, "
    "384 hidden, 22M parameters",
    "multilingual-e5-small": "intfloat/multilingual-e5-small, MIT, 12 layers, 384 hidden, "
    "118M parameters of which 96M are the 250k-piece word table",
}


def _base_description(card: dict[str, Any]) -> str:
    name = Path(str(card.get("base"))).name
    return BASE_DESCRIPTIONS.get(name, "see its own model card for the licence")


def _vocabulary_line(card: dict[str, Any]) -> str:
    vocab = card.get("vocabulary")
    if not vocab:
        return ""
    return (
        f" Vocabulary cut from {vocab['vocab_before']:,} to {vocab['kept']:,} pieces: the "
        f"{vocab['used_by_sample']:,} that its training, calibration and SciFact-corpus text "
        f"uses, the {vocab['top']:,} most probable others of the same scripts and every "
        "single character of them; any text still tokenizes (unseen words into shorter "
        "pieces)."
    )


def model_card(card: dict[str, Any], figures: dict[str, Any] | None = None) -> str:
    """The Markdown model card of a judge folder, from its ``card.json`` and benchmark figures.

    Args:
        card: the judge's card.
        figures: ``reports/benchmarks/verifier.json`` of ``benchmarks/eval_verifier.py`` for
            this judge, when measured.

    Returns:
        Markdown text.
    """
    cfg = card.get("config", {})
    m = card.get("metrics", {})
    th = (card.get("retrieval_fit") or {}) | (card.get("thresholds") or {})
    lines = [
        f"# {card.get('name', 'judge')} {card.get('version', '')}".rstrip(),
        "",
        "A three-way claim-verification judge: (evidence sentence, claim) -> SUPPORTED / "
        "CONTRADICTED / NOT_ENOUGH_INFO, with calibrated probabilities. It ships inside "
        "litcheck and is the default judge of `litcheck verify`, `audit` and `report`.",
        "",
        "## Model",
        "",
        f"- Base: `{Path(str(card.get('base'))).name}` ({_base_description(card)}), "
        "fine-tuned as a cross-encoder with a 3-way classification head; word-embedding "
        "table frozen." + _vocabulary_line(card),
        f"- Training: {card.get('steps')} steps of {cfg.get('batch_size')} pairs "
        f"({card.get('examples_seen'):,} pairs seen, {card.get('epochs', '?')} epochs), AdamW "
        f"lr {cfg.get('lr')}, cosine schedule with {cfg.get('warmup')} warm-up, "
        f"class-balanced cross-entropy, max length {cfg.get('max_length')} tokens, seed "
        f"{card.get('seed')}, on 2 CPU cores; the loss and calibration curve is "
        "`reports/benchmarks/judge-training-curve.jsonl`.",
        "- Weights: ONNX, int8 per-channel dynamic quantisation (ONNX Runtime), "
        f"{m.get('onnx_bytes', 0) / 1e6:.1f} MB. Each (evidence, claim) pair runs through the "
        "model alone: activations are quantised per tensor, so in a shared batch a pair's "
        "logits would depend on the pairs beside it.",
        "- Post-processing fitted on the *quantised* model's outputs, on SciFact calibration "
        "claims only: temperature and NOT_ENOUGH_INFO bias; a logistic combination with the "
        "fallback's lexical cues (label-balanced, so that the rare CONTRADICTED is not "
        "given up); for retrieved evidence, an aggregation over "
        "the top passages, a bearing gate (no passage bears on the claim -> NOT_ENOUGH_INFO, "
        "with a confidence fitted to how often that was right) and an abstention threshold "
        "(decisive verdicts below it -> NOT_ENOUGH_INFO, too weak to "
        "decide) chosen for 90 % precision where some threshold reaches it on the calibration "
        "claims, else none (nothing withheld; the confidence is shown). "
        + (
            (
                f"This judge: abstain below {th.get('abstain_below')} "
                f"({th.get('abstain_reason')}); "
                if th.get("abstain_below") is not None
                else "This judge: no abstention threshold (none reached 90 % precision); "
            )
            + f"bearing gate {th.get('bearing_min')}."
            if th
            else ""
        ),
        "",
        "## Data",
        "",
        "| set | licence | trains on | held out |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in TRAINING_SETS]
    lines += ["", HARD_NEGATIVES, ""]
    sources = card.get("data", {}).get("train_sources")
    if sources:
        lines.append(
            "Pairs per source in one epoch (after weighting): "
            + ", ".join(f"{k} {v:,}" for k, v in sources.items())
            + "."
        )
        lines.append("")
    lines += ["## Figures", ""]
    gold = m.get("scifact_dev_gold") or m.get("scifact_dev_gold_calibrated")
    if gold:
        lines.append(
            f"- SciFact dev, gold evidence (the judge as shipped: cross-encoder + lexical cues): "
            f"macro-F1 {gold['macro_f1']:.3f}, ECE {gold['ece']:.3f}."
        )
    agree = m.get("agreement_with_fp32")
    if agree:
        lines.append(
            f"- int8 vs its fp32 original on SciFact dev gold pairs: "
            f"{agree['label_agreement']:.1%} label agreement over {agree['pairs']} pairs."
        )
    shipped = (figures or {}).get("judges", {}).get("shipped")
    if shipped:
        o = shipped.get("open", {})
        if o:
            lines.append(
                f"- SciFact dev, open retrieval over {o['abstracts']:,} abstracts, as `verify` "
                f"runs: macro-F1 {o['selective']['macro_f1']:.3f}, ECE "
                f"{o['selective']['ece']:.3f}."
            )
        w = shipped.get("whole_abstract", {}).get("with_numeric")
        if w:
            lines.append(
                f"- SciFact dev with the whole cited abstract as one evidence text: macro-F1 "
                f"{w['macro_f1']:.3f} (it was trained on sentence-length evidence; `verify` "
                "gives it sentences)."
            )
        held = shipped.get("heldout", {})
        if held:
            lines.append(
                "- Held-out test splits (given evidence), macro-F1: "
                + ", ".join(f"{k} {v['judge_only']['macro_f1']:.3f}" for k, v in held.items())
                + "."
            )
    stress = (figures or {}).get("stress")
    if stress:
        lines.append(
            "- One-word and one-figure changes of claims (`benchmarks/eval_stress.py`), share "
            "given the label the change implies, as `verify` runs on the sentences of 20 "
            "machine-learning abstracts: "
            + ", ".join(f"{rule} {r['right']:.0%}" for rule, r in stress.items() if r["pairs"])
            + "."
        )
    ml = (figures or {}).get("ml_claims")
    if ml:
        lines.append(
            "- Hand-labelled claims about machine-learning papers (`benchmarks/eval_ml_claims.py`"
            f", {ml['cites']['claims']} claims), as `verify` runs: macro-F1 "
            f"{ml['cites']['macro_f1']:.3f} citing their paper, {ml['open']['macro_f1']:.3f} with "
            "open retrieval."
        )
    lines.append(
        "- Every benchmark figure, beside the fallback's: `reports/benchmarks/verifier.md`, "
        "from `python benchmarks/eval_verifier.py`; `reports/benchmarks/stress.md`, from "
        "`python benchmarks/eval_stress.py`; `reports/benchmarks/ml-claims.md`, from "
        "`python benchmarks/eval_ml_claims.py`."
    )
    lines += [
        "",
        "## Intended use and known failure modes",
        "",
        "- For checking claims about scientific text against sentences of papers: English, "
        "sentence-length evidence. Verdicts are evidence for a reader, not a replacement.",
        "- Small model, CPU budget: it misses multi-hop and table reasoning (SciTab figures), "
        "and CONTRADICTED remains its weakest class. Claims whose figures must be checked "
        "are decided by the numeric checker, not by this model.",
        "- `verify` puts rules around it that it does not learn: figures and counts are "
        "checked as numbers; evidence about a sibling of what the claim names (another "
        "numbered entity, dataset, model, language, metric, species or task) "
        "gives NOT_ENOUGH_INFO; a claim that quotes an evidence sentence word for word is "
        "SUPPORTED, one that a sentence denies in place (a negation right before a phrase "
        'the other states), an opposite in other words ("small gap" / "sizable gap") or '
        "a swapped comparison between two names of the field's vocabulary CONTRADICTED; a "
        'universal claim on hedged evidence ("always" / "often") and a claim naming a '
        "model or benchmark no passage names beside ones it does NOT_ENOUGH_INFO; the "
        "lexical cues it is combined with read negations, directions and opposites. A change "
        "these rules do not know (a paraphrase without a scale word, a swapped name outside "
        "the field's vocabulary, a superlative) is left to this model alone; it reads "
        'comparative and negative wording ("less effective", "negligible role") as '
        "contradiction too often, even where the evidence says the same.",
        "- Trained mostly on biomedical, climate and general-domain pairs; claims about "
        "machine-learning papers are out of its main training domain.",
        "- Confidences are calibrated on SciFact; on other domains they are less reliable. "
        "Below the 0.75 macro-F1 target with gold evidence; CLIMATE-FEVER and COVID-Fact "
        "(claims written by a model or by word swaps, long evidence) are its weakest sets.",
        "",
    ]
    return "\n".join(lines)

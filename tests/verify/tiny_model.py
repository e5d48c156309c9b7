"""A tiny random BERT sequence classifier with its tokenizer, built offline for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_TEXT = (
    "the a of in and to is are was not no drug aspirin reduces increases mortality risk "
    "patients trial cells cancer protein gene mice blood pressure lower higher effect study "
    "shows found claim evidence covid virus masks children symptoms"
)
WORDS = _TEXT.split()


def tiny_config(vocab_size: int, **extra: Any) -> Any:
    """The config of a 2-layer, 32-wide BERT classifier with the judge's 3 labels.

    Args:
        vocab_size: rows of its word table.
        extra: further BertConfig fields (``pad_token_id``, ...).

    Returns:
        A ``transformers.BertConfig``.
    """
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
        num_labels=3,
        id2label={0: "SUPPORTED", 1: "CONTRADICTED", 2: "NOT_ENOUGH_INFO"},
        label2id={"SUPPORTED": 0, "CONTRADICTED": 1, "NOT_ENOUGH_INFO": 2},
        **extra,
    )


def build_tiny_model(folder: Path) -> Path:
    """Write a 2-layer, 32-wide BertForSequenceClassification (3 labels) and its tokenizer.

    Args:
        folder: where to save it (``save_pretrained`` layout).

    Returns:
        ``folder``.
    """
    import torch
    from transformers import BertForSequenceClassification, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, *".,;:%()-0123456789"]
    (folder / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n")
    # transformers 5 reads the word list from `vocab=` (`vocab_file=` left it at 5 specials).
    tokenizer = BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=True)
    config = tiny_config(len(dict.fromkeys(vocab)))
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def write_scifact_fixture(data_dir: Path, n_train: int = 40, n_dev: int = 12) -> Path:
    """A SciFact-shaped data folder (claims_train/dev.jsonl, corpus.jsonl) of made-up claims.

    Args:
        data_dir: the data folder to write (``claims/scifact`` inside).
        n_train: training claims (a hashed fifth of them is the calibration split).
        n_dev: dev claims (the test split).

    Returns:
        ``data_dir``.
    """
    folder = data_dir / "claims" / "scifact"
    folder.mkdir(parents=True, exist_ok=True)
    corpus = []
    for d in range(20):
        corpus.append(
            {
                "doc_id": d,
                "title": f"Study {d}",
                "abstract": [
                    f"Aspirin reduces mortality in trial {d}.",
                    f"The drug does not change blood pressure in {d} patients.",
                    f"Cells in mice show higher risk {d}.",
                ],
            }
        )
    (folder / "corpus.jsonl").write_text("".join(json.dumps(c) + "\n" for c in corpus))

    def claims(start: int, n: int) -> str:
        rows = []
        for i in range(start, start + n):
            doc = i % 20
            kind = i % 3
            rec: dict[str, object] = {"id": i, "cited_doc_ids": [doc], "evidence": {}}
            if kind == 0:
                rec["claim"] = f"Aspirin reduces mortality in trial {doc}."
                rec["evidence"] = {str(doc): [{"sentences": [0], "label": "SUPPORT"}]}
            elif kind == 1:
                rec["claim"] = f"The drug increases blood pressure in {doc} patients."
                rec["evidence"] = {str(doc): [{"sentences": [1], "label": "CONTRADICT"}]}
            else:
                rec["claim"] = f"Masks protect children from covid virus {doc}."
            rows.append(json.dumps(rec) + "\n")
        return "".join(rows)

    (folder / "claims_train.jsonl").write_text(claims(0, n_train))
    (folder / "claims_dev.jsonl").write_text(claims(1000, n_dev))
    return data_dir

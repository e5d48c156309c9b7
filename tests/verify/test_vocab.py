"""Cutting a judge's vocabulary: the sample tokenizes as before, the logits are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcheck.verify.vocab import prune_vocabulary, pruned_tokenizer_json

CORPUS = [
    "Aspirin reduces the risk of stroke in older patients.",
    "Masks lower the transmission of the virus among children.",
    "The vaccine increases antibody levels by 40% after two doses.",
    "Vitamin D supplementation does not reduce fractures in adults.",
    "Mortality was higher in the placebo group than in the treatment group.",
    "Gene expression in mice changes after exposure to cold.",
    "Über die Straße: café déjà vu, naïve résumé, coöperation, Ångström.",
    "Blood pressure fell from 140 to 128 mmHg (p < 0.01) in the trial.",
]
SAMPLE = CORPUS[:3]


def _unigram_model(folder: Path) -> Path:
    """A 2-layer BERT classifier with a Unigram (SentencePiece-style) tokenizer, like e5's."""
    import torch
    from tests.verify.tiny_model import tiny_config
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from tokenizers.processors import TemplateProcessing
    from transformers import BertForSequenceClassification, PreTrainedTokenizerFast

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    trainer = trainers.UnigramTrainer(vocab_size=300, special_tokens=specials, unk_token="<unk>")
    tok.train_from_iterator(CORPUS * 5, trainer)
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))],
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        cls_token="<s>",
        sep_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
    )
    config = tiny_config(tok.get_vocab_size(), pad_token_id=tok.token_to_id("<pad>"))
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        # Fresh biases are all zero and LayerNorm scales all one; the ONNX exporter would merge
        # equal constants into one, which no trained judge has.
        for name, param in model.named_parameters():
            if name.endswith("bias") or "LayerNorm" in name:
                param.add_(0.02 * torch.randn_like(param))
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


def _ids(model_dir: Path, a: str, b: str) -> list[int]:
    from transformers import AutoTokenizer

    return list(AutoTokenizer.from_pretrained(model_dir)(a, b)["input_ids"])


def _logits(model_dir: Path, a: str, b: str) -> list[float]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    with torch.no_grad():
        return [float(x) for x in model(**tok(a, b, return_tensors="pt")).logits[0]]


def _pieces(model_dir: Path, ids: list[int]) -> list[str]:
    from transformers import AutoTokenizer

    return list(AutoTokenizer.from_pretrained(model_dir).convert_ids_to_tokens(ids))


@pytest.mark.parametrize("kind", ["unigram", "wordpiece"])
def test_the_sample_tokenizes_and_scores_exactly_as_before(tmp_path: Path, kind: str) -> None:
    from tests.verify.tiny_model import build_tiny_model

    if kind == "unigram":
        base = _unigram_model(tmp_path / "base")
        sample = SAMPLE
    else:
        base = build_tiny_model(tmp_path / "base")
        sample = ["aspirin reduces mortality risk in patients.", "masks protect children."]
    info = prune_vocabulary(base, sample, tmp_path / "pruned")
    before = json.loads((base / "config.json").read_text())["vocab_size"]
    assert info["kept"] < before == info["vocab_before"]
    after = json.loads((tmp_path / "pruned" / "config.json").read_text())["vocab_size"]
    assert after == info["kept"]
    for a in sample:
        for b in sample:
            old, new = _ids(base, a, b), _ids(tmp_path / "pruned", a, b)
            assert _pieces(base, old) == _pieces(tmp_path / "pruned", new)
            # Same ids, same rows: only float summation order may differ (seen: 1e-9 apart).
            assert _logits(base, a, b) == pytest.approx(
                _logits(tmp_path / "pruned", a, b), rel=1e-5, abs=1e-6
            )


def test_unseen_text_of_a_kept_script_never_becomes_unknown(tmp_path: Path) -> None:
    base = _unigram_model(tmp_path / "base")
    prune_vocabulary(base, SAMPLE, tmp_path / "pruned")
    unseen = CORPUS[3:6]
    for text in unseen:
        ids = _ids(tmp_path / "pruned", text, text)
        assert "<unk>" not in _pieces(tmp_path / "pruned", ids), text
        # Shorter pieces, but the same characters.
        assert "".join(_pieces(tmp_path / "pruned", ids)).count("▁") >= len(text.split())


def test_top_pieces_keep_common_words_whole(tmp_path: Path) -> None:
    base = _unigram_model(tmp_path / "base")
    small = prune_vocabulary(base, SAMPLE[:1], tmp_path / "small")
    wide = prune_vocabulary(base, SAMPLE[:1], tmp_path / "wide", top=60)
    assert wide["kept"] > small["kept"]
    text = CORPUS[4]
    assert len(_ids(tmp_path / "wide", text, text)) <= len(_ids(tmp_path / "small", text, text))


def test_a_bpe_tokenizer_is_refused_with_a_clear_error() -> None:
    from litcheck.errors import VerificationError

    spec = {"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "added_tokens": []}
    with pytest.raises(VerificationError, match="BPE"):
        pruned_tokenizer_json(spec, {0}, {"LATIN"})


def test_a_cut_judge_imports_back_onto_its_full_base(tmp_path: Path) -> None:
    pytest.importorskip("onnx")
    from litcheck.verify.onnx_judge import OnnxJudge, export_onnx, import_onnx

    base = _unigram_model(tmp_path / "base")
    prune_vocabulary(base, SAMPLE, tmp_path / "pruned")
    export_onnx(tmp_path / "pruned", tmp_path / "judge")
    info = import_onnx(tmp_path / "judge", base, tmp_path / "back")
    assert info["vocabulary"] < json.loads((base / "config.json").read_text())["vocab_size"]
    # The word table comes back exact (it was frozen), the rest within int8 rounding.
    assert info["max_abs_diff_word_embeddings"] < 0.05
    judge = OnnxJudge(tmp_path / "judge", combine=False)
    for a in SAMPLE:
        back = _logits(tmp_path / "back", a, a)
        pruned = _logits(tmp_path / "pruned", a, a)
        assert _ids(tmp_path / "back", a, a) == _ids(tmp_path / "pruned", a, a)
        assert back == pytest.approx(pruned, abs=0.05)
        assert list(judge.logits([a], [a])[0]) == pytest.approx(pruned, abs=0.05)

"""Offline extractor: claims from passages and tables, stable ids, bad input never crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcheck.extract.claims import classify_sentence, hedges, is_english, polarity
from litcheck.extract.evaluate import load_gold, score
from litcheck.extract.offline import EXTRACTOR, extract_claims
from litcheck.extract.schema import SCHEMA_PATH, render_schema
from litcheck.extract.tables import table_rows
from litcheck.models import ClaimKind, Paper, Passage

DATA = Path(__file__).resolve().parents[1] / "data"
PAPER = Paper(arxiv_id="2104.08645", version=2, title="Robust training")


def passage(text: str, kind: str = "paragraph", index: int = 0) -> Passage:
    return Passage(
        id=f"2104.08645:1:{index}",
        paper_id="2104.08645",
        section_index=1,
        section_title="4 Results",
        index=index,
        start=0,
        end=len(text),
        text=text,
        kind=kind,  # type: ignore[arg-type]
    )


def test_sentences_become_typed_claims_with_spans() -> None:
    text = (
        "The rest of this paper is organized as follows. Robust training improves accuracy by "
        "2.1 points on PAWS-X over mBERT. These results suggest that robustness may help "
        "transfer. Our approach does not improve results on Japanese."
    )
    warnings: list[str] = []
    claims = extract_claims(PAPER, [passage(text)], on_warning=warnings.append)
    assert warnings == []
    assert [c.kind for c in claims] == [
        ClaimKind.COMPARISON,
        ClaimKind.RESULT,
        ClaimKind.LIMITATION,
    ]
    first = claims[0]
    assert first.span is not None and text[first.span[0] : first.span[1]] == first.text
    assert (first.paper_id, first.paper_version, first.extractor) == ("2104.08645", 2, EXTRACTOR)
    assert first.quantities[0].delta == 2.1 and first.quantities[0].baseline == "mBERT"
    assert claims[1].hedging == ["suggest", "may"]
    assert claims[2].polarity == "negative"


def test_ids_are_stable_and_deterministic() -> None:
    p = passage("XLM-R reaches 79.2% accuracy on XNLI. XLM-R reaches 79.2% accuracy on XNLI.")
    a = extract_claims(PAPER, [p])
    b = extract_claims(PAPER, [p])
    assert a == b and len(a) == 1  # the repeated sentence is one claim
    newer = extract_claims(PAPER.model_copy(update={"version": 3}), [p])
    assert newer[0].id != a[0].id


def test_table_rows_yield_claims_with_context() -> None:
    text = (
        "Table 1: Zero-shot accuracy (%) on XNLI.\n"
        "Model | en | de | avg\n"
        "mBERT | 81.4 | 70.5 | 75.1\n"
        "XLM-R | 88.7 | 82.5 | 84.5"
    )
    claims = extract_claims(PAPER, [passage(text, kind="table")])
    assert [c.text for c in claims] == ["mBERT | 81.4 | 70.5 | 75.1", "XLM-R | 88.7 | 82.5 | 84.5"]
    xlmr = claims[1]
    assert xlmr.context is not None and "row: XLM-R" in xlmr.context
    assert "columns: Model, en, de, avg" in xlmr.context and "Table 1" in xlmr.context
    q = xlmr.quantities[1]
    assert (q.value, q.unit, q.metric, q.dataset, q.languages, q.model) == (
        82.5,
        "%",
        "accuracy",
        "XNLI",
        ["de"],
        "XLM-R",
    )
    assert xlmr.span is not None and text[xlmr.span[0] : xlmr.span[1]] == xlmr.text


def test_table_with_merged_cells() -> None:
    text = (
        "| Setting | Model | XNLI | MLQA (F1) |\n|---|---|---|---|\n"
        "| Zero-shot | | | |\n| | mBERT | 65.4 | 57.7 |\n| | XLM-R | 79.2 |\n"
        "| Translate-train | XLM-R | 82.6 | 71.0 | 3.3 |\n"
    )
    rows = table_rows(text)
    assert [r.text.split("|")[2].strip() for r in rows] == ["mBERT", "XLM-R", "XLM-R"]
    assert "Zero-shot" in rows[0].context
    assert [q.dataset for q in rows[0].quantities] == ["XNLI", "MLQA"]
    assert rows[0].quantities[1].metric == "F1"
    assert len(rows[2].quantities) == 3  # an extra cell beyond the header is kept, unlabelled
    assert extract_claims(PAPER, [passage(text, kind="table")])


def test_bad_input_warns_and_never_crashes() -> None:
    warnings: list[str] = []
    assert extract_claims(PAPER, [], on_warning=warnings.append) == []
    assert "2104.08645 has no passages" in warnings[0]
    garbage = passage("\x00\x01\x02\xff\ufffd" * 2000, index=1)
    blob = passage("word " * 200_000, index=2)  # 1 MB without a full stop
    german = passage(
        "Die Genauigkeit auf XNLI steigt um 2,1 Punkte, wenn das Modell mit Rauschen trainiert "
        "wird und die Daten nicht ausgeglichen sind.",
        index=3,
    )
    chinese = passage("鲁棒训练在XNLI上提高了2.1个百分点。多语言编码器可以跨语言迁移。", index=4)
    good = passage("Robust training improves accuracy by 2.1 points on PAWS-X.", index=5)
    warnings.clear()
    claims = extract_claims(
        PAPER, [garbage, blob, german, chinese, good], on_warning=warnings.append
    )
    assert [c.passage_id for c in claims] == [good.id]
    assert all("2104.08645" in w for w in warnings)
    assert any("binary" in w for w in warnings)
    assert any("not in English" in w for w in warnings)
    assert any("without a sentence end" in w for w in warnings)


def test_sentence_labels() -> None:
    assert not classify_sentence("How does robustness affect transfer?").is_claim
    assert not classify_sentence("Table 3 shows the results on PAWS-X.").is_claim
    assert not classify_sentence("Code and data are available at https://x.org/y.").is_claim
    assert not classify_sentence("2 Related Work").is_claim
    assert classify_sentence("We define the gap as the difference in accuracy.").kind == (
        ClaimKind.DEFINITION
    )
    assert classify_sentence("XTREME covers 40 languages and nine tasks.").kind == ClaimKind.DATASET
    assert classify_sentence("We propose a robust training method for transfer.").kind == (
        ClaimKind.METHOD
    )
    assert hedges("This might suggest that it may help.") == ["might", "suggest", "may"]
    assert polarity("It not only helps but also scales.") == "positive"
    assert polarity("It does not help.") == "negative"
    assert is_english("Robust training remarkably improves generalized cross-lingual transfer.")
    assert not is_english(
        "La précision augmente de deux points avec un entraînement et des données."
    )


def test_gold_test_split_meets_targets() -> None:
    scores = score(load_gold(DATA / "extract_gold_test.jsonl"))
    assert scores.n >= 80
    assert scores.f1 >= 0.85
    assert scores.q_f1 >= 0.90


def test_gold_set_size_and_split() -> None:
    dev = load_gold(DATA / "extract_gold_dev.jsonl")
    test = load_gold(DATA / "extract_gold_test.jsonl")
    assert len(dev) + len(test) >= 200
    assert abs(len(test) / (len(dev) + len(test)) - 1 / 3) < 0.02
    assert not {g.id for g in dev} & {g.id for g in test}


def test_schema_file_is_up_to_date() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "run `python -m litcheck.extract.schema` to refresh data/schemas/claim.schema.json"
    )


@pytest.mark.parametrize("n", [1, 2])
def test_extraction_is_deterministic_across_runs(n: int) -> None:
    text = "XLM-R outperforms mBERT by 7.5 points on average across the 15 XNLI languages."
    runs = [extract_claims(PAPER, [passage(text)]) for _ in range(n + 1)]
    assert all(r == runs[0] for r in runs)

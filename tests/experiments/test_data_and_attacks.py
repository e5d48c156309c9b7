from __future__ import annotations

import random
import struct
from pathlib import Path

import numpy as np
import pytest

from litcheck.errors import ExperimentError
from litcheck.experiments.attacks import SynonymTable
from litcheck.experiments.data import (
    Example,
    PoolSizes,
    language_group,
    load_task,
    make_pools,
    pool_hash,
)
from litcheck.experiments.encoder import dequantize_q4_0


def test_pools_are_disjoint_grouped_and_fixed(data_dir: Path) -> None:
    task = load_task(data_dir, "xnli", ["en", "de"])
    sizes = PoolSizes(intermediate=20, train=30, calibration=9, eval=21)
    pools = make_pools(task, sizes, seed=13)
    seen: set[int] = set()
    for name in ("intermediate", "train", "calibration", "eval"):
        pool = set(pools.get(name))
        assert not pool & seen
        seen |= pool
        assert len(pool) <= getattr(sizes, name)
    # rows sharing an English premise never straddle two pools
    owner: dict[str, str] = {}
    for name in ("intermediate", "train", "calibration", "eval"):
        for i in pools.get(name):
            premise = task.rows["en"][i].text_a
            assert owner.setdefault(premise, name) == name
    again = make_pools(task, sizes, seed=13)
    assert again.hashes() == pools.hashes()
    assert make_pools(task, sizes, seed=14).hashes() != pools.hashes()
    assert pool_hash([3, 1, 2]) == pool_hash([1, 2, 3])


def test_pools_too_big(data_dir: Path) -> None:
    task = load_task(data_dir, "pawsx", ["en"])
    with pytest.raises(ExperimentError, match="shrink"):
        make_pools(task, PoolSizes(1000, 10, 10, 10), seed=1)


def test_missing_files_named_with_download_hint(tmp_path: Path) -> None:
    (tmp_path / "pawsx").mkdir()
    (tmp_path / "pawsx" / "dev-en.tsv").write_text("a\tb\t1\n")
    with pytest.raises(ExperimentError) as err:
        load_task(tmp_path, "pawsx", ["en", "de"])
    msg = str(err.value)
    assert "dev-de.tsv" in msg and "dev-en.tsv" not in msg.split("lacks")[1].split(";")[0]
    assert "https://" in msg and "\n" not in msg
    assert "litcheck experiment download-data --task pawsx" in msg


def test_unknown_language_and_task(data_dir: Path) -> None:
    with pytest.raises(ExperimentError, match="Unknown language 'it'"):
        load_task(data_dir, "pawsx", ["it"])
    with pytest.raises(ExperimentError, match="Unknown task"):
        load_task(data_dir, "mnli")


def test_bad_label(tmp_path: Path) -> None:
    (tmp_path / "pawsx").mkdir()
    (tmp_path / "pawsx" / "dev-en.tsv").write_text("a\tb\tmaybe\n")
    with pytest.raises(ExperimentError, match="label 'maybe'"):
        load_task(tmp_path, "pawsx", ["en"])


def test_language_groups() -> None:
    assert language_group("es") == "romance"
    assert language_group("de") == "germanic"
    assert language_group("en") == "source"
    assert language_group("zh") == "other"


def test_synonym_substitution(data_dir: Path) -> None:
    table = SynonymTable.load(data_dir)
    rng = random.Random(0)
    out = table.perturb("the movie was good", rng)
    words = out.split(" ")
    assert words[0] == "the" and words[2] == "was"
    assert words[1] in {"movie", "film", "cinema"} and words[3] in {"good", "great", "fine"}
    ex = Example("the movie was good", "a big house", 1)
    aug = table.augment([ex, ex], n=10, seed=3)
    assert len(aug) == 20 and all(a.label == 1 for a in aug)
    assert len({a.text_a for a in aug}) > 1
    assert table.augment([ex], 10, seed=3) == table.augment([ex], 10, seed=3)
    # the attack is the same for every run (seeded by item index)
    assert table.attack_candidates(ex, 7, 4) == table.attack_candidates(ex, 7, 4)
    assert table.substitutable("slow car") == 1  # 'slow' has no neighbours


def test_missing_neighbours(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match=r"counterfitted_neighbors\.json"):
        SynonymTable.load(tmp_path)


def test_dequantize_q4_0_layout() -> None:
    scale = np.float16(0.5).tobytes()
    # byte j: low nibble = weight j, high nibble = weight j + 16
    qs = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    out = dequantize_q4_0(scale + qs, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert out.tolist() == expected
    assert struct.calcsize("<e") == 2


def test_generalized_partners_are_fixed_by_the_pool_seed() -> None:
    from litcheck.experiments.data import generalized_partners

    items = list(range(200))
    a = generalized_partners(items, ["en", "de", "fr", "es"], seed=13)
    b = generalized_partners(items, ["fr", "es", "en", "de"], seed=13)
    assert a == b  # the order of the languages does not matter
    assert a != generalized_partners(items, ["en", "de", "fr", "es"], seed=14)
    for first, seconds in a.items():
        assert first not in seconds
        # every other language is drawn, roughly evenly
        assert {s: seconds.count(s) > 40 for s in set(seconds)} == dict.fromkeys(
            set(a) - {first}, True
        )


def test_generalized_needs_two_languages() -> None:
    from litcheck.errors import ExperimentError
    from litcheck.experiments.data import generalized_partners

    with pytest.raises(ExperimentError, match="two"):
        generalized_partners([1, 2], ["en"], seed=1)


def test_mixed_pairs_take_the_second_sentence_from_the_partner(data_dir: Path) -> None:
    from litcheck.experiments.data import load_task, mixed_pairs

    task = load_task(data_dir, "pawsx", ["en", "de"])
    pairs = mixed_pairs(task, [0, 1], "en", ["de", "de"])
    for i, ex in enumerate(pairs):
        assert ex.text_a == task.rows["en"][i].text_a
        assert ex.text_b == task.rows["de"][i].text_b
        assert ex.label == task.rows["en"][i].label

"""Synonym substitution: RS-DA augmentation and the robustness attack.

Both use the counter-fitted neighbour sets of ``robust-xlt/counterfitted_neighbors.json``
(English only). A sentence is split on single spaces (the data is tokenised with spaces, as in
the official Robust-XLT ``perturb.py``); every word that has neighbours is replaced by a word
drawn uniformly from ``[word] + neighbours``.

- RS-DA (training): each English training pair is replaced by ``n`` such perturbed copies
  (n = 10 for PAWS-X, 3 for XNLI, the official settings).
- Attack (evaluation): for each English evaluation pair, ``k`` perturbed candidates are drawn
  with a generator seeded by the item index (the same candidates for every run, so runs can be
  compared item by item). An item is *robust* when the model is right on the original pair and
  on every candidate; robust accuracy is the fraction of robust items. This is a random-sampling
  attack, weaker than a search-based one: it gives an upper bound on true robust accuracy.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from litcheck.errors import ExperimentError
from litcheck.experiments.data import Example

NEIGHBOURS_FILE = "robust-xlt/counterfitted_neighbors.json"
NEIGHBOURS_URL = (
    "https://github.com/uclanlp/Robust-XLT (counterfitted_neighbors.json, as in "
    "robinjia/certified-word-sub)"
)


class SynonymTable:
    """Word -> synonym neighbours.

    Args:
        neighbours: mapping of a word to its neighbour list (empty lists are allowed).
    """

    def __init__(self, neighbours: dict[str, list[str]]) -> None:
        self._choices = {w: [w, *n] for w, n in neighbours.items() if n}

    @classmethod
    def load(cls, data_dir: Path) -> SynonymTable:
        """Read ``counterfitted_neighbors.json`` from the data directory.

        Raises:
            ExperimentError: when the file is missing or not a JSON object.
        """
        path = data_dir / NEIGHBOURS_FILE
        if not path.is_file():
            raise ExperimentError(
                f"{path} is missing; set LITCHECK_DATA_DIR to your data folder or "
                f"download it from {NEIGHBOURS_URL}."
            )
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ExperimentError(f"{path} is not a JSON object of word -> neighbours.")
        return cls({str(k): [str(x) for x in v] for k, v in raw.items()})

    def __len__(self) -> int:
        return len(self._choices)

    def substitutable(self, sentence: str) -> int:
        """Number of words in ``sentence`` that have neighbours."""
        return sum(1 for w in sentence.split(" ") if w in self._choices)

    def perturb(self, sentence: str, rng: random.Random) -> str:
        """Replace each word that has neighbours by a uniform draw from ``[word] + neighbours``."""
        out = []
        for word in sentence.split(" "):
            choices = self._choices.get(word)
            out.append(choices[rng.randrange(len(choices))] if choices else word)
        return " ".join(out)

    def perturb_pair(self, ex: Example, rng: random.Random) -> Example:
        """Perturb both sentences of a pair; the label is kept."""
        return Example(self.perturb(ex.text_a, rng), self.perturb(ex.text_b, rng), ex.label)

    def augment(self, examples: list[Example], n: int, seed: int) -> list[Example]:
        """RS-DA: ``n`` perturbed copies of every example (in order: all copies of row 0 first).

        Args:
            examples: English training pairs.
            n: copies per pair (10 for PAWS-X, 3 for XNLI in the official code).
            seed: seed of the substitution draws.

        Returns:
            ``len(examples) * n`` pairs.
        """
        rng = random.Random(seed)
        return [self.perturb_pair(ex, rng) for ex in examples for _ in range(n)]

    def attack_candidates(self, ex: Example, item: int, k: int, seed: int = 0) -> list[Example]:
        """``k`` perturbed versions of one evaluation pair, seeded by its row index."""
        rng = random.Random(f"attack:{seed}:{item}")
        return [self.perturb_pair(ex, rng) for _ in range(k)]

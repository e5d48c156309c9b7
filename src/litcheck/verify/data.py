"""Labelled claim/evidence pairs from ``../shared/data`` for training and testing the judge.

Every loader yields :class:`Pair` objects whose label went through :func:`map_label`, the one
label map. Splits are fixed by content hashes, never by file order:

- **test**: SciFact dev (300 claims) — never used for training or calibration;
- **calibration**: a hashed 20 % of SciFact train claims (temperature, NEI threshold);
- **train**: the other SciFact train claims and every other set (HealthVer, CLIMATE-FEVER,
  COVID-Fact, SciTab, SEM-TAB-FACTS, FEVER, SNLI, SICK), plus hard negatives built from them.

A user with internet can download the sets from the URLs named in each PROVENANCE.md; the
loaders only read files and skip a set whose folder is missing.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from litcheck.errors import BadInputError
from litcheck.models import Label
from litcheck.verify.labels import map_label
from litcheck.verify.text import split_sentences, top_sentences

csv.field_size_limit(10_000_000)

#: SciFact sentences given as evidence for a NOT_ENOUGH_INFO claim (its cited abstract's top k).
NEI_SENTENCES = 2
CALIBRATION_PERCENT = 20
MAX_TABLE_CHARS = 1500


@dataclass(frozen=True)
class Pair:
    """One labelled claim/evidence pair."""

    claim: str
    evidence: str
    label: Label
    source: str
    group: str = ""


@dataclass
class SciFactClaim:
    """A SciFact claim with its gold rationale sentences (doc id -> sentence indices)."""

    id: int
    claim: str
    label: Label
    cited: list[int]
    rationales: dict[int, list[int]] = field(default_factory=dict)


def _bucket(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) % 100


def _scifact_dir(data_dir: Path) -> Path:
    return data_dir / "claims" / "scifact"


def load_scifact_corpus(data_dir: Path) -> dict[int, tuple[str, list[str]]]:
    """SciFact abstracts: doc id -> (title, sentences).

    Raises:
        BadInputError: when the corpus file is missing.
    """
    path = _scifact_dir(data_dir) / "corpus.jsonl"
    if not path.is_file():
        raise BadInputError(
            f"SciFact corpus not found at {path}; set --data or LITCHECK_DATA_DIR to the folder "
            "holding claims/scifact (see ../shared/data/README.md)."
        )
    out: dict[int, tuple[str, list[str]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out[int(rec["doc_id"])] = (rec["title"], [s.strip() for s in rec["abstract"]])
    return out


def load_scifact_claims(data_dir: Path, split: str) -> list[SciFactClaim]:
    """SciFact claims of one split: ``train`` (minus calibration), ``calibration`` or ``test``.

    Args:
        data_dir: the shared data folder.
        split: ``train``, ``calibration`` (hashed 20 % of the official train file) or ``test``
            (the official dev file).

    Returns:
        Claims with labels; a claim with no rationale is NOT_ENOUGH_INFO.
    """
    name = "claims_dev.jsonl" if split == "test" else "claims_train.jsonl"
    path = _scifact_dir(data_dir) / name
    if not path.is_file():
        raise BadInputError(f"SciFact claims not found at {path}; set --data to the data folder.")
    out: list[SciFactClaim] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if split != "test":
                in_cal = _bucket(f"scifact:{rec['id']}") < CALIBRATION_PERCENT
                if in_cal != (split == "calibration"):
                    continue
            rationales: dict[int, list[int]] = {}
            labels: list[Label] = []
            for doc, sets in rec.get("evidence", {}).items():
                sents: set[int] = set()
                for s in sets:
                    sents.update(s["sentences"])
                    labels.append(map_label(s["label"]))
                rationales[int(doc)] = sorted(sents)
            label = labels[0] if labels else Label.NOT_ENOUGH_INFO
            out.append(
                SciFactClaim(
                    id=int(rec["id"]),
                    claim=rec["claim"],
                    label=label,
                    cited=[int(d) for d in rec.get("cited_doc_ids", [])],
                    rationales=rationales,
                )
            )
    return out


def scifact_gold_pairs(
    claims: list[SciFactClaim], corpus: dict[int, tuple[str, list[str]]]
) -> list[Pair]:
    """One pair per claim, as the gold-evidence benchmark sees it.

    Supported/contradicted claims get their rationale sentences (all evidence documents, in
    order); a NOT_ENOUGH_INFO claim gets the top :data:`NEI_SENTENCES` sentences of its first
    cited abstract by word overlap — the sentences a retriever would most likely hand over.
    """
    pairs: list[Pair] = []
    for c in claims:
        if c.rationales:
            parts = [
                corpus[d][1][i]
                for d, idx in c.rationales.items()
                if d in corpus
                for i in idx
                if i < len(corpus[d][1])
            ]
        else:
            doc = next((d for d in c.cited if d in corpus), None)
            if doc is None:
                continue
            sents = corpus[doc][1]
            parts = [sents[i] for i in top_sentences(c.claim, sents, NEI_SENTENCES)]
        pairs.append(Pair(c.claim, " ".join(parts), c.label, "scifact", f"scifact:{c.id}"))
    return pairs


def _scifact_train_pairs(data_dir: Path, split: str) -> list[Pair]:
    corpus = load_scifact_corpus(data_dir)
    claims = load_scifact_claims(data_dir, split)
    pairs = scifact_gold_pairs(claims, corpus)
    # In-domain NEI examples: the best-matching non-rationale sentences of an evidence
    # abstract look like evidence but are not; the judge must learn to say so.
    for c in claims:
        for doc, idx in c.rationales.items():
            if doc not in corpus:
                continue
            sents = corpus[doc][1]
            rest = [i for i in range(len(sents)) if i not in set(idx)]
            if not rest:
                continue
            pick = top_sentences(c.claim, [sents[i] for i in rest], NEI_SENTENCES)
            text = " ".join(sents[rest[i]] for i in pick)
            pairs.append(
                Pair(c.claim, text, Label.NOT_ENOUGH_INFO, "scifact-nei", f"scifact:{c.id}")
            )
    return pairs


def _healthver(data_dir: Path) -> Iterator[Pair]:
    for name in ("healthver_dev.csv", "healthver_test.csv"):
        path = data_dir / "claims" / "healthver" / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield Pair(
                    row["claim"].strip(),
                    row["evidence"].strip(),
                    map_label(row["label"]),
                    "healthver",
                    f"healthver:{row['claim'].strip()}",
                )


def _climate_fever(data_dir: Path) -> Iterator[Pair]:
    path = data_dir / "claims" / "climate-fever" / "climate-fever.jsonl"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for ev in rec["evidences"]:
                yield Pair(
                    rec["claim"],
                    ev["evidence"],
                    map_label(ev["evidence_label"]),
                    "climate-fever",
                    f"climate:{rec['claim_id']}",
                )


def _covidfact(data_dir: Path) -> Iterator[Pair]:
    for name in ("RTE-covidfact_train.tsv", "RTE-covidfact_dev.tsv", "RTE-covidfact_test.tsv"):
        path = data_dir / "claims" / "covidfact" / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader, None)
            for row in reader:
                if len(row) < 4:
                    continue
                yield Pair(row[2], row[1], map_label(row[3]), "covidfact", f"covidfact:{row[2]}")


def _fever(data_dir: Path) -> Iterator[Pair]:
    path = data_dir / "nli" / "fever-rte-dev" / "fever_dev_rte.jsonl"
    if not path.is_file():
        return
    fix = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "``": '"', "''": '"'}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            ev = rec["evidence"]
            for k, v in fix.items():
                ev = ev.replace(k, v)
            yield Pair(
                rec["claim"], ev, map_label(rec["fever_label"]), "fever", f"fever:{rec['claim']}"
            )


def _snli(data_dir: Path) -> Iterator[Pair]:
    path = data_dir / "nli" / "snli-esnli-devtest" / "snli_devtest_esnli.jsonl"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("label") not in ("entailment", "neutral", "contradiction"):
                continue
            yield Pair(
                rec["hypothesis"],
                rec["premise"],
                map_label(rec["label"]),
                "snli",
                f"snli:{rec['premise']}",
            )


def _sick(data_dir: Path) -> Iterator[Pair]:
    path = data_dir / "nli" / "sick" / "SICK.txt"
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            yield Pair(
                row["sentence_B"],
                row["sentence_A"],
                map_label(row["entailment_label"]),
                "sick",
                f"sick:{row['pair_ID']}",
            )


def _table_text(caption: str, rows: list[list[str]]) -> str:
    lines = [caption.strip()] + [
        " | ".join(c.replace("[BOLD]", "").strip() for c in r) for r in rows
    ]
    return "\n".join(lines)[:MAX_TABLE_CHARS]


def _scitab(data_dir: Path) -> Iterator[Pair]:
    path = data_dir / "claims" / "scitab" / "sci_tab.json"
    if not path.is_file():
        return
    for rec in json.loads(path.read_text(encoding="utf-8")):
        rows = [rec["table_column_names"], *rec["table_content_values"]]
        yield Pair(
            rec["claim"],
            _table_text(rec["table_caption"], rows),
            map_label(rec["label"]),
            "scitab",
            f"scitab:{rec['table_id']}",
        )


def _semtab(data_dir: Path) -> Iterator[Pair]:
    path = data_dir / "claims" / "sem-tab-facts" / "semtabfacts_statements.jsonl"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            rows = rec["rows"]
            if isinstance(rows, str):
                try:
                    rows = ast.literal_eval(rows)
                except (ValueError, SyntaxError):
                    continue
            yield Pair(
                rec["statement"],
                _table_text(rec.get("caption", ""), rows),
                map_label(rec["label"]),
                "semtab",
                f"semtab:{rec['file']}:{rec['table_id']}",
            )


_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]*\d)")
_FLIPS = [
    (r"\bincreases\b", "decreases"),
    (r"\bdecreases\b", "increases"),
    (r"\bincreased\b", "decreased"),
    (r"\bdecreased\b", "increased"),
    (r"\breduces\b", "increases"),
    (r"\breduced\b", "increased"),
    (r"\bhigher\b", "lower"),
    (r"\blower\b", "higher"),
    (r"\bimproves\b", "worsens"),
    (r"\bmore\b", "less"),
    (r"\bless\b", "more"),
    (r"\bpositively\b", "negatively"),
    (r"\bnegatively\b", "positively"),
    (r"\bpromotes\b", "inhibits"),
    (r"\binhibits\b", "promotes"),
    (r"\bis associated\b", "is not associated"),
    (r"\bare associated\b", "are not associated"),
    (r"\bcan\b", "cannot"),
    (r"\bis\b", "is not"),
    (r"\bare\b", "are not"),
]


def swap_number(claim: str, evidence: str, rng: random.Random) -> str | None:
    """The claim with one figure it shares with the evidence changed, or None."""
    shared = [m for m in _NUMBER.finditer(claim) if m.group(1) in evidence]
    if not shared:
        return None
    m = rng.choice(shared)
    raw = m.group(1)
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    value = float(raw)
    step = 10**-decimals
    new = value + rng.choice([-1, 1]) * max(
        step, round(abs(value) * rng.uniform(0.1, 0.4), decimals)
    )
    if new < 0 or abs(new - value) < step / 2:
        new = value + step * rng.randint(1, 9)
    text = f"{new:.{decimals}f}"
    return claim[: m.start(1)] + text + claim[m.end(1) :]


def flip_claim(claim: str) -> str | None:
    """The claim with its direction or polarity flipped by one rule, or None."""
    for pattern, repl in _FLIPS:
        new, n = re.subn(pattern, repl, claim, count=1)
        if n:
            return new
    return None


def hard_negatives(pairs: list[Pair], seed: int) -> list[Pair]:
    """CONTRADICTED pairs built from SUPPORTED ones: a swapped figure, a flipped direction.

    Args:
        pairs: training pairs.
        seed: random seed.

    Returns:
        New pairs (sources ``<source>+num`` and ``<source>+flip``).
    """
    rng = random.Random(seed)
    out: list[Pair] = []
    for p in pairs:
        if p.label is not Label.SUPPORTED:
            continue
        swapped = swap_number(p.claim, p.evidence, rng)
        if swapped is not None:
            out.append(Pair(swapped, p.evidence, Label.CONTRADICTED, p.source + "+num", p.group))
        if p.source in ("scifact", "healthver", "covidfact") or rng.random() < 0.1:
            flipped = flip_claim(p.claim)
            if flipped is not None:
                out.append(
                    Pair(flipped, p.evidence, Label.CONTRADICTED, p.source + "+flip", p.group)
                )
    return out


#: How many times each source is repeated in one training epoch (in-domain data weighs more).
SOURCE_WEIGHTS: dict[str, float] = {
    "scifact": 8.0,
    "scifact-nei": 4.0,
    "healthver": 2.0,
    "climate-fever": 1.0,
    "covidfact": 1.0,
    "scitab": 1.0,
    "semtab": 0.3,
    "fever": 0.5,
    "snli": 0.3,
    "sick": 0.3,
}


def training_pairs(data_dir: Path, seed: int = 13) -> list[Pair]:
    """The training mixture for one epoch, shuffled.

    Args:
        data_dir: the shared data folder.
        seed: controls subsampling, hard negatives and order.

    Returns:
        Pairs; sources with weight > 1 are repeated, < 1 subsampled (see SOURCE_WEIGHTS).
    """
    rng = random.Random(seed)
    base: list[Pair] = _scifact_train_pairs(data_dir, "train")
    for loader in (_healthver, _climate_fever, _covidfact, _scitab, _semtab, _fever, _snli, _sick):
        base.extend(loader(data_dir))
    base = [p for p in base if p.claim.strip() and p.evidence.strip()]
    base.extend(hard_negatives(base, seed))
    out: list[Pair] = []
    for p in base:
        w = SOURCE_WEIGHTS.get(p.source.split("+")[0], 1.0)
        reps = int(w) + (1 if rng.random() < w - int(w) else 0)
        out.extend([p] * reps)
    rng.shuffle(out)
    return out


def calibration_pairs(data_dir: Path) -> list[Pair]:
    """Held-out SciFact train claims with gold evidence, plus their swapped-number twins."""
    corpus = load_scifact_corpus(data_dir)
    pairs = scifact_gold_pairs(load_scifact_claims(data_dir, "calibration"), corpus)
    return pairs


def test_pairs(data_dir: Path) -> list[Pair]:
    """SciFact dev with gold evidence: the never-trained-on test set."""
    corpus = load_scifact_corpus(data_dir)
    return scifact_gold_pairs(load_scifact_claims(data_dir, "test"), corpus)


def sentences_of(text: str) -> list[str]:
    """Re-export of the sentence splitter, for loaders of user data."""
    return split_sentences(text)

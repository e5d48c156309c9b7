"""Labelled claim/evidence pairs from the data folder for training and testing the judge.

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
from litcheck.verify.text import negation_count, split_sentences, top_sentences

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
            f"SciFact corpus not found at {path}; `litcheck download-data scifact` fetches it, "
            "or set --data / LITCHECK_DATA_DIR to a folder holding claims/scifact."
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


def rationale_sentences(claim: SciFactClaim, corpus: dict[int, tuple[str, list[str]]]) -> list[str]:
    """A claim's gold rationale sentences, every evidence document in order.

    Args:
        claim: a SciFact claim.
        corpus: abstracts by document id, as :func:`load_scifact_corpus` gives them.

    Returns:
        The sentences (empty for a NOT_ENOUGH_INFO claim).
    """
    return [
        corpus[d][1][i]
        for d, idx in claim.rationales.items()
        if d in corpus
        for i in idx
        if i < len(corpus[d][1])
    ]


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
            parts = rationale_sentences(c, corpus)
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


#: Share of a set without an official split that is held out as its test split (hashed).
HELDOUT_PERCENT = 20


def _held_out(key: str) -> bool:
    return _bucket(key) < HELDOUT_PERCENT


def _healthver(data_dir: Path, split: str = "train") -> Iterator[Pair]:
    # The official dev file trains; the official test file is never trained on.
    names = ("healthver_test.csv",) if split == "test" else ("healthver_dev.csv",)
    for name in names:
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


def _climate_fever(data_dir: Path, split: str = "train") -> Iterator[Pair]:
    path = data_dir / "claims" / "climate-fever" / "climate-fever.jsonl"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            # One release file: a hashed fifth of the claims is the test split.
            if _held_out(f"climate:{rec['claim_id']}") != (split == "test"):
                continue
            for ev in rec["evidences"]:
                yield Pair(
                    rec["claim"],
                    ev["evidence"],
                    map_label(ev["evidence_label"]),
                    "climate-fever",
                    f"climate:{rec['claim_id']}",
                )


def _covidfact(data_dir: Path, split: str = "train") -> Iterator[Pair]:
    # The release's test file has no labels, so its labelled dev file is our test split.
    names = ("RTE-covidfact_dev.tsv",) if split == "test" else ("RTE-covidfact_train.tsv",)
    for name in names:
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


def _fever(data_dir: Path, split: str = "train") -> Iterator[Pair]:
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


def _snli(data_dir: Path, split: str = "train") -> Iterator[Pair]:
    path = data_dir / "nli" / "snli-esnli-devtest" / "snli_devtest_esnli.jsonl"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("label") not in ("entailment", "neutral", "contradiction"):
                continue
            # The folder holds SNLI dev and test: dev trains, test is never used.
            if rec.get("split", "snli_dev") != ("snli_test" if split == "test" else "snli_dev"):
                continue
            yield Pair(
                rec["hypothesis"],
                rec["premise"],
                map_label(rec["label"]),
                "snli",
                f"snli:{rec['premise']}",
            )


def _sick(data_dir: Path, split: str = "train") -> Iterator[Pair]:
    path = data_dir / "nli" / "sick" / "SICK.txt"
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            # SemEval's TRAIN and TRIAL sets train; its TEST set is never used.
            if (row.get("SemEval_set", "TRAIN") == "TEST") != (split == "test"):
                continue
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


def _scitab(data_dir: Path, split: str = "train") -> Iterator[Pair]:
    path = data_dir / "claims" / "scitab" / "sci_tab.json"
    if not path.is_file():
        return
    for rec in json.loads(path.read_text(encoding="utf-8")):
        # Split by table, so no claim about a test table is trained on.
        if _held_out(f"scitab:{rec['paper_id']}:{rec['table_id']}") != (split == "test"):
            continue
        rows = [rec["table_column_names"], *rec["table_content_values"]]
        yield Pair(
            rec["claim"],
            _table_text(rec["table_caption"], rows),
            map_label(rec["label"]),
            "scitab",
            f"scitab:{rec['table_id']}",
        )


def _semtab(data_dir: Path, split: str = "train") -> Iterator[Pair]:
    path = data_dir / "claims" / "sem-tab-facts" / "semtabfacts_statements.jsonl"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if str(rec.get("split", "train")).startswith("train") != (split != "test"):
                continue
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


_NEGATABLE = [
    (r"\b(is|are|was|were|has|have|had|can|could|does|do|did|will|may|might|should)\b", r"\1 not"),
]
_DENEGATE = [
    (r"\b(is|are|was|were|has|have|had|can|could|does|do|did|will|may|should) not\b", r"\1"),
    (r"\b(is|are|was|were|does|do|did|has|have|can)n't\b", r"\1"),
    (r"\bcannot\b", "can"),
    (r"\bno longer\b", "still"),
]

#: Names of one kind that a claim may swap for another of the same kind (-> NOT_ENOUGH_INFO:
#: the evidence speaks of the first, so it says nothing of the second).
SWAP_SETS: tuple[tuple[str, ...], ...] = (
    (
        "PAWS-X",
        "XNLI",
        "MLQA",
        "XQuAD",
        "TyDiQA",
        "MultiNLI",
        "SNLI",
        "SQuAD",
        "GLUE",
        "XTREME",
        "ImageNet",
        "CIFAR-10",
        "CIFAR-100",
        "WMT",
        "CoNLL",
        "MNLI",
        "QNLI",
        "SST-2",
    ),
    (
        "English",
        "German",
        "French",
        "Spanish",
        "Chinese",
        "Japanese",
        "Korean",
        "Arabic",
        "Russian",
        "Hindi",
        "Urdu",
        "Swahili",
        "Turkish",
        "Italian",
        "Portuguese",
        "Dutch",
        "Vietnamese",
        "Thai",
        "Greek",
        "Bulgarian",
    ),
    ("accuracy", "F1", "BLEU", "precision", "recall", "perplexity", "AUC", "exact match"),
    ("mBERT", "XLM-R", "BERT", "RoBERTa", "GPT-2", "T5", "mT5", "XLM", "LSTM", "ResNet"),
    ("mice", "rats", "humans", "children", "adults", "women", "men", "patients"),
    (
        "cancer",
        "diabetes",
        "obesity",
        "asthma",
        "hypertension",
        "depression",
        "malaria",
        "influenza",
        "tuberculosis",
        "HIV",
    ),
)
_SWAP_INDEX = {name.lower(): group for group in SWAP_SETS for name in group}
_QUESTION_OPENERS = ("Is it true that", "Does the evidence show that", "Is there evidence that")


def negate(text: str) -> str | None:
    """``text`` with one auxiliary negated ("is" -> "is not"), or None when it has none."""
    for pattern, repl in _NEGATABLE:
        new, n = re.subn(pattern, repl, text, count=1)
        if n:
            return new
    return None


def denegate(text: str) -> str | None:
    """``text`` with one negation removed ("is not" -> "is"), or None when it has none."""
    for pattern, repl in _DENEGATE:
        new, n = re.subn(pattern, repl, text, count=1, flags=re.I)
        if n:
            return new
    return None


def swap_name(claim: str, evidence: str, rng: random.Random) -> str | None:
    """The claim with a dataset, language, metric, model or population that it shares with the
    evidence replaced by another of the same kind that the evidence does not name, or None."""
    found = []
    for m in re.finditer(r"[A-Za-z][\w-]*(?: match)?", claim):
        group = _SWAP_INDEX.get(m.group(0).lower())
        if group and re.search(rf"\b{re.escape(m.group(0))}\b", evidence, re.I):
            found.append((m, group))
    if not found:
        return None
    m, group = rng.choice(found)
    options = [g for g in group if not re.search(rf"\b{re.escape(g)}\b", evidence, re.I)]
    if not options:
        return None
    return claim[: m.start()] + rng.choice(options) + claim[m.end() :]


def as_question(claim: str, rng: random.Random) -> str:
    """The claim asked as a yes/no question; the label is unchanged (the answer is the verdict)."""
    body = claim.strip().rstrip(".")
    keep = body[:2].isupper() or body[:1].isdigit()  # an acronym or a figure opens it
    head = body if keep else body[:1].lower() + body[1:]
    return f"{rng.choice(_QUESTION_OPENERS)} {head}?"


def hard_negatives(pairs: list[Pair], seed: int) -> list[Pair]:
    """Pairs built from the data itself that teach what a small judge gets wrong.

    - SUPPORTED -> CONTRADICTED: a changed figure (``+num``), a flipped direction word
      (``+flip``), an inserted negation (``+neg``);
    - SUPPORTED -> NOT_ENOUGH_INFO: a swapped dataset, language, metric, model or population
      name (``+swap``); the claim beside a sentence of another claim's evidence (``+other``);
    - NOT_ENOUGH_INFO stays NOT_ENOUGH_INFO with a negation put into or taken out of the
      evidence (``+negnei``), so that a negation alone never means CONTRADICTED;
    - any label, the claim asked as a question (``+question``).

    Args:
        pairs: training pairs.
        seed: random seed.

    Returns:
        New pairs, their source marked with the suffix above.
    """
    rng = random.Random(seed)
    out: list[Pair] = []
    in_domain = ("scifact", "healthver", "covidfact", "climate-fever", "scitab")
    by_source: dict[str, list[Pair]] = {}
    for p in pairs:
        by_source.setdefault(p.source, []).append(p)
    for p in pairs:
        dom = p.source in in_domain
        if p.label is Label.SUPPORTED:
            swapped = swap_number(p.claim, p.evidence, rng)
            if swapped is not None:
                out.append(
                    Pair(swapped, p.evidence, Label.CONTRADICTED, p.source + "+num", p.group)
                )
            if dom or rng.random() < 0.1:
                flipped = flip_claim(p.claim)
                if flipped is not None:
                    out.append(
                        Pair(flipped, p.evidence, Label.CONTRADICTED, p.source + "+flip", p.group)
                    )
            if dom and rng.random() < 0.5:
                negated = denegate(p.claim) if negation_count(p.claim) else negate(p.claim)
                if negated is not None and negated != flip_claim(p.claim):
                    out.append(
                        Pair(negated, p.evidence, Label.CONTRADICTED, p.source + "+neg", p.group)
                    )
            named = swap_name(p.claim, p.evidence, rng)
            if named is not None:
                out.append(
                    Pair(named, p.evidence, Label.NOT_ENOUGH_INFO, p.source + "+swap", p.group)
                )
        if dom and p.label is not Label.NOT_ENOUGH_INFO and rng.random() < 0.4:
            # Another claim's evidence from the same set: on topic, but about something else.
            pool = by_source[p.source]
            other = pool[rng.randrange(len(pool))]
            if other.group != p.group and other.evidence != p.evidence:
                sents = split_sentences(other.evidence) or [other.evidence]
                pick = sents[top_sentences(p.claim, sents, 1)[0]]
                out.append(Pair(p.claim, pick, Label.NOT_ENOUGH_INFO, p.source + "+other", p.group))
        rate = 0.3 if p.source == "climate-fever" else (1.0 if dom else 0.15)
        if p.label is Label.NOT_ENOUGH_INFO and rng.random() < rate:
            has_neg = negation_count(p.evidence) > 0
            changed = denegate(p.evidence) if has_neg else negate(p.evidence)
            if changed is not None:
                out.append(
                    Pair(p.claim, changed, Label.NOT_ENOUGH_INFO, p.source + "+negnei", p.group)
                )
        if dom and rng.random() < 0.15:
            out.append(
                Pair(
                    as_question(p.claim, rng), p.evidence, p.label, p.source + "+question", p.group
                )
            )
    return out


#: How many times each source is repeated in one training epoch (in-domain data weighs more).
SOURCE_WEIGHTS: dict[str, float] = {
    "scifact": 6.0,
    "scifact-nei": 3.0,
    "healthver": 2.0,
    "climate-fever": 1.0,
    "covidfact": 1.0,
    "scitab": 1.5,
    "semtab": 0.3,
    "fever": 0.4,
    "snli": 0.5,
    "sick": 0.5,
}

_LOADERS = {
    "healthver": _healthver,
    "climate-fever": _climate_fever,
    "covidfact": _covidfact,
    "scitab": _scitab,
    "semtab": _semtab,
    "fever": _fever,
    "snli": _snli,
    "sick": _sick,
}
#: The claim sets with a held-out test split, scored one by one by the verifier benchmark.
HELDOUT_SETS = ("healthver", "covidfact", "climate-fever", "scitab")


def training_pairs(data_dir: Path, seed: int = 13) -> list[Pair]:
    """The training mixture for one epoch, shuffled: train splits only.

    Args:
        data_dir: the shared data folder.
        seed: controls subsampling, hard negatives and order.

    Returns:
        Pairs; sources with weight > 1 are repeated, < 1 subsampled (see SOURCE_WEIGHTS).
    """
    rng = random.Random(seed)
    base: list[Pair] = _scifact_train_pairs(data_dir, "train")
    for loader in _LOADERS.values():
        base.extend(loader(data_dir, "train"))
    base = [p for p in base if p.claim.strip() and p.evidence.strip()]
    base.extend(hard_negatives(base, seed))
    out: list[Pair] = []
    for p in base:
        w = SOURCE_WEIGHTS.get(p.source.split("+")[0], 1.0)
        reps = int(w) + (1 if rng.random() < w - int(w) else 0)
        out.extend([p] * reps)
    rng.shuffle(out)
    return out


def heldout_pairs(data_dir: Path, name: str) -> list[Pair]:
    """The test split of one claim set (never trained on), for the benchmark.

    Args:
        data_dir: the shared data folder.
        name: one of :data:`HELDOUT_SETS`.

    Returns:
        Its labelled pairs (empty when the set is not in the folder).
    """
    pairs = [p for p in _LOADERS[name](data_dir, "test") if p.claim.strip() and p.evidence.strip()]
    return pairs


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

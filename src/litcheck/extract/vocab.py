"""Names of this field that quantities attach to: metrics, datasets, languages, models, settings.

Each table maps a regular-expression alternative to the canonical name stored in a
:class:`~litcheck.models.Quantity`, so that "XLM-RoBERTa" and "XLM-R" compare equal and a
verifier can match a claim's figure to evidence about the same slot. The lists are closed on
purpose: an open-ended guess ("the thing before 'score'") would make tuples unstable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def words(text: str) -> list[str]:
    """Split a whitespace-separated word list (keeps long vocabularies readable)."""
    return text.split()


# canonical name -> pattern (case-insensitive unless stated); longer names first where they
# overlap, because the alternation takes the first that matches.
METRICS: dict[str, str] = {
    "robust accuracy": r"robust(?:ness)?\s+accuracy",
    "macro-F1": r"macro[- ]?F1",
    "micro-F1": r"micro[- ]?F1",
    "F1": r"F1(?:[- ]score)?|F-(?:score|measure)",
    "EM": r"exact[- ]match|EM",
    "accuracy": r"accuracy|acc\.?",
    "error rate": r"error\s+rates?",
    "success rate": r"(?:attack\s+)?success\s+rates?",
    "detection rate": r"(?:defect\s+)?detection\s+rates?",
    "BLEU": r"BLEU",
    "chrF": r"chrF\+*",
    "ROUGE-L": r"ROUGE-L",
    "ROUGE": r"ROUGE(?:-[12])?",
    "perplexity": r"perplexity|PPL",
    "precision": r"precision",
    "recall": r"recall",
    "AUC": r"AUC|AUROC|ROC-AUC",
    "MRR": r"MRR",
    "nDCG": r"nDCG(?:@\d+)?",
    "WER": r"WER|word\s+error\s+rate",
    "correlation": r"Spearman|Pearson|correlation",
    "p-value": r"p-values?|(?<![\w-])p(?=\s*[<=≤]\s*0?\.\d)",
}
# Metrics whose name is all capitals or short: matched case-sensitively to avoid "em", "acc".
_CASE_SENSITIVE = {"EM", "BLEU", "AUC", "MRR", "WER", "ROUGE", "ROUGE-L"}

DATASETS: dict[str, str] = {
    "PAWS-X": r"PAWS-?X",
    "XNLI": r"XNLI",
    "XTREME-R": r"XTREME-R",
    "XTREME": r"XTREME(?:-M)?",
    "XGLUE": r"XGLUE",
    "MLQA": r"MLQA",
    "XQuAD": r"XQuAD",
    "TyDiQA": r"TyDi\s?QA(?:-GoldP)?",
    "WikiANN": r"WikiANN|PAN-X",
    "UD-POS": r"UD-POS|UD\s+POS",
    "BUCC": r"BUCC",
    "Tatoeba": r"Tatoeba",
    "MultiNLI": r"MultiNLI|MNLI",
    "SQuAD": r"SQuAD(?:\s?v?[12](?:\.[01])?)?",
    "SuperGLUE": r"SuperGLUE",
    "GLUE": r"GLUE",
    "SNLI": r"SNLI",
    "XCOPA": r"XCOPA",
    "MARC": r"MARC",
    "FLORES": r"FLORES(?:-\d+)?",
    "WMT": r"WMT(?:'?\d{2})?",
    "CoNLL": r"CoNLL(?:-\d{4})?",
    "SciFact": r"SciFact",
    "CLIMATE-FEVER": r"CLIMATE-FEVER|Climate-FEVER",
    "FEVER": r"FEVER",
    "HealthVer": r"HealthVer",
    "COVID-Fact": r"COVID-Fact",
    "SciTab": r"SciTab",
    # Widely used benchmarks of neighbouring fields, so that figures in papers outside
    # cross-lingual NLP still get a dataset slot (still a closed list, see the module note).
    "ImageNet": r"ImageNet(?:-1[kK]|-21[kK]|-V2|-C|-R|-A)?",
    "CIFAR-10": r"CIFAR-?10(?!0)",
    "CIFAR-100": r"CIFAR-?100",
    "MNIST": r"(?:Fashion-)?MNIST",
    "COCO": r"(?:MS\s?)?COCO",
    "ADE20K": r"ADE20K",
    "Cityscapes": r"Cityscapes",
    "LibriSpeech": r"LibriSpeech",
    "Common Voice": r"Common\s+Voice",
    "WikiText-103": r"WikiText-?103",
    "Penn Treebank": r"Penn\s+Treebank|PTB",
    "LAMBADA": r"LAMBADA",
    "MMLU": r"MMLU(?:-Pro)?",
    "GSM8K": r"GSM-?8[Kk]",
    "HumanEval": r"HumanEval\+?",
    "MBPP": r"MBPP",
    "HellaSwag": r"HellaSwag",
    "WinoGrande": r"WinoGrande",
    "BoolQ": r"BoolQ",
    "TriviaQA": r"TriviaQA",
    "Natural Questions": r"Natural\s+Questions",
    "HotpotQA": r"HotpotQA",
    "MS MARCO": r"MS\s?MARCO",
    "BEIR": r"BEIR",
    "SST-2": r"SST-?2",
    "MRPC": r"MRPC",
    "QQP": r"QQP",
    "QNLI": r"QNLI",
    "RTE": r"RTE",
    "CoLA": r"CoLA",
    "STS-B": r"STS-?B",
    "GPQA": r"GPQA(?:-Diamond)?",
    "TruthfulQA": r"TruthfulQA",
    "BIG-bench": r"BIG-?[Bb]ench(?:\s+Hard)?|BBH",
    "SWE-bench": r"SWE-?bench(?:\s+Verified)?",
}

MODELS: dict[str, str] = {
    "XLM-R": r"XLM-R(?:oBERTa)?(?:[- ](?:large|base|XL|XXL))?",
    "mBERT": r"mBERT|[Mm]ultilingual\s+BERT|M-BERT",
    "XLM": r"XLM(?!-)",
    "mT5": r"mT5(?:-\w+)?",
    "InfoXLM": r"InfoXLM",
    "LaBSE": r"LaBSE",
    "LASER": r"LASER",
    "mBART": r"mBART",
    "RoBERTa": r"RoBERTa",
    "BERT": r"BERT(?:-(?:base|large))?",
    "GPT": r"GPT-?\d(?:\.\d)?(?:-\w+)?|ChatGPT",
    "TOGA": r"TOGA",
    "T5": r"T5(?:-(?:small|base|large|3B|11B))?",
    "LLaMA": r"L[Ll]a[Mm][Aa](?:[- ]?\d(?:\.\d)?)?(?:-\d+[BbMm])?",
    "Mistral": r"Mistral(?:-\d+[Bb])?",
    "PaLM": r"PaLM(?:\s?2)?",
    "ViT": r"ViT(?:-[BLHS](?:/\d+)?)?",
    "ResNet": r"ResNet(?:-?\d+)?",
    "CLIP": r"CLIP",
    "Whisper": r"Whisper",
}

SETTINGS: dict[str, str] = {
    "zero-shot": r"zero-shot",
    "few-shot": r"few-shot",
    "translate-train": r"translate-train(?:-all)?",
    "translate-test": r"translate-test",
    "generalized": r"generali[sz]ed\s+cross-lingual",
}

METHODS: dict[str, str] = {
    "robust training": r"robust\s+training",
    "adversarial training": r"adversarial\s+training",
    "randomized smoothing": r"randomi[sz]ed\s+smoothing|RS-DA|RS-RP",
    "data augmentation": r"data\s+augmentation",
    "intermediate fine-tuning": r"intermediate\s+(?:fine-tuning|training|task)",
    "fine-tuning": r"fine-tuning",
}

# Task families, for telling a claim about one task from evidence about another (read by
# :func:`find_tasks`, not by :func:`find_mentions`: a task is not a slot of a figure).
TASKS: dict[str, str] = {
    "question answering": r"question[\s-]+answering|QA|reading\s+comprehension",
    "text classification": r"(?:text|sentence|document)\s+classification|classification\s+tasks?",
    "natural language inference": r"natural\s+language\s+inference|NLI|textual\s+entailment",
    "named entity recognition": r"named[\s-]+entity\s+recognition|NER",
    "part-of-speech tagging": r"part-of-speech\s+tagging|POS\s+tagging",
    "machine translation": r"(?:neural\s+)?machine\s+translation|NMT",
    "summarization": r"(?:text\s+|abstractive\s+|extractive\s+)?summari[sz]ation",
    "paraphrase identification": r"paraphrase\s+(?:identification|detection)",
    "sentiment analysis": r"sentiment\s+(?:analysis|classification)",
    "dependency parsing": r"dependency\s+parsing",
    "semantic parsing": r"semantic\s+parsing",
    "relation extraction": r"relation\s+extraction",
    "sentence retrieval": r"(?:sentence|cross-lingual)\s+retrieval|bitext\s+mining",
    "language modeling": r"language\s+model(?:l)?ing",
    "speech recognition": r"speech\s+recognition|ASR",
    "image classification": r"image\s+classification",
    "object detection": r"object\s+detection",
    "semantic segmentation": r"semantic\s+segmentation",
    "code generation": r"code\s+generation",
    "dialogue": r"dialog(?:ue)?\s+(?:generation|systems?|modell?ing)",
    "sequence labeling": r"sequence\s+label(?:l)?ing|structured\s+prediction",
}
_TASK_RES = [
    (name, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I))
    for name, pattern in TASKS.items()
]


def find_tasks(text: str) -> set[str]:
    """The task families ``text`` names ("question answering", "text classification").

    Args:
        text: a claim or a sentence.

    Returns:
        Canonical task names; abbreviations (QA, NLI, NER, ASR) count only in capitals.
    """
    found = set()
    for name, pattern in _TASK_RES:
        for m in pattern.finditer(text):
            word = m.group(0)
            if len(word) <= 4 and word != word.upper():
                continue  # "qa", "ner" in running text are not the abbreviations
            found.add(name)
            break
    return found


# ISO 639-1 code by English name; groups of this project's experiments keep their group name.
LANGUAGE_NAMES: dict[str, str] = {
    "English": "en",
    "German": "de",
    "French": "fr",
    "Spanish": "es",
    "Italian": "it",
    "Portuguese": "pt",
    "Dutch": "nl",
    "Chinese": "zh",
    "Mandarin": "zh",
    "Japanese": "ja",
    "Korean": "ko",
    "Russian": "ru",
    "Arabic": "ar",
    "Hindi": "hi",
    "Swahili": "sw",
    "Urdu": "ur",
    "Thai": "th",
    "Turkish": "tr",
    "Vietnamese": "vi",
    "Greek": "el",
    "Bulgarian": "bg",
    "Polish": "pl",
    "Czech": "cs",
    "Swedish": "sv",
    "Danish": "da",
    "Norwegian": "no",
    "Finnish": "fi",
    "Hungarian": "hu",
    "Romanian": "ro",
    "Catalan": "ca",
    "Indonesian": "id",
    "Bengali": "bn",
    "Tamil": "ta",
    "Telugu": "te",
    "Marathi": "mr",
    "Persian": "fa",
    "Hebrew": "he",
    "Ukrainian": "uk",
    "Estonian": "et",
    "Basque": "eu",
    "Yoruba": "yo",
    "Afrikaans": "af",
    "Malay": "ms",
    "Tagalog": "tl",
    "Georgian": "ka",
    "Kazakh": "kk",
    "Burmese": "my",
    "Javanese": "jv",
    "Romance": "romance",
    "Germanic": "germanic",
    "Slavic": "slavic",
}
# Two-letter codes that are also English words (it, is, no, as, ...) are never read as codes.
LANGUAGE_CODES = frozenset(
    words(
        "en de fr es pt nl zh ja ko ru ar hi sw ur th tr vi el bg pl cs sv da fi hu ro ca bn ta "
        "te mr fa uk et eu yo af ms tl ka kk jv"
    )
)


@dataclass(frozen=True)
class Mention:
    """A vocabulary name found in a text."""

    slot: str
    name: str
    start: int
    end: int


def _compile(table: dict[str, str], ignore_case: bool) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for name, pattern in table.items():
        flags = re.IGNORECASE if ignore_case and name not in _CASE_SENSITIVE else 0
        out.append((name, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", flags)))
    return out


_TABLES: list[tuple[str, list[tuple[str, re.Pattern[str]]]]] = [
    ("metric", _compile(METRICS, True)),
    ("dataset", _compile(DATASETS, False)),
    ("model", _compile(MODELS, False)),
    ("setting", _compile(SETTINGS, True)),
    ("method", _compile(METHODS, True)),
]
_LANG_NAME = re.compile(r"(?<![\w-])(" + "|".join(LANGUAGE_NAMES) + r")(?![\w])")
_LANG_CODE = re.compile(r"(?<![\w-])(" + "|".join(sorted(LANGUAGE_CODES)) + r")(?![\w-])")
_QUICK = re.compile(r"[A-Za-z]")


def find_mentions(text: str, codes: bool = False) -> list[Mention]:
    """Every vocabulary name in ``text``, earliest first, without overlaps.

    Args:
        text: a sentence, a table cell or a header.
        codes: also read bare ISO codes ("de", "sw"), which is safe in table headers only.

    Returns:
        Mentions with their slot (metric, dataset, model, setting, method, language).
    """
    if not _QUICK.search(text):
        return []
    found: list[Mention] = []
    for slot, table in _TABLES:
        for name, pattern in table:
            for m in pattern.finditer(text):
                # WMT keeps its year: WMT14 and WMT16 are different test sets.
                label = m.group(0).replace("'", "") if name == "WMT" else name
                found.append(Mention(slot, label, m.start(), m.end()))
    for m in _LANG_NAME.finditer(text):
        found.append(Mention("language", LANGUAGE_NAMES[m.group(1)], m.start(), m.end()))
    if codes:
        for m in _LANG_CODE.finditer(text):
            found.append(Mention("language", m.group(1), m.start(), m.end()))
    # Longest first at each position, then drop anything overlapping an earlier pick.
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    last_end = -1
    for mention in found:
        if mention.start >= last_end:
            out.append(mention)
            last_end = mention.end
    return out


@lru_cache(maxsize=16384)
def names_in(text: str, slots: frozenset[str]) -> frozenset[str]:
    """The vocabulary names of ``slots`` that ``text`` mentions (cached).

    The verifier's rules ask this of the same claim and evidence sentences several times a
    claim (names no passage has, names no one paper joins, the model a figure belongs to).

    Args:
        text: a sentence or a claim.
        slots: the slots to keep ("model", "dataset", ...).

    Returns:
        Their canonical names.
    """
    return frozenset(m.name for m in find_mentions(text) if m.slot in slots)

"""The merge test set: pairs of source records, same paper or not, with differing metadata.

Built here, deterministically (seeded), from BASE: titles, authors and years of real papers as
the benchmark's author remembers them; the identifiers (arXiv ids, DOIs, OpenAlex and S2 ids)
are synthetic but well formed. Each base paper yields three *duplicate* pairs (the same paper
as two sources describe it: case, punctuation, accents, HTML/LaTeX markup, dropped subtitle,
author-name forms, a truncated author list, a year off by one for preprint vs venue, missing
DOI / year / authors) and three *hard non-duplicates* (same title by other authors, same title
and authors years apart, Part I vs Part II, an erratum, a one-word change by the same authors,
a sequel). HARD_NON_DUPLICATES adds hand-written traps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from litcheck.retrieve.sources.base import SourceRecord

# (title, authors, year)
BASE: list[tuple[str, list[str], int]] = [
    (
        "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training",
        ["Kuan-Hao Huang", "Wasi Uddin Ahmad", "Nanyun Peng", "Kai-Wei Chang"],
        2021,
    ),
    (
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"],
        2019,
    ),
    (
        "Unsupervised Cross-lingual Representation Learning at Scale",
        ["Alexis Conneau", "Kartikay Khandelwal", "Naman Goyal", "Vishrav Chaudhary"],
        2020,
    ),
    (
        "XTREME: A Massively Multilingual Multi-task Benchmark for Evaluating Cross-lingual "
        "Generalization",
        ["Junjie Hu", "Sebastian Ruder", "Aditya Siddhant", "Graham Neubig"],
        2020,
    ),
    (
        "PAWS-X: A Cross-lingual Adversarial Dataset for Paraphrase Identification",
        ["Yinfei Yang", "Yuan Zhang", "Chris Tar", "Jason Baldridge"],
        2019,
    ),
    (
        "XNLI: Evaluating Cross-lingual Sentence Representations",
        ["Alexis Conneau", "Ruty Rinott", "Guillaume Lample", "Adina Williams"],
        2018,
    ),
    (
        "How Multilingual is Multilingual BERT?",
        ["Telmo Pires", "Eva Schlinger", "Dan Garrette"],
        2019,
    ),
    (
        "Certified Robustness to Adversarial Word Substitutions",
        ["Robin Jia", "Aditi Raghunathan", "Kerem Göksel", "Percy Liang"],
        2019,
    ),
    ("Cross-lingual Language Model Pretraining", ["Guillaume Lample", "Alexis Conneau"], 2019),
    (
        "Emerging Cross-lingual Structure in Pretrained Language Models",
        ["Alexis Conneau", "Shijie Wu", "Haoran Li", "Luke Zettlemoyer", "Veselin Stoyanov"],
        2020,
    ),
    (
        "Beto, Bentz, Becas: The Surprising Cross-Lingual Effectiveness of BERT",
        ["Shijie Wu", "Mark Dredze"],
        2019,
    ),
    (
        "English Intermediate-Task Training Improves Zero-Shot Cross-Lingual Transfer Too",
        ["Jason Phang", "Iacer Calixto", "Phu Mon Htut", "Yada Pruksachatkun"],
        2020,
    ),
    (
        "Intermediate-Task Transfer Learning with Pretrained Language Models: When and Why Does It "
        "Work?",
        ["Yada Pruksachatkun", "Jason Phang", "Haokun Liu", "Samuel R. Bowman"],
        2020,
    ),
    (
        "From Zero to Hero: On the Limitations of Zero-Shot Language Transfer with Multilingual "
        "Transformers",
        ["Anne Lauscher", "Vinit Ravishankar", "Ivan Vulić", "Goran Glavaš"],
        2020,
    ),
    (
        "Attention Is All You Need",
        ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit"],
        2017,
    ),
    (
        "Towards Deep Learning Models Resistant to Adversarial Attacks",
        ["Aleksander Madry", "Aleksandar Makelov", "Ludwig Schmidt", "Dimitris Tsipras"],
        2018,
    ),
    (
        "Certified Adversarial Robustness via Randomized Smoothing",
        ["Jeremy Cohen", "Elan Rosenfeld", "J. Zico Kolter"],
        2019,
    ),
    (
        "Explaining and Harnessing Adversarial Examples",
        ["Ian J. Goodfellow", "Jonathon Shlens", "Christian Szegedy"],
        2015,
    ),
    (
        "Counter-fitting Word Vectors to Linguistic Constraints",
        ["Nikola Mrkšić", "Diarmuid Ó Séaghdha", "Blaise Thomson", "Milica Gašić"],
        2016,
    ),
    (
        "Generating Natural Language Adversarial Examples",
        ["Moustafa Alzantot", "Yash Sharma", "Ahmed Elgohary", "Bo-Jhang Ho"],
        2018,
    ),
    (
        "Is BERT Really Robust? A Strong Baseline for Natural Language Attack on Text "
        "Classification and Entailment",
        ["Di Jin", "Zhijing Jin", "Joey Tianyi Zhou", "Peter Szolovits"],
        2020,
    ),
    (
        "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks",
        ["Nils Reimers", "Iryna Gurevych"],
        2019,
    ),
    (
        "Fact or Fiction: Verifying Scientific Claims",
        ["David Wadden", "Shanchuan Lin", "Kyle Lo", "Lucy Lu Wang"],
        2020,
    ),
    (
        "FEVER: a Large-scale Dataset for Fact Extraction and VERification",
        ["James Thorne", "Andreas Vlachos", "Christos Christodoulopoulos", "Arpit Mittal"],
        2018,
    ),
    (
        "A large annotated corpus for learning natural language inference",
        ["Samuel R. Bowman", "Gabor Angeli", "Christopher Potts", "Christopher D. Manning"],
        2015,
    ),
    (
        "Don't Stop Pretraining: Adapt Language Models to Domains and Tasks",
        ["Suchin Gururangan", "Ana Marasović", "Swabha Swayamdipta", "Kyle Lo"],
        2020,
    ),
    (
        "MAD-X: An Adapter-Based Framework for Multi-Task Cross-Lingual Transfer",
        ["Jonas Pfeiffer", "Ivan Vulić", "Iryna Gurevych", "Sebastian Ruder"],
        2020,
    ),
    (
        "Language-agnostic BERT Sentence Embedding",
        ["Fangxiaoyu Feng", "Yinfei Yang", "Daniel Cer", "Naveen Arivazhagan", "Wei Wang"],
        2022,
    ),
    (
        "Text Embeddings by Weakly-Supervised Contrastive Pre-training",
        ["Liang Wang", "Nan Yang", "Xiaolong Huang", "Binxing Jiao"],
        2022,
    ),
    (
        "MiniLM: Deep Self-Attention Distillation for Task-Agnostic Compression of Pre-Trained "
        "Transformers",
        ["Wenhui Wang", "Furu Wei", "Li Dong", "Hangbo Bao"],
        2020,
    ),
    (
        "On the Cross-lingual Transferability of Monolingual Representations",
        ["Mikel Artetxe", "Sebastian Ruder", "Dani Yogatama"],
        2020,
    ),
    (
        "Massively Multilingual Sentence Embeddings for Zero-Shot Cross-Lingual Transfer "
        "and Beyond",
        ["Mikel Artetxe", "Holger Schwenk"],
        2019,
    ),
    (
        "Réseaux de neurones pour la détection de la toxicité en français",
        ["Léa Dubois", "Émile Lefèvre", "Chloé Martin"],
        2023,
    ),
    ("Calibration of Pre-trained Transformers", ["Shrey Desai", "Greg Durrett"], 2020),
    (
        "On Calibration of Modern Neural Networks",
        ["Chuan Guo", "Geoff Pleiss", "Yu Sun", "Kilian Q. Weinberger"],
        2017,
    ),
    (
        "Deep Contextualized Word Representations",
        ["Matthew E. Peters", "Mark Neumann", "Mohit Iyyer", "Matt Gardner"],
        2018,
    ),
    (
        "RoBERTa: A Robustly Optimized BERT Pretraining Approach",
        ["Yinhan Liu", "Myle Ott", "Naman Goyal", "Jingfei Du"],
        2019,
    ),
    (
        "Parameter-Efficient Transfer Learning for NLP",
        ["Neil Houlsby", "Andrei Giurgiu", "Stanisław Jastrzębski", "Bruna Morrone"],
        2019,
    ),
    (
        "Composable Sparse Fine-Tuning for Cross-Lingual Transfer",
        ["Alan Ansell", "Edoardo Maria Ponti", "Anna Korhonen", "Ivan Vulić"],
        2022,
    ),
    (
        "InfoXLM: An Information-Theoretic Framework for Cross-Lingual Language Model Pre-Training",
        ["Zewen Chi", "Li Dong", "Furu Wei", "Nan Yang"],
        2021,
    ),
]

#: Words swapped for the "one word changed, same authors" non-duplicates.
SWAPS = {
    "zero-shot": "few-shot",
    "cross-lingual": "cross-domain",
    "robust": "efficient",
    "training": "inference",
    "language": "speech",
    "sentence": "document",
    "adversarial": "natural",
    "multilingual": "monolingual",
    "transfer": "generation",
    "bert": "gpt",
    "deep": "shallow",
    "pretraining": "finetuning",
    "pre-training": "fine-tuning",
    "calibration": "compression",
    "representations": "generation",
    "embeddings": "alignments",
    "benchmark": "toolkit",
    "dataset": "model",
    "scientific": "medical",
    "natural": "formal",
    "word": "character",
    "neural": "symbolic",
    "attention": "recurrence",
    "toxicite": "qualite",
}

OTHER_AUTHORS = [
    ["Maria Garcia", "Wei Zhang"],
    ["John Smith", "Aisha Bello", "Lars Nilsson"],
    ["Hiroshi Tanaka"],
    ["Olga Ivanova", "Pierre Durand"],
    ["Chen Li", "Priya Patel"],
]


@dataclass
class Pair:
    """Two records and whether they are the same paper."""

    a: SourceRecord
    b: SourceRecord
    same: bool
    case: str


def _ids(i: int, variant: str) -> dict[str, Any]:
    return {
        "arxiv": f"{19 + i % 6:02d}{(i % 12) + 1:02d}.{10000 + i * 37:05d}",
        "doi": f"10.18653/v1/{variant}.{i:03d}",
        "openalex": f"W{3000000000 + i * 101}",
        "s2": f"{i:040x}",
    }


def _rec(source: str, sid: str, **kw: Any) -> SourceRecord:
    ids = {"openalex": "openalex_id", "s2": "s2_id"}
    extra = {ids[source]: sid} if source in ids else {}
    return SourceRecord(source=source, source_id=sid, **extra, **kw)  # type: ignore[arg-type]


def _initials(name: str) -> str:
    parts = name.split()
    return " ".join([p[0] + "." for p in parts[:-1]] + parts[-1:])


def _comma(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}"


def _strip_accents(text: str) -> str:
    from litcheck.retrieve.sources.base import ascii_fold

    return ascii_fold(text)


def _title_variants(title: str, rng: random.Random) -> list[tuple[str, str]]:
    out = [
        ("upper case", title.upper()),
        ("lower case", title.lower()),
        ("punctuation", title.replace(":", " -").replace("-", " ") + "."),
        ("accents", _strip_accents(title)),
        ("html markup", f"<i>{title.split()[0]}</i> " + " ".join(title.split()[1:])),
        ("latex markup", title.replace("BERT", "{BERT}").replace("Zero", "{Z}ero") + " "),
        ("and/&", title.replace(" and ", " & ") if " and " in title else title.replace(",", "")),
        (
            "spelling",
            title.replace("ization", "isation").replace("izing", "ising")
            if "iz" in title
            else title.replace("Pretraining", "Pre-training"),
        ),
    ]
    if ":" in title:
        out.append(("subtitle dropped", title.split(":", 1)[0]))
    rng.shuffle(out)
    return out


def duplicate_pairs(seed: int = 7) -> list[Pair]:
    """Three pairs per base paper: the same paper as two sources describe it."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for i, (title, authors, year) in enumerate(BASE):
        ids = _ids(i, "main")
        variants = _title_variants(title, rng)
        # 1. arXiv preprint (year - 1 sometimes) vs OpenAlex venue record, no shared id.
        case, t2 = variants[0]
        a = _rec(
            "arxiv",
            ids["arxiv"],
            title=title,
            authors=authors,
            year=year - (i % 2),
            arxiv_id=ids["arxiv"],
        )
        b = _rec(
            "openalex",
            ids["openalex"],
            title=t2,
            authors=[_strip_accents(n) for n in authors],
            year=year,
            doi=ids["doi"],
            venue="Proceedings of EMNLP",
        )
        pairs.append(
            Pair(
                a,
                b,
                True,
                f"arXiv vs OpenAlex, no shared id; title {case}; "
                f"year {'-1' if i % 2 else 'same'}; accents in names",
            )
        )
        # 2. OpenAlex vs S2 sharing a DOI, differing title formatting and author forms.
        case, t3 = variants[1]
        a = _rec(
            "openalex",
            ids["openalex"],
            title=title.upper(),
            authors=authors,
            year=year,
            doi=ids["doi"],
            citation_count=100 + i,
        )
        b = _rec(
            "s2",
            ids["s2"],
            title=t3,
            authors=[_initials(n) for n in authors],
            year=None if i % 3 == 0 else year,
            doi=ids["doi"].upper() and ids["doi"],
            citation_count=120 + i,
            venue="EMNLP",
        )
        pairs.append(Pair(a, b, True, f"OpenAlex vs S2 by DOI; title {case}; initials"))
        # 3. S2 without DOI vs arXiv: title variant, comma names, truncated author list.
        case, t4 = variants[2]
        a = _rec(
            "s2",
            ids["s2"],
            title=t4,
            authors=[_comma(n) for n in authors[:2]],
            year=year + (1 if i % 4 == 0 else 0),
            venue="ArXiv",
        )
        b = _rec(
            "arxiv",
            ids["arxiv"],
            title=title,
            authors=[] if i % 5 == 0 else authors,
            year=year,
            arxiv_id=ids["arxiv"],
        )
        pairs.append(
            Pair(
                a,
                b,
                True,
                f"S2 without ids vs arXiv; title {case}; comma names, "
                "truncated authors" + ("; arXiv authors missing" if i % 5 == 0 else ""),
            )
        )
    return pairs


def _swap_word(title: str) -> str | None:
    words = title.split()
    for k, w in enumerate(words):
        key = w.lower().strip(":,?")
        from litcheck.retrieve.sources.base import ascii_fold

        key = ascii_fold(key)
        if key in SWAPS:
            repl = SWAPS[key]
            repl = repl.capitalize() if w[0].isupper() else repl
            words[k] = repl + (w[-1] if w[-1] in ":,?" else "")
            return " ".join(words)
    return None


def non_duplicate_pairs(seed: int = 11) -> list[Pair]:
    """Three hard non-duplicates per base paper, plus the hand-written traps."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for i, (title, authors, year) in enumerate(BASE):
        ids = _ids(i, "main")
        other = _ids(i + 500, "other")
        kind = i % 3
        base = _rec(
            "arxiv", ids["arxiv"], title=title, authors=authors, year=year, arxiv_id=ids["arxiv"]
        )
        # a. same title, other authors, same or adjacent year, no ids in common
        pairs.append(
            Pair(
                base,
                _rec(
                    "openalex",
                    other["openalex"],
                    title=title,
                    authors=rng.choice(OTHER_AUTHORS),
                    year=year + rng.choice([0, 1]),
                    doi=other["doi"],
                ),
                False,
                "same title, different authors",
            )
        )
        # b. by kind: same title+authors years apart / Part I vs II / erratum
        if kind == 0:
            b = _rec("s2", other["s2"], title=title, authors=authors, year=year + 3)
            case = "same title and authors, 3 years apart"
            a = base
        elif kind == 1:
            a = _rec(
                "openalex",
                ids["openalex"],
                title=f"{title}: Part I",
                authors=authors,
                year=year,
                doi=ids["doi"],
            )
            b = _rec("s2", other["s2"], title=f"{title}: Part II", authors=authors, year=year)
            case = "Part I vs Part II"
        else:
            a = _rec("openalex", ids["openalex"], title=title, authors=authors, year=year)
            b = _rec("s2", other["s2"], title=f"Correction to: {title}", authors=authors, year=year)
            case = "erratum"
        pairs.append(Pair(a, b, False, case))
        # c. one word changed (same authors, same year) or a sequel
        swapped = _swap_word(title)
        if swapped is not None:
            pairs.append(
                Pair(
                    base,
                    _rec("s2", other["s2"], title=swapped, authors=authors, year=year),
                    False,
                    "one word changed, same authors and year",
                )
            )
        else:
            pairs.append(
                Pair(
                    base,
                    _rec(
                        "openalex",
                        other["openalex"],
                        title=f"{title} 2",
                        authors=authors,
                        year=year + 1,
                    ),
                    False,
                    "sequel ('... 2'), same authors",
                )
            )
    pairs.extend(HARD_NON_DUPLICATES)
    return pairs


def _p(
    t1: str,
    a1: list[str],
    y1: int | None,
    t2: str,
    a2: list[str],
    y2: int | None,
    case: str,
    **kw2: Any,
) -> Pair:
    return Pair(
        _rec("openalex", f"W9{abs(hash((t1, y1))) % 10**8}", title=t1, authors=a1, year=y1),
        _rec("s2", f"{abs(hash((t2, y2))) % 16**40:040x}", title=t2, authors=a2, year=y2, **kw2),
        False,
        case,
    )


HARD_NON_DUPLICATES: list[Pair] = [
    _p(
        "Deep Learning",
        ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"],
        2015,
        "Deep Learning",
        ["Ian Goodfellow", "Yoshua Bengio", "Aaron Courville"],
        2016,
        "generic title, one shared author, adjacent years",
    ),
    _p(
        "Findings of the 2019 Conference on Machine Translation (WMT19)",
        ["Loïc Barrault", "Ondřej Bojar"],
        2019,
        "Findings of the 2020 Conference on Machine Translation (WMT20)",
        ["Loïc Barrault", "Ondřej Bojar"],
        2020,
        "yearly shared-task reports",
    ),
    _p(
        "Language Models are Unsupervised Multitask Learners",
        ["Alec Radford", "Jeffrey Wu"],
        2019,
        "Language Models are Few-Shot Learners",
        ["Tom B. Brown", "Alec Radford"],
        2020,
        "sequel with one word changed",
    ),
    _p(
        "GPT-2 Output Detection",
        ["Ana Lopez"],
        2020,
        "GPT-3 Output Detection",
        ["Ana Lopez"],
        2020,
        "version number in title",
    ),
    _p("Introduction", [], 2021, "Introduction", [], 2021, "generic title without authors"),
    _p(
        "Editorial",
        ["Jane Doe"],
        2020,
        "Editorial",
        ["Jane Doe"],
        2020,
        "generic one-word title (same editor, same year, different issues)",
        doi="10.1000/ed.2020.2",
    ),
    _p(
        "Comment on 'Attention Is All You Need'",
        ["Max Mustermann"],
        2018,
        "Attention Is All You Need",
        ["Ashish Vaswani", "Noam Shazeer"],
        2017,
        "comment paper",
    ),
    _p(
        "Reply to: Certified Robustness to Adversarial Word Substitutions",
        ["Robin Jia"],
        2020,
        "Certified Robustness to Adversarial Word Substitutions",
        ["Robin Jia", "Percy Liang"],
        2019,
        "reply by the same author",
    ),
    _p(
        "XNLI 2.0: Improving XNLI dataset and performance on Cross Lingual Understanding",
        ["Ankit Upadhyay", "Harsit Kumar Upadhya"],
        2023,
        "XNLI: Evaluating Cross-lingual Sentence Representations",
        ["Alexis Conneau"],
        2018,
        "dataset v2 paper",
    ),
    _p(
        "Robust Training for Zero-Shot Cross-Lingual Transfer",
        ["Kuan-Hao Huang"],
        2021,
        "Robust Training for Few-Shot Cross-Lingual Transfer",
        ["Kuan-Hao Huang"],
        2021,
        "zero-shot vs few-shot, same author and year",
    ),
    _p(
        "Cross-lingual Transfer: A Survey",
        ["Sebastian Ruder", "Anders Søgaard"],
        2019,
        "Cross-lingual Transfer",
        ["Mikel Artetxe", "Gorka Labaka"],
        2019,
        "survey subtitle, other authors",
    ),
    _p(
        "Neural Machine Translation",
        ["Philipp Koehn"],
        2017,
        "Neural Machine Translation",
        ["Philipp Koehn"],
        2020,
        "draft chapter vs book, three years apart",
    ),
    _p(
        "Multilingual BERT",
        ["Anna Schmidt", "Jonas Weber"],
        2021,
        "Multilingual BERT",
        ["Kenji Sato"],
        2021,
        "short title, different authors, same year",
    ),
    _p(
        "Toxicity Detection in French Social Media",
        ["Léa Dubois"],
        2023,
        "Toxicity Detection in German Social Media",
        ["Léa Dubois"],
        2023,
        "language name changed, same author",
    ),
    _p(
        "Sparse Fine-Tuning of Multilingual Encoders",
        ["Alan Ansell", "Ivan Vulić"],
        2022,
        "Dense Fine-Tuning of Multilingual Encoders",
        ["Alan Ansell", "Ivan Vulić"],
        2022,
        "antonym swap, same authors",
    ),
    _p(
        "Zero-Shot Cross-Lingual Transfer with Meta Learning",
        ["Farhad Nooralahzadeh"],
        2020,
        "Zero-Shot Cross-Lingual Transfer with Meta Learning",
        ["Farhad Nooralahzadeh"],
        2020,
        "same title, authors and year but distinct DOIs (conference vs journal)",
        doi="10.1000/journal.2020.77",
    ),
]
# The last trap needs a DOI on both sides to be a distinct work.
HARD_NON_DUPLICATES[-1] = Pair(
    HARD_NON_DUPLICATES[-1].a.model_copy(update={"doi": "10.18653/v1/2020.emnlp-main.368"}),
    HARD_NON_DUPLICATES[-1].b,
    False,
    HARD_NON_DUPLICATES[-1].case,
)


def all_pairs() -> list[Pair]:
    """Duplicates first, then non-duplicates."""
    return duplicate_pairs() + non_duplicate_pairs()

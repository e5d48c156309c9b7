"""``litcheck reverify``: every figure of a report beside the runs that measured it.

A report is read into *units* (a claim row, a sentence, or one numeric cell of a results table
with its row and column labels). Each figure of a unit that names something the experiments
measure (a task, a metric, a method, an intermediate subset, a language or language group) is
matched to a slot of the runs grid and compared with the mean over seeds and its 95% t-interval:

- a value: CONFIRMED when it lies inside the interval, widened by half a unit of the figure's
  last written digit (74.4 -> ±0.05 points); REFUTED otherwise;
- a delta ("+2.1 points", "improves by 1.6"): CONFIRMED when its sign agrees with the measured
  difference's mean and its size lies inside that difference's interval (widened likewise);
- UNMATCHED, with the reason, when the claim names a slot no run measured, or is ambiguous.

Percentages and fractions are the same thing: 74.4%, 74.4 and 0.744 are all read as 0.744.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from litcheck.console import progress
from litcheck.errors import BadInputError
from litcheck.report.models import MeasuredFigure, Measurement, Report, ReverifyReport, Slot
from litcheck.report.runs import TRANSFER_GAP, RunsIndex, load_runs, t_interval

DIMENSIONS = ("task", "metric", "language", "method", "intermediate")

#: What a claim means when it does not name a dimension (only used if the runs measured it).
DEFAULTS = {"metric": "accuracy", "method": "plain", "intermediate": "none"}


@dataclass(frozen=True)
class Unit:
    """A piece of a report that may state figures.

    Attributes:
        text: the sentence, claim or table cell with its labels.
        line: line number in the report (from 1), when known.
        context: surrounding headings / table title, used only for dimensions the text itself
            does not name.
        figure_at: for a table cell, where the cell's own value starts in ``text``.
    """

    text: str
    line: int | None = None
    context: str = ""
    figure_at: int = 0  # figures before this offset are labels, not the unit's own figure
    percent: bool = False  # a table cell under a "%" or "points" header: bare numbers are %
    delta: bool = False  # a table cell under a difference header ("Δ vs plain", "gain")


@dataclass(frozen=True)
class Figure:
    """A number in a unit, read as a fraction."""

    text: str
    start: int
    end: int
    kind: str  # value | delta
    reported: float
    tolerance: float


@dataclass(frozen=True)
class Mention:
    """A dimension value named in a unit's text: ``values`` are its possible readings."""

    dim: str
    values: tuple[str, ...]
    start: int
    end: int
    comparator: bool = False  # preceded by 'over', 'than', 'vs', 'compared to', ...
    pooled: bool = False  # a list of settings whose runs are pooled ("plain + RS-RP (pooled)")


# -- vocabulary -----------------------------------------------------------------------------

_I = re.IGNORECASE
TASK_PATTERNS: list[tuple[str, tuple[str, ...]]] = [
    (r"paws[\s_-]?x", ("pawsx",)),
    (r"\bxnli\b", ("xnli",)),
]
METRIC_PATTERNS: list[tuple[str, tuple[str, ...]]] = [
    # The generalized setting (a pair's sentences in two languages) before plain "accuracy",
    # so that "generalized accuracy" is not read as the standard zero-shot figure.
    (
        r"acc(?:uracy)?\s+in\s+the\s+generali[sz]ed(?:\s+cross[\s-]lingual)?(?:\s+transfer)?"
        r"\s+setting|generali[sz]ed(?:[\s-]+cross[\s-]lingual)?(?:[\s-]+transfer)?"
        r"(?:[\s-]+setting)?(?:[\s-]+acc(?:uracy)?\b)?",
        ("generalized_accuracy",),
    ),
    # English minus zero-shot accuracy (derived by the runs index); its spelled-out definition
    # is part of the name, so "English" there is not read as the language of the figure.
    (
        r"\btransfer\s+gap\b(?:\s*\(?\s*(?:en|english)\s*(?:−|–|-|minus)\s*"
        r"zero[\s-]?shot(?:\s+acc(?:uracy)?)?)?|\bgap\s+en\b",
        ("transfer_gap",),
    ),
    (
        r"robust(?:ness)?[\s_-]+acc(?:uracy)?\b|\brobust(?=\s+en\b|\s*\()|\brobustness\b",
        ("robust_accuracy",),
    ),
    (
        r"acc(?:uracy)?\s+under\s+(?:the\s+)?(?:synonym\s+|word[\s-]substitution\s+)?attacks?",
        ("robust_accuracy",),
    ),
    (r"adversarial\s+accuracy", ("robust_accuracy",)),
    (
        r"\b(?:under|against)\s+(?:the\s+|a\s+|an\s+)?(?:random\s+)?(?:synonym[\s-]+|word[\s-]+)?"
        r"(?:substitution[\s-]+|adversarial[\s-]+)?attacks?\b",
        ("robust_accuracy",),
    ),
    (r"dev(?:elopment)?[\s_-]+(?:set\s+)?acc(?:uracy)?\b", ("dev_accuracy",)),
    (r"\baccuracy\b|\bacc\.?(?=[\s:;,)|]|$)", ("accuracy",)),
    (
        r"\bF1\b|\bBLEU\b|\bexact match\b|\bEM\b|κ|\b[Kk]appa\b|[Cc]orrelation|\bPearson|"
        r"\bSpearman|ρ|\bAUC\b|\b[Pp]erplexity\b|\bMRR\b|\bnDCG|\bMAP\b|\bR@\d",
        ("<other>",),
    ),
    # English minus zero-shot accuracy: derived, no results row states it
]
METHOD_PATTERNS: list[tuple[str, tuple[str, ...]]] = [
    (r"\brs[\s_-]?da\b|randomi[sz]ed\s+smoothing\s+with\s+data\s+augmentation", ("rs_da",)),
    (r"\brs[\s_-]?rp\b|randomi[sz]ed\s+smoothing\s+with\s+random\s+perturbations?", ("rs_rp",)),
    # "AT" only in capitals in prose ("at" is a preposition); a "method: at" label is explicit.
    (r"(?i:adversarial\s+training)|\bAT\b(?![-\w])|(?<=[Mm]ethod: )at\b", ("at",)),
    (
        r"\bplain\b|standard\s+fine[\s-]?tuning|vanilla|without\s+robust\s+training|"
        r"no\s+robust\s+training|non[\s-]robust",
        ("plain",),
    ),
    (r"robust\s+training|randomi[sz]ed\s+smoothing", ("rs_da", "rs_rp")),
]
GROUP = r"(romance|germanic(?:[\s_+-]*(?:and\s+|\+\s*)?(?:en|english)\b)?|english)"
INTERMEDIATE_PATTERNS: list[tuple[str, str]] = [
    (
        r"\bno\s+intermediate|without\s+(?:an?\s+)?intermediate|without\s+(?:an?\s+)?stage\b",
        "none",
    ),
    (r"intermediate[\s_]*[=:]\s*" + r"(none|romance|germanic_en|germanic|english)", ""),
    (
        r"intermediate\s+(?:fine[\s-]?tuning|training|stage|task\s+training)?\s*"
        r"(?:on|with|in|using|over)\s+(?:the\s+)?" + GROUP,
        "",
    ),
    (GROUP + r"(?:\s+languages?)?[\s-]+intermediate", ""),
    (
        r"(?:fine[\s-]?tun(?:ed|ing)|trained|training)\s+(?:first\s+)?on\s+(?:the\s+)?"
        + GROUP
        + r"(?:\s+(?:languages|subset))",
        "",
    ),
    (GROUP + r"[\s-]+(?:subset|stage)", ""),
    (GROUP + r"[\s-]+(?:fine[\s-]?)?(?:tuned|trained)\b", ""),
    (r"\bintermediate\s+" + GROUP, ""),
    (r"\bgermanic_en\b", "germanic_en"),
    # "Δ vs none": the subset compared with, in a column header
    (r"(?<=vs )none\b|(?<=vs\. )none\b|(?<=over )none\b", "none"),
]
_METHOD_WORD = r"(?:plain|rs[\s_-]?da|rs[\s_-]?rp|AT\b|at\b)"
#: Methods whose runs a figure pools: "plain + RS-RP (pooled)", "plain and RS-RP runs pooled".
_POOLED_METHODS = (
    rf"\b({_METHOD_WORD}(?:\s*(?:\+|,|\band\b)\s*{_METHOD_WORD})+)\s*"
    r"(?:\(pooled\)|runs\s+pooled\b)"
)
_SUBSET = r"(none|romance|germanic_en|germanic|english)"
_SUBSET_COMPARISON = (
    r"intermediate[\s_]*[=:]\s*" + _SUBSET + r"\s*(?:−|–|-|vs\.?|versus)\s*" + _SUBSET + r"\b"
)
LANGUAGE_NAMES = {
    "english": "en",
    "german": "de",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "romanian": "ro",
    "catalan": "ca",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "arabic": "ar",
    "bulgarian": "bg",
    "greek": "el",
    "hindi": "hi",
    "russian": "ru",
    "swahili": "sw",
    "thai": "th",
    "turkish": "tr",
    "urdu": "ur",
    "vietnamese": "vi",
}
LANGUAGE_GROUP_PATTERNS: list[tuple[str, str]] = [
    (
        r"zero[\s-]?shot\s+(?:average|mean|languages|targets|target\s+languages|transfer)"
        r"|non[\s-]english|cross[\s-]lingual\s+transfer"
        r"|\b(?:\d+\s+)?target\s+languages\b",
        "zero_shot",
    ),
    (
        r"\ball\s+(?:\w+\s+)?languages|xtreme[\s-]+average|average\s+over\s+(?:all\s+)?languages",
        "all",
    ),
    (r"\bother\s+languages", "other"),
    (r"\bzero_shot\b", "zero_shot"),
    (r"\b(romance|germanic)\s+(?:target\s+)?(?:languages|targets)\b", ""),
]
COMPARATOR = re.compile(
    r"(?:\bover|\bthan|\bvs\.?|\bversus|compared\s+(?:to|with)|relative\s+to|\bagainst|"
    r"\bbaseline\s*(?:of|:)?)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}$",
    _I,
)
NEGATIVE = re.compile(
    r"\b(drops?|decreas\w*|lower\w*|worse|degrad\w*|hurts?|reduc\w*|loses?|fall\w*|declin\w*|"
    r"falls?\s+short|below|narrow\w*|shrink\w*|clos(?:es|ed|ing)\b|trail\w*|lags?\b|lagging|"
    r"behind|underperform\w*|less\b|costs?\b|costing)\b",
    _I,
)
DELTA_WORDS = re.compile(
    r"\b(improv\w*|gain\w*|increas\w*|boost\w*|higher|better|outperform\w*|drops?|decreas\w*|"
    r"lower|worse|degrad\w*|hurts?|reduc\w*|loses?|gap|difference|delta)\b",
    _I,
)

_POOLED_MEAN = re.compile(
    r"\bpooled\b|\b(?:averaged|pooled|mean|average)\s+(?:over|across)\s+(?:all\s+|the\s+)*"
    r"(?:methods|(?:intermediate\s+)?subsets|conditions)\b|\ball\s+(?:four\s+)?methods\b",
    _I,
)
#: Encoder families a claim may name; a figure about one the runs did not use is not theirs.
MODEL_PATTERNS: list[tuple[str, str]] = [
    (r"\bm-?BERT\b|multilingual[\s-]+BERT\b|bert-base-multilingual", "mBERT"),
    (r"\bXLM-?R(?:oBERTa)?\b|xlm-roberta", "XLM-R"),
    (r"\bmultilingual-e5\b|\bm?E5(?:-(?:small|base|large))?\b", "multilingual-e5"),
    (r"\bmT5\b", "mT5"),
    (r"\bmDeBERTa", "mDeBERTa"),
    (r"\bLaBSE\b", "LaBSE"),
    (r"\bmBART\b", "mBART"),
]


def model_families(text: str) -> set[str]:
    """The encoder families ``text`` names (mBERT, XLM-R, multilingual-e5, ...)."""
    return {fam for pat, fam in MODEL_PATTERNS if re.search(pat, text, _I)}


def _other_model(unit: Unit, fig: Figure, runs: RunsIndex) -> str:
    """Why the figure is about another encoder than the runs used ('' when it is not): the
    encoder named in its clause, else in its unit, else in the headings above it."""
    if not runs.encoders:
        return ""
    a, b = _clause(unit.text, fig.start)
    named = (
        model_families(unit.text[a:b]) or model_families(unit.text) or model_families(unit.context)
    )
    if not named:
        return ""
    used = set().union(*(model_families(e) or {e} for e in runs.encoders))
    if named & used:
        return ""
    return (
        f"the claim is about {', '.join(sorted(named))}; the runs used "
        f"{', '.join(sorted(runs.encoders))}"
    )


#: Words that make a transfer-gap figure a change of the gap rather than its value.
_GAP_CHANGE = re.compile(
    r"\b(?:by|improv\w*|gain\w*|increas\w*|boost\w*|higher|better|outperform\w*|drops?|"
    r"decreas\w*|lower\w*|worse|degrad\w*|hurts?|reduc\w*|narrow\w*|widen\w*|shrink\w*|"
    r"clos\w*|smaller|larger)\b",
    _I,
)
#: A difference of differences (a method's gain in one setting minus its gain in another).
_DIFF_IN_DIFF = re.compile(
    r"generali[sz]ed\s+minus\s+zero[\s-]?shot|zero[\s-]?shot\s+minus\s+generali[sz]ed|"
    r"difference[\s-]+in[\s-]+differences|Δ\s*gain\b",
    _I,
)
_POOLED = re.compile(_POOLED_MEAN.pattern + r"|\bpaired\s+(?:tests?|runs|bootstrap)\b", _I)
_NOT_A_FIGURE_AFTER = re.compile(r"\s*(?:CI\b|confidence|conf\.|interval|significance)", _I)
_NUMBER = re.compile(
    r"(?P<sign>[+\-−])?(?P<num>\d+(?:\.\d+)?)"
    r"(?P<err>\s?(?:±|\+/-|\+-)\s?\d+(?:\.\d+)?)?"
    r"(?:[\s-]?(?P<unit>\\?%|percentage[\s-]+points?|points?\b|pts\b\.?|pp\b))?"
)
_INTERVAL_BEFORE = re.compile(
    r"\b(?:CI|confidence\s+interval|interval)\s*[:=]?\s*"
    r"(?:[-−+]?\d+(?:\.\d+)?\s*%?\s*(?:–|—|-|to|,)\s*)?$",
    re.IGNORECASE,
)
#: A spread after a figure: "44.4 (0.8)", "43.3 (±1.6)", "57.6 (sd 0.0)".
_SPREAD_BEFORE = re.compile(
    r"\d%?\s*\(\s*(?:(?:±|\+/-|\+-)|(?:s\.?d\.?|std\.?|stdev|s\.?e\.?|sem)\s*[:=]?)?\s*$",
    re.IGNORECASE,
)
_CHANGE_AFTER = re.compile(
    r"\s*(?:lower|higher|better|worse|more|less|above|below)\b", re.IGNORECASE
)
_SKIP_BEFORE = re.compile(
    r"(?:table|tab\.|section|sec\.|§|figure|fig\.|seeds?|steps?|epochs?|top|k\s*=|n\s*=|"
    r"batch(?:\s+size)?|arxiv:?|v|lr|equation|eq\.|layer|rank)\s*$",
    _I,
)
_SKIP_AFTER = re.compile(
    r"^\s*(?:seeds?|steps?|epochs?|runs?|languages?|papers?|examples?|pairs?|items?|"
    r"sentences?|claims?|tokens?|layers?|heads?|samples?|words?|[MBK]\b|x\b|×|/\s*10\b|"
    r"st\b|nd\b|rd\b|th\b|ms\b|s\b|GB\b|GiB\b|MB\b|minutes?|hours?|params?)",
    _I,
)


# -- reading reports ------------------------------------------------------------------------


@dataclass
class ReportUnits:
    """A report read into units."""

    kind: str  # litcheck-json | litcheck-markdown | table | prose
    units: list[Unit] = field(default_factory=list)


_ABBREV = re.compile(r"(?:\b(?:vs|e\.g|i\.e|et al|Fig|Tab|Sec|cf|approx|resp|Eq)\.)$", _I)


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split a paragraph into (offset, sentence) pairs, not at decimals or abbreviations."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z(\"“\d])", text):
        if _ABBREV.search(text[start : m.end()]):
            continue
        piece = text[start : m.end()].strip()
        if piece:
            out.append((start, piece))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append((start, tail))
    return out


def _md_cells(line: str) -> list[str]:
    body = line.strip().strip("|")
    return [c.strip() for c in re.split(r"(?<!\\)\|", body)]


def _is_separator(line: str) -> bool:
    return bool(
        re.fullmatch(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*|\s*\|\s*:?-+:?\s*\|\s*", line)
    )


def prose_units(text: str) -> list[Unit]:
    """Units of a free-form report: sentences of paragraphs and bullets, and table cells.

    A numeric cell of a Markdown table becomes ``"<row labels>; <column header>: <cell>"`` so
    that a results table (rows = settings, columns = task/language) is read like a sentence.
    """
    lines = text.splitlines()
    units: list[Unit] = []
    headings: list[str] = []
    para: list[tuple[int, str]] = []
    caption = ""  # the "Table 2: ..." paragraph just before a table
    last_para = ""

    def flush() -> None:
        if not para:
            return
        joined = " ".join(t for _, t in para)
        first = para[0][0]
        for offset, sentence in split_sentences(joined):
            # Line of the sentence: count characters through the joined lines.
            pos, line_no = 0, first
            for ln, t in para:
                if pos + len(t) >= offset:
                    line_no = ln
                    break
                pos += len(t) + 1
            units.append(Unit(sentence, line_no, " / ".join(headings)))
        nonlocal last_para
        last_para = joined
        para.clear()

    i = 0
    while i < len(lines):
        raw = lines[i]
        s = raw.strip()
        if s.startswith("#"):
            flush()
            last_para = ""
            level = len(s) - len(s.lstrip("#"))
            headings[:] = headings[: max(level - 1, 0)]
            headings.append(s.lstrip("#").strip())
            i += 1
            continue
        if s.startswith("```") or s.startswith("~~~"):
            # code is not a claim: skip the fenced block
            flush()
            fence = s[:3]
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                i += 1
            i += 1
            continue
        if "|" in s and i + 1 < len(lines) and _is_separator(lines[i + 1]):
            flush()
            # "Table 2: XNLI zero-shot accuracy (%) with RS-DA." names what the cells measure
            caption = last_para if _CAPTION.match(last_para) else ""
            context = " / ".join([*headings, caption] if caption else headings)
            header = _md_cells(s)
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                cells = _md_cells(lines[i])
                labels = [
                    f"{header[j]}: {c}" if j < len(header) and header[j] else c
                    for j, c in enumerate(cells)
                    if c and not _numeric_cell(c) and not _PLACEHOLDER.fullmatch(c)
                ]
                for j, c in enumerate(cells):
                    col = header[j] if j < len(header) else ""
                    if _numeric_cell(c) and not _COUNT_COLUMN.match(col):
                        prefix = f"{'; '.join(labels)}; {col}: "
                        in_percent = bool(
                            _PERCENT_HEADER.search(
                                f"{col} {headings[-1] if headings else ''} {caption}"
                            )
                        )
                        units.append(
                            Unit(
                                prefix + c,
                                i + 1,
                                context,
                                figure_at=len(prefix),
                                percent=in_percent,
                                delta=bool(_DELTA_HEADER.search(col)),
                            )
                        )
                i += 1
            last_para = ""
            continue
        if not s or s.startswith("<!--"):
            flush()
            i += 1
            continue
        if re.match(r"([-*+]|\d+[.)])\s+", s):
            flush()
            s = re.sub(r"^([-*+]|\d+[.)])\s+", "", s)
        para.append((i + 1, s))
        i += 1
    flush()
    return units


_PERCENT_HEADER = re.compile(r"%|\bpoints\b|\bpts?\b|\bpp\b|\bpercent", re.IGNORECASE)
_DELTA_HEADER = re.compile(
    r"Δ|\bdelta\b|\bgain\b|\bdiff(?:erence)?\b|\bimprovement\b|\bchange\b|\bvs\.?\s|\bover\s",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^[*_]*\s*(?:table|tab\.)\s*\d*\s*[*_]*\s*[.:]", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\s*(?:[-–—]+|n/?a|none\s+measured|\?)\s*", re.IGNORECASE)
_COUNT_COLUMN = re.compile(
    r"\s*(?:(?:(?:holm|bonferroni|fdr)[\s-]*)?(?:adj(?:usted|\.)?|corrected)[\s-]+)?"
    r"(?:p|q)(?:[\s-]?values?|_\w{1,8})?(?:\s*\((?:holm|bonferroni|fdr|adj(?:usted|\.)?)\))?\s*$"
    r"|\s*(?:pairs|seeds|runs|n|#|steps|count|step|sd|s\.d\.|std|stdev|std\.?\s*dev\.?|se|sem|"
    r"s\.e\.)\s*$",
    re.IGNORECASE,
)


def _numeric_cell(cell: str) -> bool:
    return bool(
        re.fullmatch(
            r"[*_]*[+\-−]?\d+(?:\.\d+)?\s?(?:\\?%|pp|pts?|points?)?"
            r"(?:\s?(?:±|\+/-)\s?\d+(?:\.\d+)?)?\s?%?[*_]*[†‡*]*(?:\s*\[[^\]]*\])?(?:\s*\([^)]*\))?",
            cell.strip(),
        )
    )


def read_report(path: Path) -> ReportUnits:
    """Read a report file into units.

    Ours (JSON with our schema, or Markdown with our marker) is read by its structure; a
    foreign report's claims table is read with :func:`litcheck.extract.report_table.parse_report`;
    anything else is read as prose (sentences and table cells).

    Args:
        path: the report file.

    Returns:
        The units and which kind of report it was.

    Raises:
        BadInputError: when the file is missing, unreadable or empty.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInputError(f"The report {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"The report {path} cannot be read as UTF-8 text ({exc}).") from None
    if not text.strip():
        raise BadInputError(f"The report {path} is empty.")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            report = Report.model_validate_json(text)
        except ValidationError:
            try:
                json.loads(text)
            except json.JSONDecodeError as exc:
                raise BadInputError(f"The report {path} is not valid JSON ({exc}).") from None
            raise BadInputError(
                f"{path} is JSON but not a litcheck report (see data/schemas/report.schema.json)."
            ) from None
        units = [Unit(c.claim, None, c.source or "") for c in report.claims]
        return ReportUnits("litcheck-json", units)
    from litcheck.report.markdown import REPORT_MARKER

    if stripped.startswith(REPORT_MARKER):
        return ReportUnits("litcheck-markdown", _our_markdown_units(text))
    try:
        from litcheck.extract.report_table import parse_report

        parsed = parse_report(text, str(path))
        if parsed.rows:
            rows = [
                _claim_row_unit(r.text, r.extra, r.line, parsed.title or "") for r in parsed.rows
            ]
            # The rest of the report (its prose, other tables) states figures too.
            lo, hi = (
                _block_around(text, min(r.line for r in parsed.rows)),
                _block_end(text, max(r.line for r in parsed.rows)),
            )
            rest = [u for u in prose_units(text) if u.line is None or not lo <= u.line <= hi]
            return ReportUnits("table", rows + rest)
    except BadInputError:
        pass  # no claims table: read it as prose
    return ReportUnits("prose", prose_units(text))


def _claim_row_unit(text: str, extra: dict[str, str], line: int, title: str) -> Unit:
    """A claims-table row; when the claim states no figure, the row's figure cells
    ("Reported: 61.0%") are its figures."""
    if find_figures(text):
        return Unit(text, line, title)
    cells = [f"{k}: {v}" for k, v in extra.items() if v and _numeric_cell(v)]
    if not cells:
        return Unit(text, line, title)
    joined = f"{text}; " + "; ".join(cells)
    return Unit(joined, line, title, figure_at=len(text) + 2)


def _block_around(text: str, line: int) -> int:
    """First line (from 1) of the block of non-blank lines holding ``line``."""
    lines = text.splitlines()
    i = line - 1
    while i > 0 and lines[i - 1].strip():
        i -= 1
    return i + 1


def _block_end(text: str, line: int) -> int:
    """Last line (from 1) of the block of non-blank lines holding ``line``."""
    lines = text.splitlines()
    i = line - 1
    while i + 1 < len(lines) and lines[i + 1].strip():
        i += 1
    return i + 1


def _our_markdown_units(text: str) -> list[Unit]:
    lines = text.splitlines()
    units: list[Unit] = []
    in_claims = False
    for n, line in enumerate(lines, 1):
        if line.startswith("## "):
            in_claims = line.strip() == "## Claims"
            continue
        if in_claims and line.startswith("|") and not _is_separator(line):
            cells = _md_cells(line)
            if len(cells) >= 3 and cells[0].isdigit():
                units.append(Unit(cells[1].replace("\\|", "|"), n, cells[2]))
    return units


# -- figures and slots ----------------------------------------------------------------------


def find_figures(text: str, percent: bool = False, delta: bool = False) -> list[Figure]:
    """Accuracy-like figures in ``text``, read as fractions.

    A number counts when it has a unit (%, points, pp), or is a decimal (0.744, 74.4); bare
    integers, years, arXiv ids, section/table numbers and counts (3 seeds) do not.

    Args:
        text: a unit's text.
        percent: bare numbers are percentages or points (a table cell under a "%" header),
            so 0.8 there is 0.8 points, not 80%.
        delta: every number is a difference (a cell under "Δ vs plain" or "gain").

    Returns:
        Figures in reading order.
    """
    out: list[Figure] = []
    for m in _NUMBER.finditer(text):
        num = m.group("num")
        end = m.end()
        before = text[: m.start()]
        if re.search(r"(?:[^\W_]|\.)$", before) and not m.group("sign"):
            continue  # part of an identifier or a longer number (XLM-R2, v2, 1.2.3)
        if m.group("sign") and re.search(r"\w$", before):
            continue  # a range or a hyphenated identifier: 72-74, XLM-R-2
        if re.match(r"\d{4}\.\d{4,5}", text[m.start("num") :]) or re.match(
            r"[^\W_]|\.\d", text[end : end + 2]
        ):
            continue
        if _SKIP_BEFORE.search(before):
            continue
        if before.count("[") > before.count("]") or re.search(r"\bp\s*[=<>≤]\s*$", before):
            continue  # an interval's bound or a p-value, not a reported figure
        if _INTERVAL_BEFORE.search(before) or _SPREAD_BEFORE.search(before):
            continue  # "95% CI 39.3–47.4", "(95% CI: -2.8 to 1.2)"; a spread: "44.4 (0.8)"
        if _NOT_A_FIGURE_AFTER.match(text[end:]):
            continue  # "95% CI"
        unit = (m.group("unit") or "").strip().rstrip(".").lower()
        if not unit and _SKIP_AFTER.match(text[end:]):
            continue
        decimals = len(num.split(".")[1]) if "." in num else 0
        value = float(num)
        if not unit and decimals == 0:
            continue
        if unit == "" and (value > 100 or (decimals == 0 and value > 1)):
            continue
        sign = m.group("sign")
        before_clause = re.split(r"[;,:]", before)[-1] if before else ""
        explicit_by = bool(re.search(r"\bby\s*(?:about|around|roughly|~)?\s*$", before, _I))
        is_delta = bool(sign) or unit.startswith(("point", "pt", "pp", "percentage"))
        # "0.5% lower than Germanic": a difference stated in percent
        is_delta = is_delta or (unit == "%" and bool(_CHANGE_AFTER.match(text[end:]))) or delta
        is_delta = is_delta or (explicit_by and bool(DELTA_WORDS.search(before_clause)))
        percent_scale = bool(unit) or value > 1 or (is_delta and decimals <= 1) or percent
        if not unit and value <= 1 and decimals >= 2 and not percent:
            percent_scale = False
        scale = 0.01 if percent_scale else 1.0
        if unit == "" and not percent_scale and value > 1:
            continue
        if is_delta:
            negative = sign in ("-", "−") or (
                not sign and bool(NEGATIVE.search(before_clause + text[end : end + 40]))
            )
            value = -value if negative else value
        tol = 0.5 * 10 ** (-decimals) * scale
        out.append(
            Figure(
                text=text[m.start() : m.end()].strip(),
                start=m.start(),
                end=m.end(),
                kind="delta" if is_delta else "value",
                reported=round(value * scale, 10),
                tolerance=tol,
            )
        )
    return out


def find_mentions(text: str) -> list[Mention]:
    """Every task, metric, method, intermediate subset and language the text names."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(dim: str, values: tuple[str, ...], a: int, b: int, pooled: bool = False) -> None:
        taken.append((a, b))
        comp = bool(COMPARATOR.search(text[max(0, a - 60) : a]))
        # "moving from Romance to Germanic": the setting after "from" is the baseline
        comp = comp or bool(
            _FROM_BEFORE.search(text[max(0, a - 40) : a]) and _TO_AFTER.match(text, b)
        )
        mentions.append(Mention(dim, values, a, b, comp, pooled))

    for pattern, values in TASK_PATTERNS:
        for m in re.finditer(pattern, text, _I):
            add("task", values, m.start(), m.end())
    # A method joined to a subset ("RS-DA + Romance", "rs_da/romance") names the subset.
    for m in re.finditer(
        _METHOD_WORD + r"\s*(?:\+|/)\s*" + GROUP + r"\b(?!\s+(?:target\s+)?languages)", text, _I
    ):
        if free(m.start(1), m.end(1)):
            add("intermediate", (_group_value(m.group(1)),), m.start(1), m.end(1))
    # A labelled comparison ("intermediate: romance − germanic") names both of its subsets.
    for m in re.finditer(_SUBSET_COMPARISON, text, _I):
        for g in (1, 2):
            add("intermediate", (_group_value(m.group(g)),), m.start(g), m.end(g))
    for pat, fixed in INTERMEDIATE_PATTERNS:
        for m in re.finditer(pat, text, _I):
            if not free(m.start(), m.end()):
                continue
            value = fixed or _group_value(m.group(1))
            add("intermediate", (value,), m.start(), m.end())
    for pattern, values in METRIC_PATTERNS:
        flags = 0 if values == ("<other>",) else _I
        for m in re.finditer(pattern, text, flags):
            if free(m.start(), m.end()):
                add("metric", values, m.start(), m.end())
    for m in re.finditer(_POOLED_METHODS, text, _I):
        if free(m.start(), m.end()):
            words = re.findall(_METHOD_WORD, m.group(1), _I)
            names = tuple(dict.fromkeys(re.sub(r"[\s_-]", "", w).lower() for w in words))
            codes = tuple({"rsda": "rs_da", "rsrp": "rs_rp"}.get(n, n) for n in names)
            add("method", codes, m.start(), m.end(), pooled=True)
    for pattern, values in METHOD_PATTERNS:
        flags = 0 if "at" in values else _I
        for m in re.finditer(pattern, text, flags):
            if free(m.start(), m.end()):
                add("method", values, m.start(), m.end())
    for pat, fixed in LANGUAGE_GROUP_PATTERNS:
        for m in re.finditer(pat, text, _I):
            if free(m.start(), m.end()):
                value = fixed or m.group(1).lower()
                add("language", (value,), m.start(), m.end())
    for name, code in LANGUAGE_NAMES.items():
        for m in re.finditer(rf"\b{name}\b", text, _I):
            if free(m.start(), m.end()):
                add("language", (code,), m.start(), m.end())
    for m in re.finditer(
        r"\(([a-z]{2})\)|\b(?i:lang(?:uage)?)\s*[=:]\s*([a-z]{2})\b"
        r"|\b(?i:paws[\s_-]?x|xnli)\s*[/-]\s*([a-z]{2})\b",
        text,
    ):
        g = next(k for k in (1, 2, 3) if m.group(k))
        code = m.group(g)
        if code in LANGUAGE_NAMES.values() and free(m.start(g), m.end(g)):
            add("language", (code,), m.start(g), m.end(g))
    # Table labels: "de: 85.7", "zero-shot: 74.4", "robust en: 51.0".
    for m in re.finditer(
        r"(?:^|;\s*)(?:robust\s+)?([a-z]{2}|zero[\s-]shot|other|all)\s*(?:\(|:)", text
    ):
        code = m.group(1).replace(" ", "-")
        value = "zero_shot" if code.startswith("zero") else code
        if (value in ("zero_shot", "other", "all") or value in LANGUAGE_NAMES.values()) and free(
            m.start(1), m.end(1)
        ):
            add("language", (value,), m.start(1), m.end(1))
    has_intermediate_word = bool(re.search(r"intermediate", text, _I))
    # "intermediate: none" (a table label) settles the subset: bare group words are languages.
    explicit_intermediate = bool(re.search(r"intermediate[\s_]*[=:]", text, _I))
    for m in re.finditer(r"\b(romance|germanic)\b", text, _I):
        if free(m.start(), m.end()):
            as_subset = has_intermediate_word and not explicit_intermediate
            dim = "intermediate" if as_subset else "language"
            add(dim, (m.group(1).lower(),), m.start(), m.end())
    return sorted(mentions, key=lambda x: x.start)


def _group_value(word: str) -> str:
    w = word.lower()
    if w.startswith("germanic") and re.search(r"en", w[8:]):
        return "germanic_en"
    return w.split()[0] if w.startswith(("romance", "germanic", "english")) else w


# -- matching -------------------------------------------------------------------------------


@dataclass
class _Resolved:
    slot: Slot | None
    reason: str
    assumptions: list[str]
    #: for a pooled figure: every slot pooled (they differ only in the pooled dimensions)
    group: list[Slot] = field(default_factory=list)


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+|a\s+|an\s+)?$", _I)
_TO_AFTER = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:to|into)\b", _I)
#: A figure another paper reports ("Huang et al. (2021) report ...", "(66.3% in Hu et al.)").
_CITED = re.compile(
    r"\bet\s+al\.?,?\s*(?:\(?\d{4}[a-z]?\)?,?\s*)?(?:report|find|found|show|observe|obtain|achiev|"
    r"claim|measur|get|got)\w*|\bin\s+[A-Z][\w-]+(?:\s+et\s+al\.?|\s+and\s+[A-Z][\w-]+)",
)
#: Where a sentence turns from one setting to another ("72.1%, versus 70.0% for Germanic").
_CLAUSE_BREAK = re.compile(
    r"[;,]|\b(?:versus|vs\.?|compared\s+(?:to|with)|than|while|whereas|against)\b", _I
)


def _clause(text: str, pos: int) -> tuple[int, int]:
    """The span of the clause of ``text`` around ``pos``."""
    start, end = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() > pos:
            end = m.start()
            break
    return start, end


def _pick(mentions: Sequence[Mention], fig: Figure, text: str = "") -> Mention:
    """The mention a figure is about when a dimension is named several times in ``text``.

    In order: the one right after the figure ("40.0% for RS-RP"); for a figure in
    parentheses, the one before it; the one in the figure's own clause; else the nearest one
    (ties to the one before it) that is not in the clause of another figure ("45.1%, versus
    43.6% for Romance": Romance is the second figure's).
    """

    def distance(m: Mention) -> tuple[int, int]:
        d = fig.start - m.end if m.end <= fig.start else m.start - fig.end
        return (max(d, 0), 0 if m.end <= fig.start else 1)

    if not text:
        return min(mentions, key=distance)
    after = _FOR_AFTER.match(text, fig.end)
    if after:
        for m in mentions:
            if m.start == after.end():
                return m
    if re.search(r"\(\s*$", text[: fig.start]):
        # "AT's robust accuracy (56.8%) exceeds plain's (52.8%)": a figure in parentheses
        # belongs to what stands before it
        before = [m for m in mentions if m.end <= fig.start]
        if before:
            return max(before, key=lambda m: m.end)
    a, b = _clause(text, fig.start)
    inside = [m for m in mentions if m.start >= a and m.end <= b]
    if inside and len({m.values for m in inside}) == 1:
        return inside[0]
    others: list[Mention] = []
    for other in find_figures(text):
        oa, ob = _clause(text, other.start)
        if other.start != fig.start and not oa <= fig.start < ob:
            others += [m for m in mentions if m.start >= oa and m.end <= ob]
    return min([m for m in mentions if m not in others] or mentions, key=distance)


_FOR_AFTER = re.compile(r"\s*(?:for|with|using|under)\s+(?:the\s+|a\s+|an\s+)?", _I)


def _describe(values: set[str]) -> str:
    return ", ".join(sorted(values)) or "none"


def _unmeasured_metric(index: RunsIndex) -> str:
    return (
        "the metric named is not one the runs measure "
        f"({_describe(index.dimension_values('metric'))})"
    )


def resolve_slot(
    named: dict[str, tuple[str, ...]],
    index: RunsIndex,
    transfer: bool,
    pooled: Sequence[str] = (),
) -> _Resolved:
    """Complete the dimensions a figure names into one measured slot, or say why not.

    Args:
        named: dimension -> possible values the claim names.
        index: the runs.
        transfer: the claim speaks of cross-lingual / zero-shot transfer (language default).
        pooled: dimensions the figure pools over (e.g. ``method`` for a mean over methods):
            they may take several values, and the result's ``group`` lists every slot pooled.

    Returns:
        The slot (None when unmatched; for a pooled figure, the first slot of the group), the
        reason, and the assumptions made.
    """
    slots = index.slots()
    assumptions: list[str] = []
    for dim, values in named.items():
        if dim == "metric" and values == ("<other>",):
            return _Resolved(None, _unmeasured_metric(index), [])
        keep = [s for s in slots if getattr(s, dim) in values]
        if not keep:
            return _Resolved(
                None,
                f"no run measured {dim} {'/'.join(values)} "
                f"(measured: {_describe({str(getattr(s, dim)) for s in slots})})",
                [],
            )
        slots = keep
    splits = {s.split for s in slots}
    if len(splits) > 1 and "eval" in splits:
        slots = [s for s in slots if s.split == "eval"]
    for dim in DIMENSIONS:
        options = {str(getattr(s, dim)) for s in slots}
        if len(options) <= 1 or dim in pooled:
            continue
        default = DEFAULTS.get(dim)
        if dim == "language":
            default = "zero_shot" if transfer and "zero_shot" in options else "all"
        if dim in named:
            return _Resolved(
                None,
                f"ambiguous {dim}: the claim could mean {_describe(options)}; name one",
                [],
            )
        if default is not None and default in options:
            slots = [s for s in slots if getattr(s, dim) == default]
            assumptions.append(f"{dim} not named, taken as {default}")
            continue
        return _Resolved(
            None, f"{dim} not named and the runs measured several ({_describe(options)})", []
        )
    if pooled and slots:
        return _Resolved(slots[0], "", assumptions, group=slots)
    if len(slots) != 1:
        return _Resolved(None, "no single slot matches", [])
    return _Resolved(slots[0], "", assumptions)


def _named_for(
    fig: Figure,
    mentions: Sequence[Mention],
    context: Sequence[Mention],
    runs: RunsIndex | None = None,
    figures_in_unit: int = 1,
) -> dict[str, list[Mention]]:
    by_dim: dict[str, list[Mention]] = {}
    for m in mentions:
        by_dim.setdefault(m.dim, []).append(m)
    # One figure and a specific metric named ("in the generalized setting, ... accuracy is
    # 70.0%"): the generic word "accuracy" is part of it, not a second metric.
    metrics = by_dim.get("metric", [])
    if figures_in_unit == 1 and any(m.values != ("accuracy",) for m in metrics):
        specific = [m for m in metrics if m.values != ("accuracy",)]
        if len({m.values for m in specific}) == 1:
            by_dim["metric"] = specific
    # A heading names a dimension only when it names one value of it ("PAWS-X results"),
    # not when it names several ("Romance vs Germanic").
    from_context: dict[str, list[Mention]] = {}
    for m in context:
        if m.dim not in by_dim:
            from_context.setdefault(m.dim, []).append(m)
    own = {d: {m.values for m in ms} for d, ms in by_dim.items()}
    for dim, ms in from_context.items():
        if len({m.values for m in ms}) != 1:
            continue
        # A heading's setting applies only where the runs measured it together with what the
        # claim itself names ("zero-shot transfer" in a title says nothing of an English-only
        # robust accuracy).
        if runs is not None and not any(
            str(getattr(slot, dim)) in ms[0].values
            and all(
                str(getattr(slot, d)) in {v for vs in values for v in vs}
                for d, values in own.items()
                if d in DIMENSIONS
            )
            for slot in runs.values
        ):
            continue
        by_dim[dim] = [ms[0]]
    # A heading's "zero-shot transfer" names the standard setting's language group; the
    # generalized setting has none (its figures are per first-sentence language or over all).
    if any(m.values == ("generalized_accuracy",) for m in by_dim.get("metric", [])):
        lang = by_dim.get("language")
        if (
            lang
            and lang[0] in from_context.get("language", [])
            and lang[0].values == ("zero_shot",)
        ):
            del by_dim["language"]
    return by_dim


def check_figure(
    index_no: int,
    unit: Unit,
    fig: Figure,
    mentions: Sequence[Mention],
    context: Sequence[Mention],
    runs: RunsIndex,
) -> MeasuredFigure:
    """Match one figure to the runs and decide CONFIRMED / REFUTED / UNMATCHED."""
    by_dim = _named_for(
        fig, mentions, context, runs, len(find_figures(unit.text[unit.figure_at :], unit.percent))
    )
    transfer = bool(
        re.search(r"zero[\s-]?shot|cross[\s-]?lingual|transfer", f"{unit.text} {unit.context}", _I)
    )
    if fig.kind == "delta" and _is_gap_value(by_dim, unit.text):
        fig = replace(fig, kind="value")
    if fig.kind == "delta":
        # "+1.8 points on XNLI and +0.3 points on PAWS-X": a list of deltas, each against its
        # own baseline, not a difference between tasks (or languages, or metrics)
        for dim in ("task", "language", "metric"):
            ms = by_dim.get(dim, [])
            if len({m.values for m in ms}) >= 2 and not any(m.comparator for m in ms):
                by_dim[dim] = [_pick(ms, fig, unit.text)]
    base = {
        "index": index_no,
        "claim": unit.text,
        "line": unit.line,
        "figure": fig.text,
        "kind": fig.kind,
        "reported": fig.reported,
        "tolerance": fig.tolerance,
    }

    def unmatched(reason: str) -> MeasuredFigure:
        return MeasuredFigure(**base, outcome="UNMATCHED", reason=reason)

    other_model = _other_model(unit, fig, runs)
    if other_model:
        return unmatched(other_model)
    a, b = _clause(unit.text, fig.start)
    if _CITED.search(unit.text[a:b]):
        return unmatched("the figure is another paper's result (cited), not one these runs measure")
    if _DATA_BASELINE.search(unit.text):
        return unmatched(
            "the figure is a property of the data (a majority-class or chance rate), not a "
            "trained run's result"
        )
    if fig.kind == "delta" and any(m.values == ("<other>",) for m in by_dim.get("metric", [])):
        return unmatched(_unmeasured_metric(runs))
    if fig.kind == "delta" and _DIFF_IN_DIFF.search(f"{unit.text} {unit.context}"):
        return unmatched(
            "the figure is a difference of differences (a method's gain over plain in one "
            "setting minus its gain in another), which no paired slot holds"
        )
    if _POOLED.search(f"{unit.text} {unit.context}"):
        pooled = [
            d
            for d in ("method", "intermediate")
            if d not in by_dim or all(m.pooled for m in by_dim[d])
        ]
        if pooled and fig.kind == "value" and _POOLED_MEAN.search(f"{unit.text} {unit.context}"):
            return _check_pooled_value(base, fig, by_dim, pooled, runs, transfer, unit.text)
        if pooled and fig.kind == "delta":
            return _check_pooled_delta(
                base, fig, by_dim, pooled, runs, transfer, f"{unit.text} {unit.context}"
            )
        if pooled:
            return unmatched(
                f"the figure pools runs over {_pooled_names(pooled)} and states no mean over "
                "them: name a method and an intermediate subset, or say it is pooled"
            )
    if fig.kind == "value":
        chosen = _chosen_values(by_dim, fig, unit.text)
        if re.search(r"\bfrom\s*$", unit.text[: fig.start], _I) and re.match(
            r"\s*to\s+[+\-−]?\d", unit.text[fig.end :], _I
        ):
            # "raises accuracy from 43.3% to 45.1%": the first figure is the baseline's
            movable = [
                d
                for d in ("intermediate", "method")
                if d in chosen and DEFAULTS[d] not in chosen[d]
            ]
            if len(movable) == 1:
                chosen[movable[0]] = (DEFAULTS[movable[0]],)
        res = resolve_slot(chosen, runs, transfer)
        own = {m.dim for m in mentions}
        if res.slot is None and any(d not in own for d in chosen):
            # a heading's setting that the runs never measured with what the claim names
            # (a title's "zero-shot" beside an English-only robust accuracy) does not apply
            for loose in ("language", "metric", "intermediate", "method", "task"):
                if loose in chosen and loose not in own:
                    without = {d: v for d, v in chosen.items() if d != loose}
                    retry = resolve_slot(without, runs, transfer)
                    if retry.slot is not None:
                        res = retry
                        break
        if res.slot is None:
            return unmatched(res.reason)
        meas = runs.measure(res.slot)
        return _value_figure(base, fig, res.slot, meas, f"{meas.n} seed(s)", res.assumptions)

    # A delta: find the dimension it is a difference over, and the baseline's value.
    if any(m.values == ("<other>",) for m in by_dim.get("metric", [])):
        return unmatched(_unmeasured_metric(runs))
    split = _split_comparison(by_dim)
    if isinstance(split, str):
        return unmatched(split)
    subject, baseline_values = split
    dim = next(iter(baseline_values))
    res = resolve_slot(subject, runs, transfer)
    if res.slot is None:
        return unmatched(res.reason)
    base_named = {**subject, dim: baseline_values[dim]}
    for d in DIMENSIONS:
        if d not in base_named:
            base_named[d] = (str(getattr(res.slot, d)),)
    res_b = resolve_slot(base_named, runs, transfer)
    if res_b.slot is None:
        return unmatched("baseline: " + res_b.reason)
    meas = runs.measure_difference(res.slot, res_b.slot)
    how = "paired over common seeds" if meas.paired else "Welch"
    return _delta_outcome(base, fig, res.slot, res_b.slot, meas, how, res.assumptions)


def _is_gap_value(by_dim: dict[str, list[Mention]], text: str) -> bool:
    """A transfer gap in points ("the gap is 4.2 points") is a value of that metric, not a
    difference between two settings, unless the claim compares settings or states a change
    ("narrows the gap by 2 points")."""
    if not any(m.values == (TRANSFER_GAP,) for m in by_dim.get("metric", [])):
        return False
    compares = any(len({m.values for m in ms}) >= 2 for ms in by_dim.values())
    compares = compares or any(m.comparator for ms in by_dim.values() for m in ms)
    return not compares and not _GAP_CHANGE.search(text)


def _split_comparison(
    by_dim: dict[str, list[Mention]],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] | str:
    """Split a delta's named dimensions into the subject and the baseline it is compared with.

    The compared dimension is the one named with two readings ("romance vs germanic"); its
    baseline is the reading after a comparator ("over", "than", "vs"), else the last one. When
    only one setting is named, the baseline is that dimension's default (plain, no stage).

    Returns:
        (subject values, baseline values of the one compared dimension), or why not.
    """
    subject: dict[str, tuple[str, ...]] = {}
    baseline_values: dict[str, tuple[str, ...]] = {}
    for dim, ms in by_dim.items():
        readings: list[tuple[str, ...]] = []
        for m in ms:
            if m.values not in readings:
                readings.append(m.values)
        if len(readings) >= 2 and not baseline_values:
            comps = [m for m in ms if m.comparator]
            base_m = comps[0] if comps else ms[-1]
            subj_m = next(m for m in ms if m.values != base_m.values)
            subject[dim] = subj_m.values
            baseline_values[dim] = base_m.values
        elif len(readings) >= 2:
            return f"the claim compares several dimensions at once ({dim} too)"
        else:
            subject[dim] = ms[0].values
    if not baseline_values:
        movable = [
            d for d in ("method", "intermediate") if d in subject and DEFAULTS[d] not in subject[d]
        ]
        if len(movable) != 1:
            return "a delta needs a baseline: name what it is compared with " + (
                "(several settings are named)" if movable else "(no method or subset named)"
            )
        baseline_values[movable[0]] = (DEFAULTS[movable[0]],)
    return subject, baseline_values


def _delta_outcome(
    base: dict[str, Any],
    fig: Figure,
    slot: Slot,
    baseline: Slot,
    meas: Measurement,
    how: str,
    assumptions: list[str],
) -> MeasuredFigure:
    """CONFIRMED when the reported delta has the measured sign and lies inside its interval."""
    size_ok = meas.low - fig.tolerance <= fig.reported <= meas.high + fig.tolerance
    sign_ok = (fig.reported > 0) == (meas.mean > 0) or (fig.reported == 0 and size_ok)
    if not sign_ok:
        verdict = "sign disagrees" + (
            " (the interval holds the reported value but spans zero: the runs now point the "
            "other way without settling the direction)"
            if meas.low < 0 < meas.high and size_ok
            else ""
        )
    elif not size_ok:
        verdict = "size outside"
    else:
        verdict = "sign agrees, size inside"
    reason = (
        f"{verdict}: reported {fig.reported:+.4g} vs measured difference {meas.mean:+.4f}, "
        f"95% CI [{meas.low:+.4f}, {meas.high:+.4f}] ({how}, n={meas.n}, "
        f"tolerance ±{fig.tolerance:.4g})"
    )
    if size_ok and sign_ok and meas.n == 2:
        reason += "; with 2 pairs the interval is wide, so this check is weak"
    if assumptions:
        reason += "; " + "; ".join(assumptions)
    return MeasuredFigure(
        **base,
        slot=slot,
        baseline=baseline,
        measured=meas,
        outcome="CONFIRMED" if size_ok and sign_ok else "REFUTED",
        reason=reason,
    )


def _check_pooled_delta(
    base: dict[str, Any],
    fig: Figure,
    by_dim: dict[str, list[Mention]],
    pooled: list[str],
    runs: RunsIndex,
    transfer: bool,
    text: str,
) -> MeasuredFigure:
    """A difference pooled over methods and/or subsets: the mean over paired runs.

    Each run of the subject is paired with the run of the baseline that differs from it only
    in the compared setting (same pooled cell, same seed), as a paired test over runs does; the
    interval is Student-t over those paired differences.
    """

    def unmatched(reason: str) -> MeasuredFigure:
        return MeasuredFigure(**base, outcome="UNMATCHED", reason=reason)

    split = _split_comparison(by_dim)
    if isinstance(split, str):
        return unmatched(split)
    subject, baseline_values = split
    dim = next(iter(baseline_values))
    if dim not in ("method", "intermediate") and not _POOLED_MEAN.search(text):
        # "paired tests" compare methods or subsets; a difference along another dimension with
        # nothing saying it is averaged is a misread label ("comparison: romance − germanic"
        # could be language groups or intermediate subsets).
        return unmatched(
            f"the claim seems to compare {dim} values ({'/'.join(subject[dim])} vs "
            f"{baseline_values[dim][0]}) over paired runs; say which setting is compared "
            "(e.g. 'intermediate: romance − germanic' or 'method: RS-DA − plain')"
        )
    res = resolve_slot(subject, runs, transfer, pooled=pooled)
    if res.slot is None:
        return unmatched(res.reason)
    diffs: list[float] = []
    seeds: set[int] = set()
    for slot in res.group:
        other = slot.model_copy(update={dim: baseline_values[dim][0]})
        a, b = runs.values[slot], runs.values.get(other, {})
        for seed in sorted(set(a) & set(b)):
            diffs.append(a[seed] - b[seed])
            seeds.add(seed)
    shown = _pooled_slot(res.slot, pooled, subject)
    shown_base = shown.model_copy(update={dim: baseline_values[dim][0]})
    if len(diffs) < 2:
        return unmatched(
            f"fewer than two pairs of runs differ only in {dim} "
            f"({'/'.join(subject[dim])} vs {baseline_values[dim][0]}) within the pooled cells"
        )
    mean, low, high = t_interval(diffs)
    meas = Measurement(
        mean=mean, low=low, high=high, n=len(diffs), seeds=sorted(seeds), paired=True
    )
    how = "paired runs pooled over " + " and ".join(
        f"{_pooled_names([d])} {', '.join(subject[d])}" if d in subject else _pooled_names([d])
        for d in pooled
    )
    return _delta_outcome(base, fig, shown, shown_base, meas, how, res.assumptions)


def _pooled_slot(slot: Slot, pooled: Sequence[str], named: dict[str, tuple[str, ...]]) -> Slot:
    """``slot`` with each pooled dimension shown as ``*`` (all) or its pooled values."""
    return slot.model_copy(update={d: "+".join(named[d]) if d in named else "*" for d in pooled})


def _pooled_names(pooled: Sequence[str]) -> str:
    names = {"method": "methods", "intermediate": "intermediate subsets"}
    return " and ".join(names[d] for d in pooled)


def _chosen_values(
    by_dim: dict[str, list[Mention]], fig: Figure, text: str = ""
) -> dict[str, tuple[str, ...]]:
    """The reading of each named dimension: the only one, else the one of the figure's clause
    of ``text``, else the mention nearest the figure."""
    return {
        dim: (ms[0] if len({m.values for m in ms}) == 1 else _pick(ms, fig, text)).values
        for dim, ms in by_dim.items()
    }


def _value_figure(
    base: dict[str, Any],
    fig: Figure,
    slot: Slot,
    meas: Measurement,
    of: str,
    assumptions: list[str],
) -> MeasuredFigure:
    """CONFIRMED when the reported value lies inside the measured interval (with tolerance)."""
    inside = meas.low - fig.tolerance <= fig.reported <= meas.high + fig.tolerance
    reason = (
        f"reported {fig.reported:.4g} {'inside' if inside else 'outside'} the 95% CI "
        f"[{meas.low:.4f}, {meas.high:.4f}] of {of} (mean {meas.mean:.4f}, "
        f"tolerance ±{fig.tolerance:.4g})"
    )
    if inside and meas.n == 2:
        reason += "; with 2 seeds the interval is wide, so this check is weak"
    if assumptions:
        reason += "; " + "; ".join(assumptions)
    return MeasuredFigure(
        **base,
        slot=slot,
        measured=meas,
        outcome="CONFIRMED" if inside else "REFUTED",
        reason=reason,
    )


def _check_pooled_value(
    base: dict[str, Any],
    fig: Figure,
    by_dim: dict[str, list[Mention]],
    pooled: list[str],
    runs: RunsIndex,
    transfer: bool,
    text: str = "",
) -> MeasuredFigure:
    """A mean pooled over methods and/or subsets: every run of the pooled cells, one interval."""
    chosen = _chosen_values(by_dim, fig, text)
    res = resolve_slot(chosen, runs, transfer, pooled=pooled)
    if res.slot is None:
        return MeasuredFigure(**base, outcome="UNMATCHED", reason=res.reason)
    values = [v for slot in res.group for v in runs.values[slot].values()]
    seeds = sorted({seed for slot in res.group for seed in runs.values[slot]})
    mean, low, high = t_interval(values)
    meas = Measurement(mean=mean, low=low, high=high, n=len(values), seeds=seeds)
    shown = _pooled_slot(res.slot, pooled, chosen)
    of = f"{len(values)} run(s) pooled over {_pooled_names(pooled)}, {len(res.group)} cells"
    return _value_figure(base, fig, shown, meas, of, res.assumptions)


#: Sentences stating a baseline of the data itself, which no run measures.
_DATA_BASELINE = re.compile(
    r"majority[\s-]class|most frequent label|chance (?:level|rate|accuracy)|random[\s-]guess",
    re.IGNORECASE,
)


def reverify_units(units: Sequence[Unit], runs: RunsIndex) -> list[MeasuredFigure]:
    """Check every in-scope figure of ``units`` against ``runs``.

    A figure is in scope when its unit names at least one thing the experiments measure (a
    task, metric, method, intermediate subset or language group), or gives a percentage or a
    language under a heading that names the task; other numbers (a quality score, a count, a
    kappa beside a language) are ignored.

    Args:
        units: the report's units.
        runs: the measured slots.

    Returns:
        One row per figure, in reading order.
    """
    out: list[MeasuredFigure] = []
    with progress(transient=True) as bar:
        task = bar.add_task("Checking figures", total=len(units))
        for unit in units:
            figures = [
                f
                for f in find_figures(unit.text, unit.percent, unit.delta)
                if f.start >= unit.figure_at
            ]
            if figures:
                mentions = find_mentions(unit.text)
                in_scope = [
                    m for m in mentions if m.dim in ("task", "metric", "method", "intermediate")
                ]
                other_metric = any(m.dim == "metric" and m.values == ("<other>",) for m in mentions)
                ours = [m for m in in_scope if m.dim != "metric" or m.values != ("<other>",)]
                context = find_mentions(unit.context) if unit.context else []
                named_language = any(m.dim == "language" for m in mentions)
                # under a heading that names the task ("## XNLI, RS-DA"), a bullet giving a
                # percentage or a language ("ur: 42.3", "Avg.: 43.6%") is about the runs too
                under_task = any(m.dim == "task" for m in context) and (
                    named_language or any(f.text.endswith("%") for f in figures)
                )
                # a language named beside another metric (κ for Spanish) is not our figure
                if ours or (not other_metric and (named_language or under_task)):
                    for fig in figures:
                        out.append(check_figure(len(out), unit, fig, mentions, context, runs))
            bar.advance(task)
    return out


def reverify(
    report_path: Path,
    runs_dir: Path,
    now: datetime | None = None,
) -> ReverifyReport:
    """Check a report's figures against a runs directory.

    Args:
        report_path: our report (JSON or Markdown) or a foreign one (claims table or prose).
        runs_dir: a runs directory (``runs/``, ``reports/runs/``).
        now: the timestamp to record (inject a fixed one for reproducible output).

    Returns:
        The reverify report: one row per figure, skipped results files named.

    Raises:
        BadInputError: when the report or the runs directory cannot be read.

    Example:
        >>> rep = reverify(Path("reports/romance-vs-germanic.md"), Path("reports/runs"))
        >>> rep.counts
        {'CONFIRMED': 5, 'REFUTED': 1, 'UNMATCHED': 2}
    """
    read = read_report(report_path)
    runs = load_runs(runs_dir)
    figures = reverify_units(read.units, runs)
    counts = {
        k: sum(1 for f in figures if f.outcome == k) for k in ("CONFIRMED", "REFUTED", "UNMATCHED")
    }
    notes = list(runs.notes)
    if not figures:
        notes.append(
            "The report states no figure about a task, metric, method, subset or language "
            "that the runs measure: nothing to check."
        )
    return ReverifyReport(
        report=str(report_path),
        report_kind=read.kind,
        runs=str(runs_dir),
        generated_at=now or datetime.now(UTC).replace(microsecond=0),
        results_files=runs.files,
        skipped_files=runs.skipped,
        slots_measured=len(runs.values),
        claims_read=len(read.units),
        figures=figures,
        counts=counts,
        notes=notes,
    )

"""Reverify, stage 1 (reading): a report read into units, and the figures and settings they name.

A unit is a claim row, a sentence, or one numeric cell of a results table with its row and
column labels; :func:`find_figures` reads its numbers as fractions and :func:`find_mentions`
the task, metric, method, intermediate subset and language each names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from litcheck.errors import BadInputError
from litcheck.report.models import Report
from litcheck.text import sentence_spans

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

POOLED_MEAN = re.compile(
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
        for offset, end in sentence_spans(joined):
            sentence = joined[offset:end]
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
                    if (
                        _numeric_cell(c)
                        and not _COUNT_COLUMN.match(col)
                        and not _NOT_RESULT_COLUMN.search(col)
                    ):
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


#: Columns of a budget or of the data, not of a trained run's result: speed and cost, the
#: majority-class or chance rate, a target the runs were set to reach.
_NOT_RESULT_COLUMN = re.compile(
    r"\bs\s*/\s*step\b|\bsec(?:ond)?s?\b|\bminutes?\b|\bhours?\b|\bcore[\s-]?h(?:ours?)?\b|"
    r"\bgpu[\s-]?h(?:ours?)?\b|^\s*(?:majority|chance|target)\b",
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


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+|a\s+|an\s+)?$", _I)
_TO_AFTER = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:to|into)\b", _I)

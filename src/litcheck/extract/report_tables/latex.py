"""LaTeX ``tabular`` / ``tabularx`` / ``longtable`` environments, cells reduced to text.

A row that is one ``\\multicolumn`` cell alone (``\\multicolumn{3}{l}{\\emph{Benchmarks}}``)
labels a group of rows, not a claim, and is skipped. When the document has a
``thebibliography`` list, each row's ``\\cite{key}`` is looked up in it and the entries
(``\\bibitem{key} ... arXiv:1904.09077``) are added as a "Cited works" column, so that the row's
references are those of the keys it cites.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.cells import SPACES

_LATEX_BEGIN = re.compile(r"\\begin\{(tabular\*?|tabularx|tabulary|xltabular|longtable\*?)\}")
_LATEX_WIDTH_ENVS = ("tabular*", "tabularx", "tabulary", "xltabular")
_LATEX_NAME = re.compile(r"\\([A-Za-z]+)\*?|\\(.)", re.DOTALL)
_LATEX_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*(%[^\n]*)")
_LATEX_LONGTABLE = re.compile(r"\\end(firsthead|head|foot|lastfoot)(?![A-Za-z])")
_LATEX_LEAD = re.compile(
    r"(?:\s+|\\(?:toprule|midrule|bottomrule|hline|addlinespace|hdashline)(?![A-Za-z])"
    r"(?:\[[^\]\n]*\])?|\\(?:cline|cmidrule)(?:\([^)\n]*\))?\{[^}\n]*\})*"
)
_LATEX_SYMBOLS = {
    **dict.fromkeys(("checkmark", "cmark"), "✓"),
    **dict.fromkeys(("xmark", "times"), "×"),
    **dict.fromkeys(("textbar", "vert", "mid"), "|"),
    **dict.fromkeys(("leq", "le"), "≤"),
    **dict.fromkeys(("geq", "ge"), "≥"),
    **dict.fromkeys(("neq", "ne"), "≠"),
    **dict.fromkeys(("to", "rightarrow"), "→"),
    **dict.fromkeys(("ldots", "dots", "cdots"), "…"),
    **dict.fromkeys(("textdegree", "degree"), "°"),
    **dict.fromkeys(("newline", "linebreak", "quad", "qquad"), " "),
    "approx": "≈",
    "pm": "±",
    "sim": "~",
    "cdot": "·",
    "leftarrow": "←",
    "infty": "∞",
    "percent": "%",
    "textasciitilde": "~",
    "textless": "<",
    "textgreater": ">",
    "textemdash": "—",
    "textendash": "–",
    "dag": "†",
    "ddag": "‡",
    "ell": "ℓ",
}
_LATEX_DINGS = {"51": "✓", "52": "✓", "55": "×", "56": "×"}
# Rules, spacing, colour and font switches: dropped, with their brace arguments (how many).
_LATEX_SWITCHES = (
    "toprule midrule bottomrule hline hdashline addlinespace endhead endfirsthead endfoot",
    "endlastfoot centering raggedright raggedleft arraybackslash hfill noindent par relax strut",
    "tiny scriptsize footnotesize small normalsize large Large protect displaystyle left right",
    "bfseries itshape ttfamily rmfamily sffamily scshape upshape mdseries bf it tt rm sf sc em",
    "footnotemark",
)
_LATEX_DROP = {
    **dict.fromkeys((w for group in _LATEX_SWITCHES for w in group.split()), 0),
    **dict.fromkeys(
        ("cline", "cmidrule", "label", "caption", "vspace", "hspace", "hhline", "color"), 1
    ),
    **dict.fromkeys(("rowcolor", "cellcolor", "arrayrulecolor"), 1),
    "specialrule": 3,
}
_LATEX_SECOND_ARG = ("textcolor", "colorbox")
_LATEX_CITES = ("cite", "citep", "citet", "citealp", "ref", "eqref", "autoref", "cref", "Cref")
_CITE_KEYS = re.compile(
    r"\\(?:" + "|".join(c for c in _LATEX_CITES if "ref" not in c.lower()) + r")\*?"
    r"(?:\s*\[[^\]]*\])*\s*\{([^}]*)\}"
)
_BIBITEM = re.compile(r"\\bibitem\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}")
_BIB_END = re.compile(r"\\end\{thebibliography\}")
#: The column that holds a row's bibliography entries.
CITED_WORKS = "Cited works"
_LATEX_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "r": "\u030a",
    "k": "\u0328",
}


def _latex_group(src: str, i: int, open_: str = "{", close: str = "}") -> tuple[str, int] | None:
    """The text of the group opening at ``src[i]`` (spaces skipped) and the index after it."""
    while i < len(src) and src[i] in " \t\n":
        i += 1
    if i >= len(src) or src[i] != open_:
        return None
    depth = 0
    j = i
    while j < len(src):
        ch = src[j]
        if ch == "\\":
            j += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return src[i + 1 : j], j + 1
        j += 1
    return None


def _latex_options(src: str, i: int, parens: bool = False) -> int:
    """Skip ``[..]`` optional arguments, and ``(..)`` ones (cmidrule's trim ``(lr)``)."""
    while True:
        group = _latex_group(src, i, "[", "]")
        if group is None and parens:
            group = _latex_group(src, i, "(", ")")
        if group is None:
            return i
        i = group[1]


def _latex_plain(src: str) -> str:
    """Text of a LaTeX cell: macros reduced to their text, symbols mapped, braces dropped."""
    out: list[str] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch != "\\":
            if ch == "~":
                out.append(" ")
            elif ch not in "{}$":
                out.append(ch)
            i += 1
            continue
        match = _LATEX_NAME.match(src, i)
        if match is None:  # a lone backslash at the end
            break
        i = match.end()
        name = match.group(1)
        if name is None:
            char = match.group(2)
            if char in _LATEX_ACCENTS:
                i = _latex_accent(src, i, char, out)
            elif char in "\\,;: \n\t":
                out.append(" ")
            elif char not in "!-/":
                out.append(char)  # \% \& \_ \# \$ \{ \}
            continue
        if name in _LATEX_ACCENTS and len(name) == 1:
            i = _latex_accent(src, i, name, out)
        elif name in _LATEX_SYMBOLS:
            out.append(_LATEX_SYMBOLS[name])
        elif name == "ding":
            arg = _latex_group(src, i)
            if arg is not None:
                out.append(_LATEX_DINGS.get(arg[0].strip(), ""))
                i = arg[1]
        elif name in _LATEX_DROP:
            i = _latex_options(src, i, parens=name == "cmidrule")
            for _ in range(_LATEX_DROP[name]):
                arg = _latex_group(src, _latex_options(src, i))
                if arg is None:
                    break
                i = arg[1]
        elif name == "href":
            url = _latex_group(src, i)
            label = _latex_group(src, url[1]) if url is not None else None
            if url is not None and label is not None:
                # Markdown's form, so that the cell's text keeps only the words while the
                # row's cites still see the URL.
                out.append(f"[{_latex_plain(label[0])}]({url[0].strip()})")
                i = label[1]
        elif name == "url":
            arg = _latex_group(src, i)
            if arg is not None:
                out.append(f"<{arg[0].strip()}>")
                i = arg[1]
        elif name in _LATEX_CITES:
            arg = _latex_group(src, _latex_options(src, i))
            if arg is not None:
                out.append(f"[{arg[0].strip()}]")
                i = arg[1]
        elif name in _LATEX_SECOND_ARG:
            first = _latex_group(src, _latex_options(src, i))
            if first is not None:
                i = first[1]
        elif name in ("multicolumn", "multirow"):
            # \multicolumn{n}{spec}{text}, \multirow[pos]{n}{width}{text}: keep the text.
            for _ in range(2):
                arg = _latex_group(src, _latex_options(src, i))
                if arg is None:
                    break
                i = arg[1]
        else:
            opens = src[i : i + 1] in ("{", "[")
            arg = _latex_group(src, _latex_options(src, i)) if opens else None
            if arg is not None:
                out.append(_latex_plain(arg[0]))
                i = arg[1]
            else:
                out.append(_greek(name))
    text = "".join(out).replace("---", "—").replace("--", "–")
    return text.replace("``", "“").replace("''", "”")


def _latex_accent(src: str, i: int, accent: str, out: list[str]) -> int:
    arg = _latex_group(src, i)
    if arg is not None:
        base, i = arg[0].strip(), arg[1]
    else:
        while i < len(src) and src[i] == " ":
            i += 1
        base, i = src[i : i + 1], i + 1
    if len(base) == 1 and base.isalpha():
        out.append(unicodedata.normalize("NFC", base + _LATEX_ACCENTS[accent]))
    else:
        out.append(base)
    return i


def _greek(name: str) -> str:
    """\\alpha -> α, \\Delta -> Δ; an unknown macro keeps its name (\\ours -> ours)."""
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


def _latex_split(body: str) -> list[tuple[int, list[tuple[int, str]]]] | None:
    """Rows (start offset, cells with their offsets) of a tabular body; None if unbalanced."""
    rows: list[tuple[int, list[tuple[int, str]]]] = []
    cells: list[tuple[int, str]] = []
    row_start = cell_start = 0
    depth = 0
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            row_break = body.startswith("\\\\", i)
            if not row_break and body.startswith("\\tabularnewline", i):
                row_break = True
            if row_break and depth == 0:
                cells.append((cell_start, body[cell_start:i]))
                rows.append((row_start, cells))
                i += 2 if body.startswith("\\\\", i) else len("\\tabularnewline")
                if body[i : i + 1] == "*":
                    i += 1
                spacing = _latex_group(body, i, "[", "]")
                if spacing is not None:
                    i = spacing[1]
                cells, row_start, cell_start = [], i, i
                continue
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "&" and depth == 0:
            cells.append((cell_start, body[cell_start:i]))
            cell_start = i + 1
        i += 1
    if depth != 0:
        return None
    cells.append((cell_start, body[cell_start:]))
    rows.append((row_start, cells))
    return rows


def _blank(text: str, start: int, end: int) -> str:
    """Spaces over ``text[start:end]``, newlines kept, so that offsets still give lines."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _latex_body(text: str, start: int, end: int) -> str:
    """The tabular's body with comments and longtable's repeated heads and feet blanked."""
    body = _LATEX_COMMENT.sub(
        lambda m: m.group(0)[: m.start(1) - m.start()] + " " * len(m.group(1)), text[start:end]
    )
    marks = list(_LATEX_LONGTABLE.finditer(body))
    if marks:
        has_first = any(m.group(1) == "firsthead" for m in marks)
        keep = "firsthead" if has_first else "head"
        segment_start = 0
        for mark in marks:
            if mark.group(1) != keep:
                body = _blank(body, segment_start, mark.start())
            body = _blank(body, mark.start(), mark.end())
            segment_start = mark.end()
    return body


def _latex_title(text: str, before: int) -> str | None:
    """\\title, else the first section before the table, else the table's caption.

    None when there is none and the file is not a LaTeX document (a tabular pasted into a
    Markdown report takes the report's heading).
    """
    searches = (
        re.search(r"\\title\s*(?=\{)", text),
        re.search(r"\\(?:sub)*section\*?\s*(?=\{)", text[:before]),
        re.search(r"\\caption\s*(?=\{)", text[before:]),
    )
    for match, shift in zip(searches, (0, 0, before), strict=True):
        group = _latex_group(text, match.end() + shift) if match else None
        if group is not None:
            return SPACES.sub(" ", _latex_plain(group[0])).strip()
    return "" if "\\documentclass" in text or "\\begin{document}" in text else None


def _latex_tables(text: str) -> list[Table]:
    if "\\begin{" not in text:
        return []
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    tables: list[Table] = []
    bibliography = _bibliography(text) if "\\bibitem" in text else {}
    for begin in _LATEX_BEGIN.finditer(text):
        env = begin.group(1)
        i = _latex_options(text, begin.end())
        ok = True
        for _ in range(2 if env in _LATEX_WIDTH_ENVS else 1):
            arg = _latex_group(text, _latex_options(text, i))
            if arg is None:
                ok = False
                break
            i = arg[1]
        end = _latex_end(text, env, i)
        if not ok or end is None:
            continue
        split = _latex_split(_latex_body(text, i, end))
        try:
            rows = _latex_rows(split or [], i, starts, bibliography)
        except RecursionError:  # macros nested thousands deep: not a table to read
            continue
        if len(rows) < 2:
            continue
        (line, header), *body_rows = rows
        tables.append(
            Table(header, line, body_rows, format="latex", title=_latex_title(text, begin.start()))
        )
    return tables


def _bibliography(text: str) -> dict[str, str]:
    """The plain text of each ``\\bibitem`` of the document, by its key."""
    items = list(_BIBITEM.finditer(text))
    entries: dict[str, str] = {}
    for n, item in enumerate(items):
        stop = items[n + 1].start() if n + 1 < len(items) else len(text)
        end = _BIB_END.search(text, item.end(), stop)
        raw = text[item.end() : end.start() if end else stop]
        try:
            entries.setdefault(item.group(1).strip(), SPACES.sub(" ", _latex_plain(raw)).strip())
        except RecursionError:
            continue
    return entries


def _cited_works(cells: list[tuple[int, str]], bibliography: dict[str, str]) -> str:
    """The bibliography entries of every key the row's cells cite, in order, joined."""
    keys = [
        key.strip()
        for _, raw in cells
        for group in _CITE_KEYS.findall(raw)
        for key in group.split(",")
    ]
    found = [bibliography[k] for k in dict.fromkeys(keys) if k in bibliography]
    return "; ".join(found)


def _latex_rows(
    split: list[tuple[int, list[tuple[int, str]]]],
    body_start: int,
    line_starts: list[int],
    bibliography: dict[str, str],
) -> list[tuple[int, list[str]]]:
    """Plain cells of each non-empty row, with the line where its first cell's text starts.

    Body rows citing a key of ``bibliography`` get its entries as one more cell at the end.
    """
    rows: list[tuple[int, list[str]]] = []
    width = 0
    cites = False
    for _, cells in split:
        plain: list[str] = []
        for _, raw in cells:
            # After the rules a row may open with (\midrule \multicolumn{3}{l}{...}).
            lead = _LATEX_LEAD.match(raw)
            at = lead.end() if lead else 0
            span = re.match(r"\s*\\multicolumn\s*\{\s*(\d+)\s*\}", raw[at:])
            plain.append(SPACES.sub(" ", _latex_plain(raw)).strip())
            plain += [""] * (min(int(span.group(1)), 50) - 1 if span else 0)
        if not any(plain):
            continue
        if len(cells) == 1 and len(plain) > 1:
            # One \multicolumn cell across the table: a group label ("Benchmarks") or a
            # caption-like first row, not a row of the table.
            continue
        if not rows:
            width = len(plain)
        elif cited := _cited_works(cells, bibliography):
            plain += [""] * (width - len(plain))
            plain.append(cited)
            cites = True
        lead = _LATEX_LEAD.match(cells[0][1])
        offset = body_start + cells[0][0] + (lead.end() if lead else 0)
        rows.append((bisect.bisect_right(line_starts, offset), plain))
    if cites:
        rows[0][1].extend([""] * (width - len(rows[0][1])) + [CITED_WORKS])
    return rows


def _latex_end(text: str, env: str, i: int) -> int | None:
    """Where the environment opened before ``i`` ends (nested ones of the same name skipped)."""
    pattern = re.compile(r"\\(begin|end)\{" + re.escape(env) + r"\}")
    depth = 1
    for match in pattern.finditer(text, i):
        depth += 1 if match.group(1) == "begin" else -1
        if depth == 0:
            return match.start()
    return None


def read(source: Source) -> list[Table]:
    """Every latex table of the source (see the module's docstring)."""
    return _latex_tables(source.joined)


DIALECT = Dialect("latex", read)

"""Download the public claim and NLI sets the judge trains on, in the layout ``data.py`` reads.

Every file comes from its official source (the authors' release or repository, pinned to a
commit), named in :data:`DATASETS` with its licence. Files copied byte for byte are checked
against the SHA-256 of the release; a mismatch is an error and nothing is written. Sets whose
release is split over line-aligned files (FEVER's RTE form, e-SNLI) or XML (SEM-TAB-FACTS) are
converted into the one JSON Lines file ``data.py`` reads.

Downloads go through :func:`litcheck.experiments.download.fetch_archive`: cached under
``<home>/cache/downloads/``, resumed with an HTTP Range request after a kill, and renamed into
place only when complete. Every file in the data folder is written through a temporary file
and a rename, and ``<set folder>/PROVENANCE.json`` records its URLs, hashes and licence.

``mirror`` replaces ``https://<host>/`` of every URL by ``<mirror>/<host>/`` (a local mirror,
or the server a test starts on 127.0.0.1).

Example:
    >>> from litcheck.settings import load_settings
    >>> outcomes = download_datasets(["scifact"], load_settings())  # doctest: +SKIP
    >>> outcomes[0].files  # doctest: +SKIP
    ['claims_train.jsonl', 'claims_dev.jsonl', 'corpus.jsonl']
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litcheck.errors import BadInputError, LitcheckError, VerificationError
from litcheck.settings import Settings

_GH = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class Remote:
    """One file of a set's release.

    Attributes:
        url: its official URL.
        sha256: the release's hash of the file written from it (``None``: not checked, for
            files that are converted).
        member: for an archive, the member to take (``None``: the file itself).
        target: the file name it becomes in the set's folder (``None``: an input of a
            converter, not written as is).
    """

    url: str
    sha256: str | None = None
    member: str | None = None
    target: str | None = None


Converter = Callable[[dict[str, bytes]], dict[str, bytes]]


@dataclass(frozen=True)
class DataSet:
    """A claim or NLI set: where it comes from, where it goes, its licence.

    Attributes:
        name: its name on the command line.
        folder: its folder under the data folder (``claims/scifact``).
        licence: the licence, as its authors state it.
        cite: what to cite.
        remotes: the files to fetch.
        outputs: the files ``data.py`` reads; the set counts as present when all exist.
        convert: builds converted outputs from the fetched bytes (keyed by URL), or None.
    """

    name: str
    folder: str
    licence: str
    cite: str
    remotes: tuple[Remote, ...]
    outputs: tuple[str, ...]
    convert: Converter | None = field(default=None, compare=False)


def _lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _aligned(inputs: dict[str, bytes], urls: Sequence[str]) -> list[list[str]]:
    """Line-aligned files read side by side; differing line counts are an error."""
    columns = [_lines(inputs[u]) for u in urls]
    if len({len(c) for c in columns}) != 1:
        counts = ", ".join(f"{Path(u).name} {len(c)}" for u, c in zip(urls, columns, strict=True))
        raise VerificationError(f"Line-aligned files differ in length ({counts}).")
    return [list(row) for row in zip(*columns, strict=True)]


def _jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


_FEVER = f"{_GH}/asaakyan/covidfact/ceeb613cde5a6c19dea4f2c165654e510ff52b10/RTE-Fever/processed"
FEVER_URLS = (f"{_FEVER}/dev.raw.input0", f"{_FEVER}/dev.raw.input1", f"{_FEVER}/dev.label")


def convert_fever(inputs: dict[str, bytes]) -> dict[str, bytes]:
    """FEVER dev in RTE form: evidence, claim and label files joined by line.

    Args:
        inputs: URL -> bytes of :data:`FEVER_URLS`.

    Returns:
        ``{"fever_dev_rte.jsonl": ...}`` with ``{id, evidence, claim, label, fever_label}``.
    """
    fever = {"entailment": "SUPPORTS", "not_entailment": "REFUTES"}
    rows = []
    for i, (evidence, claim, label) in enumerate(_aligned(inputs, FEVER_URLS)):
        label = label.strip()
        if label not in fever:
            raise VerificationError(f"dev.label line {i + 1} is {label!r}, not an RTE label.")
        rows.append(
            {
                "id": i,
                "evidence": evidence,
                "claim": claim,
                "label": label,
                "fever_label": fever[label],
            }
        )
    return {"fever_dev_rte.jsonl": _jsonl(rows)}


_ESNLI = f"{_GH}/OanaMariaCamburu/e-SNLI/7b585a3f077fdea899780eb0473940522ae44a2e/dataset/eSNLI"


def _esnli_urls(split: str) -> tuple[str, str, str, str]:
    return (
        f"{_ESNLI}/s1.{split}",
        f"{_ESNLI}/s2.{split}",
        f"{_ESNLI}/labels.{split}",
        f"{_ESNLI}/preproc1_expl_1.{split}",
    )


def convert_esnli(inputs: dict[str, bytes]) -> dict[str, bytes]:
    """SNLI dev and test as e-SNLI distributes them: premise, hypothesis, label, explanation.

    Args:
        inputs: URL -> bytes of the e-SNLI dev and test files.

    Returns:
        ``{"snli_devtest_esnli.jsonl": ...}`` with ``{id, split, premise, hypothesis, label,
        explanation}``.
    """
    rows = []
    for split in ("dev", "test"):
        for i, (premise, hypothesis, label, expl) in enumerate(
            _aligned(inputs, _esnli_urls(split))
        ):
            rows.append(
                {
                    "id": f"snli-{split}-{i}",
                    "split": f"snli_{split}",
                    "premise": premise,
                    "hypothesis": hypothesis,
                    "label": label.strip(),
                    "explanation": expl,
                }
            )
    return {"snli_devtest_esnli.jsonl": _jsonl(rows)}


_SEMTAB = f"{_GH}/IvonaBirlad/ThesisSemTabFact/8b361e73482dd4ab6202a24b110cb61d27c53413/xml"
SEMTAB_ZIPS = {
    "train_manual": f"{_SEMTAB}/train_manual_v1.3.2.zip",
    "dev": f"{_SEMTAB}/dev_v1.1.zip",
}


def convert_semtab(inputs: dict[str, bytes]) -> dict[str, bytes]:
    """SEM-TAB-FACTS task XML (manual train, dev) -> one statement per line.

    Args:
        inputs: URL -> bytes of the two task zips.

    Returns:
        ``{"semtabfacts_statements.jsonl": ...}`` with ``{split, file, table_id, caption,
        legend, rows, statement_id, statement, label}``.
    """
    rows: list[dict[str, Any]] = []
    for split, url in SEMTAB_ZIPS.items():
        try:
            archive = zipfile.ZipFile(io.BytesIO(inputs[url]))
        except zipfile.BadZipFile as exc:
            raise VerificationError(f"{url} is not a zip archive ({exc}).") from None
        names = sorted(
            n
            for n in archive.namelist()
            if "/output/" in n and n.endswith(".xml") and not n.startswith("__MACOSX")
        )
        for name in names:
            try:
                root = ET.fromstring(archive.read(name))
            except ET.ParseError as exc:
                raise VerificationError(f"{name} in {url} is not XML ({exc}).") from None
            for table in root.iter("table"):
                caption = table.find("caption")
                legend = table.find("legend")
                cells = [
                    [(c.get("text") or "").strip() for c in row.iter("cell")]
                    for row in table.iter("row")
                ]
                for st in table.iter("statement"):
                    rows.append(
                        {
                            "split": split,
                            "file": Path(name).name,
                            "table_id": table.get("id", ""),
                            "caption": (
                                caption.get("text", "") if caption is not None else ""
                            ).strip(),
                            "legend": (
                                legend.get("text", "") if legend is not None else ""
                            ).strip(),
                            "rows": cells,
                            "statement_id": st.get("id", ""),
                            "statement": (st.get("text") or "").strip(),
                            "label": st.get("type", ""),
                        }
                    )
    return {"semtabfacts_statements.jsonl": _jsonl(rows)}


_SCIFACT = "https://scifact.s3-us-west-2.amazonaws.com/release/latest/data.tar.gz"
_HV = f"{_GH}/sarrouti/HealthVer/b20ac99ceed62f5264a319fa25a854df1668d85b/data"
_CF = f"{_GH}/asaakyan/covidfact/ceeb613cde5a6c19dea4f2c165654e510ff52b10/RTE-covidfact"

#: Every set ``litcheck download-data`` knows, in the order it fetches them.
DATASETS: tuple[DataSet, ...] = (
    DataSet(
        "scifact",
        "claims/scifact",
        "claims and evidence annotations CC BY 4.0; corpus (S2ORC abstracts) ODC-By 1.0",
        "Wadden et al., Fact or Fiction: Verifying Scientific Claims, EMNLP 2020",
        (
            Remote(
                _SCIFACT,
                "f4c8fa82d8bd0653a9cc8d61a6ea48c25eacea64e90af5dbf390ebb1b74372f0",
                "data/claims_train.jsonl",
                "claims_train.jsonl",
            ),
            Remote(
                _SCIFACT,
                "86f0435d08fdb65d1aa41d1472684f57e6e71930626497bdf4d7a9ec1a632217",
                "data/claims_dev.jsonl",
                "claims_dev.jsonl",
            ),
            Remote(
                _SCIFACT,
                "b8d6c89624cb2ed74dee8938effc4f5d8bd2086887880af8110d64be4ceade62",
                "data/corpus.jsonl",
                "corpus.jsonl",
            ),
        ),
        ("claims_train.jsonl", "claims_dev.jsonl", "corpus.jsonl"),
    ),
    DataSet(
        "healthver",
        "claims/healthver",
        "no licence stated by the authors (research use; cite them)",
        "Sarrouti et al., Evidence-based Fact-Checking of Health-related Claims, Findings of "
        "EMNLP 2021",
        (
            Remote(
                f"{_HV}/healthver_dev.csv",
                "6f8ea31cbcf2ea5a2d3c82d65587d66e96de4f70e72642bbf7f61fec6ef8a93a",
                target="healthver_dev.csv",
            ),
            Remote(
                f"{_HV}/healthver_test.csv",
                "cf457d2dcddd7a736408082d0037527884f7ca3bda06729e1da5ec9e3b135819",
                target="healthver_test.csv",
            ),
        ),
        ("healthver_dev.csv", "healthver_test.csv"),
    ),
    DataSet(
        "climate-fever",
        "claims/climate-fever",
        "no licence stated by the authors (evidence from Wikipedia, CC BY-SA); research use",
        "Diggelmann et al., CLIMATE-FEVER, arXiv:2012.00614",
        (
            Remote(
                f"{_GH}/tdiggelm/climate-fever-dataset/03de61617b10a5c1935f8e08bb0e8ac1ee775356"
                "/dataset/climate-fever.jsonl",
                "8a4b9032d861be482ffb49dddfd283ffa6089e654f1e968040011882c5eb6e0b",
                target="climate-fever.jsonl",
            ),
        ),
        ("climate-fever.jsonl",),
    ),
    DataSet(
        "covidfact",
        "claims/covidfact",
        "no licence stated by the authors (evidence is web text); research use",
        "Saakyan, Chakrabarty, Muresan, COVID-Fact, ACL 2021",
        (
            Remote(
                f"{_CF}/train.tsv",
                "d4078cd00c739f04a54470540a8694350a31d82140412dd01ea9edc6998d47c4",
                target="RTE-covidfact_train.tsv",
            ),
            Remote(
                f"{_CF}/dev.tsv",
                "389ffda0d71c06953e7f08829da52f99dcdb0e76bf404451ea6fb2c02ce29ad5",
                target="RTE-covidfact_dev.tsv",
            ),
        ),
        ("RTE-covidfact_train.tsv", "RTE-covidfact_dev.tsv"),
    ),
    DataSet(
        "scitab",
        "claims/scitab",
        "MIT (tables from arXiv papers, each under its own licence)",
        "Lu et al., SCITAB, EMNLP 2023",
        (
            Remote(
                f"{_GH}/XinyuanLu00/SciTab/217cfbd71ebf39ba26a0938f0d87a9fce560e0fe/dataset"
                "/sci_tab.json",
                "883843572567e6e2457870c349be83dfc2392fe4d13d89317d06ccf908d21573",
                target="sci_tab.json",
            ),
        ),
        ("sci_tab.json",),
    ),
    DataSet(
        "sem-tab-facts",
        "claims/sem-tab-facts",
        "not stated (SemEval-2021 Task 9 release; open-access articles); research use",
        "Wang et al., SemEval-2021 Task 9 (SEM-TAB-FACTS), SemEval 2021",
        (
            Remote(
                SEMTAB_ZIPS["train_manual"],
                "f03598353de9b8463747d1e39e8b4e5c3ad154e6058cc1d2202826bfe5ba1bae",
            ),
            Remote(
                SEMTAB_ZIPS["dev"],
                "44a5f0dc120a5c3610a8f6795f400b425bfd795be6d47fd7a8c72a02904ffb03",
            ),
        ),
        ("semtabfacts_statements.jsonl",),
        convert_semtab,
    ),
    DataSet(
        "fever",
        "nli/fever-rte-dev",
        "CC BY-SA 3.0 (Wikipedia-derived, as the FEVER organisers state)",
        "Thorne et al., FEVER, NAACL 2018",
        tuple(Remote(u) for u in FEVER_URLS),
        ("fever_dev_rte.jsonl",),
        convert_fever,
    ),
    DataSet(
        "snli",
        "nli/snli-esnli-devtest",
        "SNLI CC BY-SA 4.0; e-SNLI explanations MIT",
        "Bowman et al., SNLI, EMNLP 2015; Camburu et al., e-SNLI, NeurIPS 2018",
        tuple(Remote(u) for split in ("dev", "test") for u in _esnli_urls(split)),
        ("snli_devtest_esnli.jsonl",),
        convert_esnli,
    ),
    DataSet(
        "sick",
        "nli/sick",
        "CC BY-NC-SA 3.0 (original SICK release)",
        "Marelli et al., A SICK cure for the evaluation of compositional distributional "
        "semantic models, LREC 2014",
        (
            Remote(
                f"{_GH}/kkalouli/SICK-processing/0848f4aec60870122a4ca18de08ba0e25f6f9a75/SICK.txt",
                "1539c2d059809b5bd40694e26d8121cc85b6b496f91c7b40f2fc83bbd7dcd957",
                target="SICK.txt",
            ),
        ),
        ("SICK.txt",),
    ),
)


def select_datasets(names: Sequence[str], catalogue: Sequence[DataSet] = DATASETS) -> list[DataSet]:
    """The sets named on the command line (``all`` or nothing: every one).

    Args:
        names: set names, or ``["all"]``.
        catalogue: the sets to choose from.

    Returns:
        The sets, in catalogue order.

    Raises:
        BadInputError: for a name no set has.
    """
    wanted = {n.strip() for n in names if n.strip()}
    if not wanted or "all" in wanted:
        return list(catalogue)
    known = {d.name for d in catalogue}
    unknown = sorted(wanted - known)
    if unknown:
        raise BadInputError(
            f"Unknown data set {', '.join(unknown)}; choose from {', '.join(sorted(known))} or all."
        )
    return [d for d in catalogue if d.name in wanted]


def mirrored(url: str, mirror: str | None) -> str:
    """``url`` on the mirror: ``https://host/path`` -> ``<mirror>/host/path``.

    Args:
        url: an official URL.
        mirror: a base URL, or None for the official URL itself.

    Returns:
        The URL to fetch.
    """
    if not mirror:
        return url
    parts = urlsplit(url)
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}"


@dataclass(frozen=True)
class SetOutcome:
    """What :func:`download_datasets` did for one set.

    Attributes:
        name: the set.
        folder: where its files are.
        status: ``written`` or ``present`` (all its files were there; nothing fetched).
        files: its output files.
        licence: its licence.
        cite: what to cite.
    """

    name: str
    folder: Path
    status: str
    files: tuple[str, ...]
    licence: str
    cite: str


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise VerificationError(
            f"Cannot write {path} ({exc.strerror}); choose a writable data folder (--data)."
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _member(archive: Path, member: str) -> bytes:
    try:
        with tarfile.open(archive, "r:*") as tar:
            for info in tar:
                if info.name.removeprefix("./") == member and info.isfile():
                    fh = tar.extractfile(info)
                    if fh is not None:
                        return fh.read()
    except (tarfile.TarError, EOFError, OSError) as exc:
        archive.unlink(missing_ok=True)  # a broken cache entry would fail every rerun
        raise VerificationError(
            f"{archive.name} is not a readable archive ({exc}); it was removed from the cache, "
            "so a rerun downloads it again."
        ) from None
    raise VerificationError(f"{archive.name} has no member {member}; is the URL right?")


def download_datasets(
    names: Sequence[str],
    settings: Settings,
    *,
    data_dir: Path | None = None,
    mirror: str | None = None,
    force: bool = False,
    catalogue: Sequence[DataSet] = DATASETS,
    client: Any = None,
    show_progress: bool = True,
    on_set: Callable[[DataSet], None] | None = None,
) -> list[SetOutcome]:
    """Fetch the named sets into the data folder, in the layout ``data.py`` reads.

    Args:
        names: set names (``["all"]`` or ``[]``: every set).
        settings: source of ``data_dir``, ``home`` (the download cache), ``offline`` and the
            HTTP settings.
        data_dir: the data folder (default ``settings.data_dir``).
        mirror: fetch from ``<mirror>/<host>/<path>`` instead of the official URLs.
        force: fetch and rewrite sets whose files are all there already.
        catalogue: the sets known (tests give their own).
        client: an ``httpx.Client`` to fetch through (default: one made from the settings).
        show_progress: progress bars on stderr.
        on_set: called with each set before it is fetched (the CLI prints its licence).

    Returns:
        One outcome per set.

    Raises:
        VerificationError: offline, a download that fails, a file whose SHA-256 is not the
            release's, or a data folder that cannot be written.
    """
    from litcheck.experiments.download import archive_path, fetch_archive

    root = data_dir or settings.data_dir
    outcomes = []
    for ds in select_datasets(names, catalogue):
        folder = root / ds.folder
        if not force and all((folder / f).is_file() for f in ds.outputs):
            outcomes.append(SetOutcome(ds.name, folder, "present", ds.outputs, ds.licence, ds.cite))
            continue
        if on_set is not None:
            on_set(ds)
        if settings.offline:
            raise VerificationError(
                f"Offline mode is on (LITCHECK_OFFLINE), so {ds.name} was not downloaded; unset "
                "it (or pass --online) and rerun."
            )
        fetched: dict[str, Path] = {}
        for remote in ds.remotes:
            url = mirrored(remote.url, mirror)
            if url not in fetched:
                dest = archive_path(settings, url)
                try:
                    fetch_archive(url, dest, settings, client=client, show_progress=show_progress)
                except LitcheckError as exc:
                    raise VerificationError(f"{ds.name}: {exc}") from None
                fetched[url] = dest
        files: dict[str, bytes] = {}
        hashes: dict[str, str] = {}
        for remote in ds.remotes:
            if remote.target is None:
                continue
            dest = fetched[mirrored(remote.url, mirror)]
            data = _member(dest, remote.member) if remote.member else dest.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if remote.sha256 is not None and digest != remote.sha256:
                dest.unlink(missing_ok=True)  # refetch on the next run, never keep bad bytes
                raise VerificationError(
                    f"{ds.name}: {remote.target} from {remote.url} has SHA-256 {digest[:12]}…, not "
                    f"the release's {remote.sha256[:12]}…; nothing was written (the download "
                    "was dropped from the cache; rerun, or check --mirror)."
                )
            files[remote.target] = data
            hashes[remote.target] = digest
        if ds.convert is not None:
            inputs = {r.url: fetched[mirrored(r.url, mirror)].read_bytes() for r in ds.remotes}
            for remote in ds.remotes:
                if remote.sha256 is not None:
                    digest = hashlib.sha256(inputs[remote.url]).hexdigest()
                    if digest != remote.sha256:
                        fetched[mirrored(remote.url, mirror)].unlink(missing_ok=True)
                        raise VerificationError(
                            f"{ds.name}: {remote.url} has SHA-256 {digest[:12]}…, not the "
                            f"release's {remote.sha256[:12]}…; nothing was written (rerun)."
                        )
            for target, data in ds.convert(inputs).items():
                files[target] = data
                hashes[target] = hashlib.sha256(data).hexdigest()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VerificationError(
                f"Cannot create {folder} ({exc.strerror}); choose a writable data folder (--data)."
            ) from None
        for target, data in files.items():
            _write_atomic(folder / target, data)
        provenance = {
            "set": ds.name,
            "licence": ds.licence,
            "cite": ds.cite,
            "sources": [
                {"url": r.url, "member": r.member, "target": r.target, "sha256": r.sha256}
                for r in ds.remotes
            ],
            "files": hashes,
            "fetched": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "mirror": mirror,
        }
        _write_atomic(
            folder / "PROVENANCE.json", (json.dumps(provenance, indent=1) + "\n").encode()
        )
        outcomes.append(SetOutcome(ds.name, folder, "written", tuple(files), ds.licence, ds.cite))
    return outcomes

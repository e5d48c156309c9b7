"""``litcheck library index``: embed the library's passages and build its FAISS index.

Mounted on the ``library`` sub-app by ``cli.py``. Verification builds the index on first use
anyway; this command does it ahead of time, and for a large library can shard the embedding
over Ray workers (``--executor ray``).
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.markup import escape

from litcheck.verify.commands import Device


def library_index(
    executor: Annotated[
        str, typer.Option(help="local (this process) or ray (shards on Ray workers).")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster: auto (joined by `ray start`) or HEAD:6379; default: local."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Ray embedding workers (default: one per CPU, or per GPU)."),
    ] = None,
    device: Annotated[
        Device | None, typer.Option(help="Embedding device (default: the settings' device).")
    ] = None,
) -> None:
    """Embed every passage that has no embedding yet and (re)build the passage index.

    Local and Ray runs give the same vectors and the same index; Ray encodes shards of
    passages in parallel, and the index is trained once from all of them.

    Example: [bold]litcheck library index --executor ray --workers 4[/]
    """
    from litcheck.cli_helpers import open_lib, settings
    from litcheck.console import err_console
    from litcheck.errors import BadInputError
    from litcheck.scaleout import RAY_MISSING, ray_installed
    from litcheck.verify.embed import Embedder
    from litcheck.verify.index import PassageEncoder, PassageIndex

    if executor not in ("local", "ray"):
        raise BadInputError(f"Unknown executor {executor!r}: choose local or ray.")
    if address is not None and executor != "ray":
        raise BadInputError("--address names a Ray cluster: add --executor ray.")
    cfg = settings()
    encoder: PassageEncoder | None = None
    if executor == "ray":
        if ray_installed():
            from litcheck.verify.index_ray import RayPassageEncoder

            encoder = RayPassageEncoder(workers=workers, address=address)
        else:
            err_console.print(RAY_MISSING, highlight=False, markup=False)
    embedder = Embedder(cfg.embedding_model, device=device.value if device else cfg.device)
    start = time.perf_counter()
    with open_lib() as lib:
        index = PassageIndex.open(lib, embedder, cfg.cache_dir, encoder=encoder)
    err_console.print(
        f"{len(index)} passages indexed with {escape(embedder.name)} "
        f"({type(index.faiss_index).__name__}) in {time.perf_counter() - start:.1f} s.",
        highlight=False,
    )


def register(library_app: typer.Typer) -> None:
    """Add ``index`` to the ``library`` sub-app."""
    library_app.command("index")(library_index)

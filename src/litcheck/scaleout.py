"""Ray, for the jobs that outgrow one machine: the experiment grid and library embedding.

Ray is optional (the ``ray`` extra). Everything here imports it lazily, so litcheck installs
and runs without it; callers ask :func:`ray_installed` first and fall back to their local path
with :data:`RAY_MISSING` printed once.

:func:`ray_session` either connects to an existing cluster (``address``) or starts a private
local instance that listens on the loopback interface only, with no dashboard and no usage
reporting, and shuts it down again when the block ends.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

from litcheck.errors import LitcheckError

#: The one line printed when ``--executor ray`` is asked for without the extra installed.
RAY_MISSING = (
    'ray is not installed (pip install "litcheck[ray]"); running on the local workers instead.'
)


def ray_installed() -> bool:
    """True when the ``ray`` package can be imported."""
    return importlib.util.find_spec("ray") is not None


@contextlib.contextmanager
def ray_session(
    address: str | None = None,
    num_cpus: int | None = None,
    error: type[LitcheckError] = LitcheckError,
) -> Iterator[Any]:
    """A connected Ray driver for the duration of the block.

    Args:
        address: an existing cluster: ``auto`` (this node joined one with ``ray start``),
            ``HEAD:6379``, or ``ray://HEAD:10001`` (Ray Client: needs ``ray[client]``); None
            starts a local instance.
        num_cpus: CPUs of the local instance (default: every core); ignored with ``address``.
        error: the :class:`~litcheck.errors.LitcheckError` subclass raised when the cluster
            cannot be reached, so that each stage reports it under its own type.

    Yields:
        The ``ray`` module, initialised. A session that was already initialised by the
        caller (a notebook, a test) is used as it is and left running.

    Raises:
        LitcheckError: (as ``error``) ``address`` could not be reached.
    """
    if address is None and "ray" not in sys.modules:
        # Read by ray when it is imported: with clusters "disabled", the local node's address is
        # the loopback one, so every ray process listens on 127.0.0.1 only.
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    if ray.is_initialized():
        yield ray
        return
    try:
        if address is None:
            ray.init(
                num_cpus=num_cpus or os.cpu_count() or 1,
                include_dashboard=False,
                log_to_driver=False,  # the driver's stderr belongs to the progress display
                logging_level=logging.ERROR,
            )
        else:
            ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "a local instance"
        raise error(f"Could not start or reach Ray at {where}: {exc}".rstrip(".") + ".") from exc
    try:
        yield ray
    finally:
        ray.shutdown()


def gpus_in_cluster(ray: Any) -> int:
    """How many GPUs the connected cluster has (0 on a CPU-only one).

    Args:
        ray: the initialised ``ray`` module from :func:`ray_session`.

    Returns:
        The cluster's total GPU count.
    """
    return int(ray.cluster_resources().get("GPU", 0))

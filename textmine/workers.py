"""How worker processes start: one start method for every pool, and an early start.

Workers come from a *forkserver* where the platform has one (a clean process
that forks each worker; safe with the threads pandas and Arrow start), else
from *spawn*. The forkserver imports pandas and the pipeline once, so each
worker starts with them already imported. :func:`start_early` launches it
at once: it then imports them on the idle core while the main process is
still importing and reading its first chunks.
"""

from __future__ import annotations

import multiprocessing as mp
import os

__all__ = ["context", "default_jobs", "start_early"]

#: Modules the forkserver imports before it forks any worker.
PRELOAD = ["textmine.batch", "textmine.pipeline", "textmine.sentiment.model",
           "textmine.topics", "textmine.fastcut"]


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def context():
    """The multiprocessing context every pool of textmine workers uses."""
    if "forkserver" not in mp.get_all_start_methods():  # pragma: no cover - Windows
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_early(jobs: int) -> None:
    """Start the process the ``jobs`` workers will be forked from, if they will be.

    Nothing happens for one job or where there is no forkserver.
    """
    if jobs <= 1 or context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    forkserver.ensure_running()

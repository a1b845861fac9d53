"""How worker processes start: one start method for every pool, and an early start.

Workers come from a *forkserver* where the platform has one (a clean process
that forks each worker; safe with the threads pandas and Arrow start), else
from *spawn*. The ``textmine`` command calls :func:`start_early` before its
own imports: the forkserver then imports pandas and the pipeline on the idle
core, once, and every worker is forked with them in place. The library
itself leaves the forkserver's settings alone (they are the process's, not
textmine's), and its workers import what they need.
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
    return mp.get_context("forkserver")


def start_early(jobs: int) -> None:
    """Start the process the ``jobs`` workers will be forked from, preloading
    what they import; for the command, which owns its process.

    Nothing happens for one job or where there is no forkserver.
    """
    ctx = context()
    if jobs <= 1 or ctx.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    ctx.set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()

"""Batch scoring of large files: streaming, all cores, resumable.

A file is read in chunks; each chunk is scored (in worker processes with
``jobs > 1``, results kept in input order) and stored as a *part* — an Arrow
IPC file written atomically into a folder beside the output. A manifest in
that folder records the input and the settings. When every part is there, the
parts are streamed into the output (itself written atomically) and the folder
is removed. If the run is killed, ``resume=True`` reuses the parts already
written and scores only the rest, and the output is byte-for-byte what an
uninterrupted run writes. Peak memory depends on the chunk size and the number
of workers, not on the length of the input.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from . import __version__
from .errors import InputError
from .io import TEXT_FORMATS, Chunk, TableReader, TableWriter, find_text_column, render_chunk
from .pipeline import Pipeline
from .workers import default_jobs

__all__ = ["ScoreSummary", "score_file", "score_chunks", "score_frame_parallel", "default_jobs"]

log = logging.getLogger(__name__)


@dataclass
class ScoreSummary:
    """What a scoring run did: rows in and out, and how many of each status."""

    input: str
    output: str
    text_col: str
    rows: int = 0
    resumed_chunks: int = 0
    status: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.status.items()))
        resumed = f" (resumed after {self.resumed_chunks} chunks)" if self.resumed_chunks else ""
        return (f"scored {self.rows} rows of {self.input} (column {self.text_col!r}) "
                f"→ {self.output}{resumed}: {parts}")


# --- scoring chunks, in this process or in workers ---------------------------

_WORKER_PIPELINE: Pipeline | None = None
_WORKER_ERROR: Exception | None = None


def _init_worker(pipeline: Pipeline, jieba_filters: list) -> None:
    # Each worker process builds its pipeline once and keeps it for all chunks,
    # and hears jieba's messages exactly as the parent process does.
    global _WORKER_PIPELINE, _WORKER_ERROR
    for f in jieba_filters:
        logging.getLogger("jieba").addFilter(f)
    try:
        _WORKER_PIPELINE = pipeline.fit()
    except Exception as exc:  # noqa: BLE001 - raised again with the first chunk
        # An exception here would only tell the parent that the pool broke;
        # raised from a task it reaches the user with its own message
        # (a corrupt model, a missing dictionary).
        _WORKER_ERROR = exc


def _in_worker(task, args):
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    return task(_WORKER_PIPELINE, *args)


def _score(pipeline: Pipeline, frame: pd.DataFrame, text_col: str, errors) -> pd.DataFrame:
    return pipeline.score_frame(frame, text_col, errors=errors)


@dataclass
class _Split:
    """A task cut into pieces that run side by side; ``combine`` joins their results."""

    pieces: list
    combine: object


def _run_ordered(tasks: Iterator, pipeline: Pipeline, jobs: int) -> Iterator:
    """Run ``task(pipeline, *args)`` for each ``(task, args)``; yield results in order.

    With ``jobs > 1`` the tasks go to a pool of worker processes, each with its
    own copy of ``pipeline``; at most two tasks per worker are in flight, so
    memory stays bounded. A :class:`_Split` task runs its pieces on as many
    workers and yields ``combine`` of their results. Fewer than two tasks run
    here: starting workers would cost more than it saves.
    """
    import itertools

    tasks = iter(tasks)
    head = list(itertools.islice(tasks, 2))
    if len(head) < 2:
        jobs = 1
    tasks = itertools.chain(head, tasks)
    if jobs <= 1:
        for task in tasks:
            if isinstance(task, _Split):
                yield task.combine([fn(pipeline, *args) for fn, args in task.pieces])
            else:
                fn, args = task
                yield fn(pipeline, *args)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .workers import context

    with ProcessPoolExecutor(max_workers=jobs, mp_context=context(),
                             initializer=_init_worker,
                             initargs=(pipeline, list(logging.getLogger("jieba").filters))) as pool:
        pending: deque = deque()

        def result(entry):
            futures, combine = entry
            results = [f.result() for f in futures]
            return results[0] if combine is None else combine(results)

        for task in tasks:
            if isinstance(task, _Split):
                pending.append(([pool.submit(_in_worker, fn, args) for fn, args in task.pieces],
                                task.combine))
            else:
                pending.append(([pool.submit(_in_worker, *task)], None))
            if len(pending) >= 2 * jobs:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())


def score_chunks(chunks: Iterator[Chunk], pipeline: Pipeline, text_col: str,
                 jobs: int = 1) -> Iterator[pd.DataFrame]:
    """Score chunks and yield the results in input order.

    With ``jobs > 1`` chunks go to a pool of worker processes; at most two
    chunks per worker are in flight, so memory stays bounded.
    """
    return _run_ordered(((_score, (c.frame, text_col, c.errors)) for c in chunks),
                        pipeline, jobs)


def score_frame_parallel(frame: pd.DataFrame, text_col: str, pipeline: Pipeline, jobs: int,
                         chunk_size: int = 5000) -> pd.DataFrame:
    """``pipeline.score_frame(frame, text_col)``, chunk by chunk in ``jobs`` worker
    processes (-1: all cores); the same result as in one process."""
    if jobs == -1:
        jobs = default_jobs()
    starts = range(0, len(frame), chunk_size)
    tasks = ((_score, (frame.iloc[i:i + chunk_size], text_col, None)) for i in starts)
    parts = list(_run_ordered(tasks, pipeline, jobs))
    if not parts:
        return pipeline.score_frame(frame, text_col)
    return pd.concat(parts, ignore_index=True)


@dataclass
class _Stored:
    """A scored chunk, stored as a part: its text for the output when the
    format is a text one (rendered where it was scored), else the frame."""

    columns: list
    rows: int
    status: Counter
    text: str | None = None
    frame: pd.DataFrame | None = None


def _stored(frame: pd.DataFrame, fmt: str, header: bool) -> _Stored:
    status = Counter("error" if s.startswith("error") else s for s in frame["status"])
    if fmt in TEXT_FORMATS:
        return _Stored(list(frame.columns), len(frame), status,
                       text=render_chunk(frame, fmt, header=header))
    return _Stored(list(frame.columns), len(frame), status, frame=frame)


def _score_and_store(pipeline: Pipeline, frame: pd.DataFrame, text_col: str, errors,
                     path: Path, fmt: str, header: bool) -> _Stored:
    # Scoring, the part file and the rendering of the output text all happen
    # in the worker: the parent only reads input and copies text.
    scored = pipeline.score_frame(frame, text_col, errors=errors)
    return _stored(_write_part(scored, path), fmt, header)


# --- parts and the manifest ----------------------------------------------------

def _parts_dir(output: Path) -> Path:
    return output.with_name(f".{output.name}.parts")


def _fingerprint(input_path: Path, text_col: str, chunk_size: int, pipeline: Pipeline) -> dict:
    stat = input_path.stat()
    params = json.dumps(pipeline.get_params(), sort_keys=True, default=str)
    return {
        "textmine": __version__,
        "input": str(input_path.resolve()),
        "input_size": stat.st_size,
        "input_mtime_ns": stat.st_mtime_ns,
        "text_col": text_col,
        "chunk_size": chunk_size,
        "pipeline": hashlib.sha256(params.encode()).hexdigest(),
    }


def _write_part(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Store ``frame`` as a part; return it as :func:`_read_part` will read it back.

    The output is written from what the parts hold, for chunks scored now
    and for chunks a resumed run reads back, so both give the same bytes.
    """
    import pyarrow as pa
    import pyarrow.feather as feather

    table = pa.Table.from_pandas(frame, preserve_index=False)
    tmp = path.with_suffix(".tmp")
    feather.write_feather(table, tmp, compression="uncompressed")
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return _from_arrow(table)


def _read_part(path: Path) -> pd.DataFrame:
    import pyarrow.feather as feather

    return _from_arrow(feather.read_table(path, memory_map=False))


def _from_arrow(table) -> pd.DataFrame:
    frame = table.to_pandas()
    # Text columns come back as str dtype; restore object so every writer
    # sees exactly what a direct run hands it.
    for col in frame.columns:
        if pd.api.types.is_string_dtype(frame[col]) and frame[col].dtype != object:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def _part_name(index: int) -> str:
    return f"part-{index:07d}.arrow"


def _completed_parts(parts: Path) -> int:
    n = 0
    while (parts / _part_name(n)).exists():
        n += 1
    return n


def _prepare_parts(parts: Path, fingerprint: dict, resume: bool, output: Path) -> int:
    manifest = parts / "manifest.json"
    if parts.exists() and resume:
        try:
            previous = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != fingerprint:
            raise InputError(
                "cannot resume: the input, the text column, the chunk size or the analysis "
                "options differ from the interrupted run; run again without --resume",
                path=output)
        done = _completed_parts(parts)
        log.info("resuming %s after %d completed chunks", output, done)
        return done
    if parts.exists():
        shutil.rmtree(parts)
    parts.mkdir(parents=True)
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(fingerprint, indent=1), encoding="utf-8")
    os.replace(tmp, manifest)
    return 0


_MIN_PIECE = 100  # rows: a last chunk under two pieces of this size is not split


def _store_tasks(chunks: Iterator[Chunk], first: int, col: str, parts: Path, fmt: str,
                 jobs: int) -> Iterator:
    """A task per chunk that scores it and stores it as its part.

    The last chunk is split among the workers, so that none of them sits idle
    while one scores it alone; its part is then written here.
    """
    previous = None
    for i, chunk in enumerate(chunks, start=first):
        if previous is not None:
            yield _store_task(*previous, col, parts, fmt)
        previous = (i, chunk)
    if previous is None:
        return
    i, chunk = previous
    rows = len(chunk.frame)
    if jobs <= 1 or rows < 2 * _MIN_PIECE:
        yield _store_task(i, chunk, col, parts, fmt)
        return
    cuts = [rows * j // jobs for j in range(jobs + 1)]
    errors = chunk.errors or None
    pieces = [(_score, (chunk.frame.iloc[a:b], col, errors[a:b] if errors else None))
              for a, b in zip(cuts, cuts[1:]) if b > a]
    yield _Split(pieces, functools.partial(_join_and_store, path=parts / _part_name(i),
                                           fmt=fmt, header=i == 0))


def _store_task(i: int, chunk: Chunk, col: str, parts: Path, fmt: str) -> tuple:
    return _score_and_store, (chunk.frame, col, chunk.errors, parts / _part_name(i), fmt, i == 0)


def _join_and_store(frames: list, path: Path, fmt: str, header: bool) -> _Stored:
    return _stored(_write_part(pd.concat(frames, ignore_index=True), path), fmt, header)


def _skip(chunks: Iterator[Chunk], n: int) -> Iterator[Chunk]:
    for i, chunk in enumerate(chunks):
        if i >= n:
            yield chunk


# --- the entry point ----------------------------------------------------------

def score_file(input_path, output_path, *, pipeline: Pipeline | None = None,
               text_col: str | None = None, chunk_size: int = 5000, jobs: int = 1,
               resume: bool = False, progress: bool = False, stdout=None) -> ScoreSummary:
    """Score ``input_path`` into ``output_path`` chunk by chunk.

    Parameters
    ----------
    input_path, output_path : str or Path
        Any input :class:`textmine.io.TableReader` reads; an output whose
        extension picks the format, or ``-`` for CSV on standard output.
    pipeline : Pipeline, optional
        The analysis to run (default: ``Pipeline()``).
    text_col : str, optional
        The text column; found automatically when obvious.
    chunk_size : int
        Rows per chunk; memory grows with it, not with the input.
    jobs : int
        Worker processes; 1 scores in this process. Output order and content
        do not depend on it.
    resume : bool
        Continue an interrupted run from its last completed chunk.

    Returns
    -------
    ScoreSummary
    """
    pipeline = pipeline or Pipeline()
    reader = TableReader(input_path, chunk_size=chunk_size)
    col = find_text_column(reader.columns, text_col, path=input_path)
    summary = ScoreSummary(str(input_path), str(output_path), col)
    bar = _progress_bar(input_path, progress)
    try:
        if str(output_path) == "-":
            with TableWriter("-", stdout=stdout) as writer:
                for i, frame in enumerate(score_chunks(iter(reader), pipeline, col, jobs)):
                    _write_stored(writer, _stored(frame, writer.format, i == 0), summary, bar)
                _write_empty(writer, reader.columns, col, pipeline)
            return summary
        output = Path(output_path)
        TableWriter(output)  # checks the extension before any work
        parts = _parts_dir(output)
        done = _prepare_parts(parts, _fingerprint(Path(input_path), col, chunk_size, pipeline),
                              resume, output)
        summary.resumed_chunks = done
        # The output grows (in a temporary file) as the chunks come in, so no
        # single-threaded pass over all parts is left for the end.
        with TableWriter(output) as writer:
            fmt = writer.format
            for i in range(done):
                _write_stored(writer, _stored(_read_part(parts / _part_name(i)), fmt, i == 0),
                              summary, bar)
            tasks = _store_tasks(_skip(iter(reader), done), done, col, parts, fmt, jobs)
            for stored in _run_ordered(tasks, pipeline, jobs):
                _write_stored(writer, stored, summary, bar)
            _write_empty(writer, reader.columns, col, pipeline)
        shutil.rmtree(parts, ignore_errors=True)
    finally:
        if bar is not None:
            bar.close()
    log.info(summary.describe())
    return summary


def _write_stored(writer: TableWriter, stored: _Stored, summary: ScoreSummary, bar) -> None:
    if stored.text is not None:
        writer.write_rendered(stored.text, stored.columns, stored.rows)
    else:
        writer.write(stored.frame)
    summary.rows += stored.rows
    summary.status.update(stored.status)
    if bar is not None:
        bar.update(stored.rows)


def _write_empty(writer: TableWriter, columns, col: str, pipeline: Pipeline) -> None:
    # An input with a header and no rows still gives an output with a header.
    if writer.rows == 0:
        empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
        writer.write(pipeline.score_frame(empty, col))


def _progress_bar(path, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" rows", desc=f"scoring {Path(str(path)).name}", leave=False)

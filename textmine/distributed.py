"""Scoring on a Dask cluster, for when one machine is not enough.

``score_dask`` maps the pipeline over the partitions of a Dask DataFrame;
``score_file_dask`` (``textmine score --engine dask``) reads a file with
textmine's own readers — so malformed rows are flagged exactly as in a local
run — sends the chunks to the cluster and writes the results in input order.
Each worker process builds the pipeline once and reuses it for every task.

Point it at a running cluster with ``scheduler="tcp://HOST:8786"``; without
one, a :class:`distributed.LocalCluster` is started for the call.
"""

from __future__ import annotations

import json
from collections import deque
from contextlib import contextmanager

import pandas as pd

from .batch import ScoreSummary
from .io import TableReader, TableWriter, find_text_column
from .pipeline import Pipeline

__all__ = ["score_dask", "score_file_dask"]

# One loaded pipeline per worker process, keyed by its parameters: tasks arrive
# with a fresh (unloaded) copy, and loading dictionaries and models per task
# would dominate the work.
_PIPELINES: dict[str, Pipeline] = {}


def _loaded(pipeline: Pipeline) -> Pipeline:
    key = json.dumps(pipeline.get_params(), sort_keys=True, default=str)
    if key not in _PIPELINES:
        _PIPELINES[key] = pipeline.fit()
    return _PIPELINES[key]


def _score_partition(frame: pd.DataFrame, pipeline: Pipeline, text_col: str,
                     errors=None) -> pd.DataFrame:
    out = _loaded(pipeline).score_frame(frame, text_col, errors=errors)
    out.index = frame.index
    return out


def score_dask(ddf, text: str | None = None, pipeline: Pipeline | None = None):
    """Score a Dask DataFrame partition by partition; returns a lazy Dask DataFrame.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Comments, one per row.
    text : str, optional
        The text column; found automatically when obvious.
    pipeline : Pipeline, optional
        The analysis to run (default: ``Pipeline()``).

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> ddf = dd.from_pandas(pd.DataFrame({"text": ["很好吃", "物流太慢了"]}), npartitions=2)
    >>> score_dask(ddf).compute()["sentiment_label"].tolist()
    ['pos', 'neg']
    """
    pipeline = pipeline or Pipeline()
    col = find_text_column(ddf.columns, text)
    meta = pipeline.score_frame(ddf._meta.iloc[:0], col)
    meta.index = ddf._meta.index[:0]
    return ddf.map_partitions(_score_partition, pipeline, col, meta=meta)


@contextmanager
def _client(scheduler: str | None, workers: int):
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def score_file_dask(input_path, output_path, *, pipeline: Pipeline | None = None,
                    text_col: str | None = None, scheduler: str | None = None,
                    workers: int = 2, chunk_size: int = 5000) -> ScoreSummary:
    """Score a file on a Dask cluster; same output as :func:`textmine.batch.score_file`."""
    pipeline = pipeline or Pipeline()
    reader = TableReader(input_path, chunk_size=chunk_size)
    col = find_text_column(reader.columns, text_col, path=input_path)
    summary = ScoreSummary(str(input_path), str(output_path), col)
    with _client(scheduler, workers) as client, TableWriter(output_path) as writer:
        remote = client.scatter(pipeline, broadcast=True)
        in_flight = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        pending: deque = deque()

        def emit(frame: pd.DataFrame) -> None:
            writer.write(frame)
            summary.rows += len(frame)
            summary.status.update("error" if s.startswith("error") else s for s in frame["status"])

        for chunk in reader:
            pending.append(client.submit(_score_partition, chunk.frame, remote, col, chunk.errors,
                                         pure=False))
            if len(pending) >= in_flight:
                emit(pending.popleft().result())
        while pending:
            emit(pending.popleft().result())
        if writer.rows == 0:
            empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in reader.columns})
            writer.write(pipeline.score_frame(empty, col))
    return summary

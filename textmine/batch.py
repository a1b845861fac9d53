"""Score a table file chunk by chunk: read, analyse, write, never lose a row."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .io import TableReader, TableWriter, find_text_column
from .pipeline import Pipeline

__all__ = ["ScoreSummary", "score_file"]

log = logging.getLogger(__name__)


@dataclass
class ScoreSummary:
    """What a scoring run did: rows in and out, and how many of each status."""

    input: str
    output: str
    text_col: str
    rows: int = 0
    status: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.status.items()))
        return f"scored {self.rows} rows of {self.input} (column {self.text_col!r}) → {self.output}: {parts}"


def _status_key(status: str) -> str:
    return "error" if status.startswith("error") else status


def score_file(input_path, output_path, *, pipeline: Pipeline | None = None,
               text_col: str | None = None, chunk_size: int = 5000, progress: bool = False,
               stdout=None) -> ScoreSummary:
    """Score ``input_path`` into ``output_path`` chunk by chunk.

    The output has every input row and column in order, plus the result
    columns; it appears only when complete (see :class:`textmine.io.TableWriter`).
    """
    pipeline = pipeline or Pipeline()
    reader = TableReader(input_path, chunk_size=chunk_size)
    col = find_text_column(reader.columns, text_col, path=input_path)
    summary = ScoreSummary(str(input_path), str(output_path), col)
    bar = _progress_bar(input_path, progress)
    try:
        with TableWriter(output_path, stdout=stdout) as writer:
            for chunk in reader:
                scored = pipeline.score_frame(chunk.frame, col, errors=chunk.errors)
                writer.write(scored)
                summary.rows += len(scored)
                summary.status.update(_status_key(s) for s in scored["status"])
                if bar is not None:
                    bar.update(len(scored))
            if writer.rows == 0:  # still write a header-only file
                writer.write(pipeline.score_frame(
                    _empty_frame(reader.columns, col), col))
    finally:
        if bar is not None:
            bar.close()
    log.info(summary.describe())
    return summary


def _empty_frame(columns, col):
    import pandas as pd

    return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})


def _progress_bar(path, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=" rows", desc=f"scoring {Path(str(path)).name}", leave=False)

"""The report as an Excel workbook: one sheet per section.

Sheets: 摘要, 主题, 产品, 销售关联, 预警, 评论明细. The first table of each sheet
has its header frozen; numbers are numbers (shares as fractions shown with
a % format, differences of shares in percentage points as in the 摘要),
dates are dates, and every text cell that Excel could take for a formula
(starting with ``=``, ``+``, ``-``, ``@``) is neutralised with
:func:`textmine.io.neutralise_cell`. The file is streamed by
:mod:`textmine.report.xlsx` and written atomically.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..files import atomic_path
from ..io import neutralise_cell
from .fmt import column_kind, column_label
from .summary import TABLE_TITLES
from .xlsx import Sheet, write_workbook

__all__ = ["SHEETS", "write_excel", "excel_column"]

#: Sheet → tables on it, top to bottom.
SHEETS = (
    ("摘要", ("summary", "overview", "method")),
    ("主题", ("topics", "examples", "topic_trend")),
    ("产品", ("products", "streamers", "platforms", "pack_sizes", "tiers", "channels")),
    ("销售关联", ("effects", "spikes", "panel", "unmatched")),
    ("预警", ("alerts", "alert_comments", "alert_trend")),
    ("评论明细", ("comments",)),
)

_NUMBER_KINDS = {"int", "pct", "pp", "num", "money", "rho", "p"}
_WIDE = {"text": 60, "finding": 90, "detail": 90, "keywords": 40, "evidence": 30}
_WRAP = {"finding", "detail"}


def _display_width(text: str) -> float:
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def excel_column(series: pd.Series, kind: str) -> list:
    """Cell values of one column: numbers, datetimes, neutralised text, or None.

    >>> excel_column(pd.Series(["=1+1", "好"]), "text")
    ["'=1+1", '好']
    >>> excel_column(pd.Series([0.1234, None]), "pp")
    [12.34, None]
    """
    if kind in ("date", "datetime"):
        values = pd.to_datetime(series, errors="coerce")
        return [None if pd.isna(v) else v.to_pydatetime() for v in values]
    if kind in _NUMBER_KINDS:
        values = pd.to_numeric(series, errors="coerce").astype(float)
        if kind == "pp":
            values = values * 100  # percentage points, as the 摘要 writes them
        out = [v if np.isfinite(v) else None for v in values.tolist()]
        if kind == "int":
            out = [None if v is None else int(round(v)) for v in out]
        return out
    out = []
    for v in series.tolist():
        if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
            out.append(None)
        elif isinstance(v, (bool, np.bool_)):
            out.append("是" if v else "")
        else:
            out.append(neutralise_cell(str(v)))
    return out


class _Layout:
    """Rows of one sheet, with the column widths their contents need."""

    def __init__(self):
        self.rows: list[list] = []
        self.widths: dict[int, float] = {}
        self.freeze = 0

    def width(self, col: int, text: str, cap: float = 50) -> None:
        self.widths[col] = min(max(self.widths.get(col, 6.0), _display_width(text) + 2), cap)

    def table(self, frame: pd.DataFrame, caption: str | None, first: bool) -> None:
        if caption:
            self.rows.append([(caption, "title")])
        kinds = [column_kind(str(c), frame[c].dtype) for c in frame.columns]
        headers = [column_label(str(c)) for c in frame.columns]
        self.rows.append([(h, "bold") for h in headers])
        if first:
            self.freeze = len(self.rows)
        columns = [excel_column(frame[c], k) for c, k in zip(frame.columns, kinds)]
        styles = []
        for j, (name, kind, header) in enumerate(zip(frame.columns, kinds, headers), start=1):
            self.width(j, header)
            if kind == "date":
                self.width(j, "2026-01-01")
            elif kind == "datetime":
                self.width(j, "2026-01-01 00:00")
            elif kind in _NUMBER_KINDS:
                self.width(j, "1,234,567.0")
            else:
                cap = _WIDE.get(str(name), 30)
                for v in columns[j - 1][:200]:
                    if v is not None:
                        self.width(j, v, cap=cap)
            styles.append("wrap" if str(name) in _WRAP else
                          kind if kind in _NUMBER_KINDS or kind in ("date", "datetime")
                          else "general")
        plain = [s == "general" for s in styles]
        for values in zip(*columns):
            self.rows.append([v if p else (v, s) for v, p, s in zip(values, plain, styles)])

    def key_values(self, frame: pd.DataFrame, caption: str) -> None:
        self.rows.append([(caption, "title")])
        self.rows.append([("项目", "bold"), ("数值", "bold")])
        r = frame.iloc[0]
        for c in frame.columns:
            kind = column_kind(c)
            value = excel_column(pd.Series([r[c]], dtype=object), kind)[0]
            style = kind if kind in _NUMBER_KINDS or kind in ("date", "datetime") else "general"
            self.rows.append([column_label(c), (value, style)])
            self.width(1, column_label(c))

    def note(self, text: str) -> None:
        self.rows.append([(text, "bold")])


def _sheets(report) -> list[Sheet]:
    t = report.tables
    out = []
    for title, keys in SHEETS:
        layout = _Layout()
        if title == "摘要":
            layout.rows.append([(report.title, "title")])
        present = [k for k in keys if k in t and len(t[k].columns)]
        if title == "销售关联" and not present:
            layout.note("没有提供销售数据，本节为空。")
        for i, key in enumerate(present):
            if i:
                layout.rows.append([])
            if key == "overview":
                layout.key_values(t[key], TABLE_TITLES["overview"])
            else:
                layout.table(t[key], None if i == 0 else TABLE_TITLES.get(key, key), first=i == 0)
        out.append(Sheet(title, layout.rows, {c: round(w, 1) for c, w in layout.widths.items()},
                         layout.freeze))
    return out


def _created(report) -> _dt.datetime:
    """The workbook's creation date: the report's generation date when it reads as one, else
    the last comment's time, so the same input gives the same file."""
    for value in (report.generated, report.tables["overview"]["end"].iloc[0]):
        when = pd.to_datetime(value, errors="coerce", format="ISO8601")
        if not pd.isna(when):
            return when.to_pydatetime().replace(tzinfo=None)
    return _dt.datetime(1980, 1, 1)  # no dated comment: the date of the zip entries


def write_excel(report, path) -> Path:
    """Write ``report`` to ``path`` (.xlsx) and return the path."""
    path = Path(path)
    with atomic_path(path, suffix=".xlsx") as tmp:
        write_workbook(tmp, _sheets(report), title=report.title, created=_created(report))
    return path



"""The report as an Excel workbook: one sheet per section.

Sheets: 摘要, 主题, 产品, 销售关联, 预警, 评论明细. The first table of each sheet
has its header frozen; numbers are numbers (shares as fractions shown with
a % format), dates are dates, and every text cell that Excel could take for
a formula (starting with ``=``, ``+``, ``-``, ``@``) is neutralised with
:func:`textmine.io.neutralise_cell`. Written in streaming mode, so 100,000
comments take seconds, and atomically (a temporary file renamed at the end).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..io import neutralise_cell
from .fmt import EXCEL_FORMATS, column_kind, column_label
from .summary import TABLE_TITLES

__all__ = ["SHEETS", "write_excel"]

#: Sheet → tables on it, top to bottom.
SHEETS = (
    ("摘要", ("summary", "overview", "method")),
    ("主题", ("topics", "examples", "topic_trend")),
    ("产品", ("products", "streamers", "platforms", "pack_sizes", "tiers", "channels")),
    ("销售关联", ("effects", "panel")),
    ("预警", ("alerts", "alert_comments", "alert_trend")),
    ("评论明细", ("comments",)),
)

_MAX_CELL = 32767  # Excel's limit on the characters in one cell
_WIDE = {"text": 60, "finding": 90, "detail": 90, "keywords": 40, "evidence": 30}


def _clean_text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise_cell(value[:_MAX_CELL])


def _display_width(text: str) -> float:
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


class _Sheet:
    """A streaming sheet that tracks column widths before they are fixed."""

    def __init__(self, wb, title: str):
        self.ws = wb.create_sheet(title)
        self.rows: list[list] = []
        self.widths: dict[int, float] = {}
        self.freeze: str | None = None

    def note_width(self, col: int, text: str, cap: float = 50) -> None:
        self.widths[col] = min(max(self.widths.get(col, 6), _display_width(text) + 2), cap)


def _styled(ws, value, number_format=None, bold=False, wrap=False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = WriteOnlyCell(ws, value)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _column_values(series: pd.Series, kind: str) -> list:
    if kind in ("date", "datetime"):
        values = pd.to_datetime(series, errors="coerce")
        return [None if pd.isna(v) else v.to_pydatetime() for v in values]
    if kind in ("int", "pct", "pp", "num", "money", "rho", "p"):
        values = pd.to_numeric(series, errors="coerce").astype(float)
        if kind == "pp":
            values = values * 100  # shown as percentage points, as in the 摘要
        out = [None if not np.isfinite(v) else v for v in values.tolist()]
        if kind == "int":
            out = [None if v is None else int(round(v)) for v in out]
        return out
    out = []
    for v in series.tolist():
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            out.append(None)
        elif isinstance(v, bool) or isinstance(v, np.bool_):
            out.append("是" if v else "")
        else:
            out.append(_clean_text(str(v)))
    return out


def _write_table(sheet: _Sheet, frame: pd.DataFrame, caption: str | None, *, first: bool) -> None:
    ws = sheet.ws
    if caption:
        sheet.rows.append([_styled(ws, caption, bold=True)])
    kinds = [column_kind(str(c), frame[c].dtype) for c in frame.columns]
    headers = [column_label(str(c)) for c in frame.columns]
    sheet.rows.append([_styled(ws, h, bold=True) for h in headers])
    if first:
        sheet.freeze = f"A{len(sheet.rows) + 1}"
    columns = [_column_values(frame[c], k) for c, k in zip(frame.columns, kinds)]
    for j, (name, kind, h) in enumerate(zip(frame.columns, kinds, headers), start=1):
        sheet.note_width(j, h)
        if kind in ("date",):
            sheet.note_width(j, "2026-01-01")
        elif kind == "datetime":
            sheet.note_width(j, "2026-01-01 00:00")
        elif kind in ("int", "pct", "pp", "num", "money", "rho", "p"):
            sheet.note_width(j, "1,234,567.0")
        else:
            cap = _WIDE.get(str(name), 30)
            for v in columns[j - 1][:200]:
                if v is not None:
                    sheet.note_width(j, str(v), cap=cap)
    formats = [EXCEL_FORMATS.get(k) for k in kinds]
    wrap = [str(c) in ("finding", "detail") for c in frame.columns]
    styled = [f is not None or w for f, w in zip(formats, wrap)]
    for i in range(len(frame)):
        row = []
        for j, col in enumerate(columns):
            v = col[i]
            row.append(_styled(ws, v, formats[j], wrap=wrap[j]) if styled[j] and v is not None
                       else v)
        sheet.rows.append(row)


def _overview_rows(frame: pd.DataFrame) -> pd.DataFrame:
    r = frame.iloc[0]
    return pd.DataFrame({"item": [column_label(c) for c in frame.columns],
                         "value": [r[c] for c in frame.columns],
                         "kind": [column_kind(c) for c in frame.columns]})


def _write_overview(sheet: _Sheet, frame: pd.DataFrame) -> None:
    ws = sheet.ws
    sheet.rows.append([_styled(ws, TABLE_TITLES["overview"], bold=True)])
    sheet.rows.append([_styled(ws, "项目", bold=True), _styled(ws, "数值", bold=True)])
    for _, r in _overview_rows(frame).iterrows():
        value = _column_values(pd.Series([r["value"]], dtype=object), r["kind"])[0]
        fmt = EXCEL_FORMATS.get(r["kind"])
        sheet.rows.append([r["item"], _styled(ws, value, fmt) if fmt and value is not None
                           else value])


def write_excel(report, path) -> Path:
    """Write ``report`` to ``path`` (.xlsx) and return the path."""
    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook(write_only=True)
    wb.properties.title = report.title
    wb.properties.creator = "textmine"
    t = report.tables
    for title, keys in SHEETS:
        sheet = _Sheet(wb, title)
        if title == "摘要":
            sheet.rows.append([_styled(sheet.ws, report.title, bold=True)])
        present = [k for k in keys if k in t]
        if title == "销售关联" and not any(len(t[k].columns) for k in present):
            sheet.rows.append([_styled(sheet.ws, "没有提供销售数据，本节为空。", bold=True)])
        first = True
        for key in present:
            frame = t[key]
            if len(frame.columns) == 0:
                continue
            if not first:
                sheet.rows.append([])
            if key == "overview":
                _write_overview(sheet, frame)
            else:
                _write_table(sheet, frame, None if first else TABLE_TITLES.get(key, key),
                             first=first)
            first = False
        ws = sheet.ws
        from openpyxl.utils import get_column_letter

        for col, width in sheet.widths.items():
            ws.column_dimensions[get_column_letter(col)].width = round(width, 1)
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        for row in sheet.rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

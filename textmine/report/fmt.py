"""One way to write each number, shared by the summary, HTML, Markdown and Excel.

A number in the 摘要 must be found again in a table; writing both with the same
function is what makes that true. Each table column has a Chinese label and a
kind (``int``, ``pct``, ``pp``, ``num``, ``rho``, ``p``, ``date``, ``datetime``,
``text``); :func:`format_value` writes a value of a kind, and
:data:`EXCEL_FORMATS` gives the number format the workbook uses for it.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["COLUMNS", "EXCEL_FORMATS", "column_label", "column_kind", "format_value",
           "format_frame", "pct", "pp", "integer", "num"]

#: column → (Chinese label, kind)
COLUMNS: dict[str, tuple[str, str]] = {
    # shared
    "period": ("周期（起始日）", "date"),
    "n_comments": ("评论数", "int"),
    "n_ok": ("有效评论", "int"),
    "n_empty": ("空评论", "int"),
    "n_error": ("读取出错", "int"),
    "n_no_time": ("缺时间", "int"),
    "share": ("占全部评论", "pct"),
    "pos_share": ("正面占比", "pct"),
    "neu_share": ("中性占比", "pct"),
    "neg_share": ("负面占比", "pct"),
    "n_neg": ("负面条数", "int"),
    "n_pos": ("正面条数", "int"),
    "sentiment_mean": ("平均情感", "num"),
    "start": ("开始日期", "date"),
    "end": ("结束日期", "date"),
    "n_periods": ("周期数", "int"),
    "n_products": ("商品数", "int"),
    "n_streamers": ("主播数", "int"),
    # topics
    "topic": ("主题代码", "text"),
    "name": ("主题", "text"),
    "share_early": ("前半段占比", "pct"),
    "share_late": ("后半段占比", "pct"),
    "trend": ("趋势", "text"),
    "keywords": ("关键词", "text"),
    "side": ("倾向", "text"),
    "rank": ("序号", "int"),
    "score": ("情感分", "num"),
    "text": ("评论", "text"),
    "comment_id": ("评论编号", "text"),
    "time": ("时间", "datetime"),
    # groups
    "product": ("商品", "text"),
    "streamer": ("主播", "text"),
    "platform": ("平台", "text"),
    "channel": ("渠道", "text"),
    "spec": ("规格", "text"),
    "streamer_tier": ("主播层级", "text"),
    "top_complaint": ("最多抱怨的主题", "text"),
    "top_complaint_n": ("该主题负面条数", "int"),
    "peak_period": ("差评峰值周期", "date"),
    "peak_neg_share": ("峰值负面占比", "pct"),
    "prior_neg_share": ("此前负面占比", "pct"),
    "neg_rise": ("上升（百分点）", "pp"),
    "units": ("销量（件）", "int"),
    "revenue": ("销售额（元）", "money"),
    "units_share": ("销量占比", "pct"),
    "units_per_day": ("日均销量", "num"),
    "n_days": ("销售天数", "int"),
    # sales linkage
    "metric": ("指标代码", "text"),
    "metric_name": ("指标", "text"),
    "lag": ("滞后周期", "int"),
    "rho": ("Spearman ρ", "rho"),
    "p": ("p 值", "p"),
    "p_adj": ("多重比较校正后 p 值", "p"),
    "n": ("样本数", "int"),
    "n_groups": ("组数", "int"),
    "n_eff": ("有效样本数", "num"),
    "coef": ("回归系数", "num"),
    "coef_se": ("系数标准误", "num"),
    "coef_p": ("系数 p 值", "p"),
    "too_few": ("周期太少", "text"),
    "small_n": ("样本太少", "text"),
    "predictor": ("评论指标", "text"),
    "outcome": ("销量指标", "text"),
    "n_scored": ("有效评论", "int"),
    "days": ("销售天数", "int"),
    "price": ("均价（元）", "money"),
    "unit_share": ("销量占比", "pct"),
    "peak_units": ("峰值日销量", "int"),
    "before": ("此前日均销量", "num"),
    "after_7": ("之后 7 天日均销量", "num"),
    "after_28": ("之后 28 天日均销量", "num"),
    "lift": ("峰值 / 此前日均", "num"),
    "retention_7": ("7 天后保持（之后 / 此前）", "num"),
    "retention_28": ("28 天后保持（之后 / 此前）", "num"),
    "streamers": ("主播", "text"),
    "streamer_tiers": ("主播层级", "text"),
    "field": ("字段", "text"),
    "key": ("匹配键", "text"),
    "count": ("次数", "int"),
    "first_date": ("首次出现", "date"),
    "last_date": ("最后出现", "date"),
    "direction": ("方向", "text"),
    # alerts
    "alert_id": ("预警编号", "text"),
    "kind": ("对象", "text"),
    "group": ("名称", "text"),
    "metric_label": ("指标", "text"),
    "first_period": ("起始周期", "date"),
    "last_period": ("结束周期", "date"),
    "value": ("期间占比", "pct"),
    "baseline": ("平常占比（未预警的周期）", "pct"),
    "excess": ("比平常多出的条数", "num"),
    "rise": ("高出（百分点）", "pp"),
    "flagged": ("是否预警周期", "text"),
    "peak": ("峰值周期", "date"),
    # comments
    "sentiment": ("情感分", "num"),
    "label": ("情感", "text"),
    "topics": ("主题", "text"),
    "evidence": ("主题依据", "text"),
    "status": ("状态", "text"),
    # summary and method
    "no": ("序号", "int"),
    "finding": ("发现", "text"),
    "source": ("出处", "text"),
    "item": ("项目", "text"),
    "detail": ("说明", "text"),
}

EXCEL_FORMATS = {
    "int": "#,##0",
    "pct": "0.0%",
    "pp": "+0.0;-0.0;0.0",
    "num": "0.00",
    "money": "#,##0.00",
    "rho": "+0.00;-0.00;0.00",
    "p": "0.000",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


def column_label(name: str) -> str:
    """Chinese header of a column (the column's own name when unknown).

    >>> column_label("share_quality"), column_label("sentiment_trust"), column_label("x")
    ('质量讨论占比', '信任情感', 'x')
    """
    from .schema import FALLBACK_TOPIC_NAMES

    if name in COLUMNS:
        return COLUMNS[name][0]
    for prefix, suffix in (("share_", "讨论占比"), ("sentiment_", "情感")):
        if name.startswith(prefix):
            code = name[len(prefix):]
            return f"{FALLBACK_TOPIC_NAMES.get(code, code)}{suffix}"
    return name


def column_kind(name: str, dtype=None) -> str:
    """Kind of a column: from the table above, else guessed from its dtype."""
    if name in COLUMNS:
        return COLUMNS[name][1]
    if name.startswith(("share_", "neg_share_")):
        return "pct"
    if name.startswith("sentiment_"):
        return "num"
    if dtype is not None:
        if pd.api.types.is_bool_dtype(dtype):
            return "text"
        if pd.api.types.is_integer_dtype(dtype):
            return "int"
        if pd.api.types.is_float_dtype(dtype):
            return "num"
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return "date"
    return "text"


def _missing(value) -> bool:
    if value is None or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def pct(value) -> str:
    """A share as a percentage with one decimal.

    >>> pct(0.4567), pct(float("nan"))
    ('45.7%', '—')
    """
    if _missing(value):
        return "—"
    return f"{value * 100:.1f}%"


def pp(value) -> str:
    """A difference of shares in percentage points, signed.

    >>> pp(0.123), pp(-0.05)
    ('+12.3', '-5.0')
    """
    if _missing(value):
        return "—"
    return f"{value * 100:+.1f}"


def integer(value) -> str:
    """A count with thousands separators.

    >>> integer(12345)
    '12,345'
    """
    return f"{int(round(value)):,}"


def num(value) -> str:
    """A score or mean with two decimals.

    >>> num(0.5)
    '0.50'
    """
    if _missing(value):
        return "—"
    return f"{value:.2f}"


def format_value(value, kind: str) -> str:
    """Write ``value`` as a reader sees it in every output; missing is ``—``.

    >>> format_value(0.25, "pct"), format_value(None, "pct"), format_value(0.0004, "p")
    ('25.0%', '—', '<0.001')
    """
    if _missing(value):
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    try:
        if kind == "int":
            return integer(value)
        if kind == "pct":
            return pct(value)
        if kind == "pp":
            return pp(value)
        if kind == "num":
            return num(value)
        if kind == "money":
            return f"{value:,.2f}"
        if kind == "rho":
            return f"{value:+.2f}"
        if kind == "p":
            return "<0.001" if value < 0.001 else f"{value:.3f}"
        if kind == "date":
            return f"{pd.Timestamp(value):%Y-%m-%d}"
        if kind == "datetime":
            return f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def format_frame(frame: pd.DataFrame) -> tuple[list[str], list[list[str]], list[str]]:
    """Headers, formatted rows and kinds of a table, for HTML and Markdown."""
    kinds = [column_kind(str(c), frame[c].dtype) for c in frame.columns]
    headers = [column_label(str(c)) for c in frame.columns]
    columns = [[format_value(v, k) for v in frame[c].tolist()]
               for c, k in zip(frame.columns, kinds)]
    rows = [list(r) for r in zip(*columns)] if columns else []
    return headers, rows, kinds

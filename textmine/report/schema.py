"""What a report reads: the scored-comment contract, topic names, column labels.

:func:`prepare_comments` turns a scored table (as ``textmine score`` writes it,
possibly read back as all-text CSV) into typed columns the section functions
share: ``ok``, ``label``, ``period``, one boolean ``t_<code>`` and one float
``s_<code>`` per topic.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..errors import InputError
from ..topics import DEFAULT_CODES

__all__ = [
    "TOPIC_CODES",
    "FALLBACK_TOPIC_NAMES",
    "TIER_NAMES",
    "POS_THRESHOLD",
    "NEG_THRESHOLD",
    "UNKNOWN",
    "topic_codes",
    "topic_names",
    "prepare_comments",
    "period_label",
]

log = logging.getLogger(__name__)

#: The seven seeded topic codes, in output order (defined once, by the tagger).
TOPIC_CODES = DEFAULT_CODES
FALLBACK_TOPIC_NAMES = {"quality": "质量", "trust": "信任", "supervision": "监管",
                        "branding": "品牌", "price": "价格", "logistics": "物流",
                        "service": "服务"}
TIER_NAMES = {"head": "头部", "waist": "腰部", "tail": "尾部", "county": "县长/官方"}

#: A topic's clause sentiment at or above this is a positive mention, at or
#: below NEG_THRESHOLD a complaint; in between the mention is neutral.
POS_THRESHOLD = 0.6
NEG_THRESHOLD = 0.4

UNKNOWN = "（未填）"

_TIME_CANDIDATES = ("time", "date", "datetime", "created_at", "timestamp", "时间", "日期",
                    "评论时间")
_ID_CANDIDATES = ("comment_id", "id", "评论id", "编号")
_TEXT_CANDIDATES = ("text", "review", "comment", "content", "评论", "内容", "正文", "留言")
_GROUP_COLUMNS = ("product", "streamer", "platform", "spec", "streamer_tier", "channel")
_REQUIRED = ("status", "sentiment", "sentiment_label", "topics")


def topic_codes(columns, topics=None) -> list[str]:
    """Topic codes present in a scored table, in the canonical order first.

    Codes come from the ``sentiment_<code>`` columns and, when given, from
    the values of the ``topics`` column.

    >>> topic_codes(["text", "sentiment", "sentiment_label", "sentiment_price",
    ...              "sentiment_quality", "sentiment_origin"])
    ['quality', 'price', 'origin']
    >>> topic_codes(["text", "topics"], pd.Series(["trust|quality", ""]))
    ['quality', 'trust']
    """
    found = [str(c)[len("sentiment_"):] for c in columns
             if str(c).startswith("sentiment_") and str(c) != "sentiment_label"]
    if topics is not None:
        seen = topics.dropna().astype(str).str.split("|").explode().str.strip()
        found += [c for c in pd.unique(seen) if c and c not in found]
    ordered = [c for c in TOPIC_CODES if c in found]
    return ordered + [c for c in found if c not in ordered]


def topic_names(codes) -> dict[str, str]:
    """Chinese display name of each topic code.

    Names come from the topic lexicon when :mod:`textmine.topics` is available,
    else from the built-in table; an unknown code is shown as itself.
    """
    names = dict(FALLBACK_TOPIC_NAMES)
    try:
        # The lexicon alone carries the names; no need to build a tagger.
        from ..topics import load_lexicon

        names.update({c: t.name for c, t in load_lexicon().items()})
    except Exception as exc:  # the fallback table is complete for the seven topics
        log.debug("topic names from the built-in table (%s)", exc)
    return {c: str(names.get(c, c)) for c in codes}


def _find(columns, candidates, what: str, required: bool = True):
    lowered = {str(c).strip().lower(): c for c in columns}
    for name in candidates:
        if name in lowered:
            return lowered[name]
    if required:
        listed = ", ".join(map(str, columns)) or "(none)"
        raise InputError(f"no {what} column found; the columns are: {listed}. "
                         f"Name it one of: {', '.join(candidates)}.")
    return None


def _parse_time(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        text = values.astype("string").str.strip()
        try:
            parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
        except (ValueError, TypeError):
            parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        missing = parsed.isna() & text.notna() & (text != "")
        if missing.any():
            # A few rows in another format: parse them one by one (slow but rare).
            retry = pd.to_datetime(text[missing], errors="coerce", format="mixed")
            parsed = parsed.astype("datetime64[ns]") if parsed.dt.tz is None else parsed
            parsed.loc[missing] = retry
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _check_freq(freq: str) -> str:
    try:
        pd.Period("2024-01-03", freq=freq)
    except (ValueError, TypeError):
        raise InputError(f"`freq` value = {freq!r} is invalid; use D (day), W (week) "
                         "or M (month).") from None
    return freq


def period_label(value, freq: str = "W") -> str:
    """How a period is named in sentences: its first day, or its month.

    >>> period_label(pd.Timestamp("2026-07-06"), "W")
    '2026-07-06 起的一周'
    >>> period_label(pd.Timestamp("2026-07-01"), "M")
    '2026-07'
    """
    ts = pd.Timestamp(value)
    code = str(freq).upper()
    if code.startswith("W"):
        return f"{ts:%Y-%m-%d} 起的一周"
    if code.startswith("M"):
        return f"{ts:%Y-%m}"
    return f"{ts:%Y-%m-%d}"


def prepare_comments(comments: pd.DataFrame, freq: str = "W") -> pd.DataFrame:
    """Typed, canonical columns for the report sections.

    Parameters
    ----------
    comments : pandas.DataFrame
        Scored comments: input columns plus ``status``, ``sentiment``,
        ``sentiment_label``, ``topics``, ``evidence`` and ``sentiment_<code>``.
        Text-typed columns (a CSV read back) are converted.
    freq : str
        Period length for trends: ``D``, ``W`` or ``M``.

    Returns
    -------
    pandas.DataFrame
        ``comment_id, time, period, text, status, ok, sentiment, label, topics,
        evidence`` and the group columns present (``product``, ``streamer``,
        ``platform``, ``spec``, ``streamer_tier``, ``channel``), then ``t_<code>``
        and ``s_<code>`` per topic. ``attrs["codes"]`` lists the topic codes,
        ``attrs["freq"]`` the period length.

    Raises
    ------
    InputError
        When a required column is missing or ``freq`` is not a period length.
    """
    if not isinstance(comments, pd.DataFrame):
        raise InputError(f"comments must be a pandas DataFrame, not {type(comments).__name__}")
    _check_freq(freq)
    columns = list(comments.columns)
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise InputError(f"the comments are not scored: missing column(s) {', '.join(missing)}; "
                         "run `textmine score` on them first. The columns are: "
                         + (", ".join(map(str, columns)) or "(none)"))
    codes = topic_codes(columns, comments["topics"])
    time_col = _find(columns, _TIME_CANDIDATES, "time")
    text_col = _find(columns, _TEXT_CANDIDATES, "text")
    id_col = _find(columns, _ID_CANDIDATES, "id", required=False)

    n = len(comments)
    index = pd.RangeIndex(n)
    src = comments.reset_index(drop=True)
    out = pd.DataFrame(index=index)
    out["comment_id"] = (src[id_col].astype("string").fillna("") if id_col is not None
                         else pd.Series(np.arange(1, n + 1), index=index).astype(str))
    out["time"] = _parse_time(src[time_col])
    periods = out["time"].dt.to_period(freq)
    out["period"] = periods.dt.start_time.where(out["time"].notna())
    out["text"] = src[text_col].astype("string").fillna("").astype(object)
    status = src["status"].astype("string").fillna("").str.strip()
    out["status"] = status.astype(object)
    out["ok"] = (status == "ok").to_numpy()
    out["sentiment"] = pd.to_numeric(src["sentiment"], errors="coerce").astype(float)
    label = src["sentiment_label"].astype("string").fillna("").str.strip().str.lower()
    out["label"] = label.where(out["ok"], "").astype(object)
    topics = src["topics"].astype("string").fillna("").str.strip()
    out["topics"] = topics.astype(object)
    out["evidence"] = (src["evidence"].astype("string").fillna("").astype(object)
                       if "evidence" in columns else "")
    for col in _GROUP_COLUMNS:
        if col in columns:
            values = src[col].astype("string").str.strip().fillna("")
            out[col] = values.where(values != "", UNKNOWN).astype(object)
    wrapped = "|" + topics + "|"
    for code in codes:
        out[f"t_{code}"] = (wrapped.str.contains(f"|{code}|", regex=False).fillna(False)
                            .astype(bool).to_numpy() & out["ok"].to_numpy())
        if f"sentiment_{code}" in src:
            # Empty where the topic is only asked about (新鲜吗？): no opinion on it.
            out[f"s_{code}"] = pd.to_numeric(src[f"sentiment_{code}"],
                                             errors="coerce").astype(float)
        else:  # a table without per-topic scores: the comment's score stands in
            out[f"s_{code}"] = out["sentiment"].where(out[f"t_{code}"])
    out.attrs["codes"] = list(codes)
    out.attrs["freq"] = freq
    out.attrs["time_column"] = str(time_col)
    out.attrs["text_column"] = str(text_col)
    return out

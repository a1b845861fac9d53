"""预警: products or streamers whose complaints rose beyond a threshold.

Two measures per comment: a negative comment (``label == "neg"``), and a
trust or supervision complaint (the comment mentions 信任 or 监管 and the
clauses that mention it are negative). For each product and each streamer,
a period is flagged when its share is at least ``threshold`` above the
group's level in the calm periods before it, with at least ``min_flagged``
such comments, and so high that chance alone would rarely give it
(binomial tail below ``alpha``). A complaint wave lasting several periods
is thus measured against the level before it began. Consecutive flagged
periods make one alert; alerts are ordered by the complaints they add
above the usual level (share above the calm level × comments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import NEG_THRESHOLD

__all__ = ["DEFAULT_THRESHOLDS", "METRIC_LABELS", "complaint_flags", "flag_periods",
           "find_alerts"]

#: How far above its usual level a share must rise to raise an alert.
DEFAULT_THRESHOLDS = {"neg_share": 0.15, "trust_share": 0.10}
METRIC_LABELS = {"neg_share": "负面评论占比", "trust_share": "信任/监管投诉占比"}
KIND_LABELS = {"product": "商品", "streamer": "主播"}

_ALERT_COLUMNS = ["alert_id", "kind", "group", "metric", "metric_label", "first_period",
                  "last_period", "n_comments", "value", "baseline", "rise", "excess", "peak"]
_COMMENT_COLUMNS = ["alert_id", "comment_id", "time", "product", "streamer", "text", "score"]
_SERIES_COLUMNS = ["alert_id", "period", "n_comments", "value", "flagged"]


def complaint_flags(df: pd.DataFrame) -> pd.DataFrame:
    """Boolean ``neg_share`` and ``trust_share`` columns, one row per comment."""
    ok = df["ok"]
    trust = pd.Series(False, index=df.index)
    for code in ("trust", "supervision"):
        if f"t_{code}" in df:
            trust |= df[f"t_{code}"] & (df[f"s_{code}"] <= NEG_THRESHOLD)
    return pd.DataFrame({"neg_share": ok & (df["label"] == "neg"), "trust_share": ok & trust})


def flag_periods(x: np.ndarray, n: np.ndarray, *, threshold: float, min_comments: int = 5,
                 min_flagged: int = 3, alpha: float = 0.01) -> np.ndarray:
    """Which periods of one group stand out: ``x`` complaints of ``n`` comments each, in time order.

    A period is compared with the calm periods before it (those not flagged):
    a complaint wave is measured against the level before it began, however
    long it lasts. Without enough calm comments before it (at the start of
    the data), it is compared with every other period instead.

    >>> flag_periods(np.array([1, 0, 1, 8, 9, 1]), np.array([20, 20, 20, 12, 12, 20]),
    ...              threshold=0.15).tolist()
    [False, False, False, True, True, False]
    """
    from scipy.stats import binom

    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    flag = np.zeros(len(x), dtype=bool)
    calm_x = calm_n = 0.0
    for i in range(len(x)):
        if calm_n >= min_comments:
            ox, on = calm_x, calm_n
        else:
            ox, on = x.sum() - x[i], n.sum() - n[i]
        if n[i] >= min_comments and on >= min_comments and x[i] >= min_flagged:
            # Half a complaint more and one comment more keep a spotless record
            # from making a few complaints look impossible.
            chance = binom.sf(x[i] - 1, n[i], min(max((ox + 0.5) / (on + 1), 1e-6), 1 - 1e-6))
            flag[i] = x[i] / n[i] - ox / on >= threshold and chance < alpha
        if not flag[i]:
            calm_x += x[i]
            calm_n += n[i]
    return flag


def _runs(flagged) -> list[list[int]]:
    runs, current = [], []
    for i, f in enumerate(flagged):
        if f:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def find_alerts(df: pd.DataFrame, *, by=("product", "streamer"), thresholds=None,
                min_comments: int = 5, min_flagged: int = 3, examples: int = 3,
                alpha: float = 0.01) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Alerts and the comments behind them.

    Parameters
    ----------
    df : pandas.DataFrame
        Prepared comments (:func:`textmine.report.schema.prepare_comments`).
    by : sequence of str
        Group columns to watch (those absent are skipped).
    thresholds : dict, optional
        Minimum rise per measure, as a share (0.15 = 15 percentage points);
        defaults to :data:`DEFAULT_THRESHOLDS`.
    min_comments : int
        A period is judged only with at least this many valid comments in the
        group, and the calm level before it needs as many.
    min_flagged : int
        Fewest complaints in a period for it to be flagged.
    examples : int
        Comments kept per alert (typical ones: nearest the median score).
    alpha : float
        Largest chance, were the period like the usual level, of so many
        complaints (binomial tail): small groups need a bigger jump.

    Returns
    -------
    alerts, comments, series : pandas.DataFrame
        One row per alert, most excess complaints first; the example comments, with
        the ``alert_id`` they belong to; and each alert's measure in every
        period of its group (``alert_id, period, n_comments, value,
        flagged``), for charts.
    """
    thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    ok = df[df["ok"]].dropna(subset=["period"])
    flags = complaint_flags(ok)
    periods = pd.DatetimeIndex(sorted(ok["period"].unique()))
    rows = []
    for col in by:
        if col not in ok:
            continue
        for metric, threshold in thresholds.items():
            counts = (pd.DataFrame({"g": ok[col], "period": ok["period"], "x": flags[metric]})
                      .groupby(["g", "period"])["x"].agg(["sum", "size"]))
            for group, cells in counts.groupby(level="g", sort=True):
                # Every period of the data, so that "consecutive" means next week.
                cells = cells.droplevel("g").reindex(periods, fill_value=0)
                x, n = cells["sum"].to_numpy(), cells["size"].to_numpy()
                flag = flag_periods(x, n, threshold=threshold, min_comments=min_comments,
                                    min_flagged=min_flagged, alpha=alpha)
                if not flag.any():
                    continue
                calm = ~flag
                n_calm, x_calm = n[calm].sum(), x[calm].sum()
                with np.errstate(divide="ignore", invalid="ignore"):
                    share = np.where(n > 0, x / n, np.nan)
                seen = np.flatnonzero(n > 0)
                span = slice(seen.min(), seen.max() + 1)
                for run in _runs(flag):
                    value = x[run].sum() / n[run].sum()
                    baseline = x_calm / n_calm if n_calm else np.nan
                    in_run = np.zeros(len(x), dtype=bool)
                    in_run[run] = True
                    rows.append({
                        "kind": KIND_LABELS.get(col, col), "group": group, "metric": metric,
                        "metric_label": METRIC_LABELS[metric],
                        "first_period": periods[run[0]], "last_period": periods[run[-1]],
                        "n_comments": int(n[run].sum()), "value": value, "baseline": baseline,
                        "rise": value - baseline,
                        "excess": (value - baseline) * n[run].sum(),
                        "peak": periods[run[int(np.nanargmax(share[run]))]],
                        "_col": col, "_periods": list(periods[run]),
                        "_series": pd.DataFrame({"period": periods[span], "n_comments": n[span],
                                                 "value": share[span],
                                                 "flagged": in_run[span]})})
    if not rows:
        return (pd.DataFrame(columns=_ALERT_COLUMNS), pd.DataFrame(columns=_COMMENT_COLUMNS),
                pd.DataFrame(columns=_SERIES_COLUMNS))
    alerts = pd.DataFrame(rows).sort_values(["excess", "group"], ascending=[False, True],
                                            kind="stable").reset_index(drop=True)
    alerts["alert_id"] = [f"A{i + 1}" for i in range(len(alerts))]
    picks, series = [], []
    for _, a in alerts.iterrows():
        mask = (ok[a["_col"]] == a["group"]) & ok["period"].isin(a["_periods"]) & flags[a["metric"]]
        sub = ok[mask].drop_duplicates(subset="text")
        score = sub["sentiment"]
        if a["metric"] == "trust_share" and {"s_trust", "s_supervision"} <= set(sub.columns):
            score = sub[["s_trust", "s_supervision"]].min(axis=1)
        for i in (score - score.median()).abs().sort_values(kind="stable").index[:examples]:
            r = sub.loc[i]
            picks.append({"alert_id": a["alert_id"], "comment_id": r["comment_id"],
                          "time": r["time"], "product": r.get("product", np.nan),
                          "streamer": r.get("streamer", np.nan), "text": r["text"],
                          "score": score.loc[i]})
        series.append(a["_series"].assign(alert_id=a["alert_id"]))
    series = pd.concat(series, ignore_index=True)
    series["flagged"] = series["flagged"].map({True: "是", False: ""})
    return (alerts[_ALERT_COLUMNS], pd.DataFrame(picks, columns=_COMMENT_COLUMNS),
            series[_SERIES_COLUMNS])

"""预警: products or streamers whose complaints rose beyond a threshold.

Two measures per comment: a negative comment (``label == "neg"``), and a
trust or supervision complaint (the comment mentions 信任 or 监管 and the
clauses that mention it are negative). For each product and each streamer, a
period is flagged when its share is at least ``threshold`` above the share in
the group's other periods; consecutive flagged periods make one alert.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binom

from .schema import NEG_THRESHOLD

__all__ = ["DEFAULT_THRESHOLDS", "METRIC_LABELS", "complaint_flags", "find_alerts"]

#: How far above its other periods a share must rise to raise an alert.
DEFAULT_THRESHOLDS = {"neg_share": 0.15, "trust_share": 0.10}
METRIC_LABELS = {"neg_share": "负面评论占比", "trust_share": "信任/监管投诉占比"}
KIND_LABELS = {"product": "商品", "streamer": "主播"}

_ALERT_COLUMNS = ["alert_id", "kind", "group", "metric", "metric_label", "first_period",
                  "last_period", "n_comments", "value", "baseline", "rise", "peak_period"]


def complaint_flags(df: pd.DataFrame) -> pd.DataFrame:
    """Boolean ``neg_share`` and ``trust_share`` columns, one row per comment."""
    ok = df["ok"]
    trust = pd.Series(False, index=df.index)
    for code in ("trust", "supervision"):
        if f"t_{code}" in df:
            trust |= df[f"t_{code}"] & (df[f"s_{code}"] <= NEG_THRESHOLD)
    return pd.DataFrame({"neg_share": ok & (df["label"] == "neg"), "trust_share": ok & trust})


def _runs(periods: list, flagged: list) -> list[list]:
    runs, current = [], []
    for i, p in enumerate(periods):
        if flagged[i]:
            current.append(p)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def find_alerts(df: pd.DataFrame, *, by=("product", "streamer"), thresholds=None,
                min_comments: int = 5, examples: int = 3,
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
        group, and the group's other periods must have as many together.
    examples : int
        Comments kept per alert (typical ones: nearest the median score).
    alpha : float
        A period is flagged only if so high a share would arise by chance
        less often than this, were the period like the group's others
        (binomial tail), which keeps small groups from raising false alarms.

    Returns
    -------
    alerts, comments, series : pandas.DataFrame
        One row per alert, strongest rise first; the example comments, with
        the ``alert_id`` they belong to; and each alert's measure in every
        period of its group (``alert_id, period, n_comments, value,
        flagged``), for charts.
    """
    thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    ok = df[df["ok"]].dropna(subset=["period"])
    flags = complaint_flags(ok)
    all_periods = sorted(ok["period"].unique())
    position = {p: i for i, p in enumerate(all_periods)}
    rows, picks = [], []
    for col in by:
        if col not in ok:
            continue
        for metric, threshold in thresholds.items():
            g = (pd.DataFrame({"g": ok[col], "period": ok["period"], "x": flags[metric]})
                 .groupby(["g", "period"])["x"].agg(["sum", "size"]))
            totals = g.groupby(level="g").sum()
            for group, cells in g.groupby(level="g"):
                cells = cells.droplevel("g")
                tot_x, tot_n = totals.loc[group, "sum"], totals.loc[group, "size"]
                other_n = tot_n - cells["size"]
                share = cells["sum"] / cells["size"]
                other = (tot_x - cells["sum"]) / other_n.where(other_n > 0)
                # Chance of so many complaints if the period were like the others:
                # a small cell needs a bigger jump before it counts.
                chance = binom.sf(cells["sum"] - 1, cells["size"],
                                  other.fillna(0).clip(1e-3, 1 - 1e-3))
                hit = ((cells["size"] >= min_comments) & (other_n >= min_comments)
                       & (share - other >= threshold) & (chance < alpha))
                if not hit.any():
                    continue
                ordered = sorted(cells.index, key=position.get)
                # Consecutive means next to each other in the whole data's periods.
                full = [p for p in all_periods
                        if position[ordered[0]] <= position[p] <= position[ordered[-1]]]
                flagged = [bool(hit.get(p, False)) for p in full]
                for run in _runs(full, flagged):
                    in_run = cells.index.isin(run)
                    n_run, x_run = cells.loc[in_run, "size"].sum(), cells.loc[in_run, "sum"].sum()
                    n_out, x_out = tot_n - n_run, tot_x - x_run
                    if n_out < min_comments:
                        continue
                    value, baseline = x_run / n_run, x_out / n_out
                    peak = share[in_run].idxmax()
                    rows.append({"kind": KIND_LABELS.get(col, col), "group": group,
                                 "metric": metric, "metric_label": METRIC_LABELS[metric],
                                 "first_period": run[0], "last_period": run[-1],
                                 "n_comments": int(n_run), "value": value,
                                 "baseline": baseline, "rise": value - baseline,
                                 "peak_period": peak, "_col": col, "_run": run,
                                 "_series": pd.DataFrame({"period": cells.index,
                                                          "n_comments": cells["size"].to_numpy(),
                                                          "value": share.to_numpy(),
                                                          "flagged": in_run})})
    series_cols = ["alert_id", "period", "n_comments", "value", "flagged"]
    if not rows:
        return (pd.DataFrame(columns=_ALERT_COLUMNS),
                pd.DataFrame(columns=["alert_id", "comment_id", "time", "product", "streamer",
                                      "text", "score"]),
                pd.DataFrame(columns=series_cols))
    alerts = pd.DataFrame(rows).sort_values(["rise", "group"], ascending=[False, True],
                                            kind="stable").reset_index(drop=True)
    alerts["alert_id"] = [f"A{i + 1}" for i in range(len(alerts))]
    for _, a in alerts.iterrows():
        mask = (ok[a["_col"]] == a["group"]) & ok["period"].isin(a["_run"]) & flags[a["metric"]]
        sub = ok[mask].drop_duplicates(subset="text")
        score = sub["sentiment"]
        if a["metric"] == "trust_share":
            score = sub[["s_trust", "s_supervision"]].min(axis=1) if {
                "s_trust", "s_supervision"} <= set(sub.columns) else score
        order = (score - score.median()).abs().sort_values(kind="stable").index[:examples]
        for i in order:
            r = sub.loc[i]
            picks.append({"alert_id": a["alert_id"], "comment_id": r["comment_id"],
                          "time": r["time"], "product": r.get("product", np.nan),
                          "streamer": r.get("streamer", np.nan), "text": r["text"],
                          "score": score.loc[i]})
    comments = pd.DataFrame(picks, columns=["alert_id", "comment_id", "time", "product",
                                            "streamer", "text", "score"])
    series = pd.concat([a["_series"].assign(alert_id=a["alert_id"]) for _, a in alerts.iterrows()],
                       ignore_index=True)
    series = series.sort_values(["alert_id", "period"], kind="stable")
    series["flagged"] = series["flagged"].map({True: "是", False: ""})
    return alerts[_ALERT_COLUMNS], comments, series[series_cols].reset_index(drop=True)

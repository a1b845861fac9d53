"""The comparisons officials ask for: pack sizes, streamer tiers, channels, and spikes that last."""

from __future__ import annotations

import logging
from collections import namedtuple

import numpy as np
import pandas as pd
from scipy import stats

from .panel import comment_metrics, comment_sums, group_codes, prepare

__all__ = ["Comparison", "compare", "find_spikes"]

log = logging.getLogger(__name__)

Comparison = namedtuple("Comparison", ["by_spec", "by_streamer_tier", "by_channel", "spikes",
                                       "retention"])
Comparison.__doc__ = """What :func:`compare` returns; see its Returns section."""

PREDICTORS = ("share_trust", "share_quality", "sentiment_trust", "sentiment_quality",
              "neg_share", "sentiment_mean")
OUTCOMES = ("retention_7", "retention_28")


def totals(linked, by: list[str]) -> pd.DataFrame:
    """Sales and comment metrics per group over the whole time span."""
    gc, gs, groups, _ = group_codes(linked, by)
    s = linked.sales
    metrics = comment_metrics(comment_sums(linked.comments, gc, linked.codes).reindex(
        range(len(groups))), linked.codes)
    sales = pd.DataFrame({"g": gs, "units": s["units"].to_numpy(), "revenue": s["revenue"].to_numpy(),
                          "date": s["date"].to_numpy()}).groupby("g").agg(
        units=("units", "sum"), revenue=("revenue", "sum"), days=("date", "nunique"))
    sales = sales.reindex(range(len(groups)))
    out = groups.copy()
    out["units"] = sales["units"].to_numpy()
    out["revenue"] = sales["revenue"].to_numpy()
    out["days"] = sales["days"].fillna(0).astype("int64").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["units_per_day"] = out["units"] / out["days"].where(out["days"] > 0)
        out["price"] = out["revenue"] / out["units"].where(out["units"] > 0)
    if by[0] == "product" and len(by) > 1:
        out["unit_share"] = out["units"] / out.groupby("product", dropna=False)["units"].transform("sum")
    else:
        out["unit_share"] = out["units"] / out["units"].sum()
    out = pd.concat([out, metrics.reset_index(drop=True)], axis=1)
    return out.sort_values(by[:-1] + ["units"], ascending=[True] * (len(by) - 1) + [False],
                           na_position="last", kind="stable").reset_index(drop=True)


def find_spikes(sales: pd.DataFrame, *, factor: float = 3.0, window: int = 28,
                min_history: int = 7) -> pd.DataFrame:
    """Livestream spikes: days whose units reach ``factor`` × the trailing median.

    ``sales`` needs ``product``, ``date`` and ``units`` (one row per sale or
    per day; they are summed per product and day). A product's days run from
    its first sale to the last date of all the records; days without a sale
    count as 0. A day is a spike when its units are at least ``factor`` ×
    the median of the ``window`` days before it (at least 1 unit, so a
    product that sells nothing most days needs ``factor`` units) and the
    product has ``min_history`` days of history. Consecutive spike days form
    one event.

    Returns one row per event: ``product, start, end, days, peak_units,
    before, after_7, after_28, lift, retention_7, retention_28``. ``before``
    is the mean daily units of the ``window`` days before the event,
    ``after_7`` and ``after_28`` those of the 7 and 28 days after it;
    days of other events are left out of these means, so a later
    livestream is not mistaken for lasting sales. ``retention_*`` =
    ``after_* / before`` (1 means the spike left sales where they were; NaN
    when the records end before the window does or there is no baseline).

    Examples
    --------
    >>> days = pd.date_range("2026-06-01", periods=60)
    >>> units = np.full(60, 10.0); units[30] = 80; units[31:] = 13
    >>> spikes = find_spikes(pd.DataFrame({"product": "蜂蜜", "date": days, "units": units}))
    >>> spikes[["start", "peak_units", "before", "retention_7"]].to_dict("records")
    [{'start': Timestamp('2026-07-01 00:00:00'), 'peak_units': 80.0, 'before': 10.0, 'retention_7': 1.3}]
    """
    cols = ["product", "start", "end", "days", "peak_units", "before", "after_7", "after_28",
            "lift", "retention_7", "retention_28"]
    if not len(sales):
        return pd.DataFrame(columns=cols)
    last = sales["date"].max()
    daily = sales.groupby(["product", "date"], sort=True)["units"].sum()
    rows = []
    for product, series in daily.groupby(level=0, sort=False):
        series = series.droplevel(0)
        days = pd.date_range(series.index.min(), last, freq="D")
        u = series.reindex(days, fill_value=0.0).to_numpy(dtype=float)
        median = pd.Series(u).rolling(window, min_periods=min_history).median().shift(1).to_numpy()
        spike = np.isfinite(median) & (u >= factor * np.maximum(median, 1.0))
        if not spike.any():
            continue
        idx = np.flatnonzero(spike)
        breaks = np.flatnonzero(np.diff(idx) > 1)
        starts = np.r_[idx[0], idx[breaks + 1]]
        ends = np.r_[idx[breaks], idx[-1]]
        for a, b in zip(starts, ends):
            before = _window_mean(u, spike, max(0, a - window), a, min_history)
            after7 = _window_mean(u, spike, b + 1, b + 8, 4)
            after28 = _window_mean(u, spike, b + 1, b + 29, 14)
            peak = float(u[a:b + 1].max())
            rows.append((product, days[a], days[b], int(b - a + 1), peak, before, after7, after28))
    out = pd.DataFrame(rows, columns=cols[:8])
    with np.errstate(divide="ignore", invalid="ignore"):
        base = out["before"].where(out["before"] > 0)
        out["lift"] = out["peak_units"] / base
        out["retention_7"] = out["after_7"] / base
        out["retention_28"] = out["after_28"] / base
    return out[cols]


def _window_mean(u, spike, a, b, need) -> float:
    """Mean of u[a:b] over non-spike days; NaN when the window leaves the data or too few days remain."""
    if a < 0 or b > len(u):
        return np.nan
    keep = ~spike[a:b]
    if keep.sum() < need:
        return np.nan
    return float(u[a:b][keep].mean())


def _spike_comments(linked, spikes: pd.DataFrame, keys: np.ndarray, days: int = 7) -> pd.DataFrame:
    """Comment metrics of each event's product in the week from the event's first day."""
    c = linked.comments
    codes = [x for x in ("trust", "quality") if x in linked.codes]
    if not len(spikes):
        return pd.DataFrame(index=spikes.index)
    order = np.lexsort((c["time"].to_numpy(), c["product_key"].to_numpy()))
    pk = c["product_key"].to_numpy()[order]
    tm = c["time"].to_numpy()[order]
    cell = np.full(len(c), -1, dtype=np.int64)
    for i, (key, start) in enumerate(zip(keys, spikes["start"])):
        lo = np.searchsorted(pk, key, "left")
        hi = np.searchsorted(pk, key, "right")
        t0 = np.datetime64(start, "ns")
        t1 = t0 + np.timedelta64(days, "D")
        a = lo + np.searchsorted(tm[lo:hi], t0, "left")
        b = lo + np.searchsorted(tm[lo:hi], t1, "left")
        cell[order[a:b]] = i  # spike weeks of one product do not overlap: events are ≥ a day apart
    used = cell >= 0
    sums = comment_sums(c.loc[used], cell[used], codes).reindex(range(len(spikes)))
    metrics = comment_metrics(sums, codes)
    keep = ["n_comments", "sentiment_mean", "neg_share"] + [f"share_{x}" for x in codes] + \
        [f"sentiment_{x}" for x in codes]
    return metrics[keep].reset_index(drop=True)


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman correlation and two-sided p-value; exact (all orderings) for 8 points or fewer.

    The usual t approximation says p = 0 for four points in perfect order;
    the exact answer is 1/12.

    Examples
    --------
    >>> rho, p = spearman(np.array([1, 2, 3, 4]), np.array([10, 20, 30, 40]))
    >>> round(rho, 3), round(p, 4)
    (1.0, 0.0833)
    """
    rx, ry = stats.rankdata(x), stats.rankdata(y)
    rho = float(np.corrcoef(rx, ry)[0, 1])
    if len(x) > 8:
        return rho, float(stats.spearmanr(x, y).pvalue)
    from itertools import permutations

    orders = np.array(list(permutations(range(len(x)))))
    perm = ry[orders]
    cx = rx - rx.mean()
    cp = perm - perm.mean(axis=1, keepdims=True)
    r = (cp @ cx) / np.sqrt((cp ** 2).sum(axis=1) * (cx ** 2).sum())
    return rho, float(np.mean(np.abs(r) >= abs(rho) - 1e-12))


def retention_predictors(spikes: pd.DataFrame, *, min_events: int = 10,
                         min_comments: int = 5) -> pd.DataFrame:
    """Spearman correlation of spike-week comment metrics with retention, across events."""
    rows = []
    enough = spikes["n_comments"] >= min_comments if "n_comments" in spikes else None
    for predictor in PREDICTORS:
        if predictor not in spikes.columns:
            continue
        for outcome in OUTCOMES:
            x = spikes[predictor].to_numpy(dtype=float)
            y = spikes[outcome].to_numpy(dtype=float)
            ok = np.isfinite(x) & np.isfinite(y)
            if enough is not None:
                ok &= enough.to_numpy()
            n = int(ok.sum())
            rho = p = np.nan
            if n >= 3 and np.ptp(x[ok]) > 0 and np.ptp(y[ok]) > 0:
                rho, p = spearman(x[ok], y[ok])
            rows.append((predictor, outcome, rho, p, n, n < min_events))
    out = pd.DataFrame(rows, columns=["predictor", "outcome", "rho", "p", "n", "small_n"])
    return out.sort_values(["small_n", "p"], na_position="last", kind="stable").reset_index(drop=True)


def compare(scored, sales, *, aliases=None, sales_table=None, mapping=None, time_col=None,
            product_col=None, spike_factor: float = 3.0, window: int = 28, min_events: int = 10,
            min_comments: int = 5) -> Comparison:
    """Tables of sales and sentiment by pack size, streamer tier and channel; spikes and retention.

    Parameters
    ----------
    scored, sales, aliases, sales_table, mapping, time_col, product_col
        As for :func:`link_sales`.
    spike_factor, window
        A livestream spike is a day whose units reach ``spike_factor`` × the
        median of the ``window`` days before it (see :func:`find_spikes`).
    min_events : int
        Correlations over fewer events are flagged ``small_n``.
    min_comments : int
        Events with fewer spike-week comments are left out of the correlations.

    Returns
    -------
    Comparison
        Named tuple of DataFrames:

        ``by_spec``
            per ``product, spec`` (the pack size; comments get a spec as in
            :func:`link_sales`, else an empty one);
        ``by_streamer_tier``
            per ``streamer_tier`` (comments through their streamer);
        ``by_channel``
            per ``channel`` (``platform`` in comments).

            Each has ``units, revenue, days`` (days with a sale),
            ``units_per_day, price`` (revenue per unit), ``unit_share`` (of the
            product for specs, of all units otherwise) and the comment metrics
            of the panel (``n_comments, n_scored, sentiment_mean, neg_share,
            share_<topic>, sentiment_<topic>``). A table is empty when the
            sales records lack that column.
        ``spikes``
            one row per livestream spike (:func:`find_spikes` columns) plus
            ``streamers`` and ``streamer_tiers`` selling on its days, and the
            spike week's comments (7 days from the first spike day):
            ``n_comments, sentiment_mean, neg_share, share_trust,
            share_quality, sentiment_trust, sentiment_quality``.
        ``retention``
            ``predictor, outcome, rho, p, n, small_n``: Spearman correlation,
            across spikes, of each spike-week comment metric with
            ``retention_7`` and ``retention_28`` — do trust or quality
            complaints in the spike week predict that sales fall back?
            ``small_n`` marks fewer than ``min_events`` events; with 8 events
            or fewer the p-value is exact (every ordering counted).

    Notes
    -----
    *What counts as a livestream day.* A day whose units reach
    ``spike_factor`` × the trailing ``window``-day median of that product —
    what the day did, not who was on air. Days with a head-tier streamer are
    not spikes by themselves: a head streamer with a regular weekly slot is
    ordinary trade, and counting each slot would leave no ordinary days to
    measure retention against. The streamers and tiers selling on each
    spike's days are listed, so head-streamer spikes can be picked out.

    *Retention* compares the mean daily units after the spike (7 and 28
    days, other spikes left out) with the mean of the ``window`` days before
    it: 1.0 means sales went back exactly where they were, above 1 that the
    spike lifted them, below 1 that it was followed by a slump.
    """
    linked = prepare(scored, sales, aliases=aliases, sales_table=sales_table, mapping=mapping,
                     time_col=time_col, product_col=product_col)
    return compare_linked(linked, spike_factor=spike_factor, window=window,
                          min_events=min_events, min_comments=min_comments)


def compare_linked(linked, *, spike_factor: float = 3.0, window: int = 28, min_events: int = 10,
                   min_comments: int = 5) -> Comparison:
    """:func:`compare` on inputs already read and matched by :func:`~textmine.sales.panel.prepare`."""
    s = linked.sales
    tables = {}
    for name, by in (("by_spec", ["product", "spec"]), ("by_streamer_tier", ["streamer_tier"]),
                     ("by_channel", ["channel"])):
        if by[-1] in s.columns:
            tables[name] = totals(linked, by)
        else:
            log.info("the sales records have no %s column; %s is empty", by[-1], name)
            tables[name] = pd.DataFrame(columns=by + ["units", "revenue"])
    spikes = find_spikes(pd.DataFrame({"product": s["product_key"], "date": s["date"],
                                       "units": s["units"]}), factor=spike_factor, window=window)
    keys = spikes["product"].to_numpy()
    names = dict(zip(s["product_key"], s["product"]))
    spikes["product"] = [names[k] for k in keys]
    for col, out in (("streamer", "streamers"), ("streamer_tier", "streamer_tiers")):
        if col in s.columns:
            spikes[out] = _names_during(s, spikes, keys, col)
    spikes = pd.concat([spikes, _spike_comments(linked, spikes, keys)], axis=1)
    retention = retention_predictors(spikes, min_events=min_events, min_comments=min_comments)
    return Comparison(tables["by_spec"], tables["by_streamer_tier"], tables["by_channel"],
                      spikes, retention)


def _names_during(s: pd.DataFrame, spikes: pd.DataFrame, keys, col: str) -> list[str]:
    """For each event, the values of ``col`` selling on its days, most units first, joined by |."""
    if not len(spikes):
        return []
    lengths = spikes["days"].to_numpy()
    event = np.repeat(np.arange(len(spikes)), lengths)
    offset = np.arange(len(event)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = pd.DataFrame({"event": event, "product_key": np.repeat(keys, lengths),
                         "date": np.repeat(spikes["start"].to_numpy(), lengths)
                         + pd.to_timedelta(offset, unit="D").to_numpy()})
    rows = days.merge(s[["product_key", "date", col, "units"]].dropna(subset=[col]),
                      on=["product_key", "date"])
    units = rows.groupby(["event", col])["units"].sum().reset_index()
    units = units.sort_values(["event", "units"], ascending=[True, False], kind="stable")
    names = units.groupby("event")[col].agg(lambda v: "|".join(map(str, v)))
    return names.reindex(range(len(spikes)), fill_value="").tolist()

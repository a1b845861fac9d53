"""Which comment metrics move with sales, and how many periods ahead."""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError

__all__ = ["sales_effects", "EFFECT_COLUMNS", "panel_metrics"]

log = logging.getLogger(__name__)

EFFECT_COLUMNS = ["metric", "lag", "rho", "p", "p_adj", "n", "n_periods", "n_groups", "n_eff",
                  "coef", "coef_se", "coef_p", "too_few"]
_NOT_GROUPS = {"period", "units", "revenue", "n_comments", "n_scored", "sentiment_mean",
               "neg_share"}


def panel_metrics(panel: pd.DataFrame) -> list[str]:
    """The comment metrics of a panel, in a fixed order.

    ``sentiment_mean``, ``neg_share``, each topic's ``share_`` and
    ``sentiment_`` column, then ``n_comments`` (comment volume).
    """
    shares = [c for c in panel.columns if c.startswith("share_")]
    topic_sent = [f"sentiment_{c[len('share_'):]}" for c in shares
                  if f"sentiment_{c[len('share_'):]}" in panel.columns]
    base = [c for c in ("sentiment_mean", "neg_share") if c in panel.columns]
    tail = ["n_comments"] if "n_comments" in panel.columns else []
    return base + shares + topic_sent + tail


def _group_columns(panel: pd.DataFrame) -> list[str]:
    by = panel.attrs.get("by")
    if by and all(c in panel.columns for c in by):
        return list(by)
    return [c for c in panel.columns if c not in _NOT_GROUPS and not c.startswith(("share_", "sentiment_"))]


def _period_numbers(period: pd.Series, freq: str | None) -> np.ndarray:
    times = pd.to_datetime(period, errors="coerce")
    if times.isna().any():
        raise InputError("the panel's `period` column has values that are not dates; "
                         "pass the panel link_sales returned (or read back from its CSV)",
                         column="period")
    if freq is None:
        gaps = np.diff(np.unique(times.to_numpy().astype("datetime64[D]").astype(np.int64)))
        step = gaps.min() if len(gaps) else 7
        freq = "D" if step == 1 else ("W" if step % 7 == 0 and step < 28 else "M")
    return times.dt.to_period(freq).array.asi8.astype(np.int64)


def _grid(panel: pd.DataFrame, groups: list[str], freq):
    """Group id and period position of each row, and the grid's shape."""
    ordinals = _period_numbers(panel["period"], freq)
    if groups:
        gid = panel.groupby(groups, dropna=False, sort=False).ngroup().to_numpy()
    else:
        gid = np.zeros(len(panel), dtype=np.int64)
    start = ordinals.min() if len(ordinals) else 0
    pos = ordinals - start
    shape = (int(gid.max()) + 1 if len(gid) else 0, int(pos.max()) + 1 if len(pos) else 0)
    if pd.Series(gid * max(shape[1], 1) + pos).duplicated().any():
        raise InputError("the panel has two rows for one group and period; group columns "
                         f"taken as {groups}. Pass the panel link_sales returned")
    return gid, pos, shape


def _wide(values: np.ndarray, gid, pos, shape) -> np.ndarray:
    out = np.full(shape, np.nan)
    out[gid, pos] = values
    return out


def _demean(a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Subtract each row's mean over ``mask``; NaN outside it."""
    a = np.where(mask, a, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return a - np.nanmean(a, axis=1, keepdims=True)


def _autocorr(a: np.ndarray, lags: int, length: float) -> np.ndarray:
    """Pooled within-group autocorrelation of a demeaned grid at lags 1..lags.

    Autocorrelations of short demeaned series are biased toward zero by about
    (1 + 3r)/T (Marriott & Pope 1954); adding it back keeps p-values honest
    for series of a few dozen periods.
    """
    denom = np.nansum(a * a)
    out = np.zeros(lags)
    if denom <= 0:
        return out
    for j in range(1, lags + 1):
        if j < a.shape[1]:
            out[j - 1] = np.nansum(a[:, :-j] * a[:, j:]) / denom
    return out + (1 + 3 * np.clip(out, 0, 1)) / length


def _spearman(x: np.ndarray, y: np.ndarray, mask: np.ndarray):
    """Within-group Spearman of x (already lagged) with y; p from an effective sample size."""
    usable = mask.sum(axis=1) >= 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanstd(np.where(mask, x, np.nan), axis=1)
    usable &= spread > 0  # a constant metric says nothing about its group's sales
    mask = mask & usable[:, None]
    n = int(mask.sum())
    groups = int(usable.sum())
    periods = int(mask.any(axis=0).sum())
    if n - groups < 3:
        return np.nan, np.nan, n, periods, groups, np.nan
    xd, yd = _demean(x, mask), _demean(y, mask)
    rank_x, rank_y = stats.rankdata(xd[mask]), stats.rankdata(yd[mask])
    if np.ptp(rank_x) == 0 or np.ptp(rank_y) == 0:
        return np.nan, np.nan, n, periods, groups, np.nan
    rho = float(np.corrcoef(rank_x, rank_y)[0, 1])
    # Both series are autocorrelated within a group (trends, slow-moving
    # sentiment), so neighbouring periods are not independent draws; shrink n
    # as Pyper & Peterman (1998) do, else p-values are far too small.
    t_len = n / groups
    lags = max(1, min(10, int(t_len // 5)))
    rx, ry = _autocorr(xd, lags, t_len), _autocorr(yd, lags, t_len)
    weights = (t_len - np.arange(1, lags + 1)) / t_len
    factor = max(1.0, 1.0 + 2.0 * float(np.sum(weights * rx * ry)))
    n_eff = (n - groups) / factor + 1.0
    if not np.isfinite(rho) or n_eff <= 3:
        return rho, np.nan, n, periods, groups, n_eff
    r = min(abs(rho), 1 - 1e-12)
    t = r * np.sqrt((n_eff - 2) / (1 - r * r))
    return rho, float(2 * stats.t.sf(t, n_eff - 2)), n, periods, groups, n_eff


def _regression(x: np.ndarray, y: np.ndarray, max_lag: int):
    """Pooled OLS of y on x at lags 0..max_lag with group fixed effects; (coef, se, p) per lag."""
    nan = [(np.nan, np.nan, np.nan)] * (max_lag + 1)
    T = x.shape[1]
    if T <= max_lag:
        return nan
    cols = [x[:, max_lag - k:T - k] for k in range(max_lag + 1)]
    yy = y[:, max_lag:]
    mask = np.isfinite(yy)
    for c in cols:
        mask &= np.isfinite(c)
    keep = mask.sum(axis=1) >= 2
    mask &= keep[:, None]
    groups = int(keep.sum())
    n = int(mask.sum())
    k = max_lag + 1
    if n - groups - k < 5:
        return nan
    yd = _demean(yy, mask)[mask]
    X = np.column_stack([_demean(c, mask)[mask] for c in cols])
    if np.linalg.matrix_rank(X) < k:
        return nan
    gid = np.broadcast_to(np.arange(x.shape[0])[:, None], mask.shape)[mask]
    import statsmodels.api as sm

    model = sm.OLS(yd, X)
    model.df_resid = n - k - groups  # the fixed effects used one degree of freedom per group
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(cov_type="hac-panel", use_t=True,
                        cov_kwds={"groups": gid, "maxlags": max(1, max_lag)})
    return list(zip(res.params, res.bse, res.pvalues))


def sales_effects(panel: pd.DataFrame, max_lag: int = 4, *, min_periods: int = 8) -> pd.DataFrame:
    """How each comment metric moves with sales 0…``max_lag`` periods later.

    For every metric (``sentiment_mean``, ``neg_share``, each topic's share
    and sentiment, and comment volume ``n_comments`` as ``log(1 + n)``) and
    every lag *k*, the metric in period *t − k* is set against
    ``log(1 + units)`` in period *t*, within groups: both are demeaned per
    product (or whatever the panel is grouped by), so that big products do not
    dominate and a product's size is not mistaken for an effect.

    Parameters
    ----------
    panel : DataFrame
        What :func:`link_sales` returned (or its CSV read back).
    max_lag : int
        Largest lag, in periods of the panel.
    min_periods : int
        Rows based on fewer distinct periods (or a smaller effective sample)
        are marked ``too_few`` — shown, not hidden.

    Returns
    -------
    DataFrame
        One row per metric and lag, strongest credible effect first (rows
        not ``too_few`` first, then by ``p``, then by ``|rho|``):

        ``metric, lag``
            the metric and how many periods before the sales it is taken.
        ``rho, p``
            within-group Spearman correlation and its two-sided p-value. The
            p-value uses an effective sample size ``n_eff`` that discounts
            the autocorrelation of both series (Pyper & Peterman 1998);
            without it, slow-moving series look significant far too often.
        ``p_adj``
            ``p`` adjusted over all rows of the table (Benjamini–Hochberg):
            read it when scanning the whole table for "anything significant".
        ``n, n_periods, n_groups, n_eff``
            group-periods used, distinct periods, groups, effective sample.
        ``coef, coef_se, coef_p``
            from one pooled regression per metric of ``log(1 + units)`` on
            the metric at lags 0…``max_lag`` together, with group fixed
            effects: the change in log units for a one-unit change in the
            metric *k* periods earlier, holding the other lags fixed, so a
            lag that only echoes its neighbour gets a small coefficient.
        ``too_few``
            True when the row rests on fewer than ``min_periods`` periods.

    Notes
    -----
    The regression uses statsmodels' OLS with panel HAC standard errors
    (Newey–West within each group, ``cov_type="hac-panel"``): sales and
    sentiment are autocorrelated within a product, and ordinary or
    heteroscedasticity-robust errors would overstate significance.
    scikit-learn fits the same coefficients but gives no standard errors.
    Correlation is not causation: a lag-0 link between comment volume and
    units mostly says that buyers write comments.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> weeks = pd.date_range("2026-01-05", periods=40, freq="7D")
    >>> s = rng.normal(0.6, 0.1, (3, 40))
    >>> units = np.exp(3 + 4 * np.roll(s, 2, axis=1) + rng.normal(0, 0.1, (3, 40))).round()
    >>> panel = pd.DataFrame({"product": np.repeat(["a", "b", "c"], 40),
    ...                       "period": np.tile(weeks, 3), "sentiment_mean": s.ravel(),
    ...                       "n_comments": 50, "units": units.ravel()})
    >>> effects = sales_effects(panel, max_lag=3)
    >>> top = effects.iloc[0]
    >>> top["metric"], int(top["lag"]), bool(top["rho"] > 0.5)
    ('sentiment_mean', 2, True)
    """
    if max_lag < 0 or int(max_lag) != max_lag:
        raise ValueError(f"`max_lag` value = {max_lag!r} is invalid; it must be an integer >= 0.")
    max_lag = int(max_lag)
    missing = [c for c in ("period", "units") if c not in panel.columns]
    if missing:
        raise InputError(f"the panel has no {', '.join(missing)} column; pass the panel "
                         "link_sales returned")
    metrics = panel_metrics(panel)
    groups = _group_columns(panel)
    rows = []
    if len(panel) and metrics:
        gid, pos, shape = _grid(panel, groups, panel.attrs.get("freq"))
        units = pd.to_numeric(panel["units"], errors="coerce").to_numpy(dtype=float)
        y = _wide(np.log1p(np.where(units >= 0, units, np.nan)), gid, pos, shape)
        for metric in metrics:
            values = pd.to_numeric(panel[metric], errors="coerce").to_numpy(dtype=float)
            if metric == "n_comments":
                values = np.log1p(values)
            x = _wide(values, gid, pos, shape)
            coefs = _regression(x, y, max_lag)
            for k in range(max_lag + 1):
                xk = x[:, :shape[1] - k]
                yk = y[:, k:]
                mask = np.isfinite(xk) & np.isfinite(yk)
                rho, p, n, periods, n_groups, n_eff = _spearman(xk, yk, mask)
                coef, se, cp = coefs[k]
                rows.append((metric, k, rho, p, n, periods, n_groups, n_eff, coef, se, cp))
    out = pd.DataFrame(rows, columns=["metric", "lag", "rho", "p", "n", "n_periods", "n_groups",
                                      "n_eff", "coef", "coef_se", "coef_p"])
    out.insert(4, "p_adj", _benjamini_hochberg(out["p"].to_numpy(dtype=float)))
    out["too_few"] = (out["n_periods"] < min_periods) | ~(out["n_eff"].fillna(0) >= min_periods)
    out["_abs"] = -out["rho"].abs()
    out = out.sort_values(["too_few", "p", "_abs"], na_position="last", kind="stable")
    return out.drop(columns="_abs").reset_index(drop=True)[EFFECT_COLUMNS]


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    out = np.full(len(p), np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if not m:
        return out
    pv = p[ok]
    order = np.argsort(pv)
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adj = np.empty(m)
    adj[order] = np.minimum(ranked, 1.0)
    out[ok] = adj
    return out

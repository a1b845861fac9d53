"""销售关联 and the sales side of 产品与主播.

The panel and the lagged effects come from :mod:`textmine.sales`
(``link_sales`` and ``sales_effects``); the pack-size, streamer-tier and
channel tables are plain sums over the sales records, next to the comments'
sentiment for the same products, tiers and channels.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .schema import TIER_NAMES, apply_aliases

__all__ = ["load_sales", "pack_sizes", "tier_table", "channel_table", "product_sales",
           "link_tables"]

log = logging.getLogger(__name__)


def load_sales(sales) -> pd.DataFrame:
    """Sales records as a DataFrame with ``date, product, units, revenue`` at least.

    Accepts a DataFrame, the ``(valid, rejected)`` pair ``read_sales`` returns,
    or a path (read with :func:`textmine.sales.read_sales` when available).
    """
    if isinstance(sales, tuple) and sales and isinstance(sales[0], pd.DataFrame):
        sales = sales[0]
    if isinstance(sales, (str, Path)):
        try:
            from ..sales import read_sales
        except ImportError:
            from ..io import read_table

            sales = read_table(sales)
        else:
            sales = read_sales(sales)
            sales = sales[0] if isinstance(sales, tuple) else sales
    if not isinstance(sales, pd.DataFrame):
        raise InputError(f"sales must be a DataFrame or a file path, not {type(sales).__name__}")
    missing = [c for c in ("date", "product", "units") if c not in sales.columns]
    if missing:
        raise InputError("the sales table needs the columns date, product and units "
                         f"(missing {', '.join(missing)}); it has: "
                         + ", ".join(map(str, sales.columns)))
    out = sales.copy()
    out["date"] = pd.to_datetime(out["date"], errors="coerce")
    out["units"] = pd.to_numeric(out["units"], errors="coerce")
    out["revenue"] = (pd.to_numeric(out["revenue"], errors="coerce") if "revenue" in out
                      else np.nan)
    for c in ("product", "spec", "channel", "streamer", "streamer_tier"):
        if c in out:
            out[c] = out[c].astype("string").str.strip().fillna("（未填）").astype(object)
    return out.dropna(subset=["date", "units"])


def product_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """Units and revenue per product."""
    g = sales.groupby("product").agg(units=("units", "sum"), revenue=("revenue", "sum"))
    return g.reset_index()


def pack_sizes(sales: pd.DataFrame) -> pd.DataFrame:
    """Units and revenue per product and pack size, with each size's share of the product."""
    cols = ["product", "spec", "units", "revenue", "units_share"]
    if "spec" not in sales:
        return pd.DataFrame(columns=cols)
    g = sales.groupby(["product", "spec"]).agg(units=("units", "sum"),
                                               revenue=("revenue", "sum")).reset_index()
    g["units_share"] = g["units"] / g.groupby("product")["units"].transform("sum")
    g = g.sort_values(["product", "units"], ascending=[True, False], kind="stable")
    return g[cols].reset_index(drop=True)


def _per_day(sales: pd.DataFrame, by: str) -> pd.DataFrame:
    # A selling day is one date on which one streamer (or channel) sold.
    who = "streamer" if "streamer" in sales and by != "streamer" else by
    days = sales.groupby([by, who, "date"]).size().groupby(level=by).size()
    g = sales.groupby(by).agg(units=("units", "sum"), revenue=("revenue", "sum"))
    g["n_days"] = days
    g["units_per_day"] = g["units"] / g["n_days"]
    g["units_share"] = g["units"] / g["units"].sum()
    return g


def _comment_side(prepared: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    ok = prepared["ok"] & key.notna()
    frame = pd.DataFrame({"key": key[ok], "neg": prepared.loc[ok, "label"] == "neg",
                          "s": prepared.loc[ok, "sentiment"]})
    return frame.groupby("key").agg(n_comments=("neg", "size"), neg_share=("neg", "mean"),
                                    sentiment_mean=("s", "mean"))


def tier_table(sales: pd.DataFrame, prepared: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per streamer tier: streamers, units, units per selling day, and comment sentiment."""
    cols = ["streamer_tier", "n_streamers", "units", "revenue", "units_share", "n_days",
            "units_per_day", "n_comments", "neg_share", "sentiment_mean"]
    if "streamer_tier" not in sales:
        return pd.DataFrame(columns=cols)
    g = _per_day(sales, "streamer_tier")
    if "streamer" in sales:
        g["n_streamers"] = sales.groupby("streamer_tier")["streamer"].nunique()
    if prepared is not None and "streamer" in prepared and "streamer" in sales:
        tier_of = sales.drop_duplicates("streamer").set_index("streamer")["streamer_tier"]
        g = g.join(_comment_side(prepared, prepared["streamer"].map(tier_of)))
    g = g.reset_index().sort_values("units_per_day", ascending=False, kind="stable")
    g["streamer_tier"] = g["streamer_tier"].map(lambda v: TIER_NAMES.get(v, v))
    return g.reindex(columns=cols).reset_index(drop=True)


def channel_table(sales: pd.DataFrame, prepared: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per channel: units, share of units, and the sentiment of that platform's comments."""
    cols = ["channel", "units", "revenue", "units_share", "n_days", "units_per_day",
            "n_comments", "neg_share", "sentiment_mean"]
    if "channel" not in sales:
        return pd.DataFrame(columns=cols)
    g = _per_day(sales, "channel")
    if prepared is not None and "platform" in prepared:
        g = g.join(_comment_side(prepared, prepared["platform"]))
    g = g.reset_index().sort_values("units", ascending=False, kind="stable")
    return g.reindex(columns=cols).reset_index(drop=True)


def link_tables(comments: pd.DataFrame, sales: pd.DataFrame, *, freq: str, aliases=None,
                max_lag: int = 4) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The comment × sales panel and the lagged effects, from :mod:`textmine.sales`.

    Returns ``(panel, effects, note)``; both tables are empty, and ``note``
    says why, when the sales module is not available.
    """
    try:
        from ..sales import link_sales, sales_effects
    except ImportError as exc:
        note = f"销售关联模块不可用（{exc}），本节只列出销量汇总。"
        log.warning("sales linkage unavailable: %s", exc)
        return pd.DataFrame(), pd.DataFrame(), note
    link = link_sales(comments, sales, freq=freq, by="product", aliases=aliases)
    panel = link.panel if hasattr(link, "panel") else link[0]
    effects = sales_effects(panel, max_lag=max_lag)
    return panel, effects, ""


def canonical_products(sales: pd.DataFrame, aliases) -> pd.DataFrame:
    """Sales with product aliases mapped to canonical names."""
    out = sales.copy()
    out["product"] = apply_aliases(out["product"], aliases)
    return out

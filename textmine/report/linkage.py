"""销售关联 and the sales side of 产品与主播, from :mod:`textmine.sales`.

``link_sales`` gives the comment × sales panel, ``sales_effects`` the lagged
correlations, ``compare`` the pack-size, streamer-tier and channel tables and
the livestream spikes; this module only picks and orders their columns for
the report, and maps the comments' product names to the sales' names so the
product table and the panel speak of the same products.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .schema import TIER_NAMES
from .summary import metric_name

__all__ = ["load_sales", "product_names", "sales_sections"]

log = logging.getLogger(__name__)

_SIDE = ["n_comments", "neg_share", "sentiment_mean"]
_PACK = ["product", "spec", "units", "revenue", "units_per_day", "price", "unit_share"] + _SIDE
_TIER = ["streamer_tier", "units", "revenue", "days", "units_per_day", "unit_share"] + _SIDE + [
    "share_trust"]
_CHANNEL = ["channel", "units", "revenue", "days", "units_per_day", "unit_share"] + _SIDE
_SPIKES = ["product", "start", "end", "peak_units", "before", "lift", "retention_7",
           "retention_28", "streamers", "streamer_tiers", "n_comments", "neg_share", "share_trust"]
_EFFECTS = ["metric", "metric_name", "lag", "rho", "p", "p_adj", "n_periods", "n_groups", "n_eff",
            "coef", "coef_p", "too_few"]


def load_sales(sales) -> pd.DataFrame:
    """Valid sales records from a DataFrame, a path or ``read_sales``'s ``(valid, rejected)``."""
    from ..sales import read_sales

    if isinstance(sales, tuple) and sales and isinstance(sales[0], pd.DataFrame):
        return sales[0]
    if isinstance(sales, (str, Path, pd.DataFrame)):
        return read_sales(sales)[0]
    raise InputError(f"sales must be a DataFrame or a file path, not {type(sales).__name__}")


def product_names(names, sales: pd.DataFrame | None = None, aliases=None) -> dict:
    """Comment product name → its canonical name, for the names that change.

    With sales records, a name maps to the sales' spelling of the product it
    matches (through the aliases, and a spec written into the name); without,
    only the aliases apply.

    >>> product_names(["城步土蜂蜜", "雷山鱼浆"], aliases={"城步土蜂蜜": "城步蜂蜜"})
    {'城步土蜂蜜': '城步蜂蜜'}
    """
    from ..sales.match import ProductMatcher, product_key, read_aliases

    alias = read_aliases(aliases)
    uniques = pd.Series(pd.unique(pd.Series(list(names), dtype=object)), dtype=object)
    if sales is None:
        out = {u: alias.get(product_key(u)) for u in uniques}
        return {u: v for u, v in out.items() if v is not None and v != u}
    matcher = ProductMatcher(alias).fit(sales)
    display = matcher.names_
    keys, _, hit = matcher.match(uniques)
    return {u: display[k] for u, k, h in zip(uniques, keys, hit)
            if h and k in display and display[k] != u}


def _pick(frame: pd.DataFrame, cols) -> pd.DataFrame:
    return frame[[c for c in cols if c in frame.columns]].reset_index(drop=True)


def _tiers(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[frame["units"].notna()].copy() if "units" in frame else frame.copy()
    if "streamer_tier" in out:
        out["streamer_tier"] = out["streamer_tier"].map(lambda v: TIER_NAMES.get(v, v))
    if "units_per_day" in out:
        out = out.sort_values("units_per_day", ascending=False, kind="stable")
    return _pick(out, _TIER)


def _link_and_compare(comments, sales, *, freq, aliases):
    try:
        from ..sales.compare import compare_linked
        from ..sales.panel import link_prepared, parse_freq, prepare
    except ImportError:  # read and match the inputs twice, through the public functions
        from ..sales import compare, link_sales

        return (link_sales(comments, sales, freq=freq, by="product", aliases=aliases),
                compare(comments, sales, aliases=aliases))
    # Read and match once: the panel and the comparisons share the matched inputs.
    linked = prepare(comments, sales, aliases=aliases)
    return link_prepared(linked, ["product"], parse_freq(freq)), compare_linked(linked)


def sales_sections(comments: pd.DataFrame, sales: pd.DataFrame, *, freq: str, aliases=None,
                   max_lag: int = 4, names: dict | None = None) -> dict[str, pd.DataFrame]:
    """Tables for 产品与主播 and 销售关联.

    Returns ``pack_sizes, tiers, channels, spikes, effects, panel, unmatched``
    (a table is left out when the sales records lack its column).
    """
    from ..sales import sales_effects

    names = names or {}
    link, cmp = _link_and_compare(comments, sales, freq=freq, aliases=aliases)
    effects = sales_effects(link.panel, max_lag=max_lag)
    if len(effects):
        effects = effects.copy()
        effects.insert(1, "metric_name", [metric_name(str(m), names) for m in effects["metric"]])
    out = {}
    if "spec" in sales:
        spec = cmp.by_spec[cmp.by_spec["units"].notna()]
        cols = _PACK
        if "n_comments" not in spec or not spec["n_comments"].fillna(0).any():
            cols = [c for c in _PACK if c not in _SIDE]  # the comments name no pack size
        out["pack_sizes"] = _pick(spec, cols)
    if "streamer_tier" in sales:
        out["tiers"] = _tiers(cmp.by_streamer_tier)
    if "channel" in sales:
        out["channels"] = _pick(cmp.by_channel[cmp.by_channel["units"].notna()], _CHANNEL)
    out["effects"] = _pick(effects, _EFFECTS)
    if len(cmp.spikes):
        out["spikes"] = _pick(cmp.spikes, _SPIKES)
    out["panel"] = link.panel.reset_index(drop=True)
    if len(link.unmatched):
        out["unmatched"] = link.unmatched.reset_index(drop=True)
    return out

"""Join scored comments to sales records: one row per group and period."""

from __future__ import annotations

import logging
from collections import namedtuple
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .match import ProductMatcher, keys_of, read_aliases, unmatched_table
from .read import REJECTED_COLUMNS, read_comments, read_sales

__all__ = ["LinkResult", "link_sales", "link_prepared", "prepare", "GROUP_FIELDS", "FREQUENCIES"]

log = logging.getLogger(__name__)

LinkResult = namedtuple("LinkResult", ["panel", "unmatched", "rejected"])
LinkResult.__doc__ = """What :func:`link_sales` returns.

panel : DataFrame
    One row per group and period (see :func:`link_sales`).
unmatched : DataFrame
    ``side, field, value, key, count, first_date, last_date``: names on one
    side (``comments`` or ``sales``) that found no partner on the other.
rejected : DataFrame
    ``side, row, column, value, reason``: input rows left out, and why.
"""

GROUP_FIELDS = ("product", "spec", "channel", "streamer", "streamer_tier", "county")
FREQUENCIES = {"D": "D", "W": "W", "M": "M", "DAY": "D", "WEEK": "W", "MONTH": "M"}


@dataclass
class Linked:
    """Comments and sales read, validated and matched, before grouping.

    ``comments`` has the columns of :func:`read_comments` plus
    ``product_key``; ``sales`` those of :func:`read_sales` with ``product``
    in its canonical spelling and ``product_key``. Keys of the other group
    fields are made on demand by :meth:`keys`.
    """

    comments: pd.DataFrame
    sales: pd.DataFrame
    codes: list
    unmatched: pd.DataFrame
    rejected: pd.DataFrame
    spec_from_name: np.ndarray

    def keys(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Matching keys of field ``name`` on the comment and the sales side ("" = unknown)."""
        c, s = self.comments, self.sales
        if name == "product":
            return c["product_key"].to_numpy(), s["product_key"].to_numpy()
        if name not in s.columns:
            raise InputError(f"cannot group by {name!r}: the sales records have no {name} column; "
                             f"they have: {', '.join(map(str, s.columns))}")
        skeys = keys_of(s[name])
        if name in c.columns:
            ckeys = keys_of(c[name])
            if name == "spec":  # a spec written in the product name fills a blank spec cell
                ckeys = np.where(ckeys == "", self.spec_from_name, ckeys)
        elif name == "spec":
            ckeys = self.spec_from_name
        elif name == "streamer_tier" and "streamer" in c.columns:
            ckeys = _lookup(keys_of(c["streamer"]), keys_of(s["streamer"]), skeys) \
                if "streamer" in s.columns else np.full(len(c), "", dtype=object)
        elif name == "county":
            ckeys = _lookup(c["product_key"].to_numpy(), s["product_key"].to_numpy(), skeys)
        else:
            ckeys = np.full(len(c), "", dtype=object)
        return ckeys, skeys


def _lookup(cfrom: np.ndarray, sfrom: np.ndarray, sto: np.ndarray) -> np.ndarray:
    """Map comment keys through the sales' most frequent from→to pairing."""
    pairs = pd.DataFrame({"a": sfrom, "b": sto})
    pairs = pairs[(pairs["a"] != "") & (pairs["b"] != "")]
    counts = pairs.groupby(["a", "b"], sort=False).size().reset_index(name="n")
    counts = counts.sort_values("n", ascending=False, kind="stable")
    ambiguous = counts["a"][counts["a"].duplicated()].unique()
    if len(ambiguous):
        log.warning("%d name(s) have more than one value in the sales records (e.g. %r); "
                    "comments take the most frequent one", len(ambiguous), ambiguous[0])
    best = dict(zip(*[counts.drop_duplicates("a")[k] for k in ("a", "b")]))
    codes, uniques = pd.factorize(cfrom)
    mapped = np.array([best.get(u, "") for u in uniques] + [""], dtype=object)
    return mapped[codes]


def prepare(scored, sales, *, aliases=None, sales_table=None, mapping=None, time_col=None,
            product_col=None) -> Linked:
    """Read both inputs, validate them and match product names (the part every output shares)."""
    s, s_rej = read_sales(sales, table=sales_table, mapping=mapping)
    c, c_rej, codes = read_comments(scored, time_col=time_col, product_col=product_col)
    matcher = ProductMatcher(read_aliases(aliases)).fit(s)
    s["product_key"] = matcher.sales_keys_
    s["product"] = matcher.products().to_numpy()
    ckey, spec_key, hit = matcher.match(c["product"])
    c["product_key"] = ckey
    hit_keys = set(ckey[hit])
    s_hit = np.array([k in hit_keys for k in s["product_key"]], dtype=bool)
    unmatched = pd.concat([
        unmatched_table("comments", "product", c["product"], ckey, hit, c["time"]),
        unmatched_table("sales", "product", s["product"], s["product_key"].to_numpy(), s_hit,
                        s["date"]),
    ], ignore_index=True)
    if len(unmatched):
        com = unmatched[unmatched["side"] == "comments"]
        if len(com):
            log.warning("%d comment product name(s) match no sales product (%d comments), e.g. %r; "
                        "they are listed in the `unmatched` table; add them to an alias table "
                        "(alias,product) if they are the same product", len(com),
                        int(com["count"].sum()), com["value"].iloc[0])
    rejected = pd.concat([c_rej, s_rej], ignore_index=True)[REJECTED_COLUMNS]
    return Linked(c, s, codes, unmatched, rejected, spec_key)


def parse_by(by) -> list[str]:
    """``"product,spec"`` or a list → validated list of group fields.

    Examples
    --------
    >>> parse_by("product, spec")
    ['product', 'spec']
    """
    fields = [f.strip() for f in by.split(",")] if isinstance(by, str) else list(by)
    fields = [f for f in fields if f]
    bad = [f for f in fields if f not in GROUP_FIELDS]
    if bad or not fields or len(set(fields)) != len(fields):
        raise InputError(f"`by` value = {by!r} is invalid; use one or more of "
                         f"{', '.join(GROUP_FIELDS)} separated by commas, e.g. product,spec")
    return fields


def parse_freq(freq) -> str:
    """``"W"``, ``"week"``… → ``"D"``, ``"W"`` or ``"M"``."""
    key = str(freq).strip().upper()
    if key not in FREQUENCIES:
        raise InputError(f"`freq` value = {freq!r} is invalid; value must be one of D, W, M "
                         "(day, week from Monday, calendar month)")
    return FREQUENCIES[key]


def group_codes(linked: Linked, by: list[str]) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Integer group ids for comments and sales, the group table, and extra unmatched rows."""
    nc = len(linked.comments)
    codes_c = np.zeros(nc, dtype=np.int64)
    codes_s = np.zeros(len(linked.sales), dtype=np.int64)
    keys = {}
    extra = []
    for name in by:
        ckeys, skeys = linked.keys(name)
        keys[name] = np.concatenate([ckeys, skeys])
        codes, uniques = pd.factorize(keys[name])
        codes_c = codes_c * len(uniques) + codes[:nc]
        codes_s = codes_s * len(uniques) + codes[nc:]
        if name != "product":
            extra.append(_field_unmatched(linked, name, ckeys, skeys))
    gid, first = _factorize_ints(np.concatenate([codes_c, codes_s]))
    groups = pd.DataFrame(index=range(len(first)))
    for name in by:
        groups[name] = _group_labels(linked, name, gid, nc, keys[name], first)
    unmatched = pd.concat(extra, ignore_index=True) if extra else linked.unmatched.iloc[:0]
    return gid[:nc], gid[nc:], groups, unmatched


def _group_labels(linked: Linked, name: str, gid, nc, keys, first) -> list:
    """Each group's label for field ``name``: its most frequent spelling in the sales rows,
    else in the comments (the key when the comment value was derived); None when unknown.

    Chosen per group, so 2.5kg millet and 5斤 oranges (one key, 2500g) keep their own spellings.
    """
    c, s = linked.comments, linked.sales
    labels = np.array([None if k == "" else k for k in keys[first]], dtype=object)
    done = np.zeros(len(first), dtype=bool)
    craw = c[name].to_numpy() if name in c.columns else keys[:nc]
    for g, raw in ((gid[nc:], s[name].to_numpy()), (gid[:nc], craw)):
        todo = ~done[g]
        if not todo.any():
            continue
        frame = pd.DataFrame({"g": g[todo], "raw": raw[todo]}).dropna()
        counts = frame.groupby(["g", "raw"], sort=False).size().reset_index(name="n")
        best = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates("g")
        labels[best["g"].to_numpy()] = best["raw"].to_numpy()
        done[best["g"].to_numpy()] = True
    labels[[k == "" for k in keys[first]]] = None
    return list(labels)


def _factorize_ints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense ids in sorted order, and the position of each id's first occurrence."""
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    return inverse.astype(np.int64), first


def _field_unmatched(linked: Linked, name: str, ckeys, skeys) -> pd.DataFrame:
    """Values of a group field seen on one side only (a spelling to fix, or a true gap)."""
    c, s = linked.comments, linked.sales
    if name not in c.columns:
        if name == "streamer_tier" and "streamer" in c.columns and "streamer" in s.columns:
            # the tier came through the streamer: the streamers are what failed to match
            return _field_unmatched(linked, "streamer", keys_of(c["streamer"]),
                                    keys_of(s["streamer"]))
        if name != "spec":  # a county comes from the product, already checked
            return linked.unmatched.iloc[:0]
    craw = c[name] if name in c.columns else pd.Series(ckeys, dtype=object)
    sraw = s[name]
    if name == "spec":  # a spec matches within its product only
        craw = c["product"].astype(object) + " " + craw.astype(object)
        sraw = s["product"].astype(object) + " " + sraw.astype(object)
        ckeys = _joined(c["product_key"], ckeys)
        skeys = _joined(s["product_key"], skeys)
    sset, cset = set(skeys) - {""}, set(ckeys) - {""}
    chit = np.array([k in sset for k in ckeys], dtype=bool)
    tables = [unmatched_table("comments", name, craw, ckeys, chit, c["time"])]
    if name in c.columns:  # sales values no comment names are news only if comments name any
        shit = np.array([k in cset for k in skeys], dtype=bool)
        tables.append(unmatched_table("sales", name, sraw, skeys, shit, s["date"]))
    return pd.concat(tables, ignore_index=True)


def _joined(product_keys: pd.Series, keys: np.ndarray) -> np.ndarray:
    joined = product_keys.to_numpy().astype(object) + "/" + keys.astype(object)
    return np.where(keys == "", "", joined).astype(object)


def period_ordinals(times: pd.Series, freq: str) -> np.ndarray:
    """Period number of each time (days, Monday weeks or months since 1970)."""
    return times.dt.to_period(freq).array.asi8.astype(np.int64)


def period_starts(ordinals: np.ndarray, freq: str) -> pd.DatetimeIndex:
    return pd.PeriodIndex.from_ordinals(ordinals, freq=freq).start_time


def comment_sums(c: pd.DataFrame, cell: np.ndarray, codes) -> pd.DataFrame:
    """Per cell: counts and sums from which every comment metric is a ratio."""
    data = {"cell": cell, "n_comments": np.ones(len(c), dtype=np.int64),
            "n_scored": c["ok"].to_numpy(dtype=np.int64)}
    sent = c["sentiment"].to_numpy(dtype=float)
    data["sent_sum"] = np.nan_to_num(sent)
    data["sent_n"] = ~np.isnan(sent)
    neg = c["neg"].to_numpy(dtype=float)
    data["neg_sum"] = neg
    for code in codes:
        data[f"topic_{code}"] = c[f"topic_{code}"].to_numpy(dtype=float)
        v = c[f"sentiment_{code}"].to_numpy(dtype=float)
        data[f"ts_{code}"] = np.nan_to_num(v)
        data[f"tn_{code}"] = ~np.isnan(v)
    # a missing label or topic column stays NaN in the sums (min_count keeps it NaN)
    return pd.DataFrame(data).groupby("cell", sort=True).sum(min_count=1)


def comment_metrics(sums: pd.DataFrame, codes) -> pd.DataFrame:
    """Turn :func:`comment_sums` into n_comments, sentiment_mean, neg_share, share_/sentiment_<topic>."""
    n = sums["n_comments"].fillna(0).astype("int64")
    scored = sums["n_scored"].fillna(0).astype("int64")
    den = scored.where(scored > 0)
    out = pd.DataFrame({"n_comments": n, "n_scored": scored}, index=sums.index)
    out["sentiment_mean"] = sums["sent_sum"] / sums["sent_n"].where(sums["sent_n"] > 0)
    out["neg_share"] = sums["neg_sum"] / den
    for code in codes:
        out[f"share_{code}"] = sums[f"topic_{code}"] / den
    for code in codes:
        out[f"sentiment_{code}"] = sums[f"ts_{code}"] / sums[f"tn_{code}"].where(sums[f"tn_{code}"] > 0)
    return out


def link_sales(scored, sales, freq: str = "W", by="product", aliases=None, *,
               sales_table: str | None = None, mapping=None, time_col: str | None = None,
               product_col: str | None = None) -> LinkResult:
    """Join scored comments to sales records: one row per group and period.

    Parameters
    ----------
    scored : str, Path or DataFrame
        Comments as ``textmine score`` writes them: a time column (``time``,
        ``date``, ``created_at``, 时间, 日期), a product column (``product``,
        商品, 产品), ``status``, ``sentiment``, ``sentiment_label``, ``topics``
        and ``sentiment_<topic>``; optionally ``streamer``, ``platform`` (or
        ``channel``), ``spec``.
    sales : str, Path or DataFrame
        Sales records (file, DataFrame or SQLAlchemy URL; see
        :func:`~textmine.sales.read_sales`) with ``date, product, units,
        revenue`` and optionally ``spec, channel, streamer, streamer_tier,
        county, price``.
    freq : {"D", "W", "M"}
        Period: day, week (Monday to Sunday) or calendar month.
    by : str or list of str
        Group fields, e.g. ``"product"``, ``"product,spec"``,
        ``"streamer_tier"``, ``"channel"``; any of product, spec, channel,
        streamer, streamer_tier, county.
    aliases : str, Path, DataFrame or dict, optional
        Alias table ``alias,product`` (see :func:`~textmine.sales.read_aliases`).
    sales_table : str, optional
        Table (or ``SELECT`` query) when ``sales`` is a database URL.
    mapping : dict or list of str, optional
        Extra sales header names, e.g. ``["销量=units"]``.
    time_col, product_col : str, optional
        The comments' time and product columns when not found automatically.

    Returns
    -------
    LinkResult
        ``(panel, unmatched, rejected)``. ``panel`` has the group columns,
        ``period`` (first day of the period), ``n_comments``, ``n_scored``,
        ``sentiment_mean``, ``neg_share``, ``share_<topic>`` and
        ``sentiment_<topic>`` for quality, trust, supervision, branding, price,
        logistics and service (and any extra topic of the input), ``units``
        and ``revenue``.

    Notes
    -----
    *What counts.* ``n_comments`` counts comments with a product and a valid
    time, whatever their status; ``n_scored`` those with status ``ok``.
    ``sentiment_mean`` averages the sentiment of ``ok`` comments,
    ``neg_share`` and ``share_<topic>`` are shares of ``ok`` comments, and
    ``sentiment_<topic>`` averages the topic sentiment over the comments on
    that topic. Metrics without a comment to average are NaN.

    *Which periods.* Each group runs from its first to its last period with a
    comment or a sale. Inside that span a period without sales has
    ``units = revenue = 0`` and one without comments ``n_comments = 0`` and NaN
    metrics. A group that never appears in the sales records (a comment
    product with no sales, or comments whose streamer is unknown) has NaN
    units and revenue rather than a misleading zero. Sales rows are never
    dropped: the sums of ``units`` and ``revenue`` equal those of the valid
    input rows.

    *Grouping by other fields.* Comments take ``spec``, ``channel`` (or
    ``platform``), ``streamer``, ``streamer_tier`` and ``county`` from their
    own columns when they have them. Otherwise a spec comes from a product
    name that includes it (``城步蜂蜜300g``), a streamer tier from the comment's
    streamer through the sales records' streamer→tier pairs (the most
    frequent tier when a streamer has several), and a county from the
    product. A comment without the field, or whose streamer is not in the
    sales records, is kept in a group with that field empty, so no comment is
    lost; the names that found no partner are listed in ``unmatched``.

    Examples
    --------
    >>> comments = pd.DataFrame({
    ...     "time": ["2026-06-01 20:00", "2026-06-02 21:00", "2026-06-09 20:00"],
    ...     "product": ["城步蜂蜜", "城步蜂蜜 300克", "雷山鱼浆"],
    ...     "status": "ok", "sentiment": [0.9, 0.2, 0.1],
    ...     "sentiment_label": ["pos", "neg", "neg"], "topics": ["quality", "", "quality"]})
    >>> sales = pd.DataFrame({"date": ["2026-06-01", "2026-06-08"], "product": "城步蜂蜜",
    ...                       "spec": "300g", "units": [30, 12], "revenue": [1197.0, 478.8]})
    >>> panel, unmatched, rejected = link_sales(comments, sales, freq="W")
    >>> panel[["product", "period", "n_comments", "sentiment_mean", "units"]]
      product     period  n_comments  sentiment_mean  units
    0    城步蜂蜜 2026-06-01           2            0.55   30.0
    1    城步蜂蜜 2026-06-08           0             NaN   12.0
    2    雷山鱼浆 2026-06-08           1            0.10    NaN
    >>> unmatched[["side", "value", "count"]].to_dict("records")
    [{'side': 'comments', 'value': '雷山鱼浆', 'count': 1}]
    """
    freq = parse_freq(freq)
    by = parse_by(by)
    linked = prepare(scored, sales, aliases=aliases, sales_table=sales_table, mapping=mapping,
                     time_col=time_col, product_col=product_col)
    return link_prepared(linked, by, freq)


def link_prepared(linked: Linked, by: list[str], freq: str) -> LinkResult:
    """:func:`link_sales` on inputs already read and matched by :func:`prepare`."""
    panel, extra = build_panel(linked, by, freq)
    unmatched = pd.concat([linked.unmatched, extra], ignore_index=True) if len(extra) \
        else linked.unmatched
    unmatched = unmatched.sort_values(["side", "field", "count"], ascending=[True, True, False],
                                      kind="stable").reset_index(drop=True)
    return LinkResult(panel, unmatched, linked.rejected)


def build_panel(linked: Linked, by: list[str], freq: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The panel of :func:`link_sales` from prepared inputs, and unmatched non-product names."""
    c, s, codes = linked.comments, linked.sales, linked.codes
    gc, gs, groups, extra = group_codes(linked, by)
    pc = period_ordinals(c["time"], freq)
    ps = period_ordinals(s["date"], freq)
    base = min(pc.min(initial=np.iinfo(np.int64).max), ps.min(initial=np.iinfo(np.int64).max))
    if not len(groups):
        base = 0
    span = int(max(pc.max(initial=base), ps.max(initial=base)) - base + 1)
    cell_c = gc * span + (pc - base)
    cell_s = gs * span + (ps - base)
    csum = comment_sums(c, cell_c, codes)
    ssum = pd.DataFrame({"cell": cell_s, "units": s["units"].to_numpy(),
                         "revenue": s["revenue"].to_numpy()}).groupby("cell", sort=True).sum()
    # each group spans its first to last period seen on either side
    cells = np.union1d(csum.index.to_numpy(), ssum.index.to_numpy())
    g_of, p_of = np.divmod(cells, span)
    bounds = pd.DataFrame({"g": g_of, "p": p_of}).groupby("g")["p"].agg(["min", "max"])
    lengths = (bounds["max"] - bounds["min"] + 1).to_numpy()
    g_full = np.repeat(bounds.index.to_numpy(), lengths)
    starts = np.repeat(bounds["min"].to_numpy(), lengths)
    offsets = np.arange(len(g_full)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    p_full = starts + offsets
    full = pd.Index(g_full * span + p_full)
    metrics = comment_metrics(csum.reindex(full), codes)
    sales_cells = ssum.reindex(full)
    has_sales = np.zeros(len(groups), dtype=bool)
    has_sales[np.unique(gs)] = True
    filled = has_sales[g_full][:, None]
    vals = sales_cells[["units", "revenue"]].to_numpy()
    vals = np.where(np.isnan(vals) & filled, 0.0, vals)
    panel = groups.iloc[g_full].reset_index(drop=True)
    panel["period"] = period_starts(p_full + base, freq)
    metrics = metrics.reset_index(drop=True)
    panel = pd.concat([panel, metrics], axis=1)
    panel["units"] = vals[:, 0]
    panel["revenue"] = vals[:, 1]
    panel = panel.sort_values(by + ["period"], kind="stable", na_position="last").reset_index(drop=True)
    panel.attrs.update({"by": list(by), "freq": freq})
    return panel, extra

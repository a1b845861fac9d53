"""Match product names (and streamers, channels, specs) between comments and sales.

Matching is exact after normalisation — full/half width, traditional/simplified,
case, spaces and punctuation, and weights and volumes written as one unit
(300g = 300克 = 300 g = 0.3kg; 1斤 = 500g) — plus an optional alias table.
Nothing is guessed: every name that finds no partner is listed in the
``unmatched`` table so that a user can add an alias.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import InputError
from ..normalize import normalize

__all__ = ["product_key", "read_aliases", "ProductMatcher", "UNMATCHED_COLUMNS"]

log = logging.getLogger(__name__)

UNMATCHED_COLUMNS = ["side", "field", "value", "key", "count", "first_date", "last_date"]

_CN_NUM = {"半": 0.5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9, "十": 10}
# grams (g) or millilitres (ml) per unit, after NFKC and lower-casing
_UNITS = {
    "kg": (1000, "g"), "公斤": (1000, "g"), "千克": (1000, "g"), "斤": (500, "g"),
    "两": (50, "g"), "g": (1, "g"), "克": (1, "g"), "mg": (0.001, "g"),
    "ml": (1, "ml"), "毫升": (1, "ml"), "l": (1000, "ml"), "升": (1000, "ml"),
}
_AMOUNT = re.compile(
    r"(?<![a-z0-9.])(\d+(?:\.\d+)?|[半一二两三四五六七八九十])\s*"
    r"(kg|公斤|千克|斤|mg|ml|毫升|g|克|l|升|两)(?![a-z])")
_DROP = re.compile(r"[\s\u00ae\u2122\u00a9]+")


def _amount(m: re.Match) -> str:
    number, unit = m.group(1), m.group(2)
    if number in _CN_NUM:
        if unit == "两":  # 两 alone is "two", not a weight
            return m.group(0)
        value = float(_CN_NUM[number])
    else:
        value = float(number)
    factor, base = _UNITS[unit]
    value *= factor
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text}{base}"


@functools.lru_cache(maxsize=65536)
def product_key(name) -> str:
    """The matching key of a product (or spec, streamer, channel) name.

    Full/half width, traditional/simplified and case are folded, weights and
    volumes rewritten in grams or millilitres, and spaces and punctuation
    removed. Two names match when their keys are equal.

    Examples
    --------
    >>> product_key("城步蜂蜜 300克")
    '城步蜂蜜300g'
    >>> product_key("城步蜂蜜（0.3KG）") == product_key("城步蜂蜜300g") == product_key("城步蜂蜜 300 g")
    True
    >>> product_key("赣南臍橙 5斤"), product_key("平顺小米2.5kg")
    ('赣南脐橙2500g', '平顺小米2500g')
    >>> product_key("  ")
    ''
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = normalize(str(name), urls="keep", mentions="keep", hashtags="keep",
                     fold_repeats=False)
    text = _AMOUNT.sub(_amount, text)
    text = _DROP.sub("", text)
    return "".join(ch for ch in text
                   if not unicodedata.category(ch).startswith(("P", "Z", "C"))
                   or ch in ".+%")


def keys_of(series: pd.Series) -> np.ndarray:
    """``product_key`` of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(series)
    keys = np.array([product_key(u) for u in uniques] + [""], dtype=object)
    return keys[codes]


def read_aliases(source) -> dict[str, str]:
    """Read an alias table into ``{key of alias: product as written}``.

    ``source`` is a file with columns ``alias,product`` (or 别名, 商品/产品/
    标准名), a DataFrame with those columns, or a dict ``{alias: product}``.

    Raises
    ------
    InputError
        When a column is missing or one alias points at two products.

    Examples
    --------
    >>> read_aliases({"城步土蜂蜜": "城步蜂蜜", "銀球茶": "雷山银球茶"})
    {'城步土蜂蜜': '城步蜂蜜', '银球茶': '雷山银球茶'}
    """
    if source is None:
        return {}
    if isinstance(source, dict):
        frame = pd.DataFrame({"alias": list(source), "product": list(source.values())})
        rows, path = np.arange(1, len(frame) + 1), None
    else:
        from .read import _load, resolve_columns

        frame, rows, _, path = _load(source)
        cols = resolve_columns(frame.columns, {
            "alias": ("alias", "别名", "写法"),
            "product": ("product", "商品", "产品", "标准名", "规范名", "商品名称")})
        if len(cols) < 2:
            raise InputError("an alias table needs the columns alias,product (or 别名,商品); the "
                             f"columns are: {', '.join(map(str, frame.columns))}", path=path)
        frame = frame.rename(columns={v: k for k, v in cols.items()})
    out: dict[str, str] = {}
    where: dict[str, int] = {}
    for row, alias, product in zip(rows, frame["alias"], frame["product"]):
        key = product_key(alias)
        if not key or pd.isna(product) or not str(product).strip():
            continue
        product = str(product).strip()
        if key in out and product_key(out[key]) != product_key(product):
            raise InputError(f"alias {alias!r} points at {out[key]!r} (line {where[key]}) and at "
                             f"{product!r}; keep one of them", path=path, line=int(row))
        out[key] = product
        where[key] = int(row)
    return out


class ProductMatcher:
    """Match comment product names to the products of the sales records.

    Built from the sales' ``product`` (and ``spec``) columns and an alias
    table. A comment name matches a sales product when, after
    :func:`product_key` and the aliases, it equals the product, or the product
    followed by one of its specs (``城步蜂蜜300g`` gives product 城步蜂蜜 and
    spec 300g).

    Parameters
    ----------
    aliases : dict, optional
        ``{key of alias: product}`` from :func:`read_aliases`.
    """

    def __init__(self, aliases: dict | None = None):
        self.aliases = aliases

    def fit(self, sales: pd.DataFrame) -> "ProductMatcher":
        """Learn the product names, their display spellings and their specs."""
        aliases = self.aliases or {}
        alias_keys = {k: product_key(v) for k, v in aliases.items()}
        keys = keys_of(sales["product"])
        keys = np.array([alias_keys.get(k, k) for k in keys], dtype=object) if alias_keys else keys
        self.sales_keys_ = keys
        self.names_ = _display_names(keys, sales["product"])
        for k, v in aliases.items():
            target = alias_keys[k]
            if target not in self.names_:
                log.warning("alias %r -> %r: no sales product is called %r", k, v, v)
        self.alias_keys_ = alias_keys
        self.spec_of_ = {}
        if "spec" in sales.columns:
            spec_keys = keys_of(sales["spec"])
            pairs = pd.DataFrame({"p": keys, "s": spec_keys}).drop_duplicates()
            for p, s in zip(pairs["p"], pairs["s"]):
                if s:
                    self.spec_of_.setdefault(p + s, (p, s))
        return self

    def products(self) -> pd.Series:
        """The display name of each sales row's product."""
        return pd.Series([self.names_[k] for k in self.sales_keys_], dtype=object)

    def match(self, names: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (product key or "", spec key or "", matched flag) for comment names."""
        codes, uniques = pd.factorize(names)
        prod, spec, hit = [], [], []
        for u in uniques:
            key = product_key(u)
            key = self.alias_keys_.get(key, key)
            if key in self.names_:
                prod.append(key), spec.append(""), hit.append(True)
            elif key in self.spec_of_:
                p, s = self.spec_of_[key]
                prod.append(p), spec.append(s), hit.append(True)
            else:
                prod.append(key), spec.append(""), hit.append(False)
        prod.append(""), spec.append(""), hit.append(False)
        return (np.array(prod, dtype=object)[codes], np.array(spec, dtype=object)[codes],
                np.array(hit, dtype=bool)[codes])


def _display_names(keys: np.ndarray, raw: pd.Series) -> dict[str, str]:
    """For each key, its most frequent spelling (ties: the first seen)."""
    frame = pd.DataFrame({"key": keys, "raw": raw.to_numpy()})
    counts = frame.groupby(["key", "raw"], sort=False).size().reset_index(name="n")
    counts = counts.sort_values("n", ascending=False, kind="stable")
    best = counts.drop_duplicates("key")
    return dict(zip(best["key"], best["raw"]))


def unmatched_table(side: str, field: str, raw: pd.Series, keys: np.ndarray, hit: np.ndarray,
                    dates: pd.Series) -> pd.DataFrame:
    """Count the names on one side that found no partner, with when they were seen."""
    miss = ~np.asarray(hit, dtype=bool) & (np.asarray(keys, dtype=object) != "")
    if not miss.any():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "count" else object)
                             for c in UNMATCHED_COLUMNS})
    frame = pd.DataFrame({"value": raw.to_numpy()[miss], "key": np.asarray(keys)[miss],
                          "date": dates.to_numpy()[miss]})
    out = frame.groupby(["value", "key"], sort=False).agg(
        count=("date", "size"), first_date=("date", "min"), last_date=("date", "max")).reset_index()
    out.insert(0, "field", field)
    out.insert(0, "side", side)
    for c in ("first_date", "last_date"):
        out[c] = out[c].dt.strftime("%Y-%m-%d")
    return out[UNMATCHED_COLUMNS]

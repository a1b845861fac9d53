"""Read sales records and scored comments into canonical columns.

Sales come from a table file (through :mod:`textmine.io`), a SQL database
(any SQLAlchemy URL) or a DataFrame. Headers are recognised in English or
Chinese; anything else is named with ``mapping``. Every row that cannot be
used is returned in a ``rejected`` table with where it was and why, never
dropped silently.
"""

from __future__ import annotations

import logging
import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import InputError
from ..topics import DEFAULT_CODES

__all__ = [
    "SALES_REQUIRED",
    "SALES_OPTIONAL",
    "TOPIC_CODES",
    "read_sales",
    "read_comments",
    "parse_mapping",
    "REJECTED_COLUMNS",
]

log = logging.getLogger(__name__)

#: The seven seeded topic codes, in output order (defined once, by the tagger).
TOPIC_CODES = DEFAULT_CODES
SALES_REQUIRED = ("date", "product", "units", "revenue")
SALES_OPTIONAL = ("spec", "channel", "streamer", "streamer_tier", "county", "price")
REJECTED_COLUMNS = ["side", "row", "column", "value", "reason"]

# Header spellings recognised without --map, compared after strip + lower-case.
_PRODUCT = ("product", "商品", "产品", "商品名称", "产品名称", "商品名", "品名")
_SPEC = ("spec", "规格", "包装规格")
_CHANNEL = ("channel", "platform", "渠道", "平台", "销售渠道")
_STREAMER = ("streamer", "anchor", "host", "主播", "达人", "主播名")
_TIER = ("streamer_tier", "tier", "主播层级", "主播等级", "达人层级")
_COUNTY = ("county", "县", "县域", "县区", "县名")
SALES_SYNONYMS = {
    "date": ("date", "day", "order_date", "日期", "销售日期", "下单日期", "时间"),
    "product": _PRODUCT,
    "units": ("units", "qty", "quantity", "销量", "数量", "件数", "销售数量"),
    "revenue": ("revenue", "amount", "sales", "gmv", "销售额", "金额", "成交额", "销售金额"),
    "spec": _SPEC,
    "channel": _CHANNEL,
    "streamer": _STREAMER,
    "streamer_tier": _TIER,
    "county": _COUNTY,
    "price": ("price", "价格", "单价"),
}
COMMENT_SYNONYMS = {
    "time": ("time", "date", "created_at", "timestamp", "时间", "日期", "评论时间", "发布时间"),
    "product": _PRODUCT,
    "spec": _SPEC,
    "channel": _CHANNEL,
    "streamer": _STREAMER,
    "streamer_tier": _TIER,
    "county": _COUNTY,
}


# --- column names --------------------------------------------------------------

def parse_mapping(items) -> dict[str, str]:
    """Turn ``["销量=units", "金额=revenue"]`` (or a dict) into ``{source: canonical}``.

    Examples
    --------
    >>> parse_mapping(["销量=units", "成交金额 = revenue"])
    {'销量': 'units', '成交金额': 'revenue'}
    """
    if items is None:
        return {}
    if isinstance(items, dict):
        return {str(k).strip(): str(v).strip() for k, v in items.items()}
    if isinstance(items, str):
        items = [items]
    out: dict[str, str] = {}
    for item in items:
        for part in str(item).split(","):
            if not part.strip():
                continue
            source, sep, target = part.partition("=")
            if not sep or not source.strip() or not target.strip():
                raise InputError(f"column mapping {part.strip()!r} is invalid; write it as "
                                 "SOURCE=CANONICAL, e.g. --map 销量=units")
            out[source.strip()] = target.strip()
    return out


def resolve_columns(columns, synonyms: dict, mapping: dict | None = None, *,
                    required=(), path=None, option: str = "--map") -> dict[str, str]:
    """Return ``{canonical: source column}`` for the columns found in ``columns``.

    ``mapping`` (``{source: canonical}``) wins over the built-in spellings.
    Raises :class:`InputError` naming the file, the columns it has and what to
    pass when a required column is missing or a mapping names a column that
    is not there.
    """
    columns = [str(c) for c in columns]
    listed = ", ".join(columns) or "(none)"
    found: dict[str, str] = {}
    for source, target in (mapping or {}).items():
        if target not in synonyms:
            raise InputError(f"{option} {source}={target}: {target!r} is not a known column; "
                             f"valid names are {', '.join(synonyms)}", path=path)
        if source not in columns:
            raise InputError(f"{option} {source}={target}: there is no column {source!r}; "
                             f"the columns are: {listed}", path=path)
        found[target] = source
    folded = {}
    for c in columns:
        folded.setdefault(c.strip().lower(), c)
    used = set(found.values())
    for target, names in synonyms.items():
        if target in found:
            continue
        for name in names:
            source = folded.get(name)
            if source is not None and source not in used:
                found[target] = source
                used.add(source)
                break
    missing = [c for c in required if c not in found]
    if missing:
        hint = " ".join(f"{option} COLUMN={m}" for m in missing)
        raise InputError(f"required column(s) {', '.join(missing)} not found; the columns are: "
                         f"{listed}. Name them with {hint}", path=path)
    return found


# --- values --------------------------------------------------------------------

def _on_uniques(series: pd.Series, func) -> pd.Series:
    # Sales and comment columns repeat the same few values; convert each once.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    converted = func(pd.Series(uniques, dtype=object))
    values = np.asarray(converted)
    out = values[codes] if len(values) else np.full(len(codes), np.nan, dtype=object)
    if (codes < 0).any():
        out = out.copy() if out.dtype != object else out.astype(object)
        out[codes < 0] = np.nan if out.dtype.kind == "f" else None
    return pd.Series(out, index=series.index)


_NUMBER_JUNK = re.compile(r"[\s,，¥￥$元]|rmb|cny", re.IGNORECASE)


def to_number(series: pd.Series) -> pd.Series:
    """Parse numbers written as ``1,234``, ``¥39.9``, ``39.9元`` or full-width digits; else NaN.

    Examples
    --------
    >>> to_number(pd.Series(["1,234", "¥39.9", "３", "abc", None])).tolist()
    [1234.0, 39.9, 3.0, nan, nan]
    """
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    values = series.astype(object).to_numpy()
    filled = pd.notna(values) & (values != "")  # topic sentiments are mostly blank
    out = pd.Series(np.full(len(values), np.nan), index=series.index)
    out[filled] = pd.to_numeric(values[filled], errors="coerce").astype("float64")
    bad = filled & np.isnan(out.to_numpy())
    if bad.any():
        def convert(uniques: pd.Series) -> pd.Series:
            text = uniques.map(lambda v: _NUMBER_JUNK.sub("", unicodedata.normalize("NFKC", str(v))))
            return pd.to_numeric(text, errors="coerce").astype("float64")

        out[bad] = _on_uniques(series[bad], convert).astype("float64").to_numpy()
    return out


_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")


def to_datetime(series: pd.Series) -> pd.Series:
    """Parse dates and times (ISO, ``2026/6/1``, ``2026年6月1日 20:15``); NaT when unparseable.

    Times with a UTC offset are converted to China time (UTC+8) and the offset dropped.

    Examples
    --------
    >>> to_datetime(pd.Series(["2026-06-01", "2026/6/2 20:15", "2026年6月3日", "昨天"])).dt.strftime("%m-%d").tolist()
    ['06-01', '06-02', '06-03', nan]
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        out = series
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
        return out.astype("datetime64[ns]")

    def convert(uniques: pd.Series) -> pd.Series:
        result = _parse_dates(uniques, "ISO8601")  # the common case, vectorised
        bad = result.isna() & uniques.notna()
        if bad.any():
            text = uniques[bad].map(lambda v: _CJK_DATE.sub(
                r"\1-\2-\3", unicodedata.normalize("NFKC", v)).strip() if isinstance(v, str) else v)
            result[bad] = _parse_dates(text, "mixed")
        return result

    return pd.Series(pd.to_datetime(_on_uniques(series, convert)), index=series.index,
                     dtype="datetime64[ns]")


def _parse_dates(text: pd.Series, fmt: str) -> pd.Series:
    try:
        parsed = pd.to_datetime(text, errors="coerce", format=fmt)
    except (ValueError, TypeError):  # mixed offsets: parse one by one
        return pd.Series([_one_date(v) for v in text], index=text.index, dtype="datetime64[ns]")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _one_date(value):
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return pd.NaT
    if ts is pd.NaT:
        return pd.NaT
    if ts.tzinfo is not None:
        ts = ts.tz_convert("Asia/Shanghai").tz_localize(None)
    return ts


def clean_text(series: pd.Series) -> pd.Series:
    """Strip labels; blank cells become missing. Returned as a categorical.

    Names repeat (a few hundred products over a million comments): a
    categorical keeps one copy of each and makes later grouping cheap.

    Examples
    --------
    >>> clean_text(pd.Series([" 蜂蜜", "蜂蜜", "", None])).tolist()
    ['蜂蜜', '蜂蜜', nan, nan]
    """
    codes, uniques = pd.factorize(series)
    labels = [str(v).strip() or None for v in uniques]
    new_codes, categories = pd.factorize(pd.Series(labels, dtype=object))
    lookup = np.append(new_codes, -1)  # code -1 (missing) maps to the trailing -1
    return pd.Series(pd.Categorical.from_codes(lookup[codes], categories=categories),
                     index=series.index)


# --- sources -------------------------------------------------------------------

def _is_url(source) -> bool:
    return isinstance(source, str) and re.match(r"^[a-z][a-z0-9+.\-]*://", source) is not None


def _load(source, *, table=None, columns_wanted=None, per_chunk=None
          ) -> tuple[pd.DataFrame, np.ndarray, dict, str]:
    """Return (frame, row numbers, read errors by position, name for messages).

    ``columns_wanted(name)`` picks the columns to keep and ``per_chunk(frame)``
    shrinks each chunk as it is read (numbers parsed, labels made categorical),
    so a million-row file never sits in memory as a million rows of strings.
    """
    if isinstance(source, pd.DataFrame):
        return source, np.asarray(source.index), {}, "the DataFrame"
    if _is_url(source):
        frame = _read_sql(source, table)
        return frame, np.arange(1, len(frame) + 1), {}, _safe_url(source)
    from ..io import TableReader

    reader = TableReader(source)
    keep = None
    if columns_wanted is not None:
        keep = [c for c in reader.columns if columns_wanted(c)]
    frames, lines, errors = [], [], {}
    offset = 0
    for chunk in reader:
        frame = chunk.frame if keep is None else chunk.frame[keep]
        if per_chunk is not None:
            frame = per_chunk(frame)
        frames.append(frame)
        lines.extend(chunk.lines)
        for i, e in enumerate(chunk.errors):
            if e:
                errors[offset + i] = e
        offset += len(frame)
    if frames:
        frame = _concat(frames)
    else:
        frame = pd.DataFrame(columns=keep if keep is not None else reader.columns)
    return frame, np.asarray(lines, dtype=np.int64), errors, str(source)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat`` that keeps columns categorical when every chunk has them so."""
    from pandas.api.types import union_categoricals

    columns = list(frames[0].columns)
    cats = [c for c in columns if all(isinstance(f[c].dtype, pd.CategoricalDtype) for f in frames)]
    merged = {c: union_categoricals([f[c] for f in frames], ignore_order=True) for c in cats}
    out = pd.concat([f.drop(columns=cats) for f in frames], ignore_index=True)
    for c in cats:
        out[c] = merged[c]
    return out[columns]


def _safe_url(url: str) -> str:
    # Never echo a database password into messages or logs.
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def _read_sql(url: str, table) -> pd.DataFrame:
    try:
        import sqlalchemy as sa
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency
        raise InputError("reading sales from a database needs SQLAlchemy; "
                         "pip install SQLAlchemy") from None
    shown = _safe_url(url)
    try:
        engine = sa.create_engine(url)
    except Exception as exc:  # bad URL or missing driver
        raise InputError(f"cannot use this database URL ({type(exc).__name__}: {exc}); "
                         "write it as dialect://user:password@host/db, e.g. sqlite:///sales.db",
                         path=shown) from None
    try:
        with engine.connect() as conn:
            if table is None or not str(table).strip():
                names = sa.inspect(conn).get_table_names()
                raise InputError("name the sales table with --sales-table (table=...); the "
                                 f"database has: {', '.join(names) or 'no tables'}", path=shown)
            table = str(table).strip()
            if re.match(r"(?is)^\s*(select|with)\s", table):
                return pd.read_sql_query(sa.text(table), conn)
            names = sa.inspect(conn).get_table_names()
            if table not in names:
                raise InputError(f"no table {table!r}; the database has: "
                                 f"{', '.join(names) or 'no tables (check the path in the URL)'}",
                                 path=shown)
            return pd.read_sql_table(table, conn)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot read from the database ({type(exc).__name__}: {exc})",
                         path=shown) from None
    finally:
        engine.dispose()


def _rejected(side: str, rows, problems) -> pd.DataFrame:
    """One row per bad input row: its columns, values and reasons joined by "; ".

    ``problems`` holds ``(column, mask, values or None, reason)``; ``reason``
    is a string or an array with one reason per input row.
    """
    parts = []
    for column, mask, values, reason in problems:
        idx = np.flatnonzero(mask)
        if len(idx):
            vals = values.iloc[idx] if values is not None else [""] * len(idx)
            parts.append(pd.DataFrame({
                "pos": idx, "column": column,
                "value": ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                          for v in vals],
                "reason": reason if isinstance(reason, str) else np.asarray(reason)[idx]}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else object)
                             for c in REJECTED_COLUMNS})
    bad = pd.concat(parts, ignore_index=True).sort_values("pos", kind="stable")
    joined = bad.groupby("pos", sort=True).agg({"column": "; ".join, "value": "; ".join,
                                                 "reason": "; ".join})
    out = joined.reset_index()
    out.insert(0, "row", np.asarray(rows)[out.pop("pos").to_numpy()])
    out.insert(0, "side", side)
    return out[REJECTED_COLUMNS]


# --- sales ---------------------------------------------------------------------

def read_sales(source, *, table: str | None = None, mapping=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read sales records; return ``(valid, rejected)``.

    Parameters
    ----------
    source : str, Path or DataFrame
        A CSV/TSV/XLSX/JSONL/Parquet file, a DataFrame, or a SQLAlchemy URL
        such as ``sqlite:///sales.db`` or ``postgresql://user@host/db``.
    table : str, optional
        For a URL: the table to read, or a ``SELECT`` query.
    mapping : dict or list of str, optional
        Extra header names, ``{"销量": "units"}`` or ``["销量=units"]``.

    Returns
    -------
    valid : DataFrame
        ``row, date, product, units, revenue`` and whichever of ``spec,
        channel, streamer, streamer_tier, county, price`` the input has.
        ``date`` is a day (datetime64), ``units`` and ``revenue`` floats.
    rejected : DataFrame
        ``side, row, column, value, reason`` (``column`` as the input names
        it; several problems in one row are joined by "; "): rows with an unreadable or
        missing date, a missing product, missing, non-numeric or negative units
        or revenue, or a line the file reader could not split cleanly. ``row``
        is the line in a text file, the sheet row in Excel, the 1-based record
        number in Parquet or SQL results, or the index label of a DataFrame.

    Raises
    ------
    InputError
        When the source cannot be read or a required column is missing.

    Examples
    --------
    >>> raw = pd.DataFrame({"日期": ["2026-06-01", "6月1日"], "商品": ["蜂蜜", "蜂蜜"],
    ...                     "销量": ["3", "2"], "金额": ["119.7", "79.8"]})
    >>> valid, rejected = read_sales(raw)
    >>> valid[["product", "units", "revenue"]].to_dict("records")
    [{'product': '蜂蜜', 'units': 3.0, 'revenue': 119.7}]
    >>> rejected[["row", "column", "value", "reason"]].to_dict("records")
    [{'row': 1, 'column': '日期', 'value': '6月1日', 'reason': 'not a date'}]
    """
    mapping = parse_mapping(mapping)
    frame, rows, read_errors, name = _load(source, table=table)
    cols = resolve_columns(frame.columns, SALES_SYNONYMS, mapping, required=SALES_REQUIRED,
                           path=name)
    raw = {c: frame[src] for c, src in cols.items()}
    n = len(frame)
    out = pd.DataFrame({"row": rows})
    out["date"] = to_datetime(raw["date"]).dt.normalize().to_numpy()
    out["product"] = clean_text(raw["product"]).array
    out["units"] = to_number(raw["units"]).to_numpy()
    out["revenue"] = to_number(raw["revenue"]).to_numpy()
    for c in ("spec", "channel", "streamer", "streamer_tier", "county"):
        if c in raw:
            out[c] = clean_text(raw[c]).array
    if "price" in raw:
        out["price"] = to_number(raw["price"]).to_numpy()
        bad_price = np.isnan(out["price"].to_numpy()) & _present(raw["price"])
        if bad_price.any():
            log.warning("%s: %d price value(s) are not numbers and were left empty "
                        "(price is optional; the rows are kept)", name, int(bad_price.sum()))

    blank = {c: ~_present(raw[c]) for c in SALES_REQUIRED}
    units = out["units"].to_numpy()
    revenue = out["revenue"].to_numpy()
    read_bad = np.zeros(n, dtype=bool)
    read_reason = np.full(n, "", dtype=object)
    for pos, reason in read_errors.items():
        read_bad[pos] = True
        read_reason[pos] = f"could not be read cleanly ({reason})"
    problems = [
        ("(line)", read_bad, None, read_reason),
        ("date", blank["date"], None, "date is empty"),
        ("date", out["date"].isna().to_numpy() & ~blank["date"], raw["date"], "not a date"),
        ("product", out["product"].isna().to_numpy(), None, "product is empty"),
        ("units", blank["units"], None, "units is empty"),
        ("units", np.isnan(units) & ~blank["units"], raw["units"], "units is not a number"),
        ("units", units < 0, raw["units"], "units is negative"),
        ("revenue", blank["revenue"], None, "revenue is empty"),
        ("revenue", np.isnan(revenue) & ~blank["revenue"], raw["revenue"], "revenue is not a number"),
        ("revenue", revenue < 0, raw["revenue"], "revenue is negative"),
    ]
    # name the columns as the file does, so the user finds the cell to fix
    problems = [(cols.get(c, c), m, v, r) for c, m, v, r in problems]
    rejected = _rejected("sales", rows, problems)
    bad = np.zeros(n, dtype=bool)
    for _, mask, _, _ in problems:
        bad |= np.asarray(mask, dtype=bool)
    if bad.any():
        log.warning("%s: %d of %d sales rows rejected (bad date, product, units or revenue); "
                    "they are left out of every sum and listed in the `rejected` table",
                    name, int(bad.sum()), n)
    valid = out.loc[~bad].reset_index(drop=True)
    return valid, rejected


def _present(series: pd.Series) -> np.ndarray:
    """True where a cell holds something (not missing, not blank text)."""
    present = series.notna().to_numpy().copy()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        present &= ~_blank(series)
    return present


def _blank(series: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(series)
    is_blank = np.array([isinstance(v, str) and not v.strip() for v in uniques], dtype=bool)
    out = np.zeros(len(series), dtype=bool)
    ok = codes >= 0
    out[ok] = is_blank[codes[ok]]
    return out


# --- comments ------------------------------------------------------------------

def read_comments(source, *, time_col: str | None = None, product_col: str | None = None,
                  mapping=None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Read scored comments (what ``textmine score`` writes); return ``(valid, rejected, codes)``.

    ``valid`` has ``row, time, product`` (raw spelling), whichever of ``spec,
    channel, streamer, streamer_tier, county`` the input has (``platform``
    counts as ``channel``), and the analysis columns ``ok`` (status is
    ``ok``), ``sentiment``, ``neg`` (label is ``neg``; NaN when the input has
    no ``sentiment_label``), ``topic_<code>`` (bool) and ``sentiment_<code>``
    for each topic code. ``codes`` are the seven standard topics plus any
    other ``sentiment_<code>`` column of the input. Rows without a product or
    with a time that is not a date are in ``rejected``.
    """
    mapping = dict(parse_mapping(mapping))
    if time_col:
        mapping[time_col] = "time"
    if product_col:
        mapping[product_col] = "product"

    known = {n for names in COMMENT_SYNONYMS.values() for n in names} | set(mapping)
    times = set(COMMENT_SYNONYMS["time"]) | {k for k, v in mapping.items() if v == "time"}

    def wanted(c: str) -> bool:  # the text, evidence and ids are not needed here
        return (c in known or c.strip().lower() in known or c in ("status", "topics")
                or c.startswith("sentiment"))

    def shrink(chunk: pd.DataFrame) -> pd.DataFrame:
        chunk = chunk.copy()
        for c in chunk.columns:
            if c.startswith("sentiment") and c != "sentiment_label":
                chunk[c] = to_number(chunk[c])
            elif c not in times and c.strip().lower() not in times:
                codes, uniques = pd.factorize(chunk[c])
                chunk[c] = pd.Categorical.from_codes(codes, categories=uniques)
        return chunk

    frame, rows, _, name = _load(source, columns_wanted=wanted, per_chunk=shrink)
    cols = resolve_columns(frame.columns, COMMENT_SYNONYMS, mapping, required=("time", "product"),
                           path=name, option="--time-col/--product-col/--map")
    if "sentiment" not in frame.columns:
        raise InputError("has no `sentiment` column; these comments are not scored yet. "
                         "Run `textmine score` on them first", path=name)
    out = pd.DataFrame({"row": rows})
    out["time"] = to_datetime(frame[cols["time"]]).to_numpy()
    out["product"] = clean_text(frame[cols["product"]]).array
    for c in ("spec", "channel", "streamer", "streamer_tier", "county"):
        if c in cols:
            out[c] = clean_text(frame[cols[c]]).array
    sentiment = to_number(frame["sentiment"]).to_numpy()
    if "status" in frame.columns:
        ok = (clean_text(frame["status"]) == "ok").to_numpy(dtype=bool)
    else:
        ok = ~np.isnan(sentiment)
    out["ok"] = ok
    out["sentiment"] = np.where(ok, sentiment, np.nan)
    if "sentiment_label" in frame.columns:
        out["neg"] = ok & (clean_text(frame["sentiment_label"]) == "neg").to_numpy(dtype=bool)
    else:
        log.warning("%s: no `sentiment_label` column; neg_share will be empty", name)
        out["neg"] = np.nan
    extra = [c[len("sentiment_"):] for c in frame.columns
             if c.startswith("sentiment_") and c != "sentiment_label"
             and c[len("sentiment_"):] not in TOPIC_CODES]
    codes = list(TOPIC_CODES) + extra
    topics = frame["topics"] if "topics" in frame.columns else None
    if topics is None:
        log.warning("%s: no `topics` column; topic shares will be empty", name)
    member = _topic_membership(topics, codes, len(frame))
    for code in codes:
        if member is None:
            out[f"topic_{code}"] = np.nan
        else:
            out[f"topic_{code}"] = member[code] & ok
        col = f"sentiment_{code}"
        vals = to_number(frame[col]).to_numpy() if col in frame.columns else np.full(len(frame), np.nan)
        out[col] = np.where(ok, vals, np.nan)
    problems = [
        (cols["time"], out["time"].isna().to_numpy(), frame[cols["time"]],
         "time is empty or not a date"),
        (cols["product"], out["product"].isna().to_numpy(), None, "product is empty"),
    ]
    rejected = _rejected("comments", rows, problems)
    bad = problems[0][1] | problems[1][1]
    if bad.any():
        log.warning("%s: %d of %d comments have no product or no valid time; they are not "
                    "counted and are listed in the `rejected` table", name, int(bad.sum()), len(frame))
    return out.loc[~bad].reset_index(drop=True), rejected, codes


def _topic_membership(topics, codes, n) -> dict[str, np.ndarray] | None:
    if topics is None:
        return None
    # topics take a few hundred distinct values ("quality|trust"); test each once.
    codes_idx, uniques = pd.factorize(topics)
    sets = [set(str(u).split("|")) for u in uniques]
    member = {}
    for code in codes:
        has = np.array([code in s for s in sets] + [False], dtype=bool)
        member[code] = has[codes_idx]  # -1 (missing) picks the trailing False
    return member

"""Time `link_sales` on 1,000,000 scored comments and 100,000 sales rows, against a baseline.

    python benchmarks/sales.py                  # 1,000,000 comments, 100,000 sales rows
    python benchmarks/sales.py --comments 200000 --sales 20000

Writes synthetic inputs to a temporary folder: comments as `textmine score`
writes them (CSV, with text and evidence columns; 300 products, a few
misspelt, a year of data) and daily sales records (CSV, Chinese headers,
a few invalid rows). Each measurement runs in a fresh process, so its peak
RSS is its own:

  (a) baseline: plain pandas — ``read_csv`` both files, weekly ``groupby``
      on each side, outer ``merge`` on product and week. No validation, no
      name matching, no unmatched or rejected tables, the topic shares by
      ``str.contains``: the quick script one would write by hand;
  (b) ``link_sales(comments.csv, sales.csv)``: textmine's reader (every
      row kept, bad rows reported), matching, panel; and its ratio to (a);
  (c) the same from Parquet comments (what `textmine score -o x.parquet` writes);
  (d) ``sales_effects`` and ``compare`` on (b)'s inputs, in-process.

Targets: (b) under 30 s and under 2 GB peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CODES = ("quality", "trust", "supervision", "branding", "price", "logistics", "service")
TARGET_SECONDS = 30.0
TARGET_MB = 2048
TEXTS = ["蜂蜜很纯正，家人们冲！", "质量不错，但是物流太慢了", "收到的橙子烂了好几个，客服也不理人",
         "主播说是野生的，结果货不对板", "多少钱一斤？什么时候发货？", "包装很好看，送礼有面子",
         "300g的拍了两盒", "价格有点贵", "回购第三次了", "冲着县长来的，支持"]


def make_inputs(folder: Path, n_comments: int, n_sales: int, seed: int = 0) -> dict:
    """Write comments.csv, comments.parquet and sales.csv; return their paths."""
    rng = np.random.default_rng(seed)
    n_products = 300
    products = np.array([f"县域好物{i:03d}" for i in range(n_products)], dtype=object)
    spellings = products.copy()
    spellings[:10] = [f"县域好物 {i:03d}" for i in range(10)]   # matches after normalisation
    spellings[10:13] = [f"县域好勿{i:03d}" for i in range(10, 13)]  # misspelt: unmatched
    start = pd.Timestamp("2025-01-01")
    pick = rng.zipf(1.3, n_comments) % n_products
    p = rng.beta(2.2, 1.6, n_comments)
    has = rng.random((n_comments, len(CODES))) < [0.3, 0.08, 0.04, 0.1, 0.12, 0.1, 0.07]
    times = start + pd.to_timedelta(rng.uniform(0, 365, n_comments), unit="D")
    comments = pd.DataFrame({
        "comment_id": np.char.add("c", np.arange(n_comments).astype(str)),
        "time": times.strftime("%Y-%m-%d %H:%M:%S"),
        "platform": rng.choice(["抖音", "快手", "淘宝直播", "微信小程序"], n_comments),
        "streamer": rng.choice([f"主播{i}" for i in range(40)], n_comments),
        "product": spellings[pick],
        "text": np.array(TEXTS, dtype=object)[rng.integers(0, len(TEXTS), n_comments)],
        "status": "ok", "sentiment": p.round(4),
        "sentiment_label": np.where(p >= 0.6, "pos", np.where(p <= 0.4, "neg", "neu")),
        "topics": ["|".join(c for c, h in zip(CODES, row) if h) for row in has],
    })
    comments["evidence"] = np.where(comments["topics"] != "", "quality:好", "")
    for j, code in enumerate(CODES):
        comments[f"sentiment_{code}"] = np.where(has[:, j], p.round(4), np.nan)
    # daily records: most products sell most days, around their own level, with spikes
    cells = rng.choice(n_products * 365, size=min(n_sales, n_products * 365), replace=False)
    if n_sales > len(cells):
        cells = np.concatenate([cells, rng.integers(0, n_products * 365, n_sales - len(cells))])
    sp, day = np.divmod(cells, 365)
    level = np.exp(rng.normal(3, 1, n_products))[sp] * np.where(rng.random(n_sales) < 0.01, 8, 1)
    units = rng.poisson(level).astype(object)
    units[:50] = -1  # invalid rows, reported in `rejected`
    revenue = (np.asarray(units[50:], dtype=float) * 39.9).round(2).astype(object)
    revenue = np.concatenate([np.full(50, -39.9, dtype=object), revenue])
    revenue[50:100] = "暂无"
    sales = pd.DataFrame({
        "日期": (start + pd.to_timedelta(day, unit="D")).strftime("%Y-%m-%d"),
        "商品": products[sp], "规格": rng.choice(["300g", "500克", "1kg"], n_sales),
        "渠道": rng.choice(["抖音", "快手", "淘宝直播", "微信小程序"], n_sales),
        "主播": rng.choice([f"主播{i}" for i in range(40)], n_sales),
        "销量": units, "销售额": revenue})
    paths = {"comments": folder / "comments.csv", "parquet": folder / "comments.parquet",
             "sales": folder / "sales.csv"}
    comments.to_csv(paths["comments"], index=False)
    comments.to_parquet(paths["parquet"], index=False)
    sales.to_csv(paths["sales"], index=False)
    return {k: str(v) for k, v in paths.items()}


def baseline(comments: str, sales: str) -> int:
    """Plain pandas: read, aggregate each side per product and week, outer merge."""
    c = pd.read_csv(comments, usecols=["time", "product", "status", "sentiment", "sentiment_label",
                                       "topics"] + [f"sentiment_{x}" for x in CODES])
    s = pd.read_csv(sales)
    s = s.rename(columns={"日期": "date", "商品": "product", "销量": "units", "销售额": "revenue"})
    c["week"] = pd.to_datetime(c["time"]).dt.to_period("W")
    s["week"] = pd.to_datetime(s["date"]).dt.to_period("W")
    s["units"] = pd.to_numeric(s["units"], errors="coerce")
    s["revenue"] = pd.to_numeric(s["revenue"], errors="coerce")
    c["neg"] = c["sentiment_label"] == "neg"
    topics = c["topics"].fillna("")
    for x in CODES:
        c[f"share_{x}"] = topics.str.contains(x)
    agg = {"n_comments": ("sentiment", "size"), "sentiment_mean": ("sentiment", "mean"),
           "neg_share": ("neg", "mean")}
    agg.update({f"share_{x}": (f"share_{x}", "mean") for x in CODES})
    agg.update({f"sentiment_{x}": (f"sentiment_{x}", "mean") for x in CODES})
    cw = c.groupby(["product", "week"]).agg(**agg)
    sw = s.groupby(["product", "week"])[["units", "revenue"]].sum()
    panel = cw.merge(sw, left_index=True, right_index=True, how="outer")
    return len(panel)


def ours(comments: str, sales: str) -> int:
    from textmine.sales import link_sales

    result = link_sales(comments, sales, freq="W")
    return len(result.panel)


def extras(comments: str, sales: str) -> dict:
    from textmine.sales import compare, link_sales, sales_effects

    out = {}
    start = time.perf_counter()
    panel = link_sales(comments, sales, freq="W").panel
    out["link_sales"] = time.perf_counter() - start
    start = time.perf_counter()
    sales_effects(panel, max_lag=4)
    out["sales_effects"] = time.perf_counter() - start
    start = time.perf_counter()
    compare(comments, sales)
    out["compare"] = time.perf_counter() - start
    return out


def _child(phase: str, paths: dict) -> None:
    start = time.perf_counter()
    if phase == "baseline":
        rows = baseline(paths["comments"], paths["sales"])
    elif phase == "ours":
        rows = ours(paths["comments"], paths["sales"])
    elif phase == "parquet":
        rows = ours(paths["parquet"], paths["sales"])
    else:
        rows = extras(paths["comments"], paths["sales"])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": rows}))


def _run(phase: str, paths: dict) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--phase", phase, "--paths", json.dumps(paths)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000, help="comments (default 1e6)")
    parser.add_argument("--sales", type=int, default=100_000, help="sales rows (default 1e5)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _child(args.phase, json.loads(args.paths))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        paths = make_inputs(Path(tmp), args.comments, args.sales)
        print(f"inputs: {args.comments:,} comments, {args.sales:,} sales rows "
              f"(written in {time.perf_counter() - start:.1f} s)")
        base = _run("baseline", paths)
        mine = _run("ours", paths)
        pq = _run("parquet", paths)
        more = _run("extras", paths)
    print(f"(a) baseline, plain pandas read_csv + groupby + merge: {base['seconds']:6.1f} s, "
          f"peak {base['peak_mb']:5.0f} MB, {base['rows']:,} rows")
    for label, r in (("(b) link_sales from CSV", mine), ("(c) link_sales from Parquet", pq)):
        print(f"{label:<52} {r['seconds']:6.1f} s, peak {r['peak_mb']:5.0f} MB, {r['rows']:,} rows"
              f"  — {r['seconds'] / base['seconds']:.1f}× the baseline's time, "
              f"{r['peak_mb'] / base['peak_mb']:.1f}× its memory")
    ex = more["rows"]
    print(f"(d) in one process: link_sales {ex['link_sales']:.1f} s, sales_effects "
          f"{ex['sales_effects']:.1f} s, compare {ex['compare']:.1f} s")
    ok = mine["seconds"] < TARGET_SECONDS and mine["peak_mb"] < TARGET_MB
    print(f"target (b) < {TARGET_SECONDS:.0f} s and < {TARGET_MB} MB: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Time `textmine report` on 100,000 scored comments, against a baseline measured in the same run.

    python benchmarks/report.py              # 100,000 comments (about a minute in all)
    python benchmarks/report.py --n 20000    # another size

The comments are the demo corpus's texts, varied and spread over 13 weeks,
six products and eight streamers, with sentiment and topic columns as
`textmine score` writes them (no model is run: this measures the report).
Sales are the demo's sales records.

Prints
  (a) the baseline: pandas reads the scored CSV and writes it to .xlsx — the
      plain hand-over of the same data to an official, without any analysis;
  (b) `textmine report` end to end (a fresh process: import, read the CSV,
      every section, HTML + Excel + Markdown), and its ratio to (a);
  (c) where the time goes inside build_report, in-process.
The target is (b) under 30 s for 100,000 comments.
"""

from __future__ import annotations

import argparse
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


def scored_comments(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` comments with the columns of ``textmine score``'s output."""
    rng = np.random.default_rng(seed)
    demo = pd.read_csv(ROOT / "corpora" / "demo" / "comments.csv", dtype=str,
                       keep_default_na=False)
    texts = [t for t in demo["text"] if t.strip()]
    suffixes = ["", "，家人们冲", "，下次还买", "。", "！", "，一般般吧", "，说实话", "～"]
    pick = rng.integers(0, len(texts), n)
    text = [texts[i] + suffixes[j % len(suffixes)] for j, i in enumerate(pick)]
    products = demo["product"].unique()
    streamers = demo["streamer"].unique()
    start = pd.Timestamp("2026-06-01")
    time_ = start + pd.to_timedelta(rng.uniform(0, 91, n), unit="D")
    p = rng.beta(2.2, 1.6, n)
    has = rng.random((n, len(CODES))) < [0.3, 0.08, 0.04, 0.1, 0.12, 0.1, 0.07]
    frame = pd.DataFrame({
        "comment_id": [f"b{i:07d}" for i in range(n)],
        "time": time_.strftime("%Y-%m-%d %H:%M:%S"),
        "platform": rng.choice(["抖音", "快手", "淘宝直播", "微信小程序"], n),
        "streamer": streamers[rng.integers(0, len(streamers), n)],
        "product": products[rng.integers(0, len(products), n)],
        "text": text, "status": "ok", "sentiment": p.round(4),
        "sentiment_label": np.where(p >= 0.6, "pos", np.where(p <= 0.4, "neg", "neu")),
        "topics": ["|".join(c for c, h in zip(CODES, row) if h) for row in has],
        "evidence": [";".join(f"{c}:词{k}" for k, (c, h) in enumerate(zip(CODES, row)) if h)
                     for row in has]})
    for j, c in enumerate(CODES):
        frame[f"sentiment_{c}"] = np.where(has[:, j], (p + rng.normal(0, 0.05, n)).clip(0, 1)
                                           .round(4), np.nan)
    return frame


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="comments (default 100000)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        comments = tmp / "scored.csv"
        sales = ROOT / "corpora" / "demo" / "sales.csv"
        aliases = ROOT / "corpora" / "demo" / "aliases.csv"
        frame = scored_comments(args.n)
        frame.to_csv(comments, index=False, encoding="utf-8-sig")
        print(f"{args.n:,} scored comments ({comments.stat().st_size / 1e6:.1f} MB CSV), "
              f"sales: {sales.relative_to(ROOT)}")

        base, _ = timed(lambda: pd.read_csv(comments).to_excel(tmp / "dump.xlsx", index=False))
        print(f"(a) baseline, pandas read_csv + to_excel:        {base:6.1f} s")

        outputs = [tmp / "report.html", tmp / "report.xlsx", tmp / "report.md"]
        cmd = [sys.executable, "-m", "textmine", "report", "--quiet", "--comments", str(comments),
               "--sales", str(sales), "--aliases", str(aliases)]
        for out in outputs:
            cmd += ["-o", str(out)]
        seconds, proc = timed(lambda: subprocess.run(cmd, capture_output=True, text=True))
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        sizes = ", ".join(f"{p.suffix} {p.stat().st_size / 1e6:.1f} MB" for p in outputs)
        verdict = "ok" if seconds < TARGET_SECONDS else "SLOWER THAN TARGET"
        print(f"(b) textmine report, end to end:                 {seconds:6.1f} s   "
              f"ratio to (a) {seconds / base:.2f}   target < {TARGET_SECONDS:.0f} s: {verdict}")
        print(f"    wrote {sizes}")

        from textmine.io import read_table
        from textmine.report import build_report

        read_s, scored = timed(lambda: read_table(comments))
        build_s, report = timed(lambda: build_report(scored, str(sales), aliases=str(aliases)))
        html_s, _ = timed(lambda: report.write(tmp / "again.html"))
        xlsx_s, _ = timed(lambda: report.write(tmp / "again.xlsx"))
        md_s, _ = timed(lambda: report.write(tmp / "again.md"))
        print(f"(c) in-process: read {read_s:.1f} s, tables and 摘要 {build_s:.1f} s, "
              f"HTML {html_s:.1f} s, Excel {xlsx_s:.1f} s, Markdown {md_s:.1f} s")
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

"""Throughput, memory and cold start of batch scoring, against baselines measured in the same run.

    python benchmarks/throughput.py            # full run (about 10 minutes)
    python benchmarks/throughput.py --quick    # smaller sizes

Prints characters per second, on distinct shop reviews, of
  (a) jieba segmentation alone, with the same dictionary (the floor of the work),
      and textmine's own Segmenter.cut, which returns the same tokens faster,
  (b) the full pipeline (normalise, segment, sentiment, topics) in one process,
  (c) snownlp sentiment (on the first 40 texts of each slice of 1,000),
with ratios against (a) and (c). The four take turns on each slice, and each of
three rounds runs in a fresh process (no cache warm from an earlier round);
the rounds are summed. Then `textmine score` end to end with --jobs 1 and
--jobs 2 on every distinct review at hand (each once, rounds alternating) and
on 300k and 1M shop reviews cycled with small variations; peak memory (RSS of
the scoring process and its workers) when scoring 100k, 300k and 1M comments;
and the cold start of `textmine score` on a 10-row file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


SHARED = ROOT.parent / "shared" / "corpora" / "sentiment" / "online_shopping_train.csv"


def corpus(n: int) -> list[str]:
    """Real reviews: the shared shopping corpus (42k distinct reviews) when present,
    else the demo comments; cycled with small variations to reach ``n``."""
    if SHARED.exists():
        base = pd.read_csv(SHARED, dtype=str, keep_default_na=False)["review"].tolist()
        base = base[::-1]  # interleave categories rather than one at a time
        base = [base[i] for i in sorted(range(len(base)), key=lambda i: (i * 7919) % len(base))]
    else:
        base = pd.read_csv(ROOT / "corpora" / "demo" / "comments.csv", dtype=str,
                           keep_default_na=False)["text"].tolist()
    base = [t for t in base if t.strip()]
    suffixes = ["", "，家人们冲", "，下次还买", "。", "！", "，一般般吧", "，说实话", "～"]
    out = []
    i = 0
    while len(out) < n:
        out.append(base[i % len(base)] + suffixes[(i // len(base)) % len(suffixes)])
        i += 1
    return out


def distinct_corpus() -> list[str]:
    """Every distinct review at hand, each once: the shared corpus (when present),
    snownlp's review corpus and the project's hand-written reviews, interleaved."""
    from textmine.sentiment.data import WRITTEN_CORPUS, snownlp_corpus_files

    texts = pd.read_csv(ROOT / WRITTEN_CORPUS, dtype=str, keep_default_na=False)["text"].tolist()
    for path in snownlp_corpus_files().values():
        texts += path.read_text("utf-8").splitlines()
    if SHARED.exists():
        texts += pd.read_csv(SHARED, dtype=str, keep_default_na=False)["review"].tolist()
    texts = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    return [texts[i] for i in sorted(range(len(texts)), key=lambda i: (i * 7919) % len(texts))]


def peak_rss_of(cmd: list[str], env=None) -> tuple[float, float]:
    """Run ``cmd``; return (seconds, peak summed RSS in MB of it and its children)."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    ps = psutil.Process(proc.pid)
    peak = 0
    done = threading.Event()

    def poll():
        # Listing the children scans every process on the machine (1.1 ms):
        # done once a second, with the RSS read ten times a second, polling
        # takes 0.13 % of a core instead of 2 %, CPU that on two busy cores
        # the run being measured needs.
        nonlocal peak
        procs, polls = [ps], 0
        while not done.is_set():
            try:
                if polls % 10 == 0:
                    procs = [ps] + ps.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            polls += 1
            time.sleep(0.1)

    t = threading.Thread(target=poll, daemon=True)
    t.start()
    code = proc.wait()
    done.set()
    t.join()
    if code != 0:
        raise SystemExit(f"{cmd} failed with {code}")
    return time.perf_counter() - start, peak / 2**20


def timed_score(src: Path, out: Path, jobs: int, env) -> tuple[float, float]:
    """Run `textmine score SRC -o OUT --jobs JOBS -q`: (seconds, peak RSS in MB)."""
    return peak_rss_of([sys.executable, "-m", "textmine", "score", str(src), "-o", str(out),
                        "--jobs", str(jobs), "-q"], env=env)


def print_row(what: str, rate: float, base: float, snow_rate: float | None) -> None:
    """A row of the end-to-end table: chars/s, × the --jobs 1 run, × snownlp (or –)."""
    snow = f"{rate / snow_rate:10.1f}" if snow_rate else f"{'–':>10}"
    print(f"{what:58} {rate:12,.0f} {rate / base:8.2f} {snow}")


SLICE = 1_000
SNOW_SHARE = 40


def one_round(n_speed: int) -> dict:
    """Seconds jieba, the segmenter and the pipeline take on the same texts, in
    a process of their own so that no cache is warm from an earlier round.

    The machine's speed drifts (shared CPUs, frequency scaling): the three
    take turns on slices of the texts, so that a drift falls on all three alike.
    """
    from textmine.pipeline import Pipeline
    from textmine.segment import Segmenter

    texts = corpus(n_speed)
    pipe = Pipeline().fit()
    pipe.transform(["预热"])  # first-call costs, as the segmenter's below
    tok = pipe.segmenter.tokenizer
    seg = Segmenter()  # its own caches, so that they do not warm the pipeline's
    seg.cut("预热")
    from snownlp import SnowNLP

    SnowNLP("预热").sentiments
    seconds = {"jieba": 0.0, "segmenter": 0.0, "pipeline": 0.0, "snownlp": 0.0}
    steps = {"jieba": lambda ts: [tok.lcut(t) for t in ts],
             "segmenter": lambda ts: [seg.cut(t) for t in ts],
             "pipeline": pipe.transform,
             # about 150 times slower: the first 4 % of each slice
             "snownlp": lambda ts: [SnowNLP(t).sentiments for t in ts[:SNOW_SHARE]]}
    snow_chars = 0
    for start in range(0, len(texts), SLICE):
        part = texts[start:start + SLICE]
        snow_chars += sum(map(len, part[:SNOW_SHARE]))
        for name, fn in steps.items():
            t0 = time.perf_counter()
            fn(part)
            seconds[name] += time.perf_counter() - t0
    seconds["snownlp_chars"] = snow_chars
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes for a fast look")
    ap.add_argument("--no-memory", action="store_true",
                    help="skip the peak-memory runs (100k, 300k and 1M comments)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="in-process rounds, each in a fresh process (default 3)")
    ap.add_argument("--round", type=int, help=argparse.SUPPRESS)  # one round, JSON out
    args = ap.parse_args()
    # In-process speeds on distinct reviews (no text twice, so no cache can
    # help); `textmine score` end to end on a larger file of those reviews
    # cycled with small variations, where start-up costs weigh as in real use.
    n_speed = 15_000 if args.quick else 40_000
    if args.round:
        print(json.dumps(one_round(args.round)))
        return
    sizes = [20_000, 60_000, 200_000] if args.quick else [100_000, 300_000, 1_000_000]
    # --jobs 1 against --jobs 2 on the two larger sizes; those --jobs 2 runs
    # are also memory runs
    e2e_sizes = sizes[1:]

    texts = corpus(n_speed)
    chars = sum(map(len, texts))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rounds = []
    for _ in range(args.rounds):
        out = subprocess.run([sys.executable, __file__, "--round", str(n_speed)], env=env,
                             check=True, capture_output=True, text=True).stdout
        rounds.append(json.loads(out.strip().splitlines()[-1]))
    seconds = {k: sum(r[k] for r in rounds) for k in rounds[0]}
    chars_all = chars * len(rounds)
    snow_rate = seconds["snownlp_chars"] / seconds["snownlp"]
    rows = []
    jieba_rate = chars_all / seconds["jieba"]
    rows.append(("(a) jieba segmentation alone, same dictionary", jieba_rate))
    rows.append(("    textmine Segmenter.cut alone (same tokens as jieba)",
                 chars_all / seconds["segmenter"]))
    rows.append(("(b) full pipeline, one process (Pipeline.transform)",
                 chars_all / seconds["pipeline"]))

    rows.append(("(c) snownlp sentiment (4 % of each slice)", snow_rate))

    print(f"\nthroughput on {n_speed:,} distinct comments ({chars:,} characters), "
          f"{len(rounds)} rounds in fresh processes, {os.cpu_count()} cores\n")
    print(f"{'what':58} {'chars/s':>12} {'× jieba':>8} {'× snownlp':>10}")
    for name, r in rows:
        print(f"{name:58} {r:12,.0f} {r / jieba_rate:8.2f} {r / snow_rate:10.1f}")
    print("(b) / (a) in each round: "
          + ", ".join(f"{r['jieba'] / r['pipeline']:.3f}" for r in rounds))

    with tempfile.TemporaryDirectory() as tmp:
        print("\n`textmine score` end to end (start-up, reading and writing included)\n")
        print(f"{'what':58} {'chars/s':>12} {'× jobs 1':>8} {'× snownlp':>10}")
        # every text once: no cache helps either run, so this is the scaling of
        # the work itself (each worker pays its own start-up). Rounds alternate
        # --jobs 1 and --jobs 2, so that a drift of the machine's speed falls
        # on both; the ratio is given for each round.
        src = Path(tmp) / "distinct.csv"
        distinct = distinct_corpus()
        distinct_chars = sum(map(len, distinct))
        pd.DataFrame({"text": distinct}).to_csv(src, index=False)
        ratios = []
        for _ in range(args.rounds):
            rate_of = {}
            for jobs in (1, 2):
                secs, _ = timed_score(src, Path(tmp) / f"out{jobs}.csv", jobs, env)
                rate_of[jobs] = distinct_chars / secs
                # not against snownlp: these texts are not those it was timed on
                print_row(f"{len(distinct):,} distinct comments, --jobs {jobs} ({secs:.1f} s)",
                          rate_of[jobs], rate_of[1], None)
            ratios.append(rate_of[2] / rate_of[1])
        print(f"{'':4}--jobs 2 / --jobs 1 by round: " + ", ".join(f"{r:.2f}" for r in ratios)
              + f"; median {sorted(ratios)[len(ratios) // 2]:.2f}")
        src.unlink()
        # the same reviews cycled with small variations: repeated clauses hit
        # each process's caches, which --jobs 2 warms twice
        measured = {}
        for n in e2e_sizes:
            src = Path(tmp) / f"speed{n}.csv"
            big = corpus(n)
            big_chars = sum(map(len, big))
            pd.DataFrame({"text": big}).to_csv(src, index=False)
            rate_of = {}
            for jobs in (1, 2):
                secs, mb = timed_score(src, Path(tmp) / f"out{jobs}.csv", jobs, env)
                rate_of[jobs] = big_chars / secs
                print_row(f"{n:,} comments, --jobs {jobs} ({secs:.1f} s)", rate_of[jobs],
                          rate_of[1], snow_rate)
            measured[n] = (secs, mb)
            same = (Path(tmp) / "out1.csv").read_bytes() == (Path(tmp) / "out2.csv").read_bytes()
            print(f"{'':4}--jobs 1 and --jobs 2 outputs byte-identical: {same}")
            src.unlink()

        if args.no_memory:
            sizes = []
        print("\npeak memory of `textmine score --jobs 2` (process and workers)\n")
        print(f"{'comments':>10} {'seconds':>9} {'peak RSS MB':>12}")
        results = []
        for n in sizes:
            if n in measured:  # the end-to-end run above
                secs, mb = measured[n]
            else:
                src = Path(tmp) / f"mem{n}.csv"
                pd.DataFrame({"text": corpus(n)}).to_csv(src, index=False)
                secs, mb = timed_score(src, Path(tmp) / "mem_out.csv", 2, env)
                src.unlink()
            results.append(mb)
            print(f"{n:>10,} {secs:9.1f} {mb:12.0f}")
        if len(results) > 1:
            print(f"ratio of peak RSS, largest / middle size: {results[-1] / results[-2]:.3f}")

        small = Path(tmp) / "ten.csv"
        pd.DataFrame({"text": texts[:10]}).to_csv(small, index=False)
        secs, _ = timed_score(small, Path(tmp) / "ten_out.csv", 1, env)
        print(f"\ncold start: `textmine score` on a 10-row file: {secs:.2f} s wall")


if __name__ == "__main__":
    main()

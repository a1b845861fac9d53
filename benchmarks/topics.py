"""Benchmark: topic tagging against jieba segmentation, in one run.

The tagger's budget is at most 30% of segmentation time (issue 4). Run from
the repository root::

    python benchmarks/topics.py [--n 3000] [--repeat 3]

Texts come from ``../shared/corpora/sentiment/online_shopping_train.csv``
when present, else from the project's own labelled and written corpora.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_texts(n: int) -> tuple[list[str], str]:
    import pandas as pd

    shared = ROOT.parent / "shared" / "corpora" / "sentiment" / "online_shopping_train.csv"
    if shared.is_file():
        frame = pd.read_csv(shared)
        texts = frame["review"].dropna().astype(str).sample(
            min(n, len(frame)), random_state=0).tolist()
        return texts, str(shared.name)
    texts = []
    for path in (ROOT / "corpora" / "labelled" / "topics_gold.csv",
                 ROOT / "corpora" / "sentiment" / "written_reviews.csv"):
        if path.is_file():
            texts += pd.read_csv(path, keep_default_na=False)["text"].astype(str).tolist()
    reps = max(1, n // max(1, len(texts)))
    return (texts * reps)[:n], "project corpora"


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="texts to use (default 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; best is kept")
    parser.add_argument("--no-domain-dict", action="store_true",
                        help="segment with jieba's own dictionary only")
    args = parser.parse_args(argv)

    from textmine.normalize import normalize, split_clauses
    from textmine.segment import Segmenter
    from textmine.topics import TopicTagger

    texts, source = load_texts(args.n)
    segmenter = Segmenter(domain_dict=not args.no_domain_dict)
    tagger = TopicTagger(segmenter=segmenter).fit()
    norm = [normalize(t) for t in texts]
    clauses = [split_clauses(t) for t in norm]
    tokens = [[segmenter.cut(c.text) for c in cs] for cs in clauses]  # warm the caches
    for cs, ts in zip(clauses, tokens):
        tagger.tag(cs, ts)
    chars = sum(len(t) for t in norm)

    def segment():
        cut = segmenter.cut
        for cs in clauses:
            for c in cs:
                cut(c.text)

    def tag():
        for cs, ts in zip(clauses, tokens):
            tagger.tag(cs, ts)

    def segment_raw():
        cut = segmenter.tokenizer.cut
        for t in texts:
            list(cut(t))

    def standalone():
        tagger.transform(texts)

    def prepare():
        for t in texts:
            split_clauses(normalize(t))

    t_prep = best_of(args.repeat, prepare)
    t_seg = best_of(args.repeat, segment)
    t_tag = best_of(args.repeat, tag)
    t_raw = best_of(args.repeat, segment_raw)
    t_all = best_of(args.repeat, standalone)
    print(f"{len(texts)} texts, {chars} characters, from {source}")
    print(f"jieba segmentation of the clauses  {t_seg:8.3f} s  ({chars / t_seg / 1e3:7.0f} k chars/s)")
    print(f"topic tagging of the same tokens  {t_tag:8.3f} s  ({t_tag / t_seg:6.1%} of segmentation;"
          f" budget 30%)")
    print(f"normalise + split into clauses     {t_prep:8.3f} s  ({t_prep / t_seg:6.1%} of segmentation)")
    print(f"jieba on raw texts alone          {t_raw:8.3f} s")
    print(f"TopicTagger.transform (normalise, split, cut, tag)  {t_all:8.3f} s"
          f"  ({t_raw / t_all:.2f}x the speed of jieba alone; target >= 0.7x)")
    return 0 if t_tag <= 0.3 * t_seg else 1


if __name__ == "__main__":
    sys.exit(main())

"""Leave-one-category-out sentiment benchmark, with speed, in one run.

    python benchmarks/sentiment.py                 # about 10 minutes on two cores
    python benchmarks/sentiment.py --json out.json

For each of the nine categories of the shared shopping-review corpus, train on
the other eight and test on it:

* ``builtin``: the shipped model's recipe (``textmine.sentiment.train.RECIPE``),
  trained like the shipped model on the eight categories plus snownlp's review
  corpus and the project's hand-written corpus;
* ``builtin-shop``: the same recipe trained on the eight categories only;
* ``tfidf-lr``: a plain baseline, character 1–3-gram TF-IDF and logistic
  regression on the eight categories;
* ``snownlp``: snownlp's shipped model as it is (no training), on up to
  ``--snownlp-limit`` texts per category.

Speed is characters per second, measured in the same run: for the built-in
model the sentiment step alone (on clauses and tokens the pipeline already
has) and end to end from raw text; snownlp and tfidf-lr from raw text (they
do their own segmentation or vectorising). Needs ``../shared``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _accuracy(gold, probs) -> float:
    return sum((p >= 0.5) == bool(g) for g, p in zip(gold, probs)) / len(gold)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--snownlp-limit", type=int, default=1000, metavar="N",
                        help="texts per category scored by snownlp (0: all; default 1000)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)

    import numpy as np

    from textmine.segment import Segmenter
    from textmine.sentiment.data import SHARED_CORPUS, training_corpora
    from textmine.sentiment.features import analyse
    from textmine.sentiment.model import SentimentModel
    from textmine.sentiment.train import RECIPE, WRITTEN_WEIGHT

    if not (ROOT.parent / SHARED_CORPUS).exists():
        print(f"benchmark needs the shared corpus at {ROOT.parent / SHARED_CORPUS}",
              file=sys.stderr)
        return 2
    frame, _ = training_corpora(ROOT)
    texts = frame["text"].tolist()
    y = frame["label"].to_numpy()
    source = frame["source"].to_numpy()
    domain = frame["domain"].to_numpy()
    shop = source == "shop"
    categories = sorted(set(domain[shop].tolist()))

    seg = Segmenter()
    seg.tokenizer  # noqa: B018 - load the dictionary before timing
    print(f"analysing {len(texts)} texts (normalise, clauses, jieba) ...", file=sys.stderr)
    t0 = time.perf_counter()
    docs = [analyse(t, seg) for t in texts]
    analyse_seconds = time.perf_counter() - t0
    chars = np.array([len(d.text) for d in docs])
    # jieba alone on the same (normalised) text, for the pipeline's budget
    sample = [d.text for d, s in zip(docs, shop) if s][:5000]
    t0 = time.perf_counter()
    for text in sample:
        seg.cut(text)
    jieba_cps = sum(map(len, sample)) / (time.perf_counter() - t0)

    weight = np.where(source == "written", WRITTEN_WEIGHT, 1.0)
    bench_recipe = dict(RECIPE, calibration_folds=3)
    results = {name: {} for name in ("builtin", "builtin-shop", "tfidf-lr", "snownlp")}
    speed = {"builtin": [0, 0.0], "builtin-e2e": [0, 0.0], "tfidf-lr": [0, 0.0],
             "snownlp": [0, 0.0]}
    rng = random.Random(0)
    for cat in categories:
        test = np.flatnonzero(domain == cat)
        test_docs = [docs[i] for i in test]
        gold = y[test].tolist()
        print(f"{cat}: {len(test)} texts", file=sys.stderr)

        for name, train in (("builtin", np.flatnonzero(domain != cat)),
                            ("builtin-shop", np.flatnonzero(shop & (domain != cat)))):
            model = SentimentModel(**bench_recipe).fit([docs[i] for i in train], y[train],
                                                       sample_weight=weight[train])
            t0 = time.perf_counter()
            probs = [model.score_document(d.text, d.clauses, d.tokens).prob for d in test_docs]
            seconds = time.perf_counter() - t0
            results[name][cat] = _accuracy(gold, probs)
            if name == "builtin":
                speed["builtin"][0] += int(chars[test].sum())
                speed["builtin"][1] += seconds
                # end to end from raw text (normalise, clauses, jieba, score), on a slice
                part = test[:2000]
                t0 = time.perf_counter()
                for i in part:
                    d = analyse(texts[i], seg)
                    model.score_document(d.text, d.clauses, d.tokens)
                speed["builtin-e2e"][1] += time.perf_counter() - t0
                speed["builtin-e2e"][0] += int(chars[part].sum())

        results["tfidf-lr"][cat], n, s = _tfidf_lr(texts, y, np.flatnonzero(shop & (domain != cat)),
                                                   test)
        speed["tfidf-lr"][0] += n
        speed["tfidf-lr"][1] += s

        pick = test.tolist()
        if args.snownlp_limit and len(pick) > args.snownlp_limit:
            pick = sorted(rng.sample(pick, args.snownlp_limit))
        results["snownlp"][cat], n, s = _snownlp(texts, y, pick)
        speed["snownlp"][0] += n
        speed["snownlp"][1] += s
    _print(results, speed, categories, jieba_cps, chars.sum() / analyse_seconds, args)
    if args.json:
        out = {"accuracy": results,
               "chars_per_second": {k: n / s for k, (n, s) in speed.items() if s},
               "jieba_chars_per_second": jieba_cps}
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), "utf-8")
    return 0


def _tfidf_lr(texts, y, train, test):
    """Plain baseline: char 1–3-gram TF-IDF + logistic regression; accuracy, chars, seconds."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from textmine.normalize import normalize

    clf = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2,
                                        sublinear_tf=True),
                        LogisticRegression(max_iter=1000))
    clf.fit([texts[i] for i in train], y[train])
    raw = [texts[i] for i in test]
    t0 = time.perf_counter()
    probs = clf.predict_proba([normalize(t) for t in raw])[:, 1]
    seconds = time.perf_counter() - t0
    return _accuracy(y[test].tolist(), probs), sum(map(len, raw)), seconds


def _snownlp(texts, y, rows):
    """snownlp's shipped model on raw text; accuracy, chars, seconds."""
    from snownlp import SnowNLP

    raw = [texts[i] for i in rows]
    t0 = time.perf_counter()
    probs = [SnowNLP(t).sentiments for t in raw]
    seconds = time.perf_counter() - t0
    return _accuracy(y[rows].tolist(), probs), sum(map(len, raw)), seconds


def _print(results, speed, categories, jieba_cps, analyse_cps, args) -> None:
    names = list(results)
    print("Leave-one-category-out accuracy (train on eight categories, test on the ninth)")
    print(f"{'category':10s}" + "".join(f"{n:>14s}" for n in names))
    for cat in categories:
        print(f"{cat:10s}" + "".join(f"{results[n][cat]:14.4f}" for n in names))
    means = {n: sum(results[n].values()) / len(results[n]) for n in names}
    print(f"{'mean':10s}" + "".join(f"{means[n]:14.4f}" for n in names))
    print(f"{'vs tfidf':10s}" + "".join(f"{means[n] / means['tfidf-lr']:14.3f}" for n in names))
    if args.snownlp_limit:
        print(f"(snownlp on up to {args.snownlp_limit} texts per category; --snownlp-limit 0 "
              "for all)")
    cps = {k: n / s for k, (n, s) in speed.items() if s}
    print()
    print("Speed, characters per second, same run")
    rows = [("builtin, sentiment step alone", cps["builtin"]),
            ("builtin, end to end from raw text", cps["builtin-e2e"]),
            ("tfidf-lr, from raw text", cps["tfidf-lr"]),
            ("snownlp, from raw text", cps["snownlp"]),
            ("jieba segmentation alone", jieba_cps),
            ("normalise + clauses + jieba", analyse_cps)]
    print(f"{'':36s}{'chars/s':>12s}{'x snownlp':>11s}")
    for label, value in rows:
        print(f"{label:36s}{value:12,.0f}{value / cps['snownlp']:11.1f}")
    print(f"sentiment step per character: {1e6 / cps['builtin']:.3f} µs "
          f"(jieba: {1e6 / jieba_cps:.3f} µs)")


if __name__ == "__main__":
    sys.exit(main())

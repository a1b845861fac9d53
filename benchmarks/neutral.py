"""The pos/neg/neu rule's settings, measured on texts the model did not see.

    python benchmarks/neutral.py        # about 5 minutes on two cores

The hand-written texts (with opinion, and without: ``written_neutral.csv``)
are split into three folds. For each fold the shipped recipe is fitted on
everything else (calibrated like the shipped model) and the fold is scored.
Every setting of :func:`textmine.sentiment.labels.label_document` in a small
grid is then judged by three-way macro-F1 on those out-of-fold scores, per
domain too. The evaluation set ``corpora/labelled/sentiment_3way.csv`` takes
no part. Needs ``../shared``.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPINION = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
QUESTION = (2.0, 3.0, 4.0, 5.0)
BANDS = ((0.4, 0.6), (0.35, 0.65), (0.3, 0.7))


def main() -> int:
    import numpy as np
    from sklearn.metrics import f1_score

    from textmine.segment import Segmenter
    from textmine.sentiment.data import training_corpora
    from textmine.sentiment.features import analyse
    from textmine.sentiment.labels import (BALANCE_BAND, OPINION_MARGIN, QUESTION_MARGIN,
                                           label_document)
    from textmine.sentiment.model import SentimentModel
    from textmine.sentiment.train import RECIPE, recipe_inputs

    frame, _ = training_corpora(ROOT)
    seg = Segmenter()
    t0 = time.perf_counter()
    docs = [analyse(t, seg) for t in frame["text"]]
    print(f"{len(docs)} texts analysed in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    labels, weight = recipe_inputs(frame)
    source = frame["source"].to_numpy()
    domain = np.where(source == "neutral", "neutral", frame["domain"].to_numpy())
    hand = np.flatnonzero(np.isin(source, ["written", "neutral"]))
    fold = np.full(len(frame), -1)
    fold[hand] = np.random.default_rng(0).permutation(len(hand)) % 3
    shipped = SentimentModel.load()
    scores = {}
    for f in range(3):
        train = np.flatnonzero(fold != f)
        model = SentimentModel(**dict(RECIPE, calibration_folds=0)).fit(
            [docs[i] for i in train], labels[train], sample_weight=weight[train])
        model.calibration_ = shipped.calibration_  # calibrated like the shipped model
        model._drop_runtime()
        for i in np.flatnonzero(fold == f):
            d = docs[i]
            scores[i] = (model.score_document(d.text, d.clauses, d.tokens), model.neutral_prob_)
        print(f"fold {f} scored", file=sys.stderr)
    rows = sorted(scores)
    gold = [labels[i] for i in rows]

    def judge(opinion, question, band):
        pred = [label_document(doc.prob, doc.clause_probs, docs[i].clauses, neutral,
                               opinion_margin=opinion, question_margin=question,
                               balance_band=band)
                for i in rows for doc, neutral in [scores[i]]]
        return f1_score(gold, pred, average="macro"), pred

    results = []
    for opinion, question, band in itertools.product(OPINION, QUESTION, BANDS):
        f1, _ = judge(opinion, question, band)
        results.append((f1, opinion, question, band))
    results.sort(reverse=True)
    current = judge(OPINION_MARGIN, QUESTION_MARGIN, BALANCE_BAND)
    print(f"\n{len(rows)} hand-written texts scored out of fold "
          f"({sum(g == 'neu' for g in gold)} without opinion)\n")
    print(f"{'opinion':>8} {'question':>9} {'band':>12} {'macro-F1':>9}")
    for f1, opinion, question, band in results[:8]:
        print(f"{opinion:8.2f} {question:9.1f} {str(band):>12} {f1:9.4f}")
    print(f"current: {OPINION_MARGIN} {QUESTION_MARGIN} {BALANCE_BAND} -> {current[0]:.4f}")
    best = results[0]
    _, pred = judge(*best[1:])
    print("\nper domain, share labelled right (current -> best):")
    for dm in sorted(set(domain[rows].tolist())):
        idx = [k for k, i in enumerate(rows) if domain[i] == dm]
        now = np.mean([current[1][k] == gold[k] for k in idx])
        new = np.mean([pred[k] == gold[k] for k in idx])
        print(f"  {dm:12s} {len(idx):5d}  {now:.3f} -> {new:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

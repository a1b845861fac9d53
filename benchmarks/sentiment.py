"""Leave-one-category-out sentiment benchmark, with speed, in one run.

    python benchmarks/sentiment.py                  # about 10 minutes on two cores
    python benchmarks/sentiment.py --json out.json
    python benchmarks/sentiment.py --alternatives   # the model choices (about 40 minutes)
    python benchmarks/sentiment.py --in-domain      # 5-fold cross-validation (about 6 minutes)

For each of the nine categories of the shared shopping-review corpus, train on
the other eight and test on it:

* ``builtin``: the shipped model's recipe (``textmine.sentiment.train``),
  trained like the shipped model on the eight categories plus snownlp's review
  corpus and the project's hand-written corpus (de-duplicated: snownlp's corpus
  repeats most of the book and computer reviews, see ``data._deduplicate``);
* ``builtin-shop``: the same recipe trained on the eight categories only;
* ``tfidf-lr``: a plain baseline, character 1–3-gram TF-IDF and logistic
  regression on the eight categories;
* ``snownlp``: snownlp's shipped model as it is (no training), on up to
  ``--snownlp-limit`` texts per category.

Speed is characters per second, measured in the same run: for the built-in
model the sentiment step alone (on the clauses and tokens the pipeline already
has) and end to end from raw text; snownlp and tfidf-lr from raw text (they
do their own segmentation or vectorising).

``--in-domain`` cross-validates on the shared corpus instead (five folds,
stratified): each fold scored by the recipe fitted on the other four plus the
other corpora, and by tfidf-lr fitted on the other four; it prints what
``textmine eval`` prints (accuracy, macro-F1, ROC AUC, Brier, confusion
matrix) for both, and accuracy per category.

``--alternatives`` measures the choices behind the recipe instead: feature
sets, linear SVM, NB-weighted features, feature hashing, and snownlp's corpus
without de-duplication; each by leave-one-category-out accuracy, by 5-fold
cross-validation on the hand-written corpus (per domain), and by the cost of
scoring it with dict lookups relative to jieba on the same clauses.
Needs ``../shared``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from itertools import repeat
from operator import add
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _accuracy(gold, probs) -> float:
    return sum((p >= 0.5) == bool(g) for g, p in zip(gold, probs)) / len(gold)


class Data:
    """The recipe's corpora, analysed once (normalised, split, segmented)."""

    def __init__(self, deduplicate: bool = True, neutral: bool = False):
        import numpy as np

        from textmine.segment import Segmenter
        from textmine.sentiment.data import NEUTRAL, training_corpora
        from textmine.sentiment.train import recipe_inputs
        from textmine.sentiment.features import analyse

        frame, _ = training_corpora(ROOT, deduplicate=deduplicate)
        if not neutral:  # the texts without opinion, which the recipe adds as neu
            frame = frame[frame["label"] != NEUTRAL].reset_index(drop=True)
        self.texts = frame["text"].tolist()
        self.y = frame["label"].to_numpy()
        self.labels, self.weight = recipe_inputs(frame)
        self.source = frame["source"].to_numpy()
        self.domain = frame["domain"].to_numpy()
        self.shop = self.source == "shop"
        self.categories = sorted(set(self.domain[self.shop].tolist()))
        self.seg = Segmenter()
        self.seg.tokenizer  # noqa: B018 - load the dictionary before timing
        print(f"analysing {len(self.texts)} texts (normalise, clauses, jieba) ...",
              file=sys.stderr)
        t0 = time.perf_counter()
        self.docs = [analyse(t, self.seg) for t in self.texts]
        self.analyse_cps = sum(len(t) for t in self.texts) / (time.perf_counter() - t0)
        self.chars = np.array([len(d.text) for d in self.docs])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--snownlp-limit", type=int, default=1000, metavar="N",
                        help="texts per category scored by snownlp (0: all; default 1000)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--alternatives", action="store_true",
                        help="measure the alternatives behind the recipe instead")
    parser.add_argument("--in-domain", action="store_true",
                        help="5-fold cross-validation on the shared corpus instead")
    parser.add_argument("--variant", metavar="TEXT",
                        help="with --alternatives: only the variants whose name contains TEXT")
    args = parser.parse_args(argv)

    from textmine.sentiment.data import SHARED_CORPUS

    if not (ROOT.parent / SHARED_CORPUS).exists():
        print(f"benchmark needs the shared corpus at {ROOT.parent / SHARED_CORPUS}",
              file=sys.stderr)
        return 2
    if args.alternatives:
        out = alternatives(args.variant)
    elif args.in_domain:
        out = in_domain()
    else:
        out = loco(args.snownlp_limit)
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), "utf-8")
    return 0


# --- the main table ---------------------------------------------------------------

def loco(snownlp_limit: int) -> dict:
    import numpy as np

    from textmine.sentiment.features import analyse
    from textmine.sentiment.model import SentimentModel
    from textmine.sentiment.train import RECIPE

    data = Data(neutral=True)
    docs, y, domain, texts = data.docs, data.y, data.domain, data.texts
    # the segmenter alone (jieba's tokens, textmine.fastcut) on the clauses the
    # pipeline segments, for the pipeline's budget
    sample = [c.text for d, s in zip(docs[:20000], data.shop) if s for c in d.clauses]
    t0 = time.perf_counter()
    for text in sample:
        data.seg.cut(text)
    jieba_cps = sum(map(len, sample)) / (time.perf_counter() - t0)

    weight = data.weight
    recipe = dict(RECIPE, calibration_folds=3)
    results = {name: {} for name in ("builtin", "builtin-shop", "tfidf-lr", "snownlp")}
    speed = {k: [0, 0.0] for k in ("builtin", "builtin-e2e", "tfidf-lr", "snownlp")}
    rng = random.Random(0)
    for cat in data.categories:
        test = np.flatnonzero(domain == cat)
        test_docs = [docs[i] for i in test]
        gold = y[test].tolist()
        print(f"{cat}: {len(test)} texts", file=sys.stderr)
        for name, train in (("builtin", np.flatnonzero(domain != cat)),
                            ("builtin-shop", np.flatnonzero(data.shop & (domain != cat)))):
            model = SentimentModel(**recipe).fit([docs[i] for i in train], data.labels[train],
                                                 sample_weight=weight[train])
            t0 = time.perf_counter()
            probs = [model.score_document(d.text, d.clauses, d.tokens).prob for d in test_docs]
            seconds = time.perf_counter() - t0
            results[name][cat] = _accuracy(gold, probs)
            if name == "builtin":
                speed["builtin"][0] += int(data.chars[test].sum())
                speed["builtin"][1] += seconds
                part = test[:2000]  # end to end from raw text, on a slice
                t0 = time.perf_counter()
                for i in part:
                    d = analyse(texts[i], data.seg)
                    model.score_document(d.text, d.clauses, d.tokens)
                speed["builtin-e2e"][1] += time.perf_counter() - t0
                speed["builtin-e2e"][0] += int(data.chars[part].sum())
        acc, n, s = _tfidf_lr(texts, y, np.flatnonzero(data.shop & (domain != cat)), test)
        results["tfidf-lr"][cat] = acc
        speed["tfidf-lr"][0] += n
        speed["tfidf-lr"][1] += s
        pick = test.tolist()
        if snownlp_limit and len(pick) > snownlp_limit:
            pick = sorted(rng.sample(pick, snownlp_limit))
        acc, n, s = _snownlp(texts, y, pick)
        results["snownlp"][cat] = acc
        speed["snownlp"][0] += n
        speed["snownlp"][1] += s
    cps = {k: n / s for k, (n, s) in speed.items() if s}
    _print_loco(results, cps, data.categories, jieba_cps, data.analyse_cps, snownlp_limit)
    return {"accuracy": results, "chars_per_second": cps, "jieba_chars_per_second": jieba_cps,
            "analyse_chars_per_second": data.analyse_cps, "snownlp_limit": snownlp_limit}


def _tfidf_lr(texts, y, train, test):
    """Plain baseline: char 1–3-gram TF-IDF + logistic regression; accuracy, chars, seconds."""
    probs, chars, seconds = _tfidf_lr_probs(texts, y, train, test)
    return _accuracy(y[test].tolist(), probs), chars, seconds


def _tfidf_lr_probs(texts, y, train, test):
    """The baseline's probabilities for ``test``, with the characters and seconds scored."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from textmine.normalize import normalize

    clf = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2,
                                        sublinear_tf=True),
                        LogisticRegression(max_iter=1000))
    clf.fit([normalize(texts[i]) for i in train], y[train])
    raw = [texts[i] for i in test]
    t0 = time.perf_counter()
    probs = clf.predict_proba([normalize(t) for t in raw])[:, 1]
    seconds = time.perf_counter() - t0
    return probs, sum(map(len, raw)), seconds


def _snownlp(texts, y, rows):
    """snownlp's shipped model on raw text; accuracy, chars, seconds."""
    from snownlp import SnowNLP

    raw = [texts[i] for i in rows]
    t0 = time.perf_counter()
    probs = [SnowNLP(t).sentiments for t in raw]
    seconds = time.perf_counter() - t0
    return _accuracy(y[rows].tolist(), probs), sum(map(len, raw)), seconds


def _print_loco(results, cps, categories, jieba_cps, analyse_cps, snownlp_limit) -> None:
    names = list(results)
    print("Leave-one-category-out accuracy (train on eight categories, test on the ninth)")
    print(f"{'category':10s}" + "".join(f"{n:>14s}" for n in names))
    for cat in categories:
        print(f"{cat:10s}" + "".join(f"{results[n][cat]:14.4f}" for n in names))
    means = {n: sum(results[n].values()) / len(results[n]) for n in names}
    print(f"{'mean':10s}" + "".join(f"{means[n]:14.4f}" for n in names))
    print(f"{'/ tfidf-lr':10s}" + "".join(f"{means[n] / means['tfidf-lr']:14.3f}" for n in names))
    if snownlp_limit:
        print(f"(snownlp on up to {snownlp_limit} texts per category; --snownlp-limit 0 for all)")
    print()
    print("Speed, characters per second, same run")
    rows = [("builtin, sentiment step alone", cps["builtin"]),
            ("builtin, end to end from raw text", cps["builtin-e2e"]),
            ("tfidf-lr, from raw text", cps["tfidf-lr"]),
            ("snownlp, from raw text", cps["snownlp"]),
            ("segmenter alone, on the clauses", jieba_cps),
            ("normalise + clauses + segmenter", analyse_cps)]
    print(f"{'':36s}{'chars/s':>12s}{'x snownlp':>11s}{'x segm.':>9s}")
    for label, value in rows:
        print(f"{label:36s}{value:12,.0f}{value / cps['snownlp']:11.1f}{value / jieba_cps:9.2f}")
    print(f"sentiment step: {1e6 / cps['builtin']:.3f} µs per character, "
          f"{jieba_cps / cps['builtin']:.3f} of the segmenter's time ({1e6 / jieba_cps:.3f} µs)")


# --- cross-validation on the shared corpus ------------------------------------------

def in_domain(folds: int = 5) -> dict:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from textmine.sentiment.evaluation import binary_metrics
    from textmine.sentiment.model import SentimentModel
    from textmine.sentiment.train import RECIPE

    data = Data(neutral=True)
    shop = np.flatnonzero(data.shop)
    gold = data.y[shop]
    probs = {"builtin": np.zeros(len(shop)), "tfidf-lr": np.zeros(len(shop))}
    recipe = dict(RECIPE, calibration_folds=3)
    split = StratifiedKFold(folds, shuffle=True, random_state=0).split(shop, gold)
    for k, (_, fold) in enumerate(split, 1):
        test = shop[fold]
        print(f"fold {k}/{folds}: {len(test)} texts", file=sys.stderr)
        train = np.setdiff1d(np.arange(len(data.y)), test)
        model = SentimentModel(**recipe).fit([data.docs[i] for i in train], data.labels[train],
                                             sample_weight=data.weight[train])
        probs["builtin"][fold] = [model.score_document(d.text, d.clauses, d.tokens).prob
                                  for d in (data.docs[i] for i in test)]
        probs["tfidf-lr"][fold] = _tfidf_lr_probs(data.texts, data.y,
                                                  np.setdiff1d(shop, test), test)[0]
    out = {}
    print(f"{folds}-fold cross-validation on the shared corpus ({len(shop)} texts); builtin: "
          "the recipe on the other folds + snownlp's corpus + the hand-written corpora; "
          "tfidf-lr: the other folds\n")
    for name, p in probs.items():
        m = binary_metrics(gold.tolist(), p.tolist())
        (tn, fp), (fn, tp) = m["confusion"]
        print(f"{name:9s} accuracy: {m['accuracy']:.4f}   macro-F1: {m['macro_f1']:.4f}   "
              f"ROC AUC: {m['roc_auc']:.4f}   Brier: {m['brier']:.4f}   "
              f"confusion (gold rows): neg {tn} {fp} | pos {fn} {tp}")
        by_cat = {c: float(((p >= 0.5) == gold)[data.domain[shop] == c].mean())
                  for c in data.categories}
        out[name] = dict(m, by_category=by_cat)
    print(f"\n{'category':10s}" + "".join(f"{n:>10s}" for n in probs))
    for c in data.categories:
        print(f"{c:10s}" + "".join(f"{out[n]['by_category'][c]:10.4f}" for n in probs))
    return out


# --- the alternatives --------------------------------------------------------------

def _negated(text, tokens):
    from textmine.sentiment.features import NEGATORS, _scoped

    return () if NEGATORS.isdisjoint(tokens) else [
        t for t in _scoped(tokens) if t.startswith("¬")]


def _scoped_words(text, tokens):
    from textmine.sentiment.features import NEGATORS, _scoped

    return tokens if NEGATORS.isdisjoint(tokens) else _scoped(tokens)


def _scoped_pairs(text, tokens):
    words = _scoped_words(text, tokens)
    return map(add, words, words[1:])


def _scoped_chars(text, tokens):
    from textmine.sentiment.features import NEGATORS, _scoped, _scoped_chars as negated

    return text if NEGATORS.isdisjoint(tokens) else negated(_scoped(tokens))


#: Kinds of clause keys, each a function of (clause text, tokens) giving lazy keys.
PARTS = {
    "c1": lambda text, tokens: text,
    "cn": _scoped_chars,   # characters, those of negated words replaced by ¬char
    "c2": lambda text, tokens: map(add, text, text[1:]),
    "c3": lambda text, tokens: map(add, map(add, text, text[1:]), text[2:]),
    "w1": lambda text, tokens: tokens,
    "wn": _scoped_words,   # words, negated ones replaced by ¬word (shipped)
    "neg": _negated,       # negated words as extra keys, next to the plain ones
    "wp": lambda text, tokens: map(add, tokens, tokens[1:]),
    "wpn": _scoped_pairs,  # pairs of those words (没有 ¬想象中 ¬差 → 没有¬想象中, ¬想象中¬差)
}
SHIPPED = ("c1", "wn", "wp")
VARIANTS = [
    ("shipped: c1 wn wp", SHIPPED, "lr"),
    ("cn wn wp (negated characters too)", ("cn", "wn", "wp"), "lr"),
    ("c1 c2 c3 wn wp", ("c1", "c2", "c3", "wn", "wp"), "lr"),
    ("c1 c2 c3 (characters only)", ("c1", "c2", "c3"), "lr"),
    ("c1 c2 wn", ("c1", "c2", "wn"), "lr"),
    ("c1 wn (no pairs)", ("c1", "wn"), "lr"),
    ("c1 w1 wp (no negation)", ("c1", "w1", "wp"), "lr"),
    ("c1 w1 neg wp (negated words added)", ("c1", "w1", "neg", "wp"), "lr"),
    ("shipped keys, linear SVM", SHIPPED, "svm"),
    ("shipped keys, NB-weighted LR", SHIPPED, "nblr"),
    ("shipped keys, hashed to 2^18", SHIPPED, "hash"),
    ("cn wn wpn (pairs of negated words negated)", ("cn", "wn", "wpn"), "lr"),
]


def _matrix(data, parts, roles):
    import numpy as np
    import scipy.sparse as sp

    vocab: dict = {}
    indptr, indices, values, scale = [0], [], [], []
    for d in data.docs:
        counts: dict = {}
        n = 0
        for clause, tokens in zip(d.clauses, d.tokens):
            r = roles.get(clause.role, 1.0)
            for p in parts:
                for k in PARTS[p](clause.text, tokens):
                    j = vocab.setdefault((p, k), len(vocab))
                    counts[j] = counts.get(j, 0.0) + r
                    n += 1
        indices += counts
        values += counts.values()
        indptr.append(len(indices))
        scale.append(1 / max(n, 1) ** 0.5)
    X = sp.csr_matrix((np.array(values), np.array(indices), np.array(indptr)),
                      shape=(len(data.docs), len(vocab)))
    return sp.diags(np.array(scale)) @ X, vocab


def _fit_score(X, y, train, test, model, C, weight, min_df=2):
    import numpy as np
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    Xtr = X[train]
    cols = np.flatnonzero(np.asarray((Xtr != 0).sum(0)).ravel() >= min_df)
    Xtr, Xte = Xtr[:, cols], X[test][:, cols]
    if model == "nblr":
        p = np.asarray(Xtr[y[train] == 1].sum(0)).ravel() + 1
        q = np.asarray(Xtr[y[train] == 0].sum(0)).ravel() + 1
        r = sp.diags(np.log((p / p.sum()) / (q / q.sum())))
        Xtr, Xte = Xtr @ r, Xte @ r
    # liblinear's SVM wants a smaller C than its logistic regression on the same features
    clf = (LinearSVC(C=C / 20) if model == "svm" else
           LogisticRegression(C=C, solver="liblinear", dual=True, max_iter=2000))
    clf.fit(Xtr, y[train], sample_weight=weight[train])
    return clf.decision_function(Xte), clf, cols


def alternatives(only: str | None = None) -> dict:
    import zlib

    import numpy as np
    import scipy.sparse as sp
    from sklearn.model_selection import StratifiedKFold

    from textmine.sentiment.train import RECIPE

    roles = {"": 1.0, "contrast": RECIPE["contrast_weight"],
             "concession": RECIPE["concession_weight"]}
    out = {}
    variants = VARIANTS + [("shipped, snownlp corpus not de-duplicated", SHIPPED, "leaky")]
    if only:
        variants = [v for v in variants if only in v[0]]
    data = Data()
    clauses = [(c.text, t) for d in data.docs[:4000] for c, t in zip(d.clauses, d.tokens)]
    t0 = time.process_time()
    for text, _ in clauses:
        data.seg.cut(text)
    jieba_seconds = time.process_time() - t0
    for name, parts, model in variants:
        if model == "leaky":
            data, model = Data(deduplicate=False), "lr"
        X, vocab = _matrix(data, parts, roles)
        if model == "hash":
            buckets = np.array([zlib.crc32(repr(k).encode()) % (1 << 18) for k in vocab])
            X = (X @ sp.csr_matrix((np.ones(len(buckets)), (np.arange(len(buckets)), buckets)),
                                   shape=(len(buckets), 1 << 18))).tocsr()
        weight = data.weight
        acc = {}
        for cat in data.categories:
            test = np.flatnonzero(data.domain == cat)
            train = np.flatnonzero(data.domain != cat)
            s, clf, cols = _fit_score(X, data.y, train, test, model, RECIPE["C"], weight)
            acc[cat] = float(((s > 0) == data.y[test]).mean())
        w_idx = np.flatnonzero(data.source == "written")
        domains = sorted(set(data.domain[w_idx].tolist()))
        wcv = np.zeros(len(w_idx))
        for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(w_idx, data.y[w_idx]):
            test = w_idx[b]
            train = np.setdiff1d(np.arange(len(data.y)), test)
            wcv[b], _, _ = _fit_score(X, data.y, train, test, model, RECIPE["C"], weight)
        by_domain = {dm: float(((wcv > 0) == data.y[w_idx])[data.domain[w_idx] == dm].mean())
                     for dm in domains}
        cost = _cost(parts, clauses) / jieba_seconds if model != "hash" else None
        out[name] = {"loco": acc, "loco_mean": float(np.mean(list(acc.values()))),
                     "written_cv": by_domain, "cost_vs_jieba": cost}
        print(f"{name:44s} LOCO {out[name]['loco_mean']:.4f}  written CV " +
              " ".join(f"{d} {v:.3f}" for d, v in by_domain.items()) +
              (f"  cost {cost:.3f}× jieba" if cost else ""), flush=True)
    return out


def _cost(parts, clauses) -> float:
    """CPU seconds to score ``clauses`` with one weight table per kind of key."""
    rng = random.Random(0)
    tables = {}
    for p in parts:
        keys = {k for text, tokens in clauses[: len(clauses) // 2] for k in PARTS[p](text, tokens)}
        tables[p] = {k: rng.random() for k in keys}.get
    zero = repeat(0.0)
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for text, tokens in clauses:
            sum(sum(map(tables[p], PARTS[p](text, tokens), zero)) for p in parts)
        best = min(best, time.process_time() - t0)
    return best


if __name__ == "__main__":
    sys.exit(main())

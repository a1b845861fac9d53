"""Measure a sentiment backend on labelled texts: accuracy, F1, AUC, Brier, speed."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from .features import analyse
from .labels import LABELS

__all__ = ["Evaluation", "evaluate", "binary_metrics"]


@dataclass
class Evaluation:
    """What :func:`evaluate` measured.

    Binary metrics use the rows whose gold label is pos or neg and call a
    text positive when its probability is at least 0.5; the three-way ones
    (only when the gold labels have ``neu``) compare the predicted label.
    """

    n: int
    accuracy: float | None = None
    macro_f1: float | None = None
    roc_auc: float | None = None
    brier: float | None = None
    confusion: list = field(default_factory=list)
    """Binary confusion matrix, rows gold [neg, pos], columns predicted [neg, pos]."""
    predicted_neu: int = 0
    """How many binary-gold texts the label rule called ``neu``."""
    accuracy_3way: float | None = None
    macro_f1_3way: float | None = None
    confusion_3way: list = field(default_factory=list)
    """Rows gold, columns predicted, both in the order neg, neu, pos."""
    chars: int = 0
    seconds_sentiment: float = 0.0
    seconds_total: float = 0.0

    @property
    def chars_per_second(self) -> float:
        """Characters per second of the sentiment step alone (texts already segmented)."""
        return self.chars / self.seconds_sentiment if self.seconds_sentiment else float("nan")

    @property
    def chars_per_second_total(self) -> float:
        """Characters per second including normalisation, clause splitting and segmentation."""
        return self.chars / self.seconds_total if self.seconds_total else float("nan")

    def to_dict(self) -> dict:
        out = asdict(self)
        out["chars_per_second"] = self.chars_per_second
        out["chars_per_second_total"] = self.chars_per_second_total
        return out

    def format(self) -> str:
        """A plain-text report."""
        f = _fmt
        lines = [f"texts: {self.n}"]
        if self.accuracy is not None:
            lines += [
                f"accuracy:  {f(self.accuracy)}",
                f"macro-F1:  {f(self.macro_f1)}",
                f"ROC AUC:   {f(self.roc_auc)}",
                f"Brier:     {f(self.brier)}",
                "confusion (rows gold, columns predicted, probability >= 0.5 is pos):",
                "           neg      pos",
            ]
            for name, row in zip(("neg", "pos"), self.confusion):
                lines.append(f"  {name}  {row[0]:7d}  {row[1]:7d}")
            lines.append(f"labelled neu by the label rule: {self.predicted_neu}")
        if self.accuracy_3way is not None:
            lines += [f"3-way accuracy (pos/neg/neu labels): {f(self.accuracy_3way)}",
                      f"3-way macro-F1: {f(self.macro_f1_3way)}",
                      "3-way confusion (rows gold, columns predicted):",
                      "           " + "  ".join(f"{x:>6}" for x in LABELS)]
            for name, row in zip(LABELS, self.confusion_3way):
                lines.append(f"  {name}    " + "  ".join(f"{v:6d}" for v in row))
        lines += [f"chars/second, sentiment only: {self.chars_per_second:,.0f}",
                  f"chars/second, with normalisation and segmentation: "
                  f"{self.chars_per_second_total:,.0f}"]
        return "\n".join(lines)


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _score_timed(backend, texts, segmenter):
    """Score ``texts``: results, seconds in all and in the sentiment step, analysed texts."""
    start = time.perf_counter()
    docs = [analyse(t, segmenter) for t in texts]
    analysed = time.perf_counter()
    results = [backend.score_document(d.text, d.clauses, d.tokens) for d in docs]
    done = time.perf_counter()
    return results, done - start, done - analysed, docs


def binary_metrics(gold: list[int], probs: list[float]) -> dict:
    """Accuracy, macro-F1, ROC AUC, Brier score and confusion matrix at threshold 0.5."""
    import numpy as np
    from sklearn.metrics import brier_score_loss, confusion_matrix, f1_score, roc_auc_score

    y = np.asarray(gold, dtype=int)
    p = np.asarray(probs, dtype=float)
    pred = (p >= 0.5).astype(int)
    both = len(set(y.tolist())) == 2
    return {
        "accuracy": float((pred == y).mean()),
        "macro_f1": float(f1_score(y, pred, average="macro", labels=[0, 1], zero_division=0)),
        "roc_auc": float(roc_auc_score(y, p)) if both else None,
        "brier": float(brier_score_loss(y, p, pos_label=1)) if len(y) else None,
        "confusion": confusion_matrix(y, pred, labels=[0, 1]).tolist(),
    }


def evaluate(backend, texts, labels, segmenter=None) -> Evaluation:
    """Score ``texts`` with ``backend`` and compare with gold ``labels``.

    Parameters
    ----------
    backend
        Anything with ``score_document`` (see :func:`textmine.sentiment.load_backend`).
    texts : list of str
        Raw texts.
    labels : list of str
        Gold labels already parsed to pos/neg/neu
        (:func:`textmine.sentiment.labels.parse_labels`).
    segmenter : textmine.segment.Segmenter, optional
        The default ``Segmenter()`` when None.
    """
    if segmenter is None:
        from ..segment import Segmenter

        segmenter = Segmenter()
        segmenter.tokenizer  # noqa: B018 - load the dictionary outside the timing
    results, total, sentiment, docs = _score_timed(backend, texts, segmenter)
    report = Evaluation(n=len(texts), chars=sum(len(d.text) for d in docs),
                        seconds_sentiment=sentiment, seconds_total=total)
    binary = [(1 if g == "pos" else 0, r) for g, r in zip(labels, results) if g != "neu"]
    if binary:
        m = binary_metrics([g for g, _ in binary], [r.prob for _, r in binary])
        for k, v in m.items():
            setattr(report, k, v)
        report.predicted_neu = sum(r.label == "neu" for _, r in binary)
    if "neu" in labels:
        from sklearn.metrics import confusion_matrix, f1_score

        predicted = [r.label for r in results]
        report.accuracy_3way = sum(p == g for p, g in zip(predicted, labels)) / len(labels)
        report.macro_f1_3way = float(f1_score(labels, predicted, labels=list(LABELS),
                                              average="macro", zero_division=0))
        report.confusion_3way = confusion_matrix(labels, predicted, labels=list(LABELS)).tolist()
    return report

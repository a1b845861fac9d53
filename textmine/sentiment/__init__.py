"""Sentiment of Chinese comments, reviews and articles, clause by clause.

Two backends give the same output, a :class:`DocumentSentiment`:

* ``builtin``: :class:`SentimentModel`, the linear model shipped in
  ``models/`` (see ``models/sentiment.md``), or one trained with
  ``textmine train``;
* ``snownlp``: snownlp's Naive Bayes, kept as a baseline.

Examples
--------
>>> from textmine.normalize import split_clauses
>>> from textmine.segment import Segmenter
>>> backend, seg = load_backend("builtin"), Segmenter()
>>> text = "多少钱一斤?"
>>> clauses = split_clauses(text)
>>> backend.score_document(text, clauses, [seg.cut(c.text) for c in clauses]).label
'neu'
"""

from __future__ import annotations

__all__ = ["BACKENDS", "DocumentSentiment", "SentimentModel", "load_backend"]

#: Names accepted by :func:`load_backend`.
BACKENDS = ("builtin", "snownlp")


def load_backend(name: str = "builtin", model=None):
    """Return the sentiment backend ``name``.

    Parameters
    ----------
    name : {"builtin", "snownlp"}
        The backend.
    model : str or Path, optional
        For ``builtin``: a model directory written by ``textmine train``;
        None uses the shipped model. Its weights are read once per process.

    Raises
    ------
    ValueError
        For an unknown backend, or a ``model`` given to ``snownlp``.
    textmine.errors.ModelError
        When the model files are missing, corrupt or of another version.
    """
    if name == "builtin":
        from .model import SentimentModel

        return SentimentModel.load(model)
    if name == "snownlp":
        if model is not None:
            raise ValueError("the snownlp backend uses snownlp's own model; drop `model` "
                             "(or use backend 'builtin' with it)")
        from .snownlp_backend import SnowNLPBackend

        return SnowNLPBackend()
    raise ValueError(f"sentiment backend {name!r} is invalid; value must be one of "
                     f"{list(BACKENDS)}.")


def __getattr__(name):
    # Keep `import textmine.sentiment` free of numpy and the model.
    if name in ("SentimentModel", "DocumentSentiment"):
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'textmine.sentiment' has no attribute {name!r}")

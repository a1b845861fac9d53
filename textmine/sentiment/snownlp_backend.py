"""snownlp's Naive Bayes sentiment, behind the same interface as the built-in model.

Kept as the baseline the built-in model is measured against; it is about two
orders of magnitude slower (it segments with its own pure-Python model).
"""

from __future__ import annotations

from .labels import label_document
from .model import DocumentSentiment

__all__ = ["SnowNLPBackend"]


class SnowNLPBackend:
    """Score documents with ``snownlp.SnowNLP(text).sentiments``.

    The document probability is snownlp's score of the whole text; each
    clause gets snownlp's score of the clause alone (a one-clause document
    is scored once). Labels follow the same rule as the built-in model, with
    0.5 as the probability of an opinion-free clause.

    Examples
    --------
    >>> from textmine.normalize import split_clauses
    >>> text = "多少钱一斤?"
    >>> doc = SnowNLPBackend().score_document(text, split_clauses(text), [["多少", "钱", "一斤"]])
    >>> doc.label, len(doc.clause_probs)
    ('neu', 1)
    """

    name = "snownlp"
    #: The probability of an opinion-free clause, as the built-in model's ``neutral_prob_``.
    neutral_prob_ = 0.5

    def __init__(self):
        self._snownlp = None

    def _score(self, text: str) -> float:
        if self._snownlp is None:
            # snownlp loads its model when imported: only on first use.
            from snownlp import SnowNLP

            self._snownlp = SnowNLP
        return float(self._snownlp(text).sentiments) if text else 0.5

    def score_document(self, text: str, clauses, clause_tokens) -> DocumentSentiment:
        """Score a normalised document; ``clause_tokens`` is unused (snownlp segments itself)."""
        if not clauses:
            return DocumentSentiment(0.5, "neu", [])
        clause_probs = [self._score(c.text) for c in clauses]
        prob = clause_probs[0] if len(clauses) == 1 else self._score(text)
        label = label_document(prob, clause_probs, clauses, self.neutral_prob_)
        return DocumentSentiment(prob, label, clause_probs)

    def __getstate__(self):
        return {"_snownlp": None}

    def __repr__(self) -> str:
        return "SnowNLPBackend()"

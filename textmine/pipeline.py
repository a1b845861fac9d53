"""One pass over each text: normalise, split clauses, segment, score, tag topics.

:class:`Pipeline` is the object behind ``textmine.analyze``, ``textmine score``
and the batch engines. Every input row comes back as exactly one output row
with a ``status``: ``ok``, ``empty`` (nothing to analyse) or ``error: …``.
"""

from __future__ import annotations

import functools
import logging
import math
import operator
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .memo import BoundedMemo
from .normalize import is_analysable, normalize, split_clauses
from .sentiment.labels import asks

__all__ = ["Pipeline", "analyze", "RESULT_COLUMNS"]

log = logging.getLogger(__name__)

#: Columns every pipeline adds, before the per-topic sentiment columns.
RESULT_COLUMNS = ("status", "sentiment", "sentiment_label", "topics", "evidence")

# Clause weights for per-topic sentiment: what follows 但是 is what the writer
# means; what follows 虽然 is conceded.
_ROLE_WEIGHT = {"": 1.0, "contrast": 1.5, "concession": 0.5}
_CACHE_MAX_CHARS = 24
_CACHE_MAX_ENTRIES = 100_000


_TEXT = operator.attrgetter("text")


def _is_short(text: str) -> bool:
    # Short clauses repeat a great deal in comment streams (好评, 物流很快,
    # 质量不错): their tokens are the ones worth remembering.
    return len(text) <= _CACHE_MAX_CHARS


class Pipeline:
    """Analyse Chinese comments and articles.

    Parameters
    ----------
    backend : {"builtin", "snownlp"}
        Sentiment backend: the model shipped in ``models/`` or snownlp's
        Naive Bayes, kept as a baseline to compare with.
    model : str or Path, optional
        A model directory written by ``textmine train``; replaces the shipped one.
    topics : str or Path, optional
        A topic lexicon (TOML) to add to, or with ``merge_topics=False`` replace,
        the seven default topics.
    merge_topics : bool
        Merge ``topics`` with the defaults (True) or use it alone.
    user_dict : str, Path or list, optional
        Extra jieba dictionaries (``word freq tag``).
    stopwords : str or Path, optional
        A stop-word file replacing the bundled list.
    tokens : bool
        Add a ``tokens`` column (space-joined words).
    normalize_options : dict, optional
        Keyword arguments for :func:`textmine.normalize.normalize`.

    Examples
    --------
    >>> p = Pipeline()
    >>> row = p.transform(["质量不错，但是物流太慢了"]).iloc[0]
    >>> row["status"], row["sentiment_label"]
    ('ok', 'neg')
    >>> "logistics" in row["topics"]
    True
    """

    def __init__(self, backend: str = "builtin", model=None, topics=None,
                 merge_topics: bool = True, user_dict=None, stopwords=None,
                 tokens: bool = False, normalize_options=None):
        self.backend = backend
        self.model = model
        self.topics = topics
        self.merge_topics = merge_topics
        self.user_dict = user_dict
        self.stopwords = stopwords
        self.tokens = tokens
        self.normalize_options = normalize_options
        self._segmenter = None
        self._sentiment = None
        self._tagger = None
        self._cut_cache = None

    # -- lazily built parts -------------------------------------------------
    @property
    def segmenter(self):
        """The :class:`~textmine.segment.Segmenter` (built on first use)."""
        if self._segmenter is None:
            from .segment import Segmenter

            self._segmenter = Segmenter(user_dict=self.user_dict, stopwords=self.stopwords)
        return self._segmenter

    @property
    def sentiment_backend(self):
        """The sentiment backend (loaded on first use)."""
        if self._sentiment is None:
            from .sentiment import load_backend

            self._sentiment = load_backend(self.backend, model=self.model)
        return self._sentiment

    @property
    def tagger(self):
        """The fitted :class:`~textmine.topics.TopicTagger` (built on first use)."""
        if self._tagger is None:
            from .topics import TopicTagger

            self._tagger = TopicTagger(lexicon=self.topics, segmenter=self.segmenter,
                                       merge=self.merge_topics).fit()
        return self._tagger

    @property
    def topic_codes(self) -> list[str]:
        """Topic codes in output order."""
        return list(self.tagger.codes_)

    def fit(self, X=None, y=None) -> "Pipeline":
        """Load dictionaries, model and lexicon now rather than on the first text."""
        self.segmenter.tokenizer  # noqa: B018 - property loads the dictionary
        self.sentiment_backend  # noqa: B018
        self.tagger  # noqa: B018
        return self

    def output_columns(self) -> list[str]:
        """The columns :meth:`transform` returns, in order."""
        cols = list(RESULT_COLUMNS) + [f"sentiment_{c}" for c in self.topic_codes]
        if self.tokens:
            cols.append("tokens")
        return cols

    # -- analysis -------------------------------------------------------------
    def _normalize(self, text) -> str:
        return normalize(text, **(self.normalize_options or {}))

    def analyze_text(self, text) -> dict:
        """Analyse one text and return its result columns as a dict."""
        return self.transform([text]).iloc[0].to_dict()

    def _cut_clauses(self, clauses) -> list[tuple[str, ...]]:
        cache = self._cut_cache
        if cache is None:
            cut = self.segmenter.cut
            # Tuples of strings, which the garbage collector stops tracking:
            # a full cache then costs each of its passes nothing.
            cache = self._cut_cache = BoundedMemo(lambda text: tuple(cut(text)),
                                                  _CACHE_MAX_ENTRIES, keep=_is_short)
        return list(map(cache.__getitem__, map(_TEXT, clauses)))

    def transform(self, texts: Iterable, errors: Sequence | None = None) -> pd.DataFrame:
        """Analyse each text; one output row per input, in order.

        Parameters
        ----------
        texts : iterable of str
            The texts (None or NaN give status ``empty``).
        errors : sequence of (str or None), optional
            Read errors from :mod:`textmine.io`; a row with one is not analysed
            and gets status ``error: <reason>``.
        """
        if isinstance(texts, (str, pd.DataFrame)):
            what = "one string" if isinstance(texts, str) else "a DataFrame"
            raise TypeError(f"`texts` must be a list or Series of texts, not {what}; for one "
                            "text use `analyze_text`, for a DataFrame `score_frame(frame, "
                            "text_col)` or `textmine.analyze(frame, text=...)`.")
        codes = self.topic_codes
        score = self.sentiment_backend.score_document
        neutral = self.sentiment_backend.neutral_prob_
        tag = self.tagger.tag
        options = self.normalize_options or {}
        status, prob, label, topics, evidence, tokens, sents = [], [], [], [], [], [], []
        nan = math.nan
        no_topics: dict = {}
        for i, text in enumerate(texts):
            if errors is not None and errors[i]:
                result = f"error: {errors[i]}"
            else:
                try:
                    result = self._analyze(text, options, score, tag, codes, neutral)
                except (KeyboardInterrupt, MemoryError):
                    raise
                except Exception as exc:  # one bad text must not end the run
                    log.debug("row %d failed", i, exc_info=True)
                    result = f"error: {type(exc).__name__}: {exc}"
            if isinstance(result, str):  # empty or error: no scores
                status.append(result)
                prob.append(nan)
                label.append("")
                topics.append("")
                evidence.append("")
                tokens.append("")
                sents.append(no_topics)
                continue
            doc, hits, topic_sent, toks = result
            status.append("ok")
            prob.append(doc.prob)
            label.append(doc.label)
            if hits:
                found = [c for c in codes if c in hits]
                topics.append("|".join(found))
                evidence.append(";".join(f"{c}:{','.join(hits[c].evidence)}" for c in found))
            else:  # no topic: nothing to join
                topics.append("")
                evidence.append("")
            tokens.append(toks)
            sents.append(topic_sent)
        # Text columns as object Series: pandas would otherwise infer its
        # string dtype, and callers (and the writers) expect plain objects.
        objects = functools.partial(pd.Series, dtype=object)
        data = {"status": objects(status), "sentiment": np.array(prob, dtype="float64"),
                "sentiment_label": objects(label), "topics": objects(topics),
                "evidence": objects(evidence)}
        for c in codes:
            data[f"sentiment_{c}"] = np.array([s.get(c, nan) for s in sents], dtype="float64")
        if self.tokens:
            data["tokens"] = objects(tokens)
        return pd.DataFrame(data, columns=self.output_columns())

    def _analyze(self, text, options, score, tag, codes, neutral):
        norm = normalize(text, **options)
        if not is_analysable(norm):
            return "empty"
        clauses = split_clauses(norm)
        clause_tokens = self._cut_clauses(clauses)
        doc = score(norm, clauses, clause_tokens)
        hits = tag(clauses, clause_tokens)
        probs = doc.clause_probs
        topic_sent = {}
        for code, hit in hits.items():
            total = weight = 0.0
            for i in hit.clauses:
                if asks(probs[i], clauses[i], neutral):  # 新鲜吗？ names quality, rates nothing
                    continue
                w = _ROLE_WEIGHT.get(clauses[i].role, 1.0)
                total += w * probs[i]
                weight += w
            topic_sent[code] = total / weight if weight else math.nan
        toks = " ".join(t for ts in clause_tokens for t in ts) if self.tokens else ""
        return doc, hits, topic_sent, toks

    def score_frame(self, frame: pd.DataFrame, text_col: str, errors=None) -> pd.DataFrame:
        """Return ``frame`` with the result columns appended.

        Input columns keep their names and order; an input column that clashes
        with a result column is renamed ``<name>_input``.
        """
        result = self.transform(frame[text_col].tolist(), errors=errors)
        out = frame.reset_index(drop=True)
        clashes = {c: f"{c}_input" for c in out.columns if c in set(result.columns)}
        if clashes:
            out = out.rename(columns=clashes)
        result.index = out.index
        return pd.concat([out, result], axis=1)

    def clauses(self, text) -> pd.DataFrame:
        """Clause by clause: text, role, question flag, sentiment and topics.

        Examples
        --------
        >>> df = Pipeline().clauses("质量不错，但是物流太慢了")
        >>> list(df["clause"])
        ['质量不错', '但是物流太慢了']
        >>> bool(df["sentiment"][0] > df["sentiment"][1])
        True
        """
        norm = self._normalize(text)
        clauses = split_clauses(norm) if is_analysable(norm) else []
        clause_tokens = self._cut_clauses(clauses)
        columns = ["clause", "role", "question", "sentiment", "topics", "tokens"]
        if not clauses:
            return pd.DataFrame(columns=columns)
        doc = self.sentiment_backend.score_document(norm, clauses, clause_tokens)
        hits = self.tagger.tag(clauses, clause_tokens)
        topics = [
            "|".join(code for code in self.topic_codes if code in hits and i in hits[code].clauses)
            for i in range(len(clauses))
        ]
        return pd.DataFrame({
            "clause": [c.text for c in clauses],
            "role": [c.role for c in clauses],
            "question": [c.question for c in clauses],
            "sentiment": [float(p) for p in doc.clause_probs],
            "topics": topics,
            "tokens": [" ".join(t) for t in clause_tokens],
        }, columns=columns)

    def __getstate__(self):
        # Workers rebuild dictionaries and models themselves; send parameters only.
        state = self.__dict__.copy()
        state.update(_segmenter=None, _sentiment=None, _tagger=None, _cut_cache=None)
        return state

    def get_params(self, deep: bool = False) -> dict:
        return {k: getattr(self, k) for k in (
            "backend", "model", "topics", "merge_topics", "user_dict", "stopwords",
            "tokens", "normalize_options")}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"Pipeline({params})"


@functools.lru_cache(maxsize=4)
def _default_pipeline(backend: str) -> Pipeline:
    return Pipeline(backend=backend)


def analyze(data, text: str | None = None, *, backend: str = "builtin",
            pipeline: Pipeline | None = None, n_jobs: int = 1) -> pd.DataFrame:
    """Analyse texts and return a DataFrame: pandas in, pandas out.

    Parameters
    ----------
    data : str, list of str, pandas.Series or pandas.DataFrame
        One string gives one row. A DataFrame keeps all its columns and gets
        the result columns appended.
    text : str, optional
        The DataFrame's text column; found automatically when there is exactly
        one obvious candidate (text, review, comment, content, 评论, 内容, 正文, 留言).
    backend : {"builtin", "snownlp"}
        Sentiment backend (ignored when ``pipeline`` is given).
    pipeline : Pipeline, optional
        A configured pipeline to use instead of the default one.
    n_jobs : int
        Worker processes for a large input (chunks of 5,000 rows); -1 uses all
        cores. The result is the same as with one job. Each worker loads the
        dictionary and model (about half a second), so this pays from some
        tens of thousands of rows on. In a script, call it under
        ``if __name__ == "__main__":``, as the workers import the script.

    Examples
    --------
    >>> import textmine
    >>> df = textmine.analyze(["蜂蜜很纯正，回购了", "快递太慢，包装都压坏了"])
    >>> list(df["sentiment_label"])
    ['pos', 'neg']
    """
    from .io import find_text_column

    if n_jobs != -1 and (not isinstance(n_jobs, int) or n_jobs < 1):
        raise ValueError(f"`n_jobs` value = {n_jobs!r} is invalid; use a positive number, "
                         "or -1 for all cores.")
    pipe = pipeline or _default_pipeline(backend)
    if isinstance(data, pd.DataFrame):
        frame, col = data, find_text_column(data.columns, text)
    elif isinstance(data, pd.Series):
        frame = data.rename(data.name if data.name is not None else "text").to_frame()
        col = frame.columns[0]
    else:
        if isinstance(data, str) or data is None or (isinstance(data, float)
                                                     and math.isnan(data)):
            data = [data]
        frame, col = pd.DataFrame({"text": list(data)}, dtype=object), "text"
    if n_jobs == 1:
        return pipe.score_frame(frame, col)
    from .batch import score_frame_parallel  # one chunk or none is scored here

    return score_frame_parallel(frame, col, pipe, n_jobs)

"""Topic discovery: what people talk about beyond the seven seeded topics.

Non-negative matrix factorisation (scikit-learn's NMF, or LDA) of a TF-IDF
matrix of the segmenter's content words. Each discovered topic gets its top
words, a short label, its size, representative texts, its share over time
when the texts have a date, and the seeded topics whose lexicon its top
words overlap. Runs are deterministic for a given ``random_state``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Iterator, Sequence

from .errors import InputError, NotFittedError

__all__ = ["TopicModel", "Discovery", "discover_topics"]

log = logging.getLogger(__name__)

_TIME_CANDIDATES = ("time", "date", "datetime", "created_at", "timestamp", "week", "日期", "时间")
_METHODS = ("nmf", "lda")
# Kept by the segmenter because they carry sentiment (negation, degree), but
# they only blur topics made of co-occurring words.
_DISCOVERY_STOPWORDS = frozenset(
    "真的 这么 那么 有点 有些 还有 没有 不是 一样 还是 就是 非常 特别 比较 这个 那个 已经 "
    "一直 可以 感觉 觉得 什么 怎么 真是 一下 有没有 是不是 多久 不错 不会 不要 不能 希望 "
    "知道 应该 可能 一点 一般 东西 家人们 宝宝们 主播 姐妹们 老铁".split())


class TopicModel:
    """Discover topics in texts with NMF (or LDA) over segmented words.

    Parameters
    ----------
    k : int
        Number of topics (lowered when the texts cannot support that many).
    method : {"nmf", "lda"}
        NMF on TF-IDF weights (sharper topics on short comments) or LDA on counts.
    segmenter : textmine.segment.Segmenter, optional
        Tokenizer and stop words (the bundled ones by default).
    n_top_words : int
        Words kept per topic.
    min_df : int
        A word must occur in at least this many texts (1 for tiny inputs).
    max_df : float
        Words in more than this share of texts are dropped (too common to separate topics).
    max_features : int
        Vocabulary size cap.
    random_state : int
        Seed; the same seed gives the same topics.
    max_iter : int
        Iterations of the factorisation.

    Attributes
    ----------
    vocabulary_ : list of str
        Words of the document-term matrix.
    components_ : ndarray of shape (k, n_words)
        Topic-word weights.
    top_words_ : list of list of str
        Top words of each topic.
    labels_ : list of str
        Short labels (top words joined with ·).
    n_topics_ : int
        Topics actually fitted.
    training_weights_ : ndarray of shape (n_texts, k)
        Unnormalised document-topic weights of the texts given to :meth:`fit`.
    """

    def __init__(self, k: int = 8, method: str = "nmf", segmenter=None, n_top_words: int = 10,
                 min_df: int = 2, max_df: float = 0.6, max_features: int = 5000,
                 random_state: int = 0, max_iter: int = 400):
        self.k = k
        self.method = method
        self.segmenter = segmenter
        self.n_top_words = n_top_words
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.random_state = random_state
        self.max_iter = max_iter

    def get_params(self, deep: bool = True) -> dict:
        """Parameters of this model."""
        return {k: getattr(self, k) for k in (
            "k", "method", "segmenter", "n_top_words", "min_df", "max_df", "max_features",
            "random_state", "max_iter")}

    def set_params(self, **params) -> "TopicModel":
        """Set parameters; call :meth:`fit` again afterwards."""
        for key, value in params.items():
            if key not in self.get_params():
                raise ValueError(f"`{key}` is not a parameter of TopicModel; valid parameters "
                                 f"are {sorted(self.get_params())}.")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        return f"TopicModel(k={self.k}, method={self.method!r}, random_state={self.random_state})"

    def _segmenter(self):
        if self.segmenter is not None:
            return self.segmenter
        if getattr(self, "_own_segmenter", None) is None:
            from .segment import Segmenter

            self._own_segmenter = Segmenter()
        return self._own_segmenter

    def tokenize(self, texts) -> list[list[str]]:
        """Content words (two characters or more, no digits) of each text."""
        from .keywords import _keyword_like
        from .normalize import normalize

        seg = self._segmenter()
        out = []
        for text in texts:
            words = seg.words(normalize(text)) if isinstance(text, str) else []
            out.append([w for w in words if len(w) >= 2 and _keyword_like(w)
                        and w not in _DISCOVERY_STOPWORDS])
        return out

    def fit(self, X, y=None) -> "TopicModel":
        """Fit topics on texts ``X`` (an iterable of str)."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit on texts ``X`` and return their document-topic weights (rows sum to 1 or 0)."""
        import numpy as np

        if self.method not in _METHODS:
            raise ValueError(f"`method` value = {self.method!r} is invalid; value must be one "
                             f"of {list(_METHODS)}.")
        if not isinstance(self.k, int) or isinstance(self.k, bool) or self.k < 1:
            raise ValueError(f"`k` value = {self.k!r} is invalid; it must be an integer >= 1.")
        texts = list(X)
        tokens = self.tokenize(texts)
        used = sum(1 for t in tokens if t)
        if used < 2:
            raise InputError(f"topic discovery needs at least 2 texts with words; got {used} "
                             f"of {len(texts)}. Pass more (or longer) texts.")
        vectorizer = self._vectorizer(used)
        try:
            matrix = vectorizer.fit_transform(tokens)
        except ValueError:  # every word pruned by min_df / max_df
            vectorizer = self._vectorizer(used, loose=True)
            matrix = vectorizer.fit_transform(tokens)
        vocab = list(vectorizer.get_feature_names_out())
        k = min(self.k, used, len(vocab))
        if k < self.k:
            log.warning("asked for %d topics but the texts support only %d; fitting %d",
                        self.k, k, k)
        model = self._model(k)
        weights = model.fit_transform(matrix)
        self.vectorizer_ = vectorizer
        self.model_ = model
        self.vocabulary_ = vocab
        self.components_ = model.components_
        self.n_topics_ = k
        n = min(self.n_top_words, len(vocab))
        # Words with (nearly) no weight in a topic are not its words, even
        # when the vocabulary is too small to fill n_top_words.
        self.top_words_ = [[vocab[j] for j in np.argsort(-row, kind="stable")[:n]
                            if row[j] > 0.01 * row.max()]
                           for row in model.components_]
        self.labels_ = ["·".join(words[:3]) for words in self.top_words_]
        self.training_weights_ = weights  # unnormalised: how strongly each text shows a topic
        return _normalise_rows(weights)

    def transform(self, X):
        """Document-topic weights of new texts (rows sum to 1, or 0 for no known word)."""
        if not hasattr(self, "model_"):
            raise NotFittedError("This TopicModel is not fitted yet; call `fit(texts)` first.")
        matrix = self.vectorizer_.transform(self.tokenize(list(X)))
        return _normalise_rows(self.model_.transform(matrix))

    def _vectorizer(self, n_docs: int, loose: bool = False):
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

        min_df = 1 if loose or n_docs < 20 else self.min_df
        max_df = 1.0 if loose or n_docs < 20 else self.max_df
        cls = TfidfVectorizer if self.method == "nmf" else CountVectorizer
        kwargs = dict(analyzer=_identity, min_df=min_df, max_df=max_df,
                      max_features=self.max_features)
        if cls is TfidfVectorizer:
            kwargs["sublinear_tf"] = True
        return cls(**kwargs)

    def _model(self, k: int):
        if self.method == "nmf":
            from sklearn.decomposition import NMF

            return NMF(n_components=k, init="nndsvda", random_state=self.random_state,
                       max_iter=self.max_iter)
        from sklearn.decomposition import LatentDirichletAllocation

        return LatentDirichletAllocation(n_components=k, random_state=self.random_state,
                                         max_iter=min(self.max_iter, 50),
                                         learning_method="batch", n_jobs=1)


def _identity(tokens):
    return tokens


def _normalise_rows(weights):
    import numpy as np

    sums = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, sums, out=np.zeros_like(weights), where=sums > 0)


@dataclass
class Discovery:
    """Result of :func:`discover_topics`; unpacks as ``topics, documents, share``.

    Attributes
    ----------
    topics : pandas.DataFrame
        One row per topic: ``topic``, ``label``, ``size`` (texts whose main
        topic it is), ``share``, ``top_words``, ``seeded`` (seeded topics
        whose lexicon covers at least two top words, by overlap),
        ``seeded_words`` (which words), ``examples`` (representative texts).
    documents : pandas.DataFrame
        One row per input text: ``doc`` (position), ``topic`` (-1 when the
        text has no known word), ``label``, ``weight`` (share of the text's
        topic mix), ``representative`` (rank among the topic's examples, 0
        when not one), and the time column when there is one.
    share : pandas.DataFrame
        ``period``, ``topic``, ``label``, ``docs``, ``share`` (of the texts of
        the period); empty without a time column.
    model : TopicModel
        The fitted model.
    """

    topics: "pandas.DataFrame"  # noqa: F821
    documents: "pandas.DataFrame"  # noqa: F821
    share: "pandas.DataFrame"  # noqa: F821
    model: TopicModel

    def __iter__(self) -> Iterator:
        return iter((self.topics, self.documents, self.share))


def discover_topics(texts_or_frame, k: int = 8, *, text: str | None = None,
                    time: str | None = None, freq: str = "W", method: str = "nmf",
                    n_top_words: int = 10, n_docs: int = 3, random_state: int = 0,
                    segmenter=None, tagger=None, min_overlap: int = 2) -> Discovery:
    """Discover ``k`` topics in texts and describe them.

    Parameters
    ----------
    texts_or_frame : iterable of str or pandas.DataFrame
        The texts, or a table with a text column (and maybe a time column).
    k : int
        Number of topics.
    text : str, optional
        Text column of a table (found automatically when obvious).
    time : str, optional
        Time column of a table; by default the first of ``time``, ``date``,
        ``datetime``, ``created_at``, ``timestamp``, ``week``, 日期, 时间.
    freq : str
        Period of the share-over-time table: ``"D"``, ``"W"`` (weeks
        starting Monday) or ``"M"``.
    method : {"nmf", "lda"}
        See :class:`TopicModel`.
    n_top_words, n_docs : int
        Top words and representative texts per topic.
    random_state : int
        Seed; the same seed gives the same result.
    segmenter : textmine.segment.Segmenter, optional
        Tokenizer and stop words.
    tagger : textmine.topics.TopicTagger, optional
        A fitted tagger whose lexicon defines the seeded topics to compare
        with (the default seven when omitted).
    min_overlap : int
        Top words a seeded topic's lexicon must cover to be listed in ``seeded``.

    Returns
    -------
    Discovery
        ``topics``, ``documents`` and ``share`` tables (and the model).

    Examples
    --------
    >>> texts = ["物流太慢了，快递一周才到", "快递很快，物流给力", "蜂蜜很甜，味道纯正",
    ...          "蜂蜜味道好，很甜", "物流快，快递小哥好", "味道不错的蜂蜜"]
    >>> topics, docs, share = discover_topics(texts, k=2)
    >>> sorted(topics["seeded"])
    ['logistics', 'quality']
    >>> len(docs), share.empty
    (6, True)
    """
    import numpy as np
    import pandas as pd

    if freq not in ("D", "W", "M"):
        raise ValueError(f"`freq` value = {freq!r} is invalid; value must be one of "
                         "['D', 'W', 'M'].")
    frame = None
    if isinstance(texts_or_frame, pd.DataFrame):
        from .io import find_text_column

        frame = texts_or_frame.reset_index(drop=True)
        text = find_text_column(list(frame.columns), text)
        texts = frame[text].tolist()
        if time is None:
            time = next((c for c in frame.columns if str(c).lower() in _TIME_CANDIDATES), None)
        elif time not in frame.columns:
            raise InputError(f"no time column {time!r}; columns are {list(frame.columns)}",
                             column=time)
    else:
        if isinstance(texts_or_frame, str):
            raise TypeError("`texts_or_frame` must be a list of texts or a DataFrame, not one "
                            "string; wrap it in a list.")
        texts = list(texts_or_frame)
        time = None
    if segmenter is None and tagger is not None:
        segmenter = getattr(tagger, "segmenter_", None)
    model = TopicModel(k=k, method=method, segmenter=segmenter, n_top_words=n_top_words,
                       random_state=random_state)
    weights = model.fit_transform(texts)
    main = np.where(weights.sum(axis=1) > 0, weights.argmax(axis=1), -1)
    main_weight = np.where(main >= 0, weights.max(axis=1), 0.0)

    # Representative texts: the strongest (unnormalised) weight of the topic
    # among texts whose main topic it is, so a one-word comment does not win
    # on a share of 100%; ties go to the earlier text, so runs agree.
    raw = model.training_weights_
    representative = np.zeros(len(texts), dtype=int)
    examples = []
    for t in range(model.n_topics_):
        members = np.flatnonzero(main == t)
        order = members[np.lexsort((members, -raw[members, t]))][:n_docs]
        representative[order] = np.arange(1, len(order) + 1)
        examples.append([_short(texts[i]) for i in order])

    seeded, seeded_words = _seeded_overlap(model.top_words_, tagger, segmenter, min_overlap)
    sizes = np.bincount(main[main >= 0], minlength=model.n_topics_)
    topics = pd.DataFrame({
        "topic": np.arange(model.n_topics_),
        "label": model.labels_,
        "size": sizes,
        "share": sizes / max(len(texts), 1),
        "top_words": [" ".join(w) for w in model.top_words_],
        "seeded": seeded,
        "seeded_words": seeded_words,
        "examples": [" ‖ ".join(e) for e in examples],
    })
    labels = np.array(model.labels_ + [""], dtype=object)
    documents = pd.DataFrame({
        "doc": np.arange(len(texts)),
        "topic": main,
        "label": labels[main],
        "weight": main_weight,
        "representative": representative,
    })
    share = pd.DataFrame(columns=["period", "topic", "label", "docs", "share"])
    if frame is not None and time is not None:
        documents[time] = frame[time].to_numpy()
        share = _share_over_time(frame[time], main, model.labels_, freq)
    return Discovery(topics, documents, share, model)


def _short(text, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _seeded_overlap(top_words, tagger, segmenter, min_overlap: int):
    if tagger is None:
        from .topics import TopicTagger

        tagger = TopicTagger(segmenter=segmenter).fit()
    seeded, evidence = [], []
    for words in top_words:
        hits: dict[str, list[str]] = {}
        compiled = tagger._compiled
        for w in words:
            # The word as a token, and phrase entries (靠谱) inside its text.
            codes = [c for c, _, _ in compiled.token_hits(w)]
            codes += [c for *_, targets in compiled.phrases.find(w) for c, _ in targets]
            for code in codes:
                if w not in hits.setdefault(code, []):
                    hits[code].append(w)
        ranked = sorted((c for c in hits if hits[c]),
                        key=lambda c: (-len(hits[c]), tagger.codes_.index(c)))
        seeded.append("|".join(c for c in ranked if len(hits[c]) >= min_overlap))
        evidence.append(";".join(f"{c}:{','.join(hits[c])}" for c in ranked))
    return seeded, evidence


def _share_over_time(when, main, labels: Sequence[str], freq: str):
    import pandas as pd

    stamps = pd.to_datetime(pd.Series(when), errors="coerce")
    period = stamps.dt.to_period({"D": "D", "W": "W-SUN", "M": "M"}[freq]).dt.start_time
    data = pd.DataFrame({"period": period.dt.strftime("%Y-%m-%d"), "topic": main})
    data = data[period.notna().to_numpy() & (main >= 0)]
    if data.empty:
        return pd.DataFrame(columns=["period", "topic", "label", "docs", "share"])
    counts = data.groupby(["period", "topic"]).size().rename("docs").reset_index()
    totals = data.groupby("period").size()
    counts["share"] = counts["docs"] / counts["period"].map(totals)
    counts["label"] = [labels[t] for t in counts["topic"]]
    return counts[["period", "topic", "label", "docs", "share"]].sort_values(
        ["period", "topic"], kind="stable").reset_index(drop=True)

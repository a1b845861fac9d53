"""Keywords of documents and of groups of documents (product, week, topic).

Two methods, both on the :class:`~textmine.segment.Segmenter`'s own jieba
tokenizer, so the domain dictionary (社交电商, 直播带货, 银球茶 …) and the
project's stop words apply; jieba's module-level tokenizer and extractors
are never touched:

``tfidf``
    jieba's :class:`jieba.analyse.TFIDF`, its ``tokenizer`` replaced by the
    segmenter's. Term frequency in the document times an inverse document
    frequency from jieba's bundled table, built on a large general Chinese
    corpus. That table is why jieba is used rather than scikit-learn's
    ``TfidfVectorizer``: a corpus-fitted IDF says nothing about a single
    article or a small batch of comments, while a general-language IDF ranks
    the words of even one document against ordinary Chinese. Words the
    table lacks (most domain terms) get its median IDF. For groups the IDF
    can instead come from the groups themselves (``idf="groups"``), which
    favours the words that set one product apart from the others.
``textrank``
    jieba's :class:`jieba.analyse.TextRank` with a
    :class:`jieba.posseg.POSTokenizer` built on the segmenter's tokenizer:
    a co-occurrence graph of nouns and verbs ranked by PageRank.

A compound domain term also counts for the dictionary words at its two ends
(社交电商 counts for 电商 and 社交, 直播带货 for 直播 and 带货), the way
jieba's search mode credits sub-words, so that 电商 ranks where a reader
expects it in a text that mostly says 社交电商.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from typing import Iterable, Sequence

from .errors import InputError

__all__ = ["KeywordExtractor", "extract_keywords", "group_keywords", "METHODS"]

log = logging.getLogger(__name__)

METHODS = ("tfidf", "textrank")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"^[a-z][a-z'-]+$")
_TIME_CANDIDATES = ("date", "time", "datetime", "created_at", "timestamp", "日期", "时间")


def _keyword_like(token: str) -> bool:
    """A keyword has a CJK character and no digit, or is a Latin word (yyds)."""
    if any(ch.isdigit() for ch in token):
        return False
    return bool(_CJK.search(token)) or bool(_LATIN_WORD.match(token.lower()))


class _ContentCut:
    """The ``tokenizer`` jieba's TF-IDF extractor calls: content words plus sub-words."""

    def __init__(self, segmenter, subwords: bool):
        self.segmenter = segmenter
        self.subwords = subwords

    def cut(self, sentence, HMM=True):  # noqa: N803 - jieba's signature
        seg = self.segmenter
        freq = seg.tokenizer.FREQ
        for tok in seg.cut(sentence):
            if not seg.is_content(tok) or not _keyword_like(tok):
                continue
            yield tok
            if self.subwords and len(tok) >= 4:
                yield from _ends(tok, freq, seg)


def _ends(token: str, freq, seg) -> list[str]:
    """The longest dictionary words at the start and the end of a compound."""
    out = []
    for size in range(len(token) - 1, 1, -1):
        head = token[:size]
        if freq.get(head) and seg.is_content(head):
            out.append(head)
            break
    for size in range(len(token) - 1, 1, -1):
        tail = token[-size:]
        if freq.get(tail) and seg.is_content(tail):
            if tail not in out:
                out.append(tail)
            break
    return out


class KeywordExtractor:
    """Extract keywords with jieba's TF-IDF or TextRank on a segmenter's tokenizer.

    Parameters
    ----------
    method : {"tfidf", "textrank"}
        The ranking (see the module docstring).
    top_k : int
        Keywords per document.
    segmenter : textmine.segment.Segmenter, optional
        Tokenizer, domain dictionary and stop words; the bundled ones when
        omitted.
    subwords : bool
        Also count the dictionary words at both ends of long compounds
        (电商 in 社交电商). TF-IDF only.
    allow_pos : tuple of str, optional
        Part-of-speech tags kept by TextRank (default nouns, place names,
        verbal nouns and verbs).

    Examples
    --------
    >>> kx = KeywordExtractor(top_k=3).fit()
    >>> kx.extract("县长直播带货，城步蜂蜜卖爆了，直播间里都在问蜂蜜")
    ['蜂蜜', '直播带货', '带货']
    """

    def __init__(self, method: str = "tfidf", top_k: int = 10, segmenter=None,
                 subwords: bool = True, allow_pos: Sequence[str] | None = None):
        self.method = method
        self.top_k = top_k
        self.segmenter = segmenter
        self.subwords = subwords
        self.allow_pos = allow_pos

    def get_params(self, deep: bool = True) -> dict:
        """Parameters of this extractor."""
        return {"method": self.method, "top_k": self.top_k, "segmenter": self.segmenter,
                "subwords": self.subwords, "allow_pos": self.allow_pos}

    def set_params(self, **params) -> "KeywordExtractor":
        """Set parameters; call :meth:`fit` again afterwards."""
        for key, value in params.items():
            if key not in self.get_params():
                raise ValueError(f"`{key}` is not a parameter of KeywordExtractor; valid "
                                 f"parameters are {sorted(self.get_params())}.")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        return f"KeywordExtractor(method={self.method!r}, top_k={self.top_k})"

    def fit(self, X=None, y=None) -> "KeywordExtractor":
        """Build the jieba extractor on the segmenter's tokenizer; ``X`` is ignored."""
        _check_method(self.method)
        if not isinstance(self.top_k, int) or isinstance(self.top_k, bool) or self.top_k < 1:
            raise ValueError(f"`top_k` value = {self.top_k!r} is invalid; it must be an "
                             "integer >= 1.")
        if self.segmenter is None:
            from .segment import Segmenter

            self.segmenter_ = Segmenter()
        else:
            self.segmenter_ = self.segmenter
        stop = set(self.segmenter_.stopword_set)
        if self.method == "tfidf":
            import jieba.analyse

            extractor = jieba.analyse.TFIDF()
            extractor.tokenizer = _ContentCut(self.segmenter_, self.subwords)
            extractor.postokenizer = None  # only used with allowPOS, which we never pass
        else:
            import jieba.analyse

            extractor = jieba.analyse.TextRank()
            extractor.tokenizer = extractor.postokenizer = _pos_tokenizer(self.segmenter_)
        extractor.stop_words = stop | extractor.STOP_WORDS
        self.extractor_ = extractor
        return self

    def _check_fitted(self):
        if not hasattr(self, "extractor_"):
            from .errors import NotFittedError

            raise NotFittedError("This KeywordExtractor is not fitted yet; call `fit()` first.")

    def extract(self, text: str, top_k: int | None = None,
                with_weights: bool = False) -> list:
        """Keywords of one (raw) text, best first.

        Returns
        -------
        list
            Words, or ``(word, weight)`` pairs with ``with_weights=True``.
        """
        from .normalize import normalize

        self._check_fitted()
        top_k = self.top_k if top_k is None else top_k
        text = normalize(text)
        if not text:
            return []
        if self.method == "tfidf":
            pairs = self.extractor_.extract_tags(text, topK=top_k, withWeight=True)
        else:
            pos = tuple(self.allow_pos) if self.allow_pos else ("ns", "n", "vn", "v", "nz")
            pairs = self.extractor_.textrank(text, topK=None, withWeight=True, allowPOS=pos)
            pairs = [(w, s) for w, s in pairs if _keyword_like(w)][:top_k]
        pairs = [(w, float(s)) for w, s in pairs]
        return pairs if with_weights else [w for w, _ in pairs]

    def term_counts(self, text: str) -> Counter:
        """Counts of the candidate words of ``text`` (content words and sub-words)."""
        from .normalize import normalize

        self._check_fitted()
        cut = _ContentCut(self.segmenter_, self.subwords)
        return Counter(w for w in cut.cut(normalize(text)) if len(w) >= 2
                       and w.lower() not in self.extractor_.stop_words)


def _pos_tokenizer(segmenter):
    """A POS tokenizer on the segmenter's jieba tokenizer that leaves it unchanged."""
    import jieba.posseg

    tok = segmenter.tokenizer
    pos = jieba.posseg.POSTokenizer(tok)
    # POSTokenizer moves the tokenizer's user-word tags into itself on first
    # use, emptying the tokenizer's table; copy them instead, and tag the
    # domain terms jieba has no tag for as nouns so TextRank keeps them.
    pos.word_tag_tab.update(getattr(tok, "user_word_tag_tab", {}) or {})
    if segmenter.domain_dict:
        from .segment import domain_terms

        for word in domain_terms():
            pos.word_tag_tab.setdefault(word, "n")
    pos.makesure_userdict_loaded = lambda: None
    return pos


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"`method` value = {method!r} is invalid; value must be one of "
                         f"{list(METHODS)}.")


def extract_keywords(texts, top_k: int = 10, method: str = "tfidf", *, segmenter=None,
                     with_weights: bool = False) -> list:
    """Keywords per document.

    Parameters
    ----------
    texts : str or iterable of str
        One text or many; None and NaN give no keywords.
    top_k : int
        Keywords per document.
    method : {"tfidf", "textrank"}
        See :mod:`textmine.keywords`.
    segmenter : textmine.segment.Segmenter, optional
        Dictionary and stop words (the bundled ones by default).
    with_weights : bool
        Return ``(word, weight)`` pairs instead of words.

    Returns
    -------
    list
        For one text, its keywords; for many, one list per text.

    Examples
    --------
    >>> extract_keywords("社交电商为地方产品拓宽了销售渠道，网红直播带货成了新模式", top_k=4)
    ['电商', '社交电商', '网红', '直播带货']
    """
    single = isinstance(texts, str)
    kx = KeywordExtractor(method=method, top_k=top_k, segmenter=segmenter).fit()
    items = [texts] if single else list(texts)
    out = [kx.extract(t, with_weights=with_weights) for t in items]
    return out[0] if single else out


def group_keywords(frame, by, text: str | None = None, top_k: int = 10, method: str = "tfidf",
                   *, idf: str = "general", segmenter=None, tagger=None):
    """Keywords per group of rows: per product, per week, per topic.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per text.
    by : str or list of str
        Grouping column(s). ``"week"`` (or ``"month"``) without such a column
        groups a date column (``date``, ``time`` …) by week starting Monday
        (or by month). A ``topics`` column in ``a|b`` form counts a row in
        each of its topics; ``by="topics"`` without such a column tags the
        texts with the default :class:`~textmine.topics.TopicTagger` first.
    text : str, optional
        The text column (found automatically when obvious).
    top_k : int
        Keywords per group.
    method : {"tfidf", "textrank"}
        See :mod:`textmine.keywords`.
    idf : {"general", "groups"}
        For TF-IDF: jieba's general-language IDF, or IDF across the groups
        (the words that set a group apart; needs two or more groups).
    segmenter, tagger : optional
        A :class:`~textmine.segment.Segmenter` and a fitted
        :class:`~textmine.topics.TopicTagger` to use.

    Returns
    -------
    pandas.DataFrame
        Columns: the grouping column(s), ``docs`` (texts in the group),
        ``rank`` (1 = best), ``keyword``, ``weight``.

    Raises
    ------
    textmine.errors.InputError
        A grouping or text column is missing.
    """
    import pandas as pd

    from .io import find_text_column

    if idf not in ("general", "groups"):
        raise ValueError(f"`idf` value = {idf!r} is invalid; value must be one of "
                         "['general', 'groups'].")
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError("`by` is empty; name at least one column to group by.")
    text = find_text_column(list(frame.columns), text)
    work = frame.copy()
    for i, key in enumerate(keys):
        if key in work.columns:
            continue
        if key in ("week", "month"):
            work[key] = _period(work, key)
        elif key == "topics":
            from .topics import TopicTagger

            tg = tagger if tagger is not None else TopicTagger(segmenter=segmenter).fit()
            work[key] = tg.transform(work[text].tolist())["topics"].to_numpy()
        else:
            raise InputError(f"no column {key!r} to group by; columns are "
                             f"{list(frame.columns)}", column=key)
    if "topics" in keys:
        from .topics import parse_topics

        work["topics"] = work["topics"].map(parse_topics)
        work = work.explode("topics")
        work = work[work["topics"].notna() & (work["topics"] != "")]
    kx = KeywordExtractor(method=method, top_k=top_k, segmenter=segmenter).fit()
    groups = [(name if isinstance(name, tuple) else (name,), sub[text])
              for name, sub in work.groupby(keys, sort=True, dropna=False)]
    rows = []
    if method == "tfidf" and idf == "groups" and len(groups) > 1:
        counts = []
        for _, texts in groups:
            # update in place: sum(..., Counter()) copies the running total for every text
            c = Counter()
            for t in texts:
                if isinstance(t, str):
                    c.update(kx.term_counts(t))
            counts.append(c)
        df = Counter(w for c in counts for w in c)
        n = len(groups)
        for (name, texts), c in zip(groups, counts):
            total = sum(c.values()) or 1
            scored = sorted(((w, k / total * (math.log((1 + n) / (1 + df[w])) + 1.0))
                             for w, k in c.items()), key=lambda p: (-p[1], p[0]))[:top_k]
            rows += _rows(keys, name, len(texts), scored)
    else:
        for name, texts in groups:
            joined = "\n".join(t for t in texts if isinstance(t, str))
            rows += _rows(keys, name, len(texts), kx.extract(joined, with_weights=True))
    columns = keys + ["docs", "rank", "keyword", "weight"]
    return pd.DataFrame(rows, columns=columns)


def _rows(keys, name, docs, pairs) -> list[dict]:
    out = []
    for rank, (word, weight) in enumerate(pairs, 1):
        row = dict(zip(keys, name))
        row.update(docs=docs, rank=rank, keyword=word, weight=float(weight))
        out.append(row)
    return out


def _period(frame, key: str):
    """Week (Monday) or month start of the frame's date column, as YYYY-MM-DD strings."""
    import pandas as pd

    col = next((c for c in frame.columns if str(c).lower() in _TIME_CANDIDATES), None)
    if col is None:
        raise InputError(f"cannot group by {key}: no {key!r} column and no date column "
                         f"(one of {list(_TIME_CANDIDATES)}); add one or group by another "
                         "column", column=key)
    when = pd.to_datetime(frame[col], errors="coerce")
    if key == "week":
        start = when.dt.to_period("W-SUN").dt.start_time
    else:
        start = when.dt.to_period("M").dt.start_time
    return start.dt.strftime("%Y-%m-%d").fillna("")

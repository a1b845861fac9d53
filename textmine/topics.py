"""Seeded topic tagging: which of the topics officials ask about a text mentions.

The seven default topics (quality 质量, trust 信任, supervision 监管,
branding 品牌, price 价格, logistics 物流, service 服务) and their words live
in ``textmine/data/topics.toml``, a file users can copy and extend. Matching
is on the segmenter's tokens (a dictionary lookup per token) plus a few
multi-word phrases found with one compiled regular expression per clause, so
tagging costs a small fraction of segmentation.

Negation does not remove a topic (不是假货 is still about trust), and
exclusions keep look-alike words out (打牌 and 车牌 are not branding,
服务区 is not service).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import InputError, NotFittedError
from .memo import BoundedMemo

__all__ = [
    "TopicHit",
    "Topic",
    "TopicTagger",
    "load_lexicon",
    "format_topics",
    "format_evidence",
    "parse_topics",
    "score_topics",
    "DEFAULT_CODES",
]

log = logging.getLogger(__name__)

#: Codes of the bundled topics, in output order.
DEFAULT_CODES = ("quality", "trust", "supervision", "branding", "price", "logistics", "service")

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOPIC_KEYS = {"code", "name", "description", "threshold", "words", "phrases", "exclude"}
# A single-character word also matches a two-character token made of one of
# these degree or negation words and it: 太咸, 很甜, 不贵, 好假.
_DEGREE = frozenset("很太好真超偏挺不较更蛮巨特贼最够没略有")
_GAP = "*"  # in phrases: up to four characters of the same clause
_NUMBER = "#"  # in phrases: a number such as 39 or 2.5
_MAX_CACHE = 200_000


@dataclass(frozen=True)
class TopicHit:
    """Why a text got a topic.

    ``evidence`` holds the matched words and phrases in order of first
    occurrence; ``clauses`` the indices of the clauses that mention the topic.
    """

    evidence: tuple[str, ...]
    clauses: tuple[int, ...]


@dataclass(frozen=True)
class Topic:
    """One topic of a lexicon: code, display name and weighted entries."""

    code: str
    name: str
    description: str = ""
    threshold: float = 1.0
    words: Mapping[str, float] = field(default_factory=dict)
    phrases: Mapping[str, float] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()


# --- the lexicon file -------------------------------------------------------

def load_lexicon(path=None, merge: bool = True) -> dict[str, Topic]:
    """Read, validate and return a topic lexicon as ``{code: Topic}`` in order.

    Parameters
    ----------
    path : str, Path or mapping, optional
        A TOML file in the format of ``textmine/data/topics.toml`` (or the
        same structure already parsed). None gives the seven default topics.
    merge : bool
        True: add ``path`` to the defaults. A topic with a known code gets the
        file's words, phrases and exclusions added (an entry with weight 0
        removes a default one) and its name, description or threshold when
        given; a new code becomes a topic after the defaults. False: use
        ``path`` alone.

    Returns
    -------
    dict
        Topic code to :class:`Topic`, in output order.

    Raises
    ------
    textmine.errors.InputError
        The file is missing, not TOML, or a key has a bad value; the message
        names the file and the key.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> list(lex)
    ['quality', 'trust', 'supervision', 'branding', 'price', 'logistics', 'service']
    >>> lex["trust"].name, lex["trust"].words["正品"]
    ('信任', 1.0)
    """
    from .resources import data_path

    defaults = _parse_lexicon(_read(data_path("topics.toml"), "topics.toml"), "topics.toml")
    if path is None:
        return defaults
    source = "<mapping>" if isinstance(path, Mapping) else str(path)
    data = dict(path) if isinstance(path, Mapping) else _read(path, source)
    user = _parse_lexicon(data, source, partial=merge)
    if not merge:
        return {code: _complete(t) for code, t in user.items()}
    merged = dict(defaults)
    for code, topic in user.items():
        merged[code] = _merge(merged[code], topic) if code in merged else _complete(topic)
    return merged


def _read(source, name: str) -> dict:
    from .resources import read_toml

    if isinstance(source, (str, Path)) and not Path(source).is_file():
        raise InputError("topic lexicon not found; pass a TOML file like "
                         "textmine/data/topics.toml", path=source)
    try:
        return read_toml(source)
    except (ValueError, UnicodeDecodeError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise InputError(f"not a valid TOML topic lexicon ({exc})", path=name) from None


def _bad(source: str, key: str, value, expected: str) -> InputError:
    return InputError(f"`{key}` value = {value!r} is invalid; {expected}", path=source)


def _parse_lexicon(data: Mapping, source: str, partial: bool = False) -> dict[str, Topic]:
    topics = data.get("topic")
    if topics is None:
        raise InputError("has no [[topic]] tables; each topic is a [[topic]] table with "
                         "code, name and words (see textmine/data/topics.toml)", path=source)
    if not isinstance(topics, list):
        raise _bad(source, "topic", type(topics).__name__,
                   "it must be an array of tables: write each topic as [[topic]]")
    out: dict[str, Topic] = {}
    for i, table in enumerate(topics):
        key = f"topic[{i}]"
        if not isinstance(table, Mapping):
            raise _bad(source, key, table, "each [[topic]] must be a table")
        unknown = sorted(set(table) - _TOPIC_KEYS)
        if unknown:
            raise _bad(source, f"{key}.{unknown[0]}", table[unknown[0]],
                       f"a topic has only the keys {sorted(_TOPIC_KEYS)}")
        code = table.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise _bad(source, f"{key}.code", code,
                       "a code is lower-case ASCII letters, digits and _ (like 'quality'), "
                       "used in column names such as sentiment_quality")
        if code in out:
            raise _bad(source, f"{key}.code", code, "each code may appear only once")
        key = f"topic[{i}] ({code})"
        name = table.get("name", "" if partial else None)
        if not isinstance(name, str) or (not partial and not name.strip()):
            raise _bad(source, f"{key}.name", name, "give the topic a display name, e.g. 质量")
        description = table.get("description", "")
        if not isinstance(description, str):
            raise _bad(source, f"{key}.description", description, "it must be a string")
        threshold = table.get("threshold", math.nan if partial else 1.0)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or (
                not math.isnan(threshold) and threshold <= 0):
            raise _bad(source, f"{key}.threshold", threshold, "it must be a number > 0")
        words = _entries(table.get("words", []), source, f"{key}.words", allow_zero=partial)
        phrases = _entries(table.get("phrases", []), source, f"{key}.phrases",
                           allow_zero=partial)
        exclude = _strings(table.get("exclude", []), source, f"{key}.exclude")
        if not partial and not words and not phrases:
            raise _bad(source, f"{key}.words", [], "a topic needs at least one word or phrase")
        out[code] = Topic(code, name.strip(), description.strip(), float(threshold),
                          words, phrases, tuple(exclude))
    return out


def _strings(value, source: str, key: str) -> list[str]:
    if not isinstance(value, list):
        raise _bad(source, key, value, 'it must be a list of strings like ["质量", "品质 0.5"]')
    out = []
    for j, item in enumerate(value):
        if not isinstance(item, str) or not _clean(item):
            raise _bad(source, f"{key}[{j}]", item, "each entry must be a non-empty string")
        out.append(_clean(item))
    return out


def _entries(value, source: str, key: str, allow_zero: bool) -> dict[str, float]:
    out: dict[str, float] = {}
    for j, item in enumerate(_strings(value, source, key)):
        text, weight = item, 1.0
        head, _, tail = item.rpartition(" ")
        if head:
            try:
                weight = float(tail)
            except ValueError:
                pass
            else:
                text = head.strip()
        if not text or math.isnan(weight) or weight < 0 or (weight == 0 and not allow_zero):
            raise _bad(source, f"{key}[{j}]", value[j],
                       'write "text" or "text weight" with a weight > 0 '
                       "(0 removes a default entry when merging)")
        out[text] = weight
    return out


def _clean(text: str) -> str:
    # Entries are compared with normalised text: NFKC and lower case.
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip().lower()


def _complete(topic: Topic) -> Topic:
    name = topic.name or topic.code
    threshold = 1.0 if math.isnan(topic.threshold) else topic.threshold
    words = {k: v for k, v in topic.words.items() if v > 0}
    phrases = {k: v for k, v in topic.phrases.items() if v > 0}
    return Topic(topic.code, name, topic.description, threshold, words, phrases, topic.exclude)


def _merge(base: Topic, extra: Topic) -> Topic:
    words = {**base.words, **extra.words}
    phrases = {**base.phrases, **extra.phrases}
    exclude = tuple(dict.fromkeys(base.exclude + extra.exclude))
    threshold = base.threshold if math.isnan(extra.threshold) else extra.threshold
    return _complete(Topic(base.code, extra.name or base.name,
                           extra.description or base.description, threshold,
                           words, phrases, exclude))


# --- formatting ---------------------------------------------------------------

def format_topics(hits: Mapping[str, TopicHit], codes: Sequence[str] | None = None) -> str:
    """Topic codes joined by ``|`` (in ``codes`` order, else the hits' order).

    Examples
    --------
    >>> format_topics({"trust": TopicHit(("正品",), (0,)), "quality": TopicHit(("新鲜",), (1,))},
    ...               codes=DEFAULT_CODES)
    'quality|trust'
    """
    order = list(codes) if codes is not None else list(hits)
    return "|".join(c for c in order if c in hits)


def format_evidence(hits: Mapping[str, TopicHit], codes: Sequence[str] | None = None) -> str:
    """Evidence as ``code:word,word;code:word``.

    Examples
    --------
    >>> format_evidence({"quality": TopicHit(("新鲜", "坏了"), (0,)),
    ...                  "trust": TopicHit(("正品",), (1,))})
    'quality:新鲜,坏了;trust:正品'
    """
    order = list(codes) if codes is not None else list(hits)
    return ";".join(f"{c}:{','.join(hits[c].evidence)}" for c in order if c in hits)


def parse_topics(value) -> list[str]:
    """Split an ``a|b`` topics cell into codes; empty, None and NaN give ``[]``.

    Examples
    --------
    >>> parse_topics("quality|trust"), parse_topics(""), parse_topics(float("nan"))
    (['quality', 'trust'], [], [])
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [t.strip() for t in re.split(r"[|,;，；、\s]+", str(value)) if t.strip()]


# --- the tagger -----------------------------------------------------------------

_DIGIT = re.compile(r"\d")


class _Compiled:
    """A lexicon ready for matching: one dict of words, one regex of phrases."""

    def __init__(self, topics: Mapping[str, Topic], segmenter):
        self.codes = list(topics)
        words: dict[str, list[tuple[str, float]]] = {}
        phrases: dict[str, list[tuple[str, float]]] = {}
        freq = segmenter.tokenizer.FREQ if segmenter is not None else {}
        for code, topic in topics.items():
            for word, weight in topic.words.items():
                # A word jieba splits (靠谱 -> 靠/谱) can never be one token, and
                # one its dictionary lacks is a token only when the HMM happens
                # to join it (虚标 alone, but 虚/标克重 in 虚标克重): match
                # such words as phrases instead.
                # Latin words and numbers (sc, ems, 12315) are always whole tokens.
                if len(word) > 1 and segmenter is not None and not word.isascii() and (
                        not freq.get(word) or len(segmenter.cut(word)) > 1):
                    phrases.setdefault(word, []).append((code, weight))
                else:
                    words.setdefault(word, []).append((code, weight))
            for phrase, weight in topic.phrases.items():
                phrases.setdefault(phrase, []).append((code, weight))
        self.words = {w: tuple(v) for w, v in words.items()}
        self.singles = frozenset(w for w in words if len(w) == 1)
        self.longest = max((len(w) for w in words), default=1)
        self.phrases = _PhraseMatcher(phrases)
        excl: dict[str, list[str]] = {}
        for code, topic in topics.items():
            for e in topic.exclude:
                excl.setdefault(e, []).append(code)
        self.exclude = _PhraseMatcher({k: tuple(v) for k, v in excl.items()})
        self.cache = BoundedMemo(self._hits, _MAX_CACHE)

    def token_hits(self, token: str) -> tuple:
        """``((code, weight, surface), ...)`` for one token, cached."""
        return self.cache[token]

    def _hits(self, token: str) -> tuple:
        found = self.words.get(token)
        if found is not None:
            return tuple((c, w, token) for c, w in found)
        return self._inside(token)

    def _inside(self, token: str) -> tuple:
        n = len(token)
        if n == 2 and token[0] in _DEGREE and token[1] in self.singles:
            return tuple((c, w, token) for c, w in self.words[token[1]])
        if n < 3:
            return ()
        # Compounds are usually word + word: try the token's ends first
        # (产品质量 is 质量, not 品质), then its inside, longest words first;
        # per topic the strongest word wins (立案调查: 立案 over 调查).
        top = min(self.longest, n - 1)
        spans = [(n - size, size) for size in range(top, 1, -1)]
        spans += [(0, size) for size in range(top, 1, -1)]
        spans += [(i, size) for size in range(top, 1, -1) for i in range(1, n - size)]
        best: dict[str, tuple[float, str]] = {}
        for i, size in spans:
            found = self.words.get(token[i:i + size])
            if found is None:
                continue
            for c, w in found:
                if c not in best or w > best[c][0]:
                    best[c] = (w, token[i:i + size])
        out = [(c, w, sub) for c, (w, sub) in best.items()]
        return tuple(out)


def _pattern(entry: str) -> str:
    parts = []
    for piece in re.split(r"([*#])", entry):
        if piece == _GAP:
            parts.append(r"[^,。!?;\n]{0,4}?")
        elif piece == _NUMBER:
            parts.append(r"\d+(?:\.\d+)?")
        elif piece:
            parts.append(re.escape(piece))
    return "".join(parts)


def _trie_pattern(heads) -> str:
    """A regex matching any of ``heads`` (one or two characters each), factored
    by first character: 不(?:好|新|贵)|一(?:斤|般)?|… The engine then tries one
    branch per first character instead of one per head at every position."""
    seconds: dict[str, list[str]] = {}
    for head in heads:
        seconds.setdefault(head[0], []).append(head[1:])
    branches = []
    for first, rests in sorted(seconds.items()):
        tails = sorted(re.escape(r) for r in rests if r)
        if not tails:
            branches.append(re.escape(first))
            continue
        group = tails[0] if len(tails) == 1 else "[" + "".join(tails) + "]"
        branches.append(re.escape(first) + group + ("?" if "" in rests else ""))
    return "|".join(branches)


class _PhraseMatcher:
    """Find every occurrence of many phrases in a short text.

    Phrases are indexed by their first two characters (or first one), so a
    clause costs one dict lookup per character plus a ``startswith`` or a
    small anchored regex per candidate: far cheaper than one big regex
    alternation, which Python tries alternative by alternative.
    """

    def __init__(self, entries: Mapping[str, Sequence]):
        self.by2: dict[str, list] = {}
        self.by1: dict[str, list] = {}
        numbers = []
        for entry, targets in entries.items():
            targets = tuple(targets)
            if entry.startswith(_NUMBER):
                numbers.append((entry, targets))
                continue
            head = re.split(r"[*#]", entry, maxsplit=1)[0]
            literal = _GAP not in entry and _NUMBER not in entry
            probe = entry if literal else re.compile(_pattern(entry))
            item = (literal, probe, targets)
            if len(head) >= 2:
                self.by2.setdefault(head[:2], []).append(item)
            else:
                self.by1.setdefault(head, []).append(item)
        self.numbers = [(re.compile(_pattern(e)), t) for e, t in numbers]
        self.empty = not (self.by2 or self.by1 or self.numbers)
        # One regex of the phrases' heads finds where a phrase may start (the
        # engine scans in C); Python looks only at those places.
        heads = set(self.by2) | set(self.by1)
        self.heads = re.compile(_trie_pattern(heads)) if heads else None

    def find(self, text: str) -> list:
        """``[(start, end, surface, targets), ...]``, overlapping matches included."""
        out = []
        by2, by1 = self.by2, self.by1
        search = None if self.heads is None else self.heads.search
        pos = 0
        while search is not None:
            m = search(text, pos)
            if m is None:
                break
            i = m.start()
            pos = i + 1  # heads may overlap: 说好 at i, 好吃 at i + 1
            cands = by2.get(text[i:i + 2])
            if by1:
                one = by1.get(text[i])
                if one:
                    cands = one if cands is None else cands + one
            if cands is None:
                continue
            for literal, probe, targets in cands:
                if literal:
                    if text.startswith(probe, i):
                        out.append((i, i + len(probe), probe, targets))
                else:
                    m = probe.match(text, i)
                    if m:
                        out.append((i, m.end(), m.group(), targets))
        if self.numbers and _DIGIT.search(text):  # every number pattern starts with a digit
            for regex, targets in self.numbers:
                for m in regex.finditer(text):
                    out.append((m.start(), m.end(), m.group(), targets))
        return out


class TopicTagger:
    """Tag texts with seeded topics from a weighted lexicon.

    A scikit-learn estimator: ``__init__`` stores parameters, :meth:`fit`
    loads and compiles the lexicon.

    Parameters
    ----------
    lexicon : str, Path or mapping, optional
        A topic lexicon (TOML, see ``textmine/data/topics.toml``); None uses
        the seven default topics.
    segmenter : textmine.segment.Segmenter, optional
        The segmenter whose tokens :meth:`tag` receives; one with the bundled
        dictionaries is built when omitted.
    merge : bool
        Merge ``lexicon`` into the defaults (True) or use it alone (False).
    threshold : float, optional
        Evidence weight a text needs to get a topic, overriding each topic's
        own ``threshold`` (1.0 by default).

    Attributes
    ----------
    topics_ : dict
        Code to :class:`Topic`, in output order.
    codes_ : list of str
        Topic codes in output order.
    names_ : dict
        Code to display name.
    segmenter_ : Segmenter
        The segmenter used by :meth:`transform`.

    Examples
    --------
    >>> tagger = TopicTagger().fit()
    >>> tagger.transform(["不是假货，就是物流太慢", "昨天打牌输了"]).to_dict("list")
    {'topics': ['trust|logistics', ''], 'evidence': ['trust:假货;logistics:物流,太慢', '']}
    """

    def __init__(self, lexicon=None, segmenter=None, merge: bool = True,
                 threshold: float | None = None):
        self.lexicon = lexicon
        self.segmenter = segmenter
        self.merge = merge
        self.threshold = threshold

    # scikit-learn's get_params/set_params without importing scikit-learn.
    def get_params(self, deep: bool = True) -> dict:
        """Parameters of this tagger (for ``clone`` and grid searches)."""
        return {"lexicon": self.lexicon, "segmenter": self.segmenter, "merge": self.merge,
                "threshold": self.threshold}

    def set_params(self, **params) -> "TopicTagger":
        """Set parameters; call :meth:`fit` again afterwards."""
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"`{key}` is not a parameter of TopicTagger; "
                                 f"valid parameters are {sorted(valid)}.")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()
                         if v != {"merge": True}.get(k))
        return f"TopicTagger({args})"

    def fit(self, X=None, y=None) -> "TopicTagger":
        """Load and compile the lexicon; ``X`` and ``y`` are ignored.

        Returns
        -------
        TopicTagger
            ``self``, fitted.
        """
        if self.threshold is not None and not self.threshold > 0:
            raise ValueError(f"`threshold` value = {self.threshold!r} is invalid; "
                             "it must be a number > 0 or None.")
        topics = load_lexicon(self.lexicon, merge=self.merge)
        if not topics:
            raise InputError("the topic lexicon has no topics", path=str(self.lexicon))
        if self.segmenter is None:
            from .segment import Segmenter

            segmenter = Segmenter()
        else:
            segmenter = self.segmenter
        self.topics_ = topics
        self.codes_ = list(topics)
        self.names_ = {c: t.name for c, t in topics.items()}
        self.thresholds_ = {c: (self.threshold if self.threshold is not None else t.threshold)
                            for c, t in topics.items()}
        self.segmenter_ = segmenter
        self._compiled = _Compiled(topics, segmenter)
        return self

    def _check_fitted(self) -> _Compiled:
        compiled = getattr(self, "_compiled", None)
        if compiled is None:
            raise NotFittedError("This TopicTagger is not fitted yet; call `fit()` before "
                                 "`tag` or `transform`.")
        return compiled

    def tag(self, clauses: Sequence, clause_tokens: Sequence[Sequence[str]]) -> dict[str, TopicHit]:
        """Topics of one text, given its clauses and their tokens.

        Parameters
        ----------
        clauses : list of textmine.normalize.Clause
            The text's clauses (from :func:`textmine.normalize.split_clauses`
            on normalised text); plain strings work too.
        clause_tokens : list of list of str
            The segmenter's tokens of each clause.

        Returns
        -------
        dict
            Code to :class:`TopicHit`, in output order, for each topic whose
            evidence reaches its threshold.
        """
        comp = self._check_fitted()
        hits_of = comp.cache.__getitem__
        texts = [c if isinstance(c, str) else c.text for c in clauses]
        # Phrases are searched once in the joined text (a newline ends any
        # gap), which costs far less than one search per clause.
        if len(texts) == 1:
            joined, starts = texts[0], [0]
        else:
            joined = "\n".join(texts)
            starts, pos = [], 0
            for t in texts:
                starts.append(pos)
                pos += len(t) + 1
        by_clause = _by_clause(comp.phrases.find(joined), starts) if not comp.phrases.empty \
            else {}
        blocked_by_clause = None
        found: dict[str, list] = {}  # code -> [(surface, weight, clause)]
        for i, tokens in enumerate(clause_tokens[:len(texts)]):
            token_hits = list(map(hits_of, tokens))
            # two clauses in three have no topic word: one C-level test each
            hits = [pair for pair in zip(tokens, token_hits) if pair[1]] if any(token_hits) \
                else []
            phrase_hits = by_clause.get(i, ())
            if not hits and not phrase_hits:
                continue
            if blocked_by_clause is None:
                blocked_by_clause = _by_clause(comp.exclude.find(joined), starts) \
                    if not comp.exclude.empty else {}
            blocked = blocked_by_clause.get(i)
            if blocked:
                hits, phrase_hits = _apply_exclusions(texts[i], tokens, hits, phrase_hits,
                                                      blocked)
            if hits and phrase_hits:
                phrase_hits = _absorb(texts[i], tokens, hits, phrase_hits)
            for tok, th in hits:
                for code, weight, surface in th:
                    found.setdefault(code, []).append((surface, weight, i))
            for _, _, surface, targets in phrase_hits:
                for code, weight in targets:
                    found.setdefault(code, []).append((surface, weight, i))
        out: dict[str, TopicHit] = {}
        thresholds = self.thresholds_
        for code in self.codes_:
            items = found.get(code)
            if not items:
                continue
            weights: dict[str, float] = {}
            for surface, weight, _ in items:
                if weight > weights.get(surface, 0.0):
                    weights[surface] = weight
            if sum(weights.values()) + 1e-9 < thresholds[code]:
                continue
            out[code] = TopicHit(tuple(weights), tuple(sorted({i for _, _, i in items})))
        return out

    def tag_text(self, text) -> dict[str, TopicHit]:
        """Normalise, split and segment ``text``, then :meth:`tag` it.

        Examples
        --------
        >>> tagger = TopicTagger().fit()
        >>> hits = tagger.tag_text("房间很干净，前台态度也好")
        >>> format_topics(hits), hits["service"].clauses
        ('quality|service', (1,))
        """
        from .normalize import normalize, split_clauses

        self._check_fitted()
        clauses = split_clauses(normalize(text))
        cut = self.segmenter_.cut
        return self.tag(clauses, [cut(c.text) for c in clauses])

    def transform(self, texts) -> "pandas.DataFrame":  # noqa: F821
        """Tag each text: a DataFrame with columns ``topics`` and ``evidence``.

        Parameters
        ----------
        texts : iterable of str
            Raw texts; None and NaN give empty cells.
        """
        import pandas as pd

        self._check_fitted()
        if isinstance(texts, str):
            raise TypeError("`texts` must be a list of texts, not one string; "
                            "wrap it in a list or use `tag_text`.")
        topics, evidence = [], []
        for text in texts:
            hits = self.tag_text(text)
            topics.append(format_topics(hits, self.codes_))
            evidence.append(format_evidence(hits, self.codes_))
        return pd.DataFrame({"topics": topics, "evidence": evidence})

    def fit_transform(self, X, y=None):
        """:meth:`fit`, then :meth:`transform` ``X``."""
        return self.fit().transform(X)

    def __getstate__(self):
        # The compiled matcher and the segmenter's tokenizer rebuild cheaply.
        state = self.__dict__.copy()
        state.pop("_compiled", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "topics_" in state:
            self._compiled = _Compiled(self.topics_, self.segmenter_)


def _token_spans(text, tokens) -> dict[str, list]:
    spans: dict[str, list] = {}
    pos = 0
    for tok in tokens:
        j = text.find(tok, pos)
        if j < 0:
            continue
        spans.setdefault(tok, []).append((j, j + len(tok)))
        pos = j + len(tok)
    return spans


def _absorb(text, tokens, hits, phrase_hits):
    """Drop a phrase's topic where it overlaps an as strong token match of that topic.

    不是假货 matches the word 假货 and the phrase 是假; the evidence is 假货.
    """
    token_codes = {code for _, th in hits for code, _, _ in th}
    if not any(c in token_codes for *_, targets in phrase_hits for c, _ in targets):
        return phrase_hits
    spans = _token_spans(text, tokens)
    covered = []
    for tok, th in hits:
        for start, end in spans.get(tok, ()):
            for code, weight, _ in th:
                covered.append((start, end, code, weight))
    out = []
    for start, end, surface, targets in phrase_hits:
        keep = tuple((c, w) for c, w in targets
                     if not any(c == cc and start < e and end > s and ww >= w
                                for s, e, cc, ww in covered))
        if keep:
            out.append((start, end, surface, keep))
    return out


def _by_clause(matches, starts) -> dict[int, list]:
    """Group ``(start, end, surface, targets)`` matches by clause, with clause offsets."""
    from bisect import bisect_right

    out: dict[int, list] = {}
    for start, end, surface, targets in matches:
        i = bisect_right(starts, start) - 1
        out.setdefault(i, []).append((start - starts[i], end - starts[i], surface, targets))
    return out


def _apply_exclusions(text, tokens, hits, phrase_hits, blocked):
    """Drop token and phrase matches that lie inside an excluded span of their topic."""
    def is_blocked(start, end, code):
        for b_start, b_end, _, codes in blocked:
            if start < b_end and end > b_start and code in codes:
                return True
        return False

    spans = _token_spans(text, tokens)
    kept_tokens = []
    for tok, th in hits:
        keep = []
        for code, weight, surface in th:
            ok = False
            for start, end in spans.get(tok, [(0, 0)]):
                offset = tok.find(surface)
                s = start + max(offset, 0)
                if not is_blocked(s, s + len(surface), code):
                    ok = True
            if ok:
                keep.append((code, weight, surface))
        if keep:
            kept_tokens.append((tok, tuple(keep)))
    kept_phrases = []
    for start, end, surface, targets in phrase_hits:
        keep = tuple((c, w) for c, w in targets if not is_blocked(start, end, c))
        if keep:
            kept_phrases.append((start, end, surface, keep))
    return kept_tokens, kept_phrases


# --- evaluation -------------------------------------------------------------------

def score_topics(gold: Iterable, predicted: Iterable, codes: Sequence[str] | None = None):
    """Per-topic precision, recall and F1 of ``predicted`` against ``gold``.

    Parameters
    ----------
    gold, predicted : iterables of str or list
        Topic sets per text, as ``a|b`` strings or lists of codes.
    codes : sequence of str, optional
        Topics to score, in order (default: the seven defaults plus any code
        seen in ``gold``).

    Returns
    -------
    pandas.DataFrame
        Index: the codes, then ``micro`` and ``macro``; columns ``precision``,
        ``recall``, ``f1``, ``support`` (gold texts with the topic), ``tp``,
        ``fp``, ``fn``.

    Examples
    --------
    >>> t = score_topics(["quality|trust", "price", ""], ["quality", "price|trust", ""],
    ...                  codes=["quality", "trust", "price"])
    >>> t.loc["trust", ["precision", "recall"]].tolist(), round(float(t.loc["micro", "f1"]), 3)
    ([0.0, 0.0], 0.667)
    """
    import pandas as pd

    gold_sets = [set(parse_topics(g) if not isinstance(g, (list, tuple, set)) else g)
                 for g in gold]
    pred_sets = [set(parse_topics(p) if not isinstance(p, (list, tuple, set)) else p)
                 for p in predicted]
    if len(gold_sets) != len(pred_sets):
        raise ValueError(f"`gold` has {len(gold_sets)} texts but `predicted` has "
                         f"{len(pred_sets)}; pass one topic set per text to both.")
    if codes is None:
        extra = sorted({c for g in gold_sets for c in g} - set(DEFAULT_CODES))
        codes = list(DEFAULT_CODES) + extra
    rows = {}
    totals = [0, 0, 0]
    for code in codes:
        tp = sum(1 for g, p in zip(gold_sets, pred_sets) if code in g and code in p)
        fp = sum(1 for g, p in zip(gold_sets, pred_sets) if code not in g and code in p)
        fn = sum(1 for g, p in zip(gold_sets, pred_sets) if code in g and code not in p)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        rows[code] = _prf(tp, fp, fn)
    table = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["precision", "recall", "f1", "support", "tp", "fp",
                                            "fn"])
    table.loc["micro"] = _prf(*totals)
    macro = table.loc[list(codes), ["precision", "recall", "f1"]].mean()
    table.loc["macro"] = [macro["precision"], macro["recall"], macro["f1"],
                          totals[0] + totals[2], totals[0], totals[1], totals[2]]
    for col in ("support", "tp", "fp", "fn"):
        table[col] = table[col].astype(int)
    return table


def _prf(tp: int, fp: int, fn: int) -> list:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return [precision, recall, f1, tp + fn, tp, fp, fn]

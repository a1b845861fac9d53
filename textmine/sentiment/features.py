"""Features of one clause, for training and for scoring with plain dict lookups.

A clause is described by three bags of string keys:

* **characters** of the clause text (好, 差, 烂 …, and emoji), those of a
  negated word negated with it (没有想象中差 → ¬差);
* **words**: the segmenter's tokens, except that after a negator (不, 没,
  没有, 别, 无 …) each following token of the clause becomes a negated key
  (``¬新鲜``), so 不踩雷 does not count 踩雷 against the text and the model
  learns what a negated word means; a second negator ends the scope
  (不是不好); a negation placed after what it denies negates the words
  between 一个/一点… and the 都/也 before it (一个坏的都没有 → ¬坏);
* **pairs** of adjacent tokens, written together (物流 + 太慢 → ``物流太慢``).

A degree word (非常, 太, 有点 … :data:`DEGREE`) adds no character or word key
of its own and scales those of the word after it, so 非常慢 is more negative
than 慢 and 有点慢 less.

Scoring is the hot path of the pipeline, run on the tokens it already has:
a clause costs one ``dict.get`` per character, token and token pair, all
inside ``map`` with no Python loop per key. Character 2- and 3-grams were
measured too: about 0.4 points more leave-one-category-out accuracy for three
times the cost, since most of their lookups miss the CPU cache (see
``models/sentiment.md``). Training and scoring share :func:`clause_keys`,
so a model scores a text exactly as it was trained on it.
"""

from __future__ import annotations

from itertools import repeat
from operator import add
from typing import NamedTuple

from ..memo import BoundedMemo

__all__ = ["NEGATORS", "NEGATED", "DEGREE", "AnalysedText", "TokenWeights", "analyse",
           "clause_keys", "clause_sum", "ClauseSums"]

#: Tokens that negate what follows them in the same clause.
NEGATORS = frozenset({
    "不", "没", "没有", "别", "无", "非", "未", "勿", "莫", "不是", "并不", "并非", "从不",
    "从没", "从未", "毫无", "不太", "不够", "不怎么", "不算", "不会", "不能", "没什么",
    "绝不", "决不", "一点也不", "一点都不", "都不", "也不", "不用", "不要", "甭",
    # Comparisons that deny what follows: 不如想象中好, 谈不上新鲜.
    "不如", "谈不上", "算不上", "称不上",
})
#: Prefix of a negated word key.
NEGATED = "¬"
# 一个/一点… (not one of) and the 都/也 that close a negation placed after what
# it denies: 一个坏的都没有, 一点异味也没有.
_ONE = frozenset({"一个", "一点", "一点儿", "一丝", "一粒", "一颗", "一只", "一块", "一片",
                  "一件", "一根", "一滴", "一处", "一口", "一股", "一条", "一张", "一瓶",
                  "一袋", "一盒", "一箱"})
_ALL_OF = frozenset({"都", "也"})
#: Degree words and how many times the keys of the word after them count:
#: 非常慢 counts 慢 one and a half times, 有点慢 half. The degree word adds no
#: key of its own, so it neither dilutes the clause nor colours it (非常 is
#: mostly seen before praise). Not inside a negation: 不太好 is milder than 不好.
DEGREE = {
    "非常": 1.5, "特别": 1.5, "十分": 1.5, "极其": 1.5, "超级": 1.5, "太": 1.5, "超": 1.5,
    "巨": 1.5, "贼": 1.5, "相当": 1.5, "格外": 1.5, "极": 1.5,
    "有点": 0.5, "有点儿": 0.5, "有些": 0.5, "稍微": 0.5, "稍": 0.5, "略": 0.5, "略微": 0.5,
}
_DEGREE_WORDS = frozenset(DEGREE)
_NOT_SCALED = NEGATORS | _DEGREE_WORDS  # what a degree word before it does not scale


class AnalysedText(NamedTuple):
    """A normalised text with its clauses and each clause's tokens.

    This is what the scoring pipeline has already computed for a document;
    training builds the same thing with :func:`analyse`.
    """

    text: str
    clauses: list
    tokens: list


def analyse(text, segmenter, normalize_options=None) -> AnalysedText:
    """Normalise ``text``, split it into clauses and segment each clause.

    Parameters
    ----------
    text : str
        A raw comment, review or article.
    segmenter : textmine.segment.Segmenter
        The segmenter whose tokens the model sees.
    normalize_options : dict, optional
        Keyword arguments for :func:`textmine.normalize.normalize`.

    Examples
    --------
    >>> from textmine.segment import Segmenter
    >>> doc = analyse("質量不錯，但是物流太慢了", Segmenter())
    >>> [c.text for c in doc.clauses]
    ['质量不错', '但是物流太慢了']
    >>> doc.tokens[1]
    ['但是', '物流', '太慢', '了']
    """
    from ..normalize import normalize, split_clauses

    norm = normalize(text, **(normalize_options or {}))
    clauses = split_clauses(norm)
    return AnalysedText(norm, clauses, [segmenter.cut(c.text) for c in clauses])


def _scoped(tokens) -> list[str]:
    # From a negator to the end of the clause, a word is replaced by its negated
    # key; a second negator (不是不好) ends the scope. A negation placed after
    # what it denies, 一个坏的都没有 or 一点腥味也没有, negates the words between
    # the 一个/一点… and the 都/也.
    out = []
    on = False
    one = None  # where the words after the last 一个/一点… start in ``out``
    for t in tokens:
        if t in NEGATORS:
            if not on and one is not None and len(out) > one + 1 and out[-1] in _ALL_OF:
                out[one:-1] = [w if w in NEGATORS else NEGATED + w for w in out[one:-1]]
                one = None
            on = not on
            out.append(t)
        else:
            out.append(NEGATED + t if on else t)
            if t in _ONE and not on:
                one = len(out)
    return out


def _scoped_chars(scoped) -> list[str]:
    # The characters of negated words are negated too (没有想象中差: ¬差), so
    # that 差 inside a negation does not count as 差.
    out = []
    for t in scoped:
        if t[0] == NEGATED and len(t) > 1:
            out.extend([NEGATED + ch for ch in t[1:]])
        else:
            out.extend(t)
    return out


def _degrees(words) -> list[float] | None:
    # Per word, how many times its keys count; None when no degree word applies.
    if _DEGREE_WORDS.isdisjoint(words):
        return None
    times = [1.0] * len(words)
    for i in range(len(words) - 1):
        d = DEGREE.get(words[i])
        if d is not None and times[i] == 1.0 and words[i + 1] not in _NOT_SCALED:
            times[i], times[i + 1] = 0.0, d
    return times


def clause_keys(tokens) -> tuple[list[str], list[str], list[str], list[float], list[float]]:
    """Return the character, word and pair keys of one clause, and the weights of the first two.

    The characters are those of the tokens (the clause without whitespace).
    A key weighs 1, except around a degree word (:data:`DEGREE`).

    Examples
    --------
    >>> clause_keys(["不", "新鲜"])[:3]
    (['不', '¬新', '¬鲜'], ['不', '¬新鲜'], ['不新鲜'])
    >>> clause_keys(["非常", "慢"])
    (['非', '常', '慢'], ['非常', '慢'], ['非常慢'], [0.0, 0.0, 1.5], [0.0, 1.5])
    """
    words = list(tokens)
    pairs = list(map(add, words, words[1:]))
    if not NEGATORS.isdisjoint(words):
        words = _scoped(words)
        chars = _scoped_chars(words)
    else:
        chars = [ch for w in words for ch in w]
    times = _degrees(words)
    if times is None:
        return chars, words, pairs, [1.0] * len(chars), [1.0] * len(words)
    char_times = [t for w, t in zip(words, times)
                  for _ in range(len(w) - 1 if w[0] == NEGATED and len(w) > 1 else len(w))]
    return chars, words, pairs, char_times, times


_ZERO = repeat(0.0)


class TokenWeights(BoundedMemo):
    """Token → its word weight plus the weights of its characters, filled on first use.

    A clause's character and word keys are exactly the tokens' words and
    their characters, so scoring needs one lookup per token instead of one
    per character and one per word. At most ``limit`` tokens are remembered;
    others are computed each time.
    """

    def __init__(self, char_get, word_get, limit: int = 300_000):
        super().__init__(self._weight, limit)
        self._char_get = char_get
        self._word_get = word_get

    def _weight(self, token: str) -> float:
        if token[0] == NEGATED and len(token) > 1:
            chars = map(NEGATED.__add__, token[1:])
        else:
            chars = token
        return self._word_get(token, 0.0) + sum(map(self._char_get, chars, _ZERO))


def clause_sum(tokens, token_weights: TokenWeights, pair_get) -> tuple[float, int]:
    """Sum the weights of a clause's keys; return ``(sum, number of keys)``.

    ``token_weights`` gives each (possibly negated) token its word and
    character weights; ``pair_get`` is the ``get`` of the pair table. Keys the
    model does not know weigh nothing but still count towards the length
    normalisation, exactly as in training.
    """
    if not tokens:
        return 0.0, 0
    words = tokens if NEGATORS.isdisjoint(tokens) else _scoped(tokens)
    pair_sum = sum(map(pair_get, map(add, tokens, tokens[1:]), _ZERO))
    times = _degrees(words)
    if times is None:
        return (sum(map(token_weights.__getitem__, words)) + pair_sum,
                sum(map(len, tokens)) + 2 * len(tokens) - 1)
    # A degree word's own keys are not counted; the next word's count ``times``.
    total = sum(t * token_weights[w] for w, t in zip(words, times) if t) + pair_sum
    kept_tokens = [token for token, t in zip(tokens, times) if t]
    return total, sum(map(len, kept_tokens)) + len(kept_tokens) + len(tokens) - 1


class ClauseSums(BoundedMemo):
    """Tokens of a clause (a tuple) → :func:`clause_sum`, filled on first use.

    Short clauses repeat a great deal in comment streams (好评, 物流很快); at
    most ``limit`` of them are remembered, and only those of up to
    ``max_tokens`` tokens.
    """

    def __init__(self, token_weights: TokenWeights, pair_get, limit: int = 100_000,
                 max_tokens: int = 12):
        super().__init__(self._sum, limit, keep=lambda tokens: len(tokens) <= max_tokens)
        self._token_weights = token_weights
        self._pair_get = pair_get

    def _sum(self, tokens: tuple) -> tuple[float, int]:
        return clause_sum(tokens, self._token_weights, self._pair_get)

"""Sentiment labels: reading them from user tables, and the pos/neg/neu rule.

The rule that turns scores into ``pos``, ``neg`` or ``neu`` is shared by all
backends; see :func:`label_document`.
"""

from __future__ import annotations

import functools
import math
import re

__all__ = ["LABELS", "parse_labels", "binary_targets", "is_question", "is_polar_question",
           "asks", "label_document",
           "OPINION_MARGIN", "QUESTION_MARGIN", "BALANCE_BAND"]

#: The three labels, in the order of confusion matrices.
LABELS = ("neg", "neu", "pos")

_ALIASES = {
    "pos": "pos", "positive": "pos", "正面": "pos", "积极": "pos", "正向": "pos", "好评": "pos",
    "neg": "neg", "negative": "neg", "负面": "neg", "消极": "neg", "负向": "neg", "差评": "neg",
    "neu": "neu", "neutral": "neu", "中性": "neu", "中立": "neu", "中评": "neu",
    "true": "pos", "false": "neg",
}


def parse_labels(values, *, column: str | None = None, path=None) -> list[str]:
    """Read gold labels written as 0/1, -1/0/1, pos/neg/neu or 正面/负面/中性.

    Numbers: with only 0 and 1, 1 is positive and 0 negative; when -1 occurs,
    -1/0/1 mean negative/neutral/positive. Case and surrounding spaces are
    ignored; ``"1.0"`` (how spreadsheets often store 1) is 1.

    Raises
    ------
    textmine.errors.InputError
        For a value that is none of these, naming its row (1-based, header
        not counted) and the accepted spellings.

    Examples
    --------
    >>> parse_labels(["1", "0", "1.0"])
    ['pos', 'neg', 'pos']
    >>> parse_labels(["-1", "0", "1"])
    ['neg', 'neu', 'pos']
    >>> parse_labels(["正面", "负面", "中性", "POS"])
    ['pos', 'neg', 'neu', 'pos']
    """
    values = list(values)
    numbers: dict[int, int] = {}
    words: dict[int, str] = {}
    for i, v in enumerate(values):
        text = "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()
        key = text.lower()
        if key in _ALIASES:
            words[i] = _ALIASES[key]
            continue
        try:
            number = float(key)
        except ValueError:
            number = math.nan
        if number in (-1.0, 0.0, 1.0):
            numbers[i] = int(number)
            continue
        from ..errors import InputError

        raise InputError(
            f"label {text!r} (data row {i + 1}) is not a sentiment label; use 1/0 "
            "(positive/negative), -1/0/1 (negative/neutral/positive), pos/neg/neu "
            "or 正面/负面/中性", path=path, column=column)
    three_way = -1 in numbers.values()
    names = {1: "pos", 0: "neu" if three_way else "neg", -1: "neg"}
    return [words[i] if i in words else names[numbers[i]] for i in range(len(values))]


def binary_targets(y) -> list[int]:
    """Return 1 for positive and 0 for negative labels; ``neu`` is refused.

    Raises
    ------
    ValueError
        When a label is neutral: the model learns positive against negative,
        so drop neutral rows first (``textmine train`` does).

    Examples
    --------
    >>> binary_targets([1, 0, "pos", "负面"])
    [1, 0, 1, 0]
    """
    labels = parse_labels(y)
    if "neu" in labels:
        raise ValueError(
            f"{labels.count('neu')} labels are neutral; the sentiment model learns positive "
            "against negative only, so drop the neutral rows before fitting")
    return [1 if label == "pos" else 0 for label in labels]


# --- the pos / neg / neu rule ---------------------------------------------------

#: A clause (or document) states an opinion when its probability differs from
#: that of a text without opinion words by at least this much on the logit scale.
OPINION_MARGIN = 0.75
#: A question must differ by this much to count as an opinion (这种垃圾还有人买？);
#: plain questions (多少钱一斤？) do not.
QUESTION_MARGIN = 3.0
#: A text whose clauses disagree is ``neu`` when its probability lies in this band.
#: (The three settings: the best of 72 in ``benchmarks/neutral.py``.)
BALANCE_BAND = (0.4, 0.6)

_QUESTION_END = ("吗", "么", "呢", "嘛")
_QUESTION_WORDS = re.compile(
    r"多少|多久|多大|多重|多长|几[号点天个斤克件月日时次钱]|什么|哪|怎么样|咋样|如何|是否|"
    r"有没有|有木有|能不能|可不可以|可以不|会不会|是不是|要不要|还是.{1,6}$|请问")


_A_NOT_A = re.compile(r"(.)[不没]\1")  # 甜不甜, 是不是, 有没有, 可不可以
_NOT_ASKING = ("什么", "怎么", "这么", "那么", "多么")


def is_polar_question(clause) -> bool:
    """True for a yes/no question: a final 吗, or X不X / X没X (甜吗, 甜不甜, 是不是正品).

    Such a question names a quality without claiming it, so 好吃吗？ and
    新鲜吗 are not praise however positive their words score.

    Examples
    --------
    >>> from textmine.normalize import split_clauses
    >>> [is_polar_question(c) for c in split_clauses("好吃吗,甜不甜,为什么这么贵,真好吃")]
    [True, True, False, False]
    """
    text = clause.text
    if text.endswith(("吗", "么")):
        return not text.endswith(_NOT_ASKING)
    return ("不" in text or "没" in text) and _A_NOT_A.search(text) is not None


def asks(prob: float, clause, neutral: float = 0.5,
         opinion_margin: float = OPINION_MARGIN) -> bool:
    """True for a yes/no question that leans positive, which states no opinion (好吃吗？).

    ``prob`` is the clause's probability and ``neutral`` the backend's for a
    text without opinion, as in :func:`label_document`.
    """
    return prob > _cuts(neutral, opinion_margin, QUESTION_MARGIN)[1] and is_polar_question(clause)


def is_question(clause) -> bool:
    """True when a clause asks something: a ``?``, a final 吗/呢, or 多少/几号/什么/有没有….

    Examples
    --------
    >>> from textmine.normalize import split_clauses
    >>> [is_question(c) for c in split_clauses("包邮吗,发新疆吗。蜂蜜保质期多久,味道很好")]
    [True, True, True, False]
    """
    text = clause.text
    return clause.question or text.endswith(_QUESTION_END) or bool(_QUESTION_WORDS.search(text))


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def label_document(prob: float, clause_probs, clauses, neutral: float = 0.5, *,
                   opinion_margin: float = OPINION_MARGIN,
                   question_margin: float = QUESTION_MARGIN,
                   balance_band: tuple = BALANCE_BAND) -> str:
    """Label a scored document ``pos``, ``neg`` or ``neu``.

    Shifts are measured on the logit scale from ``neutral``, the probability
    the backend gives a text without any opinion word. The rule:

    1. A document *states an opinion* when one of its clauses is at least
       :data:`OPINION_MARGIN` logits away from ``neutral``, or the whole
       document is (weak clauses that add up). A question needs
       :data:`QUESTION_MARGIN`, and so does a document made only of questions:
       a strongly worded rhetorical question gets there, 多少钱一斤？ and
       什么时候发货？ do not. A yes/no question (:func:`is_polar_question`)
       that leans positive states no opinion at all: 好吃吗？ asks, it does
       not praise. One that leans negative needs the question margin (这也叫
       新鲜吗？ is a complaint).
    2. No opinion (questions, logistics facts, greetings): ``neu``.
    3. Clauses on both sides, each at least :data:`OPINION_MARGIN` away, and a
       document probability inside :data:`BALANCE_BAND` (好吃是好吃，就是太贵了):
       ``neu``. A contrast clause already outweighs what it contradicts in
       the probability, so 质量不错，但是物流太慢了 stays ``neg``.
    4. Otherwise ``pos`` when ``prob >= 0.5``, else ``neg``.

    Parameters
    ----------
    prob : float
        Probability that the document is positive.
    clause_probs : sequence of float
        Each clause's own probability.
    clauses : sequence of textmine.normalize.Clause
        The clauses, for the question test.
    neutral : float
        The probability the backend gives an opinion-free text.
    opinion_margin, question_margin, balance_band
        The rule's settings (defaults: the module constants), for measuring
        other settings (``benchmarks/neutral.py``).

    Examples
    --------
    >>> from textmine.normalize import split_clauses
    >>> label_document(0.3, [0.3], split_clauses("什么时候发货?"), neutral=0.5)
    'neu'
    >>> label_document(0.2, [0.9, 0.1], split_clauses("质量不错,但是物流太慢了"))
    'neg'
    >>> label_document(0.5, [0.9, 0.1], split_clauses("好吃是好吃,就是太贵了"))
    'neu'
    """
    q_lo, o_lo, o_hi, q_hi = _cuts(neutral, opinion_margin, question_margin)
    for p, clause in zip(clause_probs, clauses):  # only yes/no questions that lean positive?
        if p <= o_lo or not is_polar_question(clause):
            break
    else:
        if clause_probs:
            return "neu"
    if q_lo < prob < q_hi and not _states_opinion(prob, clause_probs, clauses,
                                                 (q_lo, o_lo, o_hi, q_hi)):
        return "neu"
    if (balance_band[0] < prob < balance_band[1] and clause_probs
            and max(clause_probs) >= o_hi and min(clause_probs) <= o_lo):
        return "neu"
    return "pos" if prob >= 0.5 else "neg"


@functools.lru_cache(maxsize=64)
def _cuts(neutral: float, opinion: float, question: float) -> tuple:
    """Probabilities ``question`` and ``opinion`` logits below and above ``neutral``."""
    base = _logit(neutral)
    return tuple(1.0 / (1.0 + math.exp(-(base + m))) for m in (-question, -opinion, opinion,
                                                                 question))


def _states_opinion(prob: float, clause_probs, clauses, cuts) -> bool:
    # A statement clause far enough from neutral, or several weaker ones that
    # together move the document; questions need QUESTION_MARGIN on their own.
    # (Compared as probabilities: the logit is monotonic, and this is per clause.)
    # A yes/no question that leans positive asks about praise and states none
    # (好吃吗？); one that leans negative is often a complaint (这也叫新鲜吗？).
    q_lo, o_lo, o_hi, q_hi = cuts
    for p, clause in zip(clause_probs, clauses):
        counts = p >= q_hi or p <= q_lo or ((p >= o_hi or p <= o_lo) and not is_question(clause))
        if counts and not (p > o_lo and is_polar_question(clause)):
            return True
    return (prob >= o_hi or prob <= o_lo) and not all(map(is_question, clauses))

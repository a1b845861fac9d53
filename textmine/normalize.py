"""Clean comment and article text before segmentation, and split it into clauses.

Normalisation makes the same opinion look the same however it was typed:
traditional characters become simplified (OpenCC), full-width letters and
digits become half-width (NFKC), URLs and @mentions go, #hashtags keep their
words, and runs such as 哈哈哈哈哈 or !!!!! are folded. Emoji stay: 👍 and 😡
carry sentiment (see ``textmine/data/emoji.toml``).

Clauses are the unit of sentiment: 质量不错，但是物流太慢了 is two opinions,
and the second one, introduced by a contrast word, is the one that counts.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "Clause",
    "normalize",
    "split_sentences",
    "split_clauses",
    "is_analysable",
    "emoji_lexicon",
]

_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufeff\u200b-\u200f\u2028\u2029\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？]+|[\w.+-]+@[\w-]+\.[\w.-]+", re.IGNORECASE)
_MENTION = re.compile(r"@[^\s@,，。.!！?？:：;；、]{1,20}")
_HASHTAG_PAIR = re.compile(r"#([^#\n]{1,40})#")
_HASHTAG = re.compile(r"#([^\s#,，。.!！?？:：;；、]{1,30})")
_PUNCT_RUN = re.compile(r"([!?,.;:~，。！？；：、…·\-—_=*+/\\|<>^`'\"])\1+")
# One character or a pair repeated three times or more (哈哈哈哈, 冲鸭冲鸭冲鸭); not digits.
_REPEAT_RUN = re.compile(r"([^\d\s]{1,2}?)\1{2,}")
# What every such run contains (X X X, or A?A?A): a search four times cheaper
# than the fold itself, which most texts do not need.
_REPEAT_HINT = re.compile(r"(.)(?:\1\1|.\1.\1)", re.DOTALL)
_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0]+")
_NEWLINES = re.compile(r" ?\n[\s]*")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

_OPTIONS = {
    "urls": ("remove", "tag", "keep"),
    "mentions": ("remove", "tag", "keep"),
    "hashtags": ("text", "remove", "keep"),
}


@functools.lru_cache(maxsize=1)
def _t2s():
    """OpenCC's traditional→simplified converter, built on first use."""
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _traditional_pattern() -> re.Pattern:
    """A character class of what OpenCC changes on its own: a text with none of
    them is left as is.

    One regex search is far cheaper than a conversion call (or a set test per
    character), and most comments are already simplified.
    """
    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
    chars = [chr(c) for a, b in ranges for c in range(a, b + 1)]
    converted = _t2s().convert("\n".join(chars)).split("\n")
    return re.compile("[" + "".join(re.escape(c) for c, s in zip(chars, converted) if c != s) + "]")


@functools.lru_cache(maxsize=1)
def emoji_lexicon() -> dict[str, tuple[str, int]]:
    """Map each sentiment-bearing emoji to ``(word, polarity)``; +1 positive, -1 negative."""
    from .resources import data_path, read_toml

    table = read_toml(data_path("emoji.toml"))
    out: dict[str, tuple[str, int]] = {}
    for section, sign in (("positive", 1), ("negative", -1)):
        for key, word in table.get(section, {}).items():
            out[key] = (word, sign)
    return out


@functools.lru_cache(maxsize=1)
def _emoji_chars() -> frozenset:
    return frozenset(k for k in emoji_lexicon() if len(k) == 1)


@functools.lru_cache(maxsize=1)
def _emoji_sequences() -> re.Pattern:
    """The lexicon's keys of several characters ([赞], 666); a number only as a whole
    run of digits, so that 1666 or a price of 6666 is not slang."""
    keys = sorted((k for k in emoji_lexicon() if len(k) > 1), key=len, reverse=True)
    parts = [rf"(?<![\d.]){re.escape(k)}(?!\.?\d)" if k.isdigit() else re.escape(k)
             for k in keys]
    return re.compile("|".join(parts) or r"(?!)")


def _check_option(name: str, value: str) -> None:
    if value not in _OPTIONS[name]:
        raise ValueError(
            f"`{name}` value = {value!r} is invalid; value must be one of {list(_OPTIONS[name])}."
        )


def normalize(
    text,
    *,
    simplified: bool = True,
    lowercase: bool = True,
    urls: str = "remove",
    mentions: str = "remove",
    hashtags: str = "text",
    fold_repeats: bool = True,
) -> str:
    """Return ``text`` cleaned for segmentation; ``None``/NaN become ``""``.

    Parameters
    ----------
    text : str or None
        Raw comment or article text. Non-strings are converted with ``str``.
    simplified : bool
        Convert traditional to simplified characters (OpenCC ``t2s``).
    lowercase : bool
        Lower-case Latin letters, so YYDS and yyds are one word.
    urls, mentions : {"remove", "tag", "keep"}
        Drop them, replace them with the words ``url`` / ``mention``, or keep them.
    hashtags : {"text", "remove", "keep"}
        ``text`` keeps the words of ``#县长直播#`` without the ``#``.
    fold_repeats : bool
        Fold 哈哈哈哈哈 to 哈哈 and !!!!! to !; digit runs (10000) are left alone.

    Examples
    --------
    >>> normalize("品質很好，會回購！！！")
    '品质很好,会回购!'
    >>> normalize("哈哈哈哈哈 @小王 https://t.cn/abc #城步蜂蜜# 👍👍👍")
    '哈哈 城步蜂蜜 👍👍'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    if not isinstance(text, str):
        text = str(text)
    for name, value in (("urls", urls), ("mentions", mentions), ("hashtags", hashtags)):
        _check_option(name, value)
    # Each step runs only when a cheap test says it can change something:
    # this function sees every comment, and most comments are short.
    text = _JUNK.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if urls != "keep" and ("://" in text or "www." in text or "@" in text):
        text = _URL.sub(" url " if urls == "tag" else " ", text)
    if mentions != "keep" and "@" in text:
        text = _MENTION.sub(" mention " if mentions == "tag" else " ", text)
    if hashtags != "keep" and "#" in text:
        repl = r" \1 " if hashtags == "text" else " "
        text = _HASHTAG_PAIR.sub(repl, text)
        text = _HASHTAG.sub(repl, text)
    if simplified and not text.isascii() and _traditional_pattern().search(text):
        text = _t2s().convert(text)
    if lowercase:
        text = text.lower()
    if fold_repeats:
        if _PUNCT_RUN.search(text):  # one comment in eight: the search is 4× cheaper than sub
            text = _PUNCT_RUN.sub(r"\1", text)
        if _REPEAT_HINT.search(text):
            text = _REPEAT_RUN.sub(r"\1\1", text)
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\u3000" in text \
            or "\xa0" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
        text = _NEWLINES.sub("\n", text)
    return text.strip()


def is_analysable(text: str) -> bool:
    """True when normalised ``text`` has something to analyse.

    That is a CJK character, a Latin word of two or more letters, or a
    sentiment-bearing emoji or number (a comment of only 👍👍 or 666 is an
    opinion).
    """
    if not text:
        return False
    if _CJK.search(text) or _LATIN_WORD.search(text):
        return True
    emoji = _emoji_chars()
    if any(ch in emoji for ch in text):
        return True
    return _emoji_sequences().search(text) is not None


# --- sentences and clauses -------------------------------------------------

_SENTENCE_END = "。!?;…\n"
# A clause ends at a comma-like mark, or at a space between two CJK characters
# (many comments separate clauses with spaces instead of commas). Every branch
# starts with the mark itself and looks behind only after it (\.(?<!\d\.) is
# (?<!\d)\.), so that the engine can skip to the next candidate mark in C.
_BOUNDARY = re.compile(
    r"([。!?;…\n]+|\.(?<!\d\.)\.*|\.(?!\d)|\.{2,}|[,、:~]+"
    r"| (?<=[\u4e00-\u9fff] ) *(?=[\u4e00-\u9fff]))"
)
_INLINE_CONTRAST = re.compile(r"(?<=[^\s,，]{2})(?=但是|可是|然而)")
_CONTRAST_STARTS = ("但是", "可是", "不过", "然而", "只是", "就是", "可惜", "无奈", "偏偏", "但")
_CONTRAST_EXCEPT = ("但愿", "但凡", "就是说", "不过如此")
_CONCESSION_STARTS = ("虽然", "虽说", "尽管", "固然", "虽")


class Clause(NamedTuple):
    """One clause of a normalised text.

    ``role`` is ``"contrast"`` for a clause introduced by 但是/可是/不过/就是…
    (or containing 却), ``"concession"`` for 虽然/尽管…, else ``""``.
    ``question`` is True when the clause's sentence ends with a question mark.
    """

    text: str
    start: int
    end: int
    sentence: int
    role: str = ""
    question: bool = False


# Clause(...) without the Python-level __new__ a NamedTuple adds (all fields given).
_new_clause = tuple.__new__
# The first characters of the words that give a clause a role: a clause
# starting with none of them (and without 却) has none, with no further test.
_ROLE_FIRST = frozenset(w[0] for w in _CONTRAST_STARTS + _CONCESSION_STARTS)


def _role(clause: str, first: bool) -> str:
    if clause[0] not in _ROLE_FIRST and "却" not in clause:
        return ""
    if clause.startswith(_CONCESSION_STARTS) and not clause.startswith("虽然说"):
        return "concession"
    if first:
        return ""
    if clause.startswith(_CONTRAST_STARTS) and not clause.startswith(_CONTRAST_EXCEPT):
        return "contrast"
    if "却" in clause:
        return "contrast"
    return ""


def split_clauses(text: str) -> list[Clause]:
    """Split normalised ``text`` into clauses, keeping offsets and roles.

    Examples
    --------
    >>> [(c.text, c.role) for c in split_clauses("质量不错,但是物流太慢了")]
    [('质量不错', ''), ('但是物流太慢了', 'contrast')]
    >>> [c.text for c in split_clauses("虽然贵 但是好吃。什么时候发货?")]
    ['虽然贵', '但是好吃', '什么时候发货']
    >>> split_clauses("什么时候发货?")[0].question
    True
    """
    # re.split with a capturing group alternates text and separator, in C.
    parts = _BOUNDARY.split(text)
    clauses: list[Clause] = []
    sentence = 0
    sentence_first = 0
    pos = 0
    n_parts = len(parts)
    for i in range(0, n_parts, 2):
        segment = parts[i]
        if segment and not segment.isspace():
            if "但是" in segment or "可是" in segment or "然而" in segment:
                _add_contrast_segment(segment, pos, sentence, clauses)
            else:  # the common case: one clause
                stripped = segment.strip()
                offset = pos
                if len(stripped) != len(segment):
                    offset += len(segment) - len(segment.lstrip())
                clauses.append(_new_clause(Clause, (stripped, offset, offset + len(stripped),
                                                    sentence, _role(stripped, not clauses),
                                                    False)))
        pos += len(segment)
        if i + 1 < n_parts:
            mark = parts[i + 1]
            pos += len(mark)
            if mark[0] in _SENTENCE_END or mark[0] == ".":
                if "?" in mark:
                    for j in range(sentence_first, len(clauses)):
                        clauses[j] = clauses[j]._replace(question=True)
                sentence += 1
                sentence_first = len(clauses)
    return clauses


def _add_contrast_segment(segment: str, start: int, sentence: int, out: list[Clause]) -> None:
    # A segment with 但是/可是/然而 inside: a clause starts at each of them.
    cuts = [0] + [m.start() for m in _INLINE_CONTRAST.finditer(segment)] + [len(segment)]
    for a, b in zip(cuts, cuts[1:]):
        piece = segment[a:b]
        stripped = piece.strip()
        if not stripped:
            continue
        offset = start + a + (len(piece) - len(piece.lstrip()))
        out.append(Clause(stripped, offset, offset + len(stripped), sentence,
                          _role(stripped, first=not out)))


def split_sentences(text: str) -> list[str]:
    """Split normalised ``text`` into sentences (on 。!?;… and newlines).

    Examples
    --------
    >>> split_sentences("很好吃,会回购。物流太慢了!还行")
    ['很好吃,会回购', '物流太慢了', '还行']
    """
    clauses = split_clauses(text)
    if not clauses:
        return []
    out: list[str] = []
    current = None
    start = end = 0
    for c in clauses:
        if c.sentence != current:
            if current is not None:
                out.append(text[start:end])
            current, start = c.sentence, c.start
        end = c.end
    out.append(text[start:end])
    return out

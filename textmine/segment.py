"""Word segmentation with jieba, tuned for live-commerce and county-product text.

Each :class:`Segmenter` owns a private ``jieba.Tokenizer``: jieba's module-level
default tokenizer is never touched, so two segmenters with different
dictionaries can live in one process and importing textmine changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .resources import data_path, read_lines

__all__ = ["Segmenter", "domain_terms"]

_USERDICT_LINE = re.compile(r"^(?P<word>.+?)(?:\s+(?P<freq>\d+))?(?:\s+(?P<tag>[A-Za-z]+))?$")
_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")


def _parse_userdict(lines: Iterable[str], source: str) -> list[tuple[str, int | None, str | None]]:
    entries = []
    for number, line in enumerate(lines, 1):
        m = _USERDICT_LINE.match(line)
        if not m:  # pragma: no cover - the pattern accepts any non-blank line
            from .errors import InputError

            raise InputError("not a `word freq tag` dictionary line", path=source, line=number)
        freq = m.group("freq")
        entries.append((m.group("word").strip(), int(freq) if freq else None, m.group("tag")))
    return entries


def domain_terms() -> list[str]:
    """The words of the bundled live-commerce domain dictionary."""
    return [w for w, _, _ in _parse_userdict(read_lines(data_path("domain_dict.txt")), "domain_dict.txt")]


class Segmenter:
    """Segment Chinese text into words with a private jieba tokenizer.

    Parameters
    ----------
    user_dict : str, Path or list of them, optional
        Extra dictionaries in jieba's ``word freq tag`` format (freq and tag
        optional; lines starting with ``#`` are comments).
    stopwords : str or Path, optional
        A stop-word file replacing the bundled list (one word per line).
    extra_stopwords : iterable of str, optional
        Words added to the stop-word list.
    domain_dict : bool
        Load the bundled live-commerce dictionary (社交电商, 直播带货, 银球茶 …).
    hmm : bool
        Let jieba guess unknown words with its HMM (slower, better recall).

    Examples
    --------
    >>> seg = Segmenter()
    >>> seg.cut("头部网红直播带货")
    ['头部网红', '直播带货']
    >>> seg.words("这个蜂蜜的质量非常好")
    ['蜂蜜', '质量', '非常', '好']
    """

    def __init__(self, user_dict=None, stopwords=None, extra_stopwords=None,
                 domain_dict: bool = True, hmm: bool = True):
        self.user_dict = user_dict
        self.stopwords = stopwords
        self.extra_stopwords = extra_stopwords
        self.domain_dict = domain_dict
        self.hmm = hmm
        self._tokenizer = None
        self._fast = None
        self._stopwords = None

    # Loading is lazy so that building a Segmenter (or a Pipeline) is free.
    @property
    def tokenizer(self):
        """The private ``jieba.Tokenizer``, initialised with all dictionaries on first use."""
        if self._tokenizer is None:
            import jieba

            from .dictcache import initialize

            tok = jieba.Tokenizer()
            initialize(tok)
            if self.domain_dict:
                self._load(tok, read_lines(data_path("domain_dict.txt")), "domain_dict.txt")
            for path in self._user_dict_paths():
                self._load(tok, read_lines(path), str(path))
            self._tokenizer = tok
        return self._tokenizer

    def _user_dict_paths(self) -> list[Path]:
        if self.user_dict is None:
            return []
        paths = [self.user_dict] if isinstance(self.user_dict, (str, Path)) else list(self.user_dict)
        out = []
        for p in paths:
            p = Path(p)
            if not p.is_file():
                from .errors import InputError

                raise InputError("user dictionary not found; pass a `word freq tag` text file",
                                 path=p)
            out.append(p)
        return out

    @staticmethod
    def _load(tok, lines, source: str) -> None:
        for word, freq, tag in _parse_userdict(lines, source):
            tok.add_word(word, freq, tag)

    @property
    def stopword_set(self) -> frozenset:
        """The stop words in use (bundled or given, plus ``extra_stopwords``)."""
        if self._stopwords is None:
            source = self.stopwords if self.stopwords is not None else data_path("stopwords.txt")
            words = set(read_lines(source))
            words.update(self.extra_stopwords or ())
            self._stopwords = frozenset(words)
        return self._stopwords

    def cut(self, text: str) -> list[str]:
        """All tokens of ``text`` except whitespace, in order (jieba's accurate mode)."""
        fast = self._fast
        if fast is None:
            from .fastcut import FastCut

            fast = self._fast = FastCut(self.tokenizer, hmm=self.hmm, spaces=False)
        return fast.cut(text)

    def is_content(self, token: str) -> bool:
        """True for a token that is neither a stop word nor punctuation."""
        return token not in self.stopword_set and not _PUNCT_OR_SPACE.match(token)

    def words(self, text: str) -> list[str]:
        """Content words of ``text``: tokens without stop words and punctuation."""
        return [t for t in self.cut(text) if self.is_content(t)]

    def __getstate__(self):
        # A jieba tokenizer is large and rebuilt cheaply: send only parameters
        # to worker processes.
        state = self.__dict__.copy()
        state["_tokenizer"] = None
        state["_fast"] = None
        state["_stopwords"] = None
        return state

    def _params(self) -> tuple:
        return (repr(self.user_dict), repr(self.stopwords), repr(self.extra_stopwords),
                self.domain_dict, self.hmm)

    def __eq__(self, other) -> bool:
        # Two segmenters with the same parameters cut text the same way; this
        # lets scikit-learn's clone() and get_params() comparisons work.
        return isinstance(other, Segmenter) and self._params() == other._params()

    def __hash__(self) -> int:
        return hash(self._params())

    def __repr__(self) -> str:
        return (f"Segmenter(user_dict={self.user_dict!r}, domain_dict={self.domain_dict}, "
                f"hmm={self.hmm})")

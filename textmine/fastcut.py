"""jieba's accurate-mode segmentation, computed with fewer Python operations.

:class:`FastCut` reads a loaded ``jieba.Tokenizer``'s dictionary and returns
exactly the tokens ``Tokenizer.cut(text, HMM=...)`` returns (a test checks this
on the shared review corpus, the seed article and random text), about twice as
fast: jieba builds a DAG dict of lists and then a route dict of tuples with one
generator per character; here one backward pass over each block finds the best
route with plain lists. Runs of characters the dictionary does not join go to
jieba's HMM (its own probabilities, the same Viterbi path) through a loop
that keeps back-pointers instead of copying every path at every character,
and its results, which repeat a great deal (还行, 绝绝子, 蚌埠住了), are
remembered.
"""

from __future__ import annotations

import re
from itertools import repeat
from math import log

from .memo import BoundedMemo

__all__ = ["FastCut"]

# jieba's own block patterns (jieba.re_han_default, jieba.re_skip_default).
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_RE_SKIP = re.compile("(\r\n|\\s)")
_RE_ENG = re.compile("[a-zA-Z0-9]")
# jieba.finalseg's block patterns.
_RE_HMM_HAN = re.compile("([\u4E00-\u9FD5]+)")
_RE_HMM_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_HMM_CACHE_MAX = 100_000
_STATE_INDEX = {"B": 0, "M": 1, "E": 2, "S": 3}


class FastCut:
    """Accurate-mode jieba segmentation over ``tokenizer``'s dictionary.

    Words added to ``tokenizer`` later (``add_word``) are seen on the next
    cut, as with jieba. With ``spaces=False`` the whitespace tokens are left
    out.
    """

    def __init__(self, tokenizer, hmm: bool = True, spaces: bool = True):
        import jieba.finalseg

        tokenizer.check_initialized()
        self.tokenizer = tokenizer
        self.freq = tokenizer.FREQ
        self._total = tokenizer.total
        self.logtotal = log(self._total)
        self.hmm = hmm
        self.spaces = spaces
        # HMM results of unknown runs, which repeat a great deal (还行, 绝绝子)
        self._hmm = BoundedMemo(_Viterbi(jieba.finalseg).cut, _HMM_CACHE_MAX)

    def _route(self, s: str) -> list[int]:
        """End index (inclusive) of the best word starting at each position."""
        get = self.freq.get
        logtotal = self.logtotal
        n = len(s)
        best = [0.0] * (n + 1)
        end = [0] * n
        for k in range(n - 1, -1, -1):
            score = None
            x = k
            i = k
            frag = s[k]
            while True:
                f = get(frag)
                if f is None:
                    break
                if f:  # a word, not only the beginning of longer ones
                    cand = log(f) - logtotal + best[i + 1]
                    # jieba takes max((score, end)): on a tie the longer word wins.
                    if score is None or cand >= score:
                        score = cand
                        x = i
                i += 1
                if i == n:
                    break
                frag = s[k:i + 1]
            if score is None:  # no word starts here: the character alone, frequency 1
                score = -logtotal + best[k + 1]
            best[k] = score
            end[k] = x
        return end

    def _unknown(self, buf: str, out: list) -> None:
        # A run of single characters: jieba keeps a dictionary word whole as
        # characters, otherwise asks its HMM.
        if len(buf) == 1:
            out.append(buf)
        elif self.freq.get(buf):
            out.extend(buf)
        else:
            out.extend(self._hmm[buf])

    def _block(self, s: str, out: list) -> None:
        end = self._route(s)
        n = len(s)
        x = 0
        if self.hmm:
            buf = ""
            while x < n:
                y = end[x] + 1
                if y - x == 1:
                    buf += s[x]
                else:
                    if buf:
                        self._unknown(buf, out)
                        buf = ""
                    out.append(s[x:y])
                x = y
            if buf:
                self._unknown(buf, out)
        else:
            buf = ""
            eng = _RE_ENG.match
            while x < n:
                y = end[x] + 1
                word = s[x:y]
                if y - x == 1 and eng(word):
                    buf += word
                else:
                    if buf:
                        out.append(buf)
                        buf = ""
                    out.append(word)
                x = y
            if buf:
                out.append(buf)

    def _check_total(self) -> None:
        # Words added to the tokenizer after this was built (add_word) change
        # the total frequency, which every route depends on.
        total = self.tokenizer.total
        if total != self._total:
            self._total = total
            self.logtotal = log(total)

    def cut(self, text: str) -> list[str]:
        """The tokens of ``text``, as ``jieba.Tokenizer.cut(text, HMM=self.hmm)`` gives them
        (without the whitespace ones when ``spaces`` is False)."""
        if self.tokenizer.total != self._total:
            self._check_total()
        out: list[str] = []
        han = _RE_HAN.match
        for blk in _RE_HAN.split(text):
            if not blk:
                continue
            if han(blk):
                self._block(blk, out)
            else:
                for piece in _RE_SKIP.split(blk):
                    if _RE_SKIP.match(piece):
                        if self.spaces:
                            out.append(piece)
                    else:
                        out.extend(piece)
        return out


class _Viterbi:
    """``jieba.finalseg.cut``: the B/M/E/S HMM over a run of unknown characters.

    The same probabilities, the same sums in the same order and the same
    tie-breaking as jieba (``max`` over ``(probability, state)`` tuples, so
    the later letter wins a tie), hence the same path.
    """

    def __init__(self, finalseg):
        low = finalseg.MIN_FLOAT
        self.finalseg = finalseg
        self.start = [finalseg.start_P[y] for y in "BMES"]
        # each character's four emission log-probabilities in one lookup
        emit = [finalseg.emit_P[y] for y in "BMES"]
        self.unseen = (low, low, low, low)
        self.emit = {c: tuple(e.get(c, low) for e in emit) for c in set().union(*emit)}
        t = finalseg.trans_P
        # the two states each state may follow (jieba's PrevStatus) and the transitions
        self.trans = (t["E"].get("B", low), t["S"].get("B", low),   # into B from E, S
                      t["M"].get("M", low), t["B"].get("M", low),   # into M from M, B
                      t["B"].get("E", low), t["M"].get("E", low),   # into E from B, M
                      t["S"].get("S", low), t["E"].get("S", low))   # into S from S, E

    def states(self, s: str) -> str:
        """The most probable state of each character of a Han run."""
        emit = self.emit.get
        unseen = self.unseen
        sB, sM, sE, sS = self.start
        tEB, tSB, tMM, tBM, tBE, tME, tSS, tES = self.trans
        eB, eM, eE, eS = emit(s[0], unseen)
        vB, vM, vE, vS = sB + eB, sM + eM, sE + eE, sS + eS
        back = []
        for eB, eM, eE, eS in map(emit, s[1:], repeat(unseen)):
            a, b = vE + tEB + eB, vS + tSB + eB
            nB, pB = (b, "S") if b >= a else (a, "E")
            a, b = vM + tMM + eM, vB + tBM + eM
            nM, pM = (a, "M") if a >= b else (b, "B")
            a, b = vB + tBE + eE, vM + tME + eE
            nE, pE = (b, "M") if b >= a else (a, "B")
            a, b = vS + tSS + eS, vE + tES + eS
            nS, pS = (a, "S") if a >= b else (b, "E")
            back.append((pB, pM, pE, pS))
            vB, vM, vE, vS = nB, nM, nE, nS
        state = "S" if vS >= vE else "E"
        path = [state]
        for pointers in reversed(back):
            state = pointers[_STATE_INDEX[state]]
            path.append(state)
        return "".join(reversed(path))

    def _words(self, s: str, out: list) -> None:
        states = self.states(s)
        begin = nexti = 0
        for i, pos in enumerate(states):
            if pos == "B":
                begin = i
            elif pos == "E":
                out.append(s[begin:i + 1])
                nexti = i + 1
            elif pos == "S":
                out.append(s[i])
                nexti = i + 1
        if nexti < len(s):
            out.append(s[nexti:])

    def cut(self, text: str) -> tuple[str, ...]:
        """The words ``jieba.finalseg.cut(text)`` yields."""
        out: list[str] = []
        force_split = self.finalseg.Force_Split_Words
        for blk in _RE_HMM_HAN.split(text):
            if _RE_HMM_HAN.match(blk):
                words: list[str] = []
                self._words(blk, words)
                for word in words:
                    if word in force_split:
                        out.extend(word)
                    else:
                        out.append(word)
            else:
                out.extend(x for x in _RE_HMM_SKIP.split(blk) if x)
        return tuple(out)  # untracked by the garbage collector once remembered

"""FastCut must return exactly the tokens of jieba's accurate mode."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textmine.fastcut import FastCut

from conftest import DEMO, SHARED

REVIEWS = SHARED / "corpora" / "sentiment" / "online_shopping_train.csv"


@pytest.fixture(scope="module")
def tokenizer(segmenter):
    return segmenter.tokenizer


@pytest.mark.parametrize("hmm", [True, False])
def test_same_tokens_as_jieba_on_demo_comments_and_articles(tokenizer, hmm):
    texts = pd.read_csv(DEMO / "comments.csv", dtype=str)["text"].dropna().tolist()
    texts += [p.read_text(encoding="utf-8") for p in sorted((DEMO / "articles").glob("*.txt"))]
    fast = FastCut(tokenizer, hmm=hmm)
    for text in texts:
        assert fast.cut(text) == tokenizer.lcut(text, HMM=hmm), text


def test_same_tokens_as_jieba_on_the_review_corpus(tokenizer):
    if not REVIEWS.exists():
        pytest.skip(f"shared data not found at {REVIEWS} (tests that read ../shared need it)")
    texts = pd.read_csv(REVIEWS, dtype=str, keep_default_na=False)["review"].tolist()[::4]
    fast = FastCut(tokenizer)
    wrong = [t for t in texts if fast.cut(t) != tokenizer.lcut(t)]
    assert not wrong, wrong[:5]


def test_same_tokens_as_jieba_on_the_seed_article(tokenizer, seed_article):
    assert FastCut(tokenizer).cut(seed_article) == tokenizer.lcut(seed_article)


_ALPHABET = st.sampled_from(list("的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以"
                                 "蜂蜜质量好差物流快慢直播带货网红主播绝绝子蚌埠住了")
                            + list("abcXYZ019.+#&_%- \t\r\n，。！？、“”…～😀👍")
                            + [chr(0x9FD6), chr(0x3400), "\u200b"])


@given(st.lists(_ALPHABET, max_size=40).map("".join), st.booleans())
def test_same_tokens_as_jieba_on_any_text(tokenizer, text, hmm):
    assert FastCut(tokenizer, hmm=hmm).cut(text) == tokenizer.lcut(text, HMM=hmm)


def test_remembers_unknown_runs_within_a_bound(tokenizer):
    fast = FastCut(tokenizer)
    first = fast.cut("这瓜绝绝子蚌埠住了")
    assert fast.cut("这瓜绝绝子蚌埠住了") == first
    assert 0 < len(fast._hmm) <= 100_000


@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_without_spaces_is_jieba_without_whitespace_tokens(tokenizer, text):
    expected = [t for t in tokenizer.lcut(text) if not t.isspace()]
    assert FastCut(tokenizer, spaces=False).cut(text) == expected


_HAN = st.sampled_from(list("的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要出也得里后自以会家可"
                            "下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情"
                            "蚌埠住绝紫栓栗") + list("ab12.% "))


@given(st.lists(_HAN, min_size=1, max_size=25).map("".join))
def test_hmm_gives_jieba_finalseg_words(text):
    import jieba.finalseg

    from textmine.fastcut import _Viterbi

    assert _Viterbi(jieba.finalseg).cut(text) == tuple(jieba.finalseg.cut(text))


def test_sees_words_added_to_the_tokenizer_later():
    import jieba

    tok = jieba.Tokenizer()
    fast = FastCut(tok)
    text = "这个蚌埠住了的主播"
    assert fast.cut(text) == tok.lcut(text)
    tok.add_word("蚌埠住了", 2000)
    assert "蚌埠住了" in fast.cut(text)
    assert fast.cut(text) == tok.lcut(text)

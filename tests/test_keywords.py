"""Tests for textmine.keywords and the ``textmine keywords`` command."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from textmine.keywords import KeywordExtractor, extract_keywords, group_keywords

FRAME = pd.DataFrame({
    "product": ["城步蜂蜜", "城步蜂蜜", "城步蜂蜜", "雷山鱼酱", "雷山鱼酱", "雷山鱼酱"],
    "time": ["2026-06-01", "2026-06-02", "2026-06-09", "2026-06-01", "2026-06-08", "2026-06-09"],
    "text": ["蜂蜜很纯正，结晶了也正常", "县长直播带货的蜂蜜，甜而不腻", "蜂蜜包装好看，送人有面子",
             "鱼酱太下饭了，辣得过瘾", "鱼酱发货太慢，物流一周才到", "鱼酱的味道很正宗，雷山特产"],
})


@pytest.fixture(scope="module")
def tfidf(segmenter):
    return KeywordExtractor(top_k=10, segmenter=segmenter).fit()


def test_domain_terms_are_keywords(tfidf):
    # 直播带货 and 社交电商 are single tokens only with the domain dictionary.
    words = tfidf.extract("社交电商和直播带货让县长们忙了起来，直播带货成了新模式")
    assert "直播带货" in words and "社交电商" in words


def test_compounds_credit_their_parts(tfidf):
    words = tfidf.extract("社交电商，社交电商，社交电商平台")
    assert "电商" in words


def test_stop_words_and_numbers_are_not_keywords(tfidf, segmenter):
    words = tfidf.extract("这个的了吗 300g 2020年 我们 他们 蜂蜜")
    assert words == ["蜂蜜"]
    assert not set(words) & segmenter.stopword_set


def test_seed_article_keywords(seed_article, segmenter):
    words = extract_keywords(seed_article, top_k=15, segmenter=segmenter)
    assert {"网红", "直播", "农产品", "电商", "带货"} <= set(words)
    assert "社交电商" in words  # a domain-dictionary compound


def test_textrank_uses_the_segmenter(seed_article, segmenter):
    words = extract_keywords(seed_article, top_k=20, method="textrank", segmenter=segmenter)
    assert "社交电商" in words and "短视频" in words


def test_jieba_globals_untouched(segmenter):
    import jieba
    import jieba.analyse

    before = (jieba.dt, jieba.analyse.default_tfidf.tokenizer, len(jieba.dt.FREQ or {}))
    KeywordExtractor(method="textrank", segmenter=segmenter).fit().extract("直播带货的蜂蜜")
    KeywordExtractor(segmenter=segmenter).fit().extract("直播带货的蜂蜜")
    assert (jieba.dt, jieba.analyse.default_tfidf.tokenizer, len(jieba.dt.FREQ or {})) == before
    # the segmenter keeps its user-word tags for the next POS tokenizer
    assert segmenter.tokenizer.user_word_tag_tab


def test_extract_keywords_shapes(segmenter):
    many = extract_keywords(["蜂蜜很甜", None, ""], top_k=3, segmenter=segmenter)
    assert "蜂蜜" in many[0] and many[1:] == [[], []]
    weighted = extract_keywords("蜂蜜很甜，蜂蜜真好", with_weights=True, segmenter=segmenter)
    assert weighted[0][0] == "蜂蜜" and weighted[0][1] > 0


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "lda"}, "method"),
    ({"top_k": 0}, "top_k"),
])
def test_bad_parameters(kwargs, match, segmenter):
    with pytest.raises(ValueError, match=match):
        KeywordExtractor(segmenter=segmenter, **kwargs).fit()


def test_group_keywords_by_product(segmenter):
    out = group_keywords(FRAME, by="product", top_k=3, segmenter=segmenter)
    assert list(out.columns) == ["product", "docs", "rank", "keyword", "weight"]
    first = out.groupby("product")["keyword"].first()
    assert first["城步蜂蜜"] == "蜂蜜" and first["雷山鱼酱"] == "鱼酱"
    assert out["docs"].tolist()[0] == 3


def test_group_keywords_idf_across_groups(segmenter):
    out = group_keywords(FRAME, by="product", top_k=5, idf="groups", segmenter=segmenter)
    assert set(out["product"]) == {"城步蜂蜜", "雷山鱼酱"}
    assert (out["rank"] >= 1).all()


def test_group_keywords_by_week_and_topic(segmenter):
    weeks = group_keywords(FRAME, by="week", top_k=2, segmenter=segmenter)
    assert sorted(set(weeks["week"])) == ["2026-06-01", "2026-06-08"]
    topics = group_keywords(FRAME, by="topics", top_k=2, segmenter=segmenter)
    assert {"quality", "logistics"} <= set(topics["topics"])


def test_group_keywords_missing_column(segmenter):
    from textmine.errors import InputError

    with pytest.raises(InputError, match="no column 'shop'"):
        group_keywords(FRAME, by="shop", segmenter=segmenter)
    with pytest.raises(InputError, match="no 'week' column and no date column"):
        group_keywords(FRAME.drop(columns="time"), by="week", segmenter=segmenter)


def run_cli(*argv):
    from textmine.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_cli_keywords(tmp_path):
    data = tmp_path / "comments.csv"
    FRAME.to_csv(data, index=False)
    code, out, err = run_cli("keywords", str(data), "--by", "product", "--top-k", "2")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["product", "docs", "rank", "keyword", "weight"]
    assert len(table) == 4
    target = tmp_path / "per_text.csv"
    code, _, err = run_cli("keywords", str(data), "--method", "textrank", "-o", str(target))
    assert code == 0, err
    assert "keywords" in pd.read_csv(target).columns
    code, _, err = run_cli("keywords", str(data), "--by", "shop")
    assert code == 2 and "shop" in err

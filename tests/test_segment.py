import jieba
import pytest

from textmine.segment import Segmenter, domain_terms

SEED_TERMS = ["社交电商", "直播带货", "短视频", "头部网红", "腰部网红", "消费扶贫",
              "银球茶", "鱼酱", "流量红利", "网红经济"]


def test_domain_dictionary_is_large():
    assert len(domain_terms()) >= 300


@pytest.mark.parametrize("term", ["社交电商", "直播带货", "头部网红", "腰部网红", "消费扶贫",
                                  "农产品上行", "地理标志", "区域公用品牌", "银球茶", "鱼酱"])
def test_domain_terms_are_single_tokens(segmenter, term):
    assert term in segmenter.cut(f"我们看到{term}的发展")


def test_seed_article_terms_whole_where_plain_jieba_splits(segmenter, seed_article):
    plain = jieba.Tokenizer()
    ours = set(segmenter.cut(seed_article))
    theirs = set(plain.lcut(seed_article))
    found = [t for t in SEED_TERMS if t in seed_article]
    assert found
    for term in found:
        assert term in ours, term
    split_by_plain = [t for t in found if t not in theirs]
    assert len(split_by_plain) >= 4, split_by_plain


def test_segmenter_does_not_touch_global_jieba():
    before = jieba.dt.initialized, dict(jieba.dt.user_word_tag_tab)
    Segmenter().cut("头部网红直播带货")
    after = jieba.dt.initialized, dict(jieba.dt.user_word_tag_tab)
    assert before == after
    assert "头部网红" not in jieba.dt.FREQ or not jieba.dt.initialized


def test_lazy_initialisation():
    seg = Segmenter()
    assert seg._tokenizer is None
    seg.cut("你好")
    assert seg._tokenizer is not None


def test_user_dict_and_stopwords(tmp_path):
    d = tmp_path / "county.txt"
    d.write_text("# county words\n苗家腊肉 50 n\n城步峒茶\n", encoding="utf-8")
    seg = Segmenter(user_dict=d, extra_stopwords=["蜂蜜"])
    assert "苗家腊肉" in seg.cut("这个苗家腊肉真香")
    assert "城步峒茶" in seg.cut("我买了城步峒茶")
    assert "蜂蜜" not in seg.words("蜂蜜质量好")
    assert "质量" in seg.words("蜂蜜质量好")


def test_missing_user_dict_is_a_clear_error(tmp_path):
    from textmine.errors import InputError

    with pytest.raises(InputError, match="user dictionary not found"):
        Segmenter(user_dict=tmp_path / "nope.txt").cut("你好")


def test_segmenter_pickles_without_its_tokenizer():
    import pickle

    seg = Segmenter()
    seg.cut("你好")
    clone = pickle.loads(pickle.dumps(seg))
    assert clone._tokenizer is None
    assert clone.cut("头部网红") == ["头部网红"]

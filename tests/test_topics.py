"""Tests for textmine.topics: the seeded topic tagger, its lexicon and its evaluation."""

from __future__ import annotations

import io
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textmine.errors import InputError, NotFittedError
from textmine.topics import (
    DEFAULT_CODES,
    TopicHit,
    TopicTagger,
    format_evidence,
    format_topics,
    load_lexicon,
    parse_topics,
    score_topics,
)

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tagger(segmenter):
    return TopicTagger(segmenter=segmenter).fit()


def topics_of(tagger, text: str) -> str:
    return format_topics(tagger.tag_text(text), tagger.codes_)


@pytest.mark.parametrize("text, expected", [
    # one topic each, comment language from several platforms
    ("质量很好，做工精细", "quality"),
    ("房间干净整洁，床也舒服", "quality"),
    ("一点都不新鲜，橙子皮都皱了", "quality"),
    ("踩雷了，蘑菇里全是虫眼", "quality"),
    ("这是正品吗？别是假货", "trust"),
    ("主播太靠谱了，放心买", "trust"),
    ("又在割韭菜", "trust"),
    ("已经投诉到12315了", "supervision"),
    ("有没有检测报告？能扫码溯源吗", "supervision"),
    ("城步蜂蜜这个牌子在我们那挺有名", "branding"),
    ("县里打造区域公用品牌，统一宣传", "branding"),
    ("这个价格比超市便宜一半", "price"),
    ("智商税吧，一罐卖198", "price"),
    ("骑手送得太慢了，等了一个小时", "logistics"),
    ("顺丰冷链，三天就到了", "logistics"),
    ("前台态度很好，帮忙叫车", "service"),
    ("客服一直不回消息，退款申请三天了", "service"),
    # negation keeps the topic
    ("不是假货", "trust"),
    ("一点也不贵", "price"),
    ("物流不慢", "logistics"),
    # look-alike words are not topics
    ("昨天跟我爸打牌输了", ""),
    ("他家车牌是湘E的", ""),
    ("主播被她妈质问为什么不睡觉", ""),
    ("我在服务区看直播", ""),
    ("我是快递员，刚下班", ""),
    ("村口那块牌子上的字是县长写的", ""),
    ("这个节目价值观挺正的", ""),
    ("贵州的茶叶节开幕了", ""),
    ("主播晚上好", ""),
    ("", ""),
    # several topics
    ("质量不错，但是物流太慢了", "quality|logistics"),
    ("价格实惠，客服也耐心", "price|service"),
    ("包邮吗", "price|logistics"),
    ("市场监管局有没有管这种虚假宣传", "trust|supervision"),
    ("有没有地理标志认证的", "supervision|branding"),
    ("隔壁打牌吵得睡不着", "quality"),
])
def test_tag_table(tagger, text, expected):
    assert topics_of(tagger, text) == expected


def test_single_characters_are_not_topics(tagger):
    for text in ("品", "质", "牌", "一品", "质子"):
        assert topics_of(tagger, text) == ""


def test_tag_returns_clause_indices_and_evidence(tagger, segmenter):
    from textmine.normalize import normalize, split_clauses

    clauses = split_clauses(normalize("橙子很新鲜，但是坏了两个，快递太慢，正品"))
    hits = tagger.tag(clauses, [segmenter.cut(c.text) for c in clauses])
    assert list(hits) == ["quality", "trust", "logistics"]
    assert hits["quality"].clauses == (0, 1)
    assert hits["logistics"].clauses == (2,)
    assert "新鲜" in hits["quality"].evidence and "坏了" in hits["quality"].evidence
    assert format_evidence(hits).startswith("quality:新鲜,坏了;trust:正品;logistics:快递")


def test_weak_cue_needs_support(tagger):
    # 速度 alone is not enough for logistics; with a second cue it is.
    assert topics_of(tagger, "速度") == ""
    assert topics_of(tagger, "速度很快") == "logistics"


def test_transform_columns(tagger):
    out = tagger.transform(["正品，物流快", None, float("nan"), "打牌"])
    assert list(out.columns) == ["topics", "evidence"]
    assert out["topics"].tolist() == ["trust|logistics", "", "", ""]
    assert out["evidence"][0] == "trust:正品;logistics:物流"


def test_transform_rejects_a_single_string(tagger):
    with pytest.raises(TypeError, match="list of texts"):
        tagger.transform("正品")


def test_not_fitted():
    with pytest.raises(NotFittedError, match="fit"):
        TopicTagger().tag([], [])


def test_estimator_contract(segmenter):
    from sklearn.base import clone

    t = TopicTagger(segmenter=segmenter, merge=False, threshold=2.0)
    assert t.get_params()["threshold"] == 2.0
    c = clone(t)
    assert {k: v for k, v in c.get_params().items() if k != "segmenter"} == \
        {"lexicon": None, "merge": False, "threshold": 2.0}
    assert not hasattr(c, "codes_")
    fitted = TopicTagger(segmenter=segmenter).fit()
    assert fitted.codes_ == list(DEFAULT_CODES)
    assert fitted.names_["branding"] == "品牌"
    with pytest.raises(ValueError, match="not a parameter"):
        fitted.set_params(nope=1)


def test_threshold_parameter(segmenter):
    strict = TopicTagger(segmenter=segmenter, threshold=2.0).fit()
    assert topics_of(strict, "正品") == ""
    assert topics_of(strict, "正品，不是假货") == "trust"


def test_pickle_roundtrip(tagger):
    import pickle

    again = pickle.loads(pickle.dumps(tagger))
    assert topics_of(again, "正品，物流快") == "trust|logistics"


# --- the lexicon file ---------------------------------------------------------

def test_default_lexicon():
    lex = load_lexicon()
    assert list(lex) == list(DEFAULT_CODES)
    assert [t.name for t in lex.values()] == ["质量", "信任", "监管", "品牌", "价格", "物流", "服务"]
    for topic in lex.values():
        assert topic.description and topic.words
        # single characters that mean nothing alone must never be entries
        assert not {"品", "质", "牌"} & set(topic.words)


def test_user_lexicon_merges(tmp_path, segmenter):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[topic]]\ncode = "quality"\nwords = ["拉丝", "好吃 0"]\n\n'
        '[[topic]]\ncode = "origin"\nname = "产地"\nwords = ["产地", "原产地"]\n'
        'phrases = ["哪个县*产"]\n', encoding="utf-8")
    lex = load_lexicon(path)
    assert list(lex)[-1] == "origin" and len(lex) == 8
    assert "拉丝" in lex["quality"].words and "好吃" not in lex["quality"].words
    assert lex["quality"].name == "质量"  # kept from the defaults
    tagger = TopicTagger(lexicon=path, segmenter=segmenter).fit()
    assert tagger.codes_[-1] == "origin"
    assert topics_of(tagger, "蜂蜜拉丝，产地是城步") == "quality|origin"
    assert topics_of(tagger, "好吃") == ""


def test_user_lexicon_replaces(tmp_path, segmenter):
    path = tmp_path / "only.toml"
    path.write_text('[[topic]]\ncode = "origin"\nname = "产地"\nwords = ["产地"]\n',
                    encoding="utf-8")
    tagger = TopicTagger(lexicon=path, merge=False, segmenter=segmenter).fit()
    assert tagger.codes_ == ["origin"]
    assert topics_of(tagger, "质量不错，产地在湖南") == "origin"


@pytest.mark.parametrize("content, key", [
    ('[[topic]]\ncode = "Bad Code"\nname = "x"\nwords = ["x"]\n', "topic[0].code"),
    ('[[topic]]\ncode = "x"\nwords = ["x"]\n', "topic[0] (x).name"),
    ('[[topic]]\ncode = "x"\nname = "x"\nwords = "质量"\n', "topic[0] (x).words"),
    ('[[topic]]\ncode = "x"\nname = "x"\nwords = ["质量 -1"]\n', "topic[0] (x).words[0]"),
    ('[[topic]]\ncode = "x"\nname = "x"\nwords = ["a"]\ncolour = 1\n', "topic[0].colour"),
    ('[[topic]]\ncode = "x"\nname = "x"\nwords = ["a"]\n[[topic]]\ncode = "x"\nname = "y"\n'
     'words = ["b"]\n', "topic[1].code"),
    ('[topics]\nquality = 1\n', "[[topic]]"),
    ('[[topic]\n', "TOML"),
])
def test_bad_lexicon_names_file_and_key(tmp_path, content, key):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_lexicon(path, merge=False)
    assert str(path) in str(info.value) and key in str(info.value)


def test_missing_lexicon_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_lexicon(tmp_path / "nope.toml")


# --- formatting and evaluation -------------------------------------------------

def test_format_helpers():
    hits = {"trust": TopicHit(("正品",), (1,)), "quality": TopicHit(("新鲜", "坏了"), (0,))}
    assert format_topics(hits, DEFAULT_CODES) == "quality|trust"
    assert format_evidence(hits, DEFAULT_CODES) == "quality:新鲜,坏了;trust:正品"
    assert format_topics({}) == "" and format_evidence({}) == ""
    assert parse_topics(" quality | trust ") == ["quality", "trust"]
    assert parse_topics(None) == [] and parse_topics(math.nan) == []


def test_score_topics():
    table = score_topics(["quality|trust", "price", "", "quality"],
                         ["quality", "price|trust", "", "price"], codes=["quality", "trust", "price"])
    assert table.loc["quality", "precision"] == 1.0 and table.loc["quality", "recall"] == 0.5
    assert table.loc["price", "fp"] == 1 and table.loc["micro", "tp"] == 2
    assert list(table.index[-2:]) == ["micro", "macro"]
    with pytest.raises(ValueError, match="one topic set per text"):
        score_topics(["a"], [])


# --- properties -------------------------------------------------------------------

@given(st.text(max_size=60))
def test_any_text_gives_known_codes_in_order(tagger, text):
    out = tagger.transform([text])
    codes = parse_topics(out["topics"][0])
    assert codes == [c for c in DEFAULT_CODES if c in codes]
    ev = out["evidence"][0]
    assert [part.split(":")[0] for part in ev.split(";") if part] == codes


# --- the gold set and the seed article ---------------------------------------------

GOLD = ROOT / "corpora" / "labelled" / "topics_gold.csv"


@pytest.mark.skipif(not GOLD.exists(), reason="corpora/labelled/topics_gold.csv not present")
def test_gold_set_targets(tagger):
    import pandas as pd

    gold = pd.read_csv(GOLD, keep_default_na=False)
    table = score_topics(gold["topics"], tagger.transform(gold["text"].tolist())["topics"],
                         codes=tagger.codes_)
    assert table.loc["micro", "f1"] >= 0.85
    for code in ("quality", "trust", "supervision", "branding"):
        assert table.loc[code, "f1"] >= 0.80, code


def _paragraphs(article: str) -> list[str]:
    body = article.split("\n")[3:]
    return [p for p in re.split(r"\s+", " ".join(body)) if p]


def test_seed_article_paragraphs(tagger, seed_article):
    paras = _paragraphs(seed_article)
    tags = [set(parse_topics(t)) for t in tagger.transform(paras)["topics"]]

    def find(marker):
        return tags[next(i for i, p in enumerate(paras) if marker in p)]

    assert {"quality", "trust", "supervision", "branding"} <= find("产品质量和口碑很关键")
    assert {"quality", "supervision"} <= find("倒逼作用")
    assert "branding" in find("品牌化的转变")
    assert "branding" in find("获得知名度非常困难")
    assert "branding" in find("宣传佛坪的青山绿水")
    assert find("责任编辑") == set()


# --- the command line ---------------------------------------------------------------

def run_cli(*argv):
    from textmine.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_eval_topics(tmp_path):
    data = tmp_path / "gold.csv"
    data.write_text("id,review,labels\n1,质量很好,quality\n2,物流太慢,logistics\n"
                    "3,打牌输了,\n4,正品放心,trust|price\n", encoding="utf-8")
    errors = tmp_path / "errors.csv"
    code, out, err = run_cli("eval-topics", str(data), "--text-col", "review",
                             "--topics-col", "labels", "--errors", str(errors),
                             "--show-errors", "5")
    assert code == 0, err
    assert re.search(r"^quality\s+1\.000\s+1\.000\s+1\.000\s+1", out, re.M)
    assert re.search(r"^price\s+0\.000\s+0\.000\s+0\.000\s+1", out, re.M)
    assert "micro" in out and "macro" in out and "正品放心" in out
    assert "正品放心" in errors.read_text(encoding="utf-8")
    code, out, _ = run_cli("eval-topics", str(data), "--text-col", "review",
                           "--topics-col", "labels", "--json")
    assert code == 0 and '"micro"' in out


def test_cli_eval_topics_bad_input(tmp_path):
    data = tmp_path / "gold.csv"
    data.write_text("text,topics\n质量很好,qualty\n", encoding="utf-8")
    code, _, err = run_cli("eval-topics", str(data))
    assert code == 2 and "qualty" in err
    code, _, err = run_cli("eval-topics", str(data), "--topics-col", "nope")
    assert code == 2 and "nope" in err


@given(st.sets(st.text(alphabet="不好一斤发货-]^\\", min_size=1, max_size=2), min_size=1, max_size=12),
       st.text(alphabet="不好一斤发货吃-]^\\", max_size=30))
def test_factored_head_pattern_finds_what_the_plain_alternation_finds(heads, text):
    from textmine.topics import _trie_pattern

    plain = re.compile("|".join(re.escape(h) for h in sorted(heads, key=lambda h: (-len(h), h))))
    factored = re.compile(_trie_pattern(heads))
    assert [m.start() for m in _all_starts(plain, text)] == \
        [m.start() for m in _all_starts(factored, text)]


def _all_starts(regex, text):
    # every position where a head starts, overlapping ones included
    pos, out = 0, []
    while (m := regex.search(text, pos)) is not None:
        out.append(m)
        pos = m.start() + 1
    return out


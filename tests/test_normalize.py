import math

import pytest
from hypothesis import given, strategies as st

from textmine.normalize import is_analysable, normalize, split_clauses, split_sentences


@pytest.mark.parametrize("raw, expected", [
    ("品質很好，會回購", "品质很好,会回购"),                 # traditional → simplified, full-width comma
    ("ＹＹＤＳ！１２３", "yyds!123"),                        # full-width → half-width, lower-case
    ("哈哈哈哈哈", "哈哈"),                                  # repeated characters folded
    ("好好好好好!!!!!", "好好!"),                            # and repeated punctuation
    ("冲鸭冲鸭冲鸭冲鸭", "冲鸭冲鸭"),                        # repeated pairs
    ("卖了10000单", "卖了10000单"),                          # digits are not folded
    ("看这里 https://v.douyin.com/abc123 好物", "看这里 好物"),  # URL removed
    ("@城步刘副县长 蜂蜜收到了", "蜂蜜收到了"),              # mention removed
    ("#县长直播# 好物", "县长直播 好物"),                      # hashtag keeps its words
    ("好评👍👍", "好评👍👍"),                                  # emoji kept
    ("❤️好吃", "❤好吃"),                                      # variation selector dropped
    ("a\x00b\x07c", "abc"),                                   # control characters dropped
    (None, ""),
    (float("nan"), ""),
    (123, "123"),
])
def test_normalize_table(raw, expected):
    assert normalize(raw) == expected


def test_normalize_options():
    text = "@小王 看 https://t.cn/x #好物#"
    assert normalize(text, urls="tag", mentions="tag", hashtags="remove") == "mention 看 url"
    assert normalize("品質", simplified=False) == "品質"
    with pytest.raises(ValueError, match="must be one of"):
        normalize("x", urls="drop")


@pytest.mark.parametrize("text, analysable", [
    ("", False), ("!!!???", False), ("123 456", False), ("。。。", False),
    ("好", True), ("yyds", True), ("👍👍", True), ("😡", True), ("[赞]", True), ("🙂", False),
    ("666", True), ("6666666!!!", True), ("2333", True), ("1666", False), ("6666.00", False),
])
def test_is_analysable(text, analysable):
    assert is_analysable(normalize(text)) is analysable


@pytest.mark.parametrize("text, clauses, roles", [
    ("质量不错,但是物流太慢了", ["质量不错", "但是物流太慢了"], ["", "contrast"]),
    ("质量不错但是物流太慢", ["质量不错", "但是物流太慢"], ["", "contrast"]),
    ("虽然有点贵,不过确实好吃", ["虽然有点贵", "不过确实好吃"], ["concession", "contrast"]),
    ("价格便宜,质量却很差", ["价格便宜", "质量却很差"], ["", "contrast"]),
    ("就是好吃", ["就是好吃"], [""]),                      # sentence-initial 就是 is emphasis
    ("味道很好,就是有点咸", ["味道很好", "就是有点咸"], ["", "contrast"]),
    ("再好不过了", ["再好不过了"], [""]),                  # 不过 inside a word is not a contrast
    ("销售额超300万。2.5亿次曝光", ["销售额超300万", "2.5亿次曝光"], ["", ""]),
    ("质量很好 物流很快", ["质量很好", "物流很快"], ["", ""]),  # space between clauses
])
def test_split_clauses(text, clauses, roles):
    got = split_clauses(text)
    assert [c.text for c in got] == clauses
    assert [c.role for c in got] == roles


def test_clause_offsets_and_questions():
    text = "多少钱一斤?什么时候发货?好吃"
    got = split_clauses(text)
    assert [c.question for c in got] == [True, True, False]
    assert [c.sentence for c in got] == [0, 1, 2]
    for c in got:
        assert text[c.start:c.end] == c.text


def test_split_sentences():
    assert split_sentences("很好吃,会回购。物流太慢了!") == ["很好吃,会回购", "物流太慢了"]
    assert split_sentences("") == []


@given(st.text(max_size=300))
def test_normalize_and_split_never_fail(text):
    norm = normalize(text)
    assert isinstance(norm, str)
    for c in split_clauses(norm):
        assert c.text and norm[c.start:c.end] == c.text
    assert normalize(norm) == normalize(norm)  # deterministic


def test_normalize_handles_a_megabyte():
    text = "这个蜂蜜很好吃，" * 130_000
    assert len(normalize(text)) > 1_000_000
    assert not math.isnan(len(split_clauses(normalize(text[:10_000]))))


@given(st.text(alphabet="哈冲鸭好 1!.\n👍", max_size=30))
def test_repeat_folding_is_never_skipped(text):
    # normalize folds only texts its cheap hint finds; the hint must find every text the fold changes
    import textmine.normalize as N

    folded = N._REPEAT_RUN.sub(r"\1\1", text)
    if folded != text:
        assert N._REPEAT_HINT.search(text)


@given(st.text(alphabet="但是可是虽然却就不过好差, ", max_size=20))
def test_clause_roles_match_the_full_rules(text):
    # the first-character shortcut in _role gives what the full rules give
    import textmine.normalize as N

    for clause in split_clauses(text):
        c = clause.text
        if c.startswith(N._CONCESSION_STARTS) and not c.startswith("虽然说"):
            want = "concession"
        elif clause.start == split_clauses(text)[0].start:
            want = ""
        elif (c.startswith(N._CONTRAST_STARTS) and not c.startswith(N._CONTRAST_EXCEPT)) or "却" in c:
            want = "contrast"
        else:
            want = ""
        assert clause.role == want


# The clause boundary as first written, a look-behind before each mark; the
# shipped pattern looks behind after the mark, which the regex engine scans faster.
_BOUNDARY_AS_WRITTEN = (r"([。!?;…\n]+|(?<!\d)\.+|\.(?!\d)|\.{2,}|[,、:~]+"
                        r"|(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff]))")


@given(st.text(alphabet="中文好 .1,、:~。!?\na", max_size=30))
def test_clause_boundaries_match_the_pattern_as_written(text):
    import re

    from textmine.normalize import _BOUNDARY

    assert _BOUNDARY.split(text) == re.split(_BOUNDARY_AS_WRITTEN, text)

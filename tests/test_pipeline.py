import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import textmine
from textmine.pipeline import Pipeline

CODES = ["quality", "trust", "supervision", "branding", "price", "logistics", "service"]


@pytest.fixture(scope="module")
def pipe():
    return Pipeline().fit()


def test_import_loads_nothing():
    import subprocess
    import sys

    code = ("import sys, textmine; "
            "heavy = [m for m in ('jieba', 'sklearn', 'snownlp', 'pandas', 'opencc') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_public_names():
    assert {"analyze", "Pipeline", "link_sales", "sales_effects", "build_report",
            "discover_topics", "__version__"} <= set(dir(textmine))
    assert textmine.Pipeline is Pipeline


def test_output_schema(pipe, comments):
    out = pipe.transform(comments)
    assert len(out) == len(comments)
    assert list(out.columns[:5]) == ["status", "sentiment", "sentiment_label", "topics", "evidence"]
    assert [c for c in out.columns if c.startswith("sentiment_") and c != "sentiment_label"] == \
        [f"sentiment_{c}" for c in CODES]
    assert out["status"].tolist()[-2:] == ["empty", "empty"]
    ok = out[out["status"] == "ok"]
    assert ok["sentiment"].between(0, 1).all()
    assert set(ok["sentiment_label"]) <= {"pos", "neg", "neu"}
    assert out.loc[out["status"] == "empty", "sentiment"].isna().all()


def test_topics_and_topic_sentiment(pipe):
    row = pipe.transform(["质量不错，但是物流太慢了"]).iloc[0]
    assert row["topics"] == "quality|logistics"
    assert row["sentiment_quality"] > row["sentiment_logistics"]
    assert math.isnan(row["sentiment_trust"])
    assert row["evidence"].startswith("quality:")


def test_a_question_names_a_topic_without_rating_it(pipe):
    asked, answered = (row for _, row in pipe.transform(["新鲜吗？", "新鲜吗？上次买的很新鲜"]).iterrows())
    assert asked["topics"] == "quality" and asked["sentiment_label"] == "neu"
    assert math.isnan(asked["sentiment_quality"])
    # The statement beside the question still rates the topic.
    assert answered["sentiment_label"] == "pos" and answered["sentiment_quality"] > 0.5


def test_contrast_makes_document_more_negative(pipe):
    both, first = pipe.transform(["质量不错，但是物流太慢了", "质量不错"])["sentiment"]
    assert both < first


def test_read_errors_become_error_status(pipe):
    out = pipe.transform(["好吃", "好吃"], errors=[None, "line 3 has 3 fields, expected 2"])
    assert out["status"].tolist() == ["ok", "error: line 3 has 3 fields, expected 2"]
    assert math.isnan(out["sentiment"][1])


def test_analyze_accepts_every_shape():
    one = textmine.analyze("蜂蜜很纯正")
    assert len(one) == 1 and one["text"][0] == "蜂蜜很纯正"
    many = textmine.analyze(["好", "坏"])
    assert len(many) == 2
    series = textmine.analyze(pd.Series(["好吃"], name="评论"))
    assert "评论" in series.columns
    frame = pd.DataFrame({"id": [3, 1], "评论": ["好吃", None], "sentiment": ["x", "y"]})
    out = textmine.analyze(frame)
    assert list(out.columns[:3]) == ["id", "评论", "sentiment_input"]
    assert out["id"].tolist() == [3, 1]
    assert out["status"].tolist() == ["ok", "empty"]


@pytest.mark.parametrize("texts, what", [("好吃", "one string"),
                                         (pd.DataFrame({"text": ["好吃", "难吃"]}), "a DataFrame")])
def test_transform_refuses_what_it_would_iterate_wrongly(pipe, texts, what):
    # Iterating a string gives its characters, a DataFrame its column names.
    with pytest.raises(TypeError, match=f"not {what}.*score_frame"):
        pipe.transform(texts)


def test_analyze_names_missing_text_column():
    from textmine.errors import InputError

    with pytest.raises(InputError, match="columns are: id, body"):
        textmine.analyze(pd.DataFrame({"id": [1], "body": ["x"]}))


def test_same_input_same_output(pipe, comments):
    a = pipe.transform(comments)
    b = Pipeline().transform(comments)
    pd.testing.assert_frame_equal(a, b)


def test_clauses_api(pipe):
    df = pipe.clauses("质量不错，但是物流太慢了")
    assert df["clause"].tolist() == ["质量不错", "但是物流太慢了"]
    assert df["role"].tolist() == ["", "contrast"]
    assert df["topics"].tolist() == ["quality", "logistics"]
    assert pipe.clauses("").empty


def test_tokens_column():
    out = Pipeline(tokens=True).transform(["头部网红直播带货"])
    assert out["tokens"][0] == "头部网红 直播带货"


def test_pipeline_pickles_as_parameters(pipe):
    import pickle

    clone = pickle.loads(pickle.dumps(pipe))
    assert clone._segmenter is None and clone._sentiment is None
    assert clone.transform(["好吃"])["sentiment"][0] == pipe.transform(["好吃"])["sentiment"][0]


@settings(max_examples=40)
@given(st.one_of(st.text(max_size=200),
                 st.text(alphabet="👍😡😂❤️🎉", max_size=20),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=100),
                 st.just(""), st.none(), st.just(float("nan"))))
def test_any_string_gives_exactly_one_row(text):
    out = textmine.analyze(text)
    assert len(out) == 1
    assert out["status"][0] in ("ok", "empty")


def test_megabyte_text_gives_one_row():
    text = "蜂蜜很好吃，物流也快。" * 100_000
    assert len(text) >= 1_000_000
    out = textmine.analyze(text)
    assert len(out) == 1 and out["status"][0] == "ok"
    assert out["topics"][0] == "quality|logistics"


def test_binary_junk_gives_one_row():
    junk = bytes(range(256)).decode("latin-1") * 50
    out = textmine.analyze(junk)
    assert len(out) == 1
    assert out["status"][0] in ("ok", "empty")


def test_analyze_with_workers_equals_one_process():
    # 12,001 rows: three chunks, scored by two worker processes
    phrases = ["蜂蜜很纯正，回购了", "质量不错，但是物流太慢了", "多少钱一斤？", None, "!!!",
               "主播说是野生的，结果货不对板😡", "价格实惠，性价比高"]
    frame = pd.DataFrame({"id": range(12_001),
                          "text": [phrases[i % len(phrases)] for i in range(12_001)],
                          "status": "input"})  # clashes with a result column
    frame.index = frame.index * 3  # a non-default index comes back reset, as with one job
    one = textmine.analyze(frame)
    two = textmine.analyze(frame, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert len(two) == 12_001 and two["status_input"].eq("input").all()
    assert textmine.analyze(frame["text"].head(3), n_jobs=-1)["status"].tolist() == ["ok"] * 3


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5])
def test_analyze_refuses_a_bad_n_jobs(n_jobs):
    with pytest.raises(ValueError, match="n_jobs"):
        textmine.analyze(["很好"], n_jobs=n_jobs)

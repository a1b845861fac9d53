"""Tests for textmine.discover and the ``textmine topics`` command."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from textmine.discover import Discovery, TopicModel, discover_topics

TEXTS = [
    "物流太慢了，快递一周才到", "快递很快，物流给力", "发货速度快，快递小哥态度好",
    "物流慢，快递丢件", "蜂蜜很甜，味道纯正", "蜂蜜味道好，很甜", "味道不错的蜂蜜，结晶正常",
    "蜂蜜结晶了，味道还行", "价格实惠，性价比高", "价格便宜，性价比不错", "这个价格太贵了",
    "价格优惠，便宜实惠",
]
FRAME = pd.DataFrame({
    "time": pd.date_range("2026-06-01", periods=len(TEXTS), freq="2D").strftime("%Y-%m-%d"),
    "text": TEXTS,
})


@pytest.fixture(scope="module")
def result(segmenter):
    return discover_topics(FRAME, k=3, segmenter=segmenter)


def test_tables(result):
    topics, documents, share = result
    assert isinstance(result, Discovery)
    assert list(topics.columns) == ["topic", "label", "size", "share", "top_words", "seeded",
                                    "seeded_words", "examples"]
    assert topics["size"].sum() == len(TEXTS)
    assert len(documents) == len(TEXTS) and "time" in documents.columns
    assert set(share.columns) == {"period", "topic", "label", "docs", "share"}
    assert np.allclose(share.groupby("period")["share"].sum(), 1.0)


def test_discovered_topics_overlap_seeded(result):
    seeded = set("|".join(result.topics["seeded"]).split("|"))
    assert {"logistics", "quality", "price"} <= seeded
    by_word = {row.label.split("·")[0]: row.seeded for row in result.topics.itertuples()}
    assert any("logistics" in s for w, s in by_word.items() if w in ("物流", "快递"))


def test_deterministic(segmenter):
    a = discover_topics(FRAME, k=3, segmenter=segmenter, random_state=7)
    b = discover_topics(FRAME, k=3, segmenter=segmenter, random_state=7)
    pd.testing.assert_frame_equal(a.topics, b.topics)
    pd.testing.assert_frame_equal(a.documents, b.documents)


def test_lda_and_plain_texts(segmenter):
    topics, documents, share = discover_topics(TEXTS, k=2, method="lda", segmenter=segmenter)
    assert len(topics) == 2 and share.empty and "time" not in documents.columns


def test_k_larger_than_the_texts_allow(segmenter):
    topics, _, _ = discover_topics(["蜂蜜很甜", "物流很快"], k=8, segmenter=segmenter)
    assert len(topics) == 2


def test_model_transform_and_errors(segmenter):
    from textmine.errors import InputError, NotFittedError

    model = TopicModel(k=2, segmenter=segmenter)
    with pytest.raises(NotFittedError):
        model.transform(["蜂蜜"])
    weights = model.fit(TEXTS).transform(["蜂蜜很甜", ""])
    assert np.isclose(weights[0].sum(), 1.0) and weights[1].sum() == 0
    with pytest.raises(InputError, match="at least 2 texts"):
        TopicModel(segmenter=segmenter).fit(["", "哈哈"])
    with pytest.raises(ValueError, match="method"):
        TopicModel(method="kmeans", segmenter=segmenter).fit(TEXTS)


def run_cli(*argv):
    from textmine.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_cli_topics(tmp_path):
    data = tmp_path / "comments.csv"
    FRAME.to_csv(data, index=False)
    code, out, err = run_cli("topics", str(data), "--k", "3")
    assert code == 0, err
    assert "[0]" in out and "share over time" in out
    target = tmp_path / "topics.csv"
    code, _, err = run_cli("topics", str(data), "--k", "3", "-o", str(target))
    assert code == 0, err
    assert len(pd.read_csv(target)) == 3
    docs = pd.read_csv(tmp_path / "topics.documents.csv")
    assert {"text", "discovered_topic", "discovered_label"} <= set(docs.columns)
    assert (tmp_path / "topics.share.csv").exists()
    code, _, err = run_cli("topics", str(data), "--time-col", "when")
    assert code == 2 and "when" in err

"""Tests for textmine.sentiment: model files, training, behaviour, backends, CLI."""

from __future__ import annotations

import io
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from textmine.errors import InputError, ModelError, NotFittedError
from textmine.normalize import normalize, split_clauses
from textmine.sentiment import BACKENDS, load_backend
from textmine.sentiment.labels import binary_targets, is_question, parse_labels
from textmine.sentiment.model import DocumentSentiment, SentimentModel

SHARED = Path(__file__).resolve().parents[2] / "shared"

POSITIVE = [
    "很好吃，会回购", "质量很好，物流也快", "蜂蜜很纯正，家里人都喜欢", "包装精美，送人有面子",
    "性价比很高，推荐购买", "味道不错，分量足", "主播很实在，东西也好", "水果很新鲜，个头大",
    "服务态度好，发货快", "房间干净，前台热情", "非常满意，五星好评", "茶叶香气浓，很好喝",
    "衣服合身，面料舒服", "送餐很快，饭菜还是热的", "效果很好，值得购买", "做工精细，颜色漂亮",
    "口感很好，孩子爱吃", "客服耐心，解决问题很快", "价格实惠，品质不错", "超出预期，太棒了",
]
NEGATIVE = [
    "太难吃了，不会再买", "质量很差，物流也慢", "蜂蜜是假的，有股糖水味", "包装破了，漏了一地",
    "性价比太低，不推荐", "味道很差，分量少", "主播骗人，东西是次品", "水果烂了一半，不新鲜",
    "服务态度差，发货慢", "房间很脏，前台冷漠", "非常失望，差评", "茶叶有霉味，难喝",
    "衣服掉色，面料粗糙", "送餐太慢，饭菜都凉了", "没有效果，浪费钱", "做工粗糙，颜色难看",
    "口感很差，孩子不爱吃", "客服不理人，问题没解决", "价格贵，品质差", "太差了，退货",
]
TEXTS = POSITIVE + NEGATIVE
LABELS = [1] * len(POSITIVE) + [0] * len(NEGATIVE)
PROBE = ["很好", "太差了", "质量不错，但是物流太慢了", "多少钱一斤？", "👍👍", "", "不新鲜"]


@pytest.fixture(scope="session")
def tiny_model(segmenter):
    return SentimentModel(calibration_folds=2, segmenter=segmenter).fit(TEXTS, LABELS)


@pytest.fixture(scope="session")
def shipped():
    return load_backend("builtin")


def _score(backend, segmenter, text) -> DocumentSentiment:
    norm = normalize(text)
    clauses = split_clauses(norm)
    return backend.score_document(norm, clauses, [segmenter.cut(c.text) for c in clauses])


# --- model files ------------------------------------------------------------------

def test_round_trip_gives_identical_probabilities(tiny_model, tmp_path, segmenter):
    tiny_model.save(tmp_path / "m")
    loaded = SentimentModel.load(tmp_path / "m")
    loaded.segmenter = segmenter
    assert np.array_equal(tiny_model.predict_proba(PROBE), loaded.predict_proba(PROBE))
    assert loaded.get_params()["C"] == tiny_model.C
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "sentiment.json", "sentiment.md", "sentiment.npz"]


def test_saving_twice_writes_the_same_bytes(tiny_model, tmp_path):
    tiny_model.save(tmp_path / "a")
    tiny_model.save(tmp_path / "b")
    assert (tmp_path / "a/sentiment.npz").read_bytes() == (tmp_path / "b/sentiment.npz").read_bytes()


def test_training_is_deterministic(tiny_model, segmenter):
    again = SentimentModel(calibration_folds=2, segmenter=segmenter).fit(TEXTS, LABELS)
    assert again.char_weights_ == tiny_model.char_weights_
    assert again.word_weights_ == tiny_model.word_weights_
    assert again.calibration_ == tiny_model.calibration_


@pytest.fixture
def model_dir(tiny_model, tmp_path):
    return tiny_model.save(tmp_path / "model")


def test_truncated_weights_raise_model_error(model_dir):
    npz = model_dir / "sentiment.npz"
    npz.write_bytes(npz.read_bytes()[:100])
    with pytest.raises(ModelError, match="corrupt or truncated"):
        SentimentModel.load(model_dir)


def test_corrupt_json_raises_model_error(model_dir):
    (model_dir / "sentiment.json").write_text('{"format": "textmine-sent', encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt or truncated"):
        SentimentModel.load(model_dir)


def test_other_format_version_raises_model_error(model_dir):
    meta = json.loads((model_dir / "sentiment.json").read_text(encoding="utf-8"))
    meta["format_version"] = 99
    (model_dir / "sentiment.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="version 99"):
        SentimentModel.load(model_dir)


def test_missing_model_directory_raises_model_error(tmp_path):
    with pytest.raises(ModelError, match="textmine train"):
        SentimentModel.load(tmp_path / "nothing-here")


class _Boom:
    ran = False

    def __reduce__(self):
        return (_Boom._explode, ())

    @staticmethod
    def _explode():  # pragma: no cover - must never run
        _Boom.ran = True
        return 0


def test_pickled_arrays_in_a_model_file_are_refused_not_run(model_dir):
    import hashlib

    buffer = io.BytesIO()
    np.savez(buffer, char_keys=np.array([_Boom()], dtype=object),
             char_weights=np.zeros(1, np.float32), word_keys=np.zeros(0, np.uint8),
             word_weights=np.zeros(0, np.float32))
    blob = buffer.getvalue()
    (model_dir / "sentiment.npz").write_bytes(blob)
    meta = json.loads((model_dir / "sentiment.json").read_text(encoding="utf-8"))
    meta["weights_sha256"] = hashlib.sha256(blob).hexdigest()
    (model_dir / "sentiment.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError):
        SentimentModel.load(model_dir)
    assert not _Boom.ran


def test_loaded_model_pickles_cheaply_and_reloads(shipped, segmenter):
    blob = pickle.dumps(shipped)
    assert len(blob) < 10_000
    clone = pickle.loads(blob)
    assert _score(clone, segmenter, "物流很快") == _score(shipped, segmenter, "物流很快")


def test_unfitted_model_says_what_to_do():
    with pytest.raises(NotFittedError, match="fit"):
        SentimentModel().predict_proba(["好"])


def test_estimator_contract(tiny_model):
    from sklearn.base import clone

    copy = clone(tiny_model)
    assert copy.get_params() == tiny_model.get_params()
    assert not hasattr(copy, "intercept_")
    with pytest.raises(ValueError, match="valid parameters"):
        SentimentModel().set_params(alpha=1)
    assert tiny_model.score(TEXTS, LABELS) > 0.9


def test_neutral_texts_pull_their_words_towards_zero():
    # 发货 occurs in positive texts only, so alone it learns to mean positive
    texts = ["发货很快，很好", "发货很快，很好吃", "太慢，很差", "太慢，难吃",
             "很好", "好吃", "很差", "难吃"] * 3
    labels = ["pos", "pos", "neg", "neg", "pos", "pos", "neg", "neg"] * 3
    plain = SentimentModel(calibration_folds=2, min_df=1).fit(texts, labels)
    neutral = ["什么时候发货", "发货了吗", "几号发货", "发货地址改一下"] * 3
    taught = SentimentModel(calibration_folds=2, min_df=1).fit(
        texts + neutral, labels + ["neu"] * len(neutral))
    assert plain.word_weights_["发货"] > 0.1
    assert abs(taught.word_weights_.get("发货", 0.0)) < 0.9 * plain.word_weights_["发货"]
    # the calibration sees only the texts with an opinion
    assert len(taught.calibration_logits_) == len(texts)


def test_fit_needs_both_polarities_besides_neutral():
    with pytest.raises(ValueError, match="one class"):
        SentimentModel().fit(["好", "很好", "一般"], ["pos", "pos", "neu"])


@pytest.mark.parametrize("tokens, scoped", [
    (["一个", "坏", "的", "都", "没有"], ["一个", "¬坏", "¬的", "都", "没有"]),
    (["一点", "异味", "也", "没有"], ["一点", "¬异味", "也", "没有"]),
    (["一个", "都", "没有"], ["一个", "都", "没有"]),            # nothing between
    (["一点", "也", "不腥"], ["一点", "也", "不腥"]),            # no negator token
    (["不", "新鲜"], ["不", "¬新鲜"]),
    (["不是", "不", "好"], ["不是", "不", "好"]),              # a second negator ends the scope
])
def test_negation_scope(tokens, scoped):
    from textmine.sentiment.features import clause_keys

    assert clause_keys(tokens)[1] == scoped


# --- behaviour of the shipped model --------------------------------------------

@pytest.mark.parametrize("lower, higher", [
    ("质量不错，但是物流太慢了", "质量不错"),          # contrast: the second clause counts
    ("物流太慢了", "质量不错，但是物流太慢了"),
    ("虽然质量很好，但是物流慢", "虽然物流慢，但是质量很好"),  # concession counts less
    ("不新鲜", "新鲜"),                              # negation
    ("一点都不好", "好"),
    ("很差", "没有想象中差"),
    ("太慢了", "有点慢"),                            # degree
    ("有点慢", "很快"),
    ("还行", "非常满意"),
])
def test_orderings(shipped, segmenter, lower, higher):
    assert _score(shipped, segmenter, lower).prob < _score(shipped, segmenter, higher).prob


def test_contrast_document_is_below_its_first_clause(shipped, segmenter):
    doc = _score(shipped, segmenter, "质量不错，但是物流太慢了")
    assert len(doc.clause_probs) == 2
    assert doc.clause_probs[0] > 0.5 > doc.clause_probs[1]
    assert doc.prob < doc.clause_probs[0]
    assert doc.label == "neg"


@pytest.mark.parametrize("text", [
    "多少钱一斤？", "什么时候发货？", "多少钱一斤？什么时候发货？", "包邮吗", "能开发票吗",
    "蜂蜜保质期多久", "好吃吗？", "甜不甜", "新鲜吗？正品吗？",
])
def test_questions_are_neutral(shipped, segmenter, text):
    assert _score(shipped, segmenter, text).label == "neu"


@pytest.mark.parametrize("text, label", [
    ("这也叫正品？包装都是歪的", "neg"),
    ("蜂蜜很纯正，家人们冲！", "pos"),
    ("收到的橙子烂了好几个，客服也不理人😡", "neg"),
    ("👍👍", "pos"),
    ("666", "pos"),
    ("6666666", "pos"),
    ("5555", "neg"),
    ("太牛逼了", "pos"),
    ("主播nb", "pos"),
    ("sb主播", "neg"),
])
def test_opinions_get_their_label(shipped, segmenter, text, label):
    assert _score(shipped, segmenter, text).label == label


@pytest.mark.parametrize("word", ["慢", "贵", "甜", "好", "一般", "新鲜", "难吃", "快"])
def test_degree_words_scale_what_follows(shipped, segmenter, word):
    # 非常 strengthens and 有点 softens, on the side the word itself is on.
    def strength(text):
        return abs(_score(shipped, segmenter, text).prob - 0.5)

    assert strength("非常" + word) > strength("有点" + word) < strength(word)


def test_scoring_sums_exactly_the_training_keys(tiny_model, segmenter):
    from textmine.sentiment.features import clause_keys, clause_sum

    token_weights, pair_get = tiny_model._tables()
    char_get, word_get = token_weights._char_get, token_weights._word_get
    for text in ["不是不好吃，就是太贵了", "没有想象中差", "物流很快👍", "iphone 12 还行",
                 "非常慢，有点贵", "不太好，太太太好了"]:
        for clause in split_clauses(normalize(text)):
            tokens = segmenter.cut(clause.text)
            chars, words, pairs, char_times, word_times = clause_keys(tokens)
            expected = (sum(t * char_get(k, 0.0) for k, t in zip(chars, char_times))
                        + sum(t * word_get(k, 0.0) for k, t in zip(words, word_times))
                        + sum(pair_get(k, 0.0) for k in pairs))
            total, n = clause_sum(tokens, token_weights, pair_get)
            assert total == pytest.approx(expected, abs=1e-12)
            assert n == sum(map(bool, char_times)) + sum(map(bool, word_times)) + len(pairs)


def test_remembered_clause_sums_are_the_sums_and_stay_bounded(tiny_model, segmenter):
    from textmine.sentiment.features import ClauseSums, clause_sum

    token_weights, pair_get = tiny_model._tables()
    sums = ClauseSums(token_weights, pair_get, limit=3, max_tokens=4)
    clauses = ["物流很快", "没有想象中差", "不是不好吃就是太贵了", "质量不错", "好评", "还行吧", "太慢了"]
    for text in clauses * 2:
        tokens = tuple(segmenter.cut(text))
        assert sums[tokens] == clause_sum(tokens, token_weights, pair_get)
    assert len(sums) == 3
    assert all(len(tokens) <= 4 for tokens in sums)


@given(st.text(max_size=80))
def test_any_text_gets_a_valid_score(tiny_model, segmenter, text):
    doc = _score(tiny_model, segmenter, text)
    assert 0.0 <= doc.prob <= 1.0 and doc.label in ("pos", "neg", "neu")
    assert len(doc.clause_probs) == len(split_clauses(normalize(text)))


def test_empty_document(shipped):
    assert shipped.score_document("", [], []) == DocumentSentiment(0.5, "neu", [])


# --- backends ----------------------------------------------------------------------

def test_snownlp_backend_has_the_same_schema(shipped, segmenter):
    snow = load_backend("snownlp")
    for text in ["质量不错，但是物流太慢了", "多少钱一斤？"]:
        a, b = _score(shipped, segmenter, text), _score(snow, segmenter, text)
        assert type(a) is type(b) is DocumentSentiment
        assert len(a.clause_probs) == len(b.clause_probs)
        assert all(isinstance(p, float) and 0 <= p <= 1 for p in [b.prob, *b.clause_probs])
        assert b.label in ("pos", "neg", "neu")
    assert len(pickle.dumps(snow)) < 1000


def test_unknown_backend_lists_valid_names():
    with pytest.raises(ValueError, match="builtin"):
        load_backend("bert")
    assert BACKENDS == ("builtin", "snownlp")


# --- labels ------------------------------------------------------------------------

@pytest.mark.parametrize("values, expected", [
    (["1", "0"], ["pos", "neg"]),
    ([1, 0, 1.0], ["pos", "neg", "pos"]),
    (["-1", "0", "1"], ["neg", "neu", "pos"]),
    (["正面", "负面", "中性"], ["pos", "neg", "neu"]),
    ([" Pos ", "NEG", "neu"], ["pos", "neg", "neu"]),
])
def test_parse_labels(values, expected):
    assert parse_labels(values) == expected


def test_bad_label_names_its_row():
    with pytest.raises(InputError, match="row 2"):
        parse_labels(["1", "maybe"], column="label")
    assert binary_targets(["正面", 0]) == [1, 0]


def test_question_detection():
    flags = [is_question(c) for c in split_clauses("包邮吗,3号链接是红茶还是绿茶,味道很好")]
    assert flags == [True, True, False]


def test_yes_no_questions_that_lean_positive_state_no_opinion():
    from textmine.sentiment.labels import is_polar_question, label_document

    polar = [is_polar_question(c) for c in split_clauses("甜吗,新不新鲜,是不是正品,为什么这么甜,怎么")]
    assert polar == [True, True, True, False, False]
    # (split_clauses takes normalised text: ASCII punctuation.)
    # However positive its words score, asking is not praising ...
    assert label_document(0.98, [0.98], split_clauses("好吃吗?")) == "neu"
    assert label_document(0.97, [0.97, 0.97], split_clauses("甜不甜?新鲜吗")) == "neu"
    # ... but a strongly negative one is a complaint, and a statement beside it counts.
    assert label_document(0.01, [0.01], split_clauses("这也叫新鲜吗?")) == "neg"
    assert label_document(0.97, [0.9, 0.97], split_clauses("好吃吗?上次买的特别甜")) == "pos"


# --- command line ------------------------------------------------------------------

@pytest.fixture
def labelled_csv(tmp_path):
    import pandas as pd

    path = tmp_path / "labelled.csv"
    pd.DataFrame({"评论": TEXTS * 2, "情感": (["正面"] * 20 + ["负面"] * 20) * 2}).to_csv(
        path, index=False)
    return path


def _cli(*argv):
    from textmine.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _has_commands():
    from textmine import cli

    return {"textmine.commands.train", "textmine.commands.eval"} <= set(cli.COMMAND_MODULES)


needs_cli = pytest.mark.skipif(not _has_commands(), reason="train/eval not listed in textmine.cli")


@needs_cli
def test_cli_train_then_eval(labelled_csv, tmp_path):
    out_dir = tmp_path / "my-model"
    code, out, err = _cli("train", labelled_csv, "--text-col", "评论", "--label-col", "情感",
                          "-o", out_dir)
    assert code == 0, err
    assert "held-out report" in out and "accuracy" in out
    assert (out_dir / "sentiment.npz").exists()
    code, out, err = _cli("eval", labelled_csv, "--text-col", "评论", "--label-col", "情感",
                          "--model", out_dir)
    assert code == 0, err
    for word in ("accuracy", "macro-F1", "ROC AUC", "Brier", "chars/second"):
        assert word in out


@needs_cli
def test_cli_train_uses_neutral_rows(tmp_path):
    import pandas as pd

    path = tmp_path / "three.csv"
    neutral = ["什么时候发货", "多少钱一斤", "几号链接", "来了", "主播晚上好"] * 2
    pd.DataFrame({"评论": TEXTS * 2 + neutral,
                  "情感": (["正面"] * 20 + ["负面"] * 20) * 2 + ["中性"] * len(neutral)}).to_csv(
        path, index=False)
    out_dir = tmp_path / "m"
    code, out, err = _cli("train", path, "--text-col", "评论", "--label-col", "情感", "-o", out_dir)
    assert code == 0, err
    meta = json.loads((out_dir / "sentiment.json").read_text(encoding="utf-8"))
    assert meta["training"]["data"][0]["neutral"] == len(neutral)
    assert "10 neutral" in (out_dir / "sentiment.md").read_text(encoding="utf-8")


@needs_cli
def test_cli_eval_json_with_snownlp(labelled_csv):
    code, out, err = _cli("eval", labelled_csv, "--label-col", "情感", "--backend", "snownlp",
                          "--json")
    assert code == 0, err
    assert json.loads(out)["n"] == len(TEXTS) * 2


@needs_cli
def test_cli_reports_bad_input(labelled_csv, tmp_path):
    code, _, err = _cli("eval", labelled_csv, "--label-col", "nope")
    assert code == 2 and "nope" in err
    code, _, err = _cli("train", labelled_csv, "--label-col", "情感", "-o", tmp_path / "x",
                        "--model-dir-typo")
    assert code == 2
    broken = tmp_path / "broken"
    shutil.copytree(Path(__file__).resolve().parents[1] / "models", broken,
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "sentiment.npz").write_bytes(b"not a zip")
    code, _, err = _cli("eval", labelled_csv, "--label-col", "情感", "--model", broken)
    assert code == 2 and "corrupt" in err


# --- shared data -----------------------------------------------------------------------

@pytest.mark.skipif(not SHARED.exists(), reason=f"shared data not found at {SHARED}")
def test_shipped_model_card_matches_the_shared_corpus():
    from textmine.sentiment.data import SHARED_CORPUS, file_sha256

    meta = json.loads((Path(__file__).resolve().parents[1] / "models/sentiment.json")
                      .read_text(encoding="utf-8"))
    recorded = {s["name"]: s["sha256"] for s in meta["training"]["sources"]}
    assert recorded[SHARED_CORPUS.name] == file_sha256(SHARED.parent / SHARED_CORPUS), (
        "the shared corpus changed since the shipped model was trained: "
        "run `python -m textmine.sentiment.train`")


def test_training_corpora_leave_the_evaluation_set_unseen():
    import re

    root = Path(__file__).resolve().parents[1]
    key = lambda t: re.sub(r"[\W_]+", "", normalize(str(t)))  # noqa: E731
    evaluation = {key(t) for t in pd.read_csv(root / "corpora/labelled/sentiment_3way.csv")["text"]}
    for name in ("written_reviews.csv", "written_neutral.csv"):
        texts = pd.read_csv(root / "corpora/sentiment" / name)["text"]
        seen = [t for t in texts if key(t) in evaluation]
        assert not seen, (name, seen[:5])

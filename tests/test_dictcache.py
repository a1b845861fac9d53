"""The on-disk cache of jieba's dictionary gives jieba's own FREQ and total."""

from __future__ import annotations

import jieba
import pytest

from textmine import dictcache
from textmine.segment import Segmenter


@pytest.fixture(scope="module")
def reference():
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok.FREQ, tok.total


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(tmp_path / "cache"))
    return dictcache._cache_file(jieba)


def _loaded():
    tok = jieba.Tokenizer()
    dictcache.initialize(tok)
    assert tok.initialized
    return tok


def test_built_on_first_use_then_read_back(cache, reference, monkeypatch):
    assert not cache.exists()
    first = _loaded()
    assert cache.is_file()
    assert (first.FREQ, first.total) == reference

    def refuse(self, dictionary=None):
        raise AssertionError("jieba's own loader was used although the cache is there")

    monkeypatch.setattr(jieba.Tokenizer, "initialize", refuse)
    second = _loaded()
    assert second.FREQ == reference[0] and second.total == reference[1]
    # most frequent first: the entries segmentation reads most lie together
    order = list(second.FREQ)
    top = sorted(reference[0], key=reference[0].get, reverse=True)[:10]
    assert order[0] == top[0]
    assert max(map(order.index, top)) < len(order) // 100


@pytest.mark.parametrize("damage", ["truncate", "garbage", "stale"])
def test_a_damaged_or_stale_cache_is_rebuilt(cache, reference, damage, monkeypatch):
    _loaded()
    if damage == "truncate":
        cache.write_bytes(cache.read_bytes()[:100_000])
    elif damage == "garbage":
        cache.write_bytes(b"not a cache at all")
    else:  # jieba's dictionary changed since the cache was written
        real = dictcache._stamp
        monkeypatch.setattr(dictcache, "_stamp", lambda j, s: real(j, s) + "|changed")
    tok = _loaded()
    assert (tok.FREQ, tok.total) == reference
    assert dictcache._read(cache, dictcache._stamp(jieba, dictcache._source(jieba))) is not None


def test_an_unwritable_cache_folder_still_loads(tmp_path, monkeypatch, reference):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(blocker / "cache"))  # under a file: mkdir fails
    tok = _loaded()
    assert (tok.FREQ, tok.total) == reference


def test_segmenter_cuts_the_same_from_the_cache(cache):
    text = "头部网红直播带货，蜂蜜质量不错但是物流太慢了"
    cold = Segmenter().cut(text)  # builds the cache
    assert cache.is_file()
    assert Segmenter().cut(text) == cold
    tok = jieba.Tokenizer()
    tok.initialize()
    # the domain dictionary joins 头部网红 and 直播带货; jieba alone splits them
    assert "头部网红" in cold and "头部网红" not in list(tok.cut(text))

"""Shared fixtures: a small inline corpus, the shared data folder, a hypothesis profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=30,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_ARTICLE = SHARED / "seed" / "social_commerce_article.txt"
DEMO = ROOT / "corpora" / "demo"

COMMENTS = [
    "蜂蜜很纯正，家人们冲！",
    "质量不错，但是物流太慢了",
    "收到的橙子烂了好几个，客服也不理人😡",
    "主播说是野生的，结果货不对板，已经投诉到12315",
    "多少钱一斤？什么时候发货？",
    "銀球茶包裝很好看，送禮有面子👍",
    "",
    "!!!???",
]


@pytest.fixture(scope="session")
def comments() -> list[str]:
    return list(COMMENTS)


@pytest.fixture(scope="session")
def seed_article() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"shared data not found at {SEED_ARTICLE} (tests that read ../shared need it)")
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def segmenter():
    from textmine.segment import Segmenter

    return Segmenter()


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory):
    # The dictionary cache of this test run (and of the CLI runs it starts)
    # lives in a folder of its own, not in the user's.
    previous = os.environ.get("TEXTMINE_CACHE_DIR")
    os.environ["TEXTMINE_CACHE_DIR"] = str(tmp_path_factory.mktemp("textmine-cache"))
    yield
    if previous is None:
        os.environ.pop("TEXTMINE_CACHE_DIR", None)
    else:
        os.environ["TEXTMINE_CACHE_DIR"] = previous

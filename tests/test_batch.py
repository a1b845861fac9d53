import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from textmine import batch
from textmine.batch import score_file
from textmine.errors import InputError
from textmine.pipeline import Pipeline

PHRASES = ["蜂蜜很纯正，回购了", "质量不错，但是物流太慢了", "主播说是野生的，结果货不对板",
           "多少钱一斤？", "包装很好看，送礼有面子👍", "客服态度差，退款拖了一周😡",
           "价格实惠，性价比高", "", "!!!", "已经投诉到12315了"]


def _corpus(path: Path, n: int) -> Path:
    rows = [{"id": i, "product": "城步蜂蜜", "text": PHRASES[i % len(PHRASES)] + ("哈" * (i % 7))}
            for i in range(n)]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def pipe():
    return Pipeline().fit()


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet", "xlsx"])
def test_two_jobs_same_bytes_as_one(tmp_path, pipe, ext):
    src = _corpus(tmp_path / "in.csv", 1200)
    one, two = tmp_path / f"one.{ext}", tmp_path / f"two.{ext}"
    s1 = score_file(src, one, pipeline=pipe, chunk_size=100, jobs=1)
    s2 = score_file(src, two, pipeline=Pipeline(), chunk_size=100, jobs=2)
    assert s1.rows == s2.rows == 1200
    if ext == "xlsx":  # the zip container stamps times; compare the cells
        pd.testing.assert_frame_equal(pd.read_excel(one), pd.read_excel(two))
    else:
        assert one.read_bytes() == two.read_bytes()
    assert not list(tmp_path.glob(".*parts"))


def test_last_chunk_split_among_workers_same_bytes(tmp_path, pipe, monkeypatch):
    # 1,250 rows in chunks of 500: the last chunk (250 rows, two of them
    # malformed) is scored in two pieces by the two workers.
    src = _corpus(tmp_path / "in.csv", 1250)
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[1100] += ",extra,fields"
    lines[1240] += ",extra"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    score_file(src, one, pipeline=pipe, chunk_size=500, jobs=1)
    joined = []
    real = batch._join_and_store
    monkeypatch.setattr(batch, "_join_and_store",
                        lambda frames, **kw: joined.append(len(frames)) or real(frames, **kw))
    s2 = score_file(src, two, pipeline=Pipeline(), chunk_size=500, jobs=2)
    assert joined == [2]
    assert one.read_bytes() == two.read_bytes()
    assert s2.rows == 1250 and s2.status["error"] == 2
    out = pd.read_csv(two)
    assert list(out["id"]) == list(range(1250))
    assert out.loc[1099, "status"].startswith("error: line 1101 has")


def test_resume_reuses_completed_parts(tmp_path, pipe):
    src = _corpus(tmp_path / "in.csv", 500)
    full = tmp_path / "full.csv"
    score_file(src, full, pipeline=pipe, chunk_size=100)
    out = tmp_path / "out.csv"
    # Simulate an interrupted run: parts 0-2 written, then the process died.
    from textmine import batch

    real = batch._write_part
    calls = []

    def dying(frame, path):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(path)
        return real(frame, path)

    batch._write_part = dying
    try:
        with pytest.raises(KeyboardInterrupt):
            score_file(src, out, pipeline=pipe, chunk_size=100)
    finally:
        batch._write_part = real
    assert not out.exists()
    summary = score_file(src, out, pipeline=pipe, chunk_size=100, resume=True)
    assert summary.resumed_chunks == 3
    assert out.read_bytes() == full.read_bytes()


def test_resume_refuses_changed_settings(tmp_path, pipe):
    src = _corpus(tmp_path / "in.csv", 300)
    out = tmp_path / "out.csv"
    parts = tmp_path / ".out.csv.parts"
    parts.mkdir()
    (parts / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="cannot resume"):
        score_file(src, out, pipeline=pipe, chunk_size=100, resume=True)


def test_kill_9_then_resume_gives_identical_output(tmp_path):
    """Kill the CLI with SIGKILL at random moments, resume, compare bytes."""
    src = _corpus(tmp_path / "in.csv", 6000)
    cmd = [sys.executable, "-m", "textmine", "score", str(src), "--chunk-size", "200",
           "--jobs", "1", "-q"]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    full = tmp_path / "full.csv"
    subprocess.run(cmd + ["-o", str(full)], check=True, env=env)
    rng = random.Random(20261129)
    for trial in range(3):
        out = tmp_path / f"out{trial}.csv"
        proc = subprocess.Popen(cmd + ["-o", str(out)], env=env)
        parts = tmp_path / f".out{trial}.csv.parts"
        deadline = time.time() + 60
        while not list(parts.glob("part-*.arrow")) and time.time() < deadline \
                and proc.poll() is None:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert not out.exists() or out.read_bytes() == full.read_bytes()
        subprocess.run(cmd + ["-o", str(out), "--resume"], check=True, env=env)
        assert out.read_bytes() == full.read_bytes(), f"trial {trial}"
        assert not parts.exists()
        # The killed run's temporary output is cleared away by the resumed one.
        assert not list(tmp_path.glob(f".out{trial}.csv.*.tmp"))


def test_worker_start_up_error_reaches_the_user_with_its_message(tmp_path):
    from textmine.errors import ModelError

    src = _corpus(tmp_path / "in.csv", 300)
    broken = tmp_path / "model"
    broken.mkdir()
    (broken / "sentiment.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="sentiment.json"):
        score_file(src, tmp_path / "out.csv", pipeline=Pipeline(model=broken), chunk_size=100,
                   jobs=2)
    assert not (tmp_path / "out.csv").exists()


def test_library_runs_leave_the_forkserver_settings_alone(tmp_path, pipe):
    # Only the textmine command, which owns its process, sets what the
    # forkserver preloads; score_file called from a user's program does not.
    from multiprocessing import forkserver

    server = forkserver._forkserver
    before = list(server._preload_modules)
    src = _corpus(tmp_path / "in.csv", 300)
    score_file(src, tmp_path / "out.csv", pipeline=pipe, chunk_size=100, jobs=2)
    assert server._preload_modules == before

import io
import json

import pandas as pd
import pytest

from textmine.cli import ExitStatus, main


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


COMMENTS = pd.DataFrame({
    "comment_id": ["c1", "c2", "c3", "c4"],
    "product": ["城步蜂蜜", "雷山鱼酱", "赣南脐橙", "平顺小米"],
    "评论": ["蜂蜜很纯正，回购！", "鱼酱胀袋了，已经投诉", "", "品質很好，會回購"],
})


def _write_excel_gbk_csv(path):
    # What Excel on Chinese Windows writes for "CSV (逗号分隔)": GBK, CRLF.
    path.write_bytes(COMMENTS.to_csv(index=False, lineterminator="\r\n").encode("gbk"))


@pytest.mark.parametrize("name", ["gbk.csv", "bom.csv", "in.xlsx", "in.jsonl", "in.parquet"])
def test_score_preserves_rows_and_columns(tmp_path, name):
    src = tmp_path / name
    if name == "gbk.csv":
        _write_excel_gbk_csv(src)
    elif name == "bom.csv":
        src.write_bytes(COMMENTS.to_csv(index=False).encode("utf-8-sig"))
    elif name == "in.xlsx":
        COMMENTS.to_excel(src, index=False)
    elif name == "in.jsonl":
        src.write_text(COMMENTS.to_json(orient="records", lines=True, force_ascii=False),
                       encoding="utf-8")
    else:
        COMMENTS.to_parquet(src)
    dst = tmp_path / "out.csv"
    code, _, err = run(["score", str(src), "-o", str(dst), "--quiet"])
    assert code == ExitStatus.SUCCESS, err
    out = pd.read_csv(dst, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(out) == len(COMMENTS)
    assert list(out.columns[:3]) == list(COMMENTS.columns)
    assert out["comment_id"].tolist() == COMMENTS["comment_id"].tolist()
    assert out["评论"].tolist() == COMMENTS["评论"].tolist()
    assert out["status"].tolist() == ["ok", "ok", "empty", "ok"]


@pytest.mark.parametrize("ext", ["csv", "xlsx", "jsonl", "parquet"])
def test_score_writes_format_by_extension(tmp_path, ext):
    src = tmp_path / "in.csv"
    COMMENTS.to_csv(src, index=False)
    dst = tmp_path / f"out.{ext}"
    code, _, err = run(["score", str(src), "-o", str(dst), "-q"])
    assert code == 0, err
    from textmine.io import read_table

    assert len(read_table(dst)) == 4


def test_missing_text_column_exits_2_and_lists_columns(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,body\n1,好\n", encoding="utf-8")
    code, _, err = run(["score", str(src), "-q"])
    assert code == ExitStatus.USAGE
    assert "in.csv" in err and "columns are: id, body" in err and "--text-col" in err


def test_missing_file_exits_2(tmp_path):
    code, _, err = run(["score", str(tmp_path / "nope.csv")])
    assert code == 2 and "no such file" in err


def test_bad_usage_exits_2():
    code, _, err = run(["score"])
    assert code == 2 and "INPUT" in err
    code, _, _ = run(["no-such-command"])
    assert code == 2


def test_stdin_to_stdout():
    code, out, err = run(["score", "-", "-q", "--text-col", "text"],
                         stdin="id,text\n1,物流太慢了\n2,\n")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("id,text,status,sentiment")
    assert len(lines) == 3


def test_malformed_line_is_flagged_not_dropped(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,好吃\n2,坏,多余\n3,一般\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    code, _, err = run(["score", str(src), "-o", str(dst)])
    assert code == 0
    rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[1]["status"].startswith("error: line 3 has 3 fields")
    assert "error 1" in err and "ok 2" in err


def test_unexpected_error_exits_1_without_traceback(tmp_path, monkeypatch):
    import textmine.batch

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(textmine.batch, "score_file", boom)
    src = tmp_path / "in.csv"
    src.write_text("text\n好\n", encoding="utf-8")
    code, _, err = run(["score", str(src)])
    assert code == ExitStatus.ERROR
    assert "disk on fire" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        run(["score", str(src), "--debug"])


def test_interrupt_exits_130(tmp_path, monkeypatch):
    import textmine.batch

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(textmine.batch, "score_file", interrupted)
    src = tmp_path / "in.csv"
    src.write_text("text\n好\n", encoding="utf-8")
    code, _, _ = run(["score", str(src)])
    assert code == ExitStatus.INTERRUPTED


def test_version_and_help():
    code, out, _ = run(["--version"])
    assert code == 0


def _run_piped(*args):
    # The command in a process of its own, its output in block-buffered pipes.
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "textmine", *map(str, args)],
                          capture_output=True, text=True, env=env, check=False)


def test_command_exits_without_teardown_but_with_all_output(tmp_path):
    # The command leaves with os._exit: what it printed must still arrive.
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": [f"第{i}条：蜂蜜很纯正，回购了" for i in range(3000)],
                  "label": ["pos"] * 3000}).to_csv(src, index=False)
    done = _run_piped("score", src, "-o", "-", "--jobs", "1")
    assert done.returncode == 0
    rows = pd.read_csv(io.StringIO(done.stdout))
    assert len(rows) == 3000 and (rows["status"] == "ok").all()
    assert "scored 3000 rows" in done.stderr
    done = _run_piped("eval", src, "--text-col", "text", "--label-col", "label")
    assert done.returncode == 0 and "accuracy" in done.stdout


def test_command_exit_code_survives_the_quick_exit(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["蜂蜜很纯正"]}).to_csv(src, index=False)
    done = _run_piped("score", src, "--text-col", "nope", "-o", "-")
    assert done.returncode == ExitStatus.USAGE
    assert "nope" in done.stderr and done.stdout == ""


def test_a_profiler_still_gets_to_write_its_data(tmp_path):
    # Under cProfile (or coverage) the command exits the normal way, so the
    # tool's own exit handlers run.
    import subprocess
    import sys

    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["蜂蜜很纯正"]}).to_csv(src, index=False)
    stats = tmp_path / "run.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "textmine",
                           "score", str(src), "-o", str(tmp_path / "out.csv"), "-q"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert stats.is_file() and stats.stat().st_size > 0
